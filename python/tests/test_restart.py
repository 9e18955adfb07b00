"""A bot process stopped — cleanly, or by SIGKILL — mid-stream restarts warm and RESUMEs exactly.

Each run is bot_process.py (a hikari GatewayBot with snowcache.hikari.attach, on the offline gateway of
harness.py) in its own process. The reference is one uninterrupted run. After a stop at s=K the next run
must: hold exactly the state after s=K before it connects (WARM), RESUME the stored session at K on its
resume URL, get and apply exactly the dispatches after K (none twice: no duplicates, events of both runs
add up to the reference's), and end in the reference's state (the whole dump).
"""

from __future__ import annotations

import hashlib
import json
import os
import pathlib
import signal
import subprocess
import sys
import time
import typing

import pytest

import snowcache
from conftest import FIXTURES
from conftest import requires_hikari

pytestmark = requires_hikari()

BOT = pathlib.Path(__file__).with_name("bot_process.py")
STREAM = FIXTURES / "guild_life.ndjson"
SESSION = "9f2c4e7a1b3d5f60"
RESUME_URL = "wss://gateway-us-east1-b.discord.gg"


class Run:
    def __init__(self, lines: typing.List[str]) -> None:
        self.lines = lines

    def field(self, tag: str) -> typing.List[str]:
        return next((ln.split()[1:] for ln in self.lines if ln.split()[0] == tag), [])

    def all(self, tag: str) -> typing.List[typing.List[str]]:
        return [ln.split()[1:] for ln in self.lines if ln.split()[0] == tag]

    @property
    def done(self) -> typing.Dict[str, int]:
        applied, ignored, duplicate, rejected, events = map(int, self.field("DONE"))
        return {"fresh": applied + ignored, "duplicate": duplicate, "rejected": rejected, "events": events}


def bot(cache: pathlib.Path, stream: pathlib.Path, *args: str) -> Run:
    out = subprocess.run(
        [sys.executable, str(BOT), str(cache), str(stream), *args],
        capture_output=True, text=True, timeout=120, env=os.environ, check=False,
    )
    assert out.returncode == 0, f"bot_process failed:\n{out.stdout}\n{out.stderr}"
    return Run(out.stdout.splitlines())


def start_bot(cache: pathlib.Path, stream: pathlib.Path, *args: str) -> subprocess.Popen[str]:
    # stderr to a file: a pipe nobody reads would block the bot once full
    log = open(cache.parent / f"{cache.name}.stderr", "w")  # noqa: SIM115 - lives as long as the process
    return subprocess.Popen(
        [sys.executable, str(BOT), str(cache), str(stream), *args],
        stdout=subprocess.PIPE, stderr=log, text=True, env=os.environ,
    )


def wait_for(proc: subprocess.Popen[str], tag: str) -> typing.List[str]:
    assert proc.stdout is not None
    lines = []
    for line in proc.stdout:
        lines.append(line.strip())
        if line.startswith(tag):
            return lines
    raise AssertionError(f"the bot exited before {tag}: {lines}")


def digest(path: pathlib.Path) -> str:
    with snowcache.Cache.open(str(path)) as cache:
        return hashlib.sha256("\n".join(cache.dump()).encode()).hexdigest()


def state_after(tmp: pathlib.Path, stream: pathlib.Path, k: int) -> str:
    """The dump digest of a cache holding exactly the dispatches up to s=k."""
    frames = [ln for ln in stream.read_text().splitlines() if ln.strip() and not ln.startswith("#")]
    prefix = tmp / f"prefix-{k}.ndjson"
    prefix.write_text("\n".join(f for f in frames if json.loads(f).get("s") is None or json.loads(f)["s"] <= k))
    cache, _ = snowcache.cache_from_fixture(str(prefix), directory=str(tmp / f"prefix-{k}"))
    cache.close()
    return digest(tmp / f"prefix-{k}")


def dispatches(stream: pathlib.Path) -> int:
    return sum(1 for ln in stream.read_text().splitlines() if ln.strip() and not ln.startswith("#"))


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> typing.Tuple[Run, str]:
    path = tmp_path_factory.mktemp("reference") / "cache"
    run = bot(path, STREAM)
    assert run.all("IDENTIFY") == [[]] and not run.all("RESUME")
    assert run.done["fresh"] == dispatches(STREAM) and run.done["duplicate"] == 0 and run.done["rejected"] == 0
    return run, digest(path)


def check_resumed(first: Run, second: Run, k: int, reference: typing.Tuple[Run, str], tmp: pathlib.Path, path: pathlib.Path) -> None:
    ref_run, ref_digest = reference
    assert second.field("WARM") == [state_after(tmp, STREAM, k), str(k)], "the restarted bot is not warm at s=k"
    assert second.all("RESUME") == [[SESSION, str(k)]] and not second.all("IDENTIFY")
    assert second.field("CONNECT")[0].startswith(RESUME_URL + "?")
    # every dispatch after k, and RESUMED, applied once; the listeners of both runs got every event once
    assert second.done["fresh"] == dispatches(STREAM) - k + 1
    assert second.done["duplicate"] == 0 and second.done["rejected"] == 0
    # hikari's GUILD_CREATE / GUILD_UPDATE consumers call shard.get_user_id(), which refuses before the
    # handshake ends; Discord replays missed events before RESUMED, so hikari cannot make those events
    # (with its own cache as well: a hikari limitation). snowcache applied them: the state checks below.
    lost = second.all("ERROR")
    assert all("ComponentStateConflictError" in " ".join(e) for e in lost), lost
    assert first.done["events"] + second.done["events"] + len(lost) == ref_run.done["events"]
    assert digest(path) == ref_digest, "the state after the restart differs from the uninterrupted run's"


