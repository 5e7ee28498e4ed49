from .amendments import Amendment
from .standards import Citation, Standard, Supersession
from .terms import Term
from .validity import ValidityCheck, ValiditySource

__all__ = ["Amendment", "Citation", "Standard", "Supersession", "Term", "ValidityCheck",
           "ValiditySource"]
