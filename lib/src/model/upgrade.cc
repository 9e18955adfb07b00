#include "model/upgrade.h"

#include <set>
#include <utility>

#include "model/entity_ops.h"
#include "model/fb_copy.h"

namespace snowcache::detail {

namespace {

using Key = std::pair<std::uint64_t, std::uint64_t>;

// Writes the hidden member (guild, user) from a holder's embedded copy,
// once (`done`), when its record holds it without listing it.
Status hide_from_copy(Txn& txn, std::uint64_t guild, const fb::Member& copy, std::set<Key>& done) {
  if (!copy.user()) return {};
  Key k{guild, copy.user()->id()};
  if (!done.insert(k).second) return {};
  auto rec = txn.member_record(Snowflake(k.first), Snowflake(k.second));
  if (!rec.ok()) return rec.status();
  if (!rec->alive() || rec->listed) return {};
  flatbuffers::FlatBufferBuilder fbb(256);
  CopyEdits edits;
  edits.table = [&](flatbuffers::FlatBufferBuilder& b, std::size_t f,
                    const flatbuffers::Table&) -> std::optional<flatbuffers::uoffset_t> {
    if (object_fields<fb::Member>().is_user(f)) return user_reference(b, k.second);
    return std::nullopt;
  };
  edits.set_u64.emplace_back(static_cast<std::size_t>(object_fields<fb::Member>().guild_id), guild);
  const auto& t = *reinterpret_cast<const flatbuffers::Table*>(&copy);
  txn.put_hidden_member(Snowflake(k.first), Snowflake(k.second),
                        finish_bytes(fbb, copy_table(fbb, fb::MemberTypeTable(), t, edits)));
  // The record did not change: settle counts only transitions.
  txn.count(Cf::kHiddenMembers, +1);
  return {};
}

// Visits the values of `cf` (newest key first when `newest_first`).
template <class T, class F>
Status each_value(Txn& txn, Cf cf, bool newest_first, F&& f) {
  std::vector<std::string> ks;
  auto st = txn.scan(cf, "", "", [&](std::string_view k, std::string_view) {
    ks.emplace_back(k);
    return true;
  });
  if (!st.ok()) return st;
  if (newest_first) std::reverse(ks.begin(), ks.end());
  for (const auto& k : ks) {
    auto v = read_entity<T>(txn, k);
    if (!v.ok()) return v.status();
    if (*v) SNOWCACHE_RETURN_IF_ERROR(f(***v));
  }
  return {};
}

Status upgrade_1_to_2(Txn& txn) {
  std::set<Key> done;
  SNOWCACHE_RETURN_IF_ERROR(each_value<fb::VoiceState>(txn, Cf::kVoiceStates, false, [&](const fb::VoiceState& v) {
    return v.member() ? hide_from_copy(txn, v.guild_id(), *v.member(), done) : Status();
  }));
  return each_value<fb::Message>(txn, Cf::kMessages, true, [&](const fb::Message& m) {
    return m.member() && m.guild_id() ? hide_from_copy(txn, *m.guild_id(), *m.member(), done) : Status();
  });
}

}  // namespace

Status upgrade_format(CacheState& state) {
  Store& store = *state.store;
  if (store.format_version() == kFormatVersion) return {};
  Txn txn(*state.writer);
  SNOWCACHE_RETURN_IF_ERROR(txn.usable());
  if (store.format_version() == 1) SNOWCACHE_RETURN_IF_ERROR(upgrade_1_to_2(txn));
  std::string version;
  keys::append_u32(version, kFormatVersion);
  txn.put(Cf::kMeta, keys::kMetaFormatVersion, version);
  SNOWCACHE_RETURN_IF_ERROR(txn.commit());
  return store.finish_upgrade();
}

}  // namespace snowcache::detail
