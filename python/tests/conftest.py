"""Shared set-up of the Python tests: where hikari and the fixtures are.

hikari is published only on PyPI; the tests import the copy in ../shared/vendor/hikari, found through
the SNOWCACHE_SHARED environment variable (tests/meson.build and python/tests/meson.build set it).
Without it, the tests that drive hikari are skipped and say so; the binding's own tests still run.
"""

from __future__ import annotations

import os
import pathlib
import sys

import pytest

SOURCE_ROOT = pathlib.Path(os.environ.get("SNOWCACHE_SOURCE_ROOT", pathlib.Path(__file__).resolve().parents[2]))
FIXTURES = SOURCE_ROOT / "tests" / "fixtures"
_shared = os.environ.get("SNOWCACHE_SHARED")
SHARED = pathlib.Path(_shared) if _shared else None
HIKARI_DIR = SHARED / "vendor" / "hikari" if SHARED else None
HIKARI_AVAILABLE = bool(HIKARI_DIR and (HIKARI_DIR / "hikari" / "__init__.py").is_file())
HIKARI_SKIP_REASON = (
    f"hikari is not available: SNOWCACHE_SHARED is {'unset' if not _shared else repr(_shared)} and "
    "../shared/vendor/hikari is absent (a clone without the team's shared folder), so the tests that "
    "drive hikari's GatewayBot were skipped"
)

if HIKARI_AVAILABLE and str(HIKARI_DIR) not in sys.path:
    sys.path.insert(0, str(HIKARI_DIR))

# Streams every comparison runs over: this repository's own (tests/fixtures/README.md).
STREAMS = sorted(p.name for p in FIXTURES.glob("*.ndjson") if not p.name.startswith("ready_reconcile_sharded"))


def requires_hikari() -> pytest.MarkDecorator:
    return pytest.mark.skipif(not HIKARI_AVAILABLE, reason=HIKARI_SKIP_REASON)


def pytest_report_header(config: object) -> str:
    return f"hikari: {HIKARI_DIR if HIKARI_AVAILABLE else HIKARI_SKIP_REASON}"


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """A file whose every test was skipped for want of hikari exits 77, which meson reports as SKIP
    (not as a pass)."""
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is None or exitstatus != 0:
        return
    stats = reporter.stats
    if stats.get("skipped") and not any(stats.get(k) for k in ("passed", "failed", "error", "xfailed", "xpassed")):
        session.exitstatus = 77
