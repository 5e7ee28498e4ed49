from .parts import Part
from .texts import Text

__all__ = ["Part", "Text"]
