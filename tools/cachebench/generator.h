// A deterministic (seeded) generator of realistic Discord gateway streams:
// a READY, a GUILD_CREATE flood (small guilds with every member listed, and
// large guilds whose members arrive as chunks with presences), and a
// steady-state mix of messages, presence updates, member updates, voice and
// typing.
#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace cachebench {

struct StreamShape {
  std::uint32_t small_guilds = 1000;
  std::uint32_t members_per_small_guild = 100;
  std::uint32_t large_guilds = 10;
  std::uint32_t members_per_large_guild = 100000;
  std::uint32_t chunk_size = 1000;          // members per GUILD_MEMBERS_CHUNK
  std::uint32_t channels_per_guild = 10;
  std::uint32_t roles_per_guild = 10;
  std::uint32_t steady_events = 100000;
  std::uint64_t seed = 42;
};

struct Generated {
  std::vector<std::string> flood;   // READY, GUILD_CREATEs, member chunks
  std::vector<std::string> steady;  // the steady-state mix
  std::uint64_t flood_entities = 0; // guilds + channels + roles + members + users + presences
  std::uint64_t members = 0;
  std::uint64_t bot_id = 0;
  // Ids to read back: (guild, user) of members, channel and role ids.
  std::vector<std::pair<std::uint64_t, std::uint64_t>> member_keys;
  std::vector<std::uint64_t> channel_ids, role_ids, user_ids;
  std::uint64_t largest_guild = 0;
};

Generated generate(const StreamShape& shape);

}  // namespace cachebench
