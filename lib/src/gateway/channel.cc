// Channel and thread events: CHANNEL_*, THREAD_*.
#include <algorithm>

#include "gateway/event.h"

namespace snowcache::gw {

namespace {

bool is_guild_channel_type(int t) { return t == 0 || t == 2 || t == 4 || t == 5 || t == 13 || t == 14 || t == 15 || t == 16; }

}  // namespace

Status on_channel_upsert(Event& ev) {
  if (!ev.on(Components::kGuildChannels)) return {};
  auto b = d_entity_root<fb::GuildChannel>(ev);
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
    SNOWCACHE_RETURN_IF_ERROR(
        detail::erase_indexed<fb::Thread>(ev.txn, keys::index_prefix(keys::IndexTag::kThreadByGuild, guild, channel)));
  }
  if (ev.on(Components::kInvites)) {
    SNOWCACHE_RETURN_IF_ERROR(
        detail::erase_indexed<fb::Invite>(ev.txn, keys::index_prefix(keys::IndexTag::kInviteByGuild, guild, channel)));
  }
  if (ev.on(Components::kMessages)) {
    SNOWCACHE_RETURN_IF_ERROR(
        detail::erase_indexed<fb::Message>(ev.txn, keys::index_prefix(keys::IndexTag::kMessageByChannel, channel)));
  }
  return {};
}

Status on_thread_upsert(Event& ev) {
  if (!ev.on(Components::kGuildThreads)) return {};
  auto b = d_entity_root<fb::Thread>(ev);
  if (!b.ok()) return b.status();
  if (flatbuffers::GetRoot<fb::Thread>(b->data())->guild_id() == 0) return Status::InvalidArgument("d.guild_id: missing");
  return put<fb::Thread>(ev.txn, *b);
}

Status on_thread_delete(Event& ev) {
  return erase_by_d_id<fb::Thread>(ev, "id");
}

Status on_thread_list_sync(Event& ev) {
  if (!ev.on(Components::kGuildThreads)) return {};
  std::optional<std::uint64_t> guild;
  std::vector<std::uint64_t> channel_ids;
  RawList threads;
  SNOWCACHE_RETURN_IF_ERROR(for_each_d_field(ev, [&](std::string_view key, value v) -> Status {
    if (key == "guild_id") {
      auto id = detail::json_snowflake(v, "d.guild_id");
      if (!id.ok()) return id.status();
      guild = *id;
    } else if (key == "channel_ids") {
      auto ids = snowflake_array(v, "d.channel_ids");
      if (!ids.ok()) return ids.status();
      channel_ids = std::move(*ids);
    } else if (key == "threads") {
      return collect_list(v, "d.threads", threads);
    }
    return {};
  }));
  if (!guild) return Status::InvalidArgument("d.guild_id: missing");
  Snowflake g(*guild);
  if (channel_ids.empty()) {
    SNOWCACHE_RETURN_IF_ERROR(detail::erase_for_guild<fb::Thread>(ev.txn, g));
  } else {
    for (auto c : channel_ids) {
      SNOWCACHE_RETURN_IF_ERROR(
          detail::erase_indexed<fb::Thread>(ev.txn, keys::index_prefix(keys::IndexTag::kThreadByGuild, g, Snowflake(c))));
    }
  }
  detail::JsonContext ctx;
  ctx.guild_id = *guild;
  return each<fb::Thread>(ev, threads, "d.threads", ctx, [&](std::string b) { return put<fb::Thread>(ev.txn, b); });
}

namespace {

// One added thread member: its member object refreshes a cached member (E2).
Status refresh_thread_member(Event& ev, std::uint64_t guild, std::string_view raw, const std::string& path) {
  od::document doc;
  std::size_t cap = static_cast<std::size_t>(ev.buf_end - raw.data());
  if (auto e = ev.impl.list_parser.iterate(raw.data(), raw.size(), cap).get(doc)) return detail::json_error(e, path);
  od::object obj;
  if (auto e = doc.get_object().get(obj)) return detail::json_error(e, path);
  std::uint64_t user = 0;
  std::optional<std::string> member;
  for (auto f : obj) {
    std::string_view key;
    if (auto e = f.unescaped_key().get(key)) return detail::json_error(e, path);
    od::value v = f.value();
    bool is_null = false;
    if (auto e = v.is_null().get(is_null)) return detail::json_error(e, path + "." + std::string(key));
    if (is_null) continue;
    if (key == "user_id") {
      auto id = detail::json_snowflake(v, path + ".user_id");
      if (!id.ok()) return id.status();
      user = *id;
    } else if (key == "member") {
      detail::JsonContext ctx;
      ctx.guild_id = guild;
      auto b = entity<fb::Member>(ev.impl.fbb, v, path + ".member", ctx);
      if (!b.ok()) return b.status();
      member = std::move(*b);
    } else {
      SNOWCACHE_RETURN_IF_ERROR(detail::validate_json(v, path + "." + std::string(key)));
    }
  }
  if (!member || guild == 0) return {};
  const auto& m = *flatbuffers::GetRoot<flatbuffers::Table>(member->data());
  return detail::write_member(ev.txn, m, guild, user, detail::MemberWrite::kRefresh);
}

}  // namespace

Status on_thread_members_update(Event& ev) {
  auto id = d_required_snowflake(ev, "id");
  if (!id.ok()) return id.status();
  auto guild = d_snowflake(ev, "guild_id");
  if (!guild.ok()) return guild.status();
  RawList added;
  std::vector<std::uint64_t> removed;
  SNOWCACHE_RETURN_IF_ERROR(for_each_d_field(ev, [&](std::string_view key, value v) -> Status {
    if (key == "added_members") return collect_list(v, "d.added_members", added);
    if (key == "removed_member_ids") {
      auto ids = snowflake_array(v, "d.removed_member_ids");
      if (!ids.ok()) return ids.status();
      removed = std::move(*ids);
    }
    return {};
  }));
  for (std::size_t i = 0; i < added.items.size(); ++i) {
    SNOWCACHE_RETURN_IF_ERROR(refresh_thread_member(ev, guild->value_or(0), added.items[i],
                                                    "d.added_members[" + std::to_string(i) + "]"));
  }
  if (!ev.on(Components::kGuildThreads)) return {};
  // The bot removed from the thread: it is no longer the bot's to see.
  std::uint64_t me = bot_id(ev);
  if (me == 0 || std::find(removed.begin(), removed.end(), me) == removed.end()) return {};
  return detail::erase_entity<fb::Thread>(ev.txn, keys::id(Snowflake(*id))).status();
}

}  // namespace snowcache::gw
