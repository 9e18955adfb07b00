// python/src/errors.h — snowcache::Status as Python exceptions.
//
// Every non-OK Status leaves the binding as an instance of a subclass of
// snowcache.Error chosen by its Code (the classes are created in errors.cc,
// one per Code), carrying `code` (the code name, e.g. "corruption") and
// `message` (the library's message); `code` is code_id(), e.g. "not_found". C++ code throws StatusError; the
// translator registered by register_errors() turns it into that exception.
#pragma once

#include <stdexcept>
#include <string>

#include <pybind11/pybind11.h>

#include "snowcache/status.h"

namespace snowcache_py {

class StatusError : public std::runtime_error {
 public:
  explicit StatusError(snowcache::Status status)
      : std::runtime_error(status.to_string()), status_(std::move(status)) {}
  const snowcache::Status& status() const { return status_; }

 private:
  snowcache::Status status_;
};

// A handle used after close(): snowcache.ClosedError (a snowcache.Error).
class ClosedError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Throws StatusError when `s` is not OK.
inline void check(const snowcache::Status& s) {
  if (!s.ok()) throw StatusError(s);
}

// The code's name as a Python identifier: "invalid_argument", "not_found", "in_use", ...
std::string code_id(snowcache::Code code);

// Creates snowcache.Error and its subclasses in `m` and registers the
// translators (StatusError, ClosedError, snowcache::Error).
void register_errors(pybind11::module_& m);

}  // namespace snowcache_py
