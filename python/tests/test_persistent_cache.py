"""PersistentCache's own contract: hikari's MutableCache methods with hikari objects, outside a bot's
event flow (what a RESTBot, a script or a bot's own code calls), gating, views, close."""

from __future__ import annotations

import asyncio
import inspect
import typing

import pytest

from conftest import FIXTURES
from conftest import requires_hikari

pytestmark = requires_hikari()

GUILD = 854291645464707072
ALICE = 576321040205086720
BOB = 614182047216435200


@pytest.fixture(scope="module")
def hikari_cache() -> typing.Any:  # noqa: ANN401
    """hikari's own CacheImpl after guild_life.ndjson: a source of real hikari objects of every kind."""
    from _pytest.monkeypatch import MonkeyPatch

    from harness import load_frames
    from harness import run_bot

    patch = MonkeyPatch()

    async def main() -> typing.Any:  # noqa: ANN401
        run = await run_bot(patch, load_frames(str(FIXTURES / "guild_life.ndjson")))
        return run

    run = asyncio.run(main())
    yield run.cache
    patch.undo()


def new_cache(tmp_path: typing.Any, **kwargs: typing.Any) -> typing.Any:  # noqa: ANN401
    import hikari

    from harness import TOKEN
    from snowcache.hikari import PersistentCache

    app = hikari.GatewayBot(TOKEN, banner=None, logs="CRITICAL", suppress_optimization_warning=True)
    return PersistentCache(app, str(tmp_path / "cache"), **kwargs)


# What a setter cannot keep of a hikari object (the stored form has no place for it); the rest must
# read back equal.
NOT_STORED = {
    # an invite's application is stored as its id only (schemas/invite.fbs)
    "invite": (".target_application",),
}


def test_setters_take_hikari_objects_and_getters_give_them_back(hikari_cache: typing.Any, tmp_path: typing.Any) -> None:  # noqa: ANN401
    from compare import deep_diff

    cache = new_cache(tmp_path)
    diffs: typing.List[str] = []

    def check(kind: str, got: typing.Any, want: typing.Any) -> None:  # noqa: ANN401
        ignored = NOT_STORED.get(kind, ())
        diffs.extend(d for d in deep_diff(got, want, kind) if not any(d.startswith(kind + i) for i in ignored))

    with cache:
        for guild in hikari_cache.get_guilds_view().values():
            cache.set_guild(guild)
            check("guild", cache.get_guild(guild.id), guild)
        for kind, view, setter, getter in (
            ("guild_channel", "get_guild_channels_view", "set_guild_channel", "get_guild_channel"),
            ("thread", "get_threads_view", "set_thread", "get_thread"),
            ("role", "get_roles_view", "set_role", "get_role"),
            ("emoji", "get_emojis_view", "set_emoji", "get_emoji"),
            ("sticker", "get_stickers_view", "set_sticker", "get_sticker"),
            ("invite", "get_invites_view", "set_invite", "get_invite"),
            ("message", "get_messages_view", "set_message", "get_message"),
        ):
            for key, entity in getattr(hikari_cache, view)().items():
                getattr(cache, setter)(entity)
                check(kind, getattr(cache, getter)(key), entity)
        for kind, nested, setter, getter in (
            ("member", "get_members_view", "set_member", "get_member"),
            ("presence", "get_presences_view", "set_presence", "get_presence"),
            ("voice_state", "get_voice_states_view", "set_voice_state", "get_voice_state"),
        ):
            for guild, inner in getattr(hikari_cache, nested)().items():
                for user, entity in inner.items():
                    getattr(cache, setter)(entity)
                    check(kind, getattr(cache, getter)(guild, user), entity)
        me = hikari_cache.get_me()
        cache.set_me(me)
        check("me", cache.get_me(), me)
    assert not diffs, "\n".join(diffs)


