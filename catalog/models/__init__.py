from .audit import Action, ChainedHistory, ChainHead, LogEntry
from .standards import Citation, Standard, Supersession
from .terms import Term

__all__ = [
    "Action",
    "ChainHead",
    "ChainedHistory",
    "LogEntry","Citation", "Standard", "Supersession", "Term"]
