// snowcache/view.h — CacheView: an immutable snapshot of part of the cache.
//
// A view is a RocksDB snapshot plus a key range (or, for the per-guild channel
// view, the keys in Discord's client order fixed when the view was made). Keys
// and values both come from the moment the view was taken, whatever is written
// later. Iteration is lazy: nothing is read before it is asked for.
//
// Order: ascending key (snowflake order = creation order) unless the getter
// that made the view says otherwise.
//
// Errors: size(), iteration and operator[] throw snowcache::Error when the
// snapshot hits a corrupt value or an I/O error (a view cannot return a
// Status from inside a range-for); get() returns it as a Result instead.
// get_item_at() and operator[] throw std::out_of_range for a bad index / key.
//
// Lifetime: a view keeps its snapshot, and so the open database, alive until
// the last copy of it is destroyed. Views are cheap to copy (shared state).
// Thread safety: a view may be read from any number of threads at once.
#pragma once

#include <atomic>
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

class Store;
struct ViewSpec;

// Non-template core of every view; see view.cc.
class ViewCore {
 public:
  explicit ViewCore(std::shared_ptr<const ViewSpec> spec) : spec_(std::move(spec)) {}
  ViewCore() = default;

  class Cursor {
   public:
    explicit Cursor(std::shared_ptr<const ViewSpec> spec);
    ~Cursor();
    Cursor(const Cursor&) = delete;
    Cursor& operator=(const Cursor&) = delete;
    bool valid() const { return valid_; }
    void next();
    std::string_view entity_key() const { return entity_key_; }
    std::string_view view_key() const;
    // The current entry's value bytes (read at the snapshot). Throws Error.
    // A scan refills one buffer entry after entry when the caller keeps no
    // reference to the one before (Bytes::refill), so a loop that reads each
    // value and lets it go does not allocate per entry.
    std::shared_ptr<const Bytes> value();
    // "member 41771983423143937/80351110224678912": the kind and key, for errors.
    std::string describe() const;

   private:
    void settle();  // skip to the next accepted entry; sets valid_
    struct Impl;
    std::unique_ptr<Impl> impl_;
    std::shared_ptr<const ViewSpec> spec_;
    bool valid_ = false;
    std::string entity_key_;
    std::shared_ptr<const Bytes> value_;
    bool have_value_ = false;  // value_ holds the current entry's bytes
  };

  std::size_t size() const;
  // Value of the entry whose view key is `key`, or nullptr.
  Result<std::shared_ptr<const Bytes>> lookup(std::string_view key) const;
  std::string_view what() const;
  bool empty_spec() const { return spec_ == nullptr; }
  const std::shared_ptr<const ViewSpec>& spec() const { return spec_; }

 private:
  std::shared_ptr<const ViewSpec> spec_;
  // Shared by copies; atomic because a view may be read from several threads.
  std::shared_ptr<std::atomic<std::size_t>> size_cache_ = std::make_shared<std::atomic<std::size_t>>(SIZE_MAX);
};

// View keys: snowflakes are 8 big-endian bytes, invite codes their own bytes.
template <class K>
struct KeyCodec;
template <>
struct KeyCodec<Snowflake> {
  static std::string encode(Snowflake s);
  static Snowflake decode(std::string_view b);
};
template <>
struct KeyCodec<std::string> {
  static std::string encode(const std::string& s) { return s; }
  static std::string decode(std::string_view b) { return std::string(b); }
};

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
  explicit CacheView(detail::ViewCore core) : core_(std::move(core)) {}

  class iterator {
   public:
    using iterator_category = std::input_iterator_tag;
    using difference_type = std::ptrdiff_t;
    using value_type = CacheView::value_type;

    iterator() = default;
    explicit iterator(std::shared_ptr<const detail::ViewSpec> spec)
        : cur_(std::make_shared<detail::ViewCore::Cursor>(std::move(spec))) {}
    value_type operator*() const {
      return {detail::KeyCodec<K>::decode(cur_->view_key()), value()};
    }
    K key() const { return detail::KeyCodec<K>::decode(cur_->view_key()); }
    Value<V> value() const {
      auto v = Value<V>::try_verify(cur_->value());
      if (!v) throw Error(Value<V>::corrupt(describe()));  // named only when it fails
      return std::move(*v);
    }
    iterator& operator++() {
      cur_->next();
      return *this;
    }
    void operator++(int) { ++*this; }
    friend bool operator==(const iterator& it, std::default_sentinel_t) {
      return !it.cur_ || !it.cur_->valid();
    }

   private:
    std::string describe() const;
    std::shared_ptr<detail::ViewCore::Cursor> cur_;
  };

  iterator begin() const { return core_.empty_spec() ? iterator() : iterator(core_.spec()); }
  std::default_sentinel_t end() const { return {}; }

  // Number of entries. Computed once per view (a key scan), then remembered.
  std::size_t size() const { return core_.size(); }
  bool empty() const { return size() == 0; }

  // The value under `key`, nothing when the view does not hold it, or an error.
  Maybe<V> get(const K& key) const {
    if (core_.empty_spec()) return std::optional<Value<V>>();
    auto raw = core_.lookup(detail::KeyCodec<K>::encode(key));
    if (!raw.ok()) return raw.status();
    if (!*raw) return std::optional<Value<V>>();
    auto v = Value<V>::verify(std::move(*raw), core_.what());
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
  detail::ViewCore core_;
};

template <class K, class V>
std::string CacheView<K, V>::iterator::describe() const {
  return cur_->describe();
}

namespace detail {
// Distinct guild ids of a guild-scoped column family, lazily.
class NestedCore {
 public:
  NestedCore() = default;
  // `inner` is a template spec; its range is narrowed to each guild.
  explicit NestedCore(std::shared_ptr<const ViewSpec> all) : all_(std::move(all)) {}
  std::vector<Snowflake> guilds() const;  // throws Error
  ViewCore inner(Snowflake guild) const;
  bool empty_spec() const { return all_ == nullptr; }

 private:
  std::shared_ptr<const ViewSpec> all_;
};
}  // namespace detail

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
  explicit NestedView(detail::NestedCore core) : core_(std::move(core)) {}

  std::vector<Snowflake> keys() const { return core_.empty_spec() ? std::vector<Snowflake>{} : core_.guilds(); }
  std::size_t size() const { return keys().size(); }
  bool empty() const { return size() == 0; }
  // The guild's inner view; nullopt when the guild has no entry here.
  std::optional<Inner> get(Snowflake guild) const {
    if (core_.empty_spec()) return std::nullopt;
    Inner inner(core_.inner(guild));
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
    return Inner(core_.inner(k[want]));
  }
  // (guild, inner view) pairs in ascending guild order.
  std::vector<std::pair<Snowflake, Inner>> items() const {
    std::vector<std::pair<Snowflake, Inner>> out;
    for (Snowflake g : keys()) out.emplace_back(g, Inner(core_.inner(g)));
    return out;
  }

 private:
  detail::NestedCore core_;
};

}  // namespace snowcache
