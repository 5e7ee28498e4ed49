"""The tree area's pages (``registry:`` names): the tree, a node and its operations, the
tree's history, and the standard pages (which show where a standard is placed)."""

from django.urls import path

from registry.views.tree import (
    comparison,
    editions,
    history,
    nodes,
    pages,
    standards,
    tailoring,
    templates,
)

urlpatterns = [
    path("", pages.TreeView.as_view(), name="tree"),
    path("nodes/<int:pk>/", pages.NodeView.as_view(), name="node_detail"),
    path("nodes/<int:pk>/add/", nodes.NodeAddView.as_view(), name="node_add"),
    path("nodes/<int:pk>/edit/", nodes.NodeEditView.as_view(), name="node_edit"),
    path("nodes/<int:pk>/move/", nodes.NodeMoveView.as_view(), name="node_move"),
    path("nodes/<int:pk>/reorder/", nodes.NodeReorderView.as_view(), name="node_reorder"),
    path("nodes/<int:pk>/delete/", nodes.NodeDeleteView.as_view(), name="node_delete"),
    path("nodes/<int:pk>/place/", nodes.NodePlaceView.as_view(), name="node_place"),
    path("nodes/<int:pk>/order/", nodes.NodeOrderView.as_view(), name="node_order"),
    path("placements/<int:pk>/delete/", nodes.PlacementDeleteView.as_view(),
         name="placement_delete"),
    path("nodes/<int:pk>/history/", history.NodeChangelogView.as_view(),
         name="node_changelog"),
    path("tailoring/", tailoring.TailoringReportView.as_view(), name="tailoring"),
    path("tailoring/restore/<int:pk>/", tailoring.RestoreAspectView.as_view(),
         name="tailoring_restore"),
    path("derive/", tailoring.DeriveSystemView.as_view(), name="derive"),
    path("editions/", editions.EditionProposalsView.as_view(), name="editions"),
    path("editions/<int:pk>/decide/", editions.DecideProposalView.as_view(),
         name="edition_decide"),
    path("templates/", templates.TemplateListView.as_view(), name="templates"),
    path("comparison/", comparison.ComparisonView.as_view(), name="comparison"),
    path("as-of/", history.AsOfView.as_view(), name="as_of"),
    path("as-of/compare/", history.AsOfCompareView.as_view(), name="as_of_compare"),
    path("standards/", standards.StandardListView.as_view(), name="standard_list"),
    path("standards/add/", standards.StandardAddView.as_view(), name="standard_add"),
    path("standards/<int:pk>/", standards.StandardView.as_view(), name="standard_detail"),
    path("standards/<int:pk>/edit/", standards.StandardEditView.as_view(),
         name="standard_edit"),
]
