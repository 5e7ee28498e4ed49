"""Operations that change the standard system, one class each (as Wagtail's page actions).

Each action checks the user's permission, validates, then executes inside a transaction and
leaves a history row carrying the user and the reason. Views, commands and the shell all
call the same actions.
"""

from audit.actions import ActionError

from .exports import (
    SaveCompilationNotes,
    StartDocument,
    StartExport,
    StartImport,
    StartImportPreview,
    TooManyJobs,
)
from .nodes import AddNode, DeleteNode, EditNode, EditSystem, MoveNode, ReorderNode
from .placements import OrderPlacements, PlaceStandard, RemovePlacement

__all__ = [
    "ActionError",
    "AddNode",
    "DeleteNode",
    "EditNode",
    "EditSystem",
    "MoveNode",
    "OrderPlacements",
    "PlaceStandard",
    "RemovePlacement",
    "ReorderNode",
    "SaveCompilationNotes",
    "StartDocument",
    "StartExport",
    "StartImport",
    "StartImportPreview",
    "TooManyJobs",
]
