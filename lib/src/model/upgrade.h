// upgrade — brings a cache written by an older format to this build's, in
// one batch, when it is opened for writing (store.h kFormatVersion).
//
// Format 1 -> 2: format 1 kept a hidden member (semantics.md R3: held by a
// voice state or a cached message, not listed) only as the copies its
// holders embedded. Format 2 keeps one value per member, in hidden_members;
// the upgrade writes it from the holder's copy (the voice state's, else the
// newest message's). Format-1 values keep their embedded copies of users and
// members: reads join the records over them (join.h), so they read the same.
#pragma once

#include "api/cache_state.h"
#include "snowcache/status.h"

namespace snowcache::detail {

// REQUIRES: state.store was opened for writing. Nothing when the store is
// already in this build's format. On success the store and its marker file
// say kFormatVersion; on failure nothing was changed.
Status upgrade_format(CacheState& state);

}  // namespace snowcache::detail
