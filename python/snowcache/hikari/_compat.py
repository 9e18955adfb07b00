"""Everything snowcache.hikari touches that is not hikari's public API, in one place.

hikari has no public hook for a persistent cache: the cache a ``GatewayBot`` uses, the JSON decoder its
shards use, a shard's session (id, sequence, resume URL) and which event consumers run are private
attributes. Each access is one function here, so a hikari release that moves them breaks this file
only. Tested with hikari ``TESTED_HIKARI_VERSIONS`` (the vendored copy the tests run against); another
version gets a warning at attach time, not a refusal.
"""

from __future__ import annotations

import asyncio
import typing
import warnings

import hikari
from hikari.impl import shard as shard_impl

if typing.TYPE_CHECKING:
    from hikari.api import cache as cache_api

__all__ = [
    "TESTED_HIKARI_VERSIONS",
    "check_version",
    "consumer_enabled",
    "disable_consumer_caching",
    "install_cache",
    "install_loads",
    "adopt_event_manager",
    "adopt_bot_class",
    "restore_shard_session",
    "shard_sequence",
    "start_one_shard",
]

TESTED_HIKARI_VERSIONS: typing.Final[typing.Tuple[str, ...]] = ("2.6.1.dev0",)
"""hikari versions snowcache.hikari is tested with (hikari-py/hikari commit 0ac33859, 2026-08-22)."""


def check_version() -> None:
    """Warns once when hikari is not a version these functions were tested with."""
    if hikari.__version__ not in TESTED_HIKARI_VERSIONS:
        warnings.warn(
            f"snowcache.hikari is tested with hikari {', '.join(TESTED_HIKARI_VERSIONS)}; this is hikari "
            f"{hikari.__version__}. It relies on private hikari attributes (snowcache/hikari/_compat.py).",
            RuntimeWarning,
            stacklevel=3,
        )


def install_cache(bot: hikari.GatewayBot, cache: cache_api.MutableCache) -> None:
    """Makes the bot, its REST client and its event manager use `cache` (replacing hikari's CacheImpl)."""
    bot._cache = cache  # noqa: SLF001 - GatewayBot.__slots__: the cache it builds in __init__
    bot._rest._cache = cache  # noqa: SLF001 - RESTClientImpl keeps DM channel ids in it


def adopt_event_manager(bot: hikari.GatewayBot, cls: type, cache: cache_api.MutableCache) -> typing.Any:  # noqa: ANN401
    """Turns the bot's EventManagerImpl into `cls` (a subclass with no new slots) writing to `cache`.

    Listeners, waiters and consumers registered so far stay, since it is the same object.
    """
    manager = bot._event_manager  # noqa: SLF001
    manager.__class__ = cls
    manager._cache = cache  # noqa: SLF001 - EventManagerImpl.__slots__
    return manager


def adopt_bot_class(bot: hikari.GatewayBot, cls: type) -> None:
    """Turns `bot` into `cls`, a GatewayBot subclass with no slots of its own (GatewayBot has no
    __dict__, so its methods cannot be wrapped one instance at a time)."""
    bot.__class__ = cls


def install_loads(bot: hikari.GatewayBot, wrap: typing.Callable[[typing.Any], typing.Any]) -> None:
    """Wraps the JSON decoder the bot gives its shards (they decode every received frame with it)."""
    bot._loads = wrap(bot._loads)  # noqa: SLF001


def disable_consumer_caching(manager: typing.Any) -> None:  # noqa: ANN401 - EventManagerBase
    """Marks every raw-event consumer as not caching: snowcache's ingest keeps the cache, so hikari's
    consumers run only when a listener or waiter wants their events."""
    for consumer in manager._consumers.values():  # noqa: SLF001
        consumer.is_caching = False


def consumer_enabled(manager: typing.Any, event_name: str) -> typing.Optional[bool]:  # noqa: ANN401
    """Whether hikari's consumer of `event_name` will run; None when hikari has none (an unknown event)."""
    consumer = manager._consumers.get(event_name.lower())  # noqa: SLF001
    return None if consumer is None else consumer.is_enabled


