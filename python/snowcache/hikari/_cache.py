"""PersistentCache: hikari's MutableCache interface over a snowcache cache on disk."""

from __future__ import annotations

import contextlib
import copy
import json
import logging
import typing

from hikari import snowflakes
from hikari.api import cache as cache_api
from hikari.impl import config as config_impl

import snowcache
from snowcache.hikari import _convert
from snowcache.hikari import _views

if typing.TYPE_CHECKING:
    from hikari import channels
    from hikari import emojis
    from hikari import guilds
    from hikari import invites
    from hikari import messages
    from hikari import presences
    from hikari import stickers
    from hikari import traits
    from hikari import users
    from hikari import voices
    from hikari.api import config as config_api

__all__ = ["PersistentCache"]

_LOGGER = logging.getLogger("snowcache.hikari")

_MISS: typing.Final = object()
_JSON = typing.Dict[str, typing.Any]


def _id(value: typing.Any) -> int:  # noqa: ANN401 - SnowflakeishOr[...]: an int or an entity with an id
    return int(value)


def _code(value: typing.Any) -> str:  # noqa: ANN401 - InviteCode | str
    return value if isinstance(value, str) else value.code


class _PreImage:
    """The state an event changes, read before snowcache applied it: what hikari's consumer of that
    event reads as "old" (see snowcache/hikari/_bot.py, capture())."""

    __slots__ = ("entries", "held_members")

    def __init__(self) -> None:
        self.entries: typing.Dict[typing.Tuple[str, typing.Any], typing.Any] = {}
        # (guild, user) of members that a voice state or cached message still held before the event.
        self.held_members: typing.Set[typing.Tuple[int, int]] = set()


