// txn — the single write path.
//
// Every mutation (a MutableCache call, a gateway event, cachectl ingest) is
// one Txn: it takes the writer lock, stages puts and deletes in a
// WriteBatchWithIndex (so its own later reads see its earlier writes), keeps
// reference-count deltas in memory, and on commit() settles them — members no
// longer listed nor held are removed and release their user; users whose count
// ends at zero are removed with their DM channel id — and writes the whole
// batch atomically. A Txn that is destroyed without commit() writes nothing.
//
// After a failed commit the Writer latches the error: every later Txn fails
// with Code::kFailed until the cache is reopened, so the cache never silently
// diverges from what callers were told.
#pragma once

#include <array>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <utility>

#include <rocksdb/utilities/write_batch_with_index.h>

#include "storage/keys.h"
#include "snowcache/snowflake.h"
#include "snowcache/status.h"
#include "storage/store.h"

namespace snowcache::detail {

class Writer {
 public:
  explicit Writer(std::shared_ptr<Store> store) : store_(std::move(store)) {}
  Store& store() { return *store_; }
  const std::shared_ptr<Store>& store_ptr() const { return store_; }

 private:
  friend class Txn;
  std::shared_ptr<Store> store_;
  std::mutex mu_;
  Status latched_;  // GUARDED_BY(mu_)
  // No live message key is below this one (empty: unknown, scan from the
  // start). Evicting the oldest messages scans from here, so it does not
  // step over the tombstones of every message evicted before. GUARDED_BY(mu_)
  std::string message_floor_;
};

class Txn {
 public:
  // Blocks until the writer lock is free.
  explicit Txn(Writer& writer);
  ~Txn();
  Txn(const Txn&) = delete;
  Txn& operator=(const Txn&) = delete;

  // OK unless the writer is latched or the store is read-only.
  Status usable() const;

  // Reads through this transaction's staged writes.
  Result<std::shared_ptr<const Bytes>> get(Cf c, std::string_view key);
  void put(Cf c, std::string_view key, std::string_view value);
  void del(Cf c, std::string_view key);

  // Visits the keys in [lower, upper) (upper empty: to the end of the family)
  // in order, as this transaction sees them. `fn` returns false to stop.
  Status scan(Cf c, std::string_view lower, std::string_view upper,
              const std::function<bool(std::string_view key, std::string_view value)>& fn);

  // Visits the distinct `group_len`-byte prefixes of the keys starting with
  // `prefix`, seeking past each group (cheap over large groups).
  Status scan_groups(Cf c, std::string_view prefix, std::size_t group_len,
                     const std::function<bool(std::string_view group)>& fn);

  // The state before this transaction (what clear_x views are made of).
  std::shared_ptr<const SnapshotHandle> before();

  // References. Deltas are settled at commit (a user that drops to zero and
  // is referenced again in the same transaction stays).
  void ref_user(Snowflake user, int delta);
  // Marks a user as written: it is removed at commit if nothing holds it.
  void touch_user(Snowflake user);
  Result<keys::MemberRecord> member_record(Snowflake guild, Snowflake user);
  void set_member_record(Snowflake guild, Snowflake user, const keys::MemberRecord& rec);
  // Puts the hidden member's value (Cf::kHiddenMembers, key guild|user). The
  // home is settled at commit: a record that ends hidden (held, not listed)
  // keeps it, any other loses it; the family's count follows.
  // REQUIRES: member_record(guild, user) was read in this transaction.
  void put_hidden_member(Snowflake guild, Snowflake user, std::string_view value);

  // The member-list sweep (semantics.md R5). Whether the guild's sweep window
  // is open (read once per transaction); opening or closing it writes only
  // the window key (rules.cc clears marks and chunk progress). mark_written
  // marks a member or presence as written since the guild's last
  // GUILD_CREATE; nothing when the window is closed.
  Result<bool> sweep_open(Snowflake guild);
  void set_sweep_open(Snowflake guild, bool open);
  Status mark_written(keys::SweepMark kind, Snowflake guild, Snowflake user);

  // Entity counts per family, kept in meta ("count/<family>") and settled at
  // commit: put_entity / erase_entity / user settlement adjust them.
  void count(Cf c, int delta) { count_delta_[static_cast<std::size_t>(c)] += delta; }
  // The family's entity count as this transaction sees it.
  Result<std::int64_t> current_count(Cf c);
  // Sets every count to zero (clear()).
  void reset_counts() { reset_counts_ = true; }

  // Where a scan for the oldest messages may start: no live message key is
  // below it (see Writer::message_floor_). raise_message_floor records the
  // key of the newest message evicted; a put below the floor lowers it. Kept
  // for the Writer only when the transaction commits.
  const std::string& message_floor() const { return message_floor_; }
  void raise_message_floor(std::string_view evicted) { message_floor_.assign(evicted); }

  // Settles references and writes the batch. At most once.
  Status commit();

 private:
  Status settle();

  Writer& writer_;
  std::unique_lock<std::mutex> lock_;
  rocksdb::WriteBatchWithIndex batch_;
  std::shared_ptr<const SnapshotHandle> before_;
  std::map<std::uint64_t, std::int64_t> user_delta_;
  std::set<std::uint64_t> touched_users_;
  struct MemberEntry {
    keys::MemberRecord was, now;  // as stored, as this transaction leaves it
    bool hidden_written = false;  // put_hidden_member() was called
  };
  std::map<std::pair<std::uint64_t, std::uint64_t>, MemberEntry> members_;
  std::map<std::uint64_t, bool> sweep_open_;  // guild -> window open, as read or set here
  std::array<std::int64_t, kCfCount> count_delta_{};
  bool reset_counts_ = false;
  bool committed_ = false;
  std::string message_floor_;
  // Entity keys this transaction writes, for the front cache (commit()).
  FrontCache::Written written_;
  bool track_written_;
};

}  // namespace snowcache::detail
