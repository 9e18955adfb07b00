"""The `snowcache` module itself: the C++ library's API from Python, without hikari."""

from __future__ import annotations

import collections.abc
import json
import random
import threading
import time
import typing

import pytest

import snowcache
from conftest import FIXTURES

GUILD = 854291645464707072
ALICE = 576321040205086720
BOB = 614182047216435200
BOT = 815916279914430464
GENERAL = 854291653853315072


def fixture_cache(name: str = "guild_life.ndjson", **kwargs: typing.Any) -> snowcache.MutableCache:  # noqa: ANN401
    cache, report = snowcache.cache_from_fixture(str(FIXTURES / name), **kwargs)
    assert report.rejected == 0
    return cache


# ---- open, close, settings, errors ---------------------------------------------------------------------------


def test_open_close_and_context_manager(tmp_path: typing.Any) -> None:  # noqa: ANN401
    path = str(tmp_path / "c")
    with snowcache.open(path) as cache:
        assert isinstance(cache, snowcache.MutableCache)
        assert cache.path == path
        assert not cache.closed
        assert cache.get_guild(1) is None
    assert cache.closed
    with pytest.raises(snowcache.ClosedError):
        cache.get_guild(1)
    cache.close()  # idempotent
    again = snowcache.MutableCache.open(path, create_if_missing=False)
    again.close()


def test_settings_default_stored_and_changed(tmp_path: typing.Any) -> None:  # noqa: ANN401
    path = str(tmp_path / "c")
    with snowcache.open(path) as cache:
        assert cache.settings == snowcache.Settings()
        assert cache.settings.components is snowcache.Components.ALL
    lean = snowcache.Settings(
        components=snowcache.Components.ALL & ~snowcache.Components.PRESENCES, max_messages=10, only_my_member=True
    )
    with snowcache.open(path, settings=lean) as cache:
        assert cache.settings == lean
    with snowcache.open(path) as cache:  # stored with the cache
        assert cache.settings == lean
        assert cache.get_presences_view_for_guild(GUILD) is not None

    class HikariLike:  # hikari's CacheSettings has these four attributes
        components = 8191
        max_messages = 300
        max_dm_channel_ids = 5
        only_my_member = False

    with snowcache.open(path, settings=HikariLike()) as cache:
        assert cache.settings.max_dm_channel_ids == 5
    with pytest.raises(ValueError):
        snowcache.open(path, settings=snowcache.Settings(max_messages=-1))


def test_errors_are_a_hierarchy_with_code_and_message(tmp_path: typing.Any) -> None:  # noqa: ANN401
    for cls in (
        snowcache.InvalidArgumentError,
        snowcache.CorruptionError,
        snowcache.IOFailureError,
        snowcache.NotACacheError,
        snowcache.FormatMismatchError,
        snowcache.InUseError,
        snowcache.ReadOnlyError,
        snowcache.NotFoundError,
        snowcache.FailedError,
        snowcache.ClosedError,
    ):
        assert issubclass(cls, snowcache.Error)
    with pytest.raises(snowcache.NotFoundError) as not_found:
        snowcache.Cache.open(str(tmp_path / "absent"))
    assert not_found.value.code == "not_found"
    (tmp_path / "file").write_text("x")
    with pytest.raises(snowcache.NotACacheError):
        snowcache.open(str(tmp_path / "file"))
    with snowcache.open(str(tmp_path / "c")) as cache:
        with pytest.raises(snowcache.InUseError) as in_use:
            snowcache.open(str(tmp_path / "c"))
        assert in_use.value.code == "in_use"
        with pytest.raises(snowcache.InvalidArgumentError) as bad:
            cache.set_member({"guild_id": str(GUILD), "user": {"id": "not a number"}})
        assert bad.value.code == "invalid_argument"
        assert "member.user.id" in bad.value.message
        with pytest.raises(snowcache.InvalidArgumentError):
            cache.set_member({"guild_id": str(GUILD)})  # no user: a missing scope
        with pytest.raises(snowcache.InvalidArgumentError):
            cache.set_emoji({"id": "1", "name": "x"})  # no guild id


