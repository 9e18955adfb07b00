// snowcache/fixture.h — building a cache from a file of gateway events, for
// tests: the "fixture-database test" a bot author writes.
//
//   auto cache = snowcache::cache_from_fixture("tests/fixtures/guild_life.ndjson");
//   REQUIRE(cache.ok());
//   CHECK((*cache)->get_guild(snowcache::Snowflake(41771983423143937)).value());
//
// The file is NDJSON: one gateway frame ({"op":0,"t":...,"s":...,"d":...})
// per line; blank lines and lines starting with '#' are skipped.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "snowcache/cache.h"
#include "snowcache/gateway.h"
#include "snowcache/settings.h"

namespace snowcache {

struct FixtureOptions {
  // Where the cache lives. Default: empty = in memory (nothing on disk).
  std::string directory;
  // How the cache is opened (settings, ...). in_memory is set from `directory`.
  // Default: Options{} (hikari's default settings).
  Options options;
  // The shard the frames are ingested as. Default: 0.
  std::uint32_t shard = 0;
  // Fail when any frame is rejected (the status names the line and the
  // reason). Default: true.
  bool fail_on_rejection = true;
};

struct FixtureReport {
  std::size_t applied = 0, duplicate = 0, ignored = 0, rejected = 0;
  // "line 7: GUILD_CREATE s=3: d.members[2].user.id: not a snowflake"
  std::vector<std::string> rejections;
};

// Opens a fresh cache and ingests every frame of `ndjson_path` into it.
// `report`, when given, receives the counts (also when the call fails for a
// rejected frame). With a `directory` that already holds a cache, the frames
// are applied on top of it (and duplicates of its sequence skipped).
// Errors: Code::kNotFound for an unreadable file, Code::kInvalidArgument for
// a rejected frame (with fail_on_rejection), and the errors of
// MutableCache::open.
// Thread safety: any thread; each call opens its own cache.
Result<std::unique_ptr<MutableCache>> cache_from_fixture(const std::string& ndjson_path,
                                                         const FixtureOptions& options = {},
                                                         FixtureReport* report = nullptr);

// Ingests every frame of `ndjson_path` through `gateway`; the report counts
// the outcomes (rejections do not stop it). Errors: Code::kNotFound for an
// unreadable file, Code::kIOError for a read error. Thread safety: as the
// Gateway's (one thread at a time).
Result<FixtureReport> ingest_file(Gateway& gateway, const std::string& ndjson_path, std::uint32_t shard = 0);

}  // namespace snowcache
