// The dump format (snowcache/dump.h): every entity family scanned in key
// order, each value verified, then written as Discord JSON by json_out.
#include "snowcache/dump.h"

#include <array>
#include <algorithm>
#include <functional>
#include <memory>
#include <type_traits>

#include <rocksdb/db.h>

#include "api/cache_state.h"
#include "model/entity_ops.h"
#include "model/join.h"
#include "json/json_out.h"
#include "storage/keys.h"
#include "model/kinds.h"

namespace snowcache {

using detail::Cf;
using detail::Kind;

namespace {

constexpr std::string_view kMe = "me";

// The entity kinds in dump order: detail::for_each_kind (me comes first, from meta).
using detail::for_each_kind;

// Whether an entity of a kind scoped through the index belongs to `guild`:
// its guild index key is among those it implies (kinds.h).
template <class T>
bool indexed_in_guild(const T& v, std::string_view key, Snowflake guild) {
  detail::Implied im;
  Kind<T>::implied(v, key, im);
  const std::string prefix = keys::index_prefix(Kind<T>::guild_index, guild);
  return std::any_of(im.index_keys.begin(), im.index_keys.end(),
                     [&](const std::string& k) { return k.starts_with(prefix); });
}

std::string line_of(std::string_view kind, const std::vector<std::string>& parts, std::string_view value) {
  std::string line = "{\"kind\": ";
  detail::append_json_string(line, kind);
  line += ", \"key\": [";
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i) line += ", ";
    detail::append_json_string(line, parts[i]);
  }
  line += "], \"value\": ";
  line += value;
  line += "}";
  return line;
}

Status unknown_kind(std::string_view kind) {
  std::string known;
  for (auto k : dump_kinds()) {
    if (!known.empty()) known += ", ";
    known += k;
  }
  return Status::InvalidArgument("unknown kind \"" + std::string(kind) + "\" (kinds: " + known + ")");
}

template <class T>
Status dump_family(const detail::Store& store, const rocksdb::Snapshot* snap, const DumpFilter& filter,
                   const std::function<void(std::string_view)>& line) {
  constexpr detail::GuildScope scope = Kind<T>::scope;
  std::string prefix;
  if (filter.guild) {
    if constexpr (scope == detail::GuildScope::kNone) return {};
    // The guild itself, or the guild|user keys starting with it.
    if constexpr (scope == detail::GuildScope::kSelf || scope == detail::GuildScope::kKeyPrefix) {
      prefix = keys::id(*filter.guild);
    }
  }
  return store.scan(Kind<T>::cf, prefix, snap, [&](std::string_view key, std::string_view raw) -> Status {
    auto parts = keys::key_parts(Kind<T>::shape, key);
    if (!parts) {
      return Status::Corruption(std::string(detail::cf_name(Kind<T>::cf)) + " holds a malformed key " + keys::hex(key));
    }
    auto v = Value<T>::verify(detail::Bytes::copy_of(raw), detail::describe<T>(key));
    if (!v.ok()) return v.status();
    if constexpr (scope == detail::GuildScope::kIndex) {
      if (filter.guild && !indexed_in_guild<T>(**v, key, *filter.guild)) return {};
    }
    // As readers see it: the user and member records joined in (join.h).
    detail::SnapshotHomes homes(store, snap);
    auto shown = detail::joined<T>(homes, std::move(*v), detail::describe<T>(key));
    if (!shown.ok()) return shown.status();
    line(line_of(Kind<T>::name, *parts, detail::to_json(**shown, false)));
    return {};
  });
}

Result<std::optional<Value<fb::OwnUser>>> read_me(const detail::Store& store, const rocksdb::Snapshot* snap) {
  auto raw = store.get(Cf::kMeta, keys::kMetaMe, snap);
  if (!raw.ok()) return raw.status();
  if (!*raw) return std::optional<Value<fb::OwnUser>>();
  auto v = Value<fb::OwnUser>::verify(std::move(*raw), "me");
  if (!v.ok()) return v.status();
  return std::optional<Value<fb::OwnUser>>(std::move(v).value());
}

}  // namespace

const std::vector<std::string_view>& dump_kinds() {
  static const std::vector<std::string_view> kinds = [] {
    std::vector<std::string_view> out{kMe};
    for_each_kind([&]<class T>(std::type_identity<T>) { out.push_back(Kind<T>::name); });
    return out;
  }();
  return kinds;
}

Status dump(const Cache& cache, const DumpFilter& filter, const std::function<void(std::string_view line)>& line) {
  if (filter.kind) {
    const auto& ks = dump_kinds();
    if (std::find(ks.begin(), ks.end(), *filter.kind) == ks.end()) return unknown_kind(*filter.kind);
  }
  const auto& state = detail::Access::state(cache);
  // One snapshot for every family (none on read-only and secondary handles,
  // which only move on catch_up()), so a dump is one point in time.
  auto snap = state->snapshot();
  const detail::Store& store = *state->store;
  auto wanted = [&](std::string_view kind) { return !filter.kind || *filter.kind == kind; };

  if (wanted(kMe) && !filter.guild) {
    auto me = read_me(store, snap->snapshot);
    if (!me.ok()) return me.status();
    if (*me) line(line_of(kMe, {Snowflake((**me)->id()).to_string()}, detail::to_json(***me, false)));
  }
  Status st;
  for_each_kind([&]<class T>(std::type_identity<T>) {
    if (!st.ok() || !wanted(Kind<T>::name)) return;
    st = dump_family<T>(store, snap->snapshot, filter, line);
  });
  return st;
}

Result<std::optional<std::string>> entity_json(const Cache& cache, std::string_view kind,
                                               const std::vector<std::string>& key, bool pretty) {
  const auto& state = detail::Access::state(cache);
  const detail::Store& store = *state->store;
  if (kind == kMe) {
    if (!key.empty()) {
      return Status::InvalidArgument("me key: expected 0 parts (none), got " + std::to_string(key.size()));
    }
    auto me = read_me(store, nullptr);
    if (!me.ok()) return me.status();
    if (!*me) return std::optional<std::string>();
    return std::optional<std::string>(detail::to_json(***me, pretty));
  }
  std::optional<Result<std::optional<std::string>>> out;
  for_each_kind([&]<class T>(std::type_identity<T>) {
    if (out || Kind<T>::name != kind) return;
    auto k = keys::key_from_parts(Kind<T>::shape, kind, Kind<T>::key_names, key);
    if (!k.ok()) {
      out.emplace(k.status());
      return;
    }
    detail::SnapshotHomes homes(store, nullptr);
    auto v = detail::joined<T>(homes, detail::read_entity<T>(store, *k), detail::describe<T>(*k));
    if (!v.ok()) {
      out.emplace(v.status());
    } else if (!*v) {
      out.emplace(std::optional<std::string>());
    } else {
      out.emplace(std::optional<std::string>(detail::to_json(***v, pretty)));
    }
  });
  if (!out) return unknown_kind(kind);
  return std::move(*out);
}

}  // namespace snowcache