def test_in_memory_cache_keeps_nothing(tmp_path: typing.Any) -> None:  # noqa: ANN401
    path = str(tmp_path / "mem")
    with snowcache.open(path, in_memory=True) as cache:
        cache.set_role({"id": "5", "guild_id": "4", "name": "r"})
        assert cache.get_role(5)["name"] == "r"
    with snowcache.open(path, in_memory=True) as cache:
        assert cache.get_role(5) is None


def test_read_only_and_secondary_handles(tmp_path: typing.Any) -> None:  # noqa: ANN401
    path = str(tmp_path / "c")
    fixture_cache(directory=path).close()
    with snowcache.Cache.open(path) as ro:
        assert not hasattr(ro, "set_member")
        assert ro.get_guild(GUILD)["name"] == "Snowcache Laboratory"
    with snowcache.open(path) as writer, snowcache.Cache.open(path, secondary=True) as reader:
        writer.set_role({"id": "77", "guild_id": str(GUILD), "name": "late"})
        reader.catch_up()
        assert reader.get_role(77)["name"] == "late"


# ---- getters, setters, views ----------------------------------------------------------------------------------

# kinds of the dump read by the getter get_<kind> (me and dm_channel_id are checked apart); their key
# parts are its arguments: ints, but an invite's code
GETTER_KINDS = (
    "guild", "guild_channel", "thread", "role", "emoji", "sticker", "invite", "member", "user", "presence",
    "voice_state", "message",
)  # fmt: skip


@pytest.mark.parametrize("stream", sorted(p.name for p in FIXTURES.glob("*.ndjson")))
def test_dicts_equal_the_librarys_json(stream: str) -> None:
    """The binding turns stored values into dicts itself (the public API has no "JSON of a Value"):
    every entity of every fixture must read exactly as the library's own JSON of it (entity_json)."""
    shard = 1 if stream.endswith("_1.ndjson") else 0  # ready_reconcile_sharded_1: shard 1 of 2
    with fixture_cache(stream, shard=shard) as cache:
        seen = 0
        for line in cache.dump():
            entry = json.loads(line)
            kind, key, value = entry["kind"], entry["key"], entry["value"]
            assert json.loads(cache.entity_json(kind, () if kind == "me" else key)) == value
            if kind == "me":
                assert cache.get_me() == value
            elif kind == "dm_channel_id":
                assert cache.get_dm_channel_id(int(key[0])) == int(value["channel_id"])
            else:
                assert kind in GETTER_KINDS, f"{kind}: no getter"
                convert = str if kind == "invite" else int
                got = getattr(cache, "get_" + kind)(*map(convert, key))
                if got is not None:  # hidden members (held only by a message or voice state) read as absent
                    assert got == value, f"{kind} {key}"
                    seen += 1
                else:
                    assert kind == "member", f"{kind} {key} is in the dump but its getter misses"
        assert seen or all(json.loads(ln)["kind"] in ("me", "member") for ln in cache.dump())


def _semantic(value: typing.Any) -> typing.Any:  # noqa: ANN401
    """`value` without the fields that hold their schema default (false, 0, []): the gateway ingest
    stores such values explicitly, the setters (flatc's object API) leave them out; both read the same."""
    if isinstance(value, dict):
        return {k: _semantic(v) for k, v in value.items() if v not in (False, 0, []) or v is None}
    if isinstance(value, list):
        return [_semantic(v) for v in value]
    return value


