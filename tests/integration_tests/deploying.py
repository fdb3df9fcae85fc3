"""What the deployment tests need, and the one way they skip: never in CI, where
``make deploy-env`` has installed PostgreSQL, Redis and the Aegra environment."""

import os

import pytest

from tests.services import missing


def need(*servers: str) -> None:
    """Skip (fail in CI) when this machine lacks ``servers`` (postgres, redis, aegra)."""
    reason = missing(*servers)
    if reason is None:
        return
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI runs `make deploy-env` first)")
    pytest.skip(reason)
