from enum import StrEnum


class NvrVendor(StrEnum):
    DAHUA = "dahua"
    HIKVISION = "hikvision"
    ONVIF = "onvif"

    def __str__(self) -> str:
        return str(self.value)
