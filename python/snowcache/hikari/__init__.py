"""snowcache for hikari bots: a persistent, crash-safe cache that plugs into ``hikari.GatewayBot``.

Three lines::

    bot = hikari.GatewayBot(token)
    snowcache.hikari.attach(bot, "/var/lib/mybot/cache")
    bot.run()

Every dispatch is applied by snowcache (RocksDB), atomically with its shard's sequence, before hikari's
listeners see its event; the events still carry the state before the event (``old_member``, ...). On
the next start the cache is already warm and each shard RESUMEs its stored session; ``bot.close()``
keeps the data. ``PersistentCache`` is hikari's ``MutableCache`` interface over the cache on its own
(for a RESTBot, scripts, tests).

hikari keeps the pieces this needs in private attributes; they are all touched in one module,
``snowcache.hikari._compat``, tested with the hikari versions in ``TESTED_HIKARI_VERSIONS``.
"""

from __future__ import annotations

from snowcache.hikari._bot import PersistentGatewayBot
from snowcache.hikari._bot import WrongBotError
from snowcache.hikari._bot import attach
from snowcache.hikari._cache import PersistentCache
from snowcache.hikari._compat import TESTED_HIKARI_VERSIONS

__all__ = ["TESTED_HIKARI_VERSIONS", "PersistentCache", "PersistentGatewayBot", "WrongBotError", "attach"]
