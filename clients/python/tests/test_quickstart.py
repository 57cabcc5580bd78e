"""The README's agent-builder quickstart, line for line: the Python block under
`<!-- clients/python/examples/quickstart.py -->` in README.md is that file, and the file runs
against the real server — a new user gets the authorization link, connects (here through the
REST API with the simulator's credentials, standing in for the user's browser), presses Enter,
and the tool call and the LangChain tools work."""

import json
import os
import subprocess
import sys
from pathlib import Path

from toolwire_client import ToolwireClient

ROOT = Path(__file__).resolve().parents[3]
EXAMPLE = ROOT / "clients/python/examples/quickstart.py"
MARKER = "<!-- clients/python/examples/quickstart.py -->"


def readme_block() -> str:
    text = (ROOT / "README.md").read_text()
    assert MARKER in text, f"README.md lost the marker {MARKER}"
    after = text.split(MARKER, 1)[1]
    fence = "```python\n"
    assert after.lstrip("\n").startswith(fence), "the marker must be followed by a ```python block"
    body = after.split(fence, 1)[1]
    return body.split("\n```", 1)[0] + "\n"


def test_readme_shows_the_quickstart_file() -> None:
    assert readme_block() == EXAMPLE.read_text()


def test_quickstart_runs_against_toolwire(client: ToolwireClient, settings: dict[str, str]) -> None:
    proc = subprocess.Popen(
        [sys.executable, str(EXAMPLE)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "TOOLWIRE_URL": settings["TOOLWIRE_URL"], "TOOLWIRE_API_KEY": settings["TOOLWIRE_API_KEY"]},
    )
    assert proc.stdout is not None and proc.stdin is not None
    first = proc.stdout.readline()
    assert first == "Connected account: zendesk/user_zd_123 | Status: PENDING_AUTH\n", first
    link = proc.stdout.readline()
    assert link.startswith("🔗 Authorize Zendesk: " + settings["TOOLWIRE_URL"] + "/connect/"), link
    # The user connects (what the onboarding page does, through the REST API here).
    connected = client.get_or_create_connected_account(
        "zendesk",
        "user_zd_123",
        config={"subdomain": "acme"},
        credentials=json.loads(os.environ["TOOLWIRE_SIM_CREDS"]),
    ).connected_account
    assert connected.status == "ACTIVE"
    # Read the rest through the same buffered pipe `readline` used: `communicate` reads the raw
    # pipe and would miss the prompt when it arrived in the same chunk as the link line.
    proc.stdin.write("\n")
    proc.stdin.close()
    out = proc.stdout.read()
    err = proc.stderr.read() if proc.stderr else ""
    assert proc.wait(timeout=60) == 0, err
    lines = out.splitlines()
    assert lines[0].startswith("Press Enter after authorizing...")
    expected = client.execute_tool("zendesk_search_tickets", "user_zd_123", {"query": "status:open priority:urgent"})
    assert lines[0].removeprefix("Press Enter after authorizing...") == str(expected.data)
    n = len(client.list_tools("zendesk"))
    assert lines[1].startswith(f"{n} tools, e.g. zendesk_"), lines[1]
