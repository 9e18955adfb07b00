// families — the column families of a cache, as one table: each family's
// name on disk, whether it holds entity values (and so goes through the
// front cache), how its keys are prefixed for scans, and whether its
// memtable keeps a bloom filter.
//
// store.cc builds every family's RocksDB options from this table, txn.cc asks
// it which writes the front cache must see; nothing else lists families. The
// entity kinds that live in them are model/kinds.h.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace snowcache::detail {

enum class Cf : std::uint8_t {
  kGuilds,
  kGuildChannels,
  kThreads,
  kRoles,
  kEmojis,
  kStickers,
  kInvites,
  kMembers,
  kUsers,
  kPresences,
  kVoiceStates,
  kMessages,
  kDmChannelIds,
  // Members known only because a voice state or cached message holds them
  // (semantics.md R3: hidden). Same keys and values as kMembers.
  kHiddenMembers,
  kIndex,
  kRefs,
  kMeta,
};

// How the keys of a family are grouped for prefix seeks (the prefix
// extractor, which a secondary must share with the primary).
enum class KeyPrefix : std::uint8_t {
  kNone,
  kGuild,      // guild | user: per-guild scans of one 8-byte prefix
  kIndexScope, // tag | first scope id (keys::kIndexPrefixLen)
};

struct Family {
  Cf cf;
  std::string_view name;  // the column family's name on disk
  bool entities;          // holds entity values: read and kept exact through the front cache
  KeyPrefix prefix;
  // A bloom filter over the memtable's keys: for the families a GUILD_CREATE
  // flood writes most, where most reads of the write path ask for keys that
  // do not exist yet (2% of the memtable; not worth it for small families).
  bool memtable_bloom;
};

inline constexpr Family kFamilies[] = {
    {Cf::kGuilds, "guilds", true, KeyPrefix::kNone, false},
    {Cf::kGuildChannels, "guild_channels", true, KeyPrefix::kNone, false},
    {Cf::kThreads, "threads", true, KeyPrefix::kNone, false},
    {Cf::kRoles, "roles", true, KeyPrefix::kNone, false},
    {Cf::kEmojis, "emojis", true, KeyPrefix::kNone, false},
    {Cf::kStickers, "stickers", true, KeyPrefix::kNone, false},
    {Cf::kInvites, "invites", true, KeyPrefix::kNone, false},
    {Cf::kMembers, "members", true, KeyPrefix::kGuild, true},
    {Cf::kUsers, "users", true, KeyPrefix::kNone, true},
    {Cf::kPresences, "presences", true, KeyPrefix::kGuild, true},
    {Cf::kVoiceStates, "voice_states", true, KeyPrefix::kGuild, false},
    {Cf::kMessages, "messages", true, KeyPrefix::kNone, false},
    {Cf::kDmChannelIds, "dm_channel_ids", true, KeyPrefix::kNone, false},
    {Cf::kHiddenMembers, "hidden_members", true, KeyPrefix::kGuild, false},
    {Cf::kIndex, "index", false, KeyPrefix::kIndexScope, false},
    {Cf::kRefs, "refs", false, KeyPrefix::kNone, true},
    {Cf::kMeta, "meta", false, KeyPrefix::kNone, false},
};
constexpr std::size_t kCfCount = std::size(kFamilies);

constexpr bool families_in_enum_order() {
  for (std::size_t i = 0; i < kCfCount; ++i) {
    if (static_cast<std::size_t>(kFamilies[i].cf) != i) return false;
  }
  return true;
}
static_assert(families_in_enum_order(), "kFamilies lists every Cf once, in enum order");
static_assert(static_cast<std::size_t>(Cf::kMeta) + 1 == kCfCount, "every Cf has a row in kFamilies");

constexpr const Family& family(Cf c) { return kFamilies[static_cast<std::size_t>(c)]; }
// The column family's name on disk ("guilds", "index", ...).
constexpr std::string_view cf_name(Cf c) { return family(c).name; }

}  // namespace snowcache::detail
