// gateway/event.h — what the gateway's handlers share (gateway/*.cc): the
// Gateway's parsers and buffers, the Event a handler works on, and the JSON
// reading helpers. One handler per dispatch of hikari-reference.md §6, in
// one file per event family:
//   frame.cc          the frame envelope, sessions, duplicates, rejections,
//                     the dispatch table
//   ready.cc          READY (the session, and the shard's guilds reconciled)
//   guild.cc          GUILD_CREATE / UPDATE / DELETE, roles, emojis,
//                     stickers, invites
//   channel.cc        CHANNEL_*, THREAD_*
//   member.cc         GUILD_MEMBER_*, GUILD_MEMBERS_CHUNK, bans,
//                     INTERACTION_CREATE
//   message.cc        MESSAGE_*, reactions
//   presence_voice.cc PRESENCE_UPDATE, VOICE_STATE_UPDATE, USER_UPDATE,
//                     TYPING_START
//   json_read.cc      the helpers below
// Handlers stage everything in the event's Txn; an error rejects the event
// whole (the Txn is destroyed unwritten).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/cache_state.h"
#include "model/entity_ops.h"
#include "json/json_fb.h"
#include "model/objects.h"
#include "model/guild_scope.h"
#include "model/rules.h"
#include "snowcache/gateway.h"

namespace snowcache {

namespace od = detail::od;

// A padded copy of a frame for simdjson.
struct Padded {
  std::string buf;
  std::size_t len = 0;
  void assign(std::string_view s);
  const char* data() const { return buf.data(); }
  const char* end() const { return buf.data() + buf.size(); }
};

// The Gateway's state (gateway.h holds it opaquely).
struct detail::GatewayImpl {
  std::shared_ptr<detail::CacheState> state;
  od::parser frame_parser;
  od::parser d_parser;
  od::parser list_parser;
  simdjson::dom::parser validator;  // checks the parts no handler reads
  Padded frame;
  std::size_t max_frame = std::size_t{64} << 20;
  flatbuffers::FlatBufferBuilder fbb{1024};

  // The JSON text a dispatch must be as a whole (the frame, or the split
  // form's payload), checked by a full parse once the handler succeeded.
  struct Whole {
    const char* data;
    std::size_t len, capacity;
    const char* label;  // "frame" or "d"
  };
  simdjson::error_code check(const Whole& w) {
    bool realloc = w.capacity < w.len + simdjson::SIMDJSON_PADDING;
    return validator.parse(reinterpret_cast<const std::uint8_t*>(w.data), w.len, realloc).error();
  }

  IngestResult dispatch(std::uint32_t shard, std::string_view event, std::optional<std::int64_t> seq, const char* d,
                        std::size_t d_len, std::size_t d_capacity, const Whole& whole);
};

namespace gw {

using detail::Cf;
using detail::Kind;
using detail::Txn;
using od::value;

// What a handler works with.
struct Event {
  detail::GatewayImpl& impl;
  Txn& txn;
  detail::CacheState& st;
  std::uint32_t shard;
  keys::SessionRecord& session;
  od::document& doc;
  const char* buf_end;  // end of the padded buffer the JSON lives in
  std::optional<std::int64_t> seq;  // the frame's `s`
  bool duplicate = false;  // set by a handler that finds the event already applied

