// Member events: GUILD_MEMBER_ADD / UPDATE / REMOVE, GUILD_MEMBERS_CHUNK, bans,
// INTERACTION_CREATE.
#include "gateway/event.h"

namespace snowcache::gw {

Status on_member_upsert(Event& ev, bool is_add) {
  auto b = d_entity_root<fb::Member>(ev);
  if (!b.ok()) return b.status();
  const auto* m = flatbuffers::GetRoot<fb::Member>(b->data());
  if (m->guild_id() == 0) return Status::InvalidArgument("d.guild_id: missing");
  if (is_add) SNOWCACHE_RETURN_IF_ERROR(detail::adjust_member_count(ev.txn, Snowflake(m->guild_id()), +1));
  return put_or_refresh<fb::Member>(ev, *b);
}

Status on_member_remove(Event& ev) {
  auto gid = d_required_snowflake(ev, "guild_id");
  if (!gid.ok()) return gid.status();
  ev.doc.rewind();
  od::value uv;
  if (auto e = ev.doc.find_field_unordered("user").get(uv)) return detail::json_error(e, "d.user");
  od::value idv;
  if (auto e = uv.find_field_unordered("id").get(idv)) return detail::json_error(e, "d.user.id");
  auto uid = detail::json_snowflake(idv, "d.user.id");
  if (!uid.ok()) return uid.status();
  // The user object is the newest: a user still cached (held elsewhere) is refreshed (E1).
  SNOWCACHE_RETURN_IF_ERROR(refresh_user(ev, "user", detail::UserWrite::kIfCached));
  SNOWCACHE_RETURN_IF_ERROR(detail::adjust_member_count(ev.txn, Snowflake(*gid), -1));
  if (!ev.on(Components::kMembers)) return {};
  return detail::erase_entity<fb::Member>(ev.txn, keys::pair(Snowflake(*gid), Snowflake(*uid))).status();
}

namespace {

// What a GUILD_MEMBERS_CHUNK says besides its guild.
struct Chunk {
  RawList members, presences;
  std::string nonce;  // absent: ""
  std::uint32_t index = 0, count = 0;
  bool have_index = false, have_count = false;
  bool not_found = false;  // a query's answer naming users that are not members
};

Status read_chunk_number(std::string_view key, value v, std::uint32_t& out, bool& have) {
  std::uint64_t n = 0;
  if (auto e = v.get_uint64().get(n)) return detail::json_error(e, "d." + std::string(key));
  if (n > 0xffffffffU) return Status::InvalidArgument("d." + std::string(key) + ": out of range");
  out = static_cast<std::uint32_t>(n);
  have = true;
  return {};
}

Status read_chunk_field(Chunk& c, std::string_view key, value v) {
  if (key == "members") return collect_list(v, "d.members", c.members);
  if (key == "presences") return collect_list(v, "d.presences", c.presences);
  if (key == "chunk_index") return read_chunk_number(key, v, c.index, c.have_index);
  if (key == "chunk_count") return read_chunk_number(key, v, c.count, c.have_count);
  if (key == "nonce") {
    bool is_null = false;
    if (auto e = v.is_null().get(is_null)) return detail::json_error(e, "d.nonce");
    if (is_null) return {};
    std::string_view nonce;
    if (auto e = v.get_string().get(nonce)) return detail::json_error(e, "d.nonce");
    c.nonce = nonce;
  } else if (key == "not_found") {
    od::array a;
    if (auto e = v.get_array().get(a)) return detail::json_error(e, "d.not_found");
    for (auto el : a) {
      od::value x;
      if (auto e = el.get(x)) return detail::json_error(e, "d.not_found");
      SNOWCACHE_RETURN_IF_ERROR(detail::validate_json(x, "d.not_found[]"));
      c.not_found = true;
    }
  }
  return {};
}

}  // namespace

Status on_members_chunk(Event& ev) {
  auto gid = d_required_snowflake(ev, "guild_id");
  if (!gid.ok()) return gid.status();
  Chunk chunk;
  SNOWCACHE_RETURN_IF_ERROR(
      for_each_d_field(ev, [&](std::string_view key, value v) { return read_chunk_field(chunk, key, v); }));
  if (!chunk.have_index) return Status::InvalidArgument("d.chunk_index: missing");
  if (!chunk.have_count) return Status::InvalidArgument("d.chunk_count: missing");
  detail::JsonContext ctx;
  ctx.guild_id = *gid;
  SNOWCACHE_RETURN_IF_ERROR(
      each<fb::Member>(ev, chunk.members, "d.members", ctx, [&](std::string b) { return put_or_refresh<fb::Member>(ev, b); }));
  if (ev.on(Components::kPresences)) {
    SNOWCACHE_RETURN_IF_ERROR(each<fb::Presence>(ev, chunk.presences, "d.presences", ctx,
                                                 [&](std::string b) { return put<fb::Presence>(ev.txn, b); }));
  }
  if (!ev.on(Components::kMembers) && !ev.on(Components::kPresences)) return {};
  return detail::record_chunk(ev.txn, Snowflake(*gid), chunk.nonce, chunk.index, chunk.count,
                              chunk.members.items.size(), chunk.not_found);
}

Status on_guild_ban(Event& ev) {
  // GUILD_BAN_ADD / GUILD_BAN_REMOVE: their user refreshes a cached user (E1).
  return refresh_user(ev, "user", detail::UserWrite::kIfCached);
}

Status on_interaction_create(Event& ev) {
  // A guild interaction's member (and its user), or a DM's user: the newest
  // objects, refreshing cached records only (E1, E2).
  auto guild = d_snowflake(ev, "guild_id");
  if (!guild.ok()) return guild.status();
  SNOWCACHE_RETURN_IF_ERROR(refresh_member(ev, "member", guild->value_or(0), 0));
  return refresh_user(ev, "user", detail::UserWrite::kIfCached);
}

}  // namespace snowcache::gw
