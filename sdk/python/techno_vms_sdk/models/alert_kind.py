from enum import StrEnum


class AlertKind(StrEnum):
    ANALYTICS_BEHIND = "analytics_behind"
    AUDIT_CHAIN = "audit_chain"
    CAMERA_OFFLINE = "camera_offline"
    DISK_FREE_LOW = "disk_free_low"
    INDEX_LAG = "index_lag"
    LICENCE_EXPIRING = "licence_expiring"
    NO_FOOTAGE = "no_footage"
    PLANE_HUNG = "plane_hung"
    PLANE_RESTARTS = "plane_restarts"
    RETENTION_SHORT = "retention_short"

    def __str__(self) -> str:
        return str(self.value)
