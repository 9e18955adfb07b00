// The model test's own entity types: plain structs holding the fields the
// generator sends and the comparison checks. They are independent of the
// library's schemas on purpose (the model must not share code with what it
// checks); json.cc renders them as Discord JSON.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace model {

using Id = std::uint64_t;
using OptStr = std::optional<std::string>;
using OptId = std::optional<Id>;

struct User {
  Id id = 0;
  std::string username;
  OptStr global_name;
  OptStr avatar;
  bool bot = false;
  bool operator==(const User&) const = default;
};

// A PRESENCE_UPDATE user: the id and only the fields that changed. An outer
// nullopt is "absent"; an inner nullopt is JSON null.
struct PartialUser {
  Id id = 0;
  OptStr username;
  std::optional<OptStr> global_name;
  std::optional<OptStr> avatar;
};

// The bot's own user (READY `user`, USER_UPDATE).
struct OwnUser {
  User user;
  bool mfa_enabled = false;
  bool verified = true;
  std::string locale = "en-US";
};

struct Member {
  Id guild_id = 0;
  User user;  // what the payload carries; the cache shows the current record
  OptStr nick;
  OptStr avatar;
  std::vector<Id> roles;  // as sent (without the guild id)
  std::string joined_at;
  OptStr communication_disabled_until;
  bool deaf = false;
  bool mute = false;
};

struct Guild {
  Id id = 0;
  std::string name;
  OptStr icon;
  Id owner_id = 0;
  OptStr description;
  int verification_level = 0;
  int premium_tier = 0;
  // GUILD_CREATE only (absent from GUILD_UPDATE).
  std::optional<int> member_count;
  bool large = false;
  OptStr joined_at;
};

struct Channel {
  Id id = 0;
  Id guild_id = 0;
  int type = 0;  // 0 text, 2 voice, 4 category, 5 news, 13 stage
  std::string name;
  int position = 0;
  OptId parent_id;
  OptStr topic;
  bool nsfw = false;
  std::optional<int> bitrate;     // voice and stage
  std::optional<int> user_limit;  // voice and stage
  int rate_limit_per_user = 0;
};

struct Thread {
  Id id = 0;
  Id guild_id = 0;
  Id parent_id = 0;
  Id owner_id = 0;
  int type = 11;
  std::string name;
  bool archived = false;
  bool locked = false;
  int auto_archive_duration = 1440;
  std::string archive_timestamp;
  int message_count = 0;
  int member_count = 0;
};

struct Role {
  Id id = 0;
  Id guild_id = 0;
  std::string name;
  std::uint32_t color = 0;
  bool hoist = false;
  int position = 0;
  std::uint64_t permissions = 0;
  bool mentionable = false;
};

struct Emoji {
  Id id = 0;
  Id guild_id = 0;
  std::string name;
  std::vector<Id> roles;
  std::optional<User> user;  // creator
  bool animated = false;
  bool available = true;
};

struct Sticker {
  Id id = 0;
  Id guild_id = 0;
  std::string name;
  OptStr description;
  std::string tags;
  int format_type = 1;
  bool available = true;
  std::optional<User> user;  // creator
};

struct Invite {
  std::string code;
  Id guild_id = 0;
  Id channel_id = 0;
  std::optional<User> inviter;
  std::optional<User> target_user;
  int uses = 0;
  int max_uses = 0;
  int max_age = 0;
  bool temporary = false;
  std::string created_at;
};

struct Activity {
  std::string name;
  int type = 0;
  OptStr state;
  bool operator==(const Activity&) const = default;
};

struct Presence {
  Id guild_id = 0;
  PartialUser user;
  std::string status;  // online, idle, dnd, offline
  std::vector<Activity> activities;
  OptStr desktop, mobile, web;  // client_status
};

struct VoiceState {
  Id guild_id = 0;
  Id user_id = 0;
  OptId channel_id;  // nullopt: left voice
  std::string session_id;
  bool self_mute = false;
  bool self_deaf = false;
  bool mute = false;
  bool deaf = false;
  std::optional<Member> member;
};

struct MessageReference {
  Id message_id = 0;
  Id channel_id = 0;
  OptId guild_id;
};

// A reply's parent as Discord embeds it (kept as sent, never joined).
struct EmbeddedMessage {
  Id id = 0;
  Id channel_id = 0;
  User author;
  std::string content;
  std::string timestamp;
  OptStr edited_timestamp;
  bool pinned = false;
};

enum class Reply { kNone, kEmbedded, kDeleted };

struct Message {
  Id id = 0;
  Id channel_id = 0;
  OptId guild_id;
  User author;
  std::optional<Member> member;  // guild messages: the author's member (no `user`)
  std::string content;
  std::string timestamp;
  OptStr edited_timestamp;
  bool tts = false;
  bool mention_everyone = false;
  std::vector<User> mentions;
  std::vector<Id> mention_roles;
  bool pinned = false;
  int type = 0;  // 0 default, 19 reply
  std::uint64_t flags = 0;
  std::optional<MessageReference> reference;
  Reply reply = Reply::kNone;
  std::optional<EmbeddedMessage> parent;  // with Reply::kEmbedded
};

// MESSAGE_UPDATE: the fields present are the ones that change.
struct MessagePatch {
  Id id = 0;
  Id channel_id = 0;
  OptId guild_id;
  std::optional<User> author;
  std::optional<Member> member;
  std::optional<std::string> content;
  std::optional<OptStr> edited_timestamp;
  std::optional<bool> pinned;
  std::optional<std::vector<User>> mentions;
  std::optional<std::vector<Id>> mention_roles;
  std::optional<bool> mention_everyone;
  std::optional<std::uint64_t> flags;
};

}  // namespace model
