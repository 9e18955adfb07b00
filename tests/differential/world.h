// Discord's side of the generated stream: what exists right now (users,
// guilds and their contents, messages), so that every generated event is
// plausible. The world is not the model: it changes silently too (a member's
// nick changes with no event, a user renames), which is what makes the
// cache's records go stale until the next object carries the change.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "entities.h"
#include "rng.h"

namespace model {

struct WGuild {
  Guild info;              // member_count is computed when sent
  bool available = false;  // false until its GUILD_CREATE, and in an outage
  std::map<Id, Channel> channels;
  std::map<Id, Thread> threads;
  std::map<Id, Role> roles;
  std::map<Id, Emoji> emojis;      // creator data refreshed when sent
  std::map<Id, Sticker> stickers;  // creator data refreshed when sent
  std::map<Id, Member> members;    // user data refreshed when sent
  std::map<Id, Presence> presences;
  std::map<Id, VoiceState> voice;  // may hold a user who left the guild
  std::map<std::string, Invite> invites;
};

// A message as Discord has it now (content edited, pinned...).
struct WMessage {
  Message msg;
  User author_then;  // the author as when sent (what a reply embeds)
};

class World {
 public:
  explicit World(Rng& rng);

  // --- ids and time ------------------------------------------------------------
  Id new_id();                     // a snowflake of "now"; time moves on
  Id new_guild_id(std::uint32_t shard, std::uint32_t shard_count);
  std::string now_iso() const;     // ISO-8601 of "now"
  std::string word();              // a short random word
  std::string hash();              // 32 hex digits (an avatar or icon hash)
  std::string username();          // a word and a number

  // --- users ---------------------------------------------------------------------
  User& new_user();
  void change_user(User& u);       // username / global_name / avatar
  User& user(Id id) { return users.at(id); }

  // --- builders ------------------------------------------------------------------
  Member current_member(const WGuild& g, Id user) const;  // with the user's data now
  Member new_member(Id guild, Id user);
  WGuild& new_guild(std::uint32_t shard, std::uint32_t shard_count, bool large);
  Channel new_channel(WGuild& g, int type, OptId parent);
  Thread new_thread(WGuild& g, Id parent, Id owner);
  Role new_role(WGuild& g);
  Emoji new_emoji(WGuild& g);
  Sticker new_sticker(WGuild& g);
  // One of the guild's members, 70% of the time (an emoji's or sticker's creator).
  std::optional<User> maybe_creator(const WGuild& g);
  Presence new_presence(Id guild, Id user);

  // --- snapshots as sent ---------------------------------------------------------
  std::vector<Emoji> emojis_now(const WGuild& g) const;
  std::vector<Sticker> stickers_now(const WGuild& g) const;
  std::vector<Role> roles_of(const WGuild& g) const;

  // --- choices -------------------------------------------------------------------
  std::vector<Id> available_guilds() const;
  std::vector<Id> channels_of(const WGuild& g, std::initializer_list<int> types) const;
  std::vector<Id> message_channels(const WGuild& g) const;  // text, news, open threads
  std::vector<Id> member_ids(const WGuild& g, bool with_bot) const;

  // --- messages ------------------------------------------------------------------
  void add_message(const Message& m);
  void forget_messages_where(const std::function<bool(const WMessage&)>& pred);
  std::optional<Id> recent_message(std::optional<Id> guild);  // not deleted

  Rng& rng;
  std::int64_t clock_ms = 189388800000;  // 2021-01-01, in Discord epoch ms
  std::uint32_t id_counter = 0;
  OwnUser bot;
  std::map<Id, User> users;
  std::map<Id, WGuild> guilds;       // guilds the bot is in
  std::map<Id, Id> dm_channels;      // user -> DM channel
  std::map<Id, WMessage> messages;   // existing messages the stream may refer to
  std::deque<Id> message_order;      // the newest at the back
  std::map<Id, std::set<Id>> deleted_in_channel;  // deleted message ids, per channel
};

}  // namespace model
