"""Expected failures of the domain, turned into `UserError`s by the API layer."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class DomainError(Exception):
    code: str
    message: str
    field: list[str] | None = None

    def __str__(self) -> str:
        return f"{self.code}: {self.message}"


class NotFound(DomainError):
    def __init__(self, what: str, field: list[str] | None = None):
        super().__init__("NOT_FOUND", f"{what} not found", field)


class Forbidden(DomainError):
    def __init__(self, message: str = "not allowed for your role or access groups"):
        super().__init__("FORBIDDEN", message)


class Unauthenticated(DomainError):
    def __init__(self, message: str = "a valid bearer token is required"):
        super().__init__("UNAUTHENTICATED", message)


class NotImplementedYet(DomainError):
    def __init__(self, what: str):
        super().__init__("NOT_IMPLEMENTED", f"{what} is not implemented yet")
