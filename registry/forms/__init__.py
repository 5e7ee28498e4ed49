from .nodes import (
    NodeAddForm,
    NodeDeleteForm,
    NodeEditForm,
    NodeMoveForm,
    NodeReorderForm,
    PlaceStandardForm,
)

__all__ = [
    "NodeAddForm",
    "NodeDeleteForm",
    "NodeEditForm",
    "NodeMoveForm",
    "NodeReorderForm",
    "PlaceStandardForm",
]
