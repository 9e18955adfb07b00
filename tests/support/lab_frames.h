// The small world the gateway suites play in (gateway_events,
// exact_state): READY, the guild "Snowcache Lab" as its GUILD_CREATE brings
// it, a second guild, and message builders. The ids are those of
// tests/fixtures (see its README.md).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "gateway_support.h"

namespace snowcache::testing {

// --- frames ------------------------------------------------------------------
inline const std::string kReady =
    R"({"v":10,"user":{"id":"815916279914430464","username":"snowbot","discriminator":"0","global_name":null,)"
    R"("avatar":null,"bot":true,"mfa_enabled":false,"verified":true,"flags":0},)"
    R"("guilds":[{"id":"854291645464707072","unavailable":true}],"session_id":"9f2c4e7a1b3d5f60",)"
    R"("resume_gateway_url":"wss://gateway-us-east1-b.discord.gg","shard":[0,1],)"
    R"("application":{"id":"815916279914430464","flags":565248}})";

// The guild as it arrives: 3 channels, 1 thread, 2 roles, 1 emoji (by
// carol, not a member), 1 sticker (by alice), 3 members, 2 presences, bob
// in the Lounge.
inline const std::string kLabCreate =
    R"({"id":"854291645464707072","name":"Snowcache Lab","icon":null,"owner_id":"576321040205086720",)"
    R"("afk_timeout":300,"verification_level":1,"features":[],"preferred_locale":"en-US",)"
    R"("joined_at":"2021-06-15T09:31:00.000000+00:00","large":false,"member_count":3,"unavailable":false,)"
    R"("channels":[)"
    R"({"id":"854291649659011072","type":4,"name":"Text Channels","position":0,"parent_id":null},)"
    R"({"id":"854291653853315072","type":0,"name":"general","position":0,"parent_id":"854291649659011072","topic":null},)"
    R"({"id":"854291662241923072","type":2,"name":"Lounge","position":1,"parent_id":"854291649659011072","bitrate":64000}],)"
    R"("threads":[{"id":"1066009205145731072","guild_id":"854291645464707072","parent_id":"854291653853315072",)"
    R"("owner_id":"576321040205086720","name":"release planning","type":11,)"
    R"("thread_metadata":{"archived":false,"auto_archive_duration":1440,"locked":false}}],)"
    R"("roles":[{"id":"854291645464707072","name":"@everyone","position":0,"permissions":"104324673"},)"
    R"({"id":"854291687407747072","name":"moderators","position":1,"color":15158332,"hoist":true,"permissions":"1071698660929"}],)"
    R"("emojis":[{"id":"860127599001731072","name":"snowflake","roles":[],"require_colons":true,)"
    R"("user":{"id":"666960460460982272","username":"carol","discriminator":"0"}}],)"
    R"("stickers":[{"id":"871361622835331072","name":"wave","tags":"wave","type":2,"format_type":1,)"
    R"("guild_id":"854291645464707072","available":true,"user":{"id":"576321040205086720","username":"alice"}}],)"
    R"("members":[)"
    R"({"user":{"id":"815916279914430464","username":"snowbot","bot":true},"roles":[],"joined_at":"2021-06-15T09:31:00.000000+00:00","deaf":false,"mute":false,"flags":0},)"
    R"({"user":{"id":"576321040205086720","username":"alice","global_name":"Alice"},"roles":["854291687407747072"],"joined_at":"2021-06-15T09:30:01.000000+00:00","deaf":false,"mute":false,"flags":0},)"
    R"({"user":{"id":"614182047216435200","username":"bob"},"nick":"bobby","roles":[],"joined_at":"2022-01-01T00:00:00.000000+00:00","deaf":false,"mute":false,"flags":0}],)"
    R"("presences":[{"user":{"id":"576321040205086720"},"status":"online","activities":[],"client_status":{"desktop":"online"}},)"
    R"({"user":{"id":"614182047216435200"},"status":"idle","activities":[],"client_status":{"mobile":"idle"}}],)"
    R"("voice_states":[{"channel_id":"854291662241923072","user_id":"614182047216435200","session_id":"c0ffee0001",)"
    R"("deaf":false,"mute":false,"self_deaf":false,"self_mute":true,"self_video":false,"suppress":false}]})";

// A second guild with alice and the bot.
inline const std::string kRocketsCreate =
    R"({"id":"882999608979095552","name":"Rust & Rockets","owner_id":"576321040205086720",)"
    R"("joined_at":"2021-09-02T14:46:00.000000+00:00","large":false,"member_count":2,)"
    R"("channels":[{"id":"882999612670083072","type":0,"name":"launchpad","position":0}],"threads":[],)"
    R"("roles":[{"id":"882999608979095552","name":"@everyone","position":0,"permissions":"104324673"}],)"
    R"("emojis":[],"stickers":[],"voice_states":[],)"
    R"("members":[{"user":{"id":"815916279914430464","username":"snowbot","bot":true},"roles":[],"joined_at":"2021-09-02T14:46:00.000000+00:00"},)"
    R"({"user":{"id":"576321040205086720","username":"alice"},"roles":[],"joined_at":"2021-09-02T14:50:00.000000+00:00"}],)"
    R"("presences":[{"user":{"id":"576321040205086720"},"status":"online"}]})";

// A message in #general by `author` (a member), mentioning `mention` if set.
inline std::string guild_message(std::uint64_t id, std::uint64_t channel, std::uint64_t author, const std::string& content,
                          std::optional<std::uint64_t> mention = std::nullopt) {
  std::string m = R"({"id":")" + std::to_string(id) + R"(","channel_id":")" + std::to_string(channel) +
                  R"(","guild_id":"854291645464707072","author":{"id":")" + std::to_string(author) +
                  R"(","username":"u)" + std::to_string(author % 1000) + R"("},"member":{"roles":[],"joined_at":)"
                  R"("2021-06-15T09:31:00.000000+00:00","deaf":false,"mute":false},"content":")" + content +
                  R"(","timestamp":"2024-03-01T10:00:00.000000+00:00","edited_timestamp":null,"tts":false,)"
                  R"("mention_everyone":false,"mention_roles":[],"attachments":[],"embeds":[],"pinned":false,"type":0,)"
                  R"("mentions":[)";
  if (mention) m += R"({"id":")" + std::to_string(*mention) + R"(","username":"mentioned"})";
  return m + "]}";
}

// A DM (no guild_id) from `author` in `channel`.
inline std::string dm_message(std::uint64_t id, std::uint64_t channel, std::uint64_t author) {
  return R"({"id":")" + std::to_string(id) + R"(","channel_id":")" + std::to_string(channel) +
         R"(","author":{"id":")" + std::to_string(author) +
         R"(","username":"someone"},"content":"hi","timestamp":"2024-03-01T10:00:00.000000+00:00",)"
         R"("tts":false,"mention_everyone":false,"mentions":[],"mention_roles":[],"attachments":[],"embeds":[],)"
         R"("pinned":false,"type":0})";
}

// A rig after READY and the Lab's GUILD_CREATE.
inline Rig lab(Settings settings = {}) {
  Rig rig(settings);
  rig.apply("READY", kReady);
  rig.apply("GUILD_CREATE", kLabCreate);
  return rig;
}


}  // namespace snowcache::testing
