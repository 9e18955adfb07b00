// view_spec — what a CacheView reads: a snapshot, a key range or a fixed key
// list, and how scanned keys map to entity keys and view keys.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <algorithm>

#include "model/join.h"
#include "model/kinds.h"
#include "snowcache/value.h"
#include "snowcache/view.h"
#include "storage/store.h"

namespace snowcache::detail {

struct ViewSpec {
  std::shared_ptr<const SnapshotHandle> snap;
  // Scan: keys of scan_cf in [lower, upper) (upper empty: to the end).
  Cf scan_cf = Cf::kMeta;
  std::string lower, upper;
  // When set, scan_cf is the index: the entity key is the one the scanned
  // index key points at (keys::indexed_entity), its value is read from value_cf.
  std::optional<Cf> value_cf;
  // Instead of a scan: exactly these entity keys (of value_cf), in this order.
  std::shared_ptr<const std::vector<std::string>> ordered;
  // The view key is the entity key from key_offset on (keys::kPairSecond
  // for guild|user).
  std::size_t key_offset = 0;
  // get(key) reads entity_prefix + key from the entity family.
  std::string entity_prefix;
  // Membership test for get(key) (and, with filter_on_scan, for iteration).
  // Null: every entity whose key lies in the range belongs.
  std::function<bool(std::string_view entity_key, const Bytes& value)> accept;
  bool filter_on_scan = false;
  // The kind's name and key shape, for error messages ("member 1/2").
  std::string what;
  keys::KeyShape shape = keys::KeyShape::kId;
  // Joins the user and member records into each value (join.h), read at
  // the same snapshot; null for kinds without them.
  JoinFn join = nullptr;

  Cf entity_cf() const { return value_cf ? *value_cf : scan_cf; }
};

// The view of T's entities whose keys start with `prefix` (all for ""); the
// view key is the entity key from `key_offset` on.
template <class T>
std::shared_ptr<ViewSpec> range_spec(std::shared_ptr<const SnapshotHandle> snap, std::string prefix = {},
                                     std::size_t key_offset = 0) {
  auto s = std::make_shared<ViewSpec>();
  s->snap = std::move(snap);
  s->scan_cf = Kind<T>::cf;
  s->upper = keys::successor(prefix);
  s->lower = prefix;
  s->entity_prefix = std::move(prefix);
  s->key_offset = key_offset;
  s->what = std::string(Kind<T>::name);
  s->shape = Kind<T>::shape;
  s->join = join_fn<T>();
  return s;
}

// The view of T's entities listed under `prefix` (keys::index_prefix), in
// index order.
template <class T>
std::shared_ptr<ViewSpec> index_spec(std::shared_ptr<const SnapshotHandle> snap, std::string prefix) {
  auto s = range_spec<T>(std::move(snap));
  s->scan_cf = Cf::kIndex;
  s->value_cf = Kind<T>::cf;
  s->upper = keys::successor(prefix);
  s->lower = std::move(prefix);
  s->entity_prefix.clear();
  // get(key): the entity belongs when one of its index keys lies in range.
  s->accept = [lo = s->lower, hi = s->upper](std::string_view key, const Bytes& b) {
    auto v = Value<T>::verify(Bytes::copy_of(b.view()), keys::describe(Kind<T>::name, Kind<T>::shape, key));
    if (!v.ok()) throw Error(v.status());
    Implied im;
    Kind<T>::implied(**v, key, im);
    return std::any_of(im.index_keys.begin(), im.index_keys.end(),
                       [&](const std::string& k) { return k >= lo && (hi.empty() || k < hi); });
  };
  return s;
}

// The DM channel ids in insertion order at `snap` (semantics.md R2).
CacheView<Snowflake, fb::DmChannelId> dm_channel_ids_in_order(std::shared_ptr<const SnapshotHandle> snap);

}  // namespace snowcache::detail
