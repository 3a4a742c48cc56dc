from enum import StrEnum


class Role(StrEnum):
    MAIN = "main"
    SUB = "sub"

    def __str__(self) -> str:
        return str(self.value)
