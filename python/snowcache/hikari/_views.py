"""snowcache views as hikari ``CacheView``s.

A view is the library's snapshot (keys and values as of the moment it was taken); values are hikari
objects built when read. Iterating ``values()`` / ``items()`` walks the snapshot once instead of looking
each key up again.
"""

from __future__ import annotations

import collections.abc
import typing

from hikari import snowflakes
from hikari.api import cache as cache_api

if typing.TYPE_CHECKING:
    from snowcache import _snowcache

__all__ = ["NestedView", "View"]

_K = typing.TypeVar("_K")
_V = typing.TypeVar("_V")
_T = typing.TypeVar("_T")


class _Values(collections.abc.ValuesView):  # type: ignore[type-arg]
    __slots__ = ()

    def __iter__(self) -> typing.Iterator[typing.Any]:
        view = typing.cast("View[typing.Any, typing.Any]", self._mapping)
        decode = view._decode
        for payload in view._raw.values():
            yield decode(payload)


class _Items(collections.abc.ItemsView):  # type: ignore[type-arg]
    __slots__ = ()

    def __iter__(self) -> typing.Iterator[typing.Tuple[typing.Any, typing.Any]]:
        view = typing.cast("View[typing.Any, typing.Any]", self._mapping)
        decode, key = view._decode, view._key
        for k, payload in view._raw.items():
            yield key(k), decode(payload)


class _Snapshot(cache_api.CacheView[_K, _T]):
    """What View and NestedView share: a snowcache view (``_raw``) whose stored values ``_wrap`` turns into
    what callers get."""

    __slots__ = ()

    _raw: typing.Any

    def _wrap(self, raw: typing.Any) -> _T:  # noqa: ANN401 - a payload dict or a binding view
        raise NotImplementedError

    def __getitem__(self, key: _K) -> _T:
        raw = self._raw.get(_raw_key(key))
        if raw is None:
            raise KeyError(key)
        return self._wrap(raw)

    def __contains__(self, key: object) -> bool:
        return _raw_key(key) in self._raw

    def __len__(self) -> int:
        return len(self._raw)

    def _item_at(self, index: typing.Union[slice, int]) -> typing.Union[_T, typing.Sequence[_T]]:
        if isinstance(index, slice):
            return tuple(self._wrap(v) for v in self._raw.get_item_at(index))
        return self._wrap(self._raw.get_item_at(int(index)))


class View(_Snapshot[_K, _V]):
    """A hikari CacheView over a snowcache view: keys are Snowflakes (invite codes for invites)."""

    __slots__ = ("_decode", "_key", "_raw")

    def __init__(
        self,
        raw: _snowcache.View,
        decode: typing.Callable[[typing.Dict[str, typing.Any]], _V],
        key: typing.Callable[[typing.Any], _K] = snowflakes.Snowflake,  # type: ignore[assignment]
    ) -> None:
        self._raw = raw
        self._decode = decode
        self._key = key

    def _wrap(self, raw: typing.Dict[str, typing.Any]) -> _V:
        return self._decode(raw)

    def __iter__(self) -> typing.Iterator[_K]:
        key = self._key
        for k in self._raw:
            yield key(k)

    def __bool__(self) -> bool:
        return bool(self._raw)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({len(self)} entries)"

    def values(self) -> collections.abc.ValuesView[_V]:
        return _Values(self)

    def items(self) -> collections.abc.ItemsView[_K, _V]:
        return _Items(self)

    @typing.overload
    def get_item_at(self, index: int, /) -> _V: ...

    @typing.overload
    def get_item_at(self, index: slice, /) -> typing.Sequence[_V]: ...

    def get_item_at(self, index: typing.Union[slice, int], /) -> typing.Union[_V, typing.Sequence[_V]]:
        """The value at `index` in view order, or a tuple of values for a slice (non-negative bounds).

        Out of range, and negative indexes, raise IndexError (hikari raises ValueError for a negative
        index: semantics.md R2).
        """
        return self._item_at(index)


class NestedView(_Snapshot[snowflakes.Snowflake, cache_api.CacheView[snowflakes.Snowflake, _V]]):
    """guild id -> CacheView of that guild's members, presences or voice states (one snapshot)."""

    __slots__ = ("_decode", "_raw")

    def __init__(self, raw: _snowcache.NestedView, decode: typing.Callable[[typing.Dict[str, typing.Any]], _V]) -> None:
        self._raw = raw
        self._decode = decode

    def _wrap(self, raw: _snowcache.View) -> View[snowflakes.Snowflake, _V]:
        return View(raw, self._decode)

    def __iter__(self) -> typing.Iterator[snowflakes.Snowflake]:
        return (snowflakes.Snowflake(k) for k in self._raw.keys())

    def __repr__(self) -> str:
        return f"{type(self).__name__}({len(self)} guilds)"

    @typing.overload
    def get_item_at(self, index: int, /) -> cache_api.CacheView[snowflakes.Snowflake, _V]: ...

    @typing.overload
    def get_item_at(self, index: slice, /) -> typing.Sequence[cache_api.CacheView[snowflakes.Snowflake, _V]]: ...

    def get_item_at(
        self, index: typing.Union[slice, int], /
    ) -> typing.Union[
        cache_api.CacheView[snowflakes.Snowflake, _V], typing.Sequence[cache_api.CacheView[snowflakes.Snowflake, _V]]
    ]:
        return self._item_at(index)


def _raw_key(key: object) -> typing.Any:  # noqa: ANN401 - int or str, as the binding takes
    if isinstance(key, str):
        return key
    if isinstance(key, int):
        return int(key)
    return key  # not a key type: the binding reports it absent
