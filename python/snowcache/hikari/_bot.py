"""Wiring a PersistentCache into hikari's GatewayBot: ingest, events, RESUME, close."""

from __future__ import annotations

import logging
import os
import typing

import hikari
from hikari import intents as intents_
from hikari import snowflakes
from hikari.api import config as config_api
from hikari.events import shard_events
from hikari.impl import event_manager as event_manager_impl

import snowcache
from snowcache.hikari import _cache
from snowcache.hikari import _compat

if typing.TYPE_CHECKING:
    from hikari.api import shard as shard_api
    from hikari.impl import shard as shard_impl

__all__ = ["PersistentGatewayBot", "WrongBotError", "attach"]

_LOGGER = logging.getLogger("snowcache.hikari")


class WrongBotError(snowcache.Error):
    """The cache at this path was written for another bot user (its stored sessions name another id)."""


# ---- what hikari's consumers read as "old" ------------------------------------------------------------------
# For each dispatch whose hikari consumer reads the cache before writing (event_manager.py: get_x for the
# event's old_x, or the return value of delete_x / clear_x_for_guild), the entities it reads, taken before
# snowcache applies the dispatch. Captured only when that consumer will run (a listener or waiter wants its
# events); stored as the raw dicts (decoded only if read).


def _capture(cache: _cache.PersistentCache, name: str, d: typing.Any) -> _cache._PreImage:  # noqa: ANN401, C901, PLR0912
    store = cache.store
    pre = _cache._PreImage()
    put = pre.entries.__setitem__
    try:
        if name in ("CHANNEL_UPDATE", "CHANNEL_DELETE"):
            i = int(d["id"])
            put(("guild_channel", i), store.get_guild_channel(i))
        elif name in ("THREAD_UPDATE", "THREAD_DELETE"):
            i = int(d["id"])
            put(("thread", i), store.get_thread(i))
        elif name in ("GUILD_UPDATE", "GUILD_DELETE"):
            i = int(d["id"])
            put(("guild", i), store.get_guild(i))
        elif name == "GUILD_EMOJIS_UPDATE":
            g = int(d["guild_id"])
            put(("emojis_for_guild", g), store.get_emojis_view_for_guild(g))
        elif name == "GUILD_STICKERS_UPDATE":
            g = int(d["guild_id"])
            put(("stickers_for_guild", g), store.get_stickers_view_for_guild(g))
        elif name in ("GUILD_MEMBER_ADD", "GUILD_MEMBER_UPDATE", "GUILD_MEMBER_REMOVE"):
            key = (int(d["guild_id"]), int(d["user"]["id"]))
            member = store.get_member(*key)
            put(("member", key), member)
            if name == "GUILD_MEMBER_REMOVE" and member is not None and _member_held(store, *key):
                pre.held_members.add(key)
        elif name in ("GUILD_ROLE_UPDATE", "GUILD_ROLE_DELETE"):
            i = int(d["role"]["id"] if name == "GUILD_ROLE_UPDATE" else d["role_id"])
            put(("role", i), store.get_role(i))
        elif name == "INVITE_DELETE":
            put(("invite", d["code"]), store.get_invite(d["code"]))
        elif name in ("MESSAGE_UPDATE", "MESSAGE_DELETE"):
            i = int(d["id"])
            put(("message", i), store.get_message(i))
        elif name == "MESSAGE_DELETE_BULK":
            for raw in d["ids"]:
                put(("message", int(raw)), store.get_message(int(raw)))
        elif name == "PRESENCE_UPDATE":
            key = (int(d["guild_id"]), int(d["user"]["id"]))
            put(("presence", key), store.get_presence(*key))
        elif name in ("USER_UPDATE", "READY"):
            put(("me", None), store.get_me())
        elif name == "VOICE_STATE_UPDATE" and d.get("guild_id") is not None:
            key = (int(d["guild_id"]), int(d["user_id"]))
            put(("voice_state", key), store.get_voice_state(*key))
    except (KeyError, TypeError, ValueError):
        pass  # a malformed payload: snowcache rejects it, hikari's consumer reports it
    return pre


def _member_held(store: snowcache.MutableCache, guild: int, user: int) -> bool:
    """Whether a voice state or a cached message holds the member, so that removing it only hides it
    (hikari's delete_member then returns None)."""
    if store.get_voice_state(guild, user) is not None:
        return True
    gid, uid = str(guild), str(user)
    for message in store.get_messages_view().values():
        author = message.get("author") or {}
        if message.get("guild_id") == gid and author.get("id") == uid and message.get("member") is not None:
            return True
    return False


# ---- the event manager ---------------------------------------------------------------------------------------


