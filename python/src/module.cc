// snowcache._snowcache: the C++ library for Python. The public package is
// python/snowcache/ (its __init__ re-exports these names).
#include <pybind11/pybind11.h>

#include "errors.h"
#include "handle.h"

PYBIND11_MODULE(_snowcache, m) {
  m.doc() = "snowcache's C++ library (RocksDB + FlatBuffers). Use it through the `snowcache` package.";
  snowcache_py::register_errors(m);
  snowcache_py::bind_views(m);
  snowcache_py::bind_cache(m);
  snowcache_py::bind_gateway(m);
}
