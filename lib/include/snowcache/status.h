// snowcache/status.h — errors as values.
//
// Every fallible call returns a Status or a Result<T>. A miss is not an error:
// getters return Result<std::optional<...>> with an empty optional. Faults
// (I/O errors, corruption) are never turned into a miss.
#pragma once

#include <stdexcept>
#include <string>
#include <utility>
#include <variant>

namespace snowcache {

enum class Code : unsigned char {
  kOk = 0,
  kInvalidArgument,  // bad input: a malformed entity or event, a missing scope
  kCorruption,       // a stored value or file failed verification
  kIOError,          // the filesystem failed (full disk, permissions, ...)
  kNotACache,        // the directory exists but is not a snowcache cache
  kFormatMismatch,   // the cache was written by an incompatible format version
  kInUse,            // another process (or handle) holds the cache for writing
  kReadOnly,         // a write on a read-only or secondary handle
  kNotFound,         // a required thing (directory, file) does not exist
  kFailed,           // an earlier write failed; the handle refuses writes until reopened
};

// The name of a code, e.g. "corruption" (a static string).
const char* code_name(Code code);

class [[nodiscard]] Status {
 public:
  Status() = default;  // OK
  Status(Code code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status Ok() { return {}; }
  static Status InvalidArgument(std::string m) { return {Code::kInvalidArgument, std::move(m)}; }
  static Status Corruption(std::string m) { return {Code::kCorruption, std::move(m)}; }
  static Status IOError(std::string m) { return {Code::kIOError, std::move(m)}; }
  static Status NotACache(std::string m) { return {Code::kNotACache, std::move(m)}; }
  static Status FormatMismatch(std::string m) { return {Code::kFormatMismatch, std::move(m)}; }
  static Status InUse(std::string m) { return {Code::kInUse, std::move(m)}; }
  static Status ReadOnly(std::string m) { return {Code::kReadOnly, std::move(m)}; }
  static Status NotFound(std::string m) { return {Code::kNotFound, std::move(m)}; }
  static Status Failed(std::string m) { return {Code::kFailed, std::move(m)}; }

  bool ok() const { return code_ == Code::kOk; }
  explicit operator bool() const { return ok(); }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }
  // "corruption: value of member 1/2 failed verification"; "ok" when OK.
  std::string to_string() const;

 private:
  Code code_ = Code::kOk;
  std::string message_;
};

// Thrown only where a value cannot be returned: iterating a view whose
// snapshot hits a corrupt value or an I/O error, and Result::value() on an
// error. Carries the Status.
class Error : public std::runtime_error {
 public:
  explicit Error(Status status)
      : std::runtime_error(status.to_string()), status_(std::move(status)) {}
  const Status& status() const { return status_; }

 private:
  Status status_;
};

// A T or a non-OK Status.
template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::in_place_index<1>, std::move(value)) {}  // NOLINT: implicit
  Result(Status status) : v_(std::in_place_index<0>, std::move(status)) {  // NOLINT
    if (std::get<0>(v_).ok()) v_.template emplace<0>(Code::kFailed, "Result built from an OK status");
  }

  bool ok() const { return v_.index() == 1; }
  explicit operator bool() const { return ok(); }
  // OK when a value is held.
  Status status() const { return ok() ? Status() : std::get<0>(v_); }

  // REQUIRES: ok(); throws Error otherwise.
  T& value() & { check(); return std::get<1>(v_); }
  const T& value() const& { check(); return std::get<1>(v_); }
  T&& value() && { check(); return std::get<1>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

 private:
  void check() const {
    if (!ok()) throw Error(std::get<0>(v_));
  }
  std::variant<Status, T> v_;
};

}  // namespace snowcache

// Propagates a non-OK Status (or the Status of a failed Result) to the
// caller, which must return Status or some Result<T>.
#define SNOWCACHE_RETURN_IF_ERROR(expr)             \
  do {                                              \
    if (auto _sc_st = (expr); !_sc_st.ok()) return ::snowcache::detail_status(std::move(_sc_st)); \
  } while (0)

namespace snowcache {
inline Status detail_status(Status s) { return s; }
template <class T>
Status detail_status(Result<T> r) { return r.status(); }
}  // namespace snowcache
