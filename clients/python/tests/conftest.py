"""Settings for the client tests: a real `toolwire serve` against the Zendesk simulator,
started by scripts/test-clients.sh, which connects the identifiers, revokes one and rate-limits another's tenant."""

import os

import pytest

from toolwire_client import ToolwireClient


@pytest.fixture(scope="session")
def settings() -> dict[str, str]:
    names = (
        "TOOLWIRE_URL",
        "TOOLWIRE_API_KEY",
        "TOOLWIRE_IDENTIFIER",
        "TOOLWIRE_REVOKED_IDENTIFIER",
        "TOOLWIRE_LIMITED_IDENTIFIER",
    )
    missing = [n for n in names if not os.environ.get(n)]
    if missing:
        pytest.fail(f"run through scripts/test-clients.sh (missing {', '.join(missing)})")
    return {n: os.environ[n] for n in names}


@pytest.fixture()
def client(settings: dict[str, str]) -> ToolwireClient:
    return ToolwireClient(settings["TOOLWIRE_URL"], settings["TOOLWIRE_API_KEY"])
