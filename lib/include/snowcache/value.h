// snowcache/value.h — a cached entity as handed to readers.
//
// A Value<T> owns an 8-byte-aligned copy of a stored FlatBuffer that passed
// verification, and exposes the generated table type T (snowcache::fb::Guild,
// ...) without decoding it. Copies share the bytes. unpack() gives an owned,
// mutable copy in flatc's object API (T::NativeTableType, e.g. fb::GuildT),
// which is also what the MutableCache setters take.
//
// Lifetime: the table (operator->, get(), bytes()) lives as long as the
// Value or any copy of it; it does not depend on the cache handle or view it
// came from.
//
// Thread safety: a Value is immutable; share it freely between threads.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string_view>

#include <flatbuffers/flatbuffers.h>

#include "snowcache/status.h"

namespace snowcache {

namespace detail {

struct ValueAccess;  // the library's own access (lib/src/model/value_access.h)

// An aligned, immutable byte buffer. copy_of allocates the buffer and its
// shared_ptr control block in one piece.
class Bytes {
 public:
  static std::shared_ptr<const Bytes> copy_of(std::string_view data);

  const std::uint8_t* data() const { return data_; }
  std::size_t size() const { return size_; }
  std::string_view view() const { return {reinterpret_cast<const char*>(data()), size_}; }

  Bytes(const Bytes&) = delete;
  Bytes& operator=(const Bytes&) = delete;

 private:
  friend struct ValueAccess;
  Bytes() = default;
  std::uint8_t* data_ = nullptr;  // 8-byte aligned, in the same allocation
  std::size_t size_ = 0;
  std::size_t capacity_ = 0;
};

}  // namespace detail

template <class T>
class Value {
 public:
  using Table = T;
  using Native = typename T::NativeTableType;

  // Verifies `bytes` as a T. A failure is Code::kCorruption naming `what`.
  static Result<Value> verify(std::shared_ptr<const detail::Bytes> bytes, std::string_view what) {
    if (!check(*bytes)) return corrupt(what);
    return Value(std::move(bytes));
  }
  // The same, for hot loops: nullopt when `bytes` fail verification, and the
  // caller names what failed (corrupt() builds the same error verify gives).
  static std::optional<Value> try_verify(std::shared_ptr<const detail::Bytes> bytes) {
    if (!check(*bytes)) return std::nullopt;
    return Value(std::move(bytes));
  }
  static Status corrupt(std::string_view what) {
    return Status::Corruption(std::string(what) + " failed FlatBuffers verification");
  }

  const T& operator*() const { return *table_; }
  const T* operator->() const { return table_; }
  const T* get() const { return table_; }

  // An owned, mutable copy (flatc object API).
  std::unique_ptr<Native> unpack() const { return std::unique_ptr<Native>(table_->UnPack()); }

  // The stored FlatBuffer.
  std::span<const std::uint8_t> bytes() const { return {bytes_->data(), bytes_->size()}; }
  const std::shared_ptr<const detail::Bytes>& buffer() const { return bytes_; }

 private:
  friend struct detail::ValueAccess;
  explicit Value(std::shared_ptr<const detail::Bytes> bytes)
      : bytes_(std::move(bytes)), table_(flatbuffers::GetRoot<T>(bytes_->data())) {}
  static bool check(const detail::Bytes& b) {
    flatbuffers::Verifier verifier(b.data(), b.size());
    return b.size() >= sizeof(flatbuffers::uoffset_t) && verifier.VerifyBuffer<T>(nullptr);
  }

  std::shared_ptr<const detail::Bytes> bytes_;
  const T* table_;
};

// What getters return: a value, nothing (a miss), or an error.
template <class T>
using Maybe = Result<std::optional<Value<T>>>;

// What update_x returns: the entity before and after, either may be absent
// (both are absent when the kind is disabled).
template <class T>
struct Update {
  std::optional<Value<T>> old_value;
  std::optional<Value<T>> new_value;
};

}  // namespace snowcache
