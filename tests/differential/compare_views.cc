// Views: keys in order, size(), every value, get(key) hits and misses,
// get_item_at (indices, out of range, a slice), nested views (R2).
#include <algorithm>
#include <tuple>

#include "compare_internal.h"
#include "compare_views.h"

namespace model {

using snowcache::Snowflake;

namespace {

std::string key_text(const Snowflake& k) { return std::to_string(k.value()); }
std::string key_text(const std::string& k) { return k; }
Snowflake absent_key(const Snowflake&) { return Snowflake(4242); }
std::string absent_key(const std::string&) { return "no-such-code"; }

template <class K, class Rec>
using Want = std::vector<std::pair<K, const Rec*>>;

template <class K, class V, class Rec>
void check_lookups(Ctx& x, const std::string& label, const snowcache::CacheView<K, V>& view, const Want<K, Rec>& want) {
  if (want.empty()) return;
  for (std::size_t i : {std::size_t{0}, want.size() / 2, want.size() - 1}) {
    auto got = view.get(want[i].first);
    std::string l = label + " get(" + key_text(want[i].first) + ")";
    if (!got.ok() || !*got) return x.d.add(l, "present", "true", got.ok() ? "false" : got.status().to_string());
    check(x.d, l, x.m, *want[i].second, ***got);
  }
  auto miss = view.get(absent_key(want.front().first));
  x.d.eq(label, "get(absent key) misses", true, miss.ok() && !miss->has_value());
}

template <class K, class V>
bool out_of_range_at(const snowcache::CacheView<K, V>& view, std::ptrdiff_t i) {
  try {
    (void)view.get_item_at(i);
  } catch (const std::out_of_range&) {
    return true;
  }
  return false;
}

template <class K, class V, class Rec>
void check_positions(Ctx& x, const std::string& label, const snowcache::CacheView<K, V>& view,
                     const Want<K, Rec>& want) {
  const auto n = static_cast<std::ptrdiff_t>(want.size());
  if (n > 0) {
    for (std::ptrdiff_t i : {std::ptrdiff_t{0}, n / 2, n - 1}) {
      std::string l = label + " get_item_at(" + std::to_string(i) + ")";
      check(x.d, l, x.m, *want[static_cast<std::size_t>(i)].second, *view.get_item_at(i));
    }
    auto slice = view.get_item_at(snowcache::Slice{1, std::nullopt, 2});
    x.d.eq(label, "get_item_at(1::2) size", static_cast<std::size_t>(n / 2), slice.size());
    for (std::size_t j = 0; j < slice.size() && j * 2 + 1 < want.size(); ++j) {
      check(x.d, label + " get_item_at(1::2)[" + std::to_string(j) + "]", x.m, *want[j * 2 + 1].second, *slice[j]);
    }
  }
  x.d.eq(label, "get_item_at(size()) is out_of_range", true, out_of_range_at(view, n));
  x.d.eq(label, "get_item_at(-1) is out_of_range", true, out_of_range_at(view, -1));
}

// `top`: a check of its own (not the inner view of a nested one).
template <class K, class V, class Rec>
void check_view(Ctx& x, const std::string& label, const snowcache::CacheView<K, V>& view, const Want<K, Rec>& want,
                bool top = true) {
  if (top && !x.d.enter(label)) return;
  std::vector<std::string> ek, ak;
  for (auto& [k, _] : want) ek.push_back(key_text(k));
  for (const K& k : view.keys()) ak.push_back(key_text(k));
  if (ek != ak) return x.d.add(label, "keys in order", show(ek), show(ak));
  x.d.eq(label, "size()", want.size(), view.size());
  std::size_t i = 0;
  for (auto it = view.begin(); it != view.end() && i < want.size(); ++it, ++i) {
    check(x.d, label + " [" + ek[i] + "]", x.m, *want[i].second, *it.value());
  }
  check_lookups(x, label, view, want);
  check_positions(x, label, view, want);
}

// guild id -> the inner view's expected entries (guilds with none left out).
template <class Rec>
using NestedWant = std::map<Id, Want<Snowflake, Rec>>;

template <class V, class Rec>
void check_nested(Ctx& x, const std::string& label, const snowcache::NestedView<V>& view,
                  const NestedWant<Rec>& want) {
  if (!x.d.enter(label)) return;
  std::vector<Id> ek, ak;
  for (auto& [g, _] : want) ek.push_back(g);
  for (Snowflake g : view.keys()) ak.push_back(g.value());
  if (ek != ak) return x.d.add(label, "guilds in order", show(ek), show(ak));
  x.d.eq(label, "size()", want.size(), view.size());
  for (auto& [g, inner] : view.items()) {
    check_view(x, label + " [" + key_text(g) + "]", inner, want.at(g.value()), false);
  }
  x.d.eq(label, "get(guild without entries) misses", true, !view.get(Snowflake(4242)).has_value());
  if (!want.empty()) {
    x.d.eq(label, "get_item_at(0).size()", want.begin()->second.size(), view.get_item_at(0).size());
  }
}

template <class Map, class Pred>
auto want_ids(const Map& map, Pred pred) {
  Want<Snowflake, typename Map::mapped_type> out;
  for (auto& [k, v] : map) {
    if (pred(v)) out.emplace_back(Snowflake(k), &v);
  }
  return out;
}

// DM channel ids in insertion order (docs/SEMANTICS.md E6).
auto want_dm_ids(const std::map<Id, DmRec>& map) {
  auto out = want_ids(map, [](const DmRec&) { return true; });
  std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.second->order < b.second->order; });
  return out;
}

