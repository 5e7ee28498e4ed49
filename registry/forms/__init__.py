from .tree import (
    NodeAddForm,
    NodeApiEditForm,
    NodeDeleteForm,
    NodeEditForm,
    NodeMoveForm,
    NodeReorderForm,
    OrderPlacementsForm,
    PlaceStandardForm,
)

__all__ = [
    "NodeAddForm",
    "NodeApiEditForm",
    "NodeDeleteForm",
    "NodeEditForm",
    "NodeMoveForm",
    "NodeReorderForm",
    "OrderPlacementsForm",
    "PlaceStandardForm",
]
