from .documents import Document
from .people import Department
from .projects import Comment, Objection, Project, ProjectEvent, ProjectMember, ReviewAssignment
from .standards import ImplementationPlan, PeriodicReview

__all__ = [
    "Comment",
    "Department",
    "Document",
    "ImplementationPlan",
    "Objection",
    "PeriodicReview",
    "Project",
    "ProjectEvent",
    "ProjectMember",
    "ReviewAssignment",
]
