from enum import StrEnum


class AccountStatus(StrEnum):
    ACTIVE = "ACTIVE"
    DISCONNECTED = "DISCONNECTED"
    EXPIRED = "EXPIRED"
    PENDING_AUTH = "PENDING_AUTH"
    RESTRICTED = "RESTRICTED"
    REVOKED = "REVOKED"

    def __str__(self) -> str:
        return str(self.value)
