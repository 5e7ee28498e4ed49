from .drafts import Draft, DraftFile
from .parts import Part
from .texts import Text

__all__ = ["Draft", "DraftFile", "Part", "Text"]
