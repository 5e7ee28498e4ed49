from .nodes import Node, NodeKind
from .placements import Placement

__all__ = ["Node", "NodeKind", "Placement"]
