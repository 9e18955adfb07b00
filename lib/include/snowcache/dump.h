// snowcache/dump.h — a cache as text: every entity as Discord API JSON, one
// per line (the dump format of docs/DUMP.md), and single entities for
// inspection.
//
// Line format: {"kind": K, "key": [...], "value": {...}}. Kinds, in dump
// order: me, guild, guild_channel, thread, role, emoji, sticker, invite,
// member, user, presence, voice_state, message, dm_channel_id. Key parts are
// strings (snowflakes in decimal). Lines are sorted by kind in that order,
// then by key (numeric id order; invites by code). The value uses Discord's
// field names, snowflakes as strings.
//
// Users and members in values are the records as they are at the dump
// (docs/DUMP.md, docs/SEMANTICS.md E5).
//
// Thread safety: any thread. A dump reads one snapshot of the whole cache
// (on a read-only or secondary handle, the state as of its last
// catch_up()), so it is one point in time even while a writer runs.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "snowcache/cache.h"
#include "snowcache/snowflake.h"
#include "snowcache/status.h"

namespace snowcache {

// The kind names of the dump format, in dump order.
const std::vector<std::string_view>& dump_kinds();

struct DumpFilter {
  // Only this kind (one of dump_kinds()). Default: all.
  std::optional<std::string> kind;
  // Only entities scoped to this guild (the guild itself, its channels,
  // threads, roles, emojis, stickers, invites, members, presences, voice
  // states and messages). Default: all, including users, me, DM ids.
  std::optional<Snowflake> guild;
};

// Calls `line` with each dump line (without the newline), in dump order.
// Errors: Code::kInvalidArgument for an unknown kind; Code::kCorruption for a
// value that fails verification (the dump stops there); I/O errors.
Status dump(const Cache& cache, const DumpFilter& filter, const std::function<void(std::string_view line)>& line);

// One entity as Discord JSON (pretty-printed with 2-space indents when
// `pretty`), addressed as in the dump: `kind` and its key parts (one
// snowflake; guild and user for member/presence/voice_state; the code for
// invite; none for me). nullopt when absent.
// Errors: Code::kInvalidArgument for an unknown kind or a malformed key
// (naming which part), Code::kCorruption for a corrupt value.
Result<std::optional<std::string>> entity_json(const Cache& cache, std::string_view kind,
                                               const std::vector<std::string>& key, bool pretty);

}  // namespace snowcache
