// Channel and thread events: CHANNEL_*, THREAD_*.
#include "gateway/event.h"

namespace snowcache::gw {

namespace {

bool is_guild_channel_type(int t) { return t == 0 || t == 2 || t == 4 || t == 5 || t == 13 || t == 14 || t == 15 || t == 16; }

}  // namespace

Status on_channel_upsert(Event& ev) {
  if (!ev.on(Components::kGuildChannels)) return {};
  auto d = root(ev);
  if (!d.ok()) return d.status();
  auto b = entity<fb::GuildChannel>(ev.impl.fbb, *d, "d");
  if (!b.ok()) return b.status();
  const auto* c = flatbuffers::GetRoot<fb::GuildChannel>(b->data());
  if (!is_guild_channel_type(c->type())) return {};  // DMs and threads are not guild channels
  if (c->guild_id() == 0) return Status::InvalidArgument("d.guild_id: missing");
  return put<fb::GuildChannel>(ev.txn, *b);
}

Status on_channel_delete(Event& ev) {
  auto id = d_required_snowflake(ev, "id");
  if (!id.ok()) return id.status();
  auto gid = d_snowflake(ev, "guild_id");
  if (!gid.ok()) return gid.status();
  Snowflake channel(*id);
  if (ev.on(Components::kGuildChannels)) {
    SNOWCACHE_RETURN_IF_ERROR(detail::erase_entity<fb::GuildChannel>(ev.txn, keys::id(channel)).status());
  }
  if (!*gid) return {};
  Snowflake guild(**gid);
  // Its threads, its invites, and the messages sent in it (R5).
  if (ev.on(Components::kGuildThreads)) {
    auto ks = detail::index_entities(ev.txn, keys::index_prefix(keys::IndexTag::kThreadByGuild, guild, channel),
                                     1 + 2 * keys::kIdSize);
    if (!ks.ok()) return ks.status();
    for (const auto& k : *ks) SNOWCACHE_RETURN_IF_ERROR(detail::erase_entity<fb::Thread>(ev.txn, k).status());
  }
  if (ev.on(Components::kInvites)) {
    auto ks = detail::index_entities(ev.txn, keys::index_prefix(keys::IndexTag::kInviteByGuild, guild, channel),
                                     1 + 2 * keys::kIdSize);
    if (!ks.ok()) return ks.status();
    for (const auto& k : *ks) SNOWCACHE_RETURN_IF_ERROR(detail::erase_entity<fb::Invite>(ev.txn, k).status());
  }
  if (ev.on(Components::kMessages)) {
    auto ks = detail::index_entities(ev.txn, keys::index_prefix(keys::IndexTag::kMessageByChannel, channel),
                                     1 + keys::kIdSize);
    if (!ks.ok()) return ks.status();
    for (const auto& k : *ks) SNOWCACHE_RETURN_IF_ERROR(detail::erase_entity<fb::Message>(ev.txn, k).status());
  }
  return {};
}

Status on_thread_upsert(Event& ev) {
  if (!ev.on(Components::kGuildThreads)) return {};
  auto d = root(ev);
  if (!d.ok()) return d.status();
  auto b = entity<fb::Thread>(ev.impl.fbb, *d, "d");
  if (!b.ok()) return b.status();
  if (flatbuffers::GetRoot<fb::Thread>(b->data())->guild_id() == 0) return Status::InvalidArgument("d.guild_id: missing");
  return put<fb::Thread>(ev.txn, *b);
}

Status on_thread_delete(Event& ev) {
  if (!ev.on(Components::kGuildThreads)) return {};
  auto id = d_required_snowflake(ev, "id");
  if (!id.ok()) return id.status();
  return detail::erase_entity<fb::Thread>(ev.txn, keys::id(Snowflake(*id))).status();
}

Status on_thread_list_sync(Event& ev) {
  if (!ev.on(Components::kGuildThreads)) return {};
  auto d = root(ev);
  if (!d.ok()) return d.status();
  std::optional<std::uint64_t> guild;
  std::vector<std::uint64_t> channel_ids;
  RawList threads;
  od::object obj;
  if (auto e = d->get_object().get(obj)) return detail::json_error(e, "d");
  for (auto f : obj) {
    std::string_view key;
    if (auto e = f.unescaped_key().get(key)) return detail::json_error(e, "d");
    od::value v = f.value();
    if (key == "guild_id") {
      auto id = detail::json_snowflake(v, "d.guild_id");
      if (!id.ok()) return id.status();
      guild = *id;
    } else if (key == "channel_ids") {
      od::array arr;
      if (auto e = v.get_array().get(arr)) return detail::json_error(e, "d.channel_ids");
      std::size_t n = 0;
      for (auto x : arr) {
        od::value xv;
        std::string p = "d.channel_ids[" + std::to_string(n++) + "]";
        if (auto e = x.get(xv)) return detail::json_error(e, p);
        auto id = detail::json_snowflake(xv, p);
        if (!id.ok()) return id.status();
        channel_ids.push_back(*id);
      }
    } else if (key == "threads") {
      SNOWCACHE_RETURN_IF_ERROR(collect_list(v, "d.threads", threads));
    }
  }
  if (!guild) return Status::InvalidArgument("d.guild_id: missing");
  Snowflake g(*guild);
  if (channel_ids.empty()) {
    SNOWCACHE_RETURN_IF_ERROR(detail::erase_for_guild<fb::Thread>(ev.txn, g));
  } else {
    for (auto c : channel_ids) {
      auto ks = detail::index_entities(ev.txn, keys::index_prefix(keys::IndexTag::kThreadByGuild, g, Snowflake(c)),
                                       1 + 2 * keys::kIdSize);
      if (!ks.ok()) return ks.status();
      for (const auto& k : *ks) SNOWCACHE_RETURN_IF_ERROR(detail::erase_entity<fb::Thread>(ev.txn, k).status());
    }
  }
  detail::JsonContext ctx;
  ctx.guild_id = *guild;
  return each<fb::Thread>(ev, threads, "d.threads", ctx, [&](std::string b) { return put<fb::Thread>(ev.txn, b); });
}

Status on_thread_members_update(Event& ev) {
  if (!ev.on(Components::kGuildThreads)) return {};
  auto id = d_required_snowflake(ev, "id");
  if (!id.ok()) return id.status();
  std::uint64_t me = bot_id(ev);
  ev.doc.rewind();
  od::value v;
  auto e = ev.doc.find_field_unordered("removed_member_ids").get(v);
  if (e == simdjson::NO_SUCH_FIELD) return {};
  if (e) return detail::json_error(e, "d.removed_member_ids");
  od::array arr;
  if (auto e2 = v.get_array().get(arr)) return detail::json_error(e2, "d.removed_member_ids");
  bool removed_me = false;
  std::size_t n = 0;
  for (auto x : arr) {
    od::value xv;
    std::string p = "d.removed_member_ids[" + std::to_string(n++) + "]";
    if (auto e3 = x.get(xv)) return detail::json_error(e3, p);
    auto u = detail::json_snowflake(xv, p);
    if (!u.ok()) return u.status();
    if (me && *u == me) removed_me = true;
  }
  if (!removed_me) return {};
  return detail::erase_entity<fb::Thread>(ev.txn, keys::id(Snowflake(*id))).status();
}

}  // namespace snowcache::gw
