"""The registry's API: the tree, nodes, placements, standards and export jobs.

Reads have the pages' permissions (the tree and nodes: any logged-in user); every write
runs the same action as its page (``registry.actions``, ``catalog.actions``) with the
API user and a reason, and may be made conditional with ``If-Match`` (412 when stale).
"""

from django.db.models import Prefetch, Q
from django.http import FileResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import filters, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from audit.api.base import ActionPermissions, ReasonSerializer, form_data, validated, with_etag
from audit.api.concurrency import guarded
from audit.forms import ReasonForm
from audit.params import id_from
from catalog.actions.standards import SaveStandard
from catalog.forms.standards import StandardForm
from catalog.models import Standard
from organizations.rules import current_organization
from registry import actions, forms
from registry.api import serializers as s
from registry.filtersets import NodeFilter, PlacedStandardFilterSet, organization_nodes
from registry.forms.exports import ExportForm
from registry.models import Job, Node, Placement, TailoringReason
from registry.rules.comparison import compare
from registry.rules.jobs import permission_for
from registry.rules.tailoring import tailoring_report
from registry.rules.tree import scope
from registry.rules.tree.as_of import parse_moment, snapshot_rows, take_snapshot
from registry.rules.tree.rows import build_rows

REASON = OpenApiParameter("reason", str, description="Why: kept on the history row.")


def _reason(request, name="reason"):
    """A delete's reason (or another of its words): ``?reason=`` or ``{"reason": …}`` in
    the body."""
    if request.query_params.get(name):
        return request.query_params[name]
    data = request.data
    reason = data.get(name, "") if hasattr(data, "get") else ""
    return reason if isinstance(reason, str) else ""


WHY = OpenApiParameter(
    "why", str, enum=TailoringReason.values,
    description="Deleting a template aspect of a derived system (删减): why, from the short "
                "list of clause 6.2.4.")


# --- the tree ------------------------------------------------------------------------------


def _row(row, parents, codes):
    node = row.node
    parent = parents.get(node.path[:-node.steplen]) if node.depth > 1 else None
    path = [codes[node.path[:end]] for end in range(node.steplen, len(node.path) + 1,
                                                    node.steplen) if node.path[:end] in codes]
    return {"id": node.pk, "code": node.code, "name": node.name, "name_en": node.name_en,
            "kind": node.kind.value, "depth": node.depth, "parent": parent, "path": path,
            "standards": row.standards, "current": row.current, "gaps": row.gaps,
            "is_gap": row.is_gap}


@extend_schema(
    parameters=[
        OpenApiParameter("node", int, description="The subtree of this node (default: the "
                                                  "first system's root)."),
        OpenApiParameter("as_of", str, description="The system as it stood at a moment: "
                         "2026-11-27 (the end of that day) or 2026-11-27T10:30."),
        OpenApiParameter("q", str, description="Only nodes whose name or code contains "
                                               "this, with their ancestors."),
        OpenApiParameter("gaps", bool, description="Only aspects without a current "
                                                   "standard."),
        OpenApiParameter("layout", str, enum=["flat", "nested"],
                         description="flat (default): rows in tree order, each with the "
                         "codes of its path; nested: children inside their parents."),
    ],
    responses=s.TreeRowSerializer(many=True),
)
class TreeView(APIView):
    """The system tree with the counts of the tree page: standards in each subtree, how
    many are in force, and the gaps (aspects without a current standard)."""

    permission_required = None

    def get(self, request):
        params = request.query_params
        node_id, as_of = params.get("node"), params.get("as_of")
        if node_id is not None:
            node_id = id_from(node_id)  # ASCII digits only: "²".isdigit() is true
            if node_id is None:
                raise ValidationError({"node": [_("Give a node id.")]})
        if as_of:
            moment = parse_moment(as_of)
            if moment is None:
                raise ValidationError({"as_of": [_("Give a date (2026-11-27) or a moment "
                                                   "(2026-11-27T10:30).")]})
            snapshot = take_snapshot(moment)
            if snapshot.root is None:
                return Response([])
            rows = snapshot_rows(snapshot, params.get("q", ""))
            if node_id:
                top = snapshot.nodes.get(int(node_id))
                if top is None:
                    raise NotFound
                rows = [r for r in rows if r.node.path.startswith(top.path)]
        else:
            if node_id:
                top = get_object_or_404(scope.nodes(), pk=node_id)
            else:
                top = scope.system_root()
                if top is None:
                    return Response([])
            rows = build_rows(top, params.get("q", ""))
        # The path of a subtree's rows starts at the system's root.
        above = (list(snapshot.nodes.values()) if as_of
                 else list(Node.objects.get_ancestors(top)) if node_id else [])
        parents = {n.path: n.pk for n in above} | {r.node.path: r.node.pk for r in rows}
        codes = {n.path: n.code for n in above} | {r.node.path: r.node.code for r in rows}
        data = [(_row(r, parents, codes), r) for r in rows]
        if params.get("gaps") in ("1", "true", "True", "yes"):
            return Response([d for d, r in data if r.is_gap])
        if params.get("layout") == "nested":
            top_level, stack = [], []
            for item, row in data:
                item["children"] = []
                while stack and stack[-1][1] >= row.node.depth:
                    stack.pop()
                (stack[-1][0]["children"] if stack else top_level).append(item)
                stack.append((item, row.node.depth))
            return Response(top_level)
        return Response([d for d, _r in data])