def test_clean_restart_resumes(tmp_path: pathlib.Path, reference: typing.Tuple[Run, str]) -> None:
    path = tmp_path / "cache"
    first = bot(path, STREAM, "--stop-after", "12")
    assert first.done["fresh"] == 12 and first.all("IDENTIFY") == [[]]
    second = bot(path, STREAM)
    check_resumed(first, second, 12, reference, tmp_path, path)


def test_sigkill_mid_stream_resumes(tmp_path: pathlib.Path, reference: typing.Tuple[Run, str]) -> None:
    path = tmp_path / "cache"
    proc = start_bot(path, STREAM, "--pause-after", "15")
    lines = wait_for(proc, "PAUSED")
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    first = Run(lines + ["DONE 15 0 0 0 " + str(_events_up_to(15))])
    second = bot(path, STREAM)
    check_resumed(first, second, 15, reference, tmp_path, path)


def _events_up_to(k: int) -> int:
    """Events the reference listener got for dispatches 1..k (READY makes a shard event only)."""
    return k - 1


def test_sigkill_while_events_flow(tmp_path: pathlib.Path) -> None:
    """Killed at an arbitrary moment of a long stream: the next run is warm at the stored sequence S,
    RESUMEs at S, applies exactly the dispatches after S, and ends in the uninterrupted run's state."""
    head = [ln for ln in STREAM.read_text().splitlines() if ln.strip() and not ln.startswith("#")][:2]
    frames = [json.loads(ln) for ln in head]  # READY, GUILD_CREATE of Snowcache Lab
    guild, channel, alice = "854291645464707072", "854291653853315072", "576321040205086720"
    for i in range(12000):
        s = len(frames) + 1
        if i % 2:
            d = {"user": {"id": alice}, "guild_id": guild, "status": ["online", "idle", "dnd"][i % 3],
                 "activities": [], "client_status": {"desktop": "online"}}
            frames.append({"op": 0, "t": "PRESENCE_UPDATE", "s": s, "d": d})
        else:
            d = {"id": str(1100000000000000000 + i), "channel_id": channel, "guild_id": guild,
                 "author": {"id": alice, "username": "alice", "discriminator": "0", "avatar": None, "global_name": None}, "content": f"message {i}",
                 "timestamp": "2023-02-01T10:00:00.000000+00:00", "edited_timestamp": None, "tts": False,
                 "mention_everyone": False, "mentions": [], "mention_roles": [], "attachments": [], "embeds": [],
                 "pinned": False, "type": 0}
            frames.append({"op": 0, "t": "MESSAGE_CREATE", "s": s, "d": d})
    stream = tmp_path / "long.ndjson"
    stream.write_text("\n".join(json.dumps(f) for f in frames))
    n = len(frames)

    ref = tmp_path / "reference"
    ref_run = bot(ref, stream)
    assert ref_run.done["fresh"] == n

    path = tmp_path / "cache"
    proc = start_bot(path, stream)
    wait_for(proc, "STARTED")
    time.sleep(0.2)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    with snowcache.Cache.open(str(path)) as cache:
        stored = cache.session(0).sequence
    assert stored is not None and 2 <= stored <= n
    second = bot(path, stream)
    assert second.field("WARM")[1] == str(stored)
    assert second.all("RESUME") == [[SESSION, str(stored)]]
    assert second.done["fresh"] == n - stored + 1 and second.done["duplicate"] == 0
    assert digest(path) == digest(ref), f"killed at s={stored} of {n}: the state after the restart differs"
    if stored == n:
        pytest.skip(f"the kill came after the last of {n} dispatches: the restart was checked, not mid-stream")


def test_refused_resume_identifies_and_reconciles(tmp_path: pathlib.Path) -> None:
    """INVALID_SESSION for the stored session: the shard IDENTIFYs, and the new READY's guild list is
    the truth (R6): the guild it no longer lists is removed with everything in it."""
    path = tmp_path / "cache"
    bot(path, STREAM, "--stop-after", "12")
    ready = json.loads(next(ln for ln in STREAM.read_text().splitlines() if '"READY"' in ln))
    ready["d"]["session_id"] = "a-new-session"
    ready["d"]["guilds"] = []
    new_stream = tmp_path / "new-session.ndjson"
    new_stream.write_text(json.dumps(ready))
    second = bot(path, STREAM, "--refuse-resume", "--reidentify", str(new_stream))
    assert second.all("RESUME") == [[SESSION, "12"]] and second.all("IDENTIFY") == [[]]
    with snowcache.Cache.open(str(path)) as cache:
        assert cache.session(0).session_id == "a-new-session" and cache.session(0).sequence == 1
        assert len(cache.get_guilds_view()) == 0 and len(cache.get_members_view()) == 0
        assert len(cache.get_guild_channels_view()) == 0 and len(cache.get_messages_view()) == 0
