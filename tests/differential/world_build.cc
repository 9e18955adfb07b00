// New guilds and the things in them, with plausible fields.
#include <fmt/format.h>

#include "world.h"

namespace model {

namespace {

// A T of guild `g` with the id `id`.
template <class T>
T of_guild(const WGuild& g, Id id) {
  T x;
  x.id = id;
  x.guild_id = g.info.id;
  return x;
}

}  // namespace

std::optional<User> World::maybe_creator(const WGuild& g) {
  if (rng.chance(70) && !g.members.empty()) return users.at(rng.pick(g.members).first);
  return std::nullopt;
}

Channel World::new_channel(WGuild& g, int type, OptId parent) {
  auto c = of_guild<Channel>(g, new_id());
  c.type = type;
  c.name = (type == 4 ? "cat-" : "") + word();
  c.position = rng.range(0, 6);
  if (type != 4) c.parent_id = parent;
  if (type == 0 || type == 5) c.topic = rng.chance(50) ? OptStr("about " + word()) : std::nullopt;
  if (type == 2 || type == 13) {
    c.bitrate = 64000;
    c.user_limit = rng.range(0, 10);
  }
  c.nsfw = rng.chance(10);
  return g.channels[c.id] = c;
}

Thread World::new_thread(WGuild& g, Id parent, Id owner) {
  auto t = of_guild<Thread>(g, new_id());
  t.parent_id = parent;
  t.owner_id = owner;
  t.type = g.channels.at(parent).type == 5 ? 10 : (rng.chance(80) ? 11 : 12);
  t.name = "thread " + word();
  t.archive_timestamp = now_iso();
  t.member_count = 1;
  return g.threads[t.id] = t;
}

Role World::new_role(WGuild& g) {
  auto r = of_guild<Role>(g, new_id());
  r.name = "role-" + word();
  r.color = static_cast<std::uint32_t>(rng.below(0xFFFFFF));
  r.hoist = rng.chance(30);
  r.position = static_cast<int>(g.roles.size());
  r.permissions = rng.below(1ULL << 40);
  return g.roles[r.id] = r;
}

Emoji World::new_emoji(WGuild& g) {
  auto e = of_guild<Emoji>(g, new_id());
  e.name = word();
  e.name += "_" + std::to_string(rng.below(100));
  e.animated = rng.chance(20);
  e.user = maybe_creator(g);
  return g.emojis[e.id] = e;
}

Sticker World::new_sticker(WGuild& g) {
  auto s = of_guild<Sticker>(g, new_id());
  s.name = "sticker " + word();
  s.description = rng.chance(50) ? OptStr("a " + word()) : std::nullopt;
  s.tags = word();
  s.user = maybe_creator(g);
  return g.stickers[s.id] = s;
}

// A guild with the bot, some users (new or already known), channels in
// categories, roles, emojis, stickers, presences and people in voice.
WGuild& World::new_guild(std::uint32_t shard, std::uint32_t shard_count, bool large) {
  Id id = new_guild_id(shard, shard_count);
  WGuild& g = guilds[id];
  g.info.id = id;
  g.info.name = "guild " + word();
  g.info.large = large;
  g.info.joined_at = now_iso();
  g.roles[id] = Role{id, id, "@everyone", 0, false, 0, 104324673, false};
  for (int i = rng.range(1, 3); i > 0; --i) new_role(g);
  g.members[bot.user.id] = new_member(id, bot.user.id);
  int people = large ? rng.range(25, 45) : rng.range(3, 10);
  for (int i = 0; i < people; ++i) {
    Id u = (users.size() > 5 && rng.chance(35)) ? rng.pick(users).first : new_user().id;
    if (u == bot.user.id || g.members.count(u)) continue;
    g.members[u] = new_member(id, u);
    if (rng.chance(30)) g.members[u].roles.push_back(rng.pick(g.roles).first);
    if (rng.chance(50)) g.presences[u] = new_presence(id, u);
  }
  g.info.owner_id = rng.pick(g.members).first;
  Id cat = new_channel(g, 4, std::nullopt).id;
  new_channel(g, 0, cat);
  new_channel(g, 0, rng.chance(50) ? OptId(cat) : std::nullopt);
  new_channel(g, 5, std::nullopt);
  Id vc = new_channel(g, 2, cat).id;
  if (rng.chance(50)) new_channel(g, 13, std::nullopt);
  for (Id u : member_ids(g, true)) {
    if (!rng.chance(15)) continue;
    VoiceState& v = g.voice[u];
    v.guild_id = id;
    v.user_id = u;
    v.channel_id = vc;
    v.session_id = fmt::format("{:016x}", rng.next());
  }
  for (int i = rng.range(0, 2); i > 0; --i) new_emoji(g);
  if (rng.chance(60)) new_sticker(g);
  if (rng.chance(50)) new_thread(g, channels_of(g, {0}).front(), rng.pick(g.members).first);
  return g;
}

}  // namespace model