# --- tailoring and the comparison ----------------------------------------------------------


@extend_schema(responses=OpenApiTypes.OBJECT)
class TailoringView(APIView):
    """The tailoring report (剪裁说明) of the organization acted in: its template, the counts
    and every deviation (removed, added, renamed, moved) with who, when and why."""

    permission_required = "registry.view_node"

    def get(self, request):
        return Response(tailoring_report(current_organization()).as_dict())


@extend_schema(responses=OpenApiTypes.OBJECT)
class ComparisonView(APIView):
    """The organization acted in and those beneath it: per organization the template
    aspects kept, removed and added, aspects, covered aspects, coverage, gaps, overdue
    projects and overdue corrective actions (``overdue_projects``,
    ``overdue_corrective_actions``); per template aspect the current standards each
    organization places on it (null: removed)."""

    permission_required = "registry.view_node"

    def get(self, request):
        result = compare(current_organization())
        return Response({
            "organizations": [
                {"code": f.organization.code, "name": f.organization.name,
                 "derived": f.derived, "kept": f.kept, "removed": f.removed,
                 "added": f.added, "aspects": f.aspects, "covered": f.covered,
                 "coverage": f.coverage, "gaps": f.gaps,
                 # The columns other apps declare: overdue projects and corrective actions.
                 **{column.key: value for value, column in f.columns}}
                for f in result.figures],
            "aspects": [
                {"code": row.code, "name": row.name,
                 "standards": {o.code: row.cells[o.pk] for o in result.organizations}}
                for row in result.aspects],
        })


