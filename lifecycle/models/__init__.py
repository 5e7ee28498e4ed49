
from .evaluation import Criterion, Evaluation, EvaluationTemplate, Score
from .information import InformationItem, InformationNode, InformationStandard
from .organization import Department, StaffProfile, TrainingRecord
from .projects import (
    Comment,
    Document,
    ImplementationPlan,
    Objection,
    PeriodicReview,
    Project,
    ProjectEvent,
    ProjectMember,
    ReviewAssignment,
)
from .supervision import ImplementationCheck, NonConformity
from .work import PlanItem, WorkRule, YearPlan

__all__ = [
    "Comment",
    "Criterion",
    "Department",
    "Document",
    "Evaluation",
    "EvaluationTemplate",
    "ImplementationCheck",
    "ImplementationPlan",
    "InformationItem",
    "InformationNode",
    "InformationStandard",
    "NonConformity",
    "Objection",
    "PeriodicReview",
    "PlanItem",
    "Project",
    "ProjectEvent",
    "ProjectMember",
    "ReviewAssignment",
    "Score",
    "StaffProfile",
    "TrainingRecord",
    "WorkRule",
    "YearPlan",
]
