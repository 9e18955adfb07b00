// rules — multi-entity rules shared by the MutableCache methods and the
// gateway ingest, each inside the caller's Txn: a voice state holds the cached
// member when its payload has none; messages are capped; a message update
// keeps the cached author and member; a guild's scoped data is replaced or
// removed as one.
#pragma once

#include <set>
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

// Removes every entity of `guild` in the kinds enabled in `which`: channels,
// threads, roles, emojis, stickers, invites, members, presences, voice states
// and messages (the guild object itself is the caller's).
Status erase_guild_scope(Txn& txn, Snowflake guild, Components which);

// Removes the guild's entities of kind T (by its index or key prefix).
template <class T>
Status erase_for_guild(Txn& txn, Snowflake guild);

// Records `user`'s DM channel (keeping the user's original position when it
// is already recorded), then evicts the oldest above `max_dm_channel_ids`.
Status record_dm_channel(Txn& txn, Snowflake user, Snowflake channel, std::uint32_t max_dm_channel_ids);

// Every guild id that anything is cached for: the guild itself or any of its
// scoped entities (members, presences, voice states, channels, threads,
// roles, emojis, stickers, invites, messages).
Status cached_guild_ids(Txn& txn, std::set<std::uint64_t>& out);

// The member-list sweep (semantics.md R5). reset_sweep forgets the guild's
// marks and chunk progress and opens its window (`open`: a large
// GUILD_CREATE) or leaves it closed (any other GUILD_CREATE, a left guild).
Status reset_sweep(Txn& txn, Snowflake guild, bool open);

// Whether the guild has any member or presence cached, as the transaction
// sees it. A large GUILD_CREATE opens the sweep window only then: with
// nothing cached before it, everything the guild holds when a member list
// completes was written since, so that sweep could remove nothing, and not
// opening the window spares a mark per member and presence (the first
// GUILD_CREATE flood after a bot joins or starts cold).
Result<bool> has_members_or_presences(Txn& txn, Snowflake guild);

// One GUILD_MEMBERS_CHUNK of sequence `nonce` listing `members` members. When
// it completes the sequence (chunks 0..count-1 all seen, none with
// not_found, at least the guild's member_count members), the guild's members
// and presences not written since its last GUILD_CREATE are removed (as by
// GUILD_MEMBER_REMOVE, without touching member_count) and the window closes.
// Nothing when the window is closed. Fails on an index not below `count`.
Status record_chunk(Txn& txn, Snowflake guild, std::string_view nonce, std::uint32_t index, std::uint32_t count,
                    std::uint64_t members, bool not_found);

// Adds `delta` to a cached guild's member_count (nothing when not cached).
Status adjust_member_count(Txn& txn, Snowflake guild, int delta);

}  // namespace snowcache::detail
