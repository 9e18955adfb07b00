#include "snowcache/status.h"

#include <charconv>

#include "snowcache/snowflake.h"

namespace snowcache {

const char* code_name(Code code) {
  switch (code) {
    case Code::kOk: return "ok";
    case Code::kInvalidArgument: return "invalid argument";
    case Code::kCorruption: return "corruption";
    case Code::kIOError: return "I/O error";
    case Code::kNotACache: return "not a cache";
    case Code::kFormatMismatch: return "format mismatch";
    case Code::kInUse: return "in use";
    case Code::kReadOnly: return "read-only";
    case Code::kNotFound: return "not found";
    case Code::kFailed: return "failed";
  }
  return "unknown";
}

std::string Status::to_string() const {
  if (ok()) return "ok";
  return std::string(code_name(code_)) + ": " + message_;
}

std::optional<Snowflake> Snowflake::parse(std::string_view text) {
  if (text.empty() || text.size() > 20) return std::nullopt;
  std::uint64_t v = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || p != text.data() + text.size()) return std::nullopt;
  return Snowflake(v);
}

}  // namespace snowcache
