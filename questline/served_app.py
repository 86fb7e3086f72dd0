"""The app each `questline serve --processes N` process builds for itself."""

from __future__ import annotations

from starlette.applications import Starlette

from backend.logs import configure_logging, secrets_of
from backend.settings import load_settings
from graphql_schema.app import create_app


def serving_only_app() -> Starlette:
    """Settings from the environment, no workers or scheduler: those run elsewhere."""
    settings = load_settings()
    configure_logging(settings.log_level, secrets=secrets_of(settings))
    return create_app(settings, run_workers=False)
