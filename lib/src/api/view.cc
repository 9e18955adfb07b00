#include "snowcache/view.h"

#include <algorithm>
#include <atomic>
#include <cstring>
#include <new>
#include <type_traits>
#include <unordered_map>

#include <rocksdb/db.h>

#include "model/join.h"
#include "storage/keys.h"
#include "api/view_core.h"
#include "model/value_access.h"

namespace snowcache::detail {

std::size_t slice_check(std::ptrdiff_t i) {
  if (i < 0) throw std::out_of_range("negative view index");
  return static_cast<std::size_t>(i);
}

namespace {

// The users of a range of guild|user keys (members, voice states), read
// ahead of the cursor in batches at its snapshot: a view joins each value
// with its user (join.h), and one MultiGet of a batch of users costs a
// fraction of a Get per entry. Other records come from the snapshot.
class PrefetchHomes final : public Homes {
 public:
  explicit PrefetchHomes(const ViewSpec& spec)
      : spec_(spec), fallback_(*spec.snap->store, spec.snap->snapshot) {}

  // Makes sure the users of the entries from `key` on (a window of them)
  // are read. Throws Error on an I/O error.
  void cover(std::string_view key) {
    if (!window_end_.empty() && key >= std::string_view(window_start_) && key <= std::string_view(window_end_)) return;
    read_window(key);
  }

  Maybe<fb::User> user(std::uint64_t id) override {
    auto it = users_.find(id);
    if (it == users_.end()) return fallback_.user(id);
    if (!it->second) return std::optional<Value<fb::User>>();
    auto v = Value<fb::User>::verify(it->second, "user " + std::to_string(id));
    if (!v.ok()) return v.status();
    return std::optional<Value<fb::User>>(std::move(*v));
  }
  Maybe<fb::Member> member(std::uint64_t guild, std::uint64_t user) override { return fallback_.member(guild, user); }

 private:
  static constexpr std::size_t kWindow = 128;

  void read_window(std::string_view from) {
    const Store& store = *spec_.snap->store;
    rocksdb::ReadOptions ro;
    ro.snapshot = spec_.snap->snapshot;
    ro.auto_prefix_mode = true;
    rocksdb::Slice ub(spec_.upper);
    if (!spec_.upper.empty()) ro.iterate_upper_bound = &ub;
    std::unique_ptr<rocksdb::Iterator> it(store.db()->NewIterator(ro, store.cf(spec_.scan_cf)));
    std::vector<std::string> keys;
    std::vector<std::uint64_t> ids;
    window_start_.assign(from);
    for (it->Seek(rocksdb::Slice(from.data(), from.size())); it->Valid() && ids.size() < kWindow; it->Next()) {
      std::string_view k(it->key().data(), it->key().size());
      if (!keys::well_formed(keys::KeyShape::kPair, k)) continue;
      window_end_.assign(k);
      ids.push_back(keys::pair_second(k).value());
    }
    auto s = to_status(it->status(), "read ahead in the " + spec_.what + " view");
    if (!s.ok()) throw Error(s);
    if (ids.empty()) window_end_ = window_start_;
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    for (std::uint64_t id : ids) keys.push_back(keys::id(Snowflake(id)));
    std::vector<std::shared_ptr<const Bytes>> values;
    s = store.multi_get(Cf::kUsers, keys, spec_.snap->snapshot, values);
    if (!s.ok()) throw Error(s);
    users_.clear();
    for (std::size_t i = 0; i < ids.size(); ++i) users_.emplace(ids[i], std::move(values[i]));
  }

