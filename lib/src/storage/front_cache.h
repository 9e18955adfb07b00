// front_cache — the in-process cache of entity values in front of RocksDB.
//
// Hot entities (the bot's guilds, channels, roles, its busiest members) are
// read far more often than they change, and RocksDB's own cost per Get (a
// few microseconds here) is the floor without this. Getters look here first;
// a miss reads the store and fills the entry. Entries hold values that were
// verified when they were filled, so a hit is a hash lookup and a reference
// count, not a read, a copy and a verification.
//
// Exactness: the one write path (Txn::commit) calls begin_write() with every
// key its batch writes, before RocksDB applies the batch, and end_write()
// after. begin_write drops those keys; while a write is in flight no entry of
// a shard it touches can be filled; and each of the two calls moves the
// shard's epoch, so a reader that read the store before or during the write
// (its ticket carries the epoch it saw at its miss) cannot install the value
// it read afterwards: a stale fill is refused, never served.
//
// Joined values (join.h: a member with its user record, a voice state with
// its member's) depend on other records. Their entries carry a stamp of each
// dependency: a version, read before the dependency was read, from a table
// of versions that every write moves (begin_write and end_write, for every
// key it writes, hashed into the table). A hit whose stamps no longer match
// is a miss: a dependency written since the fill, or one sharing its slot.
//
// Snapshots (views): every entry remembers the store's sequence number when
// it was filled; a view at an older snapshot cannot use it (the value may be
// newer than the view), one at that snapshot or later can (the entry is
// still there, so nothing was written to the key, or to a dependency, since).
//
// Bounded: entries are charged their value size plus a fixed overhead and
// evicted by CLOCK (an approximation of least recently used), per shard,
// above capacity_bytes / shards.
//
// Thread safety: every method may be called from any thread.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "snowcache/value.h"

namespace snowcache::detail {

enum class Cf : std::uint8_t;  // store.h

class FrontCache {
 public:
  // capacity_bytes 0, or too small to hold one entry per shard: disabled
  // (lookups miss, fills and writes do nothing).
  explicit FrontCache(std::size_t capacity_bytes);
  ~FrontCache();
  FrontCache(const FrontCache&) = delete;
  FrontCache& operator=(const FrontCache&) = delete;

  bool enabled() const { return capacity_ > 0; }

  // What a miss remembers for its fill: the shard and the epoch it saw.
  struct Ticket {
    std::uint32_t shard = 0;
    std::uint64_t epoch = 0;
    bool valid = false;  // false: this key is never cached (too long, or disabled)
  };

  // A dependency's version, read before the dependency itself is read.
  struct Stamp {
    std::uint32_t slot = 0;
    std::uint32_t version = 0;
  };
  // The most dependencies an entry carries; a value with more is not cached.
  static constexpr std::size_t kMaxDeps = 6;
  Stamp stamp(Cf cf, std::string_view key) const;

  // The cached value of (cf, key) into *out and true on a hit. On a miss,
  // false and a ticket for fill().
  bool lookup(Cf cf, std::string_view key, std::shared_ptr<const Bytes>* out, Ticket* ticket);
  // The same for a reader at a snapshot of sequence number `snapshot_seq`
  // (a view): a hit only when the entry is valid at that snapshot. Never
  // counts a miss, gives no ticket (views never fill).
  bool lookup_at(Cf cf, std::string_view key, std::uint64_t snapshot_seq, std::shared_ptr<const Bytes>* out);
  // Installs `value` (verified bytes as read from the store after the miss
  // that issued `ticket`, with `deps` stamped before their reads) unless a
  // write touched the shard since. `seq`: the store's latest sequence number,
  // read after every read the value was made of. Nothing when there are more
  // than kMaxDeps dependencies.
  void fill(Cf cf, std::string_view key, std::shared_ptr<const Bytes> value, const Ticket& ticket,
            std::uint64_t seq = 0, std::span<const Stamp> deps = {});

  // The write path. `keys` are the (family, key) pairs a batch writes:
  // begin_write before the batch is applied, end_write with what it returned
  // and the same keys after (also when the write failed). REQUIRES: writes
  // are serialised (the writer lock).
  using Written = std::vector<std::pair<Cf, std::string>>;
  std::uint32_t begin_write(const Written& keys);
  void end_write(std::uint32_t token, const Written& keys);

  // The same for a change of unknown keys (a secondary catching up with its
  // primary): drops everything, and no shard fills until end_write(token).
  std::uint32_t begin_write_all();

  // Drops everything. For a single-threaded caller that wrote behind the
  // write path's back (tests); concurrent readers need begin_write_all.
  void clear();

  struct Stats {
    std::uint64_t hits = 0, misses = 0;
    std::size_t entries = 0, bytes = 0;  // bytes as charged
  };
  Stats stats() const;

  // Keys longer than this (an unusual invite code) are never cached.
  static constexpr std::size_t kMaxKey = 22;
  // Charged per entry on top of its value's size: its slot (128 bytes, at a
  // load of at most 3/4), the Bytes header and shared_ptr control block, and
  // the allocator's own overhead.
  static constexpr std::size_t kEntryOverhead = 224;

 private:
  struct Slot;
  struct Shard;
  static constexpr std::size_t kShards = 32;
  // The versions of written keys, by hash: 512 KiB.
  static constexpr std::size_t kVersionSlots = std::size_t{1} << 17;

  void bump_versions(const Written& keys);
  bool deps_valid(const Slot& slot) const;

  std::size_t capacity_;
  std::size_t shard_capacity_;
  std::array<std::unique_ptr<Shard>, kShards> shards_;
  std::unique_ptr<std::atomic<std::uint32_t>[]> versions_;
};

}  // namespace snowcache::detail
