#include "model/guild_scope.h"

namespace snowcache::detail {

Status erase_guild_scope(Txn& txn, Snowflake guild, Components which) {
  Status st;
  // Backwards through the kinds: holders (voice states, messages) before the
  // members they hold, so no member is hidden only to be released.
  for_each_kind_reversed([&]<class T>(std::type_identity<T>) {
    constexpr GuildScope scope = Kind<T>::scope;
    if constexpr (scope == GuildScope::kIndex || scope == GuildScope::kKeyPrefix) {
      if (st.ok() && has_all(which, Kind<T>::component)) st = erase_for_guild<T>(txn, guild);
    }
  });
  SNOWCACHE_RETURN_IF_ERROR(st);
  if (has_all(which, Components::kMembers) || has_all(which, Components::kPresences)) return reset_sweep(txn, guild, false);
  return {};
}

Status reset_sweep(Txn& txn, Snowflake guild, bool open) {
  std::string prefix = keys::sweep_prefix(guild);
  auto all = range_keys(txn, Cf::kMeta, prefix);  // the window key, marks, chunk progress
  if (!all.ok()) return all.status();
  for (const auto& k : *all) txn.del(Cf::kMeta, k);
  txn.set_sweep_open(guild, open);
  return {};
}

Result<bool> has_members_or_presences(Txn& txn, Snowflake guild) {
  std::string prefix = keys::id(guild), upper = keys::successor(prefix);
  for (Cf cf : {Cf::kMembers, Cf::kPresences}) {
    bool any = false;
    auto st = txn.scan(cf, prefix, upper, [&](std::string_view, std::string_view) { return !(any = true); });
    if (!st.ok()) return st;
    if (any) return true;
  }
  return false;
}

namespace {

// Removes the guild's entities of T whose sweep mark is missing.
template <class T>
Status sweep_unmarked(Txn& txn, Snowflake guild, keys::SweepMark kind) {
  auto all = range_keys(txn, Kind<T>::cf, keys::id(guild));
  if (!all.ok()) return all.status();
  for (const auto& k : *all) {
    auto mark = txn.get(Cf::kMeta, keys::sweep_mark(guild, kind, keys::last_id(k)));
    if (!mark.ok()) return mark.status();
    if (*mark) continue;
    if (auto gone = erase_entity<T>(txn, k); !gone.ok()) return gone.status();
  }
  return {};
}

}  // namespace

Status record_chunk(Txn& txn, Snowflake guild, std::string_view nonce, std::uint32_t index, std::uint32_t count,
                    std::uint64_t members, bool not_found) {
  if (index >= count) {
    return Status::InvalidArgument("d.chunk_index: " + std::to_string(index) + " is not below chunk_count " +
                                   std::to_string(count));
  }
  auto open = txn.sweep_open(guild);
  if (!open.ok()) return open.status();
  if (!*open) return {};
  std::string key = keys::chunk_progress_key(guild, nonce);
  auto raw = txn.get(Cf::kMeta, key);
  if (!raw.ok()) return raw.status();
  std::optional<keys::ChunkProgress> p;
  if (*raw) p = keys::decode_chunk_progress((*raw)->view());
  // A sequence of another length under the same nonce starts over.
  if (!p || p->chunk_count != count) p = keys::new_chunk_progress(count);
  if (!p->has(index)) {
    p->set(index);
    p->members += members;
  }
  p->not_found = p->not_found || not_found;
  if (!p->complete()) {
    txn.put(Cf::kMeta, key, keys::encode_chunk_progress(*p));
    return {};
  }
  txn.del(Cf::kMeta, key);
  if (p->not_found) return {};  // a query's answer: never a full list
  auto g = read_entity<fb::Guild>(txn, keys::id(guild));
  if (!g.ok()) return g.status();
  if (!*g || !(**g)->member_count() || p->members < static_cast<std::uint64_t>(*(**g)->member_count())) return {};
  SNOWCACHE_RETURN_IF_ERROR(sweep_unmarked<fb::Member>(txn, guild, keys::SweepMark::kMember));
  SNOWCACHE_RETURN_IF_ERROR(sweep_unmarked<fb::Presence>(txn, guild, keys::SweepMark::kPresence));
  // Everything left was written since the GUILD_CREATE: a later list would sweep nothing.
  return reset_sweep(txn, guild, false);
}

Status cached_guild_ids(Txn& txn, std::set<std::uint64_t>& out) {
  auto add = [&out](Snowflake (*guild_of)(std::string_view)) {
    return [&out, guild_of](std::string_view group) {
      out.insert(guild_of(group).value());
      return true;
    };
  };
  Status st;
  for_each_kind([&]<class T>(std::type_identity<T>) {
    if (!st.ok()) return;
    if constexpr (Kind<T>::scope == GuildScope::kSelf || Kind<T>::scope == GuildScope::kKeyPrefix) {
      // The key is the guild, or starts with it.
      st = txn.scan_groups(Kind<T>::cf, "", keys::kPairSecond, add(keys::pair_first));
    } else if constexpr (Kind<T>::scope == GuildScope::kIndex) {
      st = txn.scan_groups(Cf::kIndex, keys::index_prefix(Kind<T>::guild_index), keys::kIndexPrefixLen,
                           add(keys::first_scope));
    }
  });
  return st;
}

}  // namespace snowcache::detail
