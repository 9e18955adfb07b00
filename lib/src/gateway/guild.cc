// Guild events: GUILD_CREATE / UPDATE / DELETE, roles, emojis, stickers,
// invites (hikari-reference.md §6, semantics.md R4-R5).
#include "gateway/event.h"
#include <unordered_map>

namespace snowcache::gw {

Status on_guild_create(Event& ev, bool is_update) {
  auto d = root(ev);
  if (!d.ok()) return d.status();
  RawList channels, threads, roles, emojis, stickers, members, presences, voice_states;
  std::unordered_map<std::string_view, RawList*> lists = {
      {"channels", &channels}, {"threads", &threads},       {"roles", &roles},
      {"emojis", &emojis},     {"stickers", &stickers},     {"members", &members},
      {"presences", &presences}, {"voice_states", &voice_states},
  };
  auto extra = [&](std::string_view key, od::value v) -> Status {
    auto it = lists.find(key);
    if (it == lists.end()) return {};
    return collect_list(v, "d." + std::string(key), *it->second);
  };
  auto guild_bytes = entity<fb::Guild>(ev.impl.fbb, *d, "d", {}, extra);
  if (!guild_bytes.ok()) return guild_bytes.status();
  const auto* g = flatbuffers::GetRoot<fb::Guild>(guild_bytes->data());
  Snowflake guild(g->id());
  if (!is_update && g->unavailable()) return {};  // an outage placeholder: nothing changes

  if (ev.on(Components::kGuilds)) {
    auto native = std::unique_ptr<fb::GuildT>(g->UnPack());
    native->unavailable = false;
    if (is_update || !native->member_count) {
      // GUILD_UPDATE lacks member_count, large and joined_at: keep them (D12).
      auto old = detail::read_entity<fb::Guild>(ev.txn, keys::id(guild));
      if (!old.ok()) return old.status();
      if (*old) {
        const fb::Guild& o = ***old;
        if (o.member_count()) native->member_count = *o.member_count();
        native->large = o.large();
        if (o.joined_at()) native->joined_at = o.joined_at()->str();
      }
    }
    SNOWCACHE_RETURN_IF_ERROR(put<fb::Guild>(ev.txn, detail::pack<fb::Guild>(*native)));
  }
  // Replace each list the payload carries, also when empty (D11).
  if (channels.present && ev.on(Components::kGuildChannels)) {
    SNOWCACHE_RETURN_IF_ERROR(replace<fb::GuildChannel>(ev, guild, channels, "d.channels"));
  }
  if (emojis.present && ev.on(Components::kEmojis)) {
    SNOWCACHE_RETURN_IF_ERROR(replace<fb::Emoji>(ev, guild, emojis, "d.emojis"));
  }
  if (stickers.present && ev.on(Components::kGuildStickers)) {
    SNOWCACHE_RETURN_IF_ERROR(replace<fb::Sticker>(ev, guild, stickers, "d.stickers"));
  }
  if (roles.present && ev.on(Components::kRoles)) {
    SNOWCACHE_RETURN_IF_ERROR(replace<fb::Role>(ev, guild, roles, "d.roles"));
  }
  if (is_update) return {};
  detail::JsonContext ctx;
  ctx.guild_id = guild.value();
  // Members and presences: a large guild's lists are partial (upsert), a
  // small guild's are complete (replace).
  bool large = g->large();
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
  if (members.present && ev.on(Components::kMembers)) {
    if (!large) SNOWCACHE_RETURN_IF_ERROR(detail::erase_for_guild<fb::Member>(ev.txn, guild));
    std::uint64_t me = ev.st.settings.only_my_member ? bot_id(ev) : 0;
    SNOWCACHE_RETURN_IF_ERROR(each<fb::Member>(ev, members, "d.members", ctx, [&](std::string b) -> Status {
      if (me && flatbuffers::GetRoot<fb::Member>(b.data())->user()->id() != me) return {};
      return put<fb::Member>(ev.txn, b);
    }));
  }
  if (presences.present && ev.on(Components::kPresences)) {
    if (!large) SNOWCACHE_RETURN_IF_ERROR(detail::erase_for_guild<fb::Presence>(ev.txn, guild));
    SNOWCACHE_RETURN_IF_ERROR(each<fb::Presence>(ev, presences, "d.presences", ctx,
                                                 [&](std::string b) { return put<fb::Presence>(ev.txn, b); }));
  }
  if (voice_states.present && ev.on(Components::kVoiceStates)) {
    SNOWCACHE_RETURN_IF_ERROR(detail::erase_for_guild<fb::VoiceState>(ev.txn, guild));
    SNOWCACHE_RETURN_IF_ERROR(each<fb::VoiceState>(ev, voice_states, "d.voice_states", ctx, [&](std::string b) {
      return detail::put_voice_state(ev.txn, std::move(b)).status();
    }));
  }
  if (threads.present && ev.on(Components::kGuildThreads)) {
    SNOWCACHE_RETURN_IF_ERROR(replace<fb::Thread>(ev, guild, threads, "d.threads"));
  }
  return {};
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
  if (!ev.on(Components::kRoles)) return {};
  auto id = d_required_snowflake(ev, "role_id");
  if (!id.ok()) return id.status();
  return detail::erase_entity<fb::Role>(ev.txn, keys::id(Snowflake(*id))).status();
}

namespace {

template <class T>
Status on_guild_list_update(Event& ev, Components c, std::string_view list_key) {
  if (!ev.on(c)) return {};
  auto gid = d_required_snowflake(ev, "guild_id");
  if (!gid.ok()) return gid.status();
  od::value lv;
  std::string path = "d." + std::string(list_key);
  if (auto e = ev.doc.find_field_unordered(list_key).get(lv)) return detail::json_error(e, path);
  RawList list;
  SNOWCACHE_RETURN_IF_ERROR(collect_list(lv, path, list));
  return replace<T>(ev, Snowflake(*gid), list, path);
}

}  // namespace

Status on_emojis_update(Event& ev) { return on_guild_list_update<fb::Emoji>(ev, Components::kEmojis, "emojis"); }

Status on_stickers_update(Event& ev) {
  return on_guild_list_update<fb::Sticker>(ev, Components::kGuildStickers, "stickers");
}

Status on_invite_create(Event& ev) {
  if (!ev.on(Components::kInvites)) return {};
  auto d = root(ev);
  if (!d.ok()) return d.status();
  auto b = entity<fb::Invite>(ev.impl.fbb, *d, "d");
  if (!b.ok()) return b.status();
  if (flatbuffers::GetRoot<fb::Invite>(b->data())->code()->size() == 0) return Status::InvalidArgument("d.code: missing");
  return put<fb::Invite>(ev.txn, *b);
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
