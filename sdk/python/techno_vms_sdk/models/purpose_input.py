from enum import StrEnum


class PurposeInput(StrEnum):
    ARCHIVE = "archive"
    EXPORT = "export"
    LIVE = "live"

    def __str__(self) -> str:
        return str(self.value)
