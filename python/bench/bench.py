"""snowcache.hikari beside hikari's own CacheImpl, in one run: ingest, gets, views, memory.

    python/bench/bench.py            # 110,000 members (100 guilds x 100 + one of 100,000), 20,000 steady events
    python/bench/bench.py --quick    # 22,000 members, 5,000 steady events (what CI runs)
    python/bench/bench.py --full     # 1,000,000 members (100 x 1,000 + 9 x 100,000): RSS at 1M
    python/bench/bench.py --json     # the figures as JSON on stdout

Run it with the Python the package is built for (/usr/bin/python3 on Debian), with the package and hikari
importable: PYTHONPATH=python:build/python:../shared/vendor/hikari (or an installed package and hikari).

Each cache runs in its own process (``--worker``), so each RSS is that cache's own: a real
``hikari.GatewayBot`` (plain, or with ``snowcache.hikari.attach``) reads the generated stream
(streamgen.py, written to a file once and read line by line) from the offline gateway of
python/tests/harness.py through hikari's own shard code, with no listeners (a cache-only bot; --listen adds
a MESSAGE_CREATE listener). Measured:

- ingest: the flood (READY, GUILD_CREATEs, member chunks) and the steady mix, events/s through the bot;
- gets: get_member over 100,000 uniform random members, twice (snowcache's second pass is answered by its
  object cache), and over a hot set of 1,000; get_guild_channel over every channel;
- the same bot with no cache at all (CacheComponents.NONE: the cost of hikari's shard, JSON decoding and
  dispatch, which both caches pay), and snowcache's Gateway alone on the same frames (no bot);
- a view: iterating the largest guild's member view (values()), first pass and second;
- RSS: the process's resident memory after the stream, minus its own before the bot existed;
- snowcache only: what one member costs to read as a dict (the binding's FlatBuffers walk), as
  entity_json + json.loads, as a hikari Member built by hikari's entity factory, and from the object cache.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import pathlib
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
import typing

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "tests"))

import streamgen  # noqa: E402

PRESETS = {
    "quick": streamgen.Shape(small_guilds=20, members_per_small_guild=100, large_guilds=1,
                             members_per_large_guild=20_000, steady_events=5_000),
    "default": streamgen.Shape(),
    "full": streamgen.Shape(small_guilds=100, members_per_small_guild=1_000, large_guilds=9,
                            members_per_large_guild=100_000, steady_events=50_000),
}


def rss_bytes() -> int:
    with open("/proc/self/status", encoding="ascii") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    return 0


# ---- the worker ------------------------------------------------------------------------------------------------


def _feeding_gateway() -> typing.Any:  # noqa: ANN401
    import harness

    class FileGateway(harness.FakeGateway):
        """The harness's gateway, fed from an NDJSON file a line at a time (memory stays flat), up to a
        sequence limit that release() lifts."""

        def __init__(self, path: str, limit: int) -> None:
            super().__init__([])
            self.path = path
            self.limit = limit
            self.go = asyncio.Event()
            self.done = asyncio.Event()
            self.paused = asyncio.Event()
            self._task: typing.Optional[asyncio.Task[None]] = None

        def _on_client(self, transport: typing.Any, payload: typing.Dict[str, typing.Any]) -> None:  # noqa: ANN401
            if payload.get("op") == 2:
                self.identifies.append(payload["d"])
                transport.queue = _bounded(transport.queue)
                self._task = asyncio.get_running_loop().create_task(self._feed_file(transport))
            elif payload.get("op") == 1:
                transport.queue.put_nowait(b'{"op":11}')

        async def _feed_file(self, transport: typing.Any) -> None:  # noqa: ANN401
            with open(self.path, "rb") as f:
                for line in f:
                    s = int(re.search(rb'"s":(\d+)', line).group(1))  # type: ignore[union-attr]
                    if s > self.limit:
                        self.paused.set()
                        await self.go.wait()
                        self.paused.clear()
                    await transport.queue.put(line.rstrip(b"\n"))
            self.done.set()

        def release(self) -> None:
            self.limit = 1 << 62
            self.go.set()

        async def settled(self) -> None:
            while not ((self.paused.is_set() or self.done.is_set()) and self._idle.is_set()):
                await asyncio.sleep(0.005)
            await self.drained()

    return FileGateway


def _bounded(queue: asyncio.Queue) -> asyncio.Queue:  # type: ignore[type-arg]
    # a few frames in flight, as a socket's buffer holds: the stream never sits in memory (a flood's
    # member chunks are ~0.5 MB each, and freed memory is not given back to the system)
    bounded: asyncio.Queue[bytes] = asyncio.Queue(maxsize=4)
    while not queue.empty():
        bounded.put_nowait(queue.get_nowait())
    return bounded


class _Patch:
    @staticmethod
    def setattr(obj: object, name: str, value: object) -> None:
        setattr(obj, name, value)


def _rate(n: int, seconds: float) -> float:
    return n / seconds if seconds > 0 else float("inf")


def _time(fn: typing.Callable[[], typing.Any]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def gateway_alone(stream_path: str, meta: typing.Dict[str, typing.Any]) -> typing.Dict[str, typing.Any]:
    """snowcache's Gateway on its own: the frames of the file, ingested in a loop (no hikari, no bot)."""
    import snowcache

    out: typing.Dict[str, typing.Any] = {"kind": "gateway"}
    cache_dir = tempfile.mkdtemp(prefix="snowcache-pybench-")
    try:
        with snowcache.open(os.path.join(cache_dir, "cache")) as cache, open(stream_path, "rb") as f:
            gateway = snowcache.Gateway(cache)
            frames = [line.rstrip(b"\n") for line in f]
            flood, steady = frames[: meta["flood_events"]], frames[meta["flood_events"] :]
            out["flood_events_per_s"] = _rate(len(flood), _time(lambda: [gateway.ingest_frame(0, x) for x in flood]))
            out["flood_members_per_s"] = out["flood_events_per_s"] * meta["members"] / len(flood)
            out["steady_events_per_s"] = _rate(len(steady), _time(lambda: [gateway.ingest_frame(0, x) for x in steady]))
    finally:
        shutil.rmtree(cache_dir, ignore_errors=True)
    return out


