from rest_framework import serializers

from catalog.models import Term, ValidityCheck


class TermSerializer(serializers.ModelSerializer):
    defined_in = serializers.SlugRelatedField(slug_field="number", read_only=True,
                                              allow_null=True)
    source = serializers.SlugRelatedField(slug_field="number", read_only=True, allow_null=True)

    class Meta:
        model = Term
        fields = ["id", "term", "term_en", "definition", "note", "defined_in", "clause",
                  "source_reference", "source_clause", "source"]


class NumbersRequestSerializer(serializers.Serializer):
    numbers = serializers.ListField(child=serializers.CharField(max_length=200,
                                                                allow_blank=True),
                                    min_length=1, max_length=1000)


class NumberResultSerializer(serializers.Serializer):
    input = serializers.CharField()
    valid = serializers.BooleanField()
    canonical = serializers.CharField(required=False)
    code = serializers.CharField(required=False)
    serial = serializers.CharField(required=False)
    year = serializers.IntegerField(required=False, allow_null=True)
    dated = serializers.BooleanField(required=False)
    level = serializers.CharField(required=False)
    nature = serializers.CharField(required=False)
    region_code = serializers.CharField(required=False)
    error = serializers.CharField(required=False, help_text="Why the number was refused.")


class ValidityLineSerializer(serializers.Serializer):
    written = serializers.CharField(help_text="The number as the text wrote it.")
    normalised = serializers.CharField(help_text="Its canonical form.")
    status = serializers.ChoiceField(
        choices=["current", "upcoming", "superseded", "withdrawn", "in_development",
                 "not_in_catalog"])
    standard_id = serializers.IntegerField(allow_null=True)
    number = serializers.CharField(help_text="The catalog edition meant (the newest for an "
                                             "undated number).")
    title = serializers.CharField()
    date = serializers.CharField(help_text="Implementation date (upcoming) or withdrawal "
                                           "date (withdrawn), ISO; else empty.")
    replacement = serializers.CharField(help_text="The standard at the end of the chain of "
                                                  "replacements.")
    replacement_id = serializers.IntegerField(allow_null=True)
    replacement_status = serializers.CharField()
    chain = serializers.ListField(child=serializers.CharField())
    several_editions = serializers.BooleanField()
    editions = serializers.ListField(child=serializers.CharField())
    not_in_catalog = serializers.BooleanField()


class ValidityCheckSerializer(serializers.ModelSerializer):
    created_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    lines = ValidityLineSerializer(many=True, read_only=True)
    counts = serializers.DictField(child=serializers.IntegerField(), read_only=True)

    class Meta:
        model = ValidityCheck
        fields = ["id", "created_by", "created_at", "checked_on", "source", "file_name",
                  "counts", "lines"]


class ValidityRequestSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=2_000_000,
                                 help_text="Text in which every standard number is checked.")