# --- nodes ---------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(parameters=[
        OpenApiParameter("depth", int), OpenApiParameter("code", str),
        OpenApiParameter("q", str, description="Name or code contains"),
        OpenApiParameter("under", int, description="Only nodes in this node's subtree"),
    ]),
    destroy=extend_schema(parameters=[REASON, WHY]),
)
class NodeViewSet(ActionPermissions, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                  mixins.DestroyModelMixin, viewsets.GenericViewSet):
    """Nodes of the system tree. Writes run the tree actions (``registry/actions/nodes.py``)
    as the node pages do."""

    permissions = {"list": None, "retrieve": None, "children": "registry.add_node",
                   "partial_update": "registry.change_node", "move": "registry.change_node",
                   "reorder": "registry.change_node", "destroy": "registry.delete_node"}
    filter_backends = [filters.OrderingFilter]
    ordering_fields = ["path", "code", "name", "id"]
    ordering = ["path"]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        nodes = scope.nodes()
        params = self.request.query_params
        if id_from(params.get("depth")):
            nodes = nodes.filter(depth=id_from(params["depth"]))
        if params.get("code"):
            nodes = nodes.filter(code=params["code"])
        if params.get("q"):
            nodes = nodes.filter(Q(name__icontains=params["q"]) | Q(code__icontains=params["q"])
                                 | Q(name_en__icontains=params["q"]))
        if id_from(params.get("under")):
            top = scope.nodes().filter(pk=id_from(params["under"])).first()
            nodes = nodes.filter(path__startswith=top.path) if top else nodes.none()
        return nodes

    def get_serializer_class(self):
        return s.NodeDetailSerializer if self.action == "retrieve" else s.NodeSerializer

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        parent_paths = {n.path[:-n.steplen] for n in page if n.depth > 1}
        parents = dict(Node.objects.filter(path__in=parent_paths).values_list("path", "pk"))
        data = s.NodeSerializer(page, many=True, context={"parents": parents}).data
        return self.get_paginated_response(data)

    def retrieve(self, request, *args, **kwargs):
        node = self.get_object()
        node.child_nodes = list(Node.objects.get_children(node))
        node.ancestor_nodes = list(Node.objects.get_ancestors(node))
        node.placed = list(
            Placement.objects.filter(node=node).select_related("standard")
            .order_by("standard__number"))
        statuses = dict(Standard.objects.filter(placements__node=node).with_status()
                        .values_list("pk", "computed_status"))
        for placement in node.placed:
            placement.standard.computed_status = statuses.get(placement.standard_id)
        parents = {a.path: a.pk for a in node.ancestor_nodes}
        return with_etag(s.NodeDetailSerializer(node, context={"parents": parents}).data, node)

    def _answer(self, node, status_code=200):
        node = Node.objects.get(pk=node.pk)
        return with_etag(s.NodeSerializer(node).data, node, status=status_code)

    @extend_schema(request=s.NodeWriteSerializer, responses={201: s.NodeSerializer})
    @action(detail=True, methods=["post"])
    def children(self, request, pk=None):
        """Add a node as the last child of this one (its code: the next free one)."""
        parent = self.get_object()
        data = validated(forms.NodeAddForm(data=self._valid(s.NodeWriteSerializer)))
        child = actions.AddNode(request.user, parent, data["name"], data["reason"],
                                name_en=data["name_en"], clause=data["clause"],
                                description=data["description"], code=data["code"]).execute()
        return self._answer(child, status.HTTP_201_CREATED)

    @extend_schema(request=s.NodeEditSerializer, responses=s.NodeSerializer)
    def partial_update(self, request, pk=None):
        """Rename a node or change its code, clause or description (a reason is needed)."""
        node = self.get_object()
        given = self._valid(s.NodeEditSerializer)
        # The node form with the fields not given as they are; only those given change.
        current = {name: getattr(node, name) for name in forms.NodeApiEditForm.base_fields
                   if name != "reason"}
        data = validated(forms.NodeApiEditForm(data={**current, **given}))
        changes = {name: data[name] for name in given if name != "reason"}
        guarded(request, node, lambda: actions.ChangeNode(
            request.user, node, data["reason"], **changes).execute())
        return self._answer(node)

    @extend_schema(request=s.NodeMoveSerializer, responses=s.NodeSerializer)
    @action(detail=True, methods=["post"])
    def move(self, request, pk=None):
        """Move the node and its subtree under or next to ``target`` (a move to another
        parent re-codes the subtree)."""
        node = self.get_object()
        data = self._valid(s.NodeMoveSerializer)
        if not scope.nodes().filter(pk=data["target"]).exists():
            raise ValidationError({"target": [_("There is no such node.")]})
        data = validated(forms.NodeMoveForm(data=data, node=node))
        guarded(request, node, lambda: actions.MoveNode(
            request.user, node, data["target"], data["position"], data["reason"]).execute())
        return self._answer(node)

    @extend_schema(request=s.NodeReorderSerializer, responses=s.NodeSerializer)
    @action(detail=True, methods=["post"])
    def reorder(self, request, pk=None):
        """Move the node one place up or down among its siblings."""
        node = self.get_object()
        data = validated(forms.NodeReorderForm(data=self._valid(s.NodeReorderSerializer)))
        guarded(request, node, lambda: actions.ReorderNode(
            request.user, node, data["direction"], data["reason"]).execute())
        return self._answer(node)

    @extend_schema(request=ReasonSerializer, responses={204: None})
    def destroy(self, request, pk=None):
        """Delete the node and its subtree; refused while it holds standards."""
        node = self.get_object()
        data = validated(forms.NodeDeleteForm(
            data={"reason": _reason(request), "why": _reason(request, "why")},
            tailoring=actions.DeleteNode(request.user, node).asks_why()))
        guarded(request, node, lambda: actions.DeleteNode(
            request.user, node, data["reason"], why=data.get("why", "")).execute())
        return Response(status=status.HTTP_204_NO_CONTENT)

    def _valid(self, serializer_class):
        serializer = serializer_class(data=self.request.data)
        serializer.is_valid(raise_exception=True)
        return form_data(serializer.validated_data)


