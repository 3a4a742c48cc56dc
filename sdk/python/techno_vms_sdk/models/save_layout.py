from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define

T = TypeVar("T", bound="SaveLayout")


@_attrs_define
class SaveLayout:
    """Body of `PUT /api/layouts/{name}`.

    Example:
        {'cells': ['6a7b8c9d-0e1f-4a2b-8c3d-4e5f6a7b8c9d', 'b7c8d9e0-f1a2-4b3c-8d4e-5f6a7b8c9d0e', None,
            'c8d9e0f1-a2b3-4c4d-9e5f-6a7b8c9d0e1f']}

    Attributes:
        cells (list[None | UUID]): The camera in each tile, or `null`: 1, 4, 9 or 16 entries.
    """

    cells: list[None | UUID]

    def to_dict(self) -> dict[str, Any]:
        cells = []
        for cells_item_data in self.cells:
            cells_item: None | str
            if isinstance(cells_item_data, UUID):
                cells_item = str(cells_item_data)
            else:
                cells_item = cells_item_data
            cells.append(cells_item)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "cells": cells,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        cells = []
        _cells = d.pop("cells")
        for cells_item_data in _cells:

            def _parse_cells_item(data: object) -> None | UUID:
                if data is None:
                    return data
                try:
                    if not isinstance(data, str):
                        raise TypeError()
                    cells_item_type_0 = UUID(data)

                    return cells_item_type_0
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                return cast(None | UUID, data)

            cells_item = _parse_cells_item(cells_item_data)

            cells.append(cells_item)

        save_layout = cls(
            cells=cells,
        )

        return save_layout
