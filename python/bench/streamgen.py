"""A seeded generator of realistic gateway streams for the Python benchmark.

The shape follows cachebench's (tools/cachebench/generator.cc): READY; a GUILD_CREATE per small guild
listing every member and presence; a large guild whose GUILD_CREATE lists 100 members and whose members
then arrive in GUILD_MEMBERS_CHUNKs of 1,000 (with presences), as the answer to a member request does;
then a steady mix of 40% MESSAGE_CREATE, 30% PRESENCE_UPDATE, 10% GUILD_MEMBER_UPDATE, 10%
VOICE_STATE_UPDATE and 10% TYPING_START. Users have avatar hashes, members nicknames and roles,
presences an activity.
"""

from __future__ import annotations

import dataclasses
import random
import typing

JSON = typing.Dict[str, typing.Any]

BOT_ID = 815916279914430464
EPOCH_ID = 1000000000000000000  # ids are EPOCH_ID + a counter: valid, increasing snowflakes


@dataclasses.dataclass
class Shape:
    small_guilds: int = 100
    members_per_small_guild: int = 100
    large_guilds: int = 1
    members_per_large_guild: int = 100_000
    chunk_size: int = 1000
    channels_per_guild: int = 10
    roles_per_guild: int = 10
    steady_events: int = 20_000
    seed: int = 42


@dataclasses.dataclass
class Stream:
    flood: typing.List[JSON]
    steady: typing.List[JSON]
    members: int
    member_keys: typing.List[typing.Tuple[int, int]]
    channel_ids: typing.List[int]
    largest_guild: int


class _Ids:
    def __init__(self) -> None:
        self.n = 0

    def next(self) -> int:
        self.n += 1
        return EPOCH_ID + (self.n << 22)


def _hash(rng: random.Random) -> str:
    return "%032x" % rng.getrandbits(128)


def _user(uid: int, rng: random.Random) -> JSON:
    return {
        "id": str(uid),
        "username": f"user{uid % 1000003}",
        "discriminator": "0",
        "global_name": f"User {uid % 99991}",
        "avatar": _hash(rng),
        "public_flags": 0,
    }


def _member(uid: int, guild: int, roles: typing.List[int], rng: random.Random) -> JSON:
    return {
        "user": _user(uid, rng),
        "nick": f"nick{uid % 7919}" if rng.random() < 0.3 else None,
        "roles": [str(r) for r in rng.sample(roles, k=min(len(roles), rng.randint(0, 3)))],
        "joined_at": "2021-06-15T09:31:00.000000+00:00",
        "premium_since": None,
        "deaf": False,
        "mute": False,
        "flags": 0,
        "pending": False,
    }


def _presence(uid: int, guild: int, rng: random.Random) -> JSON:
    status = rng.choice(["online", "idle", "dnd"])
    return {
        "user": {"id": str(uid)},
        "guild_id": str(guild),
        "status": status,
        "activities": [{"name": rng.choice(["Chess", "Rocket League", "Factorio"]), "type": 0, "created_at": 1700000000000}],
        "client_status": {"desktop": status},
    }


