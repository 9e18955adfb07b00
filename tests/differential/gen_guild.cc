// Guild life: channels (a category deleted, its children staying), threads,
// roles, emojis, stickers, invites, guild updates.
#include <fmt/format.h>

#include "generator.h"

namespace model {

void Generator::channel_event(WGuild& g) {
  auto r = rng_.below(100);
  auto categories = w_.channels_of(g, {4});
  if (r < 35 || g.channels.size() < 3) {
    static const int kTypes[] = {0, 0, 2, 4, 5, 13};
    int type = rng_.pick(kTypes);
    OptId parent;
    if (type != 4 && !categories.empty() && rng_.chance(60)) parent = rng_.pick(categories);
    return emit_guild(g.info.id, ChannelCreate{w_.new_channel(g, type, parent)});
  }
  if (r < 75) {
    Channel& c = rng_.pick(g.channels).second;
    switch (rng_.below(4)) {
      case 0: c.name = "ch-" + w_.word(); break;
      case 1: c.position = rng_.range(0, 8); break;
      case 2: if (c.type == 0 || c.type == 5) c.topic = "now " + w_.word(); break;
      default:
        if (c.type != 4) c.parent_id = categories.empty() || rng_.chance(30) ? OptId() : OptId(rng_.pick(categories));
    }
    return emit_guild(g.info.id, ChannelUpdate{c});
  }
  Id victim = !categories.empty() && rng_.chance(35) ? rng_.pick(categories) : rng_.pick(g.channels).first;
  delete_channel(g, victim);
}

// Deleting a category leaves its children pointing at it (Discord moves them
// later, if at all); a deleted channel's threads, invites and messages go, and
// whoever was in a deleted voice channel leaves voice.
void Generator::delete_channel(WGuild& g, Id channel) {
  const Id gid = g.info.id;
  emit_guild(gid, ChannelDelete{g.channels.at(channel)});
  g.channels.erase(channel);
  std::vector<Id> threads;
  for (auto& [id, t] : g.threads) {
    if (t.parent_id == channel) threads.push_back(id);
  }
  for (Id t : threads) g.threads.erase(t);
  std::erase_if(g.invites, [&](auto& kv) { return kv.second.channel_id == channel; });
  w_.forget_messages_where([&](const WMessage& m) {
    return m.msg.channel_id == channel || std::find(threads.begin(), threads.end(), m.msg.channel_id) != threads.end();
  });
  std::vector<Id> in_voice;
  for (auto& [u, v] : g.voice) {
    if (v.channel_id == channel) in_voice.push_back(u);
  }
  for (Id u : in_voice) {
    VoiceState v = g.voice.at(u);
    g.voice.erase(u);
    v.channel_id.reset();
    if (g.members.count(u)) v.member = w_.current_member(g, u);
    emit_guild(gid, VoiceStateUpdate{v});
  }
}

void Generator::thread_event(WGuild& g) {
  const Id gid = g.info.id;
  auto parents = w_.channels_of(g, {0, 5});
  auto r = rng_.below(100);
  if ((r < 40 || g.threads.empty()) && !parents.empty()) {
    Id parent = rng_.pick(parents);
    Thread t = w_.new_thread(g, parent, rng_.pick(g.members).first);
    return emit_guild(gid, ThreadCreate{t, true});
  }
  if (g.threads.empty()) return message_create(g);
  Thread& t = rng_.pick(g.threads).second;
  if (r < 75) {
    switch (rng_.below(4)) {
      case 0: t.archived = !t.archived; t.archive_timestamp = w_.now_iso(); break;
      case 1: t.name = "thread " + w_.word(); break;
      case 2: t.locked = !t.locked; break;
      default: t.message_count += 1;
    }
    return emit_guild(gid, ThreadUpdate{t});
  }
  if (r < 85) {
    Id id = t.id;
    emit_guild(gid, ThreadDelete{id, gid, t.parent_id, t.type});
    g.threads.erase(id);
    return w_.forget_messages_where([&](const WMessage& m) { return m.msg.channel_id == id; });
  }
  ThreadListSync s{gid, std::nullopt, {}};
  if (rng_.chance(50) && !parents.empty()) s.channel_ids = rng_.sample(parents, rng_.range(1, 2));
  for (auto& [_, th] : g.threads) {
    bool in_scope = !s.channel_ids || std::count(s.channel_ids->begin(), s.channel_ids->end(), th.parent_id);
    if (in_scope && !th.archived) s.threads.push_back(th);
  }
  emit_guild(gid, s);
}

// Members join a thread (with their member objects) or leave it; when the
// bot is removed the thread is gone for it.
void Generator::thread_members(WGuild& g) {
  if (g.threads.empty()) return thread_event(g);
  Thread& t = rng_.pick(g.threads).second;
  ThreadMembersUpdate u{t.id, g.info.id, 0, {}, {}};
  for (Id m : rng_.sample(w_.member_ids(g, false), rng_.range(0, 2))) u.added.push_back(w_.current_member(g, m));
  if (rng_.chance(40)) u.removed.push_back(rng_.pick(w_.member_ids(g, true)));
  bool bot_removed = rng_.chance(15);
  if (bot_removed) u.removed.push_back(w_.bot.user.id);
  t.member_count = std::max(0, t.member_count + static_cast<int>(u.added.size()) - static_cast<int>(u.removed.size()));
  u.member_count = t.member_count;
  Id id = t.id;
  emit_guild(g.info.id, u);
  if (bot_removed) {
    g.threads.erase(id);
    w_.forget_messages_where([&](const WMessage& m) { return m.msg.channel_id == id; });
  }
}

// A deleted role stays in members' role lists in the cache until a member
// object without it arrives: Discord drops it from the members silently.
void Generator::role_event(WGuild& g) {
  const Id gid = g.info.id;
  auto r = rng_.below(100);
  if (r < 35 || g.roles.size() < 2) return emit_guild(gid, RoleCreate{w_.new_role(g)});
  Id id = rng_.pick(g.roles).first;
  if (r < 75 || id == gid) {
    Role& role = g.roles.at(id);
    switch (rng_.below(3)) {
      case 0: role.name = "role-" + w_.word(); break;
      case 1: role.color = static_cast<std::uint32_t>(rng_.below(0xFFFFFF)); break;
      default: role.position = rng_.range(0, 10);
    }
    return emit_guild(gid, RoleUpdate{role});
  }
  emit_guild(gid, RoleDelete{gid, id});
  g.roles.erase(id);
  for (auto& [_, m] : g.members) std::erase(m.roles, id);
}

void Generator::emojis_or_stickers(WGuild& g) {
  if (rng_.chance(60)) {
    auto r = rng_.below(3);
    if (r == 0 || g.emojis.empty()) w_.new_emoji(g);
    else if (r == 1) g.emojis.erase(rng_.pick(g.emojis).first);
    else rng_.pick(g.emojis).second.name = w_.word() + "_v2";
    return emit_guild(g.info.id, EmojisUpdate{g.info.id, w_.emojis_now(g)});
  }
  auto r = rng_.below(3);
  if (r == 0 || g.stickers.empty()) w_.new_sticker(g);
  else if (r == 1) g.stickers.erase(rng_.pick(g.stickers).first);
  else rng_.pick(g.stickers).second.tags = w_.word();
  emit_guild(g.info.id, StickersUpdate{g.info.id, w_.stickers_now(g)});
}

void Generator::invite_event(WGuild& g) {
  const Id gid = g.info.id;
  if (!g.invites.empty() && rng_.chance(35)) {
    Invite inv = rng_.pick(g.invites).second;
    g.invites.erase(inv.code);
    return emit_guild(gid, InviteDelete{inv.code, gid, inv.channel_id});
  }
  auto channels = w_.channels_of(g, {0, 2, 5});
  if (channels.empty()) return channel_event(g);
  Invite i;
  if (!g.invites.empty() && rng_.chance(10)) i = rng_.pick(g.invites).second;  // the same code again
  if (i.code.empty()) i.code = fmt::format("{:08x}", rng_.next() & 0xFFFFFFFF);
  i.guild_id = gid;
  i.channel_id = rng_.pick(channels);
  i.created_at = w_.now_iso();
  i.max_age = rng_.chance(50) ? 86400 : 0;
  i.max_uses = rng_.range(0, 5);
  i.uses = rng_.range(0, 3);
  i.temporary = rng_.chance(10);
  i.inviter = rng_.chance(85) ? std::optional<User>(w_.user(rng_.pick(g.members).first)) : std::nullopt;
  i.target_user = rng_.chance(15) ? std::optional<User>(w_.user(rng_.pick(w_.users).first)) : std::nullopt;
  g.invites[i.code] = i;
  emit_guild(gid, InviteCreate{i});
}

void Generator::guild_update(WGuild& g) {
  switch (rng_.below(4)) {
    case 0: g.info.name = "guild " + w_.word(); break;
    case 1: g.info.icon = w_.hash(); break;
    case 2: g.info.description = rng_.chance(70) ? OptStr("all about " + w_.word()) : std::nullopt; break;
    default: g.info.verification_level = rng_.range(0, 4);
  }
  GuildUpdate u{g.info, w_.roles_of(g), w_.emojis_now(g), w_.stickers_now(g)};
  u.guild.member_count.reset();
  u.guild.joined_at.reset();
  u.guild.large = false;
  emit_guild(g.info.id, u);
}

}  // namespace model