// Guild-scoped (guild, user) stores as nested and per-guild expectations.
template <class Map, class Pred>
NestedWant<typename Map::mapped_type> want_nested(const Map& map, Pred pred) {
  NestedWant<typename Map::mapped_type> out;
  for (auto& [k, v] : map) {
    if (pred(v)) out[k.first].emplace_back(Snowflake(k.second), &v);
  }
  return out;
}

auto all = [](const auto&) { return true; };

}  // namespace

std::vector<Id> client_order(const Model& m, Id guild) {
  std::vector<std::tuple<int, int, int, Id>> keyed;
  for (auto& [id, c] : m.channels) {
    if (c.guild_id != guild) continue;
    if (c.type == 4) {
      keyed.emplace_back(c.position, -1, 0, id);
      continue;
    }
    int parent_position = -1;
    if (c.parent_id) {
      auto p = m.channels.find(*c.parent_id);
      bool category = p != m.channels.end() && p->second.type == 4 && p->second.guild_id == guild;
      if (category) parent_position = p->second.position;
    }
    keyed.emplace_back(parent_position, c.type == 2 ? 1 : 0, c.position, id);
  }
  std::sort(keyed.begin(), keyed.end());  // the id breaks ties: a stable sort over ascending ids
  std::vector<Id> out;
  for (auto& k : keyed) out.push_back(std::get<3>(k));
  return out;
}

namespace {

void check_guild_views(Ctx& x) {
  const auto& m = x.m;
  check_view(x, "view guilds", x.c.get_guilds_view(), want_ids(m.guilds, all));
  check_view(x, "view available_guilds", x.c.get_available_guilds_view(),
             want_ids(m.guilds, [](const GuildRec& g) { return g.available; }));
  check_view(x, "view unavailable_guilds", x.c.get_unavailable_guilds_view(),
             want_ids(m.guilds, [](const GuildRec& g) { return !g.available; }));
  check_view(x, "view guild_channels", x.c.get_guild_channels_view(), want_ids(m.channels, all));
  check_view(x, "view threads", x.c.get_threads_view(), want_ids(m.threads, all));
  check_view(x, "view roles", x.c.get_roles_view(), want_ids(m.roles, all));
  check_view(x, "view emojis", x.c.get_emojis_view(), want_ids(m.emojis, all));
  check_view(x, "view stickers", x.c.get_stickers_view(), want_ids(m.stickers, all));
  Want<std::string, Invite> invites;
  for (auto& [code, i] : m.invites) invites.emplace_back(code, &i);
  check_view(x, "view invites", x.c.get_invites_view(), invites);
}

void check_scoped_views(Ctx& x, Id g) {
  const auto& m = x.m;
  const std::string gs = std::to_string(g);
  const Snowflake sg(g);
  auto in_guild = [g](const auto& v) { return v.guild_id == g; };
  Want<Snowflake, Channel> channels;
  for (Id id : client_order(m, g)) channels.emplace_back(Snowflake(id), &m.channels.at(id));
  check_view(x, "view guild_channels_for_guild " + gs, x.c.get_guild_channels_view_for_guild(sg), channels);
  check_view(x, "view threads_for_guild " + gs, x.c.get_threads_view_for_guild(sg), want_ids(m.threads, in_guild));
  check_view(x, "view roles_for_guild " + gs, x.c.get_roles_view_for_guild(sg), want_ids(m.roles, in_guild));
  check_view(x, "view emojis_for_guild " + gs, x.c.get_emojis_view_for_guild(sg), want_ids(m.emojis, in_guild));
  check_view(x, "view stickers_for_guild " + gs, x.c.get_stickers_view_for_guild(sg), want_ids(m.stickers, in_guild));
  Want<std::string, Invite> invites;
  for (auto& [code, i] : m.invites) {
    if (i.guild_id == g) invites.emplace_back(code, &i);
  }
  check_view(x, "view invites_for_guild " + gs, x.c.get_invites_view_for_guild(sg), invites);
  auto members = want_nested(m.members, [](const MemberRec& r) { return r.listed; });
  auto presences = want_nested(m.presences, all);
  auto voice = want_nested(m.voice_states, all);
  check_view(x, "view members_for_guild " + gs, x.c.get_members_view_for_guild(sg), members[g]);
  check_view(x, "view presences_for_guild " + gs, x.c.get_presences_view_for_guild(sg), presences[g]);
  check_view(x, "view voice_states_for_guild " + gs, x.c.get_voice_states_view_for_guild(sg), voice[g]);
}

// Per-channel views for every channel id the guild's entities name.
void check_channel_views(Ctx& x, Id g) {
  const auto& m = x.m;
  std::set<Id> chans;
  for (auto& [id, c] : m.channels) {
    if (c.guild_id == g) chans.insert(id);
  }
  for (auto& [_, t] : m.threads) {
    if (t.guild_id == g) chans.insert(t.parent_id);
  }
  for (auto& [k, v] : m.voice_states) {
    if (k.first == g && v.data.channel_id) chans.insert(*v.data.channel_id);
  }
  for (Id ch : chans) {
    const std::string l = std::to_string(g) + "/" + std::to_string(ch);
    const Snowflake sg(g), sc(ch);
    check_view(x, "view threads_for_channel " + l, x.c.get_threads_view_for_channel(sg, sc),
               want_ids(m.threads, [&](const Thread& t) { return t.guild_id == g && t.parent_id == ch; }));
    Want<std::string, Invite> invites;
    for (auto& [code, i] : m.invites) {
      if (i.guild_id == g && i.channel_id == ch) invites.emplace_back(code, &i);
    }
    check_view(x, "view invites_for_channel " + l, x.c.get_invites_view_for_channel(sg, sc), invites);
    Want<Snowflake, VoiceRec> voice;
    for (auto& [k, v] : m.voice_states) {
      if (k.first == g && v.data.channel_id == ch) voice.emplace_back(Snowflake(k.second), &v);
    }
    check_view(x, "view voice_states_for_channel " + l, x.c.get_voice_states_view_for_channel(sg, sc), voice);
  }
}

}  // namespace

