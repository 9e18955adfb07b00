// The JSON reading helpers of the gateway handlers (gateway/event.h).
#include "gateway/event.h"

namespace snowcache::gw {

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

Result<value> root(Event& ev) {
  ev.doc.rewind();
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

Result<std::vector<std::uint64_t>> snowflake_array(value v, const std::string& path) {
  od::array arr;
  if (auto e = v.get_array().get(arr)) return detail::json_error(e, path);
  std::vector<std::uint64_t> out;
  std::size_t n = 0;
  for (auto x : arr) {
    od::value xv;
    std::string p = path + "[" + std::to_string(n++) + "]";
    if (auto e = x.get(xv)) return detail::json_error(e, p);
    auto id = detail::json_snowflake(xv, p);
    if (!id.ok()) return id.status();
    out.push_back(*id);
  }
  return out;
}

Status for_each_d_field(Event& ev, const std::function<Status(std::string_view key, value v)>& fn) {
  auto d = root(ev);
  if (!d.ok()) return d.status();
  od::object obj;
  if (auto e = d->get_object().get(obj)) return detail::json_error(e, "d");
  for (auto f : obj) {
    std::string_view key;
    if (auto e = f.unescaped_key().get(key)) return detail::json_error(e, "d");
    SNOWCACHE_RETURN_IF_ERROR(fn(key, f.value()));
  }
  return {};
}

Status refresh_event_member(Event& ev) {
  auto guild = d_snowflake(ev, "guild_id");
  if (!guild.ok()) return guild.status();
  auto user = d_snowflake(ev, "user_id");
  if (!user.ok()) return user.status();
  return refresh_member(ev, "member", guild->value_or(0), user->value_or(0));
}

Result<std::optional<value>> d_field(Event& ev, std::string_view key) {
  ev.doc.rewind();
  od::value v;
  auto e = ev.doc.find_field_unordered(key).get(v);
  if (e == simdjson::NO_SUCH_FIELD) {
    ev.doc.rewind();
    return std::optional<value>();
  }
  if (e) return detail::json_error(e, "d." + std::string(key));
  bool is_null = false;
  if (auto e2 = v.is_null().get(is_null)) return detail::json_error(e2, "d." + std::string(key));
  if (is_null) return std::optional<value>();
  return std::optional<value>(v);
}

Status refresh_member(Event& ev, std::string_view key, std::uint64_t guild, std::uint64_t owner) {
  if (guild == 0) return {};  // outside a guild: no member
  detail::JsonContext ctx;
  ctx.guild_id = guild;
  // A member object without its user names it by the event's user id.
  if (owner != 0) {
    ctx.member_user = [owner](flatbuffers::FlatBufferBuilder& fbb) { return detail::user_reference(fbb, owner); };
  }
  auto bytes = d_entity<fb::Member>(ev, key, ctx);
  if (!bytes.ok() || !*bytes) return bytes.status();
  const auto& m = *flatbuffers::GetRoot<flatbuffers::Table>((*bytes)->data());
  return detail::write_member(ev.txn, m, guild, owner, detail::MemberWrite::kRefresh);
}

Status refresh_user(Event& ev, std::string_view key, detail::UserWrite how) {
  detail::JsonContext ctx;
  detail::Present nulls;  // a partial user's nulls unset its fields
  ctx.nulls = &nulls;
  auto bytes = d_entity<fb::User>(ev, key, ctx);
  if (!bytes.ok() || !*bytes) return bytes.status();
  return detail::write_user(ev.txn, *flatbuffers::GetRoot<flatbuffers::Table>((*bytes)->data()), how, nulls);
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

}  // namespace snowcache::gw