def test_set_update_delete_round_trip(tmp_path: typing.Any) -> None:  # noqa: ANN401
    """Every entity of a fixture, set through the setters into a fresh cache, reads back the same."""
    with fixture_cache() as source, snowcache.open(str(tmp_path / "c")) as cache:
        pairs = [
            ("guild", source.get_guilds_view(), "set_guild", "get_guild"),
            ("guild_channel", source.get_guild_channels_view(), "set_guild_channel", "get_guild_channel"),
            ("thread", source.get_threads_view(), "set_thread", "get_thread"),
            ("role", source.get_roles_view(), "set_role", "get_role"),
            ("emoji", source.get_emojis_view(), "set_emoji", "get_emoji"),
            ("sticker", source.get_stickers_view(), "set_sticker", "get_sticker"),
            ("invite", source.get_invites_view(), "set_invite", "get_invite"),
            ("message", source.get_messages_view(), "set_message", "get_message"),
        ]
        for kind, view, setter, getter in pairs:
            for key, value in view.items():
                getattr(cache, setter)(value)
                assert _semantic(getattr(cache, getter)(key)) == _semantic(value), f"{kind} {key}"
        for guild, members in source.get_members_view().items():
            for user, member in members.items():
                cache.set_member(member)
                assert _semantic(cache.get_member(guild, user)) == _semantic(member)
        me = source.get_me()
        cache.set_me(me)
        assert _semantic(cache.get_me()) == _semantic(me)
        old, new = cache.update_role({**source.get_role(GUILD), "name": "everyone, renamed"})
        assert old["name"] == "@everyone" and new["name"] == "everyone, renamed"
        assert cache.delete_role(GUILD)["name"] == "everyone, renamed"
        assert cache.delete_role(GUILD) is None
        removed = cache.clear_roles_for_guild(GUILD)
        assert isinstance(removed, snowcache._snowcache.View) and len(removed) >= 1
        assert len(cache.get_roles_view_for_guild(GUILD)) == 0
        cache.set_dm_channel_id(ALICE, 1006111557681283072)
        assert cache.get_dm_channel_id(ALICE) == 1006111557681283072
        assert cache.delete_dm_channel_id(ALICE) == 1006111557681283072
        cache.clear()
        assert len(cache.get_guilds_view()) == 0


def test_views_are_read_only_mapping_snapshots() -> None:
    with fixture_cache() as cache:
        view = cache.get_members_view_for_guild(GUILD)
        collections.abc.Mapping.register(type(view))
        keys = view.keys()
        assert keys == sorted(keys)  # ascending id (R2)
        assert len(view) == len(keys) == 4
        assert ALICE in view and 1 not in view and "x" not in view
        assert view[ALICE]["user"]["username"] == "alice"
        with pytest.raises(KeyError):
            view[1]
        assert view.get(1) is None and view.get(1, "d") == "d"
        assert list(view) == keys
        assert [k for k, _ in view.items()] == keys
        assert view.get_item_at(0) == view[keys[0]]
        assert view.get_item_at(slice(1, None, 2)) == [view[keys[1]], view[keys[3]]]
        with pytest.raises(IndexError):
            view.get_item_at(4)
        with pytest.raises(IndexError):  # hikari raises ValueError here (D16); R2: out of range is an error
            view.get_item_at(-1)
        # a snapshot: later writes do not show
        cache.delete_member(GUILD, ALICE)
        assert ALICE in view and ALICE not in cache.get_members_view_for_guild(GUILD)
        nested = cache.get_members_view()
        assert nested.keys() == [GUILD]
        assert len(nested[GUILD]) == 3 and GUILD in nested
        assert [g for g, _ in nested.items()] == [GUILD]
        channels = cache.get_guild_channels_view_for_guild(GUILD)
        assert [c["name"] for c in channels.values()][0] == "Text Channels"  # client order
    assert len(view) == 4  # a view outlives the handle it came from


def test_disabled_kinds_read_empty(tmp_path: typing.Any) -> None:  # noqa: ANN401
    settings = snowcache.Settings(components=snowcache.Components.NONE)
    cache, _ = snowcache.cache_from_fixture(str(FIXTURES / "guild_life.ndjson"), settings=settings)
    with cache:
        assert cache.get_member(GUILD, ALICE) is None
        assert len(cache.get_roles_view()) == 0
        assert cache.update_role({"id": "1", "guild_id": "2", "name": "x"}) == (None, None)
        assert len(cache.get_guilds_view()) == 0  # ungated (R1), but GUILD_CREATE stored nothing