def generate(shape: Shape) -> Stream:  # noqa: PLR0915 - one stream, built in order
    rng = random.Random(shape.seed)
    ids = _Ids()
    flood: typing.List[JSON] = []
    s = 0

    def dispatch(t: str, d: JSON, into: typing.List[JSON]) -> None:
        nonlocal s
        s += 1
        into.append({"op": 0, "t": t, "s": s, "d": d})

    guild_specs = [(False, shape.members_per_small_guild)] * shape.small_guilds + [
        (True, shape.members_per_large_guild)
    ] * shape.large_guilds
    guilds = [ids.next() for _ in guild_specs]
    bot = _user(BOT_ID, rng) | {"bot": True, "mfa_enabled": False, "verified": True, "flags": 0, "locale": "en-US"}
    dispatch(
        "READY",
        {
            "v": 10, "user": bot, "session_id": "bench-session", "resume_gateway_url": "wss://gateway.invalid",
            "shard": [0, 1], "guilds": [{"id": str(g), "unavailable": True} for g in guilds],
            "application": {"id": str(BOT_ID), "flags": 0},
        },
        flood,
    )
    member_keys: typing.List[typing.Tuple[int, int]] = []
    channel_ids: typing.List[int] = []
    text_channels: typing.Dict[int, typing.List[int]] = {}
    voice_channels: typing.Dict[int, typing.List[int]] = {}
    guild_members: typing.Dict[int, typing.List[int]] = {}
    guild_roles: typing.Dict[int, typing.List[int]] = {}
    largest = guilds[-1]
    for guild, (large, count) in zip(guilds, guild_specs):
        roles = [ids.next() for _ in range(shape.roles_per_guild)]
        guild_roles[guild] = roles
        channels = [ids.next() for _ in range(shape.channels_per_guild)]
        channel_ids += channels
        text_channels[guild] = channels[: len(channels) - 2]
        voice_channels[guild] = channels[len(channels) - 2 :]
        users = [BOT_ID] + [ids.next() for _ in range(count - 1)]
        guild_members[guild] = users
        member_keys += [(guild, u) for u in users]
        listed = users if not large else users[:100]
        d = {
            "id": str(guild), "name": f"guild {guild % 10007}", "icon": _hash(rng), "description": None,
            "splash": None, "discovery_splash": None, "banner": None, "owner_id": str(users[-1]),
            "afk_channel_id": None, "afk_timeout": 300, "verification_level": 1, "default_message_notifications": 1,
            "explicit_content_filter": 0, "mfa_level": 0, "application_id": None, "system_channel_id": None,
            "system_channel_flags": 0, "rules_channel_id": None, "vanity_url_code": None, "premium_tier": 0,
            "premium_subscription_count": 0, "preferred_locale": "en-US", "public_updates_channel_id": None,
            "nsfw_level": 0, "premium_progress_bar_enabled": False, "features": [],
            "roles": [
                {"id": str(r if i else guild), "name": f"role{i}", "color": rng.randrange(1 << 24), "hoist": False,
                 "icon": None, "unicode_emoji": None, "position": i, "permissions": "104324673", "managed": False,
                 "mentionable": False, "flags": 0}
                for i, r in enumerate(roles)
            ],
            "emojis": [], "stickers": [], "joined_at": "2021-06-15T09:31:00.000000+00:00", "large": large,
            "member_count": count, "unavailable": False,
            "channels": [
                {"id": str(c), "guild_id": str(guild), "type": 2 if c in voice_channels[guild] else 0,
                 "name": f"channel-{i}", "position": i, "parent_id": None, "permission_overwrites": [],
                 "nsfw": False, "topic": None, "last_message_id": None, "rate_limit_per_user": 0,
                 **({"bitrate": 64000, "user_limit": 0, "rtc_region": None} if c in voice_channels[guild] else {})}
                for i, c in enumerate(channels)
            ],
            "threads": [],
            "members": [_member(u, guild, roles, rng) for u in listed],
            "presences": [_presence(u, guild, rng) for u in listed if rng.random() < 0.5],
            "voice_states": [], "stage_instances": [], "guild_scheduled_events": [],
        }
        dispatch("GUILD_CREATE", d, flood)
        if large:
            chunks = [users[i : i + shape.chunk_size] for i in range(0, len(users), shape.chunk_size)]
            for index, chunk in enumerate(chunks):
                dispatch(
                    "GUILD_MEMBERS_CHUNK",
                    {
                        "guild_id": str(guild), "members": [_member(u, guild, roles, rng) for u in chunk],
                        "chunk_index": index, "chunk_count": len(chunks), "nonce": "0.bench",
                        "presences": [_presence(u, guild, rng) for u in chunk if rng.random() < 0.5],
                    },
                    flood,
                )

    steady: typing.List[JSON] = []
    for i in range(shape.steady_events):
        guild = rng.choice(guilds)
        user = rng.choice(guild_members[guild])
        r = rng.random()
        if r < 0.4:
            d = {
                "id": str(ids.next()), "channel_id": str(rng.choice(text_channels[guild])), "guild_id": str(guild),
                "author": _user(user, rng), "member": {k: v for k, v in _member(user, guild, guild_roles[guild], rng).items() if k != "user"},
                "content": f"message {i} " + "x" * rng.randrange(80), "timestamp": "2023-02-01T10:00:00.000000+00:00",
                "edited_timestamp": None, "tts": False, "mention_everyone": False, "mentions": [], "mention_roles": [],
                "attachments": [], "embeds": [], "pinned": False, "type": 0, "flags": 0,
            }
            dispatch("MESSAGE_CREATE", d, steady)
        elif r < 0.7:
            dispatch("PRESENCE_UPDATE", _presence(user, guild, rng), steady)
        elif r < 0.8:
            dispatch("GUILD_MEMBER_UPDATE", _member(user, guild, guild_roles[guild], rng) | {"guild_id": str(guild)}, steady)
        elif r < 0.9:
            d = {
                "guild_id": str(guild), "channel_id": str(rng.choice(voice_channels[guild])), "user_id": str(user),
                "member": _member(user, guild, guild_roles[guild], rng), "session_id": _hash(rng), "deaf": False,
                "mute": False, "self_deaf": False, "self_mute": rng.random() < 0.5, "self_video": False,
                "suppress": False, "request_to_speak_timestamp": None,
            }
            dispatch("VOICE_STATE_UPDATE", d, steady)
        else:
            dispatch(
                "TYPING_START",
                {"channel_id": str(rng.choice(text_channels[guild])), "guild_id": str(guild), "user_id": str(user),
                 "timestamp": 1700000000},
                steady,
            )
    return Stream(flood, steady, len(member_keys), member_keys, channel_ids, largest)
