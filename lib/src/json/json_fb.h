// json_fb — Discord JSON straight into FlatBuffers, driven by the generated
// type tables (flatc --reflect-names).
//
// The schemas use Discord's field names, so one generic walker builds any
// table: for each key of a JSON object (one pass, simdjson On-Demand) it finds
// the field of that name and reads the value as the field's type. Discord's
// shapes are accepted: snowflakes and bitfields as strings (or numbers), null
// as absent, unknown keys ignored. The few places where Discord's JSON and
// the schema differ are a small rename table in json_fb.cc (a presence's
// `user: {id}` is its `user_id`, an invite's `guild: {id}` its `guild_id`, a
// message's `"referenced_message": null` its `referenced_message_deleted`, ...).
//
// Errors are InvalidArgument statuses naming the path of the bad value
// ("d.members[2].user.id: not a snowflake").
#pragma once

#include <bitset>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <flatbuffers/flatbuffers.h>
#include <flatbuffers/minireflect.h>
#include <simdjson.h>

#include "model/fb_copy.h"  // field_index
#include "snowcache/status.h"

namespace snowcache::detail {

namespace od = simdjson::ondemand;

// Which fields of a table the JSON object carried (by field index).
using Present = FieldSet;

// Values injected into a table when its JSON lacks them: the enclosing
// guild's id (GUILD_CREATE lists, chunks), and for a message's member the
// author's user.
struct JsonContext {
  std::optional<std::uint64_t> guild_id;
  // Called for a table of type Member without `user`: may return the offset
  // of a User table built in the same builder (0 for none).
  std::function<flatbuffers::uoffset_t(flatbuffers::FlatBufferBuilder&)> member_user;
  // Keys left unread in the top-level object (a partial update's parts it
  // never uses); nested objects are read whole.
  std::vector<std::string_view> skip;
  // When set, receives the fields of the top-level object whose JSON value
  // was null (a partial object saying the field is now unset).
  Present* nulls = nullptr;
};

// Called with keys the table has no field for. Returns an error to reject
// the object; OK to go on (the value may be left unread: it is skipped).
using ExtraKey = std::function<Status(std::string_view key, od::value value)>;

// Builds a table of type `tt` from the JSON object `v` into `fbb` and returns
// its offset. `path` names `v` in errors. `present`, when given, receives the
// fields the object carried.
Result<flatbuffers::uoffset_t> build_table(flatbuffers::FlatBufferBuilder& fbb, const flatbuffers::TypeTable* tt,
                                           od::value v, const std::string& path, const JsonContext& ctx,
                                           const ExtraKey& extra = {}, Present* present = nullptr);


// A JSON snowflake: a decimal string (Discord) or a non-negative integer.
Result<std::uint64_t> json_snowflake(od::value v, const std::string& path);

// Reads `v` through (On-Demand skips what it is not asked for without
// checking it): a value no handler needs must still be well-formed JSON.
Status validate_json(od::value v, const std::string& path, int depth = 0);

// The message of a simdjson error as a Status at `path`.
Status json_error(simdjson::error_code e, const std::string& path);

}  // namespace snowcache::detail
