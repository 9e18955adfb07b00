// The getters: every id known, each compared with the model's record, or
// required absent; me, DM channel ids, sessions. Views: compare_views.cc.
#include "compare.h"

#include <fmt/format.h>

#include "compare_internal.h"
#include "compare_views.h"
#include "snowcache/gateway.h"

namespace model {

using snowcache::Snowflake;

void Known::add(const Model& m) {
  for (auto& [id, _] : m.guilds) guilds.insert(id);
  for (auto& [id, _] : m.channels) channels.insert(id);
  for (auto& [id, _] : m.threads) threads.insert(id);
  for (auto& [id, _] : m.roles) roles.insert(id);
  for (auto& [id, _] : m.emojis) emojis.insert(id);
  for (auto& [id, _] : m.stickers) stickers.insert(id);
  for (auto& [id, _] : m.users) users.insert(id);
  for (auto& [id, _] : m.messages) messages.insert(id);
  for (auto& [code, _] : m.invites) invites.insert(code);
  for (auto& [key, _] : m.members) members.insert(key);
  for (auto& [key, _] : m.presences) presences.insert(key);
  for (auto& [key, _] : m.voice_states) voice_states.insert(key);
  for (Id g : m.guilds_with_data()) guilds.insert(g);
  for (auto& [id, _] : m.dm_channel_ids) users.insert(id);
}

namespace {

template <class M, class K>
auto* find(const M& map, const K& key) {
  auto it = map.find(key);
  return it == map.end() ? nullptr : &it->second;
}

template <class Rec, class T>
void check_get(Ctx& x, const std::string& label, const Rec* e, snowcache::Maybe<T> r) {
  if (!r.ok()) return x.d.add(label, "get", "a value or a miss", r.status().to_string());
  x.d.eq(label, "present", e != nullptr, r->has_value());
  if (e && *r) check(x.d, label, x.m, *e, ***r);
}

// Ids nothing ever had, for the misses.
constexpr Id kUnknown[] = {1, 4242, (Id{1} << 62) + 17};

void check_guilds(Ctx& x) {
  std::set<Id> ids = x.k.guilds;
  ids.insert(std::begin(kUnknown), std::end(kUnknown));
  for (Id g : ids) {
    std::string label = label_of("guild", g);
    if (!x.d.enter(label)) continue;
    const GuildRec* e = find(x.m.guilds, g);
    check_get(x, label, e, x.c.get_guild(Snowflake(g)));
    auto avail = x.c.get_available_guild(Snowflake(g));
    auto unavail = x.c.get_unavailable_guild(Snowflake(g));
    x.d.eq(label, "get_available_guild", e && e->available, avail.ok() && avail->has_value());
    x.d.eq(label, "get_unavailable_guild", e && !e->available, unavail.ok() && unavail->has_value());
  }
}

template <class Map, class Get>
void check_by_id(Ctx& x, std::string_view kind, const std::set<Id>& ids, const Map& map, Get get) {
  std::set<Id> all = ids;
  all.insert(std::begin(kUnknown), std::end(kUnknown));
  for (Id id : all) {
    std::string label = label_of(kind, id);
    if (x.d.enter(label)) check_get(x, label, find(map, id), get(Snowflake(id)));
  }
}

template <class Map, class Get>
void check_by_pair(Ctx& x, std::string_view kind, const std::set<GU>& keys, const Map& map, Get get) {
  std::set<GU> all = keys;
  all.insert({kUnknown[1], kUnknown[0]});
  for (const GU& key : all) {
    std::string label = label_of(kind, key);
    if (x.d.enter(label)) check_get(x, label, find(map, key), get(Snowflake(key.first), Snowflake(key.second)));
  }
}

void check_members(Ctx& x) {
  std::set<GU> all = x.k.members;
  all.insert({kUnknown[1], kUnknown[0]});
  for (const GU& key : all) {
    std::string label = label_of("member", key);
    if (!x.d.enter(label)) continue;
    const MemberRec* e = find(x.m.members, key);
    if (e && !e->listed) e = nullptr;  // hidden members are invisible (R3)
    check_get(x, label, e, x.c.get_member(Snowflake(key.first), Snowflake(key.second)));
  }
}

void check_messages(Ctx& x) {
  check_by_id(x, "message", x.k.messages, x.m.messages, [&](Snowflake s) { return x.c.get_message(s); });
  for (Id id : x.k.messages) {
    std::string label = label_of("message", id);
    const MessageRec* e = find(x.m.messages, id);
    if (!e || !x.d.enter(label)) continue;
    x.d.eq(label, "E3 \"referenced_message\": null", std::optional<bool>(e->data.reply == Reply::kDeleted),
           reply_parent_deleted(x.c, id));
  }
}

void check_me(Ctx& x) {
  if (!x.d.enter("me")) return;
  auto r = x.c.get_me();
  if (!r.ok()) return x.d.add("me", "get", "a value or a miss", r.status().to_string());
  x.d.eq("me", "present", x.m.me.has_value(), r->has_value());
  if (!x.m.me || !*r) return;
  const snowcache::fb::OwnUser& a = ***r;
  const OwnUser& e = *x.m.me;
  x.d.eq("me", "id", e.user.id, a.id());
  x.d.eq("me", "username", OptStr(e.user.username), fs(a.username()));
  x.d.eq("me", "global_name", e.user.global_name, fs(a.global_name()));
  x.d.eq("me", "avatar", e.user.avatar, fs(a.avatar()));
  x.d.eq("me", "bot", e.user.bot, a.bot());
  x.d.eq("me", "mfa_enabled", e.mfa_enabled, a.mfa_enabled());
  x.d.eq("me", "verified", e.verified, a.verified());
  x.d.eq("me", "locale", OptStr(e.locale), fs(a.locale()));
}

void check_dm_channel_ids(Ctx& x) {
  for (Id u : x.k.users) {
    std::string label = label_of("dm_channel_id", u);
    if (!x.d.enter(label)) continue;
    auto r = x.c.get_dm_channel_id(Snowflake(u));
    if (!r.ok()) return x.d.add(label, "get", "a value or a miss", r.status().to_string());
    const DmRec* e = find(x.m.dm_channel_ids, u);
    x.d.eq(label, "channel_id", e ? std::optional<Id>(e->channel) : std::nullopt,
           *r ? std::optional<Id>((*r)->value()) : std::nullopt);
  }
}

void check_sessions(Ctx& x) {
  for (auto& [shard, e] : x.m.sessions) {
    std::string label = fmt::format("session {}", shard);
    if (!x.d.enter(label)) continue;
    auto r = snowcache::session(x.c, shard);
    if (!r.ok()) return x.d.add(label, "get", "a session", r.status().to_string());
    if (!*r) return x.d.add(label, "present", "true", "false");
    const snowcache::Session& a = **r;
    x.d.eq(label, "shard", e.shard, a.shard);
    x.d.eq(label, "shard_count", e.shard_count, a.shard_count);
    x.d.eq(label, "session_id", e.session_id, a.session_id);
    x.d.eq(label, "resume_gateway_url", e.resume_gateway_url, a.resume_gateway_url);
    x.d.eq(label, "sequence", e.sequence, a.sequence);
    x.d.eq(label, "user_id", e.user_id, a.user_id);
  }
}

void check_getters(Ctx& x) {
  const auto& c = x.c;
  check_guilds(x);
  check_by_id(x, "guild_channel", x.k.channels, x.m.channels, [&](Snowflake s) { return c.get_guild_channel(s); });
  check_by_id(x, "thread", x.k.threads, x.m.threads, [&](Snowflake s) { return c.get_thread(s); });
  check_by_id(x, "role", x.k.roles, x.m.roles, [&](Snowflake s) { return c.get_role(s); });
  check_by_id(x, "emoji", x.k.emojis, x.m.emojis, [&](Snowflake s) { return c.get_emoji(s); });
  check_by_id(x, "sticker", x.k.stickers, x.m.stickers, [&](Snowflake s) { return c.get_sticker(s); });
  check_by_id(x, "user", x.k.users, x.m.users, [&](Snowflake s) { return c.get_user(s); });
  for (const std::string& code : x.k.invites) {
    std::string label = label_of("invite", code);
    if (x.d.enter(label)) check_get(x, label, find(x.m.invites, code), c.get_invite(code));
  }
  check_members(x);
  check_by_pair(x, "presence", x.k.presences, x.m.presences,
                [&](Snowflake g, Snowflake u) { return c.get_presence(g, u); });
  check_by_pair(x, "voice_state", x.k.voice_states, x.m.voice_states,
                [&](Snowflake g, Snowflake u) { return c.get_voice_state(g, u); });
  check_messages(x);
  check_me(x);
  check_dm_channel_ids(x);
  check_sessions(x);
}

}  // namespace

std::vector<Difference> compare(const Model& m, const snowcache::Cache& c, const Known& known,
                                const CompareOptions& options) {
  Diffs d(options.only, options.max_differences, options.ignore);
  Ctx x{d, m, c, known};
  try {
    check_getters(x);
    if (options.views) check_views(x);
  } catch (const std::exception& e) {
    d.add(options.only.empty() ? "cache" : options.only, "exception", "none", e.what());
  }
  return std::move(d.list);
}

}  // namespace model
