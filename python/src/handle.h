// python/src/handle.h — the Python Cache / MutableCache objects and the rule
// every call follows: the GIL is released while the library (RocksDB) works,
// and Python objects are built only after, with the GIL held again.
//
// A CacheHandle owns the C++ handle and the Gateways made on it. Calls hold
// its mutex shared; close() holds it exclusively, so a close waits for the
// calls in flight and every later call raises snowcache.ClosedError. Lock
// order: a Gateway's own mutex, then the handle's; the GIL is never taken
// while the handle's mutex is held.
#pragma once

#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <vector>

#include <pybind11/pybind11.h>

#include "errors.h"
#include "snowcache/cache.h"
#include "snowcache/gateway.h"

namespace snowcache_py {

struct CacheHandle {
  mutable std::shared_mutex mu;
  std::unique_ptr<snowcache::Cache> cache;   // null once closed
  snowcache::MutableCache* writer = nullptr; // cache.get() when opened for writing
  std::vector<std::unique_ptr<snowcache::Gateway>> gateways;  // destroyed before the cache
  std::string path;

  // Destroys the gateways and the cache (a graceful close: the library flushes).
  void close() {
    std::unique_lock lock(mu);
    gateways.clear();
    writer = nullptr;
    cache.reset();
  }
  ~CacheHandle() { close(); }
};

class PyCache {
 public:
  explicit PyCache(std::shared_ptr<CacheHandle> h) : h_(std::move(h)) {}
  virtual ~PyCache() = default;

  // Runs f(Cache&) without the GIL, under the shared lock.
  template <class F>
  auto read(F&& f) const {
    pybind11::gil_scoped_release nogil;
    std::shared_lock lock(h_->mu);
    if (!h_->cache) throw ClosedError("the cache is closed");
    return f(*h_->cache);
  }
  // Runs f(MutableCache&) without the GIL, under the shared lock.
  template <class F>
  auto write(F&& f) const {
    pybind11::gil_scoped_release nogil;
    std::shared_lock lock(h_->mu);
    if (!h_->cache) throw ClosedError("the cache is closed");
    if (!h_->writer) throw StatusError(snowcache::Status::ReadOnly("the cache was opened read-only"));
    return f(*h_->writer);
  }

  void close() {
    pybind11::gil_scoped_release nogil;
    h_->close();
  }
  bool closed() const {
    std::shared_lock lock(h_->mu);
    return !h_->cache;
  }
  const std::shared_ptr<CacheHandle>& handle() const { return h_; }

 private:
  std::shared_ptr<CacheHandle> h_;
};

class PyMutableCache : public PyCache {
 public:
  using PyCache::PyCache;
};

// Settings from a Python object with components / max_messages / max_dm_channel_ids / only_my_member
// (snowcache.Settings, hikari's CacheSettings); absent attributes keep hikari's defaults.
snowcache::Settings settings_from(pybind11::handle o);

// Bindings, one file each.
void bind_cache(pybind11::module_& m);
void bind_views(pybind11::module_& m);
void bind_gateway(pybind11::module_& m);

}  // namespace snowcache_py
