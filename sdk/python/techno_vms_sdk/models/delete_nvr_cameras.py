from enum import StrEnum


class DeleteNvrCameras(StrEnum):
    KEEP = "keep"
    REMOVE = "remove"

    def __str__(self) -> str:
        return str(self.value)
