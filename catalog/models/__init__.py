from .audit import Action, ChainedHistory, ChainHead, HistoryAppendOnly, LogEntry
from .standards import Citation, Standard, Supersession
from .terms import Term

__all__ = [
    "Action",
    "ChainHead",
    "ChainedHistory",
    "HistoryAppendOnly",
    "LogEntry","Citation", "Standard", "Supersession", "Term"]
