from .documents import Document
from .evaluation import Criterion, Evaluation, EvaluationTemplate, Score
from .information import InformationItem, InformationNode, InformationStandard
from .people import Department, StaffProfile, TrainingRecord
from .projects import Comment, Objection, Project, ProjectEvent, ProjectMember, ReviewAssignment
from .standards import ImplementationPlan, PeriodicReview
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
