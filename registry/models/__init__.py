from .exports import ExportJob
from .nodes import Node, NodeKind
from .notes import CompilationNotes
from .placements import Placement
from .watch import ReviewFlag

__all__ = ["CompilationNotes", "ExportJob", "Node", "NodeKind", "Placement", "ReviewFlag"]
