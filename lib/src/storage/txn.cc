#include "storage/txn.h"

#include <cassert>

#include <rocksdb/comparator.h>

namespace snowcache::detail {

Txn::Txn(Writer& writer)
    : writer_(writer),
      lock_(writer.mu_),
      batch_(rocksdb::BytewiseComparator(), 0, /*overwrite_key=*/true),
      message_floor_(writer.message_floor_),
      track_written_(writer.store().front().enabled()) {}

namespace {
// The families the front cache holds: the entity kinds (not index, refs, meta).
bool front_cached(Cf c) { return family(c).entities; }
}  // namespace

Txn::~Txn() = default;

Status Txn::usable() const {
  if (!writer_.store().writable()) return Status::ReadOnly("the cache was opened read-only");
  if (!writer_.latched_.ok()) {
    return Status::Failed("an earlier write failed (" + writer_.latched_.to_string() +
                          "); reopen the cache to continue");
  }
  return {};
}

Result<std::shared_ptr<const Bytes>> Txn::get(Cf c, std::string_view key) {
  Store& st = writer_.store();
  rocksdb::PinnableSlice value;
  auto s = batch_.GetFromBatchAndDB(st.db(), rocksdb::ReadOptions(), st.cf(c),
                                    rocksdb::Slice(key.data(), key.size()), &value);
  if (s.IsNotFound()) return std::shared_ptr<const Bytes>();
  if (!s.ok()) return to_status(s, std::string("read ") + std::string(cf_name(c)));
  return Bytes::copy_of(std::string_view(value.data(), value.size()));
}

void Txn::put(Cf c, std::string_view key, std::string_view value) {
  if (c == Cf::kMessages && !message_floor_.empty() && key < std::string_view(message_floor_)) {
    message_floor_.assign(key);
  }
  (void)batch_.Put(writer_.store().cf(c), rocksdb::Slice(key.data(), key.size()),
                   rocksdb::Slice(value.data(), value.size()));
  if (track_written_ && front_cached(c)) written_.emplace_back(c, key);
}

void Txn::del(Cf c, std::string_view key) {
  (void)batch_.Delete(writer_.store().cf(c), rocksdb::Slice(key.data(), key.size()));
  if (track_written_ && front_cached(c)) written_.emplace_back(c, key);
}

Result<bool> Txn::sweep_open(Snowflake guild) {
  if (auto it = sweep_open_.find(guild.value()); it != sweep_open_.end()) return it->second;
  auto raw = get(Cf::kMeta, keys::sweep_prefix(guild));
  if (!raw.ok()) return raw.status();
  bool open = *raw != nullptr;
  sweep_open_[guild.value()] = open;
  return open;
}

void Txn::set_sweep_open(Snowflake guild, bool open) {
  if (open) {
    put(Cf::kMeta, keys::sweep_prefix(guild), {});
  } else {
    del(Cf::kMeta, keys::sweep_prefix(guild));
  }
  sweep_open_[guild.value()] = open;
}

Status Txn::mark_written(keys::SweepMark kind, Snowflake guild, Snowflake user) {
  auto open = sweep_open(guild);
  if (!open.ok()) return open.status();
  if (*open) put(Cf::kMeta, keys::sweep_mark(guild, kind, user), {});
  return {};
}

Status Txn::scan(Cf c, std::string_view lower, std::string_view upper,
                 const std::function<bool(std::string_view, std::string_view)>& fn) {
  Store& st = writer_.store();
  rocksdb::ReadOptions ro;
  rocksdb::Slice ub(upper.data(), upper.size());
  if (!upper.empty()) ro.iterate_upper_bound = &ub;
  ro.auto_prefix_mode = true;
  std::unique_ptr<rocksdb::Iterator> base(st.db()->NewIterator(ro, st.cf(c)));
  std::unique_ptr<rocksdb::Iterator> it(batch_.NewIteratorWithBase(st.cf(c), base.release(), &ro));
  for (it->Seek(rocksdb::Slice(lower.data(), lower.size())); it->Valid(); it->Next()) {
    auto k = it->key();
    if (!upper.empty() && k.compare(ub) >= 0) break;
    if (!fn(std::string_view(k.data(), k.size()), std::string_view(it->value().data(), it->value().size()))) break;
  }
  return to_status(it->status(), std::string("scan ") + std::string(cf_name(c)));
}

Status Txn::scan_groups(Cf c, std::string_view prefix, std::size_t group_len,
                        const std::function<bool(std::string_view)>& fn) {
  Store& st = writer_.store();
  std::string upper = keys::successor(prefix);
  rocksdb::ReadOptions ro;
  rocksdb::Slice ub(upper);
  if (!upper.empty()) ro.iterate_upper_bound = &ub;
  ro.total_order_seek = true;
  std::unique_ptr<rocksdb::Iterator> base(st.db()->NewIterator(ro, st.cf(c)));
  std::unique_ptr<rocksdb::Iterator> it(batch_.NewIteratorWithBase(st.cf(c), base.release(), &ro));
  it->Seek(rocksdb::Slice(prefix.data(), prefix.size()));
  while (it->Valid()) {
    auto k = it->key();
    if (!upper.empty() && k.compare(ub) >= 0) break;
    if (k.size() < group_len) {
      it->Next();
      continue;
    }
    std::string group(k.data(), group_len);
    if (!fn(group)) break;
    std::string next = keys::successor(group);
    if (next.empty()) break;
    it->Seek(next);
  }
  return to_status(it->status(), std::string("scan ") + std::string(cf_name(c)));
}

std::shared_ptr<const SnapshotHandle> Txn::before() {
  if (!before_) {
    Store& st = writer_.store();
    before_ = std::make_shared<SnapshotHandle>(writer_.store_ptr(), st.take_snapshot());
  }
  return before_;
}

Result<std::int64_t> Txn::current_count(Cf c) {
  std::int64_t n = 0;
  if (!reset_counts_) {
    auto raw = writer_.store().get(Cf::kMeta, keys::count_key(cf_name(c)));
    if (!raw.ok()) return raw.status();
    if (*raw) n = keys::decode_count((*raw)->view()).value_or(0);
  }
  return n + count_delta_[static_cast<std::size_t>(c)];
}

void Txn::ref_user(Snowflake user, int delta) { user_delta_[user.value()] += delta; }

void Txn::touch_user(Snowflake user) { touched_users_.insert(user.value()); }

Result<keys::MemberRecord> Txn::member_record(Snowflake guild, Snowflake user) {
  auto k = std::make_pair(guild.value(), user.value());
  if (auto it = members_.find(k); it != members_.end()) return it->second.now;
  auto raw = get(Cf::kRefs, keys::member_ref(guild, user));
  if (!raw.ok()) return raw.status();
  keys::MemberRecord rec;
  if (*raw) {
    auto d = keys::decode_member_record((*raw)->view());
    if (!d) return Status::Corruption("member record " + guild.to_string() + "/" + user.to_string() + " is malformed");
    rec = *d;
  }
  members_.emplace(k, MemberEntry{rec, rec});
  return rec;
}

void Txn::set_member_record(Snowflake guild, Snowflake user, const keys::MemberRecord& rec) {
  auto k = std::make_pair(guild.value(), user.value());
  auto it = members_.find(k);
  assert(it != members_.end() && "member_record() must be read before it is set");
  if (it == members_.end()) return;
  it->second.now = rec;
}

void Txn::put_hidden_member(Snowflake guild, Snowflake user, std::string_view value) {
  auto it = members_.find(std::make_pair(guild.value(), user.value()));
  assert(it != members_.end() && "member_record() must be read before a hidden member is put");
  if (it == members_.end()) return;
  put(Cf::kHiddenMembers, keys::pair(guild, user), value);
  it->second.hidden_written = true;
}

Status Txn::settle() {
  // Members first: a member record that disappears releases its user.
  for (auto& [k, entry] : members_) {
    const auto& [was, now, hidden_written] = entry;
    Snowflake guild(k.first), user(k.second);
    // A hidden member (held, not listed) has its value in kHiddenMembers;
    // nothing else has one there.
    const bool was_hidden = was.alive() && !was.listed, now_hidden = now.alive() && !now.listed;
    assert((!now_hidden || was_hidden || hidden_written) && "a member became hidden without its value");
    if (!now_hidden && (was_hidden || hidden_written)) del(Cf::kHiddenMembers, keys::pair(guild, user));
    if (was_hidden != now_hidden) count(Cf::kHiddenMembers, now_hidden ? 1 : -1);
    if (was == now) continue;
    std::string key = keys::member_ref(guild, user);
    if (now.alive()) {
      put(Cf::kRefs, key, keys::encode_member_record(now));
    } else {
      del(Cf::kRefs, key);
    }
    if (was.alive() != now.alive()) ref_user(user, now.alive() ? 1 : -1);
  }
  for (auto u : touched_users_) user_delta_.emplace(u, 0);
  for (auto [u, delta] : user_delta_) {
    Snowflake user(u);
    std::string key = keys::user_ref(user);
    auto raw = get(Cf::kRefs, key);
    if (!raw.ok()) return raw.status();
    std::int64_t count = 0;
    if (*raw) {
      auto d = keys::decode_count((*raw)->view());
      if (!d) return Status::Corruption("reference count of user " + user.to_string() + " is malformed");
      count = *d;
    }
    std::int64_t next = count + delta;
    assert(next >= 0 && "a user's reference count went negative");
    if (count > 0 && next <= 0) this->count(Cf::kUsers, -1);
    if (count <= 0 && next > 0) this->count(Cf::kUsers, +1);
    if (next <= 0) {
      del(Cf::kRefs, key);
      del(Cf::kUsers, keys::id(user));
      // The user's DM channel id goes with it (and out of its family's count).
      auto dm = get(Cf::kDmChannelIds, keys::id(user));
      if (!dm.ok()) return dm.status();
      if (*dm) {
        del(Cf::kDmChannelIds, keys::id(user));
        this->count(Cf::kDmChannelIds, -1);
      }
    } else if (next != count) {
      put(Cf::kRefs, key, keys::encode_count(next));
    }
  }
  for (std::size_t i = 0; i < kCfCount; ++i) {
    auto c = static_cast<Cf>(i);
    if (count_delta_[i] == 0 && !reset_counts_) continue;
    std::string key = keys::count_key(cf_name(c));
    std::int64_t n = 0;
    if (!reset_counts_) {
      auto raw = get(Cf::kMeta, key);
      if (!raw.ok()) return raw.status();
      if (*raw) n = keys::decode_count((*raw)->view()).value_or(0);
    }
    n += count_delta_[i];
    assert(n >= 0 && "an entity count went negative");
    put(Cf::kMeta, key, keys::encode_count(n < 0 ? 0 : n));
  }
  return {};
}

Status Txn::commit() {
  assert(!committed_);
  committed_ = true;
  SNOWCACHE_RETURN_IF_ERROR(usable());
  SNOWCACHE_RETURN_IF_ERROR(settle());
  Store& st = writer_.store();
  // The front cache drops what this batch changes and refuses fills around
  // the write, so no reader installs a value older than the batch (front_cache.h).
  std::uint32_t front_token = st.front().begin_write(written_);
  auto s = st.db()->Write(st.write_options(), batch_.GetWriteBatch());
  st.front().end_write(front_token, written_);
  if (!s.ok()) {
    writer_.latched_ = to_status(s, "commit");
    return writer_.latched_;
  }
  writer_.message_floor_ = std::move(message_floor_);
  return {};
}

}  // namespace snowcache::detail
