"""A cache a bot must not use is refused at attach time, with a clear exception, and nothing is written.

- a corrupt cache (damaged files): snowcache.CorruptionError;
- the cache of another bot user (its stored sessions name another user id): WrongBotError;
- a cache another process holds: snowcache.InUseError;
- a directory or file that is not a cache: snowcache.NotACacheError.
In each case the bot is left as it was (hikari's own cache) and the directory is unchanged: byte for
byte where nothing opened it for writing, entity for entity otherwise.
"""

from __future__ import annotations

import hashlib
import os
import pathlib
import subprocess
import sys
import typing

import pytest

import snowcache
from conftest import FIXTURES
from conftest import requires_hikari

pytestmark = requires_hikari()

OTHER_BOT_TOKEN = "NTc2MzIxMDQwMjA1MDg2NzIw.fake.token"  # user 576321040205086720 (alice), not snowbot


def files_digest(path: pathlib.Path, *, with_info_log: bool = True) -> typing.Dict[str, str]:
    """Every file's digest; without RocksDB's info log (LOG, LOG.old.*), a diagnostic text file that an
    open for writing rotates before RocksDB finds damage in the files it opens."""
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(path.iterdir())
        if p.is_file() and (with_info_log or not p.name.startswith("LOG"))
    }


def content(path: pathlib.Path) -> typing.Tuple[typing.List[str], typing.Any, typing.Any]:  # noqa: ANN401
    with snowcache.Cache.open(str(path)) as cache:
        return cache.dump(), cache.sessions(), cache.settings


def make_bot(token: typing.Optional[str] = None) -> typing.Any:  # noqa: ANN401
    import hikari

    from harness import TOKEN

    return hikari.GatewayBot(token or TOKEN, banner=None, logs="CRITICAL", suppress_optimization_warning=True)


def assert_untouched_bot(bot: typing.Any) -> None:  # noqa: ANN401
    from hikari.impl import cache as cache_impl

    import snowcache.hikari

    assert type(bot.cache) is cache_impl.CacheImpl
    assert snowcache.hikari.PersistentGatewayBot not in type(bot).__mro__


@pytest.fixture
def stored(tmp_path: pathlib.Path) -> pathlib.Path:
    path = tmp_path / "cache"
    cache, _ = snowcache.cache_from_fixture(str(FIXTURES / "guild_life.ndjson"), directory=str(path))
    cache.close()
    return path


def damage(path: pathlib.Path) -> None:
    sst = sorted(p for p in path.iterdir() if p.suffix == ".sst")[1]
    data = bytearray(sst.read_bytes())
    for i in range(len(data) // 3, len(data) // 3 + 64):
        data[i] ^= 0x5A
    sst.write_bytes(bytes(data))


def test_corrupt_cache_is_refused(stored: pathlib.Path) -> None:
    import snowcache.hikari

    damage(stored)
    before = files_digest(stored, with_info_log=False)
    bot = make_bot()
    with pytest.raises(snowcache.CorruptionError) as error:
        snowcache.hikari.attach(bot, stored)
    assert "checksum mismatch" in str(error.value)
    assert files_digest(stored, with_info_log=False) == before
    assert_untouched_bot(bot)


def test_corrupt_cache_is_refused_before_any_write_with_verify(stored: pathlib.Path) -> None:
    import snowcache.hikari

    damage(stored)
    before = files_digest(stored)
    bot = make_bot()
    with pytest.raises(snowcache.CorruptionError) as error:
        snowcache.hikari.attach(bot, stored, verify=True)
    assert "damaged" in str(error.value)
    assert files_digest(stored) == before  # byte for byte, the info log included
    assert_untouched_bot(bot)


def test_another_bots_cache_is_refused(stored: pathlib.Path) -> None:
    import hikari

    import snowcache.hikari

    before_files = files_digest(stored)
    before = content(stored)
    bot = make_bot(OTHER_BOT_TOKEN)
    lean = hikari.impl.CacheSettings(components=hikari.api.CacheComponents.GUILDS)  # would clear most kinds
    with pytest.raises(snowcache.hikari.WrongBotError) as error:
        snowcache.hikari.attach(bot, stored, lean)
    assert "815916279914430464" in str(error.value) and "576321040205086720" in str(error.value)
    assert isinstance(error.value, snowcache.Error)
    assert files_digest(stored) == before_files  # not even opened for writing
    assert content(stored) == before
    assert_untouched_bot(bot)
    # the bot it belongs to attaches, with those settings
    mine = make_bot()
    cache = snowcache.hikari.attach(mine, stored, lean)
    assert cache.settings.components == hikari.api.CacheComponents.GUILDS
    cache.close()


def test_cache_held_by_another_process_is_refused(stored: pathlib.Path) -> None:
    import snowcache.hikari

    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sys, snowcache; c = snowcache.open(sys.argv[1]); print('held', flush=True); sys.stdin.read()",
         str(stored)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=os.environ,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        bot = make_bot()
        with pytest.raises(snowcache.InUseError) as error:
            snowcache.hikari.attach(bot, stored)
        assert error.value.code == "in_use"
        assert_untouched_bot(bot)
    finally:
        assert holder.stdin is not None
        holder.stdin.close()
        holder.wait(timeout=30)
    before = content(stored)
    assert content(stored) == before


def test_not_a_cache_is_refused(tmp_path: pathlib.Path) -> None:
    import snowcache.hikari

    other = tmp_path / "photos"
    other.mkdir()
    (other / "cat.jpg").write_bytes(b"\xff\xd8")
    bot = make_bot()
    with pytest.raises(snowcache.NotACacheError):
        snowcache.hikari.attach(bot, other)
    assert sorted(p.name for p in other.iterdir()) == ["cat.jpg"]
    with pytest.raises(snowcache.NotACacheError):
        snowcache.hikari.attach(bot, other / "cat.jpg")
    assert_untouched_bot(bot)


def test_attach_twice_or_after_start_is_refused(tmp_path: pathlib.Path) -> None:
    import snowcache.hikari

    bot = make_bot()
    cache = snowcache.hikari.attach(bot, tmp_path / "cache")
    with pytest.raises(TypeError):
        snowcache.hikari.attach(bot, tmp_path / "other")
    cache.close()
