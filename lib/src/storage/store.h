// store — the RocksDB database behind a cache: open/create a directory, the
// column families of families.h, one shared block
// cache, memtables capped for all families together, the format version.
//
// Nothing outside store.cc touches rocksdb::Options; nothing outside
// store.cc translates a rocksdb::Status (to_status below is the one place).
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include <rocksdb/db.h>

#include "snowcache/settings.h"
#include "snowcache/status.h"
#include "snowcache/value.h"
#include "storage/families.h"
#include "storage/front_cache.h"

namespace snowcache::detail {

// The on-disk format this build writes. Format 2 stores references to users
// and members inside values (docs/ARCHITECTURE.md) and hidden members in a
// family of their own; a format-1 cache is upgraded when it is opened for
// writing (upgrade.h) and refused by read-only and secondary opens until then.
constexpr std::uint32_t kFormatVersion = 2;
// The oldest format this build can upgrade.
constexpr std::uint32_t kOldestUpgradable = 1;
// The marker file in a cache directory: "snowcache-format <N>\n".
inline constexpr std::string_view kMarkerFile = "SNOWCACHE";

// The one translation of rocksdb::Status into ours. `context` says what was
// being done ("get member 1/2").
Status to_status(const rocksdb::Status& s, std::string_view context);

class Store : public std::enable_shared_from_this<Store> {
 public:
  // Opens (creating when allowed) the cache at `path`. See Options.
  static Result<std::shared_ptr<Store>> open(const std::string& path, const Options& options);
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  rocksdb::DB* db() const { return db_.get(); }
  rocksdb::ColumnFamilyHandle* cf(Cf c) const { return handles_[static_cast<std::size_t>(c)]; }
  bool writable() const { return !options_.read_only && !options_.secondary; }
  bool secondary() const { return options_.secondary; }
  const Options& options() const { return options_; }
  const std::string& path() const { return path_; }
  // The format of the data as opened: kFormatVersion, or an older one that a
  // writable open must upgrade before anything else (upgrade.h).
  std::uint32_t format_version() const { return format_version_; }
  // Records that the data is now in this build's format (the upgrade's batch
  // wrote meta's version): rewrites the marker file.
  Status finish_upgrade();
  const rocksdb::WriteOptions& write_options() const { return write_options_; }
  // The front cache of entity values (front_cache.h): getters read through
  // it, Txn::commit keeps it exact.
  FrontCache& front() const { return *front_; }

  // Reads `key` at `snap` (nullptr: latest). nullptr value on a miss.
  Result<std::shared_ptr<const Bytes>> get(Cf c, std::string_view key,
                                           const rocksdb::Snapshot* snap = nullptr) const;
  // Reads `keys` (ascending) at `snap` in one batch: out[i] is keys[i]'s
  // value, nullptr on a miss. Errors: the first key's that failed.
  Status multi_get(Cf c, const std::vector<std::string>& keys, const rocksdb::Snapshot* snap,
                   std::vector<std::shared_ptr<const Bytes>>& out) const;
  // Visits the keys of `c` starting with `prefix` (all for "") in key order,
  // as of `snap` (null: now). `fn` returns a non-OK status to stop with it.
  Status scan(Cf c, const std::string& prefix, const rocksdb::Snapshot* snap,
              const std::function<Status(std::string_view key, std::string_view value)>& fn) const;

  // The sequence number of the latest write the store holds.
  std::uint64_t latest_sequence() const { return db_->GetLatestSequenceNumber(); }

  // A snapshot of the current state (nullptr on read-only/secondary handles,
  // whose state only moves on catch_up()).
  const rocksdb::Snapshot* take_snapshot() const;

  Status flush();
  Status compact();
  Status catch_up();  // secondary only: apply what the primary wrote since

 private:
  Store() = default;
  Status open_db();
  Status check_families(const rocksdb::DBOptions& db) const;
  Status check_format_version();
  Status older_format(std::uint32_t version) const;

  std::string path_;
  Options options_;
  std::unique_ptr<rocksdb::Env> mem_env_;  // in-memory mode only; outlives db_
  std::unique_ptr<rocksdb::DB> db_;
  std::array<rocksdb::ColumnFamilyHandle*, kCfCount> handles_{};
  rocksdb::ColumnFamilyHandle* default_cf_ = nullptr;
  rocksdb::WriteOptions write_options_;
  std::unique_ptr<FrontCache> front_;
  std::uint32_t format_version_ = kFormatVersion;
  std::uint32_t marker_version_ = kFormatVersion;  // as the marker file says
};

// A snapshot that keeps its store alive and is released with the last copy.
struct SnapshotHandle {
  SnapshotHandle(std::shared_ptr<const Store> s, const rocksdb::Snapshot* snap) : store(std::move(s)), snapshot(snap) {}
  // The snapshot's sequence number; the largest one without a snapshot
  // (read-only and secondary handles read a state that moves only on catch_up()).
  std::uint64_t sequence() const { return snapshot ? snapshot->GetSequenceNumber() : UINT64_MAX; }
  ~SnapshotHandle();
  SnapshotHandle(const SnapshotHandle&) = delete;
  SnapshotHandle& operator=(const SnapshotHandle&) = delete;
  std::shared_ptr<const Store> store;
  const rocksdb::Snapshot* snapshot;
};

}  // namespace snowcache::detail