async def worker(kind: str, stream_path: str, meta: typing.Dict[str, typing.Any], listen: bool) -> typing.Dict[str, typing.Any]:  # noqa: C901, PLR0915
    import hikari

    import harness

    out: typing.Dict[str, typing.Any] = {"kind": kind}
    gc.collect()
    base_rss = rss_bytes()
    gateway = _feeding_gateway()(stream_path, meta["flood_last_s"])
    gateway.install(_Patch())
    settings = hikari.impl.CacheSettings(components=hikari.api.CacheComponents.NONE) if kind == "floor" else None
    bot = hikari.GatewayBot(
        harness.TOKEN, banner=None, logs="CRITICAL", suppress_optimization_warning=True, cache_settings=settings
    )
    cache_dir = None
    if kind == "snowcache":
        import snowcache.hikari

        cache_dir = tempfile.mkdtemp(prefix="snowcache-pybench-")
        snowcache.hikari.attach(bot, os.path.join(cache_dir, "cache"))
    if listen:

        @bot.listen(hikari.GuildMessageCreateEvent)
        async def on_message(event: hikari.GuildMessageCreateEvent) -> None:
            pass

    t0 = time.perf_counter()
    await bot.start(check_for_updates=False)
    await gateway.settled()
    t1 = time.perf_counter()
    out["flood_events_per_s"] = _rate(meta["flood_events"], t1 - t0)
    out["flood_members_per_s"] = _rate(meta["members"], t1 - t0)
    gateway.release()
    t2 = time.perf_counter()
    await gateway.settled()
    t3 = time.perf_counter()
    out["steady_events_per_s"] = _rate(meta["steady_events"], t3 - t2)
    gc.collect()
    out["rss_bytes"] = rss_bytes() - base_rss
    out["rss_total_bytes"] = rss_bytes()
    cache = bot.cache
    if kind == "floor":
        await bot.close()
        return out

    rng = random.Random(7)
    keys = [tuple(k) for k in meta["member_keys"]]
    uniform = [keys[rng.randrange(len(keys))] for _ in range(100_000)]
    hot = [keys[rng.randrange(len(keys))] for _ in range(1000)] * 100
    channels = (meta["channel_ids"] * (100_000 // len(meta["channel_ids"]) + 1))[:100_000]
    get_member, get_channel = cache.get_member, cache.get_guild_channel
    missing = sum(1 for g, u in uniform[:1000] if get_member(g, u) is None)
    out["get_member_missing_of_1000"] = missing

    def members(sample: typing.List[typing.Tuple[int, int]]) -> None:
        for g, u in sample:
            get_member(g, u)

    def channel_gets() -> None:
        for c in channels:
            get_channel(c)

    if kind == "snowcache":
        cache.invalidate()  # the first pass reads from the store
    rounds = meta.get("rounds", 1)

    def best(fn: typing.Callable[[], typing.Any], n: int, *, fresh: bool = False) -> float:
        """The best of `rounds` timings of fn (each after dropping snowcache's objects when `fresh`)."""
        times = []
        for _ in range(rounds):
            if fresh and kind == "snowcache":
                cache.invalidate()
            times.append(_time(fn))
        return _rate(n, min(times))

    out["get_member_uniform_first_ops"] = best(lambda: members(uniform), len(uniform), fresh=True)
    out["get_member_uniform_second_ops"] = best(lambda: members(uniform), len(uniform))
    out["get_member_hot_ops"] = best(lambda: members(hot), len(hot))
    out["get_guild_channel_ops"] = best(channel_gets, len(channels), fresh=True)

    # A live bot reads between events: one PRESENCE_UPDATE (applied through the event manager, as the
    # shard would hand it over) before every 10 gets of the hot set; only the gets are timed.
    shard = next(iter(bot.shards.values()))
    manager = bot.event_manager
    loads = bot._loads  # noqa: SLF001 - the decoder the bot gives its shards (snowcache's keeps the frame)
    hot_keys = hot[:1000]
    first_s = meta["flood_last_s"] + meta["steady_events"] + 1
    frames = [
        json.dumps({"op": 0, "t": "PRESENCE_UPDATE", "s": first_s + i, "d": {
            "user": {"id": str(u)}, "guild_id": str(g), "status": "idle", "activities": [],
            "client_status": {"desktop": "idle"}}}).encode()
        for i, (g, u) in enumerate(keys[rng.randrange(len(keys))] for _ in range(1000))
    ]
    spent = 0.0
    for i, frame in enumerate(frames):
        decoded = loads(frame)  # as the shard: decode, then hand the dispatch over
        shard._seq = decoded["s"]  # noqa: SLF001
        manager.consume_raw_event("PRESENCE_UPDATE", shard, decoded["d"])
        t = time.perf_counter()
        for g, u in hot_keys[(i * 10) % 1000 : (i * 10) % 1000 + 10]:
            get_member(g, u)
        spent += time.perf_counter() - t
    out["get_member_hot_between_events_ops"] = _rate(10 * len(frames), spent)

    view = cache.get_members_view_for_guild(meta["largest_guild"])
    size = len(view)
    out["view_entries"] = size

    def iterate() -> None:
        n = 0
        for _ in view.values():
            n += 1
        assert n == size

    out["view_first_per_s"] = _rate(size, _time(iterate))
    out["view_second_per_s"] = best(iterate, size)

    if kind == "snowcache":
        store = cache.store
        sample = uniform[:20_000]
        decoder = cache._decode  # noqa: SLF001 - the entity-factory path on its own
        dicts = [store.get_member(g, u) for g, u in sample]
        out["member_as_dict_us"] = _time(lambda: [store.get_member(g, u) for g, u in sample]) / len(sample) * 1e6
        out["member_as_entity_json_us"] = (
            _time(lambda: [json.loads(store.entity_json("member", (g, u))) for g, u in sample]) / len(sample) * 1e6
        )
        out["member_dict_to_hikari_us"] = _time(lambda: [decoder.member(d) for d in dicts]) / len(sample) * 1e6
        cache.invalidate()
        out["get_member_cold_us"] = _time(lambda: members(sample)) / len(sample) * 1e6
        out["get_member_warm_us"] = _time(lambda: members(sample)) / len(sample) * 1e6
        out["frames_reencoded"] = cache._frames.reencoded  # noqa: SLF001
        out["ingest_counts"] = {k.value: v for k, v in cache.ingest_counts.items()}
        out["disk_bytes"] = sum(p.stat().st_size for p in pathlib.Path(cache_dir, "cache").iterdir())  # type: ignore[arg-type]
    await bot.close()
    if kind == "snowcache":
        cache.close()
        shutil.rmtree(cache_dir, ignore_errors=True)  # type: ignore[arg-type]
    return out


# ---- the parent ------------------------------------------------------------------------------------------------

ROWS = [
    ("flood ingest, events/s", "flood_events_per_s", ">= 3 x"),
    ("flood ingest, members/s", "flood_members_per_s", ""),
    ("steady mix, events/s", "steady_events_per_s", ">= 3 x"),
    ("get_member uniform, first pass, ops/s", "get_member_uniform_first_ops", ">= 0.5 x"),
    ("get_member uniform, second pass, ops/s", "get_member_uniform_second_ops", ">= 0.5 x"),
    ("get_member hot 1,000, ops/s", "get_member_hot_ops", ">= 0.5 x"),
    ("get_member hot 1,000, an event every 10 gets, ops/s", "get_member_hot_between_events_ops", ">= 0.5 x"),
    ("get_guild_channel, ops/s", "get_guild_channel_ops", ">= 0.5 x"),
    ("member view iteration, first, entries/s", "view_first_per_s", ""),
    ("member view iteration, second, entries/s", "view_second_per_s", ""),
    ("RSS of the cache, MiB", "rss_bytes", "<= 1/5"),
]


def _fmt(value: float, key: str) -> str:
    if key == "rss_bytes":
        return f"{value / 2**20:,.1f}"
    return f"{value:,.0f}"


def _judge(ratio: float, target: str) -> str:
    if not target:
        return ""
    if target.startswith(">="):
        return "met" if ratio >= float(target.split()[1]) else "missed"
    return "met" if ratio <= 0.2 else "missed"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    size = parser.add_mutually_exclusive_group()
    size.add_argument("--quick", action="store_true", help="22,000 members (CI)")
    size.add_argument("--full", action="store_true", help="1,000,000 members")
    parser.add_argument("--listen", action="store_true", help="a MESSAGE_CREATE listener in both bots")
    parser.add_argument("--json", action="store_true", help="the figures as JSON on stdout")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--rounds", type=int, default=2, help="gets and views: the best of this many passes")
    parser.add_argument("--worker", choices=["hikari", "snowcache", "floor", "gateway"], help=argparse.SUPPRESS)
    parser.add_argument("--stream", help=argparse.SUPPRESS)
    parser.add_argument("--meta", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.worker:
        with open(args.meta, encoding="utf-8") as f:
            meta = json.load(f)
        if args.worker == "gateway":
            result = gateway_alone(args.stream, meta)
        else:
            result = asyncio.run(worker(args.worker, args.stream, meta, args.listen))
        print(json.dumps(result))
        return 0

    shape = PRESETS["quick" if args.quick else "full" if args.full else "default"]
    shape.seed = args.seed
    work = tempfile.mkdtemp(prefix="snowcache-pybench-")
    try:
        t = time.perf_counter()
        stream = streamgen.generate(shape)
        stream_path = os.path.join(work, "stream.ndjson")
        with open(stream_path, "w", encoding="utf-8") as f:
            for frame in stream.flood + stream.steady:
                f.write(json.dumps(frame, separators=(",", ":")))
                f.write("\n")
        meta = {
            "flood_events": len(stream.flood),
            "flood_last_s": stream.flood[-1]["s"],
            "steady_events": len(stream.steady),
            "members": stream.members,
            "member_keys": stream.member_keys,
            "channel_ids": stream.channel_ids,
            "largest_guild": stream.largest_guild,
            "rounds": args.rounds,
        }
        meta_path = os.path.join(work, "meta.json")
        with open(meta_path, "w", encoding="utf-8") as f:
            json.dump(meta, f)
        del stream
        generated = time.perf_counter() - t
        results = {}
        for kind in ("hikari", "snowcache", "floor", "gateway"):
            cmd = [sys.executable, __file__, "--worker", kind, "--stream", stream_path, "--meta", meta_path]
            if args.listen:
                cmd.append("--listen")
            proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
            if proc.returncode != 0:
                print(proc.stdout, proc.stderr, file=sys.stderr)
                return 1
            results[kind] = json.loads(proc.stdout.strip().splitlines()[-1])
    finally:
        shutil.rmtree(work, ignore_errors=True)

    report = {
        "members": meta["members"],
        "flood_events": meta["flood_events"],
        "steady_events": meta["steady_events"],
        "listen": args.listen,
        "stream_generation_s": generated,
        "load": os.getloadavg(),
        "results": results,
    }
    if args.json:
        print(json.dumps(report, indent=2))
        return 0
    h, s = results["hikari"], results["snowcache"]
    print(f"{meta['members']:,} members; flood {meta['flood_events']:,} events, steady {meta['steady_events']:,} "
          f"events; listeners: {'MESSAGE_CREATE' if args.listen else 'none'}; load {os.getloadavg()[0]:.2f}")
    print(f"| figure | snowcache | hikari CacheImpl | ratio | target | |")
    print("| --- | --- | --- | --- | --- | --- |")
    for label, key, target in ROWS:
        ratio = s[key] / h[key] if h[key] else float("inf")
        print(f"| {label} | {_fmt(s[key], key)} | {_fmt(h[key], key)} | {ratio:.2f} | {target} | {_judge(ratio, target)} |")
    f, g = results["floor"], results["gateway"]
    print()
    print("Ingest, what it is made of (events/s; µs per event in brackets):")
    for label, key in (("flood", "flood_events_per_s"), ("steady", "steady_events_per_s")):
        floor_us = 1e6 / f[key]
        above = {k: 1e6 / results[k][key] - floor_us for k in ("hikari", "snowcache")}
        print(f"- {label}: a bot with no cache (hikari's shard, JSON, dispatch) {f[key]:,.0f} ({floor_us:.1f}); "
              f"snowcache's Gateway alone, no bot {g[key]:,.0f} ({1e6 / g[key]:.1f}); above the no-cache bot: "
              f"hikari {above['hikari']:.1f} µs, snowcache {above['snowcache']:.1f} µs "
              f"(ratio {above['hikari'] / above['snowcache'] if above['snowcache'] > 0 else float('inf'):.2f})")
    print()
    print(f"snowcache, one member: as a dict {s['member_as_dict_us']:.2f} us, as entity_json + json.loads "
          f"{s['member_as_entity_json_us']:.2f} us, dict -> hikari Member (entity factory) "
          f"{s['member_dict_to_hikari_us']:.2f} us; get_member cold {s['get_member_cold_us']:.2f} us, "
          f"warm (object cache) {s['get_member_warm_us']:.2f} us")
    print(f"snowcache: {s['disk_bytes'] / 2**20:,.1f} MiB on disk; frames re-encoded: {s['frames_reencoded']}; "
          f"outcomes {s['ingest_counts']}; RSS totals: snowcache {s['rss_total_bytes'] / 2**20:,.0f} MiB, "
          f"hikari {h['rss_total_bytes'] / 2**20:,.0f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
