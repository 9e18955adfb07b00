// READY: the shard's session, and its guilds reconciled (semantics.md R6).
#include <set>

#include "gateway/event.h"

namespace snowcache::gw {

namespace {

// What READY says.
struct Ready {
  std::string me;  // the bot's user, an OwnUser table
  keys::SessionRecord session;
  std::set<std::uint64_t> guilds;  // the shard's guilds
};

Result<std::uint32_t> shard_count(Event& ev, value v) {
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
    return Status::InvalidArgument("d.shard: READY for shard " + std::to_string(pair[0]) + " ingested as shard " +
                                   std::to_string(ev.shard));
  }
  return static_cast<std::uint32_t>(pair[1]);
}

Result<std::string> string_of(value v, const char* path) {
  std::string_view sv;
  if (auto e = v.get_string().get(sv)) return detail::json_error(e, path);
  return std::string(sv);
}

Status guild_ids(Event& ev, const RawList& guilds, std::set<std::uint64_t>& out) {
  for (std::size_t i = 0; i < guilds.items.size(); ++i) {
    std::string p = "d.guilds[" + std::to_string(i) + "]";
    od::document doc;
    std::string_view raw = guilds.items[i];
    std::size_t cap = static_cast<std::size_t>(ev.buf_end - raw.data());
    if (auto e = ev.impl.list_parser.iterate(raw.data(), raw.size(), cap).get(doc)) return detail::json_error(e, p);
    od::value idv;
    if (auto e = doc.find_field_unordered("id").get(idv)) return detail::json_error(e, p + ".id");
    auto id = detail::json_snowflake(idv, p + ".id");
    if (!id.ok()) return id.status();
    out.insert(*id);
  }
  return {};
}

Result<Ready> parse_ready(Event& ev) {
  Ready r;
  r.session = ev.session;
  r.session.session_id.clear();
  r.session.resume_gateway_url.clear();
  r.session.shard_count = 1;  // unless it says
  RawList guilds;
  SNOWCACHE_RETURN_IF_ERROR(for_each_d_field(ev, [&](std::string_view key, value v) -> Status {
    if (key == "user") {
      auto b = entity<fb::OwnUser>(ev.impl.fbb, v, "d.user");
      if (!b.ok()) return b.status();
      r.me = std::move(*b);
    } else if (key == "session_id" || key == "resume_gateway_url") {
      auto sv = string_of(v, key == "session_id" ? "d.session_id" : "d.resume_gateway_url");
      if (!sv.ok()) return sv.status();
      (key == "session_id" ? r.session.session_id : r.session.resume_gateway_url) = std::move(*sv);
    } else if (key == "guilds") {
      return collect_list(v, "d.guilds", guilds);
    } else if (key == "shard") {
      auto n = shard_count(ev, v);
      if (!n.ok()) return n.status();
      r.session.shard_count = *n;
    }
    return {};
  }));
  if (r.me.empty()) return Status::InvalidArgument("d.user: missing");
  if (r.session.session_id.empty()) return Status::InvalidArgument("d.session_id: missing");
  SNOWCACHE_RETURN_IF_ERROR(guild_ids(ev, guilds, r.guilds));
  r.session.user_id = flatbuffers::GetRoot<fb::OwnUser>(r.me.data())->id();
  return r;
}

// Every guild of the shard that has anything cached: kept, unavailable until
// its GUILD_CREATE, when READY lists it; removed with the full GUILD_DELETE
// cascade when it does not.
Status reconcile_shard(Event& ev, std::uint32_t shard_count, const std::set<std::uint64_t>& listed) {
  std::set<std::uint64_t> cached;
  SNOWCACHE_RETURN_IF_ERROR(detail::cached_guild_ids(ev.txn, cached));
  for (std::uint64_t g : cached) {
    if (Snowflake(g).shard_of(shard_count) != ev.shard) continue;
    if (!listed.count(g)) {
      SNOWCACHE_RETURN_IF_ERROR(detail::erase_entity<fb::Guild>(ev.txn, keys::id(Snowflake(g))).status());
      SNOWCACHE_RETURN_IF_ERROR(detail::erase_guild_scope(ev.txn, Snowflake(g), Components::kAll));
      continue;
    }
    auto r = detail::read_entity<fb::Guild>(ev.txn, keys::id(Snowflake(g)));
    if (!r.ok()) return r.status();
    if (*r && !(**r)->unavailable()) {
      auto native = (*r)->unpack();
      native->unavailable = true;
      SNOWCACHE_RETURN_IF_ERROR(put<fb::Guild>(ev.txn, detail::pack<fb::Guild>(*native)));
    }
  }
  return {};
}

}  // namespace

Status on_ready(Event& ev) {
  auto ready = parse_ready(ev);
  if (!ready.ok()) return ready.status();
  // A READY of the stored session at or below the stored sequence is a replay
  // of one already applied (a real READY always starts a new session).
  if (ev.session.session_id == ready->session.session_id && ev.seq && ev.session.seq && *ev.seq <= *ev.session.seq) {
    ev.duplicate = true;
    return {};
  }
  if (ev.on(Components::kMe)) ev.txn.put(Cf::kMeta, keys::kMetaMe, ready->me);
  // The bot's own user record too, when cached (E1).
  SNOWCACHE_RETURN_IF_ERROR(detail::write_own_user(ev.txn, *flatbuffers::GetRoot<fb::OwnUser>(ready->me.data())));
  SNOWCACHE_RETURN_IF_ERROR(reconcile_shard(ev, ready->session.shard_count, ready->guilds));
  ev.session = ready->session;
  return {};
}

}  // namespace snowcache::gw
