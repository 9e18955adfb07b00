// The gateway's frame envelope: a frame parsed once, the shard's session
// read, a duplicate skipped, the event's handler run (gateway/event.h), the
// new sequence written, one commit (semantics.md R5-R6).
#include <algorithm>
#include <charconv>
#include <cstring>
#include <unordered_map>

#include "gateway/event.h"

namespace snowcache {

using detail::Cf;
using detail::Txn;

const char* outcome_name(Outcome o) {
  switch (o) {
    case Outcome::kApplied: return "applied";
    case Outcome::kDuplicate: return "duplicate";
    case Outcome::kIgnored: return "ignored";
    case Outcome::kRejected: return "rejected";
  }
  return "?";
}

void Padded::assign(std::string_view s) {
  len = s.size();
  buf.resize(s.size() + simdjson::SIMDJSON_PADDING);
  // An empty view may have a null data(): memcpy's source must not be null.
  if (!s.empty()) std::memcpy(buf.data(), s.data(), s.size());
  std::memset(buf.data() + s.size(), 0, simdjson::SIMDJSON_PADDING);
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


using namespace gw;  // the handlers
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
      {"GUILD_EMOJIS_UPDATE", on_emojis_update},
      {"GUILD_STICKERS_UPDATE", on_stickers_update},
      {"INVITE_CREATE", on_invite_create},
      {"INVITE_DELETE", on_invite_delete},
      {"MESSAGE_CREATE", on_message_create},
      {"MESSAGE_UPDATE", on_message_update},
      {"MESSAGE_DELETE", on_message_delete},
      {"MESSAGE_DELETE_BULK", on_message_delete_bulk},
      {"PRESENCE_UPDATE", on_presence_update},
      {"VOICE_STATE_UPDATE", on_voice_state_update},
      {"USER_UPDATE", on_user_update},
      {"TYPING_START", on_typing_start},
      {"MESSAGE_REACTION_ADD", on_reaction_add},
      {"INTERACTION_CREATE", on_interaction_create},
      {"GUILD_BAN_ADD", on_guild_ban},
      {"GUILD_BAN_REMOVE", on_guild_ban},
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

IngestResult detail::GatewayImpl::dispatch(std::uint32_t shard, std::string_view event, std::optional<std::int64_t> seq,
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

Gateway::Gateway(MutableCache& cache) : impl_(std::make_unique<detail::GatewayImpl>()) { impl_->state = detail::Access::state(cache); }
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
  const detail::GatewayImpl::Whole whole{impl_->frame.data(), impl_->frame.len, impl_->frame.buf.size(), "d"};
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
  const detail::GatewayImpl::Whole whole{im.frame.data(), im.frame.len, im.frame.buf.size(), "frame"};
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

