// Member events: GUILD_MEMBER_ADD / UPDATE / REMOVE, GUILD_MEMBERS_CHUNK.
#include "gateway/event.h"

namespace snowcache::gw {

Status on_member_upsert(Event& ev, bool is_add) {
  auto d = root(ev);
  if (!d.ok()) return d.status();
  auto b = entity<fb::Member>(ev.impl.fbb, *d, "d");
  if (!b.ok()) return b.status();
  const auto* m = flatbuffers::GetRoot<fb::Member>(b->data());
  if (m->guild_id() == 0) return Status::InvalidArgument("d.guild_id: missing");
  if (is_add) SNOWCACHE_RETURN_IF_ERROR(detail::adjust_member_count(ev.txn, Snowflake(m->guild_id()), +1));
  if (!ev.on(Components::kMembers)) return {};
  return put<fb::Member>(ev.txn, *b);
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
  SNOWCACHE_RETURN_IF_ERROR(detail::adjust_member_count(ev.txn, Snowflake(*gid), -1));
  if (!ev.on(Components::kMembers)) return {};
  return detail::erase_entity<fb::Member>(ev.txn, keys::pair(Snowflake(*gid), Snowflake(*uid))).status();
}

Status on_members_chunk(Event& ev) {
  auto gid = d_required_snowflake(ev, "guild_id");
  if (!gid.ok()) return gid.status();
  RawList members, presences;
  struct {
    std::string nonce;  // absent: ""
    std::uint32_t index = 0, count = 0;
    bool not_found = false;
  } chunk;
  bool have_index = false, have_count = false;
  od::object obj;
  if (auto e = ev.doc.get_object().get(obj)) return detail::json_error(e, "d");
  for (auto f : obj) {
    std::string_view key;
    if (auto e = f.unescaped_key().get(key)) return detail::json_error(e, "d");
    if (key == "members") SNOWCACHE_RETURN_IF_ERROR(collect_list(f.value(), "d.members", members));
    if (key == "presences") SNOWCACHE_RETURN_IF_ERROR(collect_list(f.value(), "d.presences", presences));
    if (key == "chunk_index" || key == "chunk_count") {
      std::uint64_t n = 0;
      if (auto e = f.value().get_uint64().get(n)) return detail::json_error(e, "d." + std::string(key));
      if (n > 0xffffffffU) return Status::InvalidArgument("d." + std::string(key) + ": out of range");
      (key == "chunk_index" ? chunk.index : chunk.count) = static_cast<std::uint32_t>(n);
      (key == "chunk_index" ? have_index : have_count) = true;
    }
    if (key == "nonce") {
      od::value v = f.value();
      bool is_null = false;
      if (auto e = v.is_null().get(is_null)) return detail::json_error(e, "d.nonce");
      if (!is_null) {
        std::string_view nonce;
        if (auto e = v.get_string().get(nonce)) return detail::json_error(e, "d.nonce");
        chunk.nonce = nonce;
      }
    }
    if (key == "not_found") {
      od::array a;
      if (auto e = f.value().get_array().get(a)) return detail::json_error(e, "d.not_found");
      for (auto el : a) {
        od::value v;
        if (auto e = el.get(v)) return detail::json_error(e, "d.not_found");
        SNOWCACHE_RETURN_IF_ERROR(detail::validate_json(v, "d.not_found[]"));
        chunk.not_found = true;
      }
    }
  }
  if (!have_index) return Status::InvalidArgument("d.chunk_index: missing");
  if (!have_count) return Status::InvalidArgument("d.chunk_count: missing");
  detail::JsonContext ctx;
  ctx.guild_id = *gid;
  if (ev.on(Components::kMembers)) {
    SNOWCACHE_RETURN_IF_ERROR(each<fb::Member>(ev, members, "d.members", ctx,
                                               [&](std::string b) { return put<fb::Member>(ev.txn, b); }));
  }
  if (ev.on(Components::kPresences)) {
    SNOWCACHE_RETURN_IF_ERROR(each<fb::Presence>(ev, presences, "d.presences", ctx,
                                                 [&](std::string b) { return put<fb::Presence>(ev.txn, b); }));
  }
  if (!ev.on(Components::kMembers) && !ev.on(Components::kPresences)) return {};
  return detail::record_chunk(ev.txn, Snowflake(*gid), chunk.nonce, chunk.index, chunk.count, members.items.size(),
                              chunk.not_found);
}

}  // namespace snowcache::gw
