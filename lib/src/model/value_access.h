// value_access — what only the library may do with value.h's types.
#pragma once

#include <memory>
#include <string_view>
#include <utility>

#include "snowcache/value.h"

namespace snowcache::detail {

struct ValueAccess {
  // A Value over bytes that already passed verify() as a T (the front
  // cache's entries, values joined from verified parts).
  template <class T>
  static Value<T> adopt_verified(std::shared_ptr<const Bytes> bytes) {
    return Value<T>(std::move(bytes));
  }
  // Sets *buf to a copy of `data`: in place when *buf is held by nothing but
  // *buf itself and is large enough (a view's cursor refilling the buffer of
  // the entry before, which its reader has let go), else a new copy_of.
  // Defined in view.cc.
  static void refill(std::shared_ptr<const Bytes>* buf, std::string_view data);
};

}  // namespace snowcache::detail
