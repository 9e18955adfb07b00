"""The tests' offline gateway (snowcache.hikari.testing.RecordedGateway) and a helper to run a bot on it."""

from __future__ import annotations

import asyncio
import typing

from snowcache.hikari.testing import RecordedGateway as FakeGateway
from snowcache.hikari.testing import load_frames

__all__ = ["TOKEN", "BotRun", "FakeGateway", "load_frames", "run_bot"]

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