  const ViewSpec& spec_;
  SnapshotHomes fallback_;
  std::string window_start_, window_end_;
  std::unordered_map<std::uint64_t, std::shared_ptr<const Bytes>> users_;
};

// Scans whose keys end in the user each value joins in.
bool keyed_by_user(const ViewSpec& spec) {
  return spec.join && !spec.ordered && !spec.value_cf &&
         (spec.scan_cf == Cf::kMembers || spec.scan_cf == Cf::kVoiceStates);
}

}  // namespace

struct ViewCursor::Impl {
  rocksdb::Slice upper;
  std::unique_ptr<rocksdb::Iterator> it;
  std::size_t pos = 0;  // ordered mode
  std::unique_ptr<PrefetchHomes> prefetch;  // keyed_by_user() scans
};

ViewCursor::ViewCursor(std::shared_ptr<const ViewSpec> spec) : impl_(std::make_unique<Impl>()), spec_(std::move(spec)) {
  if (!spec_->ordered) {
    const Store& st = *spec_->snap->store;
    rocksdb::ReadOptions ro;
    ro.snapshot = spec_->snap->snapshot;
    ro.auto_prefix_mode = true;
    if (!spec_->upper.empty()) {
      impl_->upper = rocksdb::Slice(spec_->upper);
      ro.iterate_upper_bound = &impl_->upper;
    }
    impl_->it.reset(st.db()->NewIterator(ro, st.cf(spec_->scan_cf)));
    impl_->it->Seek(spec_->lower);
  }
  settle();
}

ViewCursor::~ViewCursor() = default;

void ViewCursor::settle() {
  for (;;) {
    have_value_ = false;  // value_ keeps its buffer for the next entry (ValueAccess::refill)
    if (spec_->ordered) {
      valid_ = impl_->pos < spec_->ordered->size();
      if (!valid_) return;
      entity_key_ = (*spec_->ordered)[impl_->pos];
    } else {
      auto& it = *impl_->it;
      valid_ = it.Valid();
      if (!valid_) {
        auto s = to_status(it.status(), "iterate " + spec_->what + " view");
        if (!s.ok()) throw Error(s);
        return;
      }
      std::string_view k(it.key().data(), it.key().size());
      if (spec_->value_cf) {
        keys::indexed_entity(k, entity_key_);
      } else {
        entity_key_.assign(k);
      }
    }
    if (!spec_->filter_on_scan || !spec_->accept) return;
    if (spec_->accept(entity_key_, *value())) return;
    if (spec_->ordered) {
      ++impl_->pos;
    } else {
      impl_->it->Next();
    }
  }
}

void ViewCursor::next() {
  if (!valid_) return;
  if (spec_->ordered) {
    ++impl_->pos;
  } else {
    impl_->it->Next();
  }
  settle();
}

std::string_view ViewCursor::view_key() const {
  return std::string_view(entity_key_).substr(spec_->key_offset);
}

std::string ViewCursor::describe() const { return keys::describe(spec_->what, spec_->shape, entity_key_); }

std::shared_ptr<const Bytes> ViewCursor::value() {
  if (have_value_) return value_;
  if (!spec_->ordered && !spec_->value_cf) {
    auto v = impl_->it->value();
    ValueAccess::refill(&value_, std::string_view(v.data(), v.size()));
  } else {
    auto r = spec_->snap->store->get(spec_->entity_cf(), entity_key_, spec_->snap->snapshot);
    if (!r.ok()) throw Error(r.status());
    if (!*r) throw Error(Status::Corruption("index entry for " + describe() + " points at no entity"));
    value_ = std::move(*r);
  }
  if (spec_->join) {
    // The front cache's joined value when it holds at the snapshot; else
    // the records joined in at the snapshot.
    const Store& store = *spec_->snap->store;
    std::shared_ptr<const Bytes> hit;
    if (store.front().lookup_at(spec_->entity_cf(), entity_key_, spec_->snap->sequence(), &hit)) {
      value_ = std::move(hit);
    } else if (keyed_by_user(*spec_)) {
      if (!impl_->prefetch) impl_->prefetch = std::make_unique<PrefetchHomes>(*spec_);
      impl_->prefetch->cover(entity_key_);
      auto joined = spec_->join(*impl_->prefetch, std::move(value_), entity_key_);
      if (!joined.ok()) throw Error(joined.status());
      value_ = std::move(*joined);
    } else {
      SnapshotHomes homes(store, spec_->snap->snapshot);
      auto joined = spec_->join(homes, std::move(value_), entity_key_);
      if (!joined.ok()) throw Error(joined.status());
      value_ = std::move(*joined);
    }
  }
  have_value_ = true;
  return value_;
}

std::size_t ViewCore::size() const {
  // Racing first callers each count and store the same number.
  if (std::size_t cached = size_cache_.load(std::memory_order_relaxed); cached != SIZE_MAX) return cached;
  std::size_t n = 0;
  if (spec_->ordered && !spec_->filter_on_scan) {
    n = spec_->ordered->size();
  } else {
    for (ViewCursor c(spec_); c.valid(); c.next()) ++n;
  }
  size_cache_.store(n, std::memory_order_relaxed);
  return n;
}

Result<std::shared_ptr<const Bytes>> ViewCore::lookup(std::string_view key) const {
  std::string ek = spec_->entity_prefix + std::string(key);
  if (!spec_->accept && !spec_->ordered) {
    // Plain range views: the key must lie in the range.
    if (ek < spec_->lower || (!spec_->upper.empty() && ek >= spec_->upper)) return std::shared_ptr<const Bytes>();
  }
  auto r = spec_->snap->store->get(spec_->entity_cf(), ek, spec_->snap->snapshot);
  if (!r.ok() || !*r) return r;
  if (spec_->ordered) {
    const auto& o = *spec_->ordered;
    if (std::find(o.begin(), o.end(), ek) == o.end()) return std::shared_ptr<const Bytes>();
  }
  if (spec_->accept) {
    // The membership test verifies the value and throws on a fault; get()
    // promises a Result, so the fault comes back as a status.
    try {
      if (!spec_->accept(ek, **r)) return std::shared_ptr<const Bytes>();
    } catch (const Error& e) {
      return e.status();
    }
  }
  if (spec_->join) {
    SnapshotHomes homes(*spec_->snap->store, spec_->snap->snapshot);
    return spec_->join(homes, std::move(*r), ek);
  }
  return r;
}

CacheView<Snowflake, fb::DmChannelId> dm_channel_ids_in_order(std::shared_ptr<const SnapshotHandle> snap) {
  auto spec = range_spec<fb::DmChannelId>(std::move(snap));
  std::vector<std::pair<std::uint64_t, std::string>> rows;
  for (ViewCursor c(spec); c.valid(); c.next()) {
    auto v = Value<fb::DmChannelId>::verify(c.value(), c.describe());
    if (!v.ok()) throw Error(v.status());
    rows.emplace_back((*v)->seq(), std::string(c.entity_key()));
  }
  std::sort(rows.begin(), rows.end());
  auto ordered = std::make_shared<std::vector<std::string>>();
  for (auto& r : rows) ordered->push_back(std::move(r.second));
  spec->ordered = std::move(ordered);
  return make_view<Snowflake, fb::DmChannelId>(std::move(spec));
}

std::vector<Snowflake> NestedCore::guilds() const {
  std::vector<Snowflake> out;
  const Store& st = *all_->snap->store;
  rocksdb::ReadOptions ro;
  ro.snapshot = all_->snap->snapshot;
  ro.total_order_seek = true;
  std::unique_ptr<rocksdb::Iterator> it(st.db()->NewIterator(ro, st.cf(all_->scan_cf)));
  it->Seek(all_->lower);
  while (it->Valid()) {
    auto k = it->key();
    if (k.size() < keys::kPairSecond) break;  // shorter than a guild id
    Snowflake g = keys::pair_first(std::string_view(k.data(), k.size()));
    // A filtered view lists a guild only when one of its entries is accepted.
    if (!(all_->filter_on_scan && all_->accept) || inner(g)->size() > 0) out.push_back(g);
    std::string next = keys::successor(keys::id(g));
    if (next.empty()) break;
    it->Seek(next);
  }
  auto s = to_status(it->status(), "iterate " + all_->what + " view");
  if (!s.ok()) throw Error(s);
  return out;
}

std::shared_ptr<const ViewCore> NestedCore::inner(Snowflake guild) const {
  auto spec = std::make_shared<ViewSpec>(*all_);
  spec->lower = keys::id(guild);
  spec->upper = keys::successor(spec->lower);
  spec->entity_prefix = spec->lower;
  spec->key_offset = keys::kPairSecond;
  return std::make_shared<const ViewCore>(std::move(spec));
}

// What view.h's templates call.
std::shared_ptr<ViewCursor> view_begin(const ViewCore& core) { return std::make_shared<ViewCursor>(core.spec()); }
std::size_t view_size(const ViewCore& core) { return core.size(); }
Result<std::shared_ptr<const Bytes>> view_lookup(const ViewCore& core, Snowflake key) {
  return core.lookup(keys::id(key));
}
Result<std::shared_ptr<const Bytes>> view_lookup(const ViewCore& core, const std::string& key) {
  return core.lookup(key);
}
std::string_view view_what(const ViewCore& core) { return core.spec()->what; }
bool cursor_valid(const ViewCursor& cur) { return cur.valid(); }
void cursor_next(ViewCursor& cur) { cur.next(); }
void cursor_key(const ViewCursor& cur, Snowflake* key) { *key = keys::last_id(cur.view_key()); }
void cursor_key(const ViewCursor& cur, std::string* key) { key->assign(cur.view_key()); }
std::shared_ptr<const Bytes> cursor_value(ViewCursor& cur) { return cur.value(); }
std::string cursor_describe(const ViewCursor& cur) { return cur.describe(); }
std::vector<Snowflake> nested_guilds(const NestedCore& core) { return core.guilds(); }
std::shared_ptr<const ViewCore> nested_inner(const NestedCore& core, Snowflake guild) { return core.inner(guild); }

}  // namespace snowcache::detail

