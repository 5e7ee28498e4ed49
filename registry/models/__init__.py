from .exports import ExportJob
from .tree import CompilationNotes, Node, NodeKind, Placement
from .watch import ReviewFlag

__all__ = ["CompilationNotes", "ExportJob", "Node", "NodeKind", "Placement", "ReviewFlag"]
