#include "api/settings_apply.h"

#include "model/rules.h"

namespace snowcache::detail {

Result<Settings> load_settings(const Store& store) {
  auto raw = store.get(Cf::kMeta, keys::kMetaSettings);
  if (!raw.ok()) return raw.status();
  if (!*raw) return Settings{};
  auto s = keys::decode_settings((*raw)->view());
  if (!s) return Status::Corruption("stored settings are malformed");
  return *s;
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
