from .nodes import (
    NodeAddForm,
    NodeDeleteForm,
    NodeEditForm,
    NodeMoveForm,
    NodeReorderForm,
    OrderPlacementsForm,
    PlaceStandardForm,
)

__all__ = [
    "NodeAddForm",
    "NodeDeleteForm",
    "NodeEditForm",
    "NodeMoveForm",
    "NodeReorderForm",
    "OrderPlacementsForm",
    "PlaceStandardForm",
]