# ---- the gateway ---------------------------------------------------------------------------------------------


def test_gateway_outcomes_and_sessions(tmp_path: typing.Any) -> None:  # noqa: ANN401
    lines = [ln for ln in (FIXTURES / "guild_life.ndjson").read_text().splitlines() if ln and not ln.startswith("#")]
    with snowcache.open(str(tmp_path / "c")) as cache:
        gateway = snowcache.Gateway(cache)
        first = gateway.ingest_frame(0, lines[0])  # str
        assert first.outcome is snowcache.Outcome.APPLIED and first.event == "READY" and first.sequence == 1
        assert first.ok and first.code == "ok"
        assert gateway.ingest_frame(0, lines[1].encode()).outcome is snowcache.Outcome.APPLIED  # bytes
        assert gateway.ingest_frame(0, memoryview(lines[1].encode())).outcome is snowcache.Outcome.DUPLICATE
        frame = json.loads(lines[2])
        split = gateway.ingest(0, frame["t"], frame["s"], json.dumps(frame["d"]))
        assert split.outcome is snowcache.Outcome.APPLIED
        assert gateway.ingest_frame(0, b'{"op":11}').outcome is snowcache.Outcome.IGNORED
        rejected = gateway.ingest_frame(0, b'{"op":0,"t":"GUILD_ROLE_CREATE","s":4,"d":{"guild_id":"x"}}')
        assert rejected.outcome is snowcache.Outcome.REJECTED and not rejected.ok
        assert rejected.code == "invalid_argument" and "GUILD_ROLE_CREATE" in rejected.message
        session = cache.session(0)
        assert session == cache.sessions()[0]
        assert session.session_id == "9f2c4e7a1b3d5f60" and session.sequence == 3 and session.user_id == BOT
        assert session.resumable
        assert cache.session(5) is None
        with pytest.raises(TypeError):
            gateway.ingest_frame(0, 42)
        report = gateway.ingest_file(str(FIXTURES / "guild_life.ndjson"))
        assert report.duplicate == 3 and report.applied + report.ignored == len(lines) - 3
        with pytest.raises(snowcache.NotFoundError):
            gateway.ingest_file(str(tmp_path / "absent.ndjson"))
    with pytest.raises(snowcache.ClosedError):  # closing the cache closed its gateway
        gateway.ingest_frame(0, lines[0])


def test_bad_input_never_crashes(tmp_path: typing.Any) -> None:  # noqa: ANN401
    rng = random.Random(17)
    lines = [ln for ln in (FIXTURES / "guild_life.ndjson").read_text().splitlines() if ln and not ln.startswith("#")]
    with snowcache.open(str(tmp_path / "c")) as cache:
        gateway = snowcache.Gateway(cache)
        for _ in range(3000):
            base = bytearray(rng.choice(lines).encode())
            for _ in range(rng.randint(1, 8)):
                base[rng.randrange(len(base))] = rng.randrange(256)
            cut = base[: rng.randrange(len(base) + 1)]
            result = gateway.ingest_frame(rng.randrange(4), bytes(cut))
            assert result.outcome in set(snowcache.Outcome)
            assert (result.outcome is snowcache.Outcome.REJECTED) == (not result.ok)
        junk = [None, 1, -1, 2**70, 1.5, "x", [], [1, "a"], {"id": {}}, b"\xff", True]
        setters = [m for m in dir(cache) if m.startswith(("set_", "update_")) and m not in ("set_dm_channel_id", "set_guild_availability")]
        for _ in range(2000):
            payload = {rng.choice(["id", "guild_id", "user", "roles", "name", "code", "channel_id", "user_id"]): rng.choice(junk) for _ in range(3)}
            if rng.random() < 0.5:
                payload["user"] = {"id": rng.choice(junk)}
            try:
                getattr(cache, rng.choice(setters))(payload)
            except (snowcache.InvalidArgumentError, TypeError):
                pass
        for bad in (-1, 2**64, "1", None):
            with pytest.raises(TypeError):
                cache.get_guild(bad)
        assert cache.verify().ok