class _Frames:
    """Keeps the raw bytes of the frame the shards decoded last, so the ingest gets the frame as
    received instead of re-encoding hikari's dict. (One event loop: a shard decodes a frame and hands
    its dispatch to the event manager in the same step, before any other shard runs.)"""

    __slots__ = ("data", "decoded", "raw", "reencoded")

    def __init__(self) -> None:
        self.decoded: typing.Any = None
        self.data: typing.Any = None
        self.raw = 0  # dispatches ingested from the frame as received
        self.reencoded = 0  # dispatches whose frame was not at hand: hikari's dict re-encoded

    def wrap(self, loads: typing.Callable[[typing.Any], typing.Any]) -> typing.Callable[[typing.Any], typing.Any]:
        def loads_keeping_frame(data: typing.Any) -> typing.Any:  # noqa: ANN401
            decoded = loads(data)
            self.decoded, self.data = decoded, data
            return decoded

        loads_keeping_frame.__wrapped__ = loads  # type: ignore[attr-defined]
        return loads_keeping_frame

    def take(self, payload: typing.Any) -> typing.Any:  # noqa: ANN401
        """The raw frame whose `d` is `payload`, or None."""
        decoded, data = self.decoded, self.data
        self.decoded = self.data = None
        if isinstance(decoded, dict) and decoded.get("d") is payload:
            self.raw += 1
            return data
        self.reencoded += 1
        return None


class _EventManager(event_manager_impl.EventManagerImpl):
    """hikari's EventManagerImpl, with every raw dispatch applied by snowcache first.

    For each dispatch: (1) if hikari's consumer of it will run, the entities it reads as "old" are
    captured; (2) snowcache ingests the dispatch, atomically with the shard's sequence; (3) hikari's
    consumer runs as usual, against a cache that writes nothing and answers "old" from (1), so its
    events carry the state before the event and the stored state after it is exactly snowcache's.
    A dispatch snowcache reports as a duplicate (already applied: a replay) is not dispatched again.
    """

    __slots__ = ()

    def consume_raw_event(
        self, event_name: str, shard: shard_api.GatewayShard, payload: typing.Dict[str, typing.Any]
    ) -> None:
        cache = typing.cast(_cache.PersistentCache, self._cache)
        enabled = _compat.consumer_enabled(self, event_name)
        pre = _capture(cache, event_name, payload) if enabled else None
        frames = cache._frames  # noqa: SLF001
        frame = frames.take(payload) if frames is not None else None
        result = cache._ingest(shard.id, event_name, _compat.shard_sequence(shard), payload, frame)  # noqa: SLF001
        if result.outcome is snowcache.Outcome.DUPLICATE:
            _LOGGER.debug("shard %s: %s s=%s applied before; not dispatched again", shard.id, event_name, result.sequence)
            return
        if result.outcome is snowcache.Outcome.REJECTED:
            level = logging.WARNING if result.code == "invalid_argument" else logging.ERROR
            _LOGGER.log(level, "shard %s: snowcache did not apply %s: %s: %s", shard.id, event_name, result.code, result.message)
        if event_name == "GUILD_CREATE" and not enabled:
            self._chunk_if_hikari_would(shard, payload)
        # cache._replay(pre), inlined: this runs for every dispatch
        cache._pre, cache._replaying = pre, True  # noqa: SLF001
        try:
            super().consume_raw_event(event_name, shard, payload)
        finally:
            cache._pre, cache._replaying = None, False  # noqa: SLF001

    def _chunk_if_hikari_would(self, shard: shard_api.GatewayShard, payload: typing.Dict[str, typing.Any]) -> None:
        """hikari requests a guild's members after GUILD_CREATE from inside its consumer; when that
        consumer does not run (no listener), the same decision is made here."""
        if payload.get("unavailable"):
            return
        intents = self._intents
        presences_declared = bool(intents & intents_.Intents.GUILD_PRESENCES)
        settings = self._cache.settings if self._cache else None
        if (
            self._auto_chunk_members
            and intents & intents_.Intents.GUILD_MEMBERS
            and (payload.get("large") or not presences_declared)
            and (
                (
                    settings is not None
                    and (settings.components & config_api.CacheComponents.MEMBERS) == config_api.CacheComponents.MEMBERS
                    and not settings.only_my_member
                )
                or self._enabled_for_event(shard_events.MemberChunkEvent)
            )
        ):
            _compat.request_guild_members_task(
                self, shard, snowflakes.Snowflake(payload["id"]), include_presences=presences_declared
            )


# ---- the bot ---------------------------------------------------------------------------------------------------


class PersistentGatewayBot(hikari.GatewayBot):
    """A ``hikari.GatewayBot`` whose cache is a snowcache cache on disk: warm after a restart, and each
    shard RESUMEs its stored session instead of IDENTIFYing.

    ``PersistentGatewayBot(token, cache_path=...)`` takes GatewayBot's arguments; ``attach(bot, path)``
    turns an existing GatewayBot into one. ``close()`` keeps the cache's data (hikari's clears it).
    """

    __slots__ = ()  # no state of its own (GatewayBot's slots): it lives in the PersistentCache

    def __init__(
        self,
        token: str,
        *,
        cache_path: typing.Union[str, os.PathLike[str]],
        verify_cache: bool = False,
        **kwargs: typing.Any,  # noqa: ANN401 - GatewayBot's
    ) -> None:
        super().__init__(token, **kwargs)
        _install(self, os.fspath(cache_path), self.cache.settings, verify=verify_cache)

    @property
    def cache(self) -> _cache.PersistentCache:
        return typing.cast(_cache.PersistentCache, super().cache)

    async def _start_one_shard(self, **kwargs: typing.Any) -> None:  # noqa: ANN401
        cache = self.cache

        def restore(shard: shard_impl.GatewayShardImpl) -> None:
            session = cache.store.session(shard.id)
            if session is None or not session.resumable or session.shard_count != shard.shard_count:
                _LOGGER.info("shard %s: no stored session to resume; it will IDENTIFY", shard.id)
                return
            _LOGGER.info(
                "shard %s: resuming stored session %s at s=%s", shard.id, session.session_id, session.sequence
            )
            _compat.restore_shard_session(
                shard,
                session_id=session.session_id,
                sequence=typing.cast(int, session.sequence),
                resume_url=session.resume_gateway_url,
                user_id=session.user_id,
            )

        await _compat.start_one_shard(self, restore, **kwargs)

    async def close(self) -> None:
        with self.cache._keeping_data():  # noqa: SLF001
            await super().close()


