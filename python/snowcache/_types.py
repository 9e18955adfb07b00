"""Plain value types of the snowcache package: settings, components, sessions, reports."""

from __future__ import annotations

import dataclasses
import enum
import typing

__all__ = ["Components", "FixtureReport", "Outcome", "Session", "Settings", "VerifyReport"]


class Components(enum.IntFlag):
    """What a cache keeps: hikari's ``CacheComponents``, same names and bits."""

    NONE = 0
    GUILDS = 1 << 0
    GUILD_CHANNELS = 1 << 1
    MEMBERS = 1 << 2
    ROLES = 1 << 3
    INVITES = 1 << 4
    EMOJIS = 1 << 5
    PRESENCES = 1 << 6
    VOICE_STATES = 1 << 7
    MESSAGES = 1 << 8
    ME = 1 << 9
    DM_CHANNEL_IDS = 1 << 10
    GUILD_STICKERS = 1 << 11
    GUILD_THREADS = 1 << 12
    ALL = 8191


class Outcome(enum.Enum):
    """What ingesting one gateway frame did (``IngestResult.outcome``)."""

    APPLIED = "applied"
    """The event is in the cache, together with its shard's sequence."""
    DUPLICATE = "duplicate"
    """Its sequence is not above the stored one: applied before (a RESUME replays). Nothing written."""
    IGNORED = "ignored"
    """Not cache-affecting (TYPING_START, a control frame, an unknown dispatch); a dispatch's sequence
    still advances."""
    REJECTED = "rejected"
    """Malformed, or a write failed: nothing of it written and the sequence does not move."""


@dataclasses.dataclass(frozen=True)
class Settings:
    """What a cache keeps, stored with it (hikari's ``CacheSettings``: same names, values and defaults).

    Pass one to ``MutableCache.open(settings=...)`` to change a cache's settings: kinds no longer kept are
    cleared and lower limits evict, at open. hikari's own ``CacheSettings`` is accepted wherever this is.
    """

    components: Components = Components.ALL
    """Which stores are active. Default: ALL."""
    max_messages: int = 300
    """Capacity of the message store; the oldest (smallest id) message is evicted past it. Default: 300."""
    max_dm_channel_ids: int = 50
    """Capacity of the DM channel id store; the oldest-inserted is evicted past it. Default: 50."""
    only_my_member: bool = False
    """GUILD_CREATE keeps only the bot's own member. Default: False."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "components", Components(int(self.components)))


@dataclasses.dataclass(frozen=True)
class Session:
    """A shard's gateway session as stored by READY and every applied dispatch: what RESUME needs."""

    shard: int
    shard_count: int
    session_id: str
    """Empty when the shard received dispatches but no READY: it cannot be resumed (IDENTIFY)."""
    resume_gateway_url: str
    sequence: typing.Optional[int]
    """The last applied dispatch's ``s``."""
    user_id: int
    """The bot's user id, from READY (0 when unknown)."""

    @property
    def resumable(self) -> bool:
        """True when a RESUME can be attempted with this session."""
        return bool(self.session_id) and self.sequence is not None


@dataclasses.dataclass(frozen=True)
class FixtureReport:
    """How the frames of an NDJSON stream were taken: counts per outcome and the rejections by line."""

    applied: int
    duplicate: int
    ignored: int
    rejected: int
    rejections: typing.List[str]


@dataclasses.dataclass(frozen=True)
class VerifyReport:
    """The result of ``Cache.verify()``: one line per problem found, naming the entity."""

    entities: int
    index_entries: int
    problems: typing.List[str]

    @property
    def ok(self) -> bool:
        return not self.problems
