// snowcache/view.h — CacheView: an immutable snapshot of part of the cache.
//
// A view is a RocksDB snapshot plus a key range, or an ordered key list. Keys
// and values both come from the moment the view was taken, whatever is written
// later (but see "Secondary" below). Iteration of a range is lazy: nothing is
// read before it is asked for.
//
// Ordered views are built by a scan when the getter makes them, not lazily:
// get_guild_channels_view_for_guild (Discord's client order) and
// get_dm_channel_ids_view (insertion order) read and verify every value, and
// get_threads_view_for_guild and get_invites_view_for_guild read the keys of
// their index. So building one can throw snowcache::Error (a corrupt value,
// an I/O error). Their key list is then fixed for the life of the view.
//
// Order: ascending key (snowflake order = creation order) unless the getter
// that made the view says otherwise.
//
// Errors: size(), iteration and operator[] throw snowcache::Error when the
// snapshot hits a corrupt value or an I/O error (a view cannot return a
// Status from inside a range-for); get() returns it as a Result instead.
// get_item_at() and operator[] throw std::out_of_range for a bad index / key.
//
// Secondary: on a secondary instance (Options::secondary) a view has no
// snapshot (RocksDB 7.8 secondaries support none): it reads the state of the
// handle when it reads, so it moves when catch_up() applies new writes. A
// size() already counted stays; an ordered view keeps its key list, and an
// entry of it removed by catch_up() makes iteration throw Error
// (Code::kCorruption) while get() misses it.
//
// Lifetime: a view keeps its snapshot, and so the open database, alive until
// the last copy of it is destroyed. Views are cheap to copy (shared state).
// Thread safety: a view may be read from any number of threads at once.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <iterator>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "snowcache/snowflake.h"
#include "snowcache/status.h"
#include "snowcache/value.h"

namespace snowcache {

// A Python-style slice for get_item_at: start, stop (exclusive, nullopt = to
// the end), step. Negative values are rejected with std::out_of_range.
struct Slice {
  std::ptrdiff_t start = 0;            // Default: 0.
  std::optional<std::ptrdiff_t> stop;  // Default: nullopt (to the end).
  std::ptrdiff_t step = 1;             // Default: 1; 0 is std::out_of_range.
};

namespace detail {

// Opaque here; the library defines them (lib/src/api/view_core.h).
class ViewCore;    // what a view reads, and its size once counted
class ViewCursor;  // a position in a view
class NestedCore;  // the guild-scoped family a NestedView splits by guild

// The non-template functions behind the view templates (view.cc).
std::shared_ptr<ViewCursor> view_begin(const ViewCore& core);
std::size_t view_size(const ViewCore& core);
// The bytes of the entry under `key`; nullptr when the view does not hold it.
Result<std::shared_ptr<const Bytes>> view_lookup(const ViewCore& core, Snowflake key);
Result<std::shared_ptr<const Bytes>> view_lookup(const ViewCore& core, const std::string& key);
std::string_view view_what(const ViewCore& core);
bool cursor_valid(const ViewCursor& cur);
void cursor_next(ViewCursor& cur);
void cursor_key(const ViewCursor& cur, Snowflake* key);
void cursor_key(const ViewCursor& cur, std::string* key);
std::shared_ptr<const Bytes> cursor_value(ViewCursor& cur);  // throws Error
std::string cursor_describe(const ViewCursor& cur);           // "member 1/2", for errors
std::vector<Snowflake> nested_guilds(const NestedCore& core);  // throws Error
std::shared_ptr<const ViewCore> nested_inner(const NestedCore& core, Snowflake guild);
std::size_t slice_check(std::ptrdiff_t i);  // throws std::out_of_range on i < 0

}  // namespace detail

template <class K, class V>
class CacheView {
 public:
  using key_type = K;
  using mapped_type = Value<V>;
  using value_type = std::pair<K, Value<V>>;

  // An empty view (what a disabled kind returns).
  CacheView() = default;
  explicit CacheView(std::shared_ptr<const detail::ViewCore> core) : core_(std::move(core)) {}

  class iterator {
   public:
    using iterator_category = std::input_iterator_tag;
    using difference_type = std::ptrdiff_t;
    using value_type = CacheView::value_type;

    iterator() = default;
    explicit iterator(std::shared_ptr<detail::ViewCursor> cur) : cur_(std::move(cur)) {}
    value_type operator*() const { return {key(), value()}; }
    K key() const {
      K k;
      detail::cursor_key(*cur_, &k);
      return k;
    }
    Value<V> value() const {
      auto v = Value<V>::try_verify(detail::cursor_value(*cur_));
      if (!v) throw Error(Value<V>::corrupt(detail::cursor_describe(*cur_)));  // named only when it fails
      return std::move(*v);
    }
    iterator& operator++() {
      detail::cursor_next(*cur_);
      return *this;
    }
    void operator++(int) { ++*this; }
    friend bool operator==(const iterator& it, std::default_sentinel_t) {
      return !it.cur_ || !detail::cursor_valid(*it.cur_);
    }