class PersistentCache(cache_api.MutableCache):
    """hikari's ``MutableCache`` kept in a snowcache cache (RocksDB) at `path`: warm after a restart.

    Every getter, view and mutator of hikari's interface is here under its own name and returns real
    hikari objects bound to `app` (built by ``app.entity_factory`` from the stored Discord JSON). Views
    are snapshots. The rules are snowcache's (docs/SEMANTICS.md and semantics.md: hikari's behaviour
    with its known defects fixed).

    Parameters
    ----------
    app
        What the objects are bound to (a ``GatewayBot``, ``RESTBot`` ...): anything with an
        ``entity_factory``.
    path
        The cache directory; created when absent.
    settings
        hikari ``CacheSettings`` (or ``snowcache.Settings``) to run with; None keeps the stored ones
        (hikari's defaults for a new cache). Different ones are applied when the cache opens: kinds no
        longer kept are cleared, lower limits evict.
    object_cache_size
        How many hikari objects read by the getters are kept in memory to answer repeated gets without
        decoding. 0 turns it off.

    Raises
    ------
    snowcache.Error
        A subclass naming why the cache cannot be opened: ``InUseError`` (another process holds it),
        ``CorruptionError``, ``NotACacheError``, ``FormatMismatchError``, ``IOFailureError``.
    """

    __slots__ = (
        "_app",
        "_decode",
        "_encode",
        "_frames",
        "_gateway",
        "_generation",
        "_ingest_counts",
        "_keep_on_clear",
        "_object_cache_size",
        "_objects",
        "_pre",
        "_replaying",
        "_settings",
        "_store",
        "__weakref__",
    )

    def __init__(
        self,
        app: traits.EntityFactoryAware,
        path: str,
        settings: typing.Optional[typing.Any] = None,  # noqa: ANN401 - CacheSettings or snowcache.Settings
        *,
        object_cache_size: int = 65536,
        store: typing.Optional[snowcache.MutableCache] = None,
    ) -> None:
        self._app = app
        self._store = store if store is not None else snowcache.MutableCache.open(str(path), settings=settings)
        self._gateway: typing.Optional[snowcache.Gateway] = None
        self._decode = _convert.Decoder(app)
        self._encode = _convert.Encoder()
        stored = self._store.settings
        self._settings = config_impl.CacheSettings(
            components=config_impl.CacheComponents(int(stored.components)),
            max_messages=stored.max_messages,
            max_dm_channel_ids=stored.max_dm_channel_ids,
            only_my_member=stored.only_my_member,
        )
        # The object cache: (kind, key) -> (generation, object). Every write moves the generation on.
        # FALLBACK: the public C++ API does not say which entities a write changed (an ingest's cascades
        # are the library's), so every write invalidates the whole object cache; with a feed of changed
        # keys per commit, only those entries would go (see the report of issue 17 / docs).
        self._objects: typing.Dict[typing.Tuple[str, typing.Any], typing.Tuple[int, typing.Any]] = {}
        self._object_cache_size = object_cache_size
        self._generation = 0
        self._pre: typing.Optional[_PreImage] = None
        self._replaying = False
        self._keep_on_clear = False
        self._frames: typing.Any = None  # snowcache.hikari._bot._Frames when wired into a bot
        self._ingest_counts = {outcome: 0 for outcome in snowcache.Outcome}

    # ---- the store ---------------------------------------------------------------------------------------

    @property
    def store(self) -> snowcache.MutableCache:
        """The underlying snowcache cache (dicts, sessions, dump, verify). Write through this cache, not
        the store: a direct write leaves this cache's object cache stale until ``invalidate()``."""
        return self._store

    def invalidate(self) -> None:
        """Forgets every hikari object kept for repeated gets (after writing to ``store`` directly)."""
        self._generation += 1
        self._objects.clear()

    def sessions(self) -> typing.List[snowcache.Session]:
        """The stored gateway sessions, one per shard: what a restarted bot RESUMEs."""
        return self._store.sessions()

    def close(self) -> None:
        """Closes the cache on disk (flushed: the next open is fast). Later calls raise ClosedError."""
        self._gateway = None
        self._store.close()

    @property
    def closed(self) -> bool:
        return self._store.closed

    def __enter__(self) -> PersistentCache:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def settings(self) -> config_api.CacheSettings:
        return self._settings

    # ---- ingest (snowcache.hikari's event manager) ----------------------------------------------------------

    def _ingest(
        self, shard: int, name: str, sequence: typing.Optional[int], payload: typing.Any, frame: typing.Any  # noqa: ANN401
    ) -> snowcache.IngestResult:
        """Applies one dispatch (the raw frame when known, else `payload` re-encoded), atomically with the
        shard's sequence."""
        if self._gateway is None:
            self._gateway = snowcache.Gateway(self._store)
        if frame is not None:
            result = self._gateway.ingest_frame(shard, frame)
        else:
            result = self._gateway.ingest(shard, name, sequence, json.dumps(payload, separators=(",", ":")))
        self._ingest_counts[result.outcome] += 1
        if result.outcome is not snowcache.Outcome.DUPLICATE:
            self._bump()
        return result

    @property
    def ingest_counts(self) -> typing.Dict[snowcache.Outcome, int]:
        """How many dispatches this cache's bot ingested since it was opened, by outcome."""
        return dict(self._ingest_counts)

    @contextlib.contextmanager
    def _replay(self, pre: typing.Optional[_PreImage]) -> typing.Iterator[None]:
        """While hikari's consumer of an event that snowcache already applied runs: its mutations write
        nothing (the ingest wrote the event), and what they return as "old" comes from `pre`."""
        self._pre, self._replaying = pre, True
        try:
            yield
        finally:
            self._pre, self._replaying = None, False

    def _bump(self) -> None:
        self._generation += 1
        if len(self._objects) >= self._object_cache_size:
            self._objects.clear()

    @contextlib.contextmanager
    def _keeping_data(self) -> typing.Iterator[None]:
        """GatewayBot.close() clears its cache; a persistent cache keeps its data (only the objects kept
        in memory are dropped)."""
        self._keep_on_clear = True
        try:
            yield
        finally:
            self._keep_on_clear = False

    # ---- reading -----------------------------------------------------------------------------------------

    def _pre_value(self, kind: str, key: typing.Any, decode: typing.Callable[[_JSON], typing.Any]) -> typing.Any:  # noqa: ANN401
        pre = self._pre
        if pre is None:
            return _MISS
        value = pre.entries.get((kind, key), _MISS)
        if value is _MISS:
            return _MISS
        if isinstance(value, dict):  # stored as read; decoded once
            value = decode(value)
            pre.entries[(kind, key)] = value
        return value

    def _get(
        self,
        kind: str,
        key: typing.Any,  # noqa: ANN401
        fetch: typing.Callable[[], typing.Optional[_JSON]],
        decode: typing.Callable[[_JSON], typing.Any],
    ) -> typing.Any:  # noqa: ANN401
        got = self._pre_value(kind, key, decode)
        if got is not _MISS:
            return copy.copy(got)
        if self._object_cache_size:
            entry = self._objects.get((kind, key))
            if entry is not None and entry[0] == self._generation:
                obj = entry[1]
                return None if obj is None else copy.copy(obj)
        generation = self._generation
        payload = fetch()
        obj = None if payload is None else decode(payload)
        if self._object_cache_size:
            if len(self._objects) >= self._object_cache_size:
                self._objects.clear()
            self._objects[(kind, key)] = (generation, obj)
            return None if obj is None else copy.copy(obj)
        return obj

    def _view(self, raw: typing.Any, decode: typing.Callable[[_JSON], typing.Any]) -> typing.Any:  # noqa: ANN401
        return _views.View(raw, decode)

    def _invite_view(self, raw: typing.Any) -> cache_api.CacheView[str, invites.InviteWithMetadata]:  # noqa: ANN401
        return _views.View(raw, self._decode.invite, key=str)

    def _nested(self, raw: typing.Any, decode: typing.Callable[[_JSON], typing.Any]) -> typing.Any:  # noqa: ANN401
        return _views.NestedView(raw, decode)

    def get_dm_channel_id(self, user: snowflakes.SnowflakeishOr[users.PartialUser], /) -> typing.Optional[snowflakes.Snowflake]:
        got = self._store.get_dm_channel_id(_id(user))
        return None if got is None else snowflakes.Snowflake(got)

    def get_dm_channel_ids_view(self) -> cache_api.CacheView[snowflakes.Snowflake, snowflakes.Snowflake]:
        return self._view(self._store.get_dm_channel_ids_view(), self._decode.dm_channel_id)

    def get_emoji(self, emoji: snowflakes.SnowflakeishOr[emojis.CustomEmoji], /) -> typing.Optional[emojis.KnownCustomEmoji]:
        i = _id(emoji)
        return self._get("emoji", i, lambda: self._store.get_emoji(i), self._decode.emoji)

    def get_emojis_view(self) -> cache_api.CacheView[snowflakes.Snowflake, emojis.KnownCustomEmoji]:
        return self._view(self._store.get_emojis_view(), self._decode.emoji)

    def get_emojis_view_for_guild(
        self, guild: snowflakes.SnowflakeishOr[guilds.PartialGuild], /
    ) -> cache_api.CacheView[snowflakes.Snowflake, emojis.KnownCustomEmoji]:
        return self._view(self._store.get_emojis_view_for_guild(_id(guild)), self._decode.emoji)

    def get_sticker(self, sticker: snowflakes.SnowflakeishOr[stickers.GuildSticker], /) -> typing.Optional[stickers.GuildSticker]:
        i = _id(sticker)
        return self._get("sticker", i, lambda: self._store.get_sticker(i), self._decode.sticker)

    def get_stickers_view(self) -> cache_api.CacheView[snowflakes.Snowflake, stickers.GuildSticker]:
        return self._view(self._store.get_stickers_view(), self._decode.sticker)

    def get_stickers_view_for_guild(
        self, guild: snowflakes.SnowflakeishOr[guilds.PartialGuild], /
    ) -> cache_api.CacheView[snowflakes.Snowflake, stickers.GuildSticker]:
        return self._view(self._store.get_stickers_view_for_guild(_id(guild)), self._decode.sticker)

    def get_guild(self, guild: snowflakes.SnowflakeishOr[guilds.PartialGuild], /) -> typing.Optional[guilds.GatewayGuild]:
        i = _id(guild)
        return self._get("guild", i, lambda: self._store.get_guild(i), self._decode.guild)

    def get_available_guild(
        self, guild: snowflakes.SnowflakeishOr[guilds.PartialGuild], /
    ) -> typing.Optional[guilds.GatewayGuild]:
        i = _id(guild)
        return self._get("available_guild", i, lambda: self._store.get_available_guild(i), self._decode.guild)

    def get_unavailable_guild(
        self, guild: snowflakes.SnowflakeishOr[guilds.PartialGuild], /
    ) -> typing.Optional[guilds.GatewayGuild]:
        i = _id(guild)
        return self._get("unavailable_guild", i, lambda: self._store.get_unavailable_guild(i), self._decode.guild)

    def get_guilds_view(self) -> cache_api.CacheView[snowflakes.Snowflake, guilds.GatewayGuild]:
        return self._view(self._store.get_guilds_view(), self._decode.guild)

    def get_available_guilds_view(self) -> cache_api.CacheView[snowflakes.Snowflake, guilds.GatewayGuild]:
        return self._view(self._store.get_available_guilds_view(), self._decode.guild)

    def get_unavailable_guilds_view(self) -> cache_api.CacheView[snowflakes.Snowflake, guilds.GatewayGuild]:
        return self._view(self._store.get_unavailable_guilds_view(), self._decode.guild)

    def get_guild_channel(
        self, channel: snowflakes.SnowflakeishOr[channels.PartialChannel], /
    ) -> typing.Optional[channels.PermissibleGuildChannel]:
        i = _id(channel)
        return self._get("guild_channel", i, lambda: self._store.get_guild_channel(i), self._decode.guild_channel)

    def get_guild_channels_view(self) -> cache_api.CacheView[snowflakes.Snowflake, channels.PermissibleGuildChannel]:
        return self._view(self._store.get_guild_channels_view(), self._decode.guild_channel)

    def get_guild_channels_view_for_guild(
        self, guild: snowflakes.SnowflakeishOr[guilds.PartialGuild], /
    ) -> cache_api.CacheView[snowflakes.Snowflake, channels.PermissibleGuildChannel]:
        return self._view(self._store.get_guild_channels_view_for_guild(_id(guild)), self._decode.guild_channel)

    def get_thread(
        self, thread: snowflakes.SnowflakeishOr[channels.PartialChannel], /
    ) -> typing.Optional[channels.GuildThreadChannel]:
        i = _id(thread)
        return self._get("thread", i, lambda: self._store.get_thread(i), self._decode.thread)

    def get_threads_view(self) -> cache_api.CacheView[snowflakes.Snowflake, channels.GuildThreadChannel]:
        return self._view(self._store.get_threads_view(), self._decode.thread)

    def get_threads_view_for_channel(
        self,
        guild: snowflakes.SnowflakeishOr[guilds.PartialGuild],
        channel: snowflakes.SnowflakeishOr[channels.PartialChannel],
        /,
    ) -> cache_api.CacheView[snowflakes.Snowflake, channels.GuildThreadChannel]:
        return self._view(self._store.get_threads_view_for_channel(_id(guild), _id(channel)), self._decode.thread)

    def get_threads_view_for_guild(
        self, guild: snowflakes.SnowflakeishOr[guilds.PartialGuild], /
    ) -> cache_api.CacheView[snowflakes.Snowflake, channels.GuildThreadChannel]:
        return self._view(self._store.get_threads_view_for_guild(_id(guild)), self._decode.thread)

    def get_invite(self, code: typing.Union[invites.InviteCode, str], /) -> typing.Optional[invites.InviteWithMetadata]:
        c = _code(code)
        return self._get("invite", c, lambda: self._store.get_invite(c), self._decode.invite)

    def get_invites_view(self) -> cache_api.CacheView[str, invites.InviteWithMetadata]:
        return self._invite_view(self._store.get_invites_view())

    def get_invites_view_for_guild(
        self, guild: snowflakes.SnowflakeishOr[guilds.PartialGuild], /
    ) -> cache_api.CacheView[str, invites.InviteWithMetadata]:
        return self._invite_view(self._store.get_invites_view_for_guild(_id(guild)))

    def get_invites_view_for_channel(
        self,
        guild: snowflakes.SnowflakeishOr[guilds.PartialGuild],
        channel: snowflakes.SnowflakeishOr[channels.PartialChannel],
        /,
    ) -> cache_api.CacheView[str, invites.InviteWithMetadata]:
        return self._invite_view(self._store.get_invites_view_for_channel(_id(guild), _id(channel)))

    def get_me(self) -> typing.Optional[users.OwnUser]:
        return self._get("me", None, self._store.get_me, self._decode.me)

    def get_member(
        self,
        guild: snowflakes.SnowflakeishOr[guilds.PartialGuild],
        user: snowflakes.SnowflakeishOr[users.PartialUser],
        /,
    ) -> typing.Optional[guilds.Member]:
        key = (_id(guild), _id(user))
        return self._get("member", key, lambda: self._store.get_member(*key), self._decode.member)

    def get_members_view(
        self,
    ) -> cache_api.CacheView[snowflakes.Snowflake, cache_api.CacheView[snowflakes.Snowflake, guilds.Member]]:
        return self._nested(self._store.get_members_view(), self._decode.member)

    def get_members_view_for_guild(
        self, guild_id: snowflakes.SnowflakeishOr[guilds.PartialGuild], /
    ) -> cache_api.CacheView[snowflakes.Snowflake, guilds.Member]:
        return self._view(self._store.get_members_view_for_guild(_id(guild_id)), self._decode.member)

    def get_message(self, message: snowflakes.SnowflakeishOr[messages.PartialMessage], /) -> typing.Optional[messages.Message]:
        i = _id(message)
        return self._get("message", i, lambda: self._store.get_message(i), self._decode.message)

    def get_messages_view(self) -> cache_api.CacheView[snowflakes.Snowflake, messages.Message]:
        return self._view(self._store.get_messages_view(), self._decode.message)

    def get_presence(
        self,
        guild: snowflakes.SnowflakeishOr[guilds.PartialGuild],
        user: snowflakes.SnowflakeishOr[users.PartialUser],
        /,
    ) -> typing.Optional[presences.MemberPresence]:
        key = (_id(guild), _id(user))
        return self._get("presence", key, lambda: self._store.get_presence(*key), self._decode.presence)

    def get_presences_view(
        self,
    ) -> cache_api.CacheView[snowflakes.Snowflake, cache_api.CacheView[snowflakes.Snowflake, presences.MemberPresence]]:
        return self._nested(self._store.get_presences_view(), self._decode.presence)

    def get_presences_view_for_guild(
        self, guild: snowflakes.SnowflakeishOr[guilds.PartialGuild], /
    ) -> cache_api.CacheView[snowflakes.Snowflake, presences.MemberPresence]:
        return self._view(self._store.get_presences_view_for_guild(_id(guild)), self._decode.presence)

    def get_role(self, role: snowflakes.SnowflakeishOr[guilds.PartialRole], /) -> typing.Optional[guilds.Role]:
        i = _id(role)
        return self._get("role", i, lambda: self._store.get_role(i), self._decode.role)

    def get_roles_view(self) -> cache_api.CacheView[snowflakes.Snowflake, guilds.Role]:
        return self._view(self._store.get_roles_view(), self._decode.role)

    def get_roles_view_for_guild(
        self, guild: snowflakes.SnowflakeishOr[guilds.PartialGuild], /
    ) -> cache_api.CacheView[snowflakes.Snowflake, guilds.Role]:
        return self._view(self._store.get_roles_view_for_guild(_id(guild)), self._decode.role)

    def get_user(self, user: snowflakes.SnowflakeishOr[users.PartialUser], /) -> typing.Optional[users.User]:
        i = _id(user)
        return self._get("user", i, lambda: self._store.get_user(i), self._decode.user)

    def get_users_view(self) -> cache_api.CacheView[snowflakes.Snowflake, users.User]:
        return self._view(self._store.get_users_view(), self._decode.user)

    def get_voice_state(
        self,
        guild: snowflakes.SnowflakeishOr[guilds.PartialGuild],
        user: snowflakes.SnowflakeishOr[users.PartialUser],
        /,
    ) -> typing.Optional[voices.VoiceState]:
        key = (_id(guild), _id(user))
        return self._get("voice_state", key, lambda: self._store.get_voice_state(*key), self._decode.voice_state)

    def get_voice_states_view(
        self,
    ) -> cache_api.CacheView[snowflakes.Snowflake, cache_api.CacheView[snowflakes.Snowflake, voices.VoiceState]]:
        return self._nested(self._store.get_voice_states_view(), self._decode.voice_state)

    def get_voice_states_view_for_channel(
        self,
        guild: snowflakes.SnowflakeishOr[guilds.PartialGuild],
        channel: snowflakes.SnowflakeishOr[channels.PartialChannel],
        /,
    ) -> cache_api.CacheView[snowflakes.Snowflake, voices.VoiceState]:
        return self._view(
            self._store.get_voice_states_view_for_channel(_id(guild), _id(channel)), self._decode.voice_state
        )

    def get_voice_states_view_for_guild(
        self, guild: snowflakes.SnowflakeishOr[guilds.PartialGuild], /
    ) -> cache_api.CacheView[snowflakes.Snowflake, voices.VoiceState]:
        return self._view(self._store.get_voice_states_view_for_guild(_id(guild)), self._decode.voice_state)

    # ---- writing -----------------------------------------------------------------------------------------
    # Outside a replay each call is one atomic batch (the library's), then the object cache moves on. In a
    # replay (hikari's consumer of an event the ingest applied) nothing is written: set_x does nothing,
    # update_x returns (old as before the event, new as after it), delete_x what the event removed,
    # clear_x the "before" view hikari's consumer reads, else an empty view.

    def _write(self, call: typing.Callable[[], typing.Any]) -> typing.Any:  # noqa: ANN401
        try:
            return call()
        finally:
            self._bump()

    def _set(self, method: str, encode: typing.Callable[[typing.Any], _JSON], entity: typing.Any) -> None:  # noqa: ANN401
        if self._replaying:
            return
        payload = encode(entity)
        self._write(lambda: getattr(self._store, method)(payload))

    def _update(
        self,
        kind: str,
        key: typing.Any,  # noqa: ANN401
        method: str,
        encode: typing.Callable[[typing.Any], _JSON],
        entity: typing.Any,  # noqa: ANN401
        decode: typing.Callable[[_JSON], typing.Any],
        current: typing.Callable[[], typing.Any],
    ) -> typing.Tuple[typing.Any, typing.Any]:
        if self._replaying:
            old = self._pre_value(kind, key, decode)
            return (None if old is _MISS else copy.copy(old)), current()
        payload = encode(entity)
        old_raw, new_raw = self._write(lambda: getattr(self._store, method)(payload))
        return (None if old_raw is None else decode(old_raw)), (None if new_raw is None else decode(new_raw))

    def _delete(
        self,
        kind: str,
        key: typing.Any,  # noqa: ANN401
        call: typing.Callable[[], typing.Optional[_JSON]],
        decode: typing.Callable[[_JSON], typing.Any],
    ) -> typing.Any:  # noqa: ANN401
        if self._replaying:
            old = self._pre_value(kind, key, decode)
            return None if old is _MISS else copy.copy(old)
        raw = self._write(call)
        return None if raw is None else decode(raw)

    def _clear(self, kind: str, key: typing.Any, call: typing.Callable[[], typing.Any], wrap: typing.Callable[[typing.Any], typing.Any]) -> typing.Any:  # noqa: ANN401
        if self._replaying:
            pre = self._pre
            raw = None if pre is None else pre.entries.get((kind, key))
            return wrap(raw) if raw is not None else _EMPTY
        return wrap(self._write(call))

    def clear(self) -> None:
        if self._keep_on_clear:  # GatewayBot.close(): the data stays on disk
            self.invalidate()
            return
        if self._replaying:
            return
        self._write(self._store.clear)

    def clear_dm_channel_ids(self) -> cache_api.CacheView[snowflakes.Snowflake, snowflakes.Snowflake]:
        return self._clear(
            "dm_channel_ids", None, self._store.clear_dm_channel_ids, lambda r: self._view(r, self._decode.dm_channel_id)
        )

    def delete_dm_channel_id(
        self, user: snowflakes.SnowflakeishOr[users.PartialUser], /
    ) -> typing.Optional[snowflakes.Snowflake]:
        if self._replaying:
            return None
        got = self._write(lambda: self._store.delete_dm_channel_id(_id(user)))
        return None if got is None else snowflakes.Snowflake(got)

    def set_dm_channel_id(
        self,
        user: snowflakes.SnowflakeishOr[users.PartialUser],
        channel: snowflakes.SnowflakeishOr[channels.PartialChannel],
        /,
    ) -> None:
        if self._replaying:
            return
        self._write(lambda: self._store.set_dm_channel_id(_id(user), _id(channel)))

    def clear_emojis(self) -> cache_api.CacheView[snowflakes.Snowflake, emojis.KnownCustomEmoji]:
        return self._clear("emojis", None, self._store.clear_emojis, lambda r: self._view(r, self._decode.emoji))

    def clear_emojis_for_guild(
        self, guild: snowflakes.SnowflakeishOr[guilds.PartialGuild], /
    ) -> cache_api.CacheView[snowflakes.Snowflake, emojis.KnownCustomEmoji]:
        g = _id(guild)
        return self._clear(
            "emojis_for_guild", g, lambda: self._store.clear_emojis_for_guild(g), lambda r: self._view(r, self._decode.emoji)
        )

    def delete_emoji(self, emoji: snowflakes.SnowflakeishOr[emojis.CustomEmoji], /) -> typing.Optional[emojis.KnownCustomEmoji]:
        i = _id(emoji)
        return self._delete("emoji", i, lambda: self._store.delete_emoji(i), self._decode.emoji)

    def set_emoji(self, emoji: emojis.KnownCustomEmoji, /) -> None:
        self._set("set_emoji", self._encode.emoji, emoji)

    def update_emoji(
        self, emoji: emojis.KnownCustomEmoji, /
    ) -> typing.Tuple[typing.Optional[emojis.KnownCustomEmoji], typing.Optional[emojis.KnownCustomEmoji]]:
        return self._update(
            "emoji", int(emoji.id), "update_emoji", self._encode.emoji, emoji, self._decode.emoji,
            lambda: self.get_emoji(emoji.id),
        )

    def clear_stickers(self) -> cache_api.CacheView[snowflakes.Snowflake, stickers.GuildSticker]:
        return self._clear("stickers", None, self._store.clear_stickers, lambda r: self._view(r, self._decode.sticker))

    def clear_stickers_for_guild(
        self, guild: snowflakes.SnowflakeishOr[guilds.PartialGuild], /
    ) -> cache_api.CacheView[snowflakes.Snowflake, stickers.GuildSticker]:
        g = _id(guild)
        return self._clear(
            "stickers_for_guild", g, lambda: self._store.clear_stickers_for_guild(g),
            lambda r: self._view(r, self._decode.sticker),
        )

    def delete_sticker(
        self, sticker: snowflakes.SnowflakeishOr[stickers.GuildSticker], /
    ) -> typing.Optional[stickers.GuildSticker]:
        i = _id(sticker)
        return self._delete("sticker", i, lambda: self._store.delete_sticker(i), self._decode.sticker)

    def set_sticker(self, sticker: stickers.GuildSticker, /) -> None:
        self._set("set_sticker", self._encode.sticker, sticker)

    def clear_guilds(self) -> cache_api.CacheView[snowflakes.Snowflake, guilds.GatewayGuild]:
        return self._clear("guilds", None, self._store.clear_guilds, lambda r: self._view(r, self._decode.guild))

    def delete_guild(self, guild: snowflakes.SnowflakeishOr[guilds.PartialGuild], /) -> typing.Optional[guilds.GatewayGuild]:
        i = _id(guild)
        return self._delete("guild", i, lambda: self._store.delete_guild(i), self._decode.guild)

    def set_guild(self, guild: guilds.GatewayGuild, /) -> None:
        self._set("set_guild", self._encode.guild, guild)

    def set_guild_availability(self, guild: snowflakes.SnowflakeishOr[guilds.PartialGuild], is_available: bool, /) -> None:
        if self._replaying:
            return
        self._write(lambda: self._store.set_guild_availability(_id(guild), bool(is_available)))

    def update_guild(
        self, guild: guilds.GatewayGuild, /
    ) -> typing.Tuple[typing.Optional[guilds.GatewayGuild], typing.Optional[guilds.GatewayGuild]]:
        return self._update(
            "guild", int(guild.id), "update_guild", self._encode.guild, guild, self._decode.guild,
            lambda: self.get_guild(guild.id),
        )

    def clear_guild_channels(self) -> cache_api.CacheView[snowflakes.Snowflake, channels.PermissibleGuildChannel]:
        return self._clear(
            "guild_channels", None, self._store.clear_guild_channels, lambda r: self._view(r, self._decode.guild_channel)
        )

    def clear_guild_channels_for_guild(
        self, guild: snowflakes.SnowflakeishOr[guilds.PartialGuild], /
    ) -> cache_api.CacheView[snowflakes.Snowflake, channels.PermissibleGuildChannel]:
        g = _id(guild)
        return self._clear(
            "guild_channels_for_guild", g, lambda: self._store.clear_guild_channels_for_guild(g),
            lambda r: self._view(r, self._decode.guild_channel),
        )

    def delete_guild_channel(
        self, channel: snowflakes.SnowflakeishOr[channels.PartialChannel], /
    ) -> typing.Optional[channels.PermissibleGuildChannel]:
        i = _id(channel)
        return self._delete("guild_channel", i, lambda: self._store.delete_guild_channel(i), self._decode.guild_channel)

    def set_guild_channel(self, channel: channels.PermissibleGuildChannel, /) -> None:
        self._set("set_guild_channel", self._encode.guild_channel, channel)

    def update_guild_channel(
        self, channel: channels.PermissibleGuildChannel, /
    ) -> typing.Tuple[typing.Optional[channels.PermissibleGuildChannel], typing.Optional[channels.PermissibleGuildChannel]]:
        return self._update(
            "guild_channel", int(channel.id), "update_guild_channel", self._encode.guild_channel, channel,
            self._decode.guild_channel, lambda: self.get_guild_channel(channel.id),
        )

    def clear_threads(self) -> cache_api.CacheView[snowflakes.Snowflake, channels.GuildThreadChannel]:
        return self._clear("threads", None, self._store.clear_threads, lambda r: self._view(r, self._decode.thread))

    def clear_threads_for_channel(
        self,
        guild: snowflakes.SnowflakeishOr[guilds.PartialGuild],
        channel: snowflakes.SnowflakeishOr[channels.PartialChannel],
        /,
    ) -> cache_api.CacheView[snowflakes.Snowflake, channels.GuildThreadChannel]:
        key = (_id(guild), _id(channel))
        return self._clear(
            "threads_for_channel", key, lambda: self._store.clear_threads_for_channel(*key),
            lambda r: self._view(r, self._decode.thread),
        )

    def clear_threads_for_guild(
        self, guild: snowflakes.SnowflakeishOr[guilds.PartialGuild], /
    ) -> cache_api.CacheView[snowflakes.Snowflake, channels.GuildThreadChannel]:
        g = _id(guild)
        return self._clear(
            "threads_for_guild", g, lambda: self._store.clear_threads_for_guild(g), lambda r: self._view(r, self._decode.thread)
        )

    def delete_thread(
        self, thread: snowflakes.SnowflakeishOr[channels.PartialChannel], /
    ) -> typing.Optional[channels.GuildThreadChannel]:
        i = _id(thread)
        return self._delete("thread", i, lambda: self._store.delete_thread(i), self._decode.thread)

    def set_thread(self, channel: channels.GuildThreadChannel, /) -> None:
        self._set("set_thread", self._encode.thread, channel)

    def update_thread(
        self, thread: channels.GuildThreadChannel, /
    ) -> typing.Tuple[typing.Optional[channels.GuildThreadChannel], typing.Optional[channels.GuildThreadChannel]]:
        return self._update(
            "thread", int(thread.id), "update_thread", self._encode.thread, thread, self._decode.thread,
            lambda: self.get_thread(thread.id),
        )

    def clear_invites(self) -> cache_api.CacheView[str, invites.InviteWithMetadata]:
        return self._clear("invites", None, self._store.clear_invites, self._invite_view)

    def clear_invites_for_guild(
        self, guild: snowflakes.SnowflakeishOr[guilds.PartialGuild], /
    ) -> cache_api.CacheView[str, invites.InviteWithMetadata]:
        g = _id(guild)
        return self._clear("invites_for_guild", g, lambda: self._store.clear_invites_for_guild(g), self._invite_view)

    def clear_invites_for_channel(
        self,
        guild: snowflakes.SnowflakeishOr[guilds.PartialGuild],
        channel: snowflakes.SnowflakeishOr[channels.PartialChannel],
        /,
    ) -> cache_api.CacheView[str, invites.InviteWithMetadata]:
        key = (_id(guild), _id(channel))
        return self._clear(
            "invites_for_channel", key, lambda: self._store.clear_invites_for_channel(*key), self._invite_view
        )

    def delete_invite(self, code: typing.Union[invites.InviteCode, str], /) -> typing.Optional[invites.InviteWithMetadata]:
        c = _code(code)
        return self._delete("invite", c, lambda: self._store.delete_invite(c), self._decode.invite)

    def set_invite(self, invite: invites.InviteWithMetadata, /) -> None:
        self._set("set_invite", self._encode.invite, invite)

    def update_invite(
        self, invite: invites.InviteWithMetadata, /
    ) -> typing.Tuple[typing.Optional[invites.InviteWithMetadata], typing.Optional[invites.InviteWithMetadata]]:
        return self._update(
            "invite", invite.code, "update_invite", self._encode.invite, invite, self._decode.invite,
            lambda: self.get_invite(invite.code),
        )

    def delete_me(self) -> typing.Optional[users.OwnUser]:
        return self._delete("me", None, self._store.delete_me, self._decode.me)

    def set_me(self, user: users.OwnUser, /) -> None:
        self._set("set_me", self._encode.me, user)

    def update_me(self, user: users.OwnUser, /) -> typing.Tuple[typing.Optional[users.OwnUser], typing.Optional[users.OwnUser]]:
        return self._update("me", None, "update_me", self._encode.me, user, self._decode.me, self.get_me)

    def clear_members(
        self,
    ) -> cache_api.CacheView[snowflakes.Snowflake, cache_api.CacheView[snowflakes.Snowflake, guilds.Member]]:
        return self._clear("members", None, self._store.clear_members, lambda r: self._nested(r, self._decode.member))

    def clear_members_for_guild(
        self, guild: snowflakes.SnowflakeishOr[guilds.PartialGuild], /
    ) -> cache_api.CacheView[snowflakes.Snowflake, guilds.Member]:
        g = _id(guild)
        return self._clear(
            "members_for_guild", g, lambda: self._store.clear_members_for_guild(g), lambda r: self._view(r, self._decode.member)
        )

    def delete_member(
        self,
        guild: snowflakes.SnowflakeishOr[guilds.PartialGuild],
        user: snowflakes.SnowflakeishOr[users.PartialUser],
        /,
    ) -> typing.Optional[guilds.Member]:
        key = (_id(guild), _id(user))
        if self._replaying and self._pre is not None and key in self._pre.held_members:
            return None  # still held by a voice state or message: hidden, not removed (as hikari)
        return self._delete("member", key, lambda: self._store.delete_member(*key), self._decode.member)

    def set_member(self, member: guilds.Member, /) -> None:
        self._set("set_member", self._encode.member, member)

    def update_member(self, member: guilds.Member, /) -> typing.Tuple[typing.Optional[guilds.Member], typing.Optional[guilds.Member]]:
        key = (int(member.guild_id), int(member.user.id))
        return self._update(
            "member", key, "update_member", self._encode.member, member, self._decode.member,
            lambda: self.get_member(*key),
        )

    def clear_presences(
        self,
    ) -> cache_api.CacheView[snowflakes.Snowflake, cache_api.CacheView[snowflakes.Snowflake, presences.MemberPresence]]:
        return self._clear("presences", None, self._store.clear_presences, lambda r: self._nested(r, self._decode.presence))

    def clear_presences_for_guild(
        self, guild: snowflakes.SnowflakeishOr[guilds.PartialGuild], /
    ) -> cache_api.CacheView[snowflakes.Snowflake, presences.MemberPresence]:
        g = _id(guild)
        return self._clear(
            "presences_for_guild", g, lambda: self._store.clear_presences_for_guild(g),
            lambda r: self._view(r, self._decode.presence),
        )

    def delete_presence(
        self,
        guild: snowflakes.SnowflakeishOr[guilds.PartialGuild],
        user: snowflakes.SnowflakeishOr[users.PartialUser],
        /,
    ) -> typing.Optional[presences.MemberPresence]:
        key = (_id(guild), _id(user))
        return self._delete("presence", key, lambda: self._store.delete_presence(*key), self._decode.presence)

    def set_presence(self, presence: presences.MemberPresence, /) -> None:
        self._set("set_presence", self._encode.presence, presence)

    def update_presence(
        self, presence: presences.MemberPresence, /
    ) -> typing.Tuple[typing.Optional[presences.MemberPresence], typing.Optional[presences.MemberPresence]]:
        key = (int(presence.guild_id), int(presence.user_id))
        return self._update(
            "presence", key, "update_presence", self._encode.presence, presence, self._decode.presence,
            lambda: self.get_presence(*key),
        )

    def clear_roles(self) -> cache_api.CacheView[snowflakes.Snowflake, guilds.Role]:
        return self._clear("roles", None, self._store.clear_roles, lambda r: self._view(r, self._decode.role))

    def clear_roles_for_guild(
        self, guild: snowflakes.SnowflakeishOr[guilds.PartialGuild], /
    ) -> cache_api.CacheView[snowflakes.Snowflake, guilds.Role]:
        g = _id(guild)
        return self._clear(
            "roles_for_guild", g, lambda: self._store.clear_roles_for_guild(g), lambda r: self._view(r, self._decode.role)
        )

    def delete_role(self, role: snowflakes.SnowflakeishOr[guilds.PartialRole], /) -> typing.Optional[guilds.Role]:
        i = _id(role)
        return self._delete("role", i, lambda: self._store.delete_role(i), self._decode.role)

    def set_role(self, role: guilds.Role, /) -> None:
        self._set("set_role", self._encode.role, role)

    def update_role(self, role: guilds.Role, /) -> typing.Tuple[typing.Optional[guilds.Role], typing.Optional[guilds.Role]]:
        return self._update(
            "role", int(role.id), "update_role", self._encode.role, role, self._decode.role, lambda: self.get_role(role.id)
        )

    def clear_voice_states(
        self,
    ) -> cache_api.CacheView[snowflakes.Snowflake, cache_api.CacheView[snowflakes.Snowflake, voices.VoiceState]]:
        return self._clear(
            "voice_states", None, self._store.clear_voice_states, lambda r: self._nested(r, self._decode.voice_state)
        )

    def clear_voice_states_for_guild(
        self, guild: snowflakes.SnowflakeishOr[guilds.PartialGuild], /
    ) -> cache_api.CacheView[snowflakes.Snowflake, voices.VoiceState]:
        g = _id(guild)
        return self._clear(
            "voice_states_for_guild", g, lambda: self._store.clear_voice_states_for_guild(g),
            lambda r: self._view(r, self._decode.voice_state),
        )

    def clear_voice_states_for_channel(
        self,
        guild: snowflakes.SnowflakeishOr[guilds.PartialGuild],
        channel: snowflakes.SnowflakeishOr[channels.PartialChannel],
        /,
    ) -> cache_api.CacheView[snowflakes.Snowflake, voices.VoiceState]:
        key = (_id(guild), _id(channel))
        return self._clear(
            "voice_states_for_channel", key, lambda: self._store.clear_voice_states_for_channel(*key),
            lambda r: self._view(r, self._decode.voice_state),
        )

    def delete_voice_state(
        self,
        guild: snowflakes.SnowflakeishOr[guilds.PartialGuild],
        user: snowflakes.SnowflakeishOr[users.PartialUser],
        /,
    ) -> typing.Optional[voices.VoiceState]:
        key = (_id(guild), _id(user))
        return self._delete("voice_state", key, lambda: self._store.delete_voice_state(*key), self._decode.voice_state)

    def set_voice_state(self, voice_state: voices.VoiceState, /) -> None:
        self._set("set_voice_state", self._encode.voice_state, voice_state)

    def update_voice_state(
        self, voice_state: voices.VoiceState, /
    ) -> typing.Tuple[typing.Optional[voices.VoiceState], typing.Optional[voices.VoiceState]]:
        key = (int(voice_state.guild_id), int(voice_state.user_id))
        return self._update(
            "voice_state", key, "update_voice_state", self._encode.voice_state, voice_state, self._decode.voice_state,
            lambda: self.get_voice_state(*key),
        )

    def clear_messages(self) -> cache_api.CacheView[snowflakes.Snowflake, messages.Message]:
        return self._clear("messages", None, self._store.clear_messages, lambda r: self._view(r, self._decode.message))

    def delete_message(self, message: snowflakes.SnowflakeishOr[messages.PartialMessage], /) -> typing.Optional[messages.Message]:
        i = _id(message)
        return self._delete("message", i, lambda: self._store.delete_message(i), self._decode.message)

    def set_message(self, message: messages.Message, /) -> None:
        self._set("set_message", self._encode.message, message)

    def update_message(
        self, message: typing.Union[messages.PartialMessage, messages.Message], /
    ) -> typing.Tuple[typing.Optional[messages.Message], typing.Optional[messages.Message]]:
        return self._update(
            "message", int(message.id), "update_message", self._encode.message, message, self._decode.message,
            lambda: self.get_message(message.id),
        )


class _Empty(cache_api.CacheView[typing.Any, typing.Any]):
    """What a clear_x returns in a replay when hikari's consumer does not use it: empty."""

    __slots__ = ()

    def __getitem__(self, key: typing.Any) -> typing.NoReturn:  # noqa: ANN401
        raise KeyError(key)

    def __iter__(self) -> typing.Iterator[typing.Any]:
        return iter(())

    def __len__(self) -> int:
        return 0

    def get_item_at(self, index: typing.Union[slice, int], /) -> typing.NoReturn:
        raise IndexError(index)


_EMPTY: typing.Final = _Empty()
