// admin (snowcache/admin.h): the kinds' public description, derived from
// model/kinds.h; per-family statistics from RocksDB's properties and the
// counts the write path keeps in meta; compaction through the store.
#include "snowcache/admin.h"

#include <algorithm>
#include <array>
#include <memory>
#include <string>

#include <rocksdb/db.h>

#include "api/cache_state.h"
#include "model/kinds.h"
#include "storage/keys.h"
#include "storage/store.h"

namespace snowcache {

using detail::Cf;

namespace {

// A guild's own entities: everything found through its guild (key prefix or
// index), not the guild itself (kSelf) nor the unscoped kinds.
constexpr bool in_a_guild(detail::GuildScope s) {
  return s == detail::GuildScope::kKeyPrefix || s == detail::GuildScope::kIndex;
}

constexpr auto kDescriptions = [] {
  std::array<KindDescription, detail::kKindTable.size()> out{};
  for (std::size_t i = 0; i < out.size(); ++i) {
    const auto& k = detail::kKindTable[i];
    out[i] = {k.name, detail::cf_name(k.cf), k.key_names, in_a_guild(k.scope)};
  }
  return out;
}();

// The kind stored in family `cf`; empty for the families of no kind.
std::string_view kind_name(Cf cf) {
  for (const auto& k : detail::kKindTable) {
    if (k.cf == cf) return k.name;
  }
  return {};
}

std::uint64_t property(const detail::Store& store, Cf cf, const char* name) {
  std::uint64_t v = 0;
  return store.db()->GetIntProperty(store.cf(cf), name, &v) ? v : 0;
}

// The count kept in meta, or the family's keys counted one by one.
Result<std::uint64_t> entity_count(const detail::Store& store, Cf cf) {
  auto raw = store.get(Cf::kMeta, keys::count_key(detail::cf_name(cf)));
  SNOWCACHE_RETURN_IF_ERROR(raw.status());
  if (*raw) {
    if (auto n = keys::decode_count((*raw)->view()); n && *n >= 0) return static_cast<std::uint64_t>(*n);
  }
  std::uint64_t n = 0;
  std::unique_ptr<rocksdb::Iterator> it(store.db()->NewIterator(rocksdb::ReadOptions(), store.cf(cf)));
  for (it->SeekToFirst(); it->Valid(); it->Next()) ++n;
  SNOWCACHE_RETURN_IF_ERROR(detail::to_status(it->status(), "count " + std::string(detail::cf_name(cf))));
  return n;
}

}  // namespace

std::uint32_t format_version() { return detail::kFormatVersion; }

std::span<const KindDescription> kinds() { return kDescriptions; }

const KindDescription* find_kind(std::string_view name) {
  auto it = std::find_if(kDescriptions.begin(), kDescriptions.end(),
                         [&](const KindDescription& k) { return k.name == name; });
  return it == kDescriptions.end() ? nullptr : &*it;
}

Result<std::vector<FamilyStats>> family_stats(const Cache& cache) {
  const detail::Store& store = *detail::Access::state(cache)->store;
  std::vector<FamilyStats> out;
  for (const auto& f : detail::kFamilies) {
    FamilyStats s;
    s.name = f.name;
    s.kind = kind_name(f.cf);
    if (!s.kind.empty()) {
      auto n = entity_count(store, f.cf);
      SNOWCACHE_RETURN_IF_ERROR(n.status());
      s.entities = *n;
    }
    s.estimated_keys = property(store, f.cf, "rocksdb.estimate-num-keys");
    s.sst_bytes = property(store, f.cf, "rocksdb.total-sst-files-size");
    s.live_sst_bytes = property(store, f.cf, "rocksdb.live-sst-files-size");
    s.memtable_bytes = property(store, f.cf, "rocksdb.cur-size-all-mem-tables");
    out.push_back(s);
  }
  return out;
}

Status compact(MutableCache& cache) { return detail::Access::state(cache)->store->compact(); }

}  // namespace snowcache
