#!/bin/sh
# Makes tests/format/vN-cache/ and tests/format/vN-cache.dump.ndjson: the
# frozen cache directory of snowcache format N, written by the given cachectl
# (which must write format N), and its dump (see README.md here).
#
#   tests/format/make-cache.sh N [CACHECTL]    (default: build-rel/tools/cachectl/cachectl)
#
# Run it from the source root only when the format is deliberately changed,
# for the new format: a committed directory is the contract that later
# builds must still open. Never run it again for an older format.
set -eu
version=$1
cachectl=${2:-build-rel/tools/cachectl/cachectl}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# 1. Ingest into a fresh directory: guild_life.ndjson as shard 0 (a guild with
#    every guild-scoped kind), then the frames of dm_messages.ndjson except its
#    READY (a READY for shard 0) as shard 1: messages, DM channel ids, a
#    second shard's sequence. The graceful close flushes every memtable, so
#    the WAL the directory is left with holds nothing.
"$cachectl" --db "$work/cache" ingest "$root/tests/fixtures/guild_life.ndjson"
grep -v '"t":"READY"' "$root/tests/fixtures/dm_messages.ndjson" |
  "$cachectl" --db "$work/cache" ingest --shard 1 -
# 2. One compacted SST per non-empty column family (bottommost: ZSTD).
"$cachectl" --db "$work/cache" compact
# 3. The frozen dump, and a consistency check of what is committed.
"$cachectl" --db "$work/cache" verify
"$cachectl" --db "$work/cache" dump > "$work/dump.ndjson"

grep -q "snowcache-format $version" "$work/cache/SNOWCACHE" || { echo "$cachectl does not write format $version" >&2; exit 1; }

# 4. Keep what RocksDB and snowcache need to open the directory: the marker,
#    CURRENT, IDENTITY, the MANIFEST, the newest OPTIONS file, the SSTs and the
#    newest (empty) WAL. Not LOCK, LOG, LOG.old.*, older OPTIONS or WAL files.
#    (RocksDB file numbers are zero-padded to 6 digits: `sort` orders them.)
rm -rf "$here/v$version-cache"
mkdir "$here/v$version-cache"
cd "$work/cache"
cp SNOWCACHE CURRENT IDENTITY MANIFEST-* ./*.sst "$here/v$version-cache/"
cp "$(ls ./*.log | sort | tail -n 1)" "$here/v$version-cache/"
cp "$(ls OPTIONS-* | sort | tail -n 1)" "$here/v$version-cache/"
cp "$work/dump.ndjson" "$here/v$version-cache.dump.ndjson"
ls -l "$here/v$version-cache"
du -sb "$here/v$version-cache"
