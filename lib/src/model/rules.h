// rules — multi-entity rules shared by the MutableCache methods and the
// gateway ingest, each inside the caller's Txn: a voice state holds the cached
// member when its payload has none; a guild update keeps what only
// GUILD_CREATE brings; messages and DM channel ids are capped; a message
// update keeps the cached author and member. What a guild's scope holds as a
// whole (its removal, the member-list sweep) is guild_scope.h.
#pragma once

#include <string>
#include <vector>

#include "model/entity_ops.h"
#include "snowcache/settings.h"
#include "storage/txn.h"

namespace snowcache::detail {

// Puts a voice state; when it carries no member and the member is cached
// (listed or hidden), it holds the cached member (semantics.md R4).
Maybe<fb::VoiceState> put_voice_state(Txn& txn, std::string bytes);

// `voice_state` (a VoiceState table without a member) carrying `member` (a
// Member table): a GUILD_CREATE's voice state with its member from the
// payload's members list.
std::string with_member(std::string_view voice_state, std::string_view member);

// What a guild update keeps of the cached guild (D12): member_count, large and
// joined_at, which only GUILD_CREATE brings. Applies to a GUILD_UPDATE
// (`is_update`) and to any guild without member_count (an API update_guild
// of a GUILD_UPDATE-shaped guild); nothing when the guild is not cached.
Status merge_guild_update(Txn& txn, fb::GuildT& guild, bool is_update);

// Puts a message, then evicts the oldest above `max_messages`.
Maybe<fb::Message> put_message(Txn& txn, const std::string& bytes, std::uint32_t max_messages);

// Replaces the cached message `patched.id` by `patched`, except its author,
// member, guild, channel and referenced message, which stay as cached (R4:
// an update never changes whose message it is; the author's user and member
// records are refreshed by the objects the payload carries, objects.h).
// Returns the message as it was stored; nothing when it is not cached (an
// update never creates one).
Maybe<fb::Message> patch_message(Txn& txn, fb::MessageT patched);

// Records `user`'s DM channel (keeping the user's original position when it
// is already recorded), then evicts the oldest above `max_dm_channel_ids`.
Status record_dm_channel(Txn& txn, Snowflake user, Snowflake channel, std::uint32_t max_dm_channel_ids);

// Adds `delta` to a cached guild's member_count (nothing when not cached).
Status adjust_member_count(Txn& txn, Snowflake guild, int delta);

// The caps (semantics.md R4): evict the oldest messages (smallest ids) and
// the oldest-recorded DM channel ids above the limits.
Status enforce_message_limit(Txn& txn, std::uint32_t max_messages);
Status enforce_dm_limit(Txn& txn, std::uint32_t max_dm_channel_ids);

// Removes every entity of the kind stored in `cf` (releasing references), or
// the entities under `ks`; InvalidArgument for a family without entities.
Status erase_all(Txn& txn, Cf cf);
Status erase_keys(Txn& txn, Cf cf, const std::vector<std::string>& ks);

}  // namespace snowcache::detail
