from rest_framework import serializers

from audit.models import LogAction, LogEntry


class ChangeSerializer(serializers.Serializer):
    label = serializers.CharField(help_text="The field, in the caller's language.")
    old = serializers.CharField()
    new = serializers.CharField()


class VersionSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="record.pk", help_text="The history row's id.")
    date = serializers.DateTimeField(source="record.history_date")
    user = serializers.CharField(source="record.history_user", allow_null=True)
    reason = serializers.CharField(source="record.history_change_reason", allow_null=True)
    action = serializers.ChoiceField(choices=LogAction.choices)
    changes = ChangeSerializer(many=True)


class CompareSerializer(serializers.Serializer):
    older = serializers.IntegerField()
    newer = serializers.IntegerField()
    changes = ChangeSerializer(many=True)


class LogEntrySerializer(serializers.ModelSerializer):
    # Null for what no one signed in did (a failed sign-in, the system itself).
    user = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    kind = serializers.CharField(source="content_type.model", read_only=True)
    app = serializers.CharField(source="content_type.app_label", read_only=True)

    class Meta:
        model = LogEntry
        fields = ["id", "timestamp", "user", "action", "app", "kind", "object_id",
                  "object_repr", "reason", "history_id", "scope_id", "api_token"]
