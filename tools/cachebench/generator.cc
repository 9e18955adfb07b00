#include "generator.h"

#include <fmt/format.h>

namespace cachebench {

namespace {

constexpr std::uint64_t kEpoch = 1420070400000ULL;

// Snowflakes that grow with a virtual clock, so ids are realistic and unique.
struct Ids {
  std::uint64_t ms = 1700000000000ULL - kEpoch;
  std::uint64_t inc = 0;
  std::uint64_t next() {
    ++inc;
    if ((inc & 0xfff) == 0) ++ms;
    return (ms << 22) | (inc & 0xfff);
  }
};

const char* kStatuses[] = {"online", "idle", "dnd"};

std::string user_json(std::uint64_t id, std::mt19937_64& rng) {
  return fmt::format(R"({{"id":"{}","username":"user{}","discriminator":"0","global_name":"User {}","avatar":"{:016x}{:016x}","bot":false,"public_flags":{}}})",
                     id, id % 1000000, id % 1000000, rng(), rng(), rng() % 4);
}

std::string member_json(std::uint64_t user, const std::vector<std::uint64_t>& roles, std::mt19937_64& rng,
                        bool with_guild = false, std::uint64_t guild = 0) {
  std::string rs;
  std::size_t n = roles.empty() ? 0 : rng() % 3;
  for (std::size_t i = 0; i < n; ++i) {
    if (i) rs += ",";
    rs += fmt::format("\"{}\"", roles[rng() % roles.size()]);
  }
  std::string g = with_guild ? fmt::format(R"("guild_id":"{}",)", guild) : "";
  return fmt::format(R"({{{}"user":{},"nick":{},"roles":[{}],"joined_at":"2023-05-01T12:00:00.000000+00:00","premium_since":null,"deaf":false,"mute":false,"pending":false,"flags":0}})",
                     g, user_json(user, rng), rng() % 4 == 0 ? fmt::format("\"nick{}\"", user % 1000) : "null", rs);
}

std::string presence_json(std::uint64_t user, std::mt19937_64& rng, bool with_guild = false, std::uint64_t guild = 0) {
  std::string g = with_guild ? fmt::format(R"("guild_id":"{}",)", guild) : "";
  const char* st = kStatuses[rng() % 3];
  return fmt::format(R"({{{}"user":{{"id":"{}"}},"status":"{}","activities":[{{"name":"Game {}","type":0,"created_at":1700000000000}}],"client_status":{{"desktop":"{}"}}}})",
                     g, user, st, rng() % 50, st);
}

}  // namespace

Generated generate(const StreamShape& shape) {
  std::mt19937_64 rng(shape.seed);
  Ids ids;
  Generated out;
  out.bot_id = ids.next();
  std::uint64_t seq = 0;
  auto frame = [&](std::string_view t, const std::string& d) {
    return fmt::format(R"({{"op":0,"t":"{}","s":{},"d":{}}})", t, ++seq, d);
  };
  struct GuildInfo {
    std::uint64_t id;
    std::vector<std::uint64_t> channels, roles, members;
  };
  std::vector<GuildInfo> guilds;
  std::uint32_t total = shape.small_guilds + shape.large_guilds;
  for (std::uint32_t i = 0; i < total; ++i) guilds.push_back({ids.next(), {}, {}, {}});
  {
    std::string gl;
    for (std::size_t i = 0; i < guilds.size(); ++i) {
      if (i) gl += ",";
      gl += fmt::format(R"({{"id":"{}","unavailable":true}})", guilds[i].id);
    }
    out.flood.push_back(frame("READY", fmt::format(
        R"({{"v":10,"user":{{"id":"{}","username":"benchbot","discriminator":"0","bot":true,"mfa_enabled":false,"flags":0}},"guilds":[{}],"session_id":"bench{}","resume_gateway_url":"wss://gateway.discord.gg/","shard":[0,1]}})",
        out.bot_id, gl, shape.seed)));
  }
  for (std::uint32_t gi = 0; gi < total; ++gi) {
    GuildInfo& g = guilds[gi];
    bool large = gi >= shape.small_guilds;
    std::uint32_t members = large ? shape.members_per_large_guild : shape.members_per_small_guild;
    std::string roles = fmt::format(R"({{"id":"{}","name":"@everyone","color":0,"hoist":false,"position":0,"permissions":"1071698660929","managed":false,"mentionable":false,"flags":0}})", g.id);
    for (std::uint32_t r = 0; r < shape.roles_per_guild; ++r) {
      std::uint64_t id = ids.next();
      g.roles.push_back(id);
      roles += fmt::format(R"(,{{"id":"{}","name":"role {}","color":{},"hoist":{},"position":{},"permissions":"{}","managed":false,"mentionable":true,"flags":0}})",
                           id, r, rng() % 0xffffff, rng() % 2 ? "true" : "false", r + 1, rng() % (1ULL << 40));
    }
    std::string channels;
    std::uint64_t category = ids.next();
    g.channels.push_back(category);
    channels += fmt::format(R"({{"id":"{}","type":4,"name":"General","position":0,"permission_overwrites":[],"nsfw":false}})", category);
    for (std::uint32_t c = 1; c < shape.channels_per_guild; ++c) {
      std::uint64_t id = ids.next();
      g.channels.push_back(id);
      bool voice = c % 5 == 0;
      channels += fmt::format(
          R"(,{{"id":"{}","type":{},"name":"channel-{}","position":{},"parent_id":"{}","permission_overwrites":[{{"id":"{}","type":0,"allow":"1024","deny":"0"}}],"nsfw":false,"topic":"topic {}","rate_limit_per_user":0{}}})",
          id, voice ? 2 : 0, c, c, category, g.id, c, voice ? R"(,"bitrate":64000,"user_limit":0)" : "");
    }
    for (std::uint32_t m = 0; m < members; ++m) g.members.push_back(ids.next());
    out.members += members;
    // The guild, its channels, its roles and @everyone, and a member, a user
    // and a presence per member.
    out.flood_entities += 1 + g.channels.size() + g.roles.size() + 1 + 3ULL * members;
    // A large guild's GUILD_CREATE lists only a few members; the rest come as chunks.
    std::uint32_t listed = large ? std::min<std::uint32_t>(members, 100) : members;
    std::string ms, ps;
    for (std::uint32_t m = 0; m < listed; ++m) {
      if (m) ms += ",", ps += ",";
      ms += member_json(g.members[m], g.roles, rng);
      ps += presence_json(g.members[m], rng);
    }
    out.flood.push_back(frame("GUILD_CREATE", fmt::format(
        R"({{"id":"{}","name":"Guild {}","icon":null,"owner_id":"{}","afk_timeout":300,"verification_level":1,"default_message_notifications":1,"explicit_content_filter":0,"features":["COMMUNITY"],"mfa_level":0,"system_channel_flags":0,"premium_tier":0,"preferred_locale":"en-US","nsfw_level":0,"premium_progress_bar_enabled":false,"joined_at":"2023-01-01T00:00:00.000000+00:00","large":{},"unavailable":false,"member_count":{},"roles":[{}],"emojis":[],"stickers":[],"channels":[{}],"threads":[],"members":[{}],"presences":[{}],"voice_states":[]}})",
        g.id, gi, g.members[0], large ? "true" : "false", members, roles, channels, ms, ps)));
    if (large) {
      // The bot's member request (query "", limit 0) answers with every
      // member, those of the GUILD_CREATE included, so the sequence is a full
      // member list (semantics.md R5) and its last chunk sweeps.
      std::uint32_t chunks = (members + shape.chunk_size - 1) / shape.chunk_size;
      for (std::uint32_t c = 0; c < chunks; ++c) {
        std::string cm, cp;
        for (std::uint32_t m = c * shape.chunk_size; m < std::min(members, (c + 1) * shape.chunk_size); ++m) {
          if (!cm.empty()) cm += ",", cp += ",";
          cm += member_json(g.members[m], g.roles, rng);
          cp += presence_json(g.members[m], rng);
        }
        out.flood.push_back(frame("GUILD_MEMBERS_CHUNK", fmt::format(
            R"({{"guild_id":"{}","members":[{}],"chunk_index":{},"chunk_count":{},"presences":[{}],"nonce":"bench"}})", g.id, cm, c,
            chunks, cp)));
      }
    }
    for (auto u : g.members) out.member_keys.emplace_back(g.id, u);
    for (auto c : g.channels) out.channel_ids.push_back(c);
    for (auto r : g.roles) out.role_ids.push_back(r);
    if (large && out.largest_guild == 0) out.largest_guild = g.id;
  }
  if (out.largest_guild == 0 && !guilds.empty()) out.largest_guild = guilds[0].id;
  for (const auto& [g, u] : out.member_keys) out.user_ids.push_back(u);

  // Steady state: 40% messages, 30% presence updates, 10% member updates,
  // 10% voice, 10% typing.
  for (std::uint32_t i = 0; i < shape.steady_events && !guilds.empty(); ++i) {
    const GuildInfo& g = guilds[rng() % guilds.size()];
    std::uint64_t user = g.members[rng() % g.members.size()];
    std::uint64_t channel = g.channels[1 + rng() % (g.channels.size() - 1)];
    unsigned kind = static_cast<unsigned>(rng() % 10);
    if (kind < 4) {
      out.steady.push_back(frame("MESSAGE_CREATE", fmt::format(
          R"({{"id":"{}","channel_id":"{}","guild_id":"{}","author":{},"member":{{"roles":[],"joined_at":"2023-05-01T12:00:00.000000+00:00","deaf":false,"mute":false,"flags":0}},"content":"message {} with some words in it","timestamp":"2023-11-14T22:13:20.000000+00:00","edited_timestamp":null,"tts":false,"mention_everyone":false,"mentions":[],"mention_roles":[],"attachments":[],"embeds":[],"pinned":false,"type":0}})",
          ids.next(), channel, g.id, user_json(user, rng), i)));
    } else if (kind < 7) {
      out.steady.push_back(frame("PRESENCE_UPDATE", presence_json(user, rng, true, g.id)));
    } else if (kind < 8) {
      out.steady.push_back(frame("GUILD_MEMBER_UPDATE", member_json(user, g.roles, rng, true, g.id)));
    } else if (kind < 9) {
      bool leave = rng() % 3 == 0;
      out.steady.push_back(frame("VOICE_STATE_UPDATE", fmt::format(
          R"({{"guild_id":"{}","channel_id":{},"user_id":"{}","member":{},"session_id":"s{}","deaf":false,"mute":false,"self_deaf":false,"self_mute":{},"self_video":false,"suppress":false,"request_to_speak_timestamp":null}})",
          g.id, leave ? "null" : fmt::format("\"{}\"", channel), user, member_json(user, g.roles, rng), i,
          rng() % 2 ? "true" : "false")));
    } else {
      out.steady.push_back(frame("TYPING_START", fmt::format(R"({{"channel_id":"{}","guild_id":"{}","user_id":"{}","timestamp":1700000000}})",
                                                             channel, g.id, user)));
    }
  }
  return out;
}

}  // namespace cachebench
