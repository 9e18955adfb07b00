// snowcache/settings.h — what a cache keeps (Settings) and how it is opened (Options).
//
// Settings mirror hikari's CacheSettings: names, values and defaults. They are
// stored with the cache; see Options::settings for how reopening treats them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

namespace snowcache {

// hikari's CacheComponents: one bit per store. A disabled kind reads as
// absent/empty, its setters do nothing and update returns (none, none).
enum class Components : std::uint32_t {
  kNone = 0,
  kGuilds = 1u << 0,
  kGuildChannels = 1u << 1,
  kMembers = 1u << 2,
  kRoles = 1u << 3,
  kInvites = 1u << 4,
  kEmojis = 1u << 5,
  kPresences = 1u << 6,
  kVoiceStates = 1u << 7,
  kMessages = 1u << 8,
  kMe = 1u << 9,
  kDmChannelIds = 1u << 10,
  kGuildStickers = 1u << 11,
  kGuildThreads = 1u << 12,
  kAll = (1u << 13) - 1,  // every bit above
};

constexpr Components operator|(Components a, Components b) {
  return static_cast<Components>(static_cast<std::uint32_t>(a) | static_cast<std::uint32_t>(b));
}
constexpr Components operator&(Components a, Components b) {
  return static_cast<Components>(static_cast<std::uint32_t>(a) & static_cast<std::uint32_t>(b));
}
constexpr Components operator~(Components a) {
  return static_cast<Components>(~static_cast<std::uint32_t>(a) & static_cast<std::uint32_t>(Components::kAll));
}
// True when every bit of `wanted` is set in `have` (hikari's gating rule).
constexpr bool has_all(Components have, Components wanted) { return (have & wanted) == wanted; }

struct Settings {
  // Which stores are active. Default: kAll.
  Components components = Components::kAll;
  // Capacity of the message store; inserting past it evicts the oldest
  // (smallest id) message in the same batch. Default: 300.
  std::uint32_t max_messages = 300;
  // Capacity of the DM channel id store; oldest-inserted evicted. Default: 50.
  std::uint32_t max_dm_channel_ids = 50;
  // GUILD_CREATE keeps only the bot's own member. Default: false.
  bool only_my_member = false;

  friend bool operator==(const Settings&, const Settings&) = default;
};

struct Options {
  // Settings to run with. Default: nullopt = the settings stored in the cache
  // (hikari's defaults for a new cache). When given and different from the
  // stored ones, they are applied at open: kinds that were enabled and are now
  // disabled are cleared, and lower limits evict, in one batch; then stored.
  std::optional<Settings> settings;

  // Create the directory and an empty cache when there is none.
  // Default: true. When false, a missing directory is Code::kNotFound.
  bool create_if_missing = true;

  // Keep everything in memory (RocksDB's in-memory Env, same code path).
  // The path is then only a name. Nothing survives the handle. Default: false.
  bool in_memory = false;

  // Open without writing anything. Mutations return Code::kReadOnly.
  // Default: false.
  bool read_only = false;

  // Open as a RocksDB secondary instance beside a live writer (another
  // process): read-only, catches up with the writer on open and on
  // Cache::catch_up(). Exclusive with read_only (Code::kInvalidArgument).
  // Default: false.
  bool secondary = false;
  // Where a secondary keeps its own info log.
  // Default: empty = a fresh directory under the system temp directory.
  std::string secondary_path;

  // Sync the WAL on every commit: survives power loss, costs an fsync per
  // event. Default: false (survives a process crash: the WAL is written
  // before a commit returns).
  bool sync = false;

  // The one block cache shared by all column families. Default: 32 MiB.
  std::size_t block_cache_bytes = std::size_t{32} << 20;
  // The front cache: entity values read by the getters (get_member, ...)
  // kept in memory, verified, in front of RocksDB, least recently used out.
  // Exact: every write drops what it changes in the same step that commits
  // (docs/ARCHITECTURE.md). Views read their snapshot, never this. Entries
  // are charged their size plus 160 bytes. Default: 16 MiB; 0 (or less
  // than 32 x 160 bytes) turns it off.
  std::size_t front_cache_bytes = std::size_t{16} << 20;
  // Memtables of all column families together. Default: 64 MiB.
  std::size_t write_buffer_bytes = std::size_t{64} << 20;
};

}  // namespace snowcache
