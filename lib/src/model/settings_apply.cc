#include "model/settings_apply.h"

#include <algorithm>

#include "model/entity_ops.h"

namespace snowcache::detail {

Result<Settings> load_settings(const Store& store) {
  auto raw = store.get(Cf::kMeta, keys::kMetaSettings);
  if (!raw.ok()) return raw.status();
  if (!*raw) return Settings{};
  auto s = keys::decode_settings((*raw)->view());
  if (!s) return Status::Corruption("stored settings are malformed");
  return *s;
}

namespace {

template <class T>
Status erase_keys(Txn& txn, const std::vector<std::string>& ks) {
  for (const auto& k : ks) {
    auto r = erase_entity<T>(txn, k);
    if (!r.ok()) return r.status();
  }
  return {};
}

}  // namespace

Status erase_all(Txn& txn, Cf cf) {
  auto ks = range_keys(txn, cf, "");
  if (!ks.ok()) return ks.status();
  switch (cf) {
    case Cf::kGuilds: return erase_keys<fb::Guild>(txn, *ks);
    case Cf::kGuildChannels: return erase_keys<fb::GuildChannel>(txn, *ks);
    case Cf::kThreads: return erase_keys<fb::Thread>(txn, *ks);
    case Cf::kRoles: return erase_keys<fb::Role>(txn, *ks);
    case Cf::kEmojis: return erase_keys<fb::Emoji>(txn, *ks);
    case Cf::kStickers: return erase_keys<fb::Sticker>(txn, *ks);
    case Cf::kInvites: return erase_keys<fb::Invite>(txn, *ks);
    case Cf::kMembers: return erase_keys<fb::Member>(txn, *ks);
    case Cf::kPresences: return erase_keys<fb::Presence>(txn, *ks);
    case Cf::kVoiceStates: return erase_keys<fb::VoiceState>(txn, *ks);
    case Cf::kMessages: return erase_keys<fb::Message>(txn, *ks);
    case Cf::kDmChannelIds: return erase_keys<fb::DmChannelId>(txn, *ks);
    default: return Status::InvalidArgument("erase_all: not an entity family");
  }
}

Status enforce_message_limit(Txn& txn, std::uint32_t max_messages) {
  // The kept count says whether anything must go, without a scan.
  auto n = txn.current_count(Cf::kMessages);
  if (!n.ok()) return n.status();
  if (*n <= static_cast<std::int64_t>(max_messages)) return {};
  auto excess = static_cast<std::size_t>(*n - max_messages);
  std::vector<std::string> oldest;  // the smallest ids are the oldest
  // From the floor, not from the start: the evicted messages' tombstones
  // below it would make every eviction slower than the last.
  auto st = txn.scan(Cf::kMessages, txn.message_floor(), "", [&](std::string_view k, std::string_view) {
    oldest.emplace_back(k);
    return oldest.size() < excess;
  });
  if (!st.ok()) return st;
  if (!oldest.empty()) txn.raise_message_floor(oldest.back());
  return erase_keys<fb::Message>(txn, oldest);
}

namespace {

// DM entries (user key, seq) as the transaction sees them.
Result<std::vector<std::pair<std::uint64_t, std::string>>> dm_entries(Txn& txn) {
  std::vector<std::pair<std::uint64_t, std::string>> out;
  Status bad;
  auto st = txn.scan(Cf::kDmChannelIds, "", "", [&](std::string_view k, std::string_view v) {
    auto b = Bytes::copy_of(v);
    auto dm = Value<fb::DmChannelId>::verify(b, describe<fb::DmChannelId>(k));
    if (!dm.ok()) {
      bad = dm.status();
      return false;
    }
    out.emplace_back((*dm)->seq(), std::string(k));
    return true;
  });
  if (!st.ok()) return st;
  if (!bad.ok()) return bad;
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

Status enforce_dm_limit(Txn& txn, std::uint32_t max_dm_channel_ids) {
  auto n = txn.current_count(Cf::kDmChannelIds);
  if (!n.ok()) return n.status();
  if (*n <= static_cast<std::int64_t>(max_dm_channel_ids)) return {};
  auto es = dm_entries(txn);
  if (!es.ok()) return es.status();
  if (es->size() <= max_dm_channel_ids) return {};
  std::vector<std::string> ks;
  for (std::size_t i = 0; i < es->size() - max_dm_channel_ids; ++i) ks.push_back((*es)[i].second);
  return erase_keys<fb::DmChannelId>(txn, ks);
}

CacheView<Snowflake, fb::DmChannelId> dm_channel_ids_in_order(std::shared_ptr<const SnapshotHandle> snap) {
  auto spec = range_spec(snap, Cf::kDmChannelIds, "", "dm_channel_id");
  std::vector<std::pair<std::uint64_t, std::string>> rows;
  for (ViewCore::Cursor c(spec); c.valid(); c.next()) {
    auto v = Value<fb::DmChannelId>::verify(c.value(), c.describe());
    if (!v.ok()) throw Error(v.status());
    rows.emplace_back((*v)->seq(), std::string(c.entity_key()));
  }
  std::sort(rows.begin(), rows.end());
  auto ordered = std::make_shared<std::vector<std::string>>();
  for (auto& r : rows) ordered->push_back(std::move(r.second));
  spec->ordered = std::move(ordered);
  return CacheView<Snowflake, fb::DmChannelId>(ViewCore(std::move(spec)));
}

Status apply_settings(CacheState& state, const Settings& wanted, bool stored_before) {
  const Settings have = state.settings;
  if (stored_before && have == wanted) return {};
  Txn txn(*state.writer);
  SNOWCACHE_RETURN_IF_ERROR(txn.usable());
  if (stored_before) {
    for (const auto& k : kKindTable) {
      if (k.component == Components::kNone) continue;
      if (has_all(have.components, k.component) && !has_all(wanted.components, k.component)) {
        SNOWCACHE_RETURN_IF_ERROR(erase_all(txn, k.cf));
      }
    }
    if (has_all(have.components, Components::kMe) && !has_all(wanted.components, Components::kMe)) {
      txn.del(Cf::kMeta, keys::kMetaMe);
    }
    if (wanted.max_messages < have.max_messages) {
      SNOWCACHE_RETURN_IF_ERROR(enforce_message_limit(txn, wanted.max_messages));
    }
    if (wanted.max_dm_channel_ids < have.max_dm_channel_ids) {
      SNOWCACHE_RETURN_IF_ERROR(enforce_dm_limit(txn, wanted.max_dm_channel_ids));
    }
  }
  txn.put(Cf::kMeta, keys::kMetaSettings, keys::encode_settings(wanted));
  SNOWCACHE_RETURN_IF_ERROR(txn.commit());
  state.settings = wanted;
  return {};
}

}  // namespace snowcache::detail
