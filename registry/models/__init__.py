from .jobs import ExportJob, ImportJob, Job
from .templates import Tailoring, TailoringKind, TailoringReason, Template, TemplateNode
from .tree import CompilationNotes, Node, NodeKind, Placement
from .watch import ReviewFlag

__all__ = ["CompilationNotes", "ExportJob", "ImportJob", "Job", "Node", "NodeKind", "Placement",
           "ReviewFlag", "Tailoring", "TailoringKind", "TailoringReason", "Template",
           "TemplateNode"]
