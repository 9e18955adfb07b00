// guild_scope — a guild's entities as a whole, inside the caller's Txn: found
// through each kind's guild scope (kinds.h), removed together (GUILD_DELETE,
// READY's reconciliation, a GUILD_CREATE that replaces a list), and the
// member-list sweep that removes members and presences a complete member list
// no longer names (semantics.md R5).
#pragma once

#include <set>
#include <string>
#include <vector>

#include "model/entity_ops.h"
#include "snowcache/settings.h"
#include "storage/txn.h"

namespace snowcache::detail {

// Removes the guild's entities of kind T, found by its guild index or key
// prefix (Kind<T>::scope).
template <class T>
Status erase_for_guild(Txn& txn, Snowflake guild) {
  if constexpr (Kind<T>::scope == GuildScope::kIndex) {
    return erase_indexed<T>(txn, keys::index_prefix(Kind<T>::guild_index, guild));
  } else {
    static_assert(Kind<T>::scope == GuildScope::kKeyPrefix, "a kind scoped to a guild");
    auto ks = range_keys(txn, Kind<T>::cf, keys::id(guild));
    if (!ks.ok()) return ks.status();
    return erase_keys<T>(txn, *ks);
  }
}

// Removes every entity scoped to `guild` in the kinds enabled in `which`
// (the guild object itself is the caller's), and its sweep state.
Status erase_guild_scope(Txn& txn, Snowflake guild, Components which);

// Every guild id that anything is cached for: the guild itself or any entity
// scoped to it.
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

}  // namespace snowcache::detail
