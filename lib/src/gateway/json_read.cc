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
