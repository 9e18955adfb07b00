// PRESENCE_UPDATE, VOICE_STATE_UPDATE, USER_UPDATE, TYPING_START.
#include "gateway/event.h"

namespace snowcache::gw {

Status on_presence_update(Event& ev) {
  // Its user is partial: the fields it carries go over a cached user's (E1).
  SNOWCACHE_RETURN_IF_ERROR(refresh_user(ev, "user", detail::UserWrite::kMerge));
  if (!ev.on(Components::kPresences)) return {};
  auto b = d_entity_root<fb::Presence>(ev);
  if (!b.ok()) return b.status();
  const auto* p = flatbuffers::GetRoot<fb::Presence>(b->data());
  if (p->guild_id() == 0) return {};  // a presence outside a guild (a friend's): not cached
  if (p->user_id() == 0) return Status::InvalidArgument("d.user.id: missing");
  if (p->status() && p->status()->string_view() == "offline") {
    return detail::erase_entity<fb::Presence>(ev.txn, keys::pair(Snowflake(p->guild_id()), Snowflake(p->user_id()))).status();
  }
  return put<fb::Presence>(ev.txn, *b);
}

Status on_voice_state_update(Event& ev) {
  auto gid = d_snowflake(ev, "guild_id");
  if (!gid.ok()) return gid.status();
  if (!*gid) return {};  // a DM call: not cached
  detail::JsonContext ctx;
  ctx.guild_id = **gid;
  auto b = d_entity_root<fb::VoiceState>(ev, ctx);
  if (!b.ok()) return b.status();
  const auto* vs = flatbuffers::GetRoot<fb::VoiceState>(b->data());
  if (vs->user_id() == 0) return Status::InvalidArgument("d.user_id: missing");
  if (!ev.on(Components::kVoiceStates) || !vs->channel_id()) {
    // Not stored (or leaving voice): its member object still refreshes the
    // cached member (E2), before the voice state lets go of it.
    SNOWCACHE_RETURN_IF_ERROR(detail::refresh_objects<fb::VoiceState>(ev.txn, *b));
    if (!ev.on(Components::kVoiceStates)) return {};
    return detail::erase_entity<fb::VoiceState>(ev.txn, keys::pair(Snowflake(vs->guild_id()), Snowflake(vs->user_id())))
        .status();
  }
  return detail::put_voice_state(ev.txn, std::move(*b)).status();
}

Status on_user_update(Event& ev) {
  auto b = d_entity_root<fb::OwnUser>(ev);
  if (!b.ok()) return b.status();
  // The bot's user record too, when cached (E1).
  SNOWCACHE_RETURN_IF_ERROR(detail::write_own_user(ev.txn, *flatbuffers::GetRoot<fb::OwnUser>(b->data())));
  if (ev.on(Components::kMe)) ev.txn.put(Cf::kMeta, keys::kMetaMe, *b);
  return {};
}

Status on_typing_start(Event& ev) { return refresh_event_member(ev); }

}  // namespace snowcache::gw