void check_views(Ctx& x) {
  const auto& m = x.m;
  check_guild_views(x);
  check_nested(x, "view members", x.c.get_members_view(),
               want_nested(m.members, [](const MemberRec& r) { return r.listed; }));
  check_nested(x, "view presences", x.c.get_presences_view(), want_nested(m.presences, all));
  check_nested(x, "view voice_states", x.c.get_voice_states_view(), want_nested(m.voice_states, all));
  check_view(x, "view users", x.c.get_users_view(), want_ids(m.users, all));
  check_view(x, "view messages", x.c.get_messages_view(), want_ids(m.messages, all));
  check_view(x, "view dm_channel_ids", x.c.get_dm_channel_ids_view(), want_dm_ids(m.dm_channel_ids));
  std::set<Id> guilds = x.k.guilds;
  guilds.insert(4242);
  for (Id g : guilds) {
    check_scoped_views(x, g);
    check_channel_views(x, g);
  }
}

}  // namespace model

namespace model {

namespace fb = snowcache::fb;

struct ViewSnapshot {
  snowcache::CacheView<Snowflake, fb::Guild> guilds;
  snowcache::CacheView<Snowflake, fb::GuildChannel> channels;
  snowcache::CacheView<std::string, fb::Invite> invites;
  snowcache::CacheView<Snowflake, fb::User> users;
  snowcache::CacheView<Snowflake, fb::Message> messages;
  snowcache::CacheView<Snowflake, fb::DmChannelId> dm_channel_ids;
  snowcache::NestedView<fb::Member> members;
  snowcache::NestedView<fb::VoiceState> voice_states;
};

std::shared_ptr<const ViewSnapshot> take_views(const snowcache::Cache& c) {
  return std::make_shared<const ViewSnapshot>(ViewSnapshot{
      c.get_guilds_view(), c.get_guild_channels_view(), c.get_invites_view(), c.get_users_view(),
      c.get_messages_view(), c.get_dm_channel_ids_view(), c.get_members_view(), c.get_voice_states_view()});
}

std::vector<Difference> compare_old_views(const Model& then, const snowcache::Cache& c, const ViewSnapshot& v,
                                          const CompareOptions& options) {
  Diffs d(options.only, options.max_differences, options.ignore);
  Known none;
  Ctx x{d, then, c, none};
  try {
    check_view(x, "old view guilds", v.guilds, want_ids(then.guilds, all));
    check_view(x, "old view guild_channels", v.channels, want_ids(then.channels, all));
    Want<std::string, Invite> invites;
    for (auto& [code, i] : then.invites) invites.emplace_back(code, &i);
    check_view(x, "old view invites", v.invites, invites);
    check_view(x, "old view users", v.users, want_ids(then.users, all));
    check_view(x, "old view messages", v.messages, want_ids(then.messages, all));
    check_view(x, "old view dm_channel_ids", v.dm_channel_ids, want_dm_ids(then.dm_channel_ids));
    check_nested(x, "old view members", v.members,
                 want_nested(then.members, [](const MemberRec& r) { return r.listed; }));
    check_nested(x, "old view voice_states", v.voice_states, want_nested(then.voice_states, all));
  } catch (const std::exception& e) {
    d.add("old views", "exception", "none", e.what());
  }
  return std::move(d.list);
}

}  // namespace model
