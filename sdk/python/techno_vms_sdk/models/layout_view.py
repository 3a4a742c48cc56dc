from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="LayoutView")


@_attrs_define
class LayoutView:
    """A layout as saved.

    Example:
        {'cells': ['6a7b8c9d-0e1f-4a2b-8c3d-4e5f6a7b8c9d', 'b7c8d9e0-f1a2-4b3c-8d4e-5f6a7b8c9d0e', None,
            'c8d9e0f1-a2b3-4c4d-9e5f-6a7b8c9d0e1f'], 'name': 'Dock overview', 'size': 4, 'updated_at':
            '2026-12-02T17:22:09Z'}

    Attributes:
        cells (list[None | UUID]): The camera in each tile, or `null`.
        name (str): Its name, unique per user.
        size (int): Tiles: 1, 4, 9 or 16.
        updated_at (datetime.datetime): When it was last saved.
    """

    cells: list[None | UUID]
    name: str
    size: int
    updated_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        cells = []
        for cells_item_data in self.cells:
            cells_item: None | str
            if isinstance(cells_item_data, UUID):
                cells_item = str(cells_item_data)
            else:
                cells_item = cells_item_data
            cells.append(cells_item)

        name = self.name

        size = self.size

        updated_at = self.updated_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "cells": cells,
                "name": name,
                "size": size,
                "updated_at": updated_at,
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

        name = d.pop("name")

        size = d.pop("size")

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        layout_view = cls(
            cells=cells,
            name=name,
            size=size,
            updated_at=updated_at,
        )

        layout_view.additional_properties = d
        return layout_view

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
