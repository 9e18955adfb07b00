// cache_state — what a Cache handle holds: the store, the writer (the one
// write path), and the settings in force. Shared by the read and write sides.
#pragma once

#include <memory>

#include "snowcache/cache.h"
#include "snowcache/settings.h"
#include "storage/store.h"
#include "storage/txn.h"
#include "api/view_core.h"

namespace snowcache::detail {

struct CacheState {
  std::shared_ptr<Store> store;
  std::unique_ptr<Writer> writer;
  Settings settings;

  bool enabled(Components c) const { return has_all(settings.components, c); }

  // A snapshot of now (for views).
  std::shared_ptr<const SnapshotHandle> snapshot() const {
    return std::make_shared<SnapshotHandle>(store, store->take_snapshot());
  }
};

// How the gateway ingest and tools reach a Cache's state.
struct Access {
  static const std::shared_ptr<CacheState>& state(const Cache& c) { return c.state_; }
};

}  // namespace snowcache::detail
