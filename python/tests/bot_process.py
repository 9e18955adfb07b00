"""A hikari bot with a persistent cache, in its own process, on an offline gateway (harness.py).

    bot_process.py CACHE_DIR STREAM [--pause-after S] [--stop-after S] [--refuse-resume] [--reidentify STREAM2]

Prints, one line each, flushed:
    WARM <sha256 of the cache's dump> <sequence>   before connecting: what the cache holds
    STARTED                                         the shard is connected (READY or RESUMED handled)
    CONNECT <url>                                   each gateway connection
    IDENTIFY | RESUME <session id> <seq>            what the shard sent after HELLO
    PAUSED <s>                                      --pause-after: every frame up to s handled; then it
                                                    waits to be killed
    DONE <applied> <ignored> <duplicate> <rejected> <events>   the outcomes of this run's dispatches and
                                                    how many events its listener got; then it closes
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import conftest  # noqa: E402,F401 - puts hikari on sys.path
import hikari  # noqa: E402

import snowcache  # noqa: E402
import snowcache.hikari  # noqa: E402
from harness import TOKEN  # noqa: E402
from harness import FakeGateway  # noqa: E402
from harness import load_frames  # noqa: E402


class _Patch:
    @staticmethod
    def setattr(obj: object, name: str, value: object) -> None:
        setattr(obj, name, value)


# Events that are not made from a cache-affecting dispatch: the shard's own (payload, connected, ready,
# resumed) and the bot's lifetime.
_NOT_DISPATCHES = ("hikari.events.shard_events", "hikari.events.lifetime_events")


def say(*parts: object) -> None:
    print(*parts, flush=True)


def dump_digest(cache: snowcache.hikari.PersistentCache) -> str:
    return hashlib.sha256("\n".join(cache.store.dump()).encode()).hexdigest()


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("cache")
    parser.add_argument("stream")
    parser.add_argument("--pause-after", type=int)
    parser.add_argument("--stop-after", type=int)
    parser.add_argument("--refuse-resume", action="store_true")
    parser.add_argument("--reidentify")
    args = parser.parse_args()

    gateway = FakeGateway(
        load_frames(args.stream),
        pause_after=args.pause_after if args.pause_after is not None else args.stop_after,
        refuse_resume=args.refuse_resume,
        reidentify_frames=load_frames(args.reidentify) if args.reidentify else None,
    )
    gateway.install(_Patch())
    bot = hikari.GatewayBot(TOKEN, banner=None, logs="CRITICAL", suppress_optimization_warning=True)
    cache = snowcache.hikari.attach(bot, args.cache)
    session = cache.store.session(0)
    say("WARM", dump_digest(cache), session.sequence if session else None)

    events = []

    def report_error(loop: asyncio.AbstractEventLoop, context: dict) -> None:  # hikari's consumers' errors
        say("ERROR", context.get("message"), repr(context.get("exception")))
        print(context, file=sys.stderr, flush=True)

    asyncio.get_running_loop().set_exception_handler(report_error)

    @bot.listen(hikari.Event)
    async def record(event: hikari.Event) -> None:
        events.append(event)

    await bot.start(check_for_updates=False)
    say("STARTED")
    await gateway.drained()
    for url in gateway.urls:
        say("CONNECT", url)
    for _ in gateway.identifies:
        say("IDENTIFY")
    for resume in gateway.resumes:
        say("RESUME", resume["session_id"], resume["seq"])
    if args.pause_after is not None:
        say("PAUSED", args.pause_after)
        await asyncio.Event().wait()  # until SIGKILL
    counts = cache.ingest_counts
    say(
        "DONE",
        counts[snowcache.Outcome.APPLIED],
        counts[snowcache.Outcome.IGNORED],
        counts[snowcache.Outcome.DUPLICATE],
        counts[snowcache.Outcome.REJECTED],
        len([e for e in events if type(e).__module__ not in _NOT_DISPATCHES]),
    )
    await bot.close()


if __name__ == "__main__":
    asyncio.run(main())
