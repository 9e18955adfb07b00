// view_spec — what a CacheView reads: a snapshot, a key range or a fixed key
// list, and how scanned keys map to entity keys and view keys.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "snowcache/value.h"
#include "model/join.h"
#include "storage/store.h"

namespace snowcache::detail {

struct ViewSpec {
  std::shared_ptr<const SnapshotHandle> snap;
  // Scan: keys of scan_cf in [lower, upper) (upper empty: to the end).
  Cf scan_cf = Cf::kMeta;
  std::string lower, upper;
  // When set, scan_cf is an index: the entity key is the scanned key from
  // entity_offset on, and its value is read from value_cf.
  std::optional<Cf> value_cf;
  std::size_t entity_offset = 0;
  // Instead of a scan: exactly these entity keys (of value_cf), in this order.
  std::shared_ptr<const std::vector<std::string>> ordered;
  // The view key is the entity key from key_offset on (8 for guild|user).
  std::size_t key_offset = 0;
  // get(key) reads entity_prefix + key from the entity family.
  std::string entity_prefix;
  // Membership test for get(key) (and, with filter_on_scan, for iteration).
  // Null: every entity whose key lies in the range belongs.
  std::function<bool(std::string_view entity_key, const Bytes& value)> accept;
  bool filter_on_scan = false;
  // The kind's name, for error messages ("member").
  std::string what;
  // Joins the user and member records into each value (join.h), read at
  // the same snapshot; null for kinds without them.
  JoinFn join = nullptr;

  Cf entity_cf() const { return value_cf ? *value_cf : scan_cf; }
};

}  // namespace snowcache::detail
