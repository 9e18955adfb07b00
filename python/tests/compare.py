"""Comparing two hikari caches getter by getter, object by object.

``cache_differences(ours, theirs)`` walks every getter and view of hikari's Cache interface
(../shared/seed/hikari-api-cache.txt) over every key either cache holds, and returns one line per
difference: ``"<method> <key>: <path>: <ours> != <theirs>"``. Objects are compared field by field
(attrs fields, except ``app``); sequences element by element; mappings key by key.
"""

from __future__ import annotations

import datetime
import enum
import typing

import attrs

Diff = str


def deep_diff(ours: typing.Any, theirs: typing.Any, path: str = "") -> typing.List[Diff]:  # noqa: ANN401, C901, PLR0911
    out: typing.List[Diff] = []
    if attrs.has(type(ours)) or attrs.has(type(theirs)):
        if type(ours) is not type(theirs):
            return [f"{path}: type {type(ours).__name__} != {type(theirs).__name__}"]
        for field in attrs.fields(type(ours)):
            if field.name == "app":
                continue
            out += deep_diff(getattr(ours, field.name), getattr(theirs, field.name), f"{path}.{field.name}")
        return out
    if isinstance(ours, typing.Mapping) and isinstance(theirs, typing.Mapping):
        keys_ours, keys_theirs = list(ours.keys()), list(theirs.keys())
        if set(keys_ours) != set(keys_theirs):
            return [f"{path}: keys {sorted(map(str, keys_ours))} != {sorted(map(str, keys_theirs))}"]
        for key in keys_ours:
            out += deep_diff(ours[key], theirs[key], f"{path}[{key}]")
        return out
    if isinstance(ours, (list, tuple)) and isinstance(theirs, (list, tuple)):
        if len(ours) != len(theirs):
            return [f"{path}: {len(ours)} items != {len(theirs)} items: {ours!r} != {theirs!r}"]
        for i, (a, b) in enumerate(zip(ours, theirs)):
            out += deep_diff(a, b, f"{path}[{i}]")
        return out
    if isinstance(ours, (enum.Enum, int, float, str, bool, datetime.datetime, datetime.timedelta)) or ours is None:
        if ours != theirs or (ours is None) != (theirs is None):
            return [f"{path}: {ours!r} != {theirs!r}"]
        return []
    if ours != theirs:
        return [f"{path}: {ours!r} != {theirs!r}"]
    return []


def _keys(view: typing.Any) -> typing.List[typing.Any]:  # noqa: ANN401
    return list(view.keys()) if view is not None else []


def view_diff(name: str, ours: typing.Any, theirs: typing.Any, *, ordered: bool) -> typing.List[Diff]:  # noqa: ANN401
    """A CacheView against another: same keys (in the same order when `ordered`), same values."""
    out: typing.List[Diff] = []
    keys_ours, keys_theirs = _keys(ours), _keys(theirs)
    if ordered and keys_ours != keys_theirs:
        out.append(f"{name}: order {keys_ours} != {keys_theirs}")
    if set(keys_ours) != set(keys_theirs):
        out.append(f"{name}: keys only ours {sorted(set(keys_ours) - set(keys_theirs))}, "
                   f"only theirs {sorted(set(keys_theirs) - set(keys_ours))}")
    if len(ours) != len(keys_ours):
        out.append(f"{name}: len() {len(ours)} but {len(keys_ours)} keys")
    for key in set(keys_ours) & set(keys_theirs):
        out += deep_diff(ours[key], theirs[key], f"{name}[{key}]")
    # values() and items() walk the snapshot: they must agree with [] lookups.
    values = list(ours.values())
    if len(values) != len(keys_ours):
        out.append(f"{name}: values() has {len(values)} entries, keys() {len(keys_ours)}")
    for (key, value), in_order in zip(ours.items(), values):
        out += deep_diff(value, in_order, f"{name}.items()[{key}] vs values()")
    for i, key in enumerate(keys_ours[:3]):
        out += deep_diff(ours.get_item_at(i), ours[key], f"{name}.get_item_at({i})")
    return out


def nested_diff(name: str, ours: typing.Any, theirs: typing.Any) -> typing.List[Diff]:  # noqa: ANN401
    out: typing.List[Diff] = []
    if set(ours.keys()) != set(theirs.keys()):
        out.append(f"{name}: guilds {sorted(ours.keys())} != {sorted(theirs.keys())}")
    for guild in set(ours.keys()) & set(theirs.keys()):
        out += view_diff(f"{name}[{guild}]", ours[guild], theirs[guild], ordered=False)
    return out


