from rest_framework import serializers

from catalog.models import Term


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
