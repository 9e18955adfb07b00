// entity_ops — the generic steps of the write path for one entity: read it
// (verified), put it (replacing index keys and references of the old value by
// those of the new), erase it. Every mutation of an entity kind goes through
// put_entity / erase_entity inside a Txn, so index keys and reference counts
// can only change together with the entity that implies them.
#pragma once

#include <memory>
#include <optional>
#include <set>
#include <string>

#include <flatbuffers/flatbuffers.h>

#include "model/kinds.h"
#include "model/objects.h"
#include "snowcache/value.h"
#include "storage/txn.h"

namespace snowcache::detail {

// Serialises an object-API value (packs a FlatBuffer).
template <class T>
std::string pack(const typename T::NativeTableType& native) {
  flatbuffers::FlatBufferBuilder fbb(256);
  fbb.Finish(T::Pack(fbb, &native));
  return std::string(reinterpret_cast<const char*>(fbb.GetBufferPointer()), fbb.GetSize());
}

// The bytes of a standalone copy of a table embedded in another buffer.
template <class T>
std::string repack(const T& table) {
  std::unique_ptr<typename T::NativeTableType> native(table.UnPack());
  return pack<T>(*native);
}

// The entity in messages: "member 1/2", "invite abc".
template <class T>
std::string describe(std::string_view key) {
  return keys::describe(Kind<T>::name, Kind<T>::shape, key);
}

template <class T>
Maybe<T> to_value(Result<std::shared_ptr<const Bytes>> raw, std::string_view key) {
  if (!raw.ok()) return raw.status();
  if (!*raw) return std::optional<Value<T>>();
  auto v = Value<T>::verify(std::move(*raw), describe<T>(key));
  if (!v.ok()) return v.status();
  return std::optional<Value<T>>(std::move(v).value());
}

template <class T>
Maybe<T> read_entity(const Store& store, std::string_view key, const rocksdb::Snapshot* snap = nullptr) {
  return to_value<T>(store.get(Kind<T>::cf, key, snap), key);
}

template <class T>
Maybe<T> read_entity(Txn& txn, std::string_view key) {
  return to_value<T>(txn.get(Kind<T>::cf, key), key);
}

namespace ops_detail {

inline std::vector<Snowflake> distinct(std::vector<Snowflake> v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
  return v;
}

// Applies (sign = +1) or withdraws (sign = -1) what a value implies.
template <class T>
Status apply_implied(Txn& txn, const T& value, std::string_view key, int sign) {
  Implied im;
  Kind<T>::implied(value, key, im);
  for (const auto& ik : im.index_keys) {
    if (sign > 0) {
      txn.put(Cf::kIndex, ik, {});
    } else {
      txn.del(Cf::kIndex, ik);
    }
  }
  for (Snowflake u : distinct(im.user_refs)) txn.ref_user(u, sign);
  for (auto [g, u] : im.member_refs) {
    auto rec = txn.member_record(g, u);
    if (!rec.ok()) return rec.status();
    keys::MemberRecord r = *rec;
    if (sign > 0) {
      ++r.holders;
    } else if (r.holders > 0) {
      --r.holders;
    } else {
      return Status::Corruption("member record " + g.to_string() + "/" + u.to_string() + " has no holder to release");
    }
    txn.set_member_record(g, u, r);
  }
  if (sign > 0) {
    // Written since the guild's last GUILD_CREATE: kept by a member-list sweep.
    for (auto [g, u] : im.member_refs) {
      SNOWCACHE_RETURN_IF_ERROR(txn.mark_written(keys::SweepMark::kMember, g, u));
    }
    if constexpr (std::is_same_v<T, fb::Member>) {
      SNOWCACHE_RETURN_IF_ERROR(
          txn.mark_written(keys::SweepMark::kMember, sf(value.guild_id()), sf(value.user()->id())));
    }
    if constexpr (std::is_same_v<T, fb::Presence>) {
      SNOWCACHE_RETURN_IF_ERROR(
          txn.mark_written(keys::SweepMark::kPresence, sf(value.guild_id()), sf(value.user_id())));
    }
  }
  if constexpr (std::is_same_v<T, fb::Member>) {
    // A member's hold on its user is its record; listing is what set/delete do.
    Snowflake g = sf(value.guild_id()), u = sf(value.user()->id());
    auto rec = txn.member_record(g, u);
    if (!rec.ok()) return rec.status();
    keys::MemberRecord r = *rec;
    r.listed = sign > 0;
    txn.set_member_record(g, u, r);
  }
  return {};
}

}  // namespace ops_detail

// Writes `bytes` (a verified T, as a payload or caller gave it) and
// everything it implies: the users and members it carries are written to
// their records and stored as references (objects.h); what the previous
// value under the same key implied is withdrawn. Returns the previous value
// as stored.
template <class T>
Maybe<T> put_entity(Txn& txn, std::string_view bytes, std::string key) {
  // Before the old value is withdrawn: a member reference stays only while
  // the member has a record, which the old value may be what holds.
  auto stored = store_form<T>(txn, bytes);
  if (!stored.ok()) return stored.status();
  const T* value = flatbuffers::GetRoot<T>(stored->data());
  auto old = read_entity<T>(txn, key);
  if (!old.ok()) return old.status();
  if (*old) {
    SNOWCACHE_RETURN_IF_ERROR(ops_detail::apply_implied<T>(txn, ***old, key, -1));
  } else {
    txn.count(Kind<T>::cf, +1);
  }
  txn.put(Kind<T>::cf, key, *stored);
  SNOWCACHE_RETURN_IF_ERROR(ops_detail::apply_implied<T>(txn, *value, key, +1));
  return old;
}

template <class T>
Maybe<T> put_entity(Txn& txn, std::string_view bytes) {
  return put_entity<T>(txn, bytes, Kind<T>::key(*flatbuffers::GetRoot<T>(bytes.data())));
}

// Removes the entity under `key` and what it implies. Returns it as stored.
// A listed member still held by a voice state or message is hidden: its
// value moves to Cf::kHiddenMembers (R3).
template <class T>
Maybe<T> erase_entity(Txn& txn, std::string_view key) {
  auto old = read_entity<T>(txn, key);
  if (!old.ok() || !*old) return old;
  SNOWCACHE_RETURN_IF_ERROR(ops_detail::apply_implied<T>(txn, ***old, key, -1));
  txn.del(Kind<T>::cf, key);
  txn.count(Kind<T>::cf, -1);
  if constexpr (std::is_same_v<T, fb::Member>) {
    Snowflake g = sf((**old)->guild_id()), u = sf((**old)->user()->id());
    auto rec = txn.member_record(g, u);
    if (!rec.ok()) return rec.status();
    if (rec->holders > 0) txn.put_hidden_member(g, u, (**old).buffer()->view());
  }
  return old;
}

// The keys of the entities listed under `prefix` (keys::index_prefix), as
// the transaction sees them.
inline Result<std::vector<std::string>> index_entities(Txn& txn, const std::string& prefix) {
  std::vector<std::string> out;
  auto st = txn.scan(Cf::kIndex, prefix, keys::successor(prefix), [&](std::string_view k, std::string_view) {
    out.push_back(keys::indexed_entity(k));
    return true;
  });
  if (!st.ok()) return st;
  return out;
}

// Keys of a family in [prefix, successor(prefix)) (whole family for "").
inline Result<std::vector<std::string>> range_keys(Txn& txn, Cf cf, const std::string& prefix) {
  std::vector<std::string> out;
  auto st = txn.scan(cf, prefix, keys::successor(prefix), [&](std::string_view k, std::string_view) {
    out.emplace_back(k);
    return true;
  });
  if (!st.ok()) return st;
  return out;
}

// Erases the entities of kind T under `ks`.
template <class T>
Status erase_keys(Txn& txn, const std::vector<std::string>& ks) {
  for (const auto& k : ks) {
    auto r = erase_entity<T>(txn, k);
    if (!r.ok()) return r.status();
  }
  return {};
}

// Erases the entities of kind T listed under an index prefix (keys::index_prefix).
template <class T>
Status erase_indexed(Txn& txn, const std::string& prefix) {
  auto ks = index_entities(txn, prefix);
  if (!ks.ok()) return ks.status();
  return erase_keys<T>(txn, *ks);
}

}  // namespace snowcache::detail
