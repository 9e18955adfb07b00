"""examples/hikari_bot.py in its offline mode: warm and RESUMEd on its second run."""

from __future__ import annotations

import os
import subprocess
import sys

from conftest import FIXTURES
from conftest import HIKARI_DIR
from conftest import SOURCE_ROOT
from conftest import requires_hikari

pytestmark = requires_hikari()


def env(**changes: str) -> dict:
    """This environment, with hikari importable (a user has it installed; the tests use ../shared's)."""
    out = dict(os.environ, **changes)
    out["PYTHONPATH"] = os.pathsep.join(filter(None, [str(HIKARI_DIR), out.get("PYTHONPATH", "")]))
    return out


def run(*args: str) -> str:
    out = subprocess.run(
        [sys.executable, str(SOURCE_ROOT / "examples" / "hikari_bot.py"), *args],
        capture_output=True, text=True, timeout=120, env=env(), check=False,
    )
    assert out.returncode == 0, out.stdout + out.stderr
    return out.stdout


def test_example_bot_resumes_warm(tmp_path: object) -> None:
    stream, cache = str(FIXTURES / "guild_life.ndjson"), str(tmp_path / "cache")  # type: ignore[operator]
    first = run("--replay", stream, "--cache", cache, "--stop-after", "12")
    assert "before connecting: 0 guilds, 0 users cached; no session" in first
    assert "connected with IDENTIFY" in first
    assert "carol: nickname None -> 'caz'" in first  # old_member from the cache
    second = run("--replay", stream, "--cache", cache)
    assert "before connecting: 1 guilds, 5 users cached; shard 0 session 9f2c4e7a1b3d5f60 at s=12" in second
    assert "connected with RESUME to wss://gateway-us-east1-b.discord.gg" in second


def test_example_needs_a_token_or_a_stream() -> None:
    out = subprocess.run(
        [sys.executable, str(SOURCE_ROOT / "examples" / "hikari_bot.py")],
        capture_output=True, text=True, timeout=60, env=env(DISCORD_TOKEN=""), check=False,
    )
    assert out.returncode == 2 and "DISCORD_TOKEN" in out.stderr
