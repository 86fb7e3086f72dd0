"""Login, operator management and token resolution."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.auth.passwords import hash_password, verify_password
from backend.auth.policy import ROLE_NAMES, Principal, Role
from backend.auth.throttle import MAX_ADDRESS, MAX_USERNAME, LoginThrottle, begin_attempt, succeeded, throttle_key
from backend.auth.tokens import TokenSigner
from backend.errors import DomainError
from backend.models import Operator, utcnow
from backend.persistence.database import Database, UnitOfWork
from backend.text_checks import storable

MIN_PASSWORD_LENGTH = 8


def principal_of(op: Operator) -> Principal:
    return Principal(
        operator_id=op.id,
        username=op.username,
        role=Role[op.role],
        access_groups=frozenset(op.access_groups or ()),
    )


def create_operator(
    uow: UnitOfWork, *, username: str, password: str, role: str, access_groups: list[str] | None = None
) -> Operator:
    username = (username or "").strip()
    if not username:
        raise DomainError("INVALID_INPUT", "username must not be empty", ["input", "username"])
    if len(username) > 150:
        raise DomainError("INVALID_INPUT", "username is longer than 150 characters", ["input", "username"])
    if role not in ROLE_NAMES:
        raise DomainError("INVALID_INPUT", f"role must be one of {', '.join(ROLE_NAMES)}", ["input", "role"])
    if len(password or "") < MIN_PASSWORD_LENGTH:
        raise DomainError(
            "INVALID_INPUT", f"password must have at least {MIN_PASSWORD_LENGTH} characters", ["input", "password"]
        )
    groups = sorted({g.strip() for g in (access_groups or []) if g and g.strip()})
    exists = uow.session.scalar(select(Operator.id).where(Operator.username == username))
    if exists is not None:
        raise DomainError("CONFLICT", f"an operator named '{username}' already exists", ["input", "username"])
    op = Operator(username=username, password_hash=hash_password(password), role=role, access_groups=groups)
    uow.session.add(op)
    uow.flush()
    return op


def login(uow: UnitOfWork, *, signer: TokenSigner, username: str, password: str) -> tuple[str, Operator]:
    username = (username or "").strip()
    op = None
    if storable(username) and storable(password or ""):
        op = uow.session.scalar(select(Operator).where(Operator.username == username))
    if not verify_password(op.password_hash if op else None, password or ""):
        raise DomainError("INVALID_CREDENTIALS", "wrong username or password")
    assert op is not None
    return signer.operator_token(op.id, op.token_version), op


def throttled_login(
    db: Database, throttle: LoginThrottle, *, signer: TokenSigner, username: str, password: str, address: str
) -> tuple[str, Operator]:
    """`login`, refused with TOO_MANY_ATTEMPTS while the username or the client address
    has too many recent failures (backend/auth/throttle.py)."""
    key = throttle_key(username, MAX_USERNAME)
    attempt_id = begin_attempt(db, throttle, username=key, address=throttle_key(address, MAX_ADDRESS), now=utcnow())
    with db.unit_of_work() as uow:
        token, op = login(uow, signer=signer, username=username, password=password)
    succeeded(db, attempt_id=attempt_id, username=key)
    return token, op


def resolve_operator_token(session: Session, *, signer: TokenSigner, token: str) -> Principal | None:
    claim = signer.read_operator_token(token)
    if claim is None:
        return None
    op = session.get(Operator, claim.operator_id)
    if op is None or op.token_version != claim.token_version:
        return None
    return principal_of(op)


def list_operators(session: Session) -> list[Operator]:
    return list(session.scalars(select(Operator).order_by(Operator.id)))
