// join — what readers see of a stored value: its references to users and
// members (objects.h) replaced by the records they name, as those records
// are where the value is read (docs/SEMANTICS.md E5). Every getter, view,
// dump and MutableCache return value goes through here; values of kinds
// without user or member objects are returned as stored.
//
// A value written by format 1 still carries whole copies; they are joined
// over like references (the record wins), so old values read the same.
#pragma once

#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include <rocksdb/db.h>

#include "model/entity_ops.h"
#include "model/object_fields.h"
#include "model/value_access.h"
#include "snowcache/value.h"

namespace snowcache::detail {

// Where the records are read.
class Homes {
 public:
  virtual ~Homes() = default;
  virtual Maybe<fb::User> user(std::uint64_t id) = 0;
  // The member (guild, user), listed or hidden, as stored.
  virtual Maybe<fb::Member> member(std::uint64_t guild, std::uint64_t user) = 0;
};

// The store at a snapshot (nullptr: the latest state), through the front
// cache's entries that hold at that snapshot.
class SnapshotHomes final : public Homes {
 public:
  SnapshotHomes(const Store& store, const rocksdb::Snapshot* snap)
      : store_(store), snap_(snap), seq_(snap ? snap->GetSequenceNumber() : UINT64_MAX) {}
  Maybe<fb::User> user(std::uint64_t id) override;
  Maybe<fb::Member> member(std::uint64_t guild, std::uint64_t user) override;

 private:
  const Store& store_;
  const rocksdb::Snapshot* snap_;
  std::uint64_t seq_;
};

// The latest state, through the store's front cache (the getters). Stamps
// each record before reading it, for the front cache entry of what is
// joined from them (front_cache.h).
class FrontHomes final : public Homes {
 public:
  explicit FrontHomes(const Store& store) : store_(store) {}
  Maybe<fb::User> user(std::uint64_t id) override;
  Maybe<fb::Member> member(std::uint64_t guild, std::uint64_t user) override;
  const std::vector<FrontCache::Stamp>& stamps() const { return stamps_; }

 private:
  void stamp(Cf cf, std::string_view key);
  const Store& store_;
  std::vector<FrontCache::Stamp> stamps_;
};

// As a write transaction sees them (its own staged writes included).
class TxnHomes final : public Homes {
 public:
  explicit TxnHomes(Txn& txn) : txn_(txn) {}
  Maybe<fb::User> user(std::uint64_t id) override;
  Maybe<fb::Member> member(std::uint64_t guild, std::uint64_t user) override;

 private:
  Txn& txn_;
};

// `stored` (a verified table of type `tt`) with its user and member objects
// replaced by their records. Errors: Code::kCorruption ("references user 7,
// which is not cached") when a record it references is missing, and the
// errors of reading the records.
Result<std::shared_ptr<const Bytes>> join_bytes(Homes& homes, const flatbuffers::TypeTable* tt,
                                                const ObjectFields& fields, const Bytes& stored);

// The same for a T, its errors naming `what` ("member 1/2").
template <class T>
Result<Value<T>> joined(Homes& homes, Value<T> stored, std::string_view what) {
  const ObjectFields& fields = object_fields<T>();
  if (!fields.any()) return stored;
  auto bytes = join_bytes(homes, T::MiniReflectTypeTable(), fields, *stored.buffer());
  if (!bytes.ok()) return Status(bytes.status().code(), std::string(what) + ": " + bytes.status().message());
  // Built here from verified parts: well-formed by construction.
  return ValueAccess::adopt_verified<T>(std::move(*bytes));
}

template <class T>
Maybe<T> joined(Homes& homes, Maybe<T> stored, std::string_view what) {
  if (!stored.ok() || !*stored) return stored;
  auto v = joined<T>(homes, std::move(**stored), what);
  if (!v.ok()) return v.status();
  return std::optional<Value<T>>(std::move(*v));
}

// The latest value under `key` in `cf` as readers see it, through the
// front cache: a hit serves the entry (verified, and joined, when it was
// filled); a miss reads the store, verifies, joins the records in (stamped
// as the entry's dependencies) and fills the entry unless a write
// intervened (front_cache.h).
template <class T>
Maybe<T> read_front(const Store& store, std::string_view key, Cf cf = Kind<T>::cf) {
  FrontCache& front = store.front();
  std::shared_ptr<const Bytes> hit;
  FrontCache::Ticket ticket;
  if (front.lookup(cf, key, &hit, &ticket)) {
    return std::optional<Value<T>>(ValueAccess::adopt_verified<T>(std::move(hit)));
  }
  auto raw = store.get(cf, key);
  if (!raw.ok()) return raw.status();
  if (!*raw) return std::optional<Value<T>>();
  auto v = Value<T>::try_verify(*raw);
  if (!v) return Value<T>::corrupt(describe<T>(key));  // never cached
  FrontHomes homes(store);
  auto shown = joined<T>(homes, std::move(*v), describe<T>(key));
  if (!shown.ok()) return shown.status();
  front.fill(cf, key, shown->buffer(), ticket, store.latest_sequence(), homes.stamps());
  return std::optional<Value<T>>(std::move(*shown));
}

// For views (type-erased): verifies `stored` (the value under entity key
// `key`) as T and joins it; an error names the entity.
using JoinFn = Result<std::shared_ptr<const Bytes>> (*)(Homes& homes, std::shared_ptr<const Bytes> stored,
                                                       std::string_view key);
template <class T>
Result<std::shared_ptr<const Bytes>> join_as(Homes& homes, std::shared_ptr<const Bytes> stored, std::string_view key) {
  auto v = Value<T>::try_verify(std::move(stored));
  if (!v) return Value<T>::corrupt(describe<T>(key));
  auto bytes = join_bytes(homes, T::MiniReflectTypeTable(), object_fields<T>(), *v->buffer());
  if (!bytes.ok()) return Status(bytes.status().code(), describe<T>(key) + ": " + bytes.status().message());
  return bytes;
}
// The view join of T: nullptr when T has no user or member objects.
template <class T>
JoinFn join_fn() {
  return object_fields<T>().any() ? &join_as<T> : nullptr;
}

}  // namespace snowcache::detail
