// view_core — the library side of view.h: the types the public view
// templates hold opaquely, and how the library makes views.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "api/view_spec.h"
#include "snowcache/view.h"

namespace snowcache::detail {

// What a view reads, and its size once counted. Shared by a view's copies.
class ViewCore {
 public:
  explicit ViewCore(std::shared_ptr<const ViewSpec> spec) : spec_(std::move(spec)) {}

  const std::shared_ptr<const ViewSpec>& spec() const { return spec_; }
  std::size_t size() const;
  // Value of the entry whose view key is `key`, or nullptr.
  Result<std::shared_ptr<const Bytes>> lookup(std::string_view key) const;

 private:
  std::shared_ptr<const ViewSpec> spec_;
  // Atomic because a view may be read from several threads.
  mutable std::atomic<std::size_t> size_cache_{SIZE_MAX};
};

// A position in a view: a scan of its range, or an index into its key list.
class ViewCursor {
 public:
  explicit ViewCursor(std::shared_ptr<const ViewSpec> spec);
  ~ViewCursor();
  ViewCursor(const ViewCursor&) = delete;
  ViewCursor& operator=(const ViewCursor&) = delete;
  bool valid() const { return valid_; }
  void next();
  std::string_view entity_key() const { return entity_key_; }
  std::string_view view_key() const;
  // The current entry's value bytes (read at the snapshot). Throws Error.
  // A scan refills one buffer entry after entry when the caller keeps no
  // reference to the one before (ValueAccess::refill), so a loop that reads each
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

// Distinct guild ids of a guild-scoped column family, lazily.
class NestedCore {
 public:
  // `all` is a template spec; its range is narrowed to each guild.
  explicit NestedCore(std::shared_ptr<const ViewSpec> all) : all_(std::move(all)) {}
  std::vector<Snowflake> guilds() const;  // throws Error
  std::shared_ptr<const ViewCore> inner(Snowflake guild) const;

 private:
  std::shared_ptr<const ViewSpec> all_;
};

template <class K, class V>
CacheView<K, V> make_view(std::shared_ptr<const ViewSpec> spec) {
  return CacheView<K, V>(std::make_shared<const ViewCore>(std::move(spec)));
}

template <class V>
NestedView<V> make_nested_view(std::shared_ptr<const ViewSpec> all) {
  return NestedView<V>(std::make_shared<const NestedCore>(std::move(all)));
}

}  // namespace snowcache::detail