def shard_sequence(shard: typing.Any) -> typing.Optional[int]:  # noqa: ANN401 - GatewayShardImpl
    """The sequence number of the dispatch the shard is handing over (set just before consume_raw_event)."""
    return getattr(shard, "_seq", None)


def restore_shard_session(
    shard: shard_impl.GatewayShardImpl, *, session_id: str, sequence: int, resume_url: str, user_id: int
) -> None:
    """Makes a shard that has not connected yet RESUME this session instead of IDENTIFYing.

    hikari RESUMEs when its ``_seq`` is set, with ``_session_id``, to ``_resume_gateway_url``; a
    refused RESUME (INVALID_SESSION) clears them and IDENTIFYs. ``_user_id`` is set by READY only, which
    a RESUME does not replay, so it is restored too (``shard.get_user_id()`` needs it).
    """
    shard._session_id = session_id  # noqa: SLF001
    shard._seq = sequence  # noqa: SLF001
    shard._resume_gateway_url = resume_url or None  # noqa: SLF001
    shard._user_id = hikari.Snowflake(user_id) if user_id else None  # noqa: SLF001


async def start_one_shard(
    bot: hikari.GatewayBot,
    restore: typing.Callable[[shard_impl.GatewayShardImpl], None],
    *,
    activity: typing.Optional[hikari.Activity],
    afk: bool,
    idle_since: typing.Any,  # noqa: ANN401
    status: hikari.Status,
    large_threshold: int,
    shard_id: int,
    shard_count: int,
    url: str,
) -> None:
    """GatewayBot._start_one_shard of hikari 2.6.1.dev0, with one step added: `restore(shard)` between
    making the shard and starting it (so it RESUMEs a stored session)."""
    b = typing.cast(typing.Any, bot)
    new_shard = shard_impl.GatewayShardImpl(
        http_settings=b._http_settings,  # noqa: SLF001
        proxy_settings=b._proxy_settings,  # noqa: SLF001
        event_manager=b._event_manager,  # noqa: SLF001
        event_factory=b._event_factory,  # noqa: SLF001
        intents=b._intents,  # noqa: SLF001
        capabilities=b._capabilities,  # noqa: SLF001
        dumps=b._dumps,  # noqa: SLF001
        loads=b._loads,  # noqa: SLF001
        initial_activity=activity,
        initial_is_afk=afk,
        initial_idle_since=idle_since,
        initial_status=status,
        large_threshold=large_threshold,
        shard_id=shard_id,
        shard_count=shard_count,
        token=b._token,  # noqa: SLF001
        url=url,
    )
    restore(new_shard)
    try:
        await new_shard.start()
    except Exception:
        if new_shard.is_alive:
            await new_shard.close()
        raise
    if not new_shard.is_alive:
        msg = f"shard {shard_id} shut down immediately when starting"
        raise RuntimeError(msg)
    b._shards[shard_id] = new_shard  # noqa: SLF001


def request_guild_members_task(
    manager: typing.Any,  # noqa: ANN401 - EventManagerImpl
    shard: typing.Any,  # noqa: ANN401 - GatewayShard
    guild_id: hikari.Snowflake,
    *,
    include_presences: bool,
) -> None:
    """hikari's auto-chunk request after a GUILD_CREATE (event_manager.on_guild_create), for when that
    consumer does not run: a background request_guild_members with a nonce of hikari's form."""
    from hikari.impl import event_manager as em  # noqa: PLC0415 - only needed here

    nonce = f"{shard.id}.{em._fixed_size_nonce()}"  # noqa: SLF001
    task = asyncio.create_task(
        em._request_guild_members(shard, guild_id, include_presences=include_presences, nonce=nonce),  # noqa: SLF001
        name=f"{shard.id}:{guild_id} guild create members request",
    )
    tasks = manager._guild_member_request_tasks  # noqa: SLF001
    tasks.add(task)
    task.add_done_callback(tasks.discard)