def test_update_delete_clear_return_hikari_objects(hikari_cache: typing.Any, tmp_path: typing.Any) -> None:  # noqa: ANN401
    import attrs

    from snowcache.hikari import _views

    with new_cache(tmp_path) as cache:
        role = hikari_cache.get_role(GUILD)
        assert cache.update_role(role) == (None, cache.get_role(GUILD))
        renamed = attrs.evolve(role, name="everyone")
        old, new = cache.update_role(renamed)
        assert old.name == "@everyone" and new.name == "everyone" and cache.get_role(GUILD).name == "everyone"
        member = hikari_cache.get_member(GUILD, ALICE)
        cache.set_member(member)
        assert cache.get_member(GUILD, ALICE).nickname == member.nickname
        nicked = attrs.evolve(member, nickname="ally")
        old_m, new_m = cache.update_member(nicked)
        assert (old_m.nickname, new_m.nickname) == (member.nickname, "ally")
        assert cache.get_member(GUILD, ALICE).nickname == "ally"  # the object cache moved on
        removed = cache.clear_members_for_guild(GUILD)
        assert isinstance(removed, _views.View) and list(removed) == [ALICE]
        assert cache.get_member(GUILD, ALICE) is None
        assert cache.delete_role(GUILD).name == "everyone" and cache.delete_role(GUILD) is None
        cache.set_dm_channel_id(ALICE, 1006111557681283072)
        assert cache.get_dm_channel_id(ALICE) == 1006111557681283072
        assert dict(cache.get_dm_channel_ids_view()) == {ALICE: 1006111557681283072}
        assert cache.delete_dm_channel_id(ALICE) == 1006111557681283072


def test_views_are_hikari_cache_views(hikari_cache: typing.Any, tmp_path: typing.Any) -> None:  # noqa: ANN401
    from hikari.api import cache as cache_api

    with new_cache(tmp_path) as cache:
        for member in hikari_cache.get_members_view_for_guild(GUILD).values():
            cache.set_member(member)
        view = cache.get_members_view_for_guild(GUILD)
        assert isinstance(view, cache_api.CacheView)
        assert list(view) == sorted(view)  # ascending id (R2)
        assert view.get_item_at(0) == view[sorted(view)[0]]
        assert list(view.get_item_at(slice(0, 2))) == [view[k] for k in sorted(view)[:2]]
        with pytest.raises(IndexError):  # D16: hikari raises ValueError for a negative index
            view.get_item_at(-1)
        with pytest.raises(IndexError):
            view.get_item_at(len(view))
        with pytest.raises(KeyError):
            view[1]
        nested = cache.get_members_view()
        assert isinstance(nested, cache_api.CacheView) and list(nested) == [GUILD]
        assert set(nested[GUILD]) == set(view)
        assert dict(view.items()) == {k: view[k] for k in view}


def test_disabled_components_read_as_hikari_does(hikari_cache: typing.Any, tmp_path: typing.Any) -> None:  # noqa: ANN401
    """hikari's gating table (its test_function_default): with no component, getters give None, views
    and clears are empty, updates (None, None), deletes None, setters do nothing; except the ungated
    ones (R1): get_guilds_view, get_threads_view, users, get_me, delete_me."""
    import hikari

    from hikari.api import cache as cache_api

    none = hikari.impl.CacheSettings(components=hikari.api.CacheComponents.NONE)
    entities = {
        "guild": hikari_cache.get_guild(GUILD),
        "channel": next(iter(hikari_cache.get_guild_channels_view().values())),
        "thread": next(iter(hikari_cache.get_threads_view().values())),
        "role": hikari_cache.get_role(GUILD),
        "emoji": next(iter(hikari_cache.get_emojis_view().values()), None),
        "sticker": next(iter(hikari_cache.get_stickers_view().values())),
        "member": hikari_cache.get_member(GUILD, ALICE),
        "presence": next(iter(hikari_cache.get_presences_view_for_guild(GUILD).values())),
        "voice_state": next(iter(hikari_cache.get_voice_states_view_for_guild(GUILD).values())),
        "user": hikari_cache.get_me(),
        "voice": next(iter(hikari_cache.get_voice_states_view_for_guild(GUILD).values())),
    }
    with new_cache(tmp_path, settings=none) as cache:
        called = 0
        for name, method in inspect.getmembers(cache, inspect.ismethod):
            if name not in cache_api.MutableCache.__abstractmethods__:
                continue
            params = list(inspect.signature(method).parameters.values())
            if name.startswith(("set_", "update_")) and name not in ("set_dm_channel_id", "set_guild_availability"):
                kind = name.split("_", 1)[1].replace("guild_channel", "channel")
                entity = entities.get(kind)
                if entity is None:
                    continue
                result = method(entity)
            else:
                args: typing.List[typing.Any] = [GUILD if i == 0 else ALICE for i in range(len(params))]
                if name in ("get_invite", "delete_invite"):
                    args = ["code"]
                if name == "set_guild_availability":
                    args = [GUILD, True]
                result = method(*args)
            called += 1
            if name.startswith("update_"):
                assert result == (None, None), name
            elif name.endswith("_view") or "_view_for_" in name or name.startswith("clear_"):
                if name.startswith("clear") and name != "clear" or name not in ("get_guilds_view", "get_threads_view", "get_users_view"):
                    assert result is None or len(result) == 0, name
            elif name.startswith(("get_", "delete_")) and name not in ("get_me", "delete_me", "get_user"):
                assert result is None, name
        assert called >= 100
        assert cache.get_member(GUILD, ALICE) is None


