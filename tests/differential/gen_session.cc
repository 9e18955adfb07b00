// Sessions and guild availability: READY (new sessions dropping guilds),
// GUILD_CREATE floods, outages, leaving and joining, RESUME replays.
#include <fmt/format.h>

#include "generator.h"

namespace model {

void Generator::ready(std::uint32_t shard, bool drop_some) {
  Shard& sh = shards_[shard];
  if (sh.sessions > 0) control(shard, rng_.chance(50) ? 9 : 7);
  std::erase_if(chunks_, [&](const PendingChunk& c) { return shard_of(c.guild) == shard; });
  Ready r;
  r.user = w_.bot;
  r.session_id = fmt::format("{:016x}", rng_.next());
  r.resume_gateway_url = fmt::format("wss://gateway-{}.discord.gg", w_.word());
  r.shard = shard;
  r.shard_count = cfg_.shards;
  std::vector<Id> dropped;
  for (auto& [id, g] : w_.guilds) {
    if (shard_of(id) != shard) continue;
    if (drop_some && rng_.chance(30)) {
      dropped.push_back(id);  // the bot was removed while disconnected
      continue;
    }
    r.guilds.push_back(id);
    g.available = false;  // until its GUILD_CREATE
  }
  for (Id id : dropped) {
    w_.guilds.erase(id);
    w_.forget_messages_where([&](const WMessage& m) { return m.msg.guild_id == id; });
  }
  sh.seq = 0;
  sh.session_frames.clear();
  ++sh.sessions;
  sh.session_id = r.session_id;
  emit(shard, std::move(r));
}

GuildCreate Generator::guild_create(WGuild& g) {
  std::erase_if(g.voice, [&](auto& kv) { return !g.members.count(kv.first); });  // left meanwhile
  GuildCreate c;
  c.guild = g.info;
  c.guild.member_count = static_cast<int>(g.members.size());
  for (auto& [_, ch] : g.channels) c.channels.push_back(ch);
  for (auto& [_, t] : g.threads) {
    if (!t.archived) c.threads.push_back(t);
  }
  c.roles = w_.roles_of(g);
  c.emojis = w_.emojis_now(g);
  c.stickers = w_.stickers_now(g);
  for (auto& [u, _] : g.members) {
    bool listed = !g.info.large || u == w_.bot.user.id || g.voice.count(u) || rng_.chance(10);
    if (listed) c.members.push_back(w_.current_member(g, u));
  }
  for (const Member& m : c.members) {
    if (g.presences.count(m.user.id)) c.presences.push_back(g.presences.at(m.user.id));
  }
  for (auto& [_, v] : g.voice) c.voice_states.push_back(v);
  return c;
}

void Generator::return_guild(WGuild& g) {
  if (rng_.chance(15)) emit_guild(g.info.id, GuildCreateUnavailable{g.info.id});
  if (rng_.chance(50)) silent_changes(g);
  g.available = true;
  emit_guild(g.info.id, guild_create(g));
  if (g.info.large && rng_.chance(70)) request_chunks(g);
}

void Generator::outage(WGuild& g) {
  emit_guild(g.info.id, GuildDelete{g.info.id, true});
  g.available = false;
  std::erase_if(chunks_, [&](const PendingChunk& c) { return c.guild == g.info.id; });
}

void Generator::leave(WGuild& g) {
  Id id = g.info.id;
  emit_guild(id, GuildDelete{id, false});
  std::erase_if(chunks_, [&](const PendingChunk& c) { return c.guild == id; });
  w_.forget_messages_where([&](const WMessage& m) { return m.msg.guild_id == id; });
  w_.guilds.erase(id);
}

void Generator::join_new_guild() {
  auto shard = static_cast<std::uint32_t>(rng_.below(cfg_.shards));
  WGuild& g = w_.new_guild(shard, cfg_.shards, rng_.chance(40));
  g.available = true;
  emit_guild(g.info.id, guild_create(g));
  if (g.info.large && rng_.chance(70)) request_chunks(g);
}

// Discord replays the dispatches after the bot's RESUME point: the last few
// frames of this session again, with their old `s`, then RESUMED.
void Generator::resume_replay(std::uint32_t shard) {
  Shard& sh = shards_[shard];
  if (sh.session_frames.size() < 3) return misc_frame();
  control(shard, 7);
  control(shard, 10);
  int most = static_cast<int>(std::min<std::size_t>(12, sh.session_frames.size() - 1));  // never the READY
  auto k = static_cast<std::ptrdiff_t>(rng_.range(1, most));
  std::vector<std::size_t> run(sh.session_frames.end() - k, sh.session_frames.end());
  for (std::size_t idx : run) {
    Event e = out_[idx];
    e.replay = true;
    out_.push_back(std::move(e));
  }
  emit(shard, Resumed{});
}

void Generator::user_update() {
  User& u = w_.bot.user;
  if (rng_.chance(50)) {
    u.avatar = w_.hash();
  } else {
    u.username = "snowbot-" + w_.word();
  }
  w_.users[u.id] = u;
  emit(0, UserUpdate{w_.bot});
}

void Generator::misc_frame() {
  auto shard = static_cast<std::uint32_t>(rng_.below(cfg_.shards));
  auto r = rng_.below(10);
  if (r < 4) {
    static const char* const kNames[] = {"GUILD_SOUNDBOARD_SOUNDS_UPDATE", "ENTITLEMENT_CREATE",
                                         "SNOWCACHE_MODEL_FUTURE_EVENT", "GUILD_SCHEDULED_EVENT_CREATE"};
    Unknown u{rng_.pick(kNames)};
    return emit(shard, u, rng_.chance(30));
  }
  control(shard, r < 7 ? 11 : 1);
}

// A text channel deleted while the bot does not watch: the next
// GUILD_CREATE no longer lists it (nor its threads); its invites and
// messages are never mentioned again.
void Generator::silent_channel_delete(WGuild& g) {
  auto texts = w_.channels_of(g, {0});
  if (texts.size() < 2) return;
  Id channel = rng_.pick(texts);
  g.channels.erase(channel);
  std::erase_if(g.threads, [&](auto& kv) { return kv.second.parent_id == channel; });
  std::erase_if(g.invites, [&](auto& kv) { return kv.second.channel_id == channel; });
  w_.forget_messages_where([&](const WMessage& m) { return m.msg.channel_id == channel; });
}

// What changes while the bot does not watch (an outage, a new session).
void Generator::silent_changes(WGuild& g) {
  for (int i = rng_.range(0, 3); i > 0 && g.members.size() > 2; --i) {
    Id u = rng_.pick(w_.member_ids(g, false));
    g.members.erase(u);
    g.presences.erase(u);
    g.voice.erase(u);
  }
  for (int i = rng_.range(0, 3); i > 0; --i) {
    Id u = w_.new_user().id;
    g.members[u] = w_.new_member(g.info.id, u);
  }
  for (int i = rng_.range(0, 3); i > 0; --i) member_update(g, true);
  for (int i = rng_.range(0, 2); i > 0; --i) silent_user_change();
  if (rng_.chance(40)) g.voice.clear();
  if (rng_.chance(40)) g.presences.clear();
  if (rng_.chance(30) && !g.channels.empty()) rng_.pick(g.channels).second.name = "renamed-" + w_.word();
  if (rng_.chance(20)) w_.new_channel(g, 0, std::nullopt);
  if (rng_.chance(15)) silent_channel_delete(g);
  if (rng_.chance(20)) w_.new_role(g);
  if (rng_.chance(20)) w_.new_emoji(g);
  if (rng_.chance(20) && !g.emojis.empty()) g.emojis.erase(g.emojis.begin());
  if (rng_.chance(20) && !g.stickers.empty()) g.stickers.erase(g.stickers.begin());
  if (rng_.chance(20) && !g.threads.empty()) rng_.pick(g.threads).second.archived = true;
}

}  // namespace model