namespace snowcache::detail {

std::shared_ptr<const Bytes> Bytes::copy_of(std::string_view data) {
  // One allocation: the control block, this header, then the bytes, all in
  // an array of words (so the bytes are 8-byte aligned). Bytes is trivially
  // destructible: the array's deleter frees everything.
  static_assert(std::is_trivially_destructible_v<Bytes>);
  constexpr std::size_t kHeaderWords = (sizeof(Bytes) + 7) / 8;
  std::size_t words = (data.size() + 7) / 8 + 1;  // at least one word, also for empty data
  auto block = std::make_shared_for_overwrite<std::uint64_t[]>(kHeaderWords + words);
  Bytes* b = new (block.get()) Bytes();
  b->data_ = reinterpret_cast<std::uint8_t*>(block.get() + kHeaderWords);
  b->size_ = data.size();
  b->capacity_ = words * 8;
  if (!data.empty()) std::memcpy(b->data_, data.data(), data.size());  // data() may be null
  return std::shared_ptr<const Bytes>(std::move(block), b);
}

void ValueAccess::refill(std::shared_ptr<const Bytes>* buf, std::string_view data) {
#if !defined(__SANITIZE_THREAD__)
  // use_count() == 1: no other shared_ptr (and no weak_ptr: none is ever
  // made) refers to it, so nobody can be reading it, or copy it meanwhile.
  if (*buf && buf->use_count() == 1 && (*buf)->capacity_ >= data.size()) {
    // use_count() is a relaxed load: order the last other holder's reads
    // (before its release of the count) before these writes.
    std::atomic_thread_fence(std::memory_order_acquire);
    Bytes* b = const_cast<Bytes*>(buf->get());  // created non-const in copy_of
    if (!data.empty()) std::memcpy(b->data_, data.data(), data.size());
    b->size_ = data.size();
    return;
  }
#endif
  // (Under ThreadSanitizer every refill allocates: TSan does not model
  // atomic_thread_fence — GCC rejects it with -Wtsan — so it could not see
  // the ordering reuse relies on. Reuse only saves an allocation.)
  *buf = Bytes::copy_of(data);
}

}  // namespace snowcache::detail
