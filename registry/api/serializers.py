"""What the registry's API shows of nodes, placements, standards and export jobs, and
what its writes take."""

from django.urls import reverse
from rest_framework import serializers

from audit.api.base import ReasonSerializerField
from catalog.choices import AdoptionDegree, Level, Status
from registry.actions import MoveNode
from registry.models import ExportJob, Node, NodeKind, Placement


class NodeBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Node
        fields = ["id", "code", "name", "name_en"]


class NodeSerializer(serializers.ModelSerializer):
    kind = serializers.ChoiceField(choices=NodeKind.choices, read_only=True)
    parent = serializers.SerializerMethodField()

    class Meta:
        model = Node
        fields = ["id", "code", "name", "name_en", "clause", "description", "organization",
                  "kind", "depth", "parent"]

    def get_parent(self, node) -> int | None:
        # The view puts the ids of the page's parents in the context (one query a page).
        parents = self.context.get("parents")
        if parents is not None:
            return parents.get(node.path[:-node.steplen])
        parent = None if node.depth == 1 else Node.objects.get_parent(node)
        return parent.pk if parent else None


class PlacementOnNodeSerializer(serializers.ModelSerializer):
    standard = serializers.SerializerMethodField()

    class Meta:
        model = Placement
        fields = ["id", "standard", "note"]

    def get_standard(self, placement) -> dict:
        s = placement.standard
        return {"id": s.pk, "number": s.number, "title": s.title,
                "status": getattr(s, "computed_status", None)}


class NodeDetailSerializer(NodeSerializer):
    children = NodeBriefSerializer(many=True, read_only=True, source="child_nodes")
    placements = PlacementOnNodeSerializer(many=True, read_only=True, source="placed")
    ancestors = NodeBriefSerializer(many=True, read_only=True, source="ancestor_nodes")

    class Meta(NodeSerializer.Meta):
        fields = [*NodeSerializer.Meta.fields, "ancestors", "children", "placements"]


class TreeRowSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    name_en = serializers.CharField()
    kind = serializers.ChoiceField(choices=NodeKind.choices)
    depth = serializers.IntegerField()
    parent = serializers.IntegerField(allow_null=True)
    path = serializers.ListField(child=serializers.CharField(),
                                 help_text="The codes from the root down to this node.")
    standards = serializers.IntegerField(help_text="Standards placed in the subtree.")
    current = serializers.IntegerField(help_text="Of which in force.")
    gaps = serializers.IntegerField(help_text="Aspects in the subtree without a current "
                                              "standard.")
    is_gap = serializers.BooleanField()


class NodeWriteSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    name_en = serializers.CharField(max_length=200, required=False, allow_blank=True)
    clause = serializers.CharField(max_length=32, required=False, allow_blank=True)
    description = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    code = serializers.CharField(max_length=32, required=False, allow_blank=True,
                                 help_text="Empty: the next free code under the parent.")
    reason = ReasonSerializerField()


class NodeEditSerializer(NodeWriteSerializer):
    name = serializers.CharField(max_length=200, required=False)
    organization = serializers.CharField(max_length=200, required=False, allow_blank=True)
    reason = ReasonSerializerField(help_text="Why: kept on the history row (required).")


class NodeMoveSerializer(serializers.Serializer):
    target = serializers.IntegerField(help_text="The node to move next to or under.")
    position = serializers.ChoiceField(choices=MoveNode.POSITIONS, default="last-child")
    reason = ReasonSerializerField()


class NodeReorderSerializer(serializers.Serializer):
    direction = serializers.ChoiceField(choices=["up", "down"])
    reason = ReasonSerializerField()


class PlacementSerializer(serializers.ModelSerializer):
    node = NodeBriefSerializer(read_only=True)
    standard = serializers.SerializerMethodField()

    class Meta:
        model = Placement
        fields = ["id", "node", "standard", "note"]

    def get_standard(self, placement) -> dict:
        s = placement.standard
        return {"id": s.pk, "number": s.number, "title": s.title}


