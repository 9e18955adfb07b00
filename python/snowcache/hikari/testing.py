"""Recorded gateway streams for hikari bots, offline: test a bot (and its cache) without Discord.

``RecordedGateway(frames)`` stands in for Discord's gateway. Installed, it makes every hikari shard of
the process connect to it — hikari's own shard code runs (HELLO, IDENTIFY or RESUME, heartbeats,
dispatch, JSON decoding) — and answers ``GET /gateway/bot`` for ``bot.start()``. It plays the recorded
session:

- IDENTIFY: the recorded READY and the frames after it (up to ``pause_after``, if set);
- RESUME with a recorded session id: the frames after the client's sequence, then RESUMED;
- RESUME of an unknown session, or when ``refuse_resume`` is set: INVALID_SESSION (d=false), and
  the client's next IDENTIFY gets ``reidentify_frames`` (a new session) if given.

It records each connection's URL and what the shard sent (``identifies``, ``resumes``, ``sent``)::

    frames = snowcache.hikari.testing.load_frames("tests/fixtures/guild_life.ndjson")
    with snowcache.hikari.testing.RecordedGateway(frames) as gateway:
        await bot.start()
        await gateway.drained()          # every frame handled

It replaces hikari internals (``hikari.impl.shard._GatewayTransport.connect``, the REST client's
``fetch_gateway_bot_info``): for tests and offline runs only, never in a bot that talks to Discord.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import typing

from hikari.impl import rest as rest_impl
from hikari.impl import shard as shard_impl

__all__ = ["RecordedGateway", "load_frames"]

HELLO = {"op": 10, "d": {"heartbeat_interval": 45000}}


def load_frames(path: str) -> typing.List[typing.Dict[str, typing.Any]]:
    """The dispatch frames of an NDJSON stream (blank and '#' lines skipped)."""
    frames = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if line and not line.startswith("#"):
                frame = json.loads(line)
                if frame.get("op") == 0:
                    frames.append(frame)
    return frames


class _WS:
    def __init__(self, transport: "_Transport") -> None:
        self._transport = transport

    async def send_bytes(self, data: bytes) -> None:
        self._transport.gateway._on_client(self._transport, json.loads(data))

    async def close(self, *, code: int, message: bytes) -> None:
        self._transport.closed = True

    def exception(self) -> None:
        return None


class _Transport(shard_impl._GatewayTransport):  # noqa: SLF001 - the test double of hikari's transport
    __slots__ = ("closed", "gateway", "queue")

    def __init__(self, gateway: "RecordedGateway", **kwargs: typing.Any) -> None:
        super().__init__(ws=_WS(self), exit_stack=contextlib.AsyncExitStack(), **kwargs)  # type: ignore[arg-type]
        self.gateway = gateway
        self.queue: asyncio.Queue[bytes] = asyncio.Queue()
        self.closed = False

    def push(self, frame: typing.Dict[str, typing.Any]) -> None:
        self.queue.put_nowait(json.dumps(frame, separators=(",", ":")).encode())

    async def _receive_and_check(self) -> bytes:
        if self.queue.empty():
            self.gateway._idle.set()
        else:
            await asyncio.sleep(0)  # as a socket would, let other tasks run between frames
        data = await self.queue.get()
        self.gateway._idle.clear()
        return data


class RecordedGateway:
    def __init__(
        self,
        frames: typing.Sequence[typing.Dict[str, typing.Any]],
        *,
        pause_after: typing.Optional[int] = None,
        refuse_resume: bool = False,
        reidentify_frames: typing.Optional[typing.Sequence[typing.Dict[str, typing.Any]]] = None,
        shard_count: int = 1,
    ) -> None:
        self.frames = list(frames)
        self.pause_after = pause_after
        self.refuse_resume = refuse_resume
        self.reidentify_frames = list(reidentify_frames) if reidentify_frames is not None else None
        self.shard_count = shard_count
        self.urls: typing.List[str] = []
        self.identifies: typing.List[typing.Dict[str, typing.Any]] = []
        self.resumes: typing.List[typing.Dict[str, typing.Any]] = []
        self.sent: typing.List[typing.Dict[str, typing.Any]] = []
        self._idle = asyncio.Event()
        self._transport: typing.Optional[_Transport] = None
        self._position = 0  # frames[:position] were sent
        self._invalidated = False
        self._undo: typing.List[typing.Tuple[typing.Any, str, typing.Any]] = []

    # -- hikari's side --------------------------------------------------------------------------------------

    def install(self, monkeypatch: typing.Any = None) -> "RecordedGateway":  # noqa: ANN401 - pytest's MonkeyPatch
        """Makes hikari's shards connect here (and ``GET /gateway/bot`` answer here), process-wide,
        until ``uninstall()`` — or, given pytest's ``monkeypatch``, until the test ends."""
        gateway = self

        async def connect(cls: type, **kwargs: typing.Any) -> _Transport:  # noqa: ANN401
            gateway.urls.append(kwargs["url"])
            kwargs.pop("url")
            kwargs.pop("http_settings")
            kwargs.pop("proxy_settings")
            kwargs.pop("compression")
            transport = _Transport(gateway, **kwargs)
            gateway._transport = transport
            transport.push(HELLO)
            return transport

        async def fetch_gateway_bot_info(rest: typing.Any) -> typing.Any:  # noqa: ANN401
            return rest._entity_factory.deserialize_gateway_bot_info(  # noqa: SLF001
                {
                    "url": "wss://gateway.invalid",
                    "shards": gateway.shard_count,
                    "session_start_limit": {"total": 1000, "remaining": 999, "reset_after": 0, "max_concurrency": 16},
                }
            )

        patches = [
            (shard_impl._GatewayTransport, "connect", classmethod(connect)),  # noqa: SLF001
            (rest_impl.RESTClientImpl, "fetch_gateway_bot_info", fetch_gateway_bot_info),
        ]
        for owner, name, value in patches:
            if monkeypatch is not None:
                monkeypatch.setattr(owner, name, value)
            else:
                self._undo.append((owner, name, owner.__dict__[name]))
                setattr(owner, name, value)
        return self

    def uninstall(self) -> None:
        """Undoes install() (when it patched without monkeypatch)."""
        for owner, name, value in reversed(self._undo):
            setattr(owner, name, value)
        self._undo.clear()

    def __enter__(self) -> "RecordedGateway":
        return self.install()

    def __exit__(self, *exc: object) -> None:
        self.uninstall()

    def _on_client(self, transport: _Transport, payload: typing.Dict[str, typing.Any]) -> None:
        self.sent.append(payload)
        op = payload.get("op")
        if op == 1:  # HEARTBEAT
            transport.push({"op": 11})
        elif op == 2:  # IDENTIFY
            self.identifies.append(payload["d"])
            if self._invalidated and self.reidentify_frames is not None:
                self.frames = list(self.reidentify_frames)
            self._position = 0
            self._feed(transport)
        elif op == 6:  # RESUME
            self.resumes.append(payload["d"])
            session_ids = {f["d"]["session_id"] for f in self.frames if f["t"] == "READY"}
            if self.refuse_resume or payload["d"]["session_id"] not in session_ids:
                self._invalidated = True
                transport.push({"op": 9, "d": False})
                return
            seq = payload["d"]["seq"]
            self._position = next((i for i, f in enumerate(self.frames) if f["s"] > seq), len(self.frames))
            self._feed(transport, resumed=True)

    def _feed(self, transport: _Transport, *, resumed: bool = False) -> None:
        last = self.frames[self._position - 1]["s"] if self._position else 0
        while self._position < len(self.frames):
            frame = self.frames[self._position]
            if self.pause_after is not None and frame["s"] > self.pause_after:
                break
            transport.push(frame)
            last = frame["s"]
            self._position += 1
        if resumed:
            transport.push({"op": 0, "t": "RESUMED", "s": last + 1, "d": {}})

    # -- the test's side ----------------------------------------------------------------------------------------

    def resume_feed(self) -> None:
        """Sends the frames held back by pause_after."""
        self.pause_after = None
        assert self._transport is not None
        self._feed(self._transport)

    async def drained(self, timeout: float = 30.0) -> None:
        """Returns once the shard has read every frame sent so far (and so handled each dispatch)."""
        for _ in range(3):  # the shard may still be between frames: settle
            await asyncio.wait_for(self._idle.wait(), timeout)
            await asyncio.sleep(0.01)
        for _ in range(5):  # listeners run as tasks
            await asyncio.sleep(0)
