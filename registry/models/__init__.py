from .jobs import ExportJob, ImportJob, Job
from .tree import CompilationNotes, Node, NodeKind, Placement
from .watch import ReviewFlag

__all__ = ["CompilationNotes", "ExportJob", "ImportJob", "Job", "Node", "NodeKind", "Placement",
           "ReviewFlag"]