def cache_differences(ours: typing.Any, theirs: typing.Any) -> typing.List[Diff]:  # noqa: ANN401, C901, PLR0912, PLR0915
    """Every getter and view of hikari's Cache interface, ours against theirs."""
    out: typing.List[Diff] = []

    def getter(method: str, *key: typing.Any) -> None:  # noqa: ANN401
        label = f"{method}{tuple(int(k) if isinstance(k, int) else k for k in key)}"
        out.extend(deep_diff(getattr(ours, method)(*key), getattr(theirs, method)(*key), label))

    def union(method: str, *args: typing.Any) -> typing.List[typing.Any]:  # noqa: ANN401
        return sorted(set(_keys(getattr(ours, method)(*args))) | set(_keys(getattr(theirs, method)(*args))), key=str)

    guilds = union("get_guilds_view")
    # guilds seen only through scoped entities (members, messages, ...) count too
    guild_ids = set(guilds)
    for method in ("get_members_view", "get_presences_view", "get_voice_states_view"):
        guild_ids |= set(union(method))
    for c in list(_keys(ours.get_guild_channels_view())) + list(_keys(theirs.get_guild_channels_view())):
        for cache in (ours, theirs):
            if (channel := cache.get_guild_channel(c)) is not None:
                guild_ids.add(channel.guild_id)
    guild_ids_sorted = sorted(guild_ids)

    # guilds
    for g in guild_ids_sorted:
        getter("get_guild", g)
        getter("get_available_guild", g)
        getter("get_unavailable_guild", g)
    for method in ("get_guilds_view", "get_available_guilds_view", "get_unavailable_guilds_view"):
        out += view_diff(method, getattr(ours, method)(), getattr(theirs, method)(), ordered=False)

    # per-id kinds: getter for every key, the global view, the scoped views
    per_id = [
        ("get_guild_channel", "get_guild_channels_view"),
        ("get_thread", "get_threads_view"),
        ("get_role", "get_roles_view"),
        ("get_emoji", "get_emojis_view"),
        ("get_sticker", "get_stickers_view"),
        ("get_invite", "get_invites_view"),
        ("get_user", "get_users_view"),
        ("get_message", "get_messages_view"),
    ]
    for get, view in per_id:
        for key in union(view):
            getter(get, key)
        out += view_diff(view, getattr(ours, view)(), getattr(theirs, view)(), ordered=False)
    channels = union("get_guild_channels_view")
    for g in guild_ids_sorted:
        # Discord's client order on both sides (semantics.md R2)
        out += view_diff(
            f"get_guild_channels_view_for_guild({g})",
            ours.get_guild_channels_view_for_guild(g),
            theirs.get_guild_channels_view_for_guild(g),
            ordered=True,
        )
        for method in (
            "get_threads_view_for_guild",
            "get_roles_view_for_guild",
            "get_emojis_view_for_guild",
            "get_stickers_view_for_guild",
            "get_invites_view_for_guild",
            "get_members_view_for_guild",
            "get_presences_view_for_guild",
            "get_voice_states_view_for_guild",
        ):
            out += view_diff(f"{method}({g})", getattr(ours, method)(g), getattr(theirs, method)(g), ordered=False)
        for c in channels:
            for method in (
                "get_threads_view_for_channel",
                "get_invites_view_for_channel",
                "get_voice_states_view_for_channel",
            ):
                out += view_diff(
                    f"{method}({g}, {c})", getattr(ours, method)(g, c), getattr(theirs, method)(g, c), ordered=False
                )

    # (guild, user) kinds
    for get, nested in (
        ("get_member", "get_members_view"),
        ("get_presence", "get_presences_view"),
        ("get_voice_state", "get_voice_states_view"),
    ):
        users_by_guild: typing.Dict[typing.Any, typing.Set[typing.Any]] = {}
        for cache in (ours, theirs):
            for g, inner in getattr(cache, nested)().items():
                users_by_guild.setdefault(g, set()).update(inner.keys())
        for g in guild_ids_sorted:
            users_by_guild.setdefault(g, set())
        for user in union("get_users_view"):
            for g in guild_ids_sorted:
                users_by_guild[g].add(user)
        for g, users in sorted(users_by_guild.items()):
            for u in sorted(users):
                getter(get, g, u)
        out += nested_diff(nested, getattr(ours, nested)(), getattr(theirs, nested)())

    # me, DM channel ids, settings
    getter("get_me")
    for user in union("get_dm_channel_ids_view"):
        getter("get_dm_channel_id", user)
    out += view_diff("get_dm_channel_ids_view", ours.get_dm_channel_ids_view(), theirs.get_dm_channel_ids_view(), ordered=True)
    out += deep_diff(ours.settings, theirs.settings, "settings")
    return out