def test_bot_close_keeps_the_data(monkeypatch: pytest.MonkeyPatch, tmp_path: typing.Any) -> None:  # noqa: ANN401
    """GatewayBot.close() clears its cache; a persistent cache keeps it (and stays readable)."""
    import snowcache
    from harness import load_frames
    from harness import run_bot

    async def main() -> typing.List[str]:
        run = await run_bot(monkeypatch, load_frames(str(FIXTURES / "guild_life.ndjson")), cache_path=str(tmp_path / "c"))
        before = run.cache.store.dump()
        await run.bot.close()
        assert run.cache.get_guild(GUILD) is not None
        assert run.cache.store.dump() == before
        run.cache.close()
        return before

    before = asyncio.run(main())
    with snowcache.Cache.open(str(tmp_path / "c")) as reopened:
        assert reopened.dump() == before


def test_object_cache_follows_every_write(monkeypatch: pytest.MonkeyPatch, tmp_path: typing.Any) -> None:  # noqa: ANN401
    """Gets answered from memory are never stale: a member read, then changed by an event, reads new."""
    from harness import load_frames
    from harness import run_bot

    frames = load_frames(str(FIXTURES / "guild_life.ndjson"))
    carol = 666960460460982272

    async def main() -> None:
        run = await run_bot(monkeypatch, frames, cache_path=str(tmp_path / "c"), pause_after=9)
        cache = run.cache
        before = cache.get_member(GUILD, carol)
        assert before.nickname is None and cache.get_member(GUILD, carol) == before
        assert cache.get_member(GUILD, carol) is not cache.get_member(GUILD, carol)  # copies, as hikari's
        run.gateway.resume_feed()  # s=10: GUILD_MEMBER_UPDATE carol: nick "caz"
        await run.gateway.drained()
        assert cache.get_member(GUILD, carol).nickname == "caz"
        await run.bot.close()
        cache.close()

    asyncio.run(main())


def test_persistent_gateway_bot_restarts_in_process_with_resume(tmp_path: typing.Any) -> None:  # noqa: ANN401
    """PersistentGatewayBot(token, cache_path=...): close() then start() again in the same process RESUMEs."""
    import snowcache.hikari
    from harness import TOKEN
    from snowcache.hikari import testing

    frames = testing.load_frames(str(FIXTURES / "guild_life.ndjson"))

    async def main() -> None:
        bot = snowcache.hikari.PersistentGatewayBot(
            TOKEN, cache_path=tmp_path / "c", banner=None, logs="CRITICAL", suppress_optimization_warning=True
        )
        assert isinstance(bot.cache, snowcache.hikari.PersistentCache)
        with testing.RecordedGateway(frames, pause_after=12) as gateway:
            await bot.start(check_for_updates=False)
            await gateway.drained()
            assert len(gateway.identifies) == 1 and not gateway.resumes
            await bot.close()
        assert bot.cache.get_guild(GUILD) is not None  # close() kept the data
        with testing.RecordedGateway(frames) as gateway:
            await bot.start(check_for_updates=False)
            await gateway.drained()
            assert not gateway.identifies and gateway.resumes[0]["seq"] == 12
            assert gateway.urls[0].startswith("wss://gateway-us-east1-b.discord.gg")
            await bot.close()
        assert bot.cache.sessions()[0].sequence == 24  # every dispatch, then RESUMED
        bot.cache.close()

    asyncio.run(main())
