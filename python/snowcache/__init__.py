"""snowcache: every Discord entity a bot sees, kept in RocksDB — warm after a restart, RESUME instead of IDENTIFY.

The C++ library for Python. ``MutableCache.open(path)`` opens (or creates) a cache; its methods are
hikari's ``Cache``/``MutableCache`` interface under the same names, taking and returning entities as
dicts in Discord's JSON shape. ``Gateway(cache).ingest_frame(shard, frame)`` applies raw gateway frames,
each atomically with the shard's sequence; ``cache.sessions()`` says how to RESUME. For hikari bots,
``snowcache.hikari`` plugs the cache into ``hikari.GatewayBot``.

Errors are ``snowcache.Error`` subclasses named after the library's status codes.
"""

from __future__ import annotations

# The extension is built into <build>/python/snowcache/ while these sources stay in python/snowcache/:
# with both on sys.path (the tests' PYTHONPATH), the package spans the two directories. Installed, they
# are one directory and this changes nothing.
__path__ = __import__("pkgutil").extend_path(__path__, __name__)

from snowcache._snowcache import Cache
from snowcache._snowcache import ClosedError
from snowcache._snowcache import CorruptionError
from snowcache._snowcache import Error
from snowcache._snowcache import FailedError
from snowcache._snowcache import FormatMismatchError
from snowcache._snowcache import Gateway
from snowcache._snowcache import IngestResult
from snowcache._snowcache import InUseError
from snowcache._snowcache import InvalidArgumentError
from snowcache._snowcache import IOFailureError
from snowcache._snowcache import MutableCache
from snowcache._snowcache import NotACacheError
from snowcache._snowcache import NotFoundError
from snowcache._snowcache import ReadOnlyError
from snowcache._snowcache import cache_from_fixture
from snowcache._types import Components
from snowcache._types import FixtureReport
from snowcache._types import Outcome
from snowcache._types import Session
from snowcache._types import Settings
from snowcache._types import VerifyReport

__all__ = [
    "Cache",
    "ClosedError",
    "Components",
    "CorruptionError",
    "Error",
    "FailedError",
    "FixtureReport",
    "FormatMismatchError",
    "Gateway",
    "IOFailureError",
    "InUseError",
    "IngestResult",
    "InvalidArgumentError",
    "MutableCache",
    "NotACacheError",
    "NotFoundError",
    "Outcome",
    "ReadOnlyError",
    "Session",
    "Settings",
    "VerifyReport",
    "cache_from_fixture",
    "open",
]

open = MutableCache.open  # noqa: A001 - snowcache.open(path) reads as the library's own open
