"""Operations that change the standard system, one class each (as Wagtail's page actions).

Each action checks the user's permission, validates, then executes inside a transaction and
leaves a history row carrying the user and the reason. Views, commands and the shell all
call the same actions. A background job is started by an action too (``jobs.StartJob``);
the worker's runners (``run_export``, ``run_import`` …) live beside the actions of their area.
"""

from audit.actions import ActionError

from .exports import SaveCompilationNotes, StartDocument, StartExport
from .imports import ApplyImport, StartImport, StartImportPreview
from .jobs import TooManyJobs
from .tree import (
    AddNode,
    ChangeNode,
    ChangeSystem,
    DeleteNode,
    MoveNode,
    OrderPlacements,
    PlaceStandard,
    RemovePlacement,
    ReorderNode,
)
from .watch import DecideReviewFlag, RaiseReviewFlags

__all__ = [
    "ActionError",
    "AddNode",
    "ApplyImport",
    "ChangeNode",
    "ChangeSystem",
    "DecideReviewFlag",
    "DeleteNode",
    "MoveNode",
    "OrderPlacements",
    "PlaceStandard",
    "RaiseReviewFlags",
    "RemovePlacement",
    "ReorderNode",
    "SaveCompilationNotes",
    "StartDocument",
    "StartExport",
    "StartImport",
    "StartImportPreview",
    "TooManyJobs",
]
