// snowcache/snowflake.h — the id type of every Discord entity.
//
// A Snowflake is a 64-bit Discord id. Its numeric order is its creation-time
// order, and snowcache stores it big-endian so that byte order equals id order.
#pragma once

#include <compare>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace snowcache {

class Snowflake {
 public:
  constexpr Snowflake() = default;
  constexpr explicit Snowflake(std::uint64_t value) : value_(value) {}

  constexpr std::uint64_t value() const { return value_; }
  constexpr explicit operator std::uint64_t() const { return value_; }

  // Milliseconds since the Discord epoch (2015-01-01) at which the id was made.
  constexpr std::uint64_t timestamp_ms() const { return (value_ >> 22) + 1420070400000ULL; }

  // The shard that receives a guild's events: (guild_id >> 22) % shard_count.
  // REQUIRES: shard_count > 0.
  constexpr std::uint32_t shard_of(std::uint32_t shard_count) const {
    return static_cast<std::uint32_t>((value_ >> 22) % shard_count);
  }

  // Parses a decimal id as Discord writes it ("80351110224678912").
  // Returns nullopt for anything else: empty, signs, non-digits, overflow.
  static std::optional<Snowflake> parse(std::string_view text);

  std::string to_string() const { return std::to_string(value_); }

  friend constexpr auto operator<=>(Snowflake, Snowflake) = default;

 private:
  std::uint64_t value_ = 0;
};

}  // namespace snowcache

template <>
struct std::hash<snowcache::Snowflake> {
  std::size_t operator()(snowcache::Snowflake s) const noexcept {
    return std::hash<std::uint64_t>{}(s.value());
  }
};
