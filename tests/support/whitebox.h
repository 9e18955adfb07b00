// White-box access for the suites that must reach underneath the public API:
// to store what the API itself cannot produce (an entity kept while its
// component is disabled) and to count a column family's entries.
#pragma once

#include <cstddef>

#include <doctest/doctest.h>

#include "api/cache_state.h"
#include "model/entity_ops.h"
#include "support.h"

namespace snowcache::testing {

struct Peek : Cache {
  static detail::CacheState& state(const Cache& c) { return *(c.*(&Peek::state_)); }
};

// Writes an entity through the write path's own Txn, skipping the API's rules.
template <class T>
void raw_put(Cache& c, const typename T::NativeTableType& v) {
  auto& s = Peek::state(c);
  detail::Txn txn(*s.writer);
  auto r = detail::put_entity<T>(txn, detail::pack<T>(v));
  REQUIRE_MESSAGE(r.ok(), r.status().to_string());
  ok(txn.commit());
}

// How many entries a column family holds, read underneath the API.
inline std::size_t raw_size(const Cache& c, detail::Cf cf) {
  auto& s = Peek::state(c);
  detail::Txn txn(*s.writer);  // never committed: reads only
  auto ks = detail::range_keys(txn, cf, "");
  REQUIRE_MESSAGE(ks.ok(), ks.status().to_string());
  return ks->size();
}

}  // namespace snowcache::testing
