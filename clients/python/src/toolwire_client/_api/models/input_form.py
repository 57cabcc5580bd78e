from enum import StrEnum


class InputForm(StrEnum):
    JSON = "json"
    OPENAI_STRICT = "openai_strict"

    def __str__(self) -> str:
        return str(self.value)
