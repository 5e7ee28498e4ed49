from .jobs import ExportJob, ImportJob, Job
from .nodes import Node, NodeKind
from .notes import CompilationNotes
from .placements import Placement
from .watch import ReviewFlag

__all__ = ["CompilationNotes", "ExportJob", "ImportJob", "Job", "Node", "NodeKind", "Placement",
           "ReviewFlag"]
