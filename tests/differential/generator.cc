// The frame log and the main loop: which kind of thing happens next.
#include "generator.h"

#include <fmt/format.h>

namespace model {

Generator::Generator(const GenConfig& config) : cfg_(config), rng_(config.seed), w_(rng_) {
  int guilds = rng_.range(3, 5);
  for (int i = 0; i < guilds; ++i) {
    auto shard = static_cast<std::uint32_t>(i % cfg_.shards);
    w_.new_guild(shard, cfg_.shards, rng_.chance(40));
  }
}

std::vector<Event> Generator::generate() {
  for (std::uint32_t s = 0; s < cfg_.shards; ++s) ready(s, false);
  while (out_.size() < cfg_.events) step();
  return std::move(out_);
}

void Generator::emit(std::uint32_t shard, Payload p, bool null_seq) {
  Shard& sh = shards_[shard];
  Event e;
  e.shard = shard;
  if (!null_seq) {
    e.seq = ++sh.seq;
    sh.session_frames.push_back(out_.size());
  }
  e.payload = std::move(p);
  e.frame = render_frame(e);
  out_.push_back(std::move(e));
}

void Generator::control(std::uint32_t shard, int op) {
  Event e;
  e.shard = shard;
  e.op = op;
  e.frame = render_frame(e);
  out_.push_back(std::move(e));
}

WGuild* Generator::pick_guild() {
  auto ids = w_.available_guilds();
  if (ids.empty()) return nullptr;
  return &w_.guilds.at(rng_.pick(ids));
}

void Generator::step() {
  std::vector<Id> waiting;
  for (auto& [id, g] : w_.guilds) {
    if (!g.available) waiting.push_back(id);
  }
  if (!waiting.empty() && rng_.chance(30)) return return_guild(w_.guilds.at(rng_.pick(waiting)));
  if (!chunks_.empty() && rng_.chance(35)) return send_chunk();
  auto r = rng_.below(1000);
  WGuild* g = pick_guild();
  if (!g && w_.guilds.size() > 2) return misc_frame();  // the GUILD_CREATEs are on their way
  if (!g) return join_new_guild();
  if (r < 700) return guild_step(*g);
  if (r < 770) return dm_create();
  if (r < 790) return message_update(std::nullopt);
  if (r < 805) return message_delete(std::nullopt);
  if (r < 835) return silent_user_change();
  if (r < 845) return user_update();
  if (r < 880) return misc_frame();
  if (r < 905) return resume_replay(static_cast<std::uint32_t>(rng_.below(cfg_.shards)));
  if (r < 908) return ready(static_cast<std::uint32_t>(rng_.below(cfg_.shards)), true);
  if (r < 928) return outage(*g);
  if (r < 935) return leave(*g);
  if (r < 948) return join_new_guild();
  return guild_step(*g);
}

// A user renames or changes avatar; only later user objects carry it.
void Generator::silent_user_change() {
  Id u = rng_.pick(w_.users).first;
  if (u != w_.bot.user.id) w_.change_user(w_.user(u));
}

void Generator::guild_step(WGuild& g) {
  auto r = rng_.below(100);
  if (r < 22) return message_create(g);
  if (r < 27) return message_update(g.info.id);
  if (r < 32) return message_delete(g.info.id);
  if (r < 37) return member_add(g);
  if (r < 42) return member_update(g, false);
  if (r < 45) return member_update(g, true);
  if (r < 48) return member_remove(g);
  if (r < 49) return ban_stranger(g);
  if (r < 58) return presence_update(g);
  if (r < 65) return voice_event(g);
  if (r < 70) return member_touch(g);
  if (r < 74) return channel_event(g);
  if (r < 78) return thread_event(g);
  if (r < 80) return thread_members(g);
  if (r < 83) return role_event(g);
  if (r < 86) return emojis_or_stickers(g);
  if (r < 89) return invite_event(g);
  if (r < 91) return guild_update(g);
  if (r < 93 || (g.info.large && r < 96)) return request_chunks(g);
  return message_create(g);
}

}  // namespace model