def test_the_gil_is_released_while_the_library_works(tmp_path: typing.Any) -> None:  # noqa: ANN401
    """A Python thread keeps running while another thread ingests a large GUILD_CREATE."""
    members = [
        {"user": {"id": str(10**17 + i), "username": f"u{i}", "discriminator": "0"}, "roles": [], "joined_at": None}
        for i in range(20000)
    ]
    guild = {"id": "900000000000000000", "name": "big", "large": False, "member_count": len(members),
             "members": members, "channels": [], "roles": [], "emojis": [], "stickers": [], "threads": [],
             "presences": [], "voice_states": [], "owner_id": "1", "joined_at": None}
    frame = json.dumps({"op": 0, "t": "GUILD_CREATE", "s": 1, "d": guild}).encode()
    with snowcache.open(str(tmp_path / "c")) as cache:
        gateway = snowcache.Gateway(cache)
        done = threading.Event()
        result: typing.List[typing.Any] = []

        def ingest() -> None:
            result.append(gateway.ingest_frame(0, frame))
            done.set()

        thread = threading.Thread(target=ingest)
        ticks = 0
        start = time.perf_counter()
        thread.start()
        while not done.is_set():
            ticks += 1
        elapsed = time.perf_counter() - start
        thread.join()
        assert result[0].outcome is snowcache.Outcome.APPLIED
        assert len(cache.get_members_view_for_guild(900000000000000000)) == 20000
        # Holding the GIL for the whole ingest would leave this loop a handful of iterations.
        assert ticks > 1000, f"{ticks} iterations in {elapsed:.3f} s: the GIL was held"


def test_verify_and_dump() -> None:
    with fixture_cache() as cache:
        report = cache.verify()
        assert report.ok and report.entities > 0 and report.problems == []
        lines = cache.dump(kind="role")
        assert lines and all(json.loads(ln)["kind"] == "role" for ln in lines)
        assert all(json.loads(ln)["key"] for ln in cache.dump(guild=GUILD))
        with pytest.raises(snowcache.InvalidArgumentError):
            cache.dump(kind="nope")
        with pytest.raises(snowcache.InvalidArgumentError):
            cache.entity_json("member", ("x", "y"))
        assert json.loads(cache.entity_json("me", ()))["id"] == str(BOT)


def test_type_stubs_name_what_the_extension_has() -> None:
    """_snowcache.pyi and the extension list the same classes and methods."""
    import ast
    import pathlib

    from snowcache import _snowcache

    stub = ast.parse((pathlib.Path(snowcache.__file__).parent / "_snowcache.pyi").read_text())
    classes = {n.name: n for n in stub.body if isinstance(n, ast.ClassDef)}

    def stubbed_names(node: ast.ClassDef) -> typing.Set[str]:
        names = {n.name for n in node.body if isinstance(n, ast.FunctionDef)}
        for base in node.bases:
            if isinstance(base, ast.Name) and base.id in classes:
                names |= stubbed_names(classes[base.id])
        return names

    for node in stub.body:
        if isinstance(node, ast.ClassDef):
            assert hasattr(_snowcache, node.name), f"the stub's {node.name} is not in the extension"
            cls = getattr(_snowcache, node.name)
            stubbed = stubbed_names(node)
            public = {n for n in dir(cls) if not n.startswith("_")}
            if node.name in ("Cache", "MutableCache", "View", "NestedView", "Gateway", "IngestResult"):
                assert public <= stubbed | {n for n in dir(Exception)}, f"{node.name}: not in the stub: {public - stubbed}"
            assert all(hasattr(cls, n) for n in stubbed), f"{node.name}: stubbed but absent: {[n for n in stubbed if not hasattr(cls, n)]}"
        elif isinstance(node, ast.FunctionDef):
            assert hasattr(_snowcache, node.name)
