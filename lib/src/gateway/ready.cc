// READY: the shard's session, and its guilds reconciled (semantics.md R6).
#include "gateway/event.h"
#include <set>

namespace snowcache::gw {

Status on_ready(Event& ev) {
  auto d = root(ev);
  if (!d.ok()) return d.status();
  std::string user_raw;
  RawList guilds;
  keys::SessionRecord s = ev.session;
  s.session_id.clear();
  s.resume_gateway_url.clear();
  bool have_shard = false;
  od::object obj;
  if (auto e = d->get_object().get(obj)) return detail::json_error(e, "d");
  std::string me_bytes;
  for (auto f : obj) {
    std::string_view key;
    if (auto e = f.unescaped_key().get(key)) return detail::json_error(e, "d");
    od::value v = f.value();
    if (key == "user") {
      auto b = entity<fb::OwnUser>(ev.impl.fbb, v, "d.user");
      if (!b.ok()) return b.status();
      me_bytes = std::move(*b);
    } else if (key == "session_id") {
      std::string_view sv;
      if (auto e = v.get_string().get(sv)) return detail::json_error(e, "d.session_id");
      s.session_id = sv;
    } else if (key == "resume_gateway_url") {
      std::string_view sv;
      if (auto e = v.get_string().get(sv)) return detail::json_error(e, "d.resume_gateway_url");
      s.resume_gateway_url = sv;
    } else if (key == "guilds") {
      SNOWCACHE_RETURN_IF_ERROR(collect_list(v, "d.guilds", guilds));
    } else if (key == "shard") {
      od::array arr;
      if (auto e = v.get_array().get(arr)) return detail::json_error(e, "d.shard");
      std::vector<std::int64_t> pair;
      for (auto x : arr) {
        std::int64_t i;
        if (auto e = x.get_int64().get(i)) return detail::json_error(e, "d.shard");
        pair.push_back(i);
      }
      if (pair.size() != 2 || pair[1] < 1 || pair[0] < 0 || pair[0] >= pair[1]) {
        return Status::InvalidArgument("d.shard: expected [shard_id, shard_count]");
      }
      if (static_cast<std::uint32_t>(pair[0]) != ev.shard) {
        return Status::InvalidArgument("d.shard: READY for shard " + std::to_string(pair[0]) +
                                       " ingested as shard " + std::to_string(ev.shard));
      }
      s.shard_count = static_cast<std::uint32_t>(pair[1]);
      have_shard = true;
    }
  }
  if (me_bytes.empty()) return Status::InvalidArgument("d.user: missing");
  if (s.session_id.empty()) return Status::InvalidArgument("d.session_id: missing");
  if (!have_shard) s.shard_count = 1;
  // A READY of the stored session at or below the stored sequence is a replay
  // of one already applied (a real READY always starts a new session).
  if (ev.session.session_id == s.session_id && ev.seq && ev.session.seq && *ev.seq <= *ev.session.seq) {
    ev.duplicate = true;
    return {};
  }
  const auto* me = flatbuffers::GetRoot<fb::OwnUser>(me_bytes.data());
  s.user_id = me->id();
  if (ev.on(Components::kMe)) ev.txn.put(Cf::kMeta, keys::kMetaMe, me_bytes);

  // The guilds READY lists for this shard; everything else of this shard goes.
  std::set<std::uint64_t> listed;
  for (std::size_t i = 0; i < guilds.items.size(); ++i) {
    std::string p = "d.guilds[" + std::to_string(i) + "]";
    od::document doc;
    std::string_view raw = guilds.items[i];
    if (auto e = ev.impl.list_parser.iterate(raw.data(), raw.size(), static_cast<std::size_t>(ev.buf_end - raw.data())).get(doc)) {
      return detail::json_error(e, p);
    }
    od::value idv;
    if (auto e = doc.find_field_unordered("id").get(idv)) return detail::json_error(e, p + ".id");
    auto id = detail::json_snowflake(idv, p + ".id");
    if (!id.ok()) return id.status();
    listed.insert(*id);
  }
  std::set<std::uint64_t> cached;
  SNOWCACHE_RETURN_IF_ERROR(detail::cached_guild_ids(ev.txn, cached));
  for (std::uint64_t g : cached) {
    if (Snowflake(g).shard_of(s.shard_count) != ev.shard) continue;
    if (listed.count(g)) {
      auto r = detail::read_entity<fb::Guild>(ev.txn, keys::id(Snowflake(g)));
      if (!r.ok()) return r.status();
      if (*r && !(**r)->unavailable()) {
        auto native = (*r)->unpack();
        native->unavailable = true;
        SNOWCACHE_RETURN_IF_ERROR(put<fb::Guild>(ev.txn, detail::pack<fb::Guild>(*native)));
      }
      continue;
    }
    SNOWCACHE_RETURN_IF_ERROR(detail::erase_entity<fb::Guild>(ev.txn, keys::id(Snowflake(g))).status());
    SNOWCACHE_RETURN_IF_ERROR(detail::erase_guild_scope(ev.txn, Snowflake(g), Components::kAll));
  }
  ev.session = s;
  return {};
}

}  // namespace snowcache::gw
