// The independent model: what the cache must hold after a stream, computed
// with plain std::maps from the rules (semantics.md R1-R6 and the
// refinements E1-E5 of docs/SEMANTICS.md), never from the library's code.
//
// Every store keeps the data as it was written; whatever shows a user or a
// member (a member's user, a message's author, mentions and member, a voice
// state's member, an emoji's creator...) is joined with the current record at
// comparison time (E1, E2, E5). Reference counts are not counted but
// recomputed: at the end of every event, a user is kept when something holds
// it, a member record when it is listed or something holds it (R3).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>

#include "entities.h"
#include "events.h"
#include "snowcache/settings.h"

namespace model {

using snowcache::Components;
using GU = std::pair<Id, Id>;  // (guild, user)

struct GuildRec {
  Guild data;
  bool available = true;
};

// A member record: listed (visible to get_member and views) or hidden (kept
// only because a voice state or a cached message holds it). E2.
struct MemberRec {
  Member data;
  bool listed = false;
  std::uint64_t written = 0;  // event number of the last write (R5 sweep)
};

struct PresenceRec {
  Presence data;
  std::uint64_t written = 0;
};

struct VoiceRec {
  VoiceState data;
  bool holds_member = false;
};

struct MessageRec {
  Message data;
  bool holds_member = false;  // a guild message whose payload had `member`
};

struct DmRec {
  Id channel = 0;
  std::uint64_t order = 0;  // insertion order, for eviction
};

struct SessionRec {
  std::uint32_t shard = 0, shard_count = 1;
  std::string session_id, resume_gateway_url;
  std::optional<std::int64_t> sequence;
  Id user_id = 0;
};

// How often the rules that are easy to miss fired: evidence that a stream
// reaches them (printed by the long form with --stats).
struct ModelStats {
  std::size_t sweeps = 0, members_swept = 0, presences_swept = 0;
  std::size_t guilds_dropped_by_ready = 0, guilds_left = 0;
  std::size_t users_collected = 0, members_collected = 0, dm_ids_collected = 0;
  std::size_t hidden_members_seen = 0;  // hidden records at the end of events, summed
  std::size_t messages_evicted = 0, dm_ids_evicted = 0;
  std::size_t replies_to_deleted = 0, replies_embedded = 0;
  std::size_t member_refreshes = 0, partial_user_writes = 0;
};

// What the product must answer for a frame.
enum class Expect { kApplied, kDuplicate, kControl };

class Model {
 public:
  explicit Model(snowcache::Settings settings) : settings_(settings) {}

  Expect apply(const Event& e);

  const snowcache::Settings& settings() const { return settings_; }
  bool on(Components c) const { return snowcache::has_all(settings_.components, c); }
  // Guild ids that have anything cached (READY reconciliation, R6).
  std::set<Id> guilds_with_data() const;

  // --- the expected cache content --------------------------------------------
  Id bot_id = 0;
  std::optional<OwnUser> me;
  std::map<Id, User> users;
  std::map<Id, GuildRec> guilds;
  std::map<Id, Channel> channels;
  std::map<Id, Thread> threads;
  std::map<Id, Role> roles;
  std::map<Id, Emoji> emojis;
  std::map<Id, Sticker> stickers;
  std::map<std::string, Invite> invites;
  std::map<GU, MemberRec> members;
  std::map<GU, PresenceRec> presences;
  std::map<GU, VoiceRec> voice_states;
  std::map<Id, MessageRec> messages;
  std::map<Id, DmRec> dm_channel_ids;
  std::map<std::uint32_t, SessionRec> sessions;
  ModelStats stats;

 private:
  struct ChunkProgress {
    int count = 0;
    std::set<int> seen;
    std::size_t listed = 0;
    bool not_found = false;
  };

  bool is_duplicate(const Event& e) const;
  void dispatch(const Payload& p, std::uint32_t shard, std::optional<std::int64_t> seq);
  void finish_event();
  void collect_members();
  void collect_users();

  // model.cc: users and members (E1, E2)
  void write_user(const User& u);
  void write_partial(const PartialUser& u);
  void list_member(const Member& m);     // GUILD_CREATE, chunk, add, update
  void hold_member(const Member& m);     // a stored voice state or message
  void refresh_member(const Member& m);  // anything else: only when cached
  void drop_guild(Id g);                 // GUILD_DELETE (left) cascade

  // model.cc: sessions
  void on_ready(const Ready& r, std::uint32_t shard, std::optional<std::int64_t> seq);

  // model_guild.cc
  void on_guild_create(const GuildCreate& c);
  void guild_create_members(const GuildCreate& c);
  void guild_create_voice(const GuildCreate& c);
  void on_guild_update(const GuildUpdate& u);
  void replace_roles(Id g, const std::vector<Role>& roles);
  void replace_emojis(Id g, const std::vector<Emoji>& emojis);
  void replace_stickers(Id g, const std::vector<Sticker>& stickers);
  void on_channel_delete(const Channel& c);
  void on_thread_list_sync(const ThreadListSync& s);

  // model_members.cc
  void on_member_count(Id g, int delta);
  void on_member_remove(const MemberRemove& r);
  void on_chunk(const MembersChunk& c);
  void sweep(Id g, std::uint64_t since);
  void upsert_presence(const Presence& p);
  void on_voice_state(const VoiceState& v);

  // model_messages.cc
  void on_message_create(const Message& m);
  void on_message_update(const MessagePatch& p);
  void record_dm_channel(Id user, Id channel);

  friend struct Apply;

  snowcache::Settings settings_;
  std::uint64_t event_no_ = 0;   // applied dispatches
  std::uint64_t dm_order_ = 0;
  std::map<Id, User> touched_;  // user objects of the current event (E1)
  std::map<Id, std::uint64_t> last_guild_create_;
  std::map<std::pair<Id, std::string>, ChunkProgress> chunks_;
};

}  // namespace model