class PlacementWriteSerializer(serializers.Serializer):
    node = serializers.IntegerField()
    standard = serializers.IntegerField()
    note = serializers.CharField(max_length=255, required=False, allow_blank=True)
    reason = ReasonSerializerField()


class StandardBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    title = serializers.CharField()


class StandardSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    code = serializers.CharField()
    serial = serializers.CharField()
    year = serializers.IntegerField(allow_null=True)
    level = serializers.ChoiceField(choices=Level.choices)
    title = serializers.CharField()
    title_en = serializers.CharField()
    status = serializers.ChoiceField(choices=Status.choices, source="computed_status")
    issued_on = serializers.DateField(allow_null=True)
    implemented_on = serializers.DateField(allow_null=True)
    withdrawn_on = serializers.DateField(allow_null=True)
    is_draft = serializers.BooleanField()
    remarks = serializers.CharField()
    adopted_number = serializers.CharField(allow_null=True)
    adoption_degree = serializers.ChoiceField(choices=AdoptionDegree.choices, allow_null=True,
                                              allow_blank=True)
    replaces = StandardBriefSerializer(many=True, help_text="The standards this one replaces.")
    replaced_by = StandardBriefSerializer(many=True,
                                          help_text="The standards that replace this one.")
    placed_on = NodeBriefSerializer(many=True, source="placed_nodes")


class StandardDetailSerializer(StandardSerializer):
    cites = StandardBriefSerializer(many=True, help_text="Its normative references.")
    cited_by = StandardBriefSerializer(many=True)


class StandardWriteSerializer(serializers.Serializer):
    """The fields of the standard form (``catalog.forms.StandardForm``), which checks them."""

    number = serializers.CharField(max_length=64)
    title = serializers.CharField(max_length=255)
    title_en = serializers.CharField(max_length=255, required=False, allow_blank=True)
    issued_on = serializers.DateField(required=False, allow_null=True)
    implemented_on = serializers.DateField(required=False, allow_null=True)
    withdrawn_on = serializers.DateField(required=False, allow_null=True)
    is_draft = serializers.BooleanField(required=False)
    remarks = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    adopted_number = serializers.CharField(max_length=64, required=False, allow_blank=True,
                                           allow_null=True)
    adoption_degree = serializers.ChoiceField(choices=AdoptionDegree.choices, required=False,
                                              allow_blank=True, allow_null=True)
    replaces = serializers.ListField(child=serializers.IntegerField(), required=False,
                                     max_length=200)
    cites = serializers.ListField(child=serializers.IntegerField(), required=False,
                                  max_length=500)
    reason = ReasonSerializerField()


class StandardEditSerializer(StandardWriteSerializer):
    number = serializers.CharField(max_length=64, required=False)
    title = serializers.CharField(max_length=255, required=False)


class ExportJobSerializer(serializers.ModelSerializer):
    download = serializers.SerializerMethodField()
    subtree = serializers.CharField(source="node_code")

    class Meta:
        model = ExportJob
        fields = ["id", "fmt", "lang", "subtree", "as_of", "state", "progress", "message",
                  "seconds", "created_at", "download"]

    def get_download(self, job) -> str | None:
        if job.state != ExportJob.State.DONE:
            return None
        request = self.context.get("request")
        url = reverse("api:exportjob-download", args=[job.pk])
        return request.build_absolute_uri(url) if request else url


class ExportStartSerializer(serializers.Serializer):
    fmt = serializers.ChoiceField(choices=["pdf", "xlsx", "csv", "json"])
    lang = serializers.ChoiceField(choices=["zh-hans", "en"], default="zh-hans")
    as_of = serializers.DateField(required=False, allow_null=True)
    node = serializers.IntegerField(required=False, allow_null=True,
                                    help_text="Export only this node's subtree.")
