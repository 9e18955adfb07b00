// The gateway ingest: one Discord dispatch = one Txn = one atomic batch,
// including the shard's session and sequence (semantics.md R4-R6,
// hikari-reference.md §6).
#include "snowcache/gateway.h"

#include <algorithm>
#include <charconv>
#include <cstring>
#include <functional>
#include <set>
#include <unordered_map>

#include "cache_state.h"
#include "entity_ops.h"
#include "json_fb.h"
#include "rules.h"

namespace snowcache {

using detail::Cf;
using detail::Kind;
using detail::Txn;
using detail::od::value;
namespace od = detail::od;

const char* outcome_name(Outcome o) {
  switch (o) {
    case Outcome::kApplied: return "applied";
    case Outcome::kDuplicate: return "duplicate";
    case Outcome::kIgnored: return "ignored";
    case Outcome::kRejected: return "rejected";
  }
  return "?";
}

namespace {

Result<std::optional<keys::SessionRecord>> load_session(const detail::Store& store, std::uint32_t shard) {
  auto raw = store.get(Cf::kMeta, keys::session_key(shard));
  if (!raw.ok()) return raw.status();
  if (!*raw) return std::optional<keys::SessionRecord>();
  auto s = keys::decode_session((*raw)->view());
  if (!s) return Status::Corruption("session of shard " + std::to_string(shard) + " is malformed");
  return std::optional<keys::SessionRecord>(std::move(*s));
}

Session to_session(std::uint32_t shard, const keys::SessionRecord& r) {
  return Session{shard, r.shard_count, r.session_id, r.resume_gateway_url, r.seq, r.user_id};
}

// A padded copy of a frame for simdjson.
struct Padded {
  std::string buf;
  std::size_t len = 0;
  void assign(std::string_view s) {
    len = s.size();
    buf.resize(s.size() + simdjson::SIMDJSON_PADDING);
    // An empty view may have a null data(): memcpy's source must not be null.
    if (!s.empty()) std::memcpy(buf.data(), s.data(), s.size());
    std::memset(buf.data() + s.size(), 0, simdjson::SIMDJSON_PADDING);
  }
  const char* data() const { return buf.data(); }
  const char* end() const { return buf.data() + buf.size(); }
};

// For error messages only: the top-level "t" and "s" of a frame that cannot
// be parsed (or is too large to be), found by a scan that skips strings and
// tracks nesting. Best effort: whatever it finds before the end or an error.
struct FrameHeader {
  std::string t;
  std::optional<std::int64_t> s;
};

FrameHeader peek_header(std::string_view f) {
  FrameHeader h;
  bool have_t = false, have_s = false;
  std::size_t i = 0;
  const std::size_t n = f.size();
  int depth = 0;
  auto skip_ws = [&] {
    while (i < n && (f[i] == ' ' || f[i] == '\t' || f[i] == '\n' || f[i] == '\r')) ++i;
  };
  // At f[i] == '"': the raw text up to the closing quote; false if unclosed.
  auto read_string = [&](std::string_view& out) {
    std::size_t start = ++i;
    while (i < n) {
      if (f[i] == '\\') {
        i += 2;
      } else if (f[i] == '"') {
        out = f.substr(start, i - start);
        ++i;
        return true;
      } else {
        ++i;
      }
    }
    return false;
  };
  while (i < n && !(have_t && have_s)) {
    char c = f[i];
    if (c == '"') {
      std::string_view str;
      if (!read_string(str)) break;
      if (depth != 1) continue;
      skip_ws();
      if (i >= n || f[i] != ':') continue;
      ++i;
      skip_ws();
      if (str == "t" && i < n && f[i] == '"') {
        std::string_view t;
        if (!read_string(t)) break;
        if (t.size() <= 64) h.t = std::string(t);
        have_t = true;
      } else if (str == "s") {
        std::size_t start = i;
        while (i < n && (f[i] == '-' || (f[i] >= '0' && f[i] <= '9'))) ++i;
        std::int64_t x = 0;
        auto [p, ec] = std::from_chars(f.data() + start, f.data() + i, x);
        if (i > start && ec == std::errc() && p == f.data() + i) h.s = x;
        have_s = true;
      }
      continue;
    }
    if (c == '{' || c == '[') ++depth;
    // Never below the top level: in a broken frame a stray bracket must not
    // hide the top-level keys after it.
    if ((c == '}' || c == ']') && depth > 1) --depth;
    ++i;
  }
  return h;
}

}  // namespace

Result<std::vector<Session>> sessions(const Cache& cache) {
  const auto& st = detail::Access::state(cache);
  std::vector<Session> out;
  rocksdb::ReadOptions ro;
  std::unique_ptr<rocksdb::Iterator> it(st->store->db()->NewIterator(ro, st->store->cf(Cf::kMeta)));
  for (it->Seek(std::string(keys::kMetaSessionPrefix)); it->Valid(); it->Next()) {
    std::string_view k(it->key().data(), it->key().size());
    if (!k.starts_with(keys::kMetaSessionPrefix)) break;
    auto shard = keys::session_shard(k);
    auto rec = keys::decode_session(std::string_view(it->value().data(), it->value().size()));
    if (!shard || !rec) return Status::Corruption("a stored session is malformed");
    out.push_back(to_session(*shard, *rec));
  }
  auto s = detail::to_status(it->status(), "read sessions");
  if (!s.ok()) return s;
  return out;
}

Result<std::optional<Session>> session(const Cache& cache, std::uint32_t shard) {
  auto r = load_session(*detail::Access::state(cache)->store, shard);
  if (!r.ok()) return r.status();
  if (!*r) return std::optional<Session>();
  return std::optional<Session>(to_session(shard, **r));
}

struct Gateway::Impl {
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

namespace {

// What a handler works with.
struct Event {
  Gateway::Impl& impl;
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

Status collect_list(value v, const std::string& path, RawList& out) {
  out.present = true;
  bool is_null = false;
  if (auto e = v.is_null().get(is_null)) return detail::json_error(e, path);
  if (is_null) return {};
  od::array arr;
  if (auto e = v.get_array().get(arr)) return detail::json_error(e, path);
  std::size_t n = 0;
  for (auto elem : arr) {
    od::value ev;
    std::string p = path + "[" + std::to_string(n++) + "]";
    if (auto e = elem.get(ev)) return detail::json_error(e, p);
    od::object obj;
    if (auto e = ev.get_object().get(obj)) return detail::json_error(e, p);
    std::string_view raw;
    if (auto e = obj.raw_json().get(raw)) return detail::json_error(e, p);
    out.items.push_back(raw);
  }
  return {};
}

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

Result<value> root(Event& ev) {
  od::value v;
  if (auto e = ev.doc.get_value().get(v)) return detail::json_error(e, "d");
  return v;
}

// Reads one field of `d` (then rewinds), as a snowflake.
Result<std::optional<std::uint64_t>> d_snowflake(Event& ev, std::string_view key) {
  ev.doc.rewind();
  od::value v;
  auto e = ev.doc.find_field_unordered(key).get(v);
  std::optional<std::uint64_t> out;
  if (e == simdjson::NO_SUCH_FIELD) {
    ev.doc.rewind();
    return out;
  }
  if (e) return detail::json_error(e, "d." + std::string(key));
  bool is_null = false;
  if (auto e2 = v.is_null().get(is_null)) return detail::json_error(e2, "d." + std::string(key));
  if (!is_null) {
    auto id = detail::json_snowflake(v, "d." + std::string(key));
    if (!id.ok()) return id.status();
    out = *id;
  }
  ev.doc.rewind();
  return out;
}

Result<std::uint64_t> d_required_snowflake(Event& ev, std::string_view key) {
  auto r = d_snowflake(ev, key);
  if (!r.ok()) return r.status();
  if (!*r) return Status::InvalidArgument("d." + std::string(key) + ": missing");
  return **r;
}

template <class T>
Status put(Txn& txn, const std::string& bytes) {
  return detail::put_entity<T>(txn, bytes).status();
}

// Replaces the guild's entities of kind T with `list` (also when empty).
template <class T>
Status replace(Event& ev, Snowflake guild, const RawList& list, const std::string& path) {
  SNOWCACHE_RETURN_IF_ERROR(detail::erase_for_guild<T>(ev.txn, guild));
  detail::JsonContext ctx;
  ctx.guild_id = guild.value();
  return each<T>(ev, list, path, ctx, [&](std::string b) { return put<T>(ev.txn, b); });
}

std::uint64_t bot_id(Event& ev) {
  if (ev.session.user_id) return ev.session.user_id;
  auto me = ev.txn.get(Cf::kMeta, keys::kMetaMe);
  if (me.ok() && *me) {
    auto v = Value<fb::OwnUser>::verify(*me, "me");
    if (v.ok()) return (*v)->id();
  }
  return 0;
}

// ---- handlers ---------------------------------------------------------------

Status on_ready(Event& ev) {
  auto d = root(ev);
  if (!d.ok()) return d.status();
  std::string user_raw;
  RawList guilds;
  keys::SessionRecord s = ev.session;
  s.session_id.clear();
  s.resume_gateway_url.clear();
  bool have_shard = false;
  od::object obj;
  if (auto e = d->get_object().get(obj)) return detail::json_error(e, "d");
  std::string me_bytes;
  for (auto f : obj) {
    std::string_view key;
    if (auto e = f.unescaped_key().get(key)) return detail::json_error(e, "d");
    od::value v = f.value();
    if (key == "user") {
      auto b = entity<fb::OwnUser>(ev.impl.fbb, v, "d.user");
      if (!b.ok()) return b.status();
      me_bytes = std::move(*b);
    } else if (key == "session_id") {
      std::string_view sv;
      if (auto e = v.get_string().get(sv)) return detail::json_error(e, "d.session_id");
      s.session_id = sv;
    } else if (key == "resume_gateway_url") {
      std::string_view sv;
      if (auto e = v.get_string().get(sv)) return detail::json_error(e, "d.resume_gateway_url");
      s.resume_gateway_url = sv;
    } else if (key == "guilds") {
      SNOWCACHE_RETURN_IF_ERROR(collect_list(v, "d.guilds", guilds));
    } else if (key == "shard") {
      od::array arr;
      if (auto e = v.get_array().get(arr)) return detail::json_error(e, "d.shard");
      std::vector<std::int64_t> pair;
      for (auto x : arr) {
        std::int64_t i;
        if (auto e = x.get_int64().get(i)) return detail::json_error(e, "d.shard");
        pair.push_back(i);
      }
      if (pair.size() != 2 || pair[1] < 1 || pair[0] < 0 || pair[0] >= pair[1]) {
        return Status::InvalidArgument("d.shard: expected [shard_id, shard_count]");
      }
      if (static_cast<std::uint32_t>(pair[0]) != ev.shard) {
        return Status::InvalidArgument("d.shard: READY for shard " + std::to_string(pair[0]) +
                                       " ingested as shard " + std::to_string(ev.shard));
      }
      s.shard_count = static_cast<std::uint32_t>(pair[1]);
      have_shard = true;
    }
  }
  if (me_bytes.empty()) return Status::InvalidArgument("d.user: missing");
  if (s.session_id.empty()) return Status::InvalidArgument("d.session_id: missing");
  if (!have_shard) s.shard_count = 1;
  // A READY of the stored session at or below the stored sequence is a replay
  // of one already applied (a real READY always starts a new session).
  if (ev.session.session_id == s.session_id && ev.seq && ev.session.seq && *ev.seq <= *ev.session.seq) {
    ev.duplicate = true;
    return {};
  }
  const auto* me = flatbuffers::GetRoot<fb::OwnUser>(me_bytes.data());
  s.user_id = me->id();
  if (ev.on(Components::kMe)) ev.txn.put(Cf::kMeta, keys::kMetaMe, me_bytes);

  // The guilds READY lists for this shard; everything else of this shard goes.
  std::set<std::uint64_t> listed;
  for (std::size_t i = 0; i < guilds.items.size(); ++i) {
    std::string p = "d.guilds[" + std::to_string(i) + "]";
    od::document doc;
    std::string_view raw = guilds.items[i];
    if (auto e = ev.impl.list_parser.iterate(raw.data(), raw.size(), static_cast<std::size_t>(ev.buf_end - raw.data())).get(doc)) {
      return detail::json_error(e, p);
    }
    od::value idv;
    if (auto e = doc.find_field_unordered("id").get(idv)) return detail::json_error(e, p + ".id");
    auto id = detail::json_snowflake(idv, p + ".id");
    if (!id.ok()) return id.status();
    listed.insert(*id);
  }
  std::set<std::uint64_t> cached;
  SNOWCACHE_RETURN_IF_ERROR(detail::cached_guild_ids(ev.txn, cached));
  for (std::uint64_t g : cached) {
    if (Snowflake(g).shard_of(s.shard_count) != ev.shard) continue;
    if (listed.count(g)) {
      auto r = detail::read_entity<fb::Guild>(ev.txn, keys::id(Snowflake(g)));
      if (!r.ok()) return r.status();
      if (*r && !(**r)->unavailable()) {
        auto native = (*r)->unpack();
        native->unavailable = true;
        SNOWCACHE_RETURN_IF_ERROR(put<fb::Guild>(ev.txn, detail::pack<fb::Guild>(*native)));
      }
      continue;
    }
    SNOWCACHE_RETURN_IF_ERROR(detail::erase_entity<fb::Guild>(ev.txn, keys::id(Snowflake(g))).status());
    SNOWCACHE_RETURN_IF_ERROR(detail::erase_guild_scope(ev.txn, Snowflake(g), Components::kAll));
  }
  ev.session = s;
  return {};
}

Status on_guild_create(Event& ev, bool is_update) {
  auto d = root(ev);
  if (!d.ok()) return d.status();
  RawList channels, threads, roles, emojis, stickers, members, presences, voice_states;
  std::unordered_map<std::string_view, RawList*> lists = {
      {"channels", &channels}, {"threads", &threads},       {"roles", &roles},
      {"emojis", &emojis},     {"stickers", &stickers},     {"members", &members},
      {"presences", &presences}, {"voice_states", &voice_states},
  };
  auto extra = [&](std::string_view key, od::value v) -> Status {
    auto it = lists.find(key);
    if (it == lists.end()) return {};
    return collect_list(v, "d." + std::string(key), *it->second);
  };
  auto guild_bytes = entity<fb::Guild>(ev.impl.fbb, *d, "d", {}, extra);
  if (!guild_bytes.ok()) return guild_bytes.status();
  const auto* g = flatbuffers::GetRoot<fb::Guild>(guild_bytes->data());
  Snowflake guild(g->id());
  if (!is_update && g->unavailable()) return {};  // an outage placeholder: nothing changes

  if (ev.on(Components::kGuilds)) {
    auto native = std::unique_ptr<fb::GuildT>(g->UnPack());
    native->unavailable = false;
    if (is_update || !native->member_count) {
      // GUILD_UPDATE lacks member_count, large and joined_at: keep them (D12).
      auto old = detail::read_entity<fb::Guild>(ev.txn, keys::id(guild));
      if (!old.ok()) return old.status();
      if (*old) {
        const fb::Guild& o = ***old;
        if (o.member_count()) native->member_count = *o.member_count();
        native->large = o.large();
        if (o.joined_at()) native->joined_at = o.joined_at()->str();
      }
    }
    SNOWCACHE_RETURN_IF_ERROR(put<fb::Guild>(ev.txn, detail::pack<fb::Guild>(*native)));
  }
  // Replace each list the payload carries, also when empty (D11).
  if (channels.present && ev.on(Components::kGuildChannels)) {
    SNOWCACHE_RETURN_IF_ERROR(replace<fb::GuildChannel>(ev, guild, channels, "d.channels"));
  }
  if (emojis.present && ev.on(Components::kEmojis)) {
    SNOWCACHE_RETURN_IF_ERROR(replace<fb::Emoji>(ev, guild, emojis, "d.emojis"));
  }
  if (stickers.present && ev.on(Components::kGuildStickers)) {
    SNOWCACHE_RETURN_IF_ERROR(replace<fb::Sticker>(ev, guild, stickers, "d.stickers"));
  }
  if (roles.present && ev.on(Components::kRoles)) {
    SNOWCACHE_RETURN_IF_ERROR(replace<fb::Role>(ev, guild, roles, "d.roles"));
  }
  if (is_update) return {};
  detail::JsonContext ctx;
  ctx.guild_id = guild.value();
  // Members and presences: a large guild's lists are partial (upsert), a
  // small guild's are complete (replace).
  bool large = g->large();
  // A large guild's sweep window opens: what is written from here on is kept
  // by the next complete member list (R5). Only when the guild has members or
  // presences from before: otherwise that list could sweep nothing (rules.h).
  bool sweep = false;
  if (large) {
    auto cached = detail::has_members_or_presences(ev.txn, guild);
    if (!cached.ok()) return cached.status();
    sweep = *cached;
  }
  SNOWCACHE_RETURN_IF_ERROR(detail::reset_sweep(ev.txn, guild, sweep));
  if (members.present && ev.on(Components::kMembers)) {
    if (!large) SNOWCACHE_RETURN_IF_ERROR(detail::erase_for_guild<fb::Member>(ev.txn, guild));
    std::uint64_t me = ev.st.settings.only_my_member ? bot_id(ev) : 0;
    SNOWCACHE_RETURN_IF_ERROR(each<fb::Member>(ev, members, "d.members", ctx, [&](std::string b) -> Status {
      if (me && flatbuffers::GetRoot<fb::Member>(b.data())->user()->id() != me) return {};
      return put<fb::Member>(ev.txn, b);
    }));
  }
  if (presences.present && ev.on(Components::kPresences)) {
    if (!large) SNOWCACHE_RETURN_IF_ERROR(detail::erase_for_guild<fb::Presence>(ev.txn, guild));
    SNOWCACHE_RETURN_IF_ERROR(each<fb::Presence>(ev, presences, "d.presences", ctx,
                                                 [&](std::string b) { return put<fb::Presence>(ev.txn, b); }));
  }
  if (voice_states.present && ev.on(Components::kVoiceStates)) {
    SNOWCACHE_RETURN_IF_ERROR(detail::erase_for_guild<fb::VoiceState>(ev.txn, guild));
    SNOWCACHE_RETURN_IF_ERROR(each<fb::VoiceState>(ev, voice_states, "d.voice_states", ctx, [&](std::string b) {
      return detail::put_voice_state(ev.txn, std::move(b)).status();
    }));
  }
  if (threads.present && ev.on(Components::kGuildThreads)) {
    SNOWCACHE_RETURN_IF_ERROR(replace<fb::Thread>(ev, guild, threads, "d.threads"));
  }
  return {};
}

Status on_guild_delete(Event& ev) {
  auto d = root(ev);
  if (!d.ok()) return d.status();
  auto id = d_required_snowflake(ev, "id");
  if (!id.ok()) return id.status();
  Snowflake guild(*id);
  ev.doc.rewind();
  bool unavailable = false;
  od::value uv;
  // Absent is "not unavailable"; any other error is malformed JSON, and the
  // document is then abandoned by simdjson (it must not be read again).
  if (auto found = ev.doc.find_field_unordered("unavailable").get(uv); found == simdjson::SUCCESS) {
    bool is_null = false;
    if (auto e = uv.is_null().get(is_null)) return detail::json_error(e, "d.unavailable");
    if (!is_null) {
      if (auto e = uv.get_bool().get(unavailable)) return detail::json_error(e, "d.unavailable");
    }
  } else if (found != simdjson::NO_SUCH_FIELD) {
    return detail::json_error(found, "d.unavailable");
  }
  if (unavailable) {
    // An outage: keep everything, mark the guild unavailable.
    if (!ev.on(Components::kGuilds)) return {};
    auto r = detail::read_entity<fb::Guild>(ev.txn, keys::id(guild));
    if (!r.ok()) return r.status();
    if (!*r) return {};
    auto native = (*r)->unpack();
    native->unavailable = true;
    return put<fb::Guild>(ev.txn, detail::pack<fb::Guild>(*native));
  }
  // Left, kicked or deleted: everything of the guild goes.
  SNOWCACHE_RETURN_IF_ERROR(detail::erase_entity<fb::Guild>(ev.txn, keys::id(guild)).status());
  return detail::erase_guild_scope(ev.txn, guild, Components::kAll);
}

bool is_guild_channel_type(int t) { return t == 0 || t == 2 || t == 4 || t == 5 || t == 13 || t == 14 || t == 15 || t == 16; }

Status on_channel_upsert(Event& ev) {
  if (!ev.on(Components::kGuildChannels)) return {};
  auto d = root(ev);
  if (!d.ok()) return d.status();
  auto b = entity<fb::GuildChannel>(ev.impl.fbb, *d, "d");
  if (!b.ok()) return b.status();
  const auto* c = flatbuffers::GetRoot<fb::GuildChannel>(b->data());
  if (!is_guild_channel_type(c->type())) return {};  // DMs and threads are not guild channels
  if (c->guild_id() == 0) return Status::InvalidArgument("d.guild_id: missing");
  return put<fb::GuildChannel>(ev.txn, *b);
}

Status on_channel_delete(Event& ev) {
  auto id = d_required_snowflake(ev, "id");
  if (!id.ok()) return id.status();
  auto gid = d_snowflake(ev, "guild_id");
  if (!gid.ok()) return gid.status();
  Snowflake channel(*id);
  if (ev.on(Components::kGuildChannels)) {
    SNOWCACHE_RETURN_IF_ERROR(detail::erase_entity<fb::GuildChannel>(ev.txn, keys::id(channel)).status());
  }
  if (!*gid) return {};
  Snowflake guild(**gid);
  // Its threads, its invites, and the messages sent in it (R5).
  if (ev.on(Components::kGuildThreads)) {
    auto ks = detail::index_entities(ev.txn, keys::index_prefix(keys::IndexTag::kThreadByGuild, guild, channel),
                                     1 + 2 * keys::kIdSize);
    if (!ks.ok()) return ks.status();
    for (const auto& k : *ks) SNOWCACHE_RETURN_IF_ERROR(detail::erase_entity<fb::Thread>(ev.txn, k).status());
  }
  if (ev.on(Components::kInvites)) {
    auto ks = detail::index_entities(ev.txn, keys::index_prefix(keys::IndexTag::kInviteByGuild, guild, channel),
                                     1 + 2 * keys::kIdSize);
    if (!ks.ok()) return ks.status();
    for (const auto& k : *ks) SNOWCACHE_RETURN_IF_ERROR(detail::erase_entity<fb::Invite>(ev.txn, k).status());
  }
  if (ev.on(Components::kMessages)) {
    auto ks = detail::index_entities(ev.txn, keys::index_prefix(keys::IndexTag::kMessageByChannel, channel),
                                     1 + keys::kIdSize);
    if (!ks.ok()) return ks.status();
    for (const auto& k : *ks) SNOWCACHE_RETURN_IF_ERROR(detail::erase_entity<fb::Message>(ev.txn, k).status());
  }
  return {};
}

Status on_thread_upsert(Event& ev) {
  if (!ev.on(Components::kGuildThreads)) return {};
  auto d = root(ev);
  if (!d.ok()) return d.status();
  auto b = entity<fb::Thread>(ev.impl.fbb, *d, "d");
  if (!b.ok()) return b.status();
  if (flatbuffers::GetRoot<fb::Thread>(b->data())->guild_id() == 0) return Status::InvalidArgument("d.guild_id: missing");
  return put<fb::Thread>(ev.txn, *b);
}

Status on_thread_delete(Event& ev) {
  if (!ev.on(Components::kGuildThreads)) return {};
  auto id = d_required_snowflake(ev, "id");
  if (!id.ok()) return id.status();
  return detail::erase_entity<fb::Thread>(ev.txn, keys::id(Snowflake(*id))).status();
}

Status on_thread_list_sync(Event& ev) {
  if (!ev.on(Components::kGuildThreads)) return {};
  auto d = root(ev);
  if (!d.ok()) return d.status();
  std::optional<std::uint64_t> guild;
  std::vector<std::uint64_t> channel_ids;
  RawList threads;
  od::object obj;
  if (auto e = d->get_object().get(obj)) return detail::json_error(e, "d");
  for (auto f : obj) {
    std::string_view key;
    if (auto e = f.unescaped_key().get(key)) return detail::json_error(e, "d");
    od::value v = f.value();
    if (key == "guild_id") {
      auto id = detail::json_snowflake(v, "d.guild_id");
      if (!id.ok()) return id.status();
      guild = *id;
    } else if (key == "channel_ids") {
      od::array arr;
      if (auto e = v.get_array().get(arr)) return detail::json_error(e, "d.channel_ids");
      std::size_t n = 0;
      for (auto x : arr) {
        od::value xv;
        std::string p = "d.channel_ids[" + std::to_string(n++) + "]";
        if (auto e = x.get(xv)) return detail::json_error(e, p);
        auto id = detail::json_snowflake(xv, p);
        if (!id.ok()) return id.status();
        channel_ids.push_back(*id);
      }
    } else if (key == "threads") {
      SNOWCACHE_RETURN_IF_ERROR(collect_list(v, "d.threads", threads));
    }
  }
  if (!guild) return Status::InvalidArgument("d.guild_id: missing");
  Snowflake g(*guild);
  if (channel_ids.empty()) {
    SNOWCACHE_RETURN_IF_ERROR(detail::erase_for_guild<fb::Thread>(ev.txn, g));
  } else {
    for (auto c : channel_ids) {
      auto ks = detail::index_entities(ev.txn, keys::index_prefix(keys::IndexTag::kThreadByGuild, g, Snowflake(c)),
                                       1 + 2 * keys::kIdSize);
      if (!ks.ok()) return ks.status();
      for (const auto& k : *ks) SNOWCACHE_RETURN_IF_ERROR(detail::erase_entity<fb::Thread>(ev.txn, k).status());
    }
  }
  detail::JsonContext ctx;
  ctx.guild_id = *guild;
  return each<fb::Thread>(ev, threads, "d.threads", ctx, [&](std::string b) { return put<fb::Thread>(ev.txn, b); });
}

Status on_thread_members_update(Event& ev) {
  if (!ev.on(Components::kGuildThreads)) return {};
  auto id = d_required_snowflake(ev, "id");
  if (!id.ok()) return id.status();
  std::uint64_t me = bot_id(ev);
  ev.doc.rewind();
  od::value v;
  auto e = ev.doc.find_field_unordered("removed_member_ids").get(v);
  if (e == simdjson::NO_SUCH_FIELD) return {};
  if (e) return detail::json_error(e, "d.removed_member_ids");
  od::array arr;
  if (auto e2 = v.get_array().get(arr)) return detail::json_error(e2, "d.removed_member_ids");
  bool removed_me = false;
  std::size_t n = 0;
  for (auto x : arr) {
    od::value xv;
    std::string p = "d.removed_member_ids[" + std::to_string(n++) + "]";
    if (auto e3 = x.get(xv)) return detail::json_error(e3, p);
    auto u = detail::json_snowflake(xv, p);
    if (!u.ok()) return u.status();
    if (me && *u == me) removed_me = true;
  }
  if (!removed_me) return {};
  return detail::erase_entity<fb::Thread>(ev.txn, keys::id(Snowflake(*id))).status();
}

Status on_member_upsert(Event& ev, bool is_add) {
  auto d = root(ev);
  if (!d.ok()) return d.status();
  auto b = entity<fb::Member>(ev.impl.fbb, *d, "d");
  if (!b.ok()) return b.status();
  const auto* m = flatbuffers::GetRoot<fb::Member>(b->data());
  if (m->guild_id() == 0) return Status::InvalidArgument("d.guild_id: missing");
  if (is_add) SNOWCACHE_RETURN_IF_ERROR(detail::adjust_member_count(ev.txn, Snowflake(m->guild_id()), +1));
  if (!ev.on(Components::kMembers)) return {};
  return put<fb::Member>(ev.txn, *b);
}

Status on_member_remove(Event& ev) {
  auto gid = d_required_snowflake(ev, "guild_id");
  if (!gid.ok()) return gid.status();
  ev.doc.rewind();
  od::value uv;
  if (auto e = ev.doc.find_field_unordered("user").get(uv)) return detail::json_error(e, "d.user");
  od::value idv;
  if (auto e = uv.find_field_unordered("id").get(idv)) return detail::json_error(e, "d.user.id");
  auto uid = detail::json_snowflake(idv, "d.user.id");
  if (!uid.ok()) return uid.status();
  SNOWCACHE_RETURN_IF_ERROR(detail::adjust_member_count(ev.txn, Snowflake(*gid), -1));
  if (!ev.on(Components::kMembers)) return {};
  return detail::erase_entity<fb::Member>(ev.txn, keys::pair(Snowflake(*gid), Snowflake(*uid))).status();
}

Status on_members_chunk(Event& ev) {
  auto gid = d_required_snowflake(ev, "guild_id");
  if (!gid.ok()) return gid.status();
  RawList members, presences;
  struct {
    std::string nonce;  // absent: ""
    std::uint32_t index = 0, count = 0;
    bool not_found = false;
  } chunk;
  bool have_index = false, have_count = false;
  od::object obj;
  if (auto e = ev.doc.get_object().get(obj)) return detail::json_error(e, "d");
  for (auto f : obj) {
    std::string_view key;
    if (auto e = f.unescaped_key().get(key)) return detail::json_error(e, "d");
    if (key == "members") SNOWCACHE_RETURN_IF_ERROR(collect_list(f.value(), "d.members", members));
    if (key == "presences") SNOWCACHE_RETURN_IF_ERROR(collect_list(f.value(), "d.presences", presences));
    if (key == "chunk_index" || key == "chunk_count") {
      std::uint64_t n = 0;
      if (auto e = f.value().get_uint64().get(n)) return detail::json_error(e, "d." + std::string(key));
      if (n > 0xffffffffU) return Status::InvalidArgument("d." + std::string(key) + ": out of range");
      (key == "chunk_index" ? chunk.index : chunk.count) = static_cast<std::uint32_t>(n);
      (key == "chunk_index" ? have_index : have_count) = true;
    }
    if (key == "nonce") {
      od::value v = f.value();
      bool is_null = false;
      if (auto e = v.is_null().get(is_null)) return detail::json_error(e, "d.nonce");
      if (!is_null) {
        std::string_view nonce;
        if (auto e = v.get_string().get(nonce)) return detail::json_error(e, "d.nonce");
        chunk.nonce = nonce;
      }
    }
    if (key == "not_found") {
      od::array a;
      if (auto e = f.value().get_array().get(a)) return detail::json_error(e, "d.not_found");
      for (auto el : a) {
        od::value v;
        if (auto e = el.get(v)) return detail::json_error(e, "d.not_found");
        SNOWCACHE_RETURN_IF_ERROR(detail::validate_json(v, "d.not_found[]"));
        chunk.not_found = true;
      }
    }
  }
  if (!have_index) return Status::InvalidArgument("d.chunk_index: missing");
  if (!have_count) return Status::InvalidArgument("d.chunk_count: missing");
  detail::JsonContext ctx;
  ctx.guild_id = *gid;
  if (ev.on(Components::kMembers)) {
    SNOWCACHE_RETURN_IF_ERROR(each<fb::Member>(ev, members, "d.members", ctx,
                                               [&](std::string b) { return put<fb::Member>(ev.txn, b); }));
  }
  if (ev.on(Components::kPresences)) {
    SNOWCACHE_RETURN_IF_ERROR(each<fb::Presence>(ev, presences, "d.presences", ctx,
                                                 [&](std::string b) { return put<fb::Presence>(ev.txn, b); }));
  }
  if (!ev.on(Components::kMembers) && !ev.on(Components::kPresences)) return {};
  return detail::record_chunk(ev.txn, Snowflake(*gid), chunk.nonce, chunk.index, chunk.count, members.items.size(),
                              chunk.not_found);
}

Status on_role_upsert(Event& ev) {
  if (!ev.on(Components::kRoles)) return {};
  auto gid = d_required_snowflake(ev, "guild_id");
  if (!gid.ok()) return gid.status();
  od::value rv;
  if (auto e = ev.doc.find_field_unordered("role").get(rv)) return detail::json_error(e, "d.role");
  detail::JsonContext ctx;
  ctx.guild_id = *gid;
  auto b = entity<fb::Role>(ev.impl.fbb, rv, "d.role", ctx);
  if (!b.ok()) return b.status();
  return put<fb::Role>(ev.txn, *b);
}

Status on_role_delete(Event& ev) {
  if (!ev.on(Components::kRoles)) return {};
  auto id = d_required_snowflake(ev, "role_id");
  if (!id.ok()) return id.status();
  return detail::erase_entity<fb::Role>(ev.txn, keys::id(Snowflake(*id))).status();
}

template <class T>
Status on_guild_list_update(Event& ev, Components c, std::string_view list_key) {
  if (!ev.on(c)) return {};
  auto gid = d_required_snowflake(ev, "guild_id");
  if (!gid.ok()) return gid.status();
  od::value lv;
  std::string path = "d." + std::string(list_key);
  if (auto e = ev.doc.find_field_unordered(list_key).get(lv)) return detail::json_error(e, path);
  RawList list;
  SNOWCACHE_RETURN_IF_ERROR(collect_list(lv, path, list));
  return replace<T>(ev, Snowflake(*gid), list, path);
}

Status on_invite_create(Event& ev) {
  if (!ev.on(Components::kInvites)) return {};
  auto d = root(ev);
  if (!d.ok()) return d.status();
  auto b = entity<fb::Invite>(ev.impl.fbb, *d, "d");
  if (!b.ok()) return b.status();
  if (flatbuffers::GetRoot<fb::Invite>(b->data())->code()->size() == 0) return Status::InvalidArgument("d.code: missing");
  return put<fb::Invite>(ev.txn, *b);
}

Status on_invite_delete(Event& ev) {
  if (!ev.on(Components::kInvites)) return {};
  od::value cv;
  if (auto e = ev.doc.find_field_unordered("code").get(cv)) return detail::json_error(e, "d.code");
  std::string_view code;
  if (auto e = cv.get_string().get(code)) return detail::json_error(e, "d.code");
  return detail::erase_entity<fb::Invite>(ev.txn, std::string(code)).status();
}

Status on_message_create(Event& ev) {
  auto d = root(ev);
  if (!d.ok()) return d.status();
  // The member of a guild message comes without its user: it is the author.
  auto author_off = std::make_shared<flatbuffers::uoffset_t>(0);
  detail::JsonContext ctx;
  auto& fbb = ev.impl.fbb;
  fbb.Clear();
  // First the author, so the member can share it.
  {
    ev.doc.rewind();
    od::value av;
    // Absent is checked below; any other error is malformed JSON, after which
    // simdjson has abandoned the document: rewinding it would crash.
    if (auto found = ev.doc.find_field_unordered("author").get(av); found == simdjson::SUCCESS) {
      auto off = detail::build_table(fbb, fb::UserTypeTable(), av, "d.author", {});
      if (!off.ok()) return off.status();
      *author_off = *off;
    } else if (found != simdjson::NO_SUCH_FIELD) {
      return detail::json_error(found, "d.author");
    }
    ev.doc.rewind();
  }
  ctx.member_user = [author_off](flatbuffers::FlatBufferBuilder&) { return *author_off; };
  auto guild_id = d_snowflake(ev, "guild_id");
  if (!guild_id.ok()) return guild_id.status();
  if (*guild_id) ctx.guild_id = **guild_id;
  auto v = root(ev);
  if (!v.ok()) return v.status();
  auto off = detail::build_table(fbb, fb::MessageTypeTable(), *v, "d", ctx);
  if (!off.ok()) return off.status();
  fbb.Finish(flatbuffers::Offset<fb::Message>(*off));
  std::string bytes(reinterpret_cast<const char*>(fbb.GetBufferPointer()), fbb.GetSize());
  {
    flatbuffers::Verifier verifier(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
    if (!verifier.VerifyBuffer<fb::Message>(nullptr)) return Status::InvalidArgument("d: a required field is missing");
  }
  const auto* m = flatbuffers::GetRoot<fb::Message>(bytes.data());
  if (!m->author()) return Status::InvalidArgument("d.author: missing");
  if (m->id() == 0) return Status::InvalidArgument("d.id: missing");
  if (ev.on(Components::kMessages)) {
    SNOWCACHE_RETURN_IF_ERROR(detail::put_message(ev.txn, bytes, ev.st.settings.max_messages).status());
  }
  // A DM from someone else records that user's DM channel (R4).
  if (!m->guild_id() && ev.on(Components::kDmChannelIds) && m->author()->id() != bot_id(ev)) {
    SNOWCACHE_RETURN_IF_ERROR(detail::record_dm_channel(ev.txn, Snowflake(m->author()->id()), Snowflake(m->channel_id()),
                                                        ev.st.settings.max_dm_channel_ids));
  }
  return {};
}

Status on_message_update(Event& ev) {
  if (!ev.on(Components::kMessages)) return {};
  auto id = d_required_snowflake(ev, "id");
  if (!id.ok()) return id.status();
  auto cached = detail::read_entity<fb::Message>(ev.txn, keys::id(Snowflake(*id)));
  if (!cached.ok()) return cached.status();
  if (!*cached) return {};  // an update never creates a message
  auto v = root(ev);
  if (!v.ok()) return v.status();
  detail::Present present;
  auto& fbb = ev.impl.fbb;
  fbb.Clear();
  detail::JsonContext ctx;
  ctx.skip = {"author", "member", "referenced_message"};  // never patched (R4)
  auto off = detail::build_table(fbb, fb::MessageTypeTable(), *v, "d", ctx, {}, &present);
  if (!off.ok()) return off.status();
  fbb.Finish(flatbuffers::Offset<fb::Message>(*off));
  std::unique_ptr<fb::MessageT> partial(flatbuffers::GetRoot<fb::Message>(fbb.GetBufferPointer())->UnPack());
  auto patched = (*cached)->unpack();
  auto has = [&](const char* name) {
    int i = detail::field_index(fb::MessageTypeTable(), name);
    return i >= 0 && present.test(static_cast<std::size_t>(i));
  };
  // Exactly the fields the payload carries; an empty array clears (R4).
  if (has("content")) patched->content = partial->content;
  if (has("edited_timestamp")) patched->edited_timestamp = partial->edited_timestamp;
  if (has("pinned")) patched->pinned = partial->pinned;
  if (has("attachments")) patched->attachments = std::move(partial->attachments);
  if (has("embeds")) patched->embeds = std::move(partial->embeds);
  if (has("mentions")) patched->mentions = std::move(partial->mentions);
  if (has("mention_roles")) patched->mention_roles = partial->mention_roles;
  if (has("mention_channels")) patched->mention_channels = std::move(partial->mention_channels);
  if (has("mention_everyone")) patched->mention_everyone = partial->mention_everyone;
  if (has("flags")) patched->flags = partial->flags;
  return detail::patch_message(ev.txn, std::move(*patched)).status();
}

Status on_message_delete(Event& ev) {
  if (!ev.on(Components::kMessages)) return {};
  auto id = d_required_snowflake(ev, "id");
  if (!id.ok()) return id.status();
  return detail::erase_entity<fb::Message>(ev.txn, keys::id(Snowflake(*id))).status();
}

Status on_message_delete_bulk(Event& ev) {
  if (!ev.on(Components::kMessages)) return {};
  od::value v;
  if (auto e = ev.doc.find_field_unordered("ids").get(v)) return detail::json_error(e, "d.ids");
  od::array arr;
  if (auto e = v.get_array().get(arr)) return detail::json_error(e, "d.ids");
  std::vector<std::uint64_t> ids;
  std::size_t n = 0;
  for (auto x : arr) {
    od::value xv;
    std::string p = "d.ids[" + std::to_string(n++) + "]";
    if (auto e = x.get(xv)) return detail::json_error(e, p);
    auto id = detail::json_snowflake(xv, p);
    if (!id.ok()) return id.status();
    ids.push_back(*id);
  }
  for (auto id : ids) SNOWCACHE_RETURN_IF_ERROR(detail::erase_entity<fb::Message>(ev.txn, keys::id(Snowflake(id))).status());
  return {};
}

Status on_presence_update(Event& ev) {
  if (!ev.on(Components::kPresences)) return {};
  auto d = root(ev);
  if (!d.ok()) return d.status();
  auto b = entity<fb::Presence>(ev.impl.fbb, *d, "d");
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
  if (!ev.on(Components::kVoiceStates)) return {};
  auto d = root(ev);
  if (!d.ok()) return d.status();
  auto gid = d_snowflake(ev, "guild_id");
  if (!gid.ok()) return gid.status();
  if (!*gid) return {};  // a DM call: not cached
  detail::JsonContext ctx;
  ctx.guild_id = **gid;
  auto v = root(ev);
  if (!v.ok()) return v.status();
  auto b = entity<fb::VoiceState>(ev.impl.fbb, *v, "d", ctx);
  if (!b.ok()) return b.status();
  const auto* vs = flatbuffers::GetRoot<fb::VoiceState>(b->data());
  if (vs->user_id() == 0) return Status::InvalidArgument("d.user_id: missing");
  if (!vs->channel_id()) {
    return detail::erase_entity<fb::VoiceState>(ev.txn, keys::pair(Snowflake(vs->guild_id()), Snowflake(vs->user_id())))
        .status();
  }
  return detail::put_voice_state(ev.txn, std::move(*b)).status();
}

Status on_user_update(Event& ev) {
  if (!ev.on(Components::kMe)) return {};
  auto d = root(ev);
  if (!d.ok()) return d.status();
  auto b = entity<fb::OwnUser>(ev.impl.fbb, *d, "d");
  if (!b.ok()) return b.status();
  ev.txn.put(Cf::kMeta, keys::kMetaMe, *b);
  return {};
}

using Handler = Status (*)(Event&);

const std::unordered_map<std::string_view, Handler>& handlers() {
  static const std::unordered_map<std::string_view, Handler> table = {
      {"READY", on_ready},
      {"GUILD_CREATE", [](Event& e) { return on_guild_create(e, false); }},
      {"GUILD_UPDATE", [](Event& e) { return on_guild_create(e, true); }},
      {"GUILD_DELETE", on_guild_delete},
      {"CHANNEL_CREATE", on_channel_upsert},
      {"CHANNEL_UPDATE", on_channel_upsert},
      {"CHANNEL_DELETE", on_channel_delete},
      {"THREAD_CREATE", on_thread_upsert},
      {"THREAD_UPDATE", on_thread_upsert},
      {"THREAD_DELETE", on_thread_delete},
      {"THREAD_LIST_SYNC", on_thread_list_sync},
      {"THREAD_MEMBERS_UPDATE", on_thread_members_update},
      {"GUILD_MEMBER_ADD", [](Event& e) { return on_member_upsert(e, true); }},
      {"GUILD_MEMBER_UPDATE", [](Event& e) { return on_member_upsert(e, false); }},
      {"GUILD_MEMBER_REMOVE", on_member_remove},
      {"GUILD_MEMBERS_CHUNK", on_members_chunk},
      {"GUILD_ROLE_CREATE", on_role_upsert},
      {"GUILD_ROLE_UPDATE", on_role_upsert},
      {"GUILD_ROLE_DELETE", on_role_delete},
      {"GUILD_EMOJIS_UPDATE", [](Event& e) { return on_guild_list_update<fb::Emoji>(e, Components::kEmojis, "emojis"); }},
      {"GUILD_STICKERS_UPDATE",
       [](Event& e) { return on_guild_list_update<fb::Sticker>(e, Components::kGuildStickers, "stickers"); }},
      {"INVITE_CREATE", on_invite_create},
      {"INVITE_DELETE", on_invite_delete},
      {"MESSAGE_CREATE", on_message_create},
      {"MESSAGE_UPDATE", on_message_update},
      {"MESSAGE_DELETE", on_message_delete},
      {"MESSAGE_DELETE_BULK", on_message_delete_bulk},
      {"PRESENCE_UPDATE", on_presence_update},
      {"VOICE_STATE_UPDATE", on_voice_state_update},
      {"USER_UPDATE", on_user_update},
  };
  return table;
}

IngestResult rejected(std::string event, std::optional<std::int64_t> seq, const Status& why) {
  std::string where = event.empty() ? std::string("frame") : event;
  if (seq) where += " s=" + std::to_string(*seq);
  return IngestResult{Outcome::kRejected, std::move(event), seq,
                      Status(why.code(), where + ": " + why.message())};
}

}  // namespace

IngestResult Gateway::Impl::dispatch(std::uint32_t shard, std::string_view event, std::optional<std::int64_t> seq,
                                     const char* d, std::size_t d_len, std::size_t d_capacity, const Whole& whole) {
  std::string name(event);
  Txn txn(*state->writer);
  if (auto s = txn.usable(); !s.ok()) return rejected(name, seq, s);
  auto raw = txn.get(Cf::kMeta, keys::session_key(shard));
  if (!raw.ok()) return rejected(name, seq, raw.status());
  keys::SessionRecord session;
  if (*raw) {
    auto dec = keys::decode_session((*raw)->view());
    if (!dec) return rejected(name, seq, Status::Corruption("the stored session of shard " + std::to_string(shard) + " is malformed"));
    session = std::move(*dec);
  }
  bool is_ready = event == "READY";
  if (!is_ready && seq && session.seq && *seq <= *session.seq) {
    return IngestResult{Outcome::kDuplicate, name, seq, {}};
  }
  const auto& table = handlers();
  auto h = table.find(event);
  Outcome outcome = Outcome::kIgnored;
  if (h != table.end()) {
    od::document doc;
    if (auto e = d_parser.iterate(d, d_len, d_capacity).get(doc)) return rejected(name, seq, detail::json_error(e, "d"));
    od::json_type t;
    if (auto e = doc.type().get(t)) return rejected(name, seq, detail::json_error(e, "d"));
    if (t != od::json_type::object) return rejected(name, seq, Status::InvalidArgument("d: expected an object"));
    Event ev{*this, txn, *state, shard, session, doc, d + d_capacity, seq};
    Status s = h->second(ev);
    if (!s.ok()) return rejected(name, seq, s);
    if (ev.duplicate) return IngestResult{Outcome::kDuplicate, name, seq, {}};
    outcome = Outcome::kApplied;
  }
  // The whole frame must be well-formed JSON, also the parts no handler read
  // (On-Demand skips them unchecked), and for ignored dispatches.
  if (auto e = check(whole)) return rejected(name, seq, detail::json_error(e, whole.label));
  if (is_ready || seq) {
    if (seq) session.seq = *seq;
    txn.put(Cf::kMeta, keys::session_key(shard), keys::encode_session(session));
  }
  if (auto s = txn.commit(); !s.ok()) return rejected(name, seq, s);
  return IngestResult{outcome, name, seq, {}};
}

Gateway::Gateway(MutableCache& cache) : impl_(std::make_unique<Impl>()) { impl_->state = detail::Access::state(cache); }
Gateway::~Gateway() = default;

void Gateway::set_max_frame_bytes(std::size_t n) { impl_->max_frame = n; }

IngestResult Gateway::ingest(std::uint32_t shard, std::string_view event, std::optional<std::int64_t> sequence,
                             std::string_view payload) {
  if (payload.size() > impl_->max_frame) {
    return rejected(std::string(event), sequence,
                    Status::InvalidArgument("payload of " + std::to_string(payload.size()) + " bytes exceeds the limit of " +
                                            std::to_string(impl_->max_frame)));
  }
  impl_->frame.assign(payload);
  const Impl::Whole whole{impl_->frame.data(), impl_->frame.len, impl_->frame.buf.size(), "d"};
  return impl_->dispatch(shard, event, sequence, impl_->frame.data(), impl_->frame.len, impl_->frame.buf.size(),
                         whole);
}

IngestResult Gateway::ingest_frame(std::uint32_t shard, std::string_view frame) {
  auto& im = *impl_;
  std::optional<std::int64_t> op, seq;
  std::string event;
  // A rejection names the event and sequence, from a peek at the raw frame
  // when the parse did not get to them.
  auto reject = [&](const Status& why) {
    std::string t = event;
    std::optional<std::int64_t> s = seq;
    if (t.empty() || !s) {
      FrameHeader h = peek_header(frame);
      if (t.empty()) t = std::move(h.t);
      if (!s) s = h.s;
    }
    return rejected(std::move(t), s, why);
  };
  if (frame.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    return reject(Status::InvalidArgument("empty frame"));
  }
  if (frame.size() > im.max_frame) {
    return reject(Status::InvalidArgument("frame of " + std::to_string(frame.size()) + " bytes exceeds the limit of " +
                                          std::to_string(im.max_frame)));
  }
  im.frame.assign(frame);
  od::document doc;
  if (auto e = im.frame_parser.iterate(im.frame.data(), im.frame.len, im.frame.buf.size()).get(doc)) {
    return reject(detail::json_error(e, "frame"));
  }
  od::object obj;
  if (auto e = doc.get_object().get(obj)) {
    return reject(e == simdjson::INCORRECT_TYPE ? Status::InvalidArgument("frame: not a JSON object")
                                                : detail::json_error(e, "frame"));
  }
  bool have_t = false;
  std::string_view d_raw;
  for (auto f : obj) {
    std::string_view key;
    if (auto e = f.unescaped_key().get(key)) return reject(detail::json_error(e, "frame"));
    od::value v = f.value();
    bool is_null = false;
    if (auto e = v.is_null().get(is_null)) return reject(detail::json_error(e, "frame." + std::string(key)));
    if (key == "op") {
      std::int64_t x;
      if (auto e = v.get_int64().get(x)) return reject(detail::json_error(e, "frame.op"));
      op = x;
    } else if (key == "s") {
      if (is_null) continue;
      std::int64_t x;
      if (auto e = v.get_int64().get(x)) return reject(detail::json_error(e, "frame.s"));
      seq = x;
    } else if (key == "t") {
      if (is_null) continue;
      std::string_view t;
      if (auto e = v.get_string().get(t)) return reject(detail::json_error(e, "frame.t"));
      event = t;
      have_t = true;
    } else if (key == "d") {
      od::json_type jt;
      if (auto e = v.type().get(jt)) return reject(detail::json_error(e, "frame.d"));
      if (jt == od::json_type::object) {
        od::object dobj;
        if (auto e = v.get_object().get(dobj)) return reject(detail::json_error(e, "frame.d"));
        if (auto e = dobj.raw_json().get(d_raw)) return reject(detail::json_error(e, "frame.d"));
      } else if (jt == od::json_type::array) {
        od::array darr;
        if (auto e = v.get_array().get(darr)) return reject(detail::json_error(e, "frame.d"));
        if (auto e = darr.raw_json().get(d_raw)) return reject(detail::json_error(e, "frame.d"));
      } else {
        d_raw = v.raw_json_token();
      }
    } else {
      // Not ours, but the frame must still be well-formed JSON.
      if (auto st = detail::validate_json(v, "frame." + std::string(key)); !st.ok()) return reject(st);
    }
  }
  const Impl::Whole whole{im.frame.data(), im.frame.len, im.frame.buf.size(), "frame"};
  // A frame that lacks a part may be one whose JSON broke before it: say so.
  auto reject_shape = [&](const std::string& what) {
    if (auto e = im.check(whole)) return reject(detail::json_error(e, "frame"));
    return reject(Status::InvalidArgument(what));
  };
  if (!op) return reject_shape("frame.op: missing");
  switch (*op) {
    case 0: break;
    case 1: case 7: case 9: case 10: case 11:
      // Heartbeat, reconnect, invalid session, hello, heartbeat ACK: not cache-affecting.
      return IngestResult{Outcome::kIgnored, "", std::nullopt, {}};
    default:
      return reject_shape("frame.op: unknown op " + std::to_string(*op));
  }
  if (!have_t) return reject_shape("frame.t: missing in a dispatch");
  if (d_raw.empty()) return reject_shape("frame.d: missing in a dispatch");
  std::size_t cap = static_cast<std::size_t>(im.frame.end() - d_raw.data());
  return im.dispatch(shard, event, seq, d_raw.data(), d_raw.size(), cap, whole);
}

}  // namespace snowcache
