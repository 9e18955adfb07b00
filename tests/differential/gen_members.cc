// Members coming, changing (with and without an event) and going; member
// chunk requests; presences with partial users; voice; the events that only
// carry a member object (typing, reactions, interactions).
#include <fmt/format.h>

#include "generator.h"

namespace model {

void Generator::member_add(WGuild& g) {
  Id u = 0;
  if (rng_.chance(40)) {
    Id candidate = rng_.pick(w_.users).first;
    if (candidate != w_.bot.user.id && !g.members.count(candidate)) u = candidate;
  }
  if (!u) u = w_.new_user().id;
  g.members[u] = w_.new_member(g.info.id, u);
  if (rng_.chance(20)) g.members[u].roles.push_back(rng_.pick(g.roles).first);
  emit_guild(g.info.id, MemberAdd{w_.current_member(g, u)});
}

// A silent change is one no GUILD_MEMBER_UPDATE announces: the next member
// object Discord sends (a message's, a voice state's...) carries it.
void Generator::member_update(WGuild& g, bool silent) {
  Id u = rng_.chance(10) ? w_.bot.user.id : rng_.pick(g.members).first;
  Member& m = g.members.at(u);
  switch (rng_.below(5)) {
    case 0: m.nick = rng_.chance(75) ? OptStr("nick-" + w_.word()) : std::nullopt; break;
    case 1: m.roles.push_back(rng_.pick(g.roles).first); break;
    case 2: if (!m.roles.empty()) m.roles.erase(m.roles.begin()); break;
    case 3: m.avatar = rng_.chance(70) ? OptStr(w_.hash()) : std::nullopt; break;
    default: m.communication_disabled_until = rng_.chance(60) ? OptStr(w_.now_iso()) : std::nullopt;
  }
  std::sort(m.roles.begin(), m.roles.end());
  m.roles.erase(std::unique(m.roles.begin(), m.roles.end()), m.roles.end());
  std::erase(m.roles, g.info.id);
  if (rng_.chance(25) && u != w_.bot.user.id) w_.change_user(w_.user(u));
  if (!silent) emit_guild(g.info.id, MemberUpdate{w_.current_member(g, u)});
}

// A ban of someone who is not a member (E1: refreshes a cached user, creates
// none).
void Generator::ban_stranger(WGuild& g) {
  Id u = rng_.pick(w_.users).first;
  if (g.members.count(u)) return member_remove(g);
  emit_guild(g.info.id, BanAdd{g.info.id, w_.user(u)});
}

void Generator::member_remove(WGuild& g) {
  auto candidates = w_.member_ids(g, false);
  if (candidates.size() < 2) return member_add(g);
  Id u = rng_.pick(candidates);
  const Id gid = g.info.id;
  if (rng_.chance(25)) emit_guild(gid, BanAdd{gid, w_.user(u)});
  if (g.voice.count(u) && rng_.chance(50)) {
    VoiceState v = g.voice.at(u);
    v.channel_id.reset();
    v.member = w_.current_member(g, u);
    g.voice.erase(u);
    emit_guild(gid, VoiceStateUpdate{v});
  }
  g.members.erase(u);
  g.presences.erase(u);
  emit_guild(gid, MemberRemove{gid, w_.user(u)});
}

// A request's answer: the whole list in chunks (sometimes with not_found),
// or a query's few members. Chunks are sent over the following steps.
void Generator::request_chunks(WGuild& g) {
  std::vector<Id> users = w_.member_ids(g, true);
  auto kind = rng_.below(100);
  if (kind >= 75) users = rng_.sample(users, rng_.range(1, 3));
  std::size_t size = kind >= 75 ? users.size() : static_cast<std::size_t>(rng_.range(6, 15));
  int count = static_cast<int>((users.size() + size - 1) / size);
  std::string nonce = fmt::format("{}.model-{}", shard_of(g.info.id), ++nonce_);
  int not_found_at = kind >= 60 && kind < 75 ? rng_.range(0, count - 1) : -1;
  bool presences = rng_.chance(70);
  for (int i = 0; i < count; ++i) {
    PendingChunk p;
    p.guild = g.info.id;
    auto first = users.begin() + static_cast<std::ptrdiff_t>(static_cast<std::size_t>(i) * size);
    auto left = static_cast<std::size_t>(users.end() - first);
    p.users.assign(first, first + static_cast<std::ptrdiff_t>(std::min(size, left)));
    p.presences = presences;
    p.chunk = MembersChunk{g.info.id, {}, {}, i, count, {}, nonce};
    if (i == not_found_at) p.chunk.not_found.push_back(w_.new_id());
    chunks_.push_back(std::move(p));
  }
}

void Generator::send_chunk() {
  PendingChunk p = std::move(chunks_.front());
  chunks_.pop_front();
  auto it = w_.guilds.find(p.guild);
  if (it == w_.guilds.end() || !it->second.available) return;
  WGuild& g = it->second;
  for (Id u : p.users) {
    if (!g.members.count(u)) continue;
    p.chunk.members.push_back(w_.current_member(g, u));
    if (p.presences && g.presences.count(u)) p.chunk.presences.push_back(g.presences.at(u));
  }
  emit_guild(p.guild, p.chunk);
}

void Generator::presence_update(WGuild& g) {
  auto candidates = w_.member_ids(g, false);
  if (candidates.empty()) return member_add(g);
  Id u = rng_.pick(candidates);
  Presence p = w_.new_presence(g.info.id, u);
  if (rng_.chance(20)) {
    p.status = "offline";
    p.activities.clear();
    p.desktop = p.mobile = p.web = std::nullopt;
  }
  if (rng_.chance(30)) {
    User& user = w_.user(u);
    w_.change_user(user);
    if (rng_.chance(70)) p.user.username = user.username;
    if (rng_.chance(50)) p.user.global_name = user.global_name;
    if (rng_.chance(50)) p.user.avatar = user.avatar;
  }
  if (p.status == "offline") {
    g.presences.erase(u);
  } else {
    g.presences[u] = p;
  }
  emit_guild(g.info.id, PresenceUpdate{p});
}

void Generator::voice_event(WGuild& g) {
  auto voice_channels = w_.channels_of(g, {2, 13});
  if (voice_channels.empty()) return channel_event(g);
  Id u = rng_.pick(g.members).first;
  if (!g.voice.empty() && rng_.chance(45)) u = rng_.pick(g.voice).first;
  bool member = g.members.count(u) > 0;
  VoiceState v;
  if (g.voice.count(u)) {
    v = g.voice.at(u);
  } else {
    v.guild_id = g.info.id;
    v.user_id = u;
    v.session_id = fmt::format("{:016x}", rng_.next());
  }
  if (member) v.member = w_.current_member(g, u);
  if (g.voice.count(u) && (!member || rng_.chance(40))) {
    v.channel_id.reset();  // leaves voice
    g.voice.erase(u);
    if (!member) v.member.reset();
    return emit_guild(g.info.id, VoiceStateUpdate{v});
  }
  if (v.channel_id && rng_.chance(40)) {
    v.self_mute = !v.self_mute;
  } else {
    v.channel_id = rng_.pick(voice_channels);  // joins or moves
  }
  g.voice[u] = v;
  g.voice[u].member.reset();
  emit_guild(g.info.id, VoiceStateUpdate{v});
}

void Generator::member_touch(WGuild& g) {
  auto channels = w_.message_channels(g);
  auto candidates = w_.member_ids(g, false);
  if (channels.empty() || candidates.empty()) return message_create(g);
  Id u = rng_.pick(candidates);
  Member m = w_.current_member(g, u);
  Id channel = rng_.pick(channels);
  auto r = rng_.below(100);
  if (r < 45) return emit(shard_of(g.info.id), TypingStart{channel, g.info.id, u, m}, rng_.chance(10));
  if (r < 80) {
    auto msg = w_.recent_message(g.info.id);
    if (!msg) return message_create(g);
    Id ch = w_.messages.at(*msg).msg.channel_id;
    return emit_guild(g.info.id, ReactionAdd{u, *msg, ch, g.info.id, m, "\xF0\x9F\x91\x8D"});
  }
  emit_guild(g.info.id, InteractionCreate{w_.new_id(), channel, g.info.id, m, std::nullopt});
}

}  // namespace model
