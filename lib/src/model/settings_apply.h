// settings_apply — settings stored with the cache, and what changing them at
// open does (semantics.md R1): a kind that was enabled and is now disabled is
// cleared, lower limits evict, all in one batch.
#pragma once

#include "api/cache_state.h"
#include "snowcache/settings.h"
#include "snowcache/view.h"
#include "dm_channel_id_generated.h"

namespace snowcache::detail {

// The stored settings; hikari's defaults when none are stored.
Result<Settings> load_settings(const Store& store);
// Makes `wanted` the settings in force (state.settings must hold the stored ones).
Status apply_settings(CacheState& state, const Settings& wanted, bool stored_before);

// Evicts the oldest messages / DM channel ids above the limits.
Status enforce_message_limit(Txn& txn, std::uint32_t max_messages);
Status enforce_dm_limit(Txn& txn, std::uint32_t max_dm_channel_ids);

// The DM channel ids in insertion order at `snap`.
CacheView<Snowflake, fb::DmChannelId> dm_channel_ids_in_order(std::shared_ptr<const SnapshotHandle> snap);

// Removes every entity of the kind stored in `cf` (releasing references).
Status erase_all(Txn& txn, Cf cf);

}  // namespace snowcache::detail