# --- placements ----------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(parameters=[
        OpenApiParameter("node", int), OpenApiParameter("standard", int),
        OpenApiParameter("under", int, description="Placements in this node's subtree"),
    ]),
    destroy=extend_schema(parameters=[REASON]),
)
class PlacementViewSet(ActionPermissions, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                       mixins.CreateModelMixin, mixins.DestroyModelMixin,
                       viewsets.GenericViewSet):
    """Standards placed on nodes. Placing and removing run ``PlaceStandard`` and
    ``RemovePlacement``."""

    permissions = {"list": "registry.view_placement", "retrieve": "registry.view_placement",
                   "create": "registry.add_placement", "destroy": "registry.delete_placement"}
    serializer_class = s.PlacementSerializer
    filter_backends = [filters.OrderingFilter]
    ordering_fields = ["id", "node__path", "standard__number"]
    ordering = ["node__path", "standard__number"]

    def get_queryset(self):
        placements = scope.placements().select_related("node", "standard")
        params = self.request.query_params
        for name in ("node", "standard"):
            if id_from(params.get(name)):
                placements = placements.filter(**{f"{name}_id": id_from(params[name])})
        if id_from(params.get("under")):
            top = scope.nodes().filter(pk=id_from(params["under"])).first()
            placements = (placements.filter(node__path__startswith=top.path) if top
                          else placements.none())
        return placements

    @extend_schema(request=s.PlacementWriteSerializer, responses={201: s.PlacementSerializer})
    def create(self, request):
        """Place a standard on a node."""
        serializer = s.PlacementWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        node = scope.nodes().filter(pk=data["node"]).first()
        standard = Standard.objects.filter(pk=data["standard"]).first()
        errors = {}
        if node is None:
            errors["node"] = [_("There is no such node.")]
        if standard is None:
            errors["standard"] = [_("There is no such standard.")]
        if errors:
            raise ValidationError(errors)
        data = validated(forms.PlaceStandardForm(
            data={**form_data(data), "standard": standard.pk}))
        placement = actions.PlaceStandard(request.user, node, standard, data["reason"],
                                          note=data["note"]).execute()
        placement = self.get_queryset().get(pk=placement.pk)
        return with_etag(s.PlacementSerializer(placement).data, placement, status=201)

    @extend_schema(request=ReasonSerializer, responses={204: None})
    def destroy(self, request, pk=None):
        """Take the standard off the node."""
        placement = self.get_object()
        reason = validated(ReasonForm(data={"reason": _reason(request)}))["reason"]
        guarded(request, placement, lambda: actions.RemovePlacement(
            request.user, placement, reason).execute())
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- standards -----------------------------------------------------------------------------


@extend_schema_field(OpenApiTypes.INT)
class _NodeFilter(NodeFilter):
    """The page's "placed on this node or below it", typed for the schema (a node id)."""


class StandardApiFilterSet(PlacedStandardFilterSet):
    node = _NodeFilter(label=PlacedStandardFilterSet.base_filters["node"].label,
                       queryset=organization_nodes)


