// The seeded generator of long, mixed, plausible gateway streams: READY and
// guild floods, guild life (channels, threads, roles, emojis, stickers,
// invites), members coming, changing and going (with silent changes that
// only later objects carry), chunk sequences, presences, voice, messages and
// DMs, outages, RESUME replays and new sessions that drop guilds.
//
// The same seed and configuration give the same events, byte for byte.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <string>
#include <vector>

#include "events.h"
#include "rng.h"
#include "world.h"

namespace model {

struct GenConfig {
  std::uint64_t seed = 1;
  std::size_t events = 2000;    // frames to generate (about)
  std::uint32_t shards = 1;     // 1: shard [0,1]; 2: two sessions, [0,2] and [1,2]
};

class Generator {
 public:
  explicit Generator(const GenConfig& config);
  std::vector<Event> generate();

 private:
  struct Shard {
    std::string session_id;
    std::int64_t seq = 0;
    std::vector<std::size_t> session_frames;  // indices into out_ of this session's dispatches
    int sessions = 0;
  };
  struct PendingChunk {
    Id guild = 0;
    std::vector<Id> users;  // asked for at request time; sent as members then
    bool presences = false;
    MembersChunk chunk;     // everything but members and presences
  };

  // generator.cc: the frame log and the main loop
  void emit(std::uint32_t shard, Payload p, bool null_seq = false);
  void emit_guild(Id guild, Payload p) { emit(shard_of(guild), std::move(p)); }
  void control(std::uint32_t shard, int op);
  std::uint32_t shard_of(Id guild) const { return static_cast<std::uint32_t>((guild >> 22) % cfg_.shards); }
  void step();
  void guild_step(WGuild& g);
  void silent_user_change();
  WGuild* pick_guild();

  // gen_session.cc
  void ready(std::uint32_t shard, bool drop_some);
  void return_guild(WGuild& g);
  GuildCreate guild_create(WGuild& g);
  void outage(WGuild& g);
  void silent_changes(WGuild& g);
  void silent_channel_delete(WGuild& g);
  void leave(WGuild& g);
  void join_new_guild();
  void resume_replay(std::uint32_t shard);
  void user_update();
  void misc_frame();

  // gen_guild.cc
  void channel_event(WGuild& g);
  void delete_channel(WGuild& g, Id channel);
  void thread_event(WGuild& g);
  void thread_members(WGuild& g);
  void role_event(WGuild& g);
  void emojis_or_stickers(WGuild& g);
  void invite_event(WGuild& g);
  void guild_update(WGuild& g);

  // gen_members.cc
  void member_add(WGuild& g);
  void member_update(WGuild& g, bool silent);
  void member_remove(WGuild& g);
  void ban_stranger(WGuild& g);
  void request_chunks(WGuild& g);
  void send_chunk();
  void presence_update(WGuild& g);
  void voice_event(WGuild& g);
  void member_touch(WGuild& g);  // typing, reaction, interaction

  // gen_messages.cc
  void message_create(WGuild& g);
  void dm_create();
  void message_update(std::optional<Id> guild);
  void message_delete(std::optional<Id> guild);
  std::vector<User> mentions(const WGuild& g);
  void reply_to(Message& m, Id channel);

  GenConfig cfg_;
  Rng rng_;
  World w_;
  std::vector<Event> out_;
  std::map<std::uint32_t, Shard> shards_;
  std::deque<PendingChunk> chunks_;
  int nonce_ = 0;
};

}  // namespace model
