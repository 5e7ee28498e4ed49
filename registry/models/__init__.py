from .jobs import ExportJob, ImportJob, Job
from .templates import (
    EditionProposal,
    ProposalKind,
    ProposalStatus,
    Tailoring,
    TailoringKind,
    TailoringReason,
    Template,
    TemplateNode,
)
from .tree import CompilationNotes, Node, NodeKind, Placement
from .watch import ReviewFlag

__all__ = ["CompilationNotes", "EditionProposal", "ExportJob", "ImportJob", "Job", "Node",
           "NodeKind", "Placement", "ProposalKind", "ProposalStatus", "ReviewFlag",
           "Tailoring", "TailoringKind", "TailoringReason", "Template", "TemplateNode"]