class StandardViewSet(ActionPermissions, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                      mixins.CreateModelMixin, viewsets.GenericViewSet):
    """The catalog's standards with their status, supersessions both ways, normative
    references, adoption and placements. Filters and ordering are the standards page's
    (``PlacedStandardFilterSet``: ``q``, ``level``, ``status``, ``node``, ``ordering``).
    Adding and editing run ``SaveStandard`` after the standard form's checks."""

    permissions = {"list": "catalog.view_standard", "retrieve": "catalog.view_standard",
                   "create": "catalog.add_standard",
                   "partial_update": "catalog.change_standard"}
    filter_backends = [DjangoFilterBackend]
    filterset_class = StandardApiFilterSet
    queryset = Standard.objects.none()  # the model, for the schema; get_queryset reads
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        brief = Standard.objects.only("id", "number", "title").order_by("number")
        standards = Standard.objects.with_status().prefetch_related(
            Prefetch("replaces", queryset=brief), Prefetch("replaced_by", queryset=brief),
            Prefetch("placements", queryset=scope.placements().select_related("node")
                     .order_by("node__path")),
        ).order_by("code", "serial", "year", "id")
        if self.action == "retrieve":
            standards = standards.prefetch_related(Prefetch("cites", queryset=brief),
                                                   Prefetch("cited_by", queryset=brief))
        return standards

    def get_serializer_class(self):
        return s.StandardDetailSerializer if self.action == "retrieve" else s.StandardSerializer

    def get_serializer(self, instance=None, *args, **kwargs):
        for standard in (instance if isinstance(instance, list) else [instance]):
            if standard is not None:
                standard.placed_nodes = [p.node for p in standard.placements.all()]
        return super().get_serializer(instance, *args, **kwargs)

    def retrieve(self, request, *args, **kwargs):
        standard = self.get_object()
        return with_etag(self.get_serializer(standard).data, standard)

    def _save(self, request, action_class, instance, serializer_class):
        serializer = serializer_class(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        # The page's form checks the number, the dates and the reason rules.
        initial = {}
        if instance.pk:
            initial = {f: getattr(instance, f) for f in StandardForm.Meta.fields}
            initial["replaces"] = list(instance.replaces.values_list("pk", flat=True))
            initial["cites"] = list(instance.cites.values_list("pk", flat=True))
        form = StandardForm(data=form_data({**initial, **data}), instance=instance)
        validated(form)
        standard = form.save(commit=False)
        # Adoption (采用) where the form does not carry it yet: a degree needs the number.
        for extra in ("adopted_number", "adoption_degree"):
            if extra in data and extra not in form.fields:
                setattr(standard, extra, (data[extra] or "").strip() or None)
        if standard.adoption_degree and not standard.adopted_number:
            raise ValidationError({"adopted_number": [
                _("Give the number of the adopted standard with its degree of adoption.")]})
        return action_class(
            request.user, standard, form.cleaned_data.get("reason", ""),
            replaces=form.cleaned_data["replaces"], cites=form.cleaned_data["cites"],
        ).execute()

    def _answer(self, standard, status_code=200):
        standard = self.get_queryset().prefetch_related("cites", "cited_by").get(pk=standard.pk)
        return with_etag(s.StandardDetailSerializer(self.get_serializer(standard).instance)
                         .data, standard, status=status_code)

    @extend_schema(request=s.StandardWriteSerializer, responses={201: s.StandardDetailSerializer})
    def create(self, request):
        """Add a standard to the catalog (a reason is optional)."""
        standard = self._save(request, SaveStandard, Standard(), s.StandardWriteSerializer)
        return self._answer(standard, status.HTTP_201_CREATED)

    @extend_schema(request=s.StandardEditSerializer, responses=s.StandardDetailSerializer)
    def partial_update(self, request, pk=None):
        """Change a standard (a reason is required); fields not given keep their values."""
        standard = get_object_or_404(Standard, pk=pk)
        guarded(request, standard, lambda: self._save(request, SaveStandard, standard,
                                                      s.StandardEditSerializer))
        return self._answer(standard)


# --- export jobs ---------------------------------------------------------------------------


class ExportJobViewSet(ActionPermissions, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                       mixins.CreateModelMixin, viewsets.GenericViewSet):
    """Exports of the system table as jobs: start one, poll its ``state`` and
    ``progress``, then download the file (a user sees only their own jobs). A job another
    endpoint queued (a standard's text as Word or PDF) is polled here too, with the
    permission of what it makes (``registry.rules.jobs.permission_for``)."""

    permissions = {"list": "registry.export_system_table",
                   "create": "registry.export_system_table", "*": None}
    serializer_class = s.ExportJobSerializer
    queryset = Job.objects.all()
    filter_backends = [filters.OrderingFilter]
    ordering_fields = ["created_at", "id"]
    ordering = ["-created_at", "-id"]

    def get_queryset(self):
        return Job.objects.filter(created_by=self.request.user)

    def get_object(self):
        job = super().get_object()
        wanted = permission_for(job)
        if not self.request.user.has_perms((wanted,) if isinstance(wanted, str) else wanted):
            raise PermissionDenied
        return job

    @extend_schema(request=s.ExportStartSerializer, responses={202: s.ExportJobSerializer})
    def create(self, request):
        """Start an export; poll the job until its state is ``done`` (or ``failed``)."""
        serializer = s.ExportStartSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        cleaned = validated(ExportForm(data=form_data(serializer.validated_data)))
        # Refused past the user's share of jobs: 429 (registry.views.jobs).
        job = actions.StartExport(request.user, cleaned["fmt"], cleaned["lang"],
                                  as_of=cleaned["as_of"], node=cleaned["node"]).execute()
        job.refresh_from_db()
        response = Response(self.get_serializer(job).data, status=status.HTTP_202_ACCEPTED)
        response["Location"] = request.build_absolute_uri(
            f"{request.path.rstrip('/')}/{job.pk}/")
        return response

    @extend_schema(responses={(200, media): OpenApiTypes.BINARY for media in (
        "application/pdf", "text/csv", "application/json",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")})
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        """The exported file, once the job is done."""
        job = self.get_object()
        if job.state != Job.State.DONE or not job.file:
            raise NotFound(_("This export has no file (yet)."))
        try:
            handle = job.file.open("rb")
        except FileNotFoundError as exc:
            raise NotFound from exc
        return FileResponse(handle, as_attachment=True,
                            filename=job.file.name.rsplit("/", 1)[-1])



@extend_schema(exclude=True)
class NoSuchEndpoint(APIView):
    """Any other URL under /api/: a 404 in the API's error shape."""

    permission_required = None

    def get(self, request, *args, **kwargs):
        raise NotFound(_("There is no such endpoint."))

    post = put = patch = delete = get