def attach(
    bot: hikari.GatewayBot,
    path: typing.Union[str, os.PathLike[str]],
    settings: typing.Optional[typing.Any] = None,  # noqa: ANN401 - CacheSettings or snowcache.Settings
    *,
    verify: bool = False,
) -> _cache.PersistentCache:
    """Makes `bot` keep its cache in snowcache at `path`; call it before ``bot.run()`` / ``bot.start()``.

    The bot (its event manager and REST client too) then uses a ``PersistentCache``: every dispatch is
    applied by snowcache, atomically with its shard's sequence, before hikari's listeners see its event;
    on start each shard RESUMEs its stored session (IDENTIFY when there is none); ``close()`` keeps the
    data. `settings` defaults to the bot's ``cache_settings``. The bot becomes a PersistentGatewayBot.

    Damage RocksDB finds when it opens the cache (the checksums of the files it opens) is refused; with
    ``verify=True`` every block of every file, every value and every index entry is checked first
    (``Cache.verify()``: it reads the whole cache once), so damage anywhere is refused before anything
    is opened for writing.

    Raises
    ------
    snowcache.InUseError
        Another process holds the cache.
    snowcache.hikari.WrongBotError
        The cache belongs to another bot user (its stored sessions name another user id).
    snowcache.Error
        Any other reason the cache cannot be opened (CorruptionError, NotACacheError, ...).
    In every case no cache data was written and the bot is unchanged (RocksDB's own info log, LOG, may
    have been rotated by an open for writing that found damage; ``verify=True`` opens nothing for writing
    before the check).
    """
    # (not isinstance: hikari's traits are runtime protocols, so GatewayBot subclasses check structurally)
    if PersistentGatewayBot in type(bot).__mro__ or isinstance(bot.cache, _cache.PersistentCache):
        msg = "this bot already uses a persistent cache"
        raise TypeError(msg)
    if bot.is_alive:
        msg = "attach the cache before starting the bot"
        raise RuntimeError(msg)
    cache = _install(bot, os.fspath(path), settings if settings is not None else bot.cache.settings, verify=verify)
    _compat.adopt_bot_class(bot, PersistentGatewayBot)
    return cache


def _install(bot: hikari.GatewayBot, path: str, settings: typing.Any, *, verify: bool = False) -> _cache.PersistentCache:  # noqa: ANN401
    _compat.check_version()
    store = _open_checked(path, settings, expected_user=int(bot.token_id), verify=verify)
    cache = _cache.PersistentCache(bot, path, store=store)
    frames = _Frames()
    cache._frames = frames  # noqa: SLF001
    _compat.install_cache(bot, cache)
    manager = _compat.adopt_event_manager(bot, _EventManager, cache)
    _compat.disable_consumer_caching(manager)
    _compat.install_loads(bot, frames.wrap)
    return cache


def _open_checked(path: str, settings: typing.Any, *, expected_user: int, verify: bool) -> snowcache.MutableCache:  # noqa: ANN401
    """Opens the cache for writing, refusing one written for another bot user without writing anything:
    the stored sessions are read first through a secondary handle (which writes nothing into the cache's
    directory and may sit beside a live writer), and only then is the cache opened for writing (which
    applies `settings`)."""
    try:
        probe = snowcache.Cache.open(path, secondary=True)
    except snowcache.NotFoundError:
        probe = None  # nothing there yet: a new cache
    if probe is not None:
        with probe:
            users = {s.user_id for s in probe.sessions() if s.user_id}
            me = probe.get_me()
            if verify:
                report = probe.verify()
                if not report.ok:
                    problems = "; ".join(report.problems[:5])
                    msg = f"the cache at {path} is damaged ({len(report.problems)} problems: {problems}); nothing was written"
                    raise snowcache.CorruptionError(msg)
        if me is not None:
            users.add(int(me["id"]))
        if users and users != {expected_user}:
            others = ", ".join(str(u) for u in sorted(users - {expected_user}))
            msg = (
                f"the cache at {path} belongs to bot user {others}, not to this bot ({expected_user}); "
                "nothing was written"
            )
            raise WrongBotError(msg)
    return snowcache.MutableCache.open(path, settings=settings)
