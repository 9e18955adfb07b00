// settings_apply — settings stored with the cache, and what changing them at
// open does (semantics.md R1): a kind that was enabled and is now disabled is
// cleared, lower limits evict, all in one batch.
#pragma once

#include "api/cache_state.h"
#include "snowcache/settings.h"

namespace snowcache::detail {

// The stored settings; hikari's defaults when none are stored.
Result<Settings> load_settings(const Store& store);
// Makes `wanted` the settings in force (state.settings must hold the stored ones).
Status apply_settings(CacheState& state, const Settings& wanted, bool stored_before);

}  // namespace snowcache::detail
