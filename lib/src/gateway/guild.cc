// Guild events: GUILD_CREATE / UPDATE / DELETE, roles, emojis, stickers,
// invites (hikari-reference.md §6, semantics.md R4-R5).
#include <map>
#include <set>
#include <unordered_map>

#include "gateway/event.h"

namespace snowcache::gw {

namespace {

// A GUILD_CREATE or GUILD_UPDATE: the guild, and its lists as raw JSON.
struct GuildPayload {
  std::string guild;  // a Guild table
  RawList channels, threads, roles, emojis, stickers, members, presences, voice_states;
};

Result<GuildPayload> parse_guild(Event& ev) {
  GuildPayload p;
  auto d = root(ev);
  if (!d.ok()) return d.status();
  std::unordered_map<std::string_view, RawList*> lists = {
      {"channels", &p.channels}, {"threads", &p.threads},   {"roles", &p.roles},
      {"emojis", &p.emojis},     {"stickers", &p.stickers}, {"members", &p.members},
      {"presences", &p.presences}, {"voice_states", &p.voice_states},
  };
  auto extra = [&](std::string_view key, od::value v) -> Status {
    auto it = lists.find(key);
    if (it == lists.end()) return {};
    return collect_list(v, "d." + std::string(key), *it->second);
  };
  auto bytes = entity<fb::Guild>(ev.impl.fbb, *d, "d", {}, extra);
  if (!bytes.ok()) return bytes.status();
  p.guild = std::move(*bytes);
  return p;
}

// Replaces each list the payload carries, also when empty (D11), among
// those both events bring.
Status replace_shared_lists(Event& ev, Snowflake guild, const GuildPayload& p) {
  if (p.channels.present && ev.on(Components::kGuildChannels)) {
    SNOWCACHE_RETURN_IF_ERROR(replace<fb::GuildChannel>(ev, guild, p.channels, "d.channels"));
  }
  if (p.emojis.present) SNOWCACHE_RETURN_IF_ERROR(replace_or_refresh<fb::Emoji>(ev, guild, p.emojis, "d.emojis"));
  if (p.stickers.present) {
    SNOWCACHE_RETURN_IF_ERROR(replace_or_refresh<fb::Sticker>(ev, guild, p.stickers, "d.stickers"));
  }
  if (p.roles.present && ev.on(Components::kRoles)) {
    SNOWCACHE_RETURN_IF_ERROR(replace<fb::Role>(ev, guild, p.roles, "d.roles"));
  }
  return {};
}

// The user ids of the voice states that carry no member (their member is in
// the payload's members list). A look ahead, before the members: a voice
// state it cannot read is rejected later, when it is parsed in its turn.
std::set<std::uint64_t> users_in_voice(Event& ev, const RawList& voice_states) {
  std::set<std::uint64_t> out;
  for (std::string_view raw : voice_states.items) {
    od::document doc;
    std::size_t cap = static_cast<std::size_t>(ev.buf_end - raw.data());
    if (ev.impl.list_parser.iterate(raw.data(), raw.size(), cap).get(doc)) continue;
    od::object obj;
    if (doc.get_object().get(obj)) continue;
    std::optional<std::uint64_t> user;
    bool has_member = false;
    for (auto f : obj) {
      std::string_view key;
      if (f.unescaped_key().get(key)) break;
      if (key == "member") {
        bool is_null = false;
        has_member = !f.value().is_null().get(is_null) && !is_null;
      } else if (key == "user_id") {
        auto id = detail::json_snowflake(f.value(), "");
        if (id.ok()) user = *id;
      }
    }
    if (user && !has_member) out.insert(*user);
  }
  return out;
}

// Members and presences: a large guild's lists are partial (upsert), a
// small guild's are complete (replace). With only_my_member only the bot's
// member is listed. The members of `need_member` are kept in `voice_members`
// for the voice states (E4), listed or not.
Status apply_members(Event& ev, Snowflake guild, const GuildPayload& p, bool large, const detail::JsonContext& ctx,
                     const std::set<std::uint64_t>& need_member, std::map<std::uint64_t, std::string>& voice_members) {
  const bool list = p.members.present && ev.on(Components::kMembers);
  if (list && !large) SNOWCACHE_RETURN_IF_ERROR(detail::erase_for_guild<fb::Member>(ev.txn, guild));
  if (p.members.present) {
    std::uint64_t me = ev.st.settings.only_my_member ? bot_id(ev) : 0;
    SNOWCACHE_RETURN_IF_ERROR(each<fb::Member>(ev, p.members, "d.members", ctx, [&](std::string b) -> Status {
      std::uint64_t user = flatbuffers::GetRoot<fb::Member>(b.data())->user()->id();
      if (need_member.count(user)) voice_members[user] = b;
      // Not listed (only_my_member, MEMBERS off): the newest object still
      // refreshes a cached (hidden) member and user (E2).
      if (!list || (me && user != me)) return detail::refresh_objects<fb::Member>(ev.txn, b);
      return put<fb::Member>(ev.txn, b);
    }));
  }
  if (p.presences.present && ev.on(Components::kPresences)) {
    if (!large) SNOWCACHE_RETURN_IF_ERROR(detail::erase_for_guild<fb::Presence>(ev.txn, guild));
    SNOWCACHE_RETURN_IF_ERROR(each<fb::Presence>(ev, p.presences, "d.presences", ctx,
                                                 [&](std::string b) { return put<fb::Presence>(ev.txn, b); }));
  }
  return {};
}

// What only a GUILD_CREATE brings: the member-list sweep window, members,
// presences, voice states (each holding its member, from the members list
// when it carries none), threads.
Status apply_create_lists(Event& ev, Snowflake guild, bool large, const GuildPayload& p) {
  detail::JsonContext ctx;
  ctx.guild_id = guild.value();
  // A large guild's sweep window opens: what is written from here on is kept
  // by the next complete member list (R5). Only when the guild has members or
  // presences from before: otherwise that list could sweep nothing (rules.h).
  bool sweep = false;
  if (large) {
    auto cached = detail::has_members_or_presences(ev.txn, guild);
    if (!cached.ok()) return cached.status();
    sweep = *cached;
  }
  SNOWCACHE_RETURN_IF_ERROR(detail::reset_sweep(ev.txn, guild, sweep));
  const bool voice = p.voice_states.present && ev.on(Components::kVoiceStates);
  std::set<std::uint64_t> need_member;
  if (voice) need_member = users_in_voice(ev, p.voice_states);
  std::map<std::uint64_t, std::string> voice_members;
  SNOWCACHE_RETURN_IF_ERROR(apply_members(ev, guild, p, large, ctx, need_member, voice_members));
  if (voice) {
    SNOWCACHE_RETURN_IF_ERROR(detail::erase_for_guild<fb::VoiceState>(ev.txn, guild));
    SNOWCACHE_RETURN_IF_ERROR(each<fb::VoiceState>(ev, p.voice_states, "d.voice_states", ctx, [&](std::string b) {
      const auto* vs = flatbuffers::GetRoot<fb::VoiceState>(b.data());
      auto it = voice_members.find(vs->user_id());
      if (!vs->member() && it != voice_members.end()) b = detail::with_member(b, it->second);
      return detail::put_voice_state(ev.txn, std::move(b)).status();
    }));
  }
  if (p.threads.present && ev.on(Components::kGuildThreads)) {
    SNOWCACHE_RETURN_IF_ERROR(replace<fb::Thread>(ev, guild, p.threads, "d.threads"));
  }
  return {};
}

}  // namespace

Status on_guild_create(Event& ev, bool is_update) {
  auto p = parse_guild(ev);
  if (!p.ok()) return p.status();
  const auto* g = flatbuffers::GetRoot<fb::Guild>(p->guild.data());
  Snowflake guild(g->id());
  if (!is_update && g->unavailable()) return {};  // an outage placeholder: nothing changes
  if (ev.on(Components::kGuilds)) {
    std::unique_ptr<fb::GuildT> native(g->UnPack());
    native->unavailable = false;
    SNOWCACHE_RETURN_IF_ERROR(detail::merge_guild_update(ev.txn, *native, is_update));
    SNOWCACHE_RETURN_IF_ERROR(put<fb::Guild>(ev.txn, detail::pack<fb::Guild>(*native)));
  }
  SNOWCACHE_RETURN_IF_ERROR(replace_shared_lists(ev, guild, *p));
  if (is_update) return {};
  return apply_create_lists(ev, guild, g->large(), *p);
}

Status on_guild_delete(Event& ev) {
  auto d = root(ev);
  if (!d.ok()) return d.status();
  auto id = d_required_snowflake(ev, "id");
  if (!id.ok()) return id.status();
  Snowflake guild(*id);
  ev.doc.rewind();
  bool unavailable = false;
  od::value uv;
  // Absent is "not unavailable"; any other error is malformed JSON, and the
  // document is then abandoned by simdjson (it must not be read again).
  if (auto found = ev.doc.find_field_unordered("unavailable").get(uv); found == simdjson::SUCCESS) {
    bool is_null = false;
    if (auto e = uv.is_null().get(is_null)) return detail::json_error(e, "d.unavailable");
    if (!is_null) {
      if (auto e = uv.get_bool().get(unavailable)) return detail::json_error(e, "d.unavailable");
    }
  } else if (found != simdjson::NO_SUCH_FIELD) {
    return detail::json_error(found, "d.unavailable");
  }
  if (unavailable) {
    // An outage: keep everything, mark the guild unavailable.
    if (!ev.on(Components::kGuilds)) return {};
    auto r = detail::read_entity<fb::Guild>(ev.txn, keys::id(guild));
    if (!r.ok()) return r.status();
    if (!*r) return {};
    auto native = (*r)->unpack();
    native->unavailable = true;
    return put<fb::Guild>(ev.txn, detail::pack<fb::Guild>(*native));
  }
  // Left, kicked or deleted: everything of the guild goes.
  SNOWCACHE_RETURN_IF_ERROR(detail::erase_entity<fb::Guild>(ev.txn, keys::id(guild)).status());
  return detail::erase_guild_scope(ev.txn, guild, Components::kAll);
}

Status on_role_upsert(Event& ev) {
  if (!ev.on(Components::kRoles)) return {};
  auto gid = d_required_snowflake(ev, "guild_id");
  if (!gid.ok()) return gid.status();
  od::value rv;
  if (auto e = ev.doc.find_field_unordered("role").get(rv)) return detail::json_error(e, "d.role");
  detail::JsonContext ctx;
  ctx.guild_id = *gid;
  auto b = entity<fb::Role>(ev.impl.fbb, rv, "d.role", ctx);
  if (!b.ok()) return b.status();
  return put<fb::Role>(ev.txn, *b);
}

Status on_role_delete(Event& ev) {
  return erase_by_d_id<fb::Role>(ev, "role_id");
}

namespace {

template <class T>
Status on_guild_list_update(Event& ev, std::string_view list_key) {
  auto gid = d_required_snowflake(ev, "guild_id");
  if (!gid.ok()) return gid.status();
  od::value lv;
  std::string path = "d." + std::string(list_key);
  if (auto e = ev.doc.find_field_unordered(list_key).get(lv)) return detail::json_error(e, path);
  RawList list;
  SNOWCACHE_RETURN_IF_ERROR(collect_list(lv, path, list));
  return replace_or_refresh<T>(ev, Snowflake(*gid), list, path);
}

}  // namespace

Status on_emojis_update(Event& ev) { return on_guild_list_update<fb::Emoji>(ev, "emojis"); }

Status on_stickers_update(Event& ev) { return on_guild_list_update<fb::Sticker>(ev, "stickers"); }

Status on_invite_create(Event& ev) {
  auto b = d_entity_root<fb::Invite>(ev);
  if (!b.ok()) return b.status();
  if (flatbuffers::GetRoot<fb::Invite>(b->data())->code()->size() == 0) return Status::InvalidArgument("d.code: missing");
  return put_or_refresh<fb::Invite>(ev, *b);
}

Status on_invite_delete(Event& ev) {
  if (!ev.on(Components::kInvites)) return {};
  od::value cv;
  if (auto e = ev.doc.find_field_unordered("code").get(cv)) return detail::json_error(e, "d.code");
  std::string_view code;
  if (auto e = cv.get_string().get(code)) return detail::json_error(e, "d.code");
  return detail::erase_entity<fb::Invite>(ev.txn, std::string(code)).status();
}

}  // namespace snowcache::gw
