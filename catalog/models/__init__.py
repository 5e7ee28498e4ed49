from .standards import Citation, Standard, Supersession
from .terms import Term

__all__ = ["Citation", "Standard", "Supersession", "Term"]