  bool on(Components c) const { return st.enabled(c); }
};

// Builds a standalone FlatBuffer of T from a JSON object.
template <class T>
Result<std::string> entity(flatbuffers::FlatBufferBuilder& fbb, value v, const std::string& path,
                           const detail::JsonContext& ctx = {}, const detail::ExtraKey& extra = {},
                           detail::Present* present = nullptr) {
  fbb.Clear();
  auto off = detail::build_table(fbb, T::MiniReflectTypeTable(), v, path, ctx, extra, present);
  if (!off.ok()) return off.status();
  fbb.Finish(flatbuffers::Offset<T>(*off));
  std::string out(reinterpret_cast<const char*>(fbb.GetBufferPointer()), fbb.GetSize());
  // The verifier also checks the schema's required fields.
  flatbuffers::Verifier verifier(reinterpret_cast<const std::uint8_t*>(out.data()), out.size());
  if (!verifier.VerifyBuffer<T>(nullptr)) {
    return Status::InvalidArgument(path + ": a required field is missing");
  }
  return out;
}

// The JSON of each element of a list, to be parsed in turn.
struct RawList {
  std::vector<std::string_view> items;
  bool present = false;
};

Status collect_list(value v, const std::string& path, RawList& out);

// Parses each raw element of `list` as a T and calls fn(bytes).
template <class T, class Fn>
Status each(Event& ev, const RawList& list, const std::string& path, const detail::JsonContext& ctx, Fn&& fn) {
  for (std::size_t i = 0; i < list.items.size(); ++i) {
    std::string p = path + "[" + std::to_string(i) + "]";
    std::string_view raw = list.items[i];
    od::document doc;
    std::size_t cap = static_cast<std::size_t>(ev.buf_end - raw.data());
    if (auto e = ev.impl.list_parser.iterate(raw.data(), raw.size(), cap).get(doc)) return detail::json_error(e, p);
    od::value v;
    if (auto e = doc.get_value().get(v)) return detail::json_error(e, p);
    auto bytes = entity<T>(ev.impl.fbb, v, p, ctx);
    if (!bytes.ok()) return bytes.status();
    SNOWCACHE_RETURN_IF_ERROR(fn(std::move(*bytes)));
  }
  return {};
}

// The event's `d` as a value (rewound to its start).
Result<value> root(Event& ev);
// Reads one field of `d` (then rewinds), as a snowflake; nullopt when absent or null.
Result<std::optional<std::uint64_t>> d_snowflake(Event& ev, std::string_view key);
Result<std::uint64_t> d_required_snowflake(Event& ev, std::string_view key);
// A JSON array of snowflakes at `path`.
Result<std::vector<std::uint64_t>> snowflake_array(value v, const std::string& path);
// Calls fn(key, value) for each field of `d`, in order; stops at an error.
// A value fn leaves unread is skipped (On-Demand: unchecked; the frame is
// validated whole afterwards).
Status for_each_d_field(Event& ev, const std::function<Status(std::string_view key, value v)>& fn);
// Field `key` of `d`; nullopt when absent or null. The document is left
// positioned in it: read it before the next d_* call.
Result<std::optional<value>> d_field(Event& ev, std::string_view key);
// Field `key` of `d` built as a T (entity() below); nullopt when absent or null.
template <class T>
Result<std::optional<std::string>> d_entity(Event& ev, std::string_view key, const detail::JsonContext& ctx = {});

// The member object at `d.key` (if any) refreshes a cached member of `guild`
// whose user is its own or `owner` (objects.h, MemberWrite::kRefresh).
Status refresh_member(Event& ev, std::string_view key, std::uint64_t guild, std::uint64_t owner);
// The member object of an event that names its guild and user in guild_id
// and user_id (TYPING_START, MESSAGE_REACTION_ADD) refreshes a cached member.
Status refresh_event_member(Event& ev);
// The user object at `d.key` (if any) changes a user record as `how` says.
Status refresh_user(Event& ev, std::string_view key, detail::UserWrite how);
// The bot's user id: the session's, else me's; 0 when unknown.
std::uint64_t bot_id(Event& ev);

template <class T>
Status put(Txn& txn, const std::string& bytes) {
  return detail::put_entity<T>(txn, bytes).status();
}

// Stores `bytes` (a T) when its kind is enabled; else the user and member
// objects it carries refresh the cached records (E1, E2).
template <class T>
Status put_or_refresh(Event& ev, const std::string& bytes) {
  if (ev.on(Kind<T>::component)) return put<T>(ev.txn, bytes);
  return detail::refresh_objects<T>(ev.txn, bytes);
}

// The objects a list of T carries refresh cached records (its kind disabled).
template <class T>
Status refresh_list(Event& ev, const RawList& list, const std::string& path, std::uint64_t guild) {
  if (!detail::object_fields<T>().any() && !std::is_same_v<T, fb::Member>) return {};
  detail::JsonContext ctx;
  ctx.guild_id = guild;
  return each<T>(ev, list, path, ctx, [&](std::string b) { return detail::refresh_objects<T>(ev.txn, b); });
}

// replace() when T's kind is enabled, else refresh_list().
template <class T>
Status replace_or_refresh(Event& ev, Snowflake guild, const RawList& list, const std::string& path);

// Replaces the guild's entities of kind T with `list` (also when empty).
template <class T>
Status replace(Event& ev, Snowflake guild, const RawList& list, const std::string& path) {
  SNOWCACHE_RETURN_IF_ERROR(detail::erase_for_guild<T>(ev.txn, guild));
  detail::JsonContext ctx;
  ctx.guild_id = guild.value();
  return each<T>(ev, list, path, ctx, [&](std::string b) { return put<T>(ev.txn, b); });
}

template <class T>
Status replace_or_refresh(Event& ev, Snowflake guild, const RawList& list, const std::string& path) {
  if (ev.on(Kind<T>::component)) return replace<T>(ev, guild, list, path);
  return refresh_list<T>(ev, list, path, guild.value());
}

template <class T>
Result<std::optional<std::string>> d_entity(Event& ev, std::string_view key, const detail::JsonContext& ctx) {
  auto v = d_field(ev, key);
  if (!v.ok()) return v.status();
  if (!*v) return std::optional<std::string>();
  auto bytes = entity<T>(ev.impl.fbb, **v, "d." + std::string(key), ctx);
  if (!bytes.ok()) return bytes.status();
  ev.doc.rewind();
  return std::optional<std::string>(std::move(*bytes));
}

// The whole `d` built as a T (entity() above).
template <class T>
Result<std::string> d_entity_root(Event& ev, const detail::JsonContext& ctx = {}) {
  auto d = root(ev);
  if (!d.ok()) return d.status();
  return entity<T>(ev.impl.fbb, *d, "d", ctx);
}

// Erases the T whose id is `d.key` (required), when T's kind is enabled.
template <class T>
Status erase_by_d_id(Event& ev, std::string_view key) {
  if (!ev.on(Kind<T>::component)) return {};
  auto id = d_required_snowflake(ev, key);
  if (!id.ok()) return id.status();
  return detail::erase_entity<T>(ev.txn, keys::id(Snowflake(*id))).status();
}

// --- handlers (one file per family; see the top of this file) ---
Status on_ready(Event& ev);
Status on_guild_create(Event& ev, bool is_update);
Status on_guild_delete(Event& ev);
Status on_role_upsert(Event& ev);
Status on_role_delete(Event& ev);
Status on_emojis_update(Event& ev);
Status on_stickers_update(Event& ev);
Status on_invite_create(Event& ev);
Status on_invite_delete(Event& ev);
Status on_channel_upsert(Event& ev);
Status on_channel_delete(Event& ev);
Status on_thread_upsert(Event& ev);
Status on_thread_delete(Event& ev);
Status on_thread_list_sync(Event& ev);
Status on_thread_members_update(Event& ev);
Status on_member_upsert(Event& ev, bool is_add);
Status on_member_remove(Event& ev);
Status on_members_chunk(Event& ev);
Status on_message_create(Event& ev);
Status on_message_update(Event& ev);
Status on_message_delete(Event& ev);
Status on_message_delete_bulk(Event& ev);
Status on_presence_update(Event& ev);
Status on_voice_state_update(Event& ev);
Status on_user_update(Event& ev);
Status on_typing_start(Event& ev);
Status on_reaction_add(Event& ev);
Status on_interaction_create(Event& ev);
Status on_guild_ban(Event& ev);

}  // namespace gw
}  // namespace snowcache
