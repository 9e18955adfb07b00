// The generator's structured events. Each is rendered once as the gateway
// frame the product ingests (events.cc) and applied as a struct to the model
// (model*.cc): the model never parses the JSON the product gets.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "entities.h"

namespace model {

struct Ready {
  OwnUser user;
  std::vector<Id> guilds;  // sent as unavailable guilds
  std::string session_id;
  std::string resume_gateway_url;
  std::uint32_t shard = 0, shard_count = 1;
};

// GUILD_CREATE of an available guild, with all its lists.
struct GuildCreate {
  Guild guild;
  std::vector<Channel> channels;
  std::vector<Thread> threads;
  std::vector<Role> roles;
  std::vector<Emoji> emojis;
  std::vector<Sticker> stickers;
  std::vector<Member> members;
  std::vector<Presence> presences;
  std::vector<VoiceState> voice_states;  // without `member`: taken from `members`
};
struct GuildCreateUnavailable { Id guild_id = 0; };  // an outage placeholder
struct GuildUpdate {
  Guild guild;  // member_count, large, joined_at absent
  std::vector<Role> roles;
  std::vector<Emoji> emojis;
  std::vector<Sticker> stickers;
};
struct GuildDelete { Id guild_id = 0; bool unavailable = false; };

struct ChannelCreate { Channel channel; };
struct ChannelUpdate { Channel channel; };
struct ChannelDelete { Channel channel; };

struct ThreadCreate { Thread thread; bool newly_created = false; };
struct ThreadUpdate { Thread thread; };
struct ThreadDelete { Id id = 0, guild_id = 0, parent_id = 0; int type = 11; };
struct ThreadListSync {
  Id guild_id = 0;
  std::optional<std::vector<Id>> channel_ids;  // absent: the whole guild
  std::vector<Thread> threads;
};
struct ThreadMembersUpdate {
  Id thread_id = 0, guild_id = 0;
  int member_count = 0;
  std::vector<Member> added;  // each with its `member` object
  std::vector<Id> removed;
};

struct MemberAdd { Member member; };
struct MemberUpdate { Member member; };
struct MemberRemove { Id guild_id = 0; User user; };
struct MembersChunk {
  Id guild_id = 0;
  std::vector<Member> members;
  std::vector<Presence> presences;
  int chunk_index = 0, chunk_count = 1;
  std::vector<Id> not_found;
  std::string nonce;
};

struct RoleCreate { Role role; };
struct RoleUpdate { Role role; };
struct RoleDelete { Id guild_id = 0, role_id = 0; };
struct EmojisUpdate { Id guild_id = 0; std::vector<Emoji> emojis; };
struct StickersUpdate { Id guild_id = 0; std::vector<Sticker> stickers; };
struct InviteCreate { Invite invite; };
struct InviteDelete { std::string code; Id guild_id = 0, channel_id = 0; };

struct MessageCreate { Message message; };
struct MessageUpdate { MessagePatch patch; };
struct MessageDelete { Id id = 0, channel_id = 0; OptId guild_id; };
struct MessageDeleteBulk { std::vector<Id> ids; Id channel_id = 0; OptId guild_id; };

struct PresenceUpdate { Presence presence; };
struct TypingStart { Id channel_id = 0; OptId guild_id; Id user_id = 0; std::optional<Member> member; };
struct ReactionAdd {
  Id user_id = 0, message_id = 0, channel_id = 0;
  OptId guild_id;
  std::optional<Member> member;
  std::string emoji;
};
struct InteractionCreate {
  Id id = 0, channel_id = 0;
  OptId guild_id;
  std::optional<Member> member;  // in guilds
  std::optional<User> user;      // outside guilds
};
struct VoiceStateUpdate { VoiceState state; };
struct UserUpdate { OwnUser user; };
struct BanAdd { Id guild_id = 0; User user; };
struct Resumed {};
struct Unknown { std::string name; };  // a dispatch type the cache does not know

using Payload = std::variant<Ready, GuildCreate, GuildCreateUnavailable, GuildUpdate, GuildDelete, ChannelCreate,
                             ChannelUpdate, ChannelDelete, ThreadCreate, ThreadUpdate, ThreadDelete, ThreadListSync,
                             ThreadMembersUpdate, MemberAdd, MemberUpdate, MemberRemove, MembersChunk, RoleCreate,
                             RoleUpdate, RoleDelete, EmojisUpdate, StickersUpdate, InviteCreate, InviteDelete,
                             MessageCreate, MessageUpdate, MessageDelete, MessageDeleteBulk, PresenceUpdate,
                             TypingStart, ReactionAdd, InteractionCreate, VoiceStateUpdate, UserUpdate, BanAdd,
                             Resumed, Unknown>;

// One frame of the stream.
struct Event {
  std::uint32_t shard = 0;
  int op = 0;                        // 0 dispatch; 1, 7, 9, 10, 11 control frames (no payload)
  std::optional<std::int64_t> seq;   // `s`; nullopt is JSON null
  std::optional<Payload> payload;    // nullopt for control frames
  bool replay = false;               // an old frame sent again: must be a duplicate
  std::string frame;                 // the JSON text sent to the product
};

// The dispatch name of a payload ("GUILD_CREATE").
std::string dispatch_name(const Payload& p);
// The `d` object of a payload.
std::string payload_json(const Payload& p);
// The whole frame: {"op":0,"t":...,"s":...,"d":...}, or a control frame.
std::string render_frame(const Event& e);
// "GUILD_CREATE s=12 shard 0" (or "op 10", "replay of s=7").
std::string describe(const Event& e);

}  // namespace model
