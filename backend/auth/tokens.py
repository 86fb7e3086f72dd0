"""Signed bearer tokens for operators and for players' own clients (pop-ups)."""

from __future__ import annotations

from dataclasses import dataclass

from itsdangerous import BadSignature, URLSafeTimedSerializer

_OPERATOR_SALT = "questline.operator"
_USER_SALT = "questline.user"


@dataclass(frozen=True)
class OperatorClaim:
    operator_id: int
    token_version: int


class TokenSigner:
    def __init__(self, secret_key: str, *, operator_ttl_seconds: int, user_ttl_seconds: int = 30 * 86400):
        self._operator = URLSafeTimedSerializer(secret_key, salt=_OPERATOR_SALT)
        self._user = URLSafeTimedSerializer(secret_key, salt=_USER_SALT)
        self._operator_ttl = operator_ttl_seconds
        self._user_ttl = user_ttl_seconds

    def operator_token(self, operator_id: int, token_version: int) -> str:
        return self._operator.dumps({"o": operator_id, "v": token_version})

    def read_operator_token(self, token: str) -> OperatorClaim | None:
        try:
            data = self._operator.loads(token, max_age=self._operator_ttl)
            return OperatorClaim(operator_id=int(data["o"]), token_version=int(data["v"]))
        except (BadSignature, KeyError, TypeError, ValueError):
            return None

    def user_token(self, user_id: int) -> str:
        return self._user.dumps({"u": user_id})

    def read_user_token(self, token: str) -> int | None:
        try:
            return int(self._user.loads(token, max_age=self._user_ttl)["u"])
        except (BadSignature, KeyError, TypeError, ValueError):
            return None
