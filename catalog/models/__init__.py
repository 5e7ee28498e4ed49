from .amendments import Amendment
from .standards import Citation, Standard, Supersession
from .terms import Term

__all__ = ["Amendment", "Citation", "Standard", "Supersession", "Term"]