   private:
    std::shared_ptr<detail::ViewCursor> cur_;
  };

  iterator begin() const { return core_ ? iterator(detail::view_begin(*core_)) : iterator(); }
  std::default_sentinel_t end() const { return {}; }

  // Number of entries. Computed once per view (a key scan), then remembered.
  std::size_t size() const { return core_ ? detail::view_size(*core_) : 0; }
  bool empty() const { return size() == 0; }

  // The value under `key`, nothing when the view does not hold it, or an error.
  Maybe<V> get(const K& key) const {
    if (!core_) return std::optional<Value<V>>();
    auto raw = detail::view_lookup(*core_, key);
    if (!raw.ok()) return raw.status();
    if (!*raw) return std::optional<Value<V>>();
    auto v = Value<V>::verify(std::move(*raw), detail::view_what(*core_));
    if (!v.ok()) return v.status();
    return std::optional<Value<V>>(std::move(v).value());
  }
  // Throws Error on a fault (where get() would return it).
  bool contains(const K& key) const { return get(key).value().has_value(); }
  // Throws std::out_of_range when absent (a Mapping's KeyError), Error on faults.
  Value<V> operator[](const K& key) const {
    auto v = get(key).value();
    if (!v) throw std::out_of_range("key not in view");
    return std::move(*v);
  }

  // The i-th value in iteration order. Throws std::out_of_range when
  // i < 0 or i >= size().
  Value<V> get_item_at(std::ptrdiff_t i) const {
    std::size_t want = detail::slice_check(i);
    std::size_t n = 0;
    for (auto it = begin(); it != end(); ++it, ++n) {
      if (n == want) return it.value();
    }
    throw std::out_of_range("view index out of range");
  }
  // The values at start, start+step, ... below stop, in iteration order.
  std::vector<Value<V>> get_item_at(const Slice& s) const {
    std::size_t start = detail::slice_check(s.start);
    std::size_t step = detail::slice_check(s.step);
    if (step == 0) throw std::out_of_range("slice step must be positive");
    std::size_t stop = s.stop ? detail::slice_check(*s.stop) : SIZE_MAX;
    std::vector<Value<V>> out;
    std::size_t n = 0;
    for (auto it = begin(); it != end() && n < stop; ++it, ++n) {
      if (n >= start && (n - start) % step == 0) out.push_back(it.value());
    }
    return out;
  }

  // All keys, in iteration order. Throws Error on a fault.
  std::vector<K> keys() const {
    std::vector<K> out;
    for (auto it = begin(); it != end(); ++it) out.push_back(it.key());
    return out;
  }

 private:
  std::shared_ptr<const detail::ViewCore> core_;  // null: an empty view
};

// guild id -> view of that guild's entries (members, presences, voice
// states). Only guilds with at least one entry appear, in ascending id order.
// Every inner view reads the same snapshot as the NestedView it came from.
// keys(), size(), get(), operator[], get_item_at() and items() throw Error
// on a fault; operator[] and get_item_at() throw std::out_of_range for an
// absent guild / a bad index. Lifetime and thread safety as CacheView's.
template <class V>
class NestedView {
 public:
  using Inner = CacheView<Snowflake, V>;
  NestedView() = default;
  explicit NestedView(std::shared_ptr<const detail::NestedCore> core) : core_(std::move(core)) {}

  std::vector<Snowflake> keys() const { return core_ ? detail::nested_guilds(*core_) : std::vector<Snowflake>{}; }
  std::size_t size() const { return keys().size(); }
  bool empty() const { return size() == 0; }
  // The guild's inner view; nullopt when the guild has no entry here.
  std::optional<Inner> get(Snowflake guild) const {
    if (!core_) return std::nullopt;
    Inner inner(detail::nested_inner(*core_, guild));
    if (inner.empty()) return std::nullopt;
    return inner;
  }
  Inner operator[](Snowflake guild) const {
    auto v = get(guild);
    if (!v) throw std::out_of_range("guild not in view");
    return *v;
  }
  Inner get_item_at(std::ptrdiff_t i) const {
    auto k = keys();
    std::size_t want = detail::slice_check(i);
    if (want >= k.size()) throw std::out_of_range("view index out of range");
    return Inner(detail::nested_inner(*core_, k[want]));
  }
  // (guild, inner view) pairs in ascending guild order.
  std::vector<std::pair<Snowflake, Inner>> items() const {
    std::vector<std::pair<Snowflake, Inner>> out;
    for (Snowflake g : keys()) out.emplace_back(g, Inner(detail::nested_inner(*core_, g)));
    return out;
  }

 private:
  std::shared_ptr<const detail::NestedCore> core_;  // null: an empty view
};

}  // namespace snowcache
