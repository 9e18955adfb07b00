"""An offline Discord gateway for hikari's real GatewayBot: recorded frames in, what the shard sent out.

``FakeGateway(frames)`` stands in for Discord. ``install()`` makes every hikari shard connect to it
(hikari's ``_GatewayTransport.connect`` returns a transport reading from it, so hikari's shard code —
HELLO, IDENTIFY/RESUME, heartbeats, dispatch, its JSON decoding — all runs) and answers
``GET /gateway/bot`` for ``bot.start()``. The gateway plays the recorded session:

- IDENTIFY: the recorded READY and the frames after it (up to ``pause_after``, if set);
- RESUME with a recorded session id: the frames after the client's sequence, then RESUMED;
- RESUME of an unknown session, or when ``refuse_resume`` is set: INVALID_SESSION (d=false), and
  the client's next IDENTIFY gets ``reidentify_frames`` (a new session) if given.

It records each connection's URL and every payload the shard sent (``identifies``, ``resumes``).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import typing

from hikari.impl import rest as rest_impl
from hikari.impl import shard as shard_impl

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

    def __init__(self, gateway: "FakeGateway", **kwargs: typing.Any) -> None:
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


class FakeGateway:
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

    # -- hikari's side --------------------------------------------------------------------------------------

    def install(self, monkeypatch: typing.Any) -> None:  # noqa: ANN401 - pytest's MonkeyPatch
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

        monkeypatch.setattr(shard_impl._GatewayTransport, "connect", classmethod(connect))  # noqa: SLF001
        monkeypatch.setattr(rest_impl.RESTClientImpl, "fetch_gateway_bot_info", fetch_gateway_bot_info)

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


# ---- running a bot against a FakeGateway ------------------------------------------------------------------

TOKEN = "ODE1OTE2Mjc5OTE0NDMwNDY0.fake.token"  # the token of user 815916279914430464 (snowbot in the fixtures)


class BotRun:
    """A GatewayBot that ran a recorded stream: its cache, the events its listeners got, and the
    exceptions hikari's consumers raised (hikari logs and drops an event whose payload it cannot read)."""

    def __init__(self, bot: typing.Any, gateway: FakeGateway) -> None:  # noqa: ANN401
        self.bot = bot
        self.gateway = gateway
        self.events: typing.List[typing.Any] = []
        self.consumer_errors: typing.List[typing.Tuple[str, BaseException]] = []

    @property
    def cache(self) -> typing.Any:  # noqa: ANN401
        return self.bot.cache


async def run_bot(
    monkeypatch: typing.Any,  # noqa: ANN401
    frames: typing.Sequence[typing.Dict[str, typing.Any]],
    *,
    cache_path: typing.Optional[str] = None,
    listen: bool = False,
    token: str = TOKEN,
    **gateway_options: typing.Any,  # noqa: ANN401
) -> BotRun:
    """Starts a GatewayBot (persistent when `cache_path` is given) on a FakeGateway playing `frames` and
    returns once every frame was handled. The caller closes ``run.bot``."""
    import hikari  # noqa: PLC0415 - the tests import hikari only once conftest found it

    gateway = FakeGateway(frames, **gateway_options)
    gateway.install(monkeypatch)
    bot = hikari.GatewayBot(token, banner=None, logs="CRITICAL", suppress_optimization_warning=True)
    if cache_path is not None:
        import snowcache.hikari  # noqa: PLC0415

        snowcache.hikari.attach(bot, cache_path)
    run = BotRun(bot, gateway)
    if listen:

        @bot.listen(hikari.Event)
        async def record(event: hikari.Event) -> None:
            run.events.append(event)

    loop = asyncio.get_running_loop()

    def on_error(_: asyncio.AbstractEventLoop, context: typing.Dict[str, typing.Any]) -> None:
        exc = context.get("exception")
        payload = context.get("payload")
        label = payload.get("id", "") if isinstance(payload, dict) else ""
        run.consumer_errors.append((f"{context.get('message')} {label}", exc))

    loop.set_exception_handler(on_error)
    await bot.start(check_for_updates=False)
    await gateway.drained()
    return run
