// snowcache/admin.h — administering a cache: what kinds it holds, how much
// each column family holds, and compaction. For tools (cachectl,
// cachebench) and operators; a bot needs none of it.
//
// Thread safety: any thread, like the Cache methods.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "snowcache/cache.h"
#include "snowcache/status.h"

namespace snowcache {

// The format version this build reads and writes (the number in a cache's
// SNOWCACHE marker file). A cache of an older format is upgraded when opened
// for writing; a newer one is refused (Code::kFormatMismatch).
std::uint32_t format_version();

// --- kinds -------------------------------------------------------------------

// One entity kind, as the dump (snowcache/dump.h) and tools name it. Taken
// from the library's own table of kinds, so it never lags behind it.
struct KindDescription {
  std::string_view name;    // "member": as in the dump and dump_kinds()
  std::string_view family;  // the column family holding it ("members")
  // What each part of its key is called, in key order: {"guild id", "user
  // id"} for member; {"code"} for invite; {"id"} for most kinds.
  std::span<const std::string_view> key_parts;
  // Whether the kind belongs to a guild (removed with it; dump --guild
  // selects it): guild and everything in a guild, not user or dm_channel_id.
  bool guild_scoped;
};

// Every entity kind kept in a family of its own, in dump order (dump_kinds()
// without "me", which is a single record in the meta family). The views
// point into static storage: valid for the life of the program.
std::span<const KindDescription> kinds();
// The kind called `name`; nullptr when there is none (and for "me").
const KindDescription* find_kind(std::string_view name);

// --- statistics --------------------------------------------------------------

// What one column family holds.
struct FamilyStats {
  std::string_view name;  // the column family's name on disk ("members", "index", "meta", ...)
  // The kind stored in it ("member"); empty for the families that hold no
  // kind of their own (hidden_members, index, refs, meta).
  std::string_view kind;
  // For a kind's family: its number of entities, the count the cache keeps
  // (exact), or, in a cache that keeps none, its keys counted one by one.
  // nullopt for the other families.
  std::optional<std::uint64_t> entities;
  std::uint64_t estimated_keys = 0;  // RocksDB's estimate (rocksdb.estimate-num-keys)
  std::uint64_t sst_bytes = 0;       // all table files (rocksdb.total-sst-files-size)
  std::uint64_t live_sst_bytes = 0;  // table files of the current version (rocksdb.live-sst-files-size)
  std::uint64_t memtable_bytes = 0;  // memtables (rocksdb.cur-size-all-mem-tables)
  // What the family takes in all: sst_bytes + memtable_bytes.
  std::uint64_t bytes() const { return sst_bytes + memtable_bytes; }
};

// Every column family of the cache, in the order of the library's table of
// families: the kinds' families in dump order, then hidden_members, index,
// refs, meta.
//
// Reads RocksDB's properties and the kept counts as they are now (on a
// read-only or secondary handle: as of open or its last catch_up()); takes no
// snapshot, so families read while a writer runs are not one point in time.
// A kind whose count is not kept is counted by a scan of its family.
// Errors: I/O errors and Code::kCorruption from reading the counts.
Result<std::vector<FamilyStats>> family_stats(const Cache& cache);

// --- compaction --------------------------------------------------------------

// Compacts every column family fully (bottommost level included), dropping
// deleted and overwritten entries, one family after another. Blocks until
// done; reads and writes from other threads go on meanwhile. The directory's
// size is smaller only once the obsolete files are gone (at the latest when
// the cache closes).
// Errors: I/O errors; Code::kReadOnly on a handle that cannot write (a
// MutableCache always can).
Status compact(MutableCache& cache);

}  // namespace snowcache
