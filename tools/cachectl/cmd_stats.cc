// cachectl stats [--json]: counts and bytes per kind, settings, format,
// sessions.
#include <fmt/format.h>

#include "api/cache_state.h"
#include "cachectl.h"
#include "storage/keys.h"
#include "model/kinds.h"
#include "storage/store.h"

namespace cachectl {

namespace {

namespace d = snowcache::detail;
namespace keys = snowcache::keys;

struct Family {
  std::string name;  // kind name, or the family name for index/refs/meta
  std::optional<std::uint64_t> count;
  std::uint64_t bytes = 0;
};

std::uint64_t family_bytes(const d::Store& store, d::Cf cf) {
  std::uint64_t total = 0;
  for (const char* prop : {"rocksdb.total-sst-files-size", "rocksdb.cur-size-all-mem-tables"}) {
    std::uint64_t v = 0;
    if (store.db()->GetIntProperty(store.cf(cf), prop, &v)) total += v;
  }
  return total;
}

std::uint64_t entity_count(const d::Store& store, d::Cf cf) {
  auto raw = store.get(d::Cf::kMeta, keys::count_key(d::cf_name(cf)));
  check(raw.status(), "read counts");
  if (*raw) {
    if (auto n = keys::decode_count((*raw)->view()); n && *n >= 0) return static_cast<std::uint64_t>(*n);
  }
  // No stored count: count the keys.
  std::uint64_t n = 0;
  std::unique_ptr<rocksdb::Iterator> it(store.db()->NewIterator(rocksdb::ReadOptions(), store.cf(cf)));
  for (it->SeekToFirst(); it->Valid(); it->Next()) ++n;
  check(d::to_status(it->status(), "count " + std::string(d::cf_name(cf))));
  return n;
}

int run_stats(const Global& g, bool json) {
  ReadHandle h(g.db);
  const auto& cache = h.cache();
  const auto& store = *d::Access::state(cache)->store;

  std::vector<Family> fams;
  auto me = cache.get_me();
  check(me.status(), "get me");
  fams.push_back({"me", *me ? 1u : 0u, 0});
  for (const auto& k : d::kKindTable) fams.push_back({std::string(k.name), entity_count(store, k.cf), family_bytes(store, k.cf)});
  for (d::Cf cf : {d::Cf::kIndex, d::Cf::kRefs, d::Cf::kMeta}) {
    fams.push_back({std::string(d::cf_name(cf)), std::nullopt, family_bytes(store, cf)});
  }
  std::uint64_t entities = 0, bytes = 0;
  for (const auto& f : fams) {
    entities += f.count.value_or(0);
    bytes += f.bytes;
  }
  const std::uint64_t disk = directory_bytes(g.db);
  const auto& s = cache.settings();
  auto sessions = snowcache::sessions(cache);
  check(sessions.status(), "read sessions");

  if (json) {
    std::string kinds, families;
    for (const auto& f : fams) {
      std::string& out = f.count ? kinds : families;
      out += fmt::format("{}{}:{{", out.empty() ? "" : ",", json_quote(f.name));
      if (f.count) out += fmt::format("\"count\":{},", *f.count);
      out += fmt::format("\"bytes\":{}}}", f.bytes);
    }
    fmt::print(
        "{{\"path\":{},\"mode\":{},\"format_version\":{},\"settings\":{{\"components\":{},\"component_names\":{},"
        "\"max_messages\":{},\"max_dm_channel_ids\":{},\"only_my_member\":{}}},\"entities\":{},\"kinds\":{{{}}},"
        "\"families\":{{{}}},\"bytes\":{},\"disk_bytes\":{},\"sessions\":{}}}\n",
        json_quote(g.db), json_quote(h.live() ? "secondary" : "read-only"), d::kFormatVersion,
        static_cast<std::uint32_t>(s.components), json_quote(components_names(s.components)), s.max_messages,
        s.max_dm_channel_ids, s.only_my_member, entities, kinds, families, bytes, disk, sessions_json(*sessions));
    return kOk;
  }

  fmt::print("cache     {}\n", g.db);
  fmt::print("opened    {}{}\n", h.mode(), h.live() ? fmt::format(", written by process {}", *h.live_pid()) : "");
  fmt::print("format    {}\n", d::kFormatVersion);
  fmt::print("settings  components={} ({}), max_messages={}, max_dm_channel_ids={}, only_my_member={}\n",
             components_names(s.components), static_cast<std::uint32_t>(s.components), s.max_messages,
             s.max_dm_channel_ids, s.only_my_member);
  fmt::print("disk      {} in all files\n\n", human_bytes(disk));
  Table t({"kind", "count", "bytes"});
  t.right(1);
  t.right(2);
  for (const auto& f : fams) {
    t.add({f.name, f.count ? std::to_string(*f.count) : "-", f.name == "me" ? "(in meta)" : human_bytes(f.bytes)});
  }
  t.add({"total", std::to_string(entities), human_bytes(bytes)});
  t.print(stdout);
  fmt::print("\n");
  if (sessions->empty()) {
    fmt::print("no gateway session stored\n");
  } else {
    sessions_table(*sessions).print(stdout);
  }
  return kOk;
}

}  // namespace

Command add_stats(CLI::App& app, const Global& g) {
  auto json = std::make_shared<bool>(false);
  auto* sub = app.add_subcommand("stats", "Counts and bytes per kind, settings, format version, sessions");
  describe(sub,
      "Print the number of entities of each kind (the counts the cache keeps), the bytes each\n"
      "column family holds (SST files plus memtables), the settings, the format version, the\n"
      "size of the directory and each shard's gateway session.");
  sub->footer("\nExample:\n  cachectl --db /tmp/demo stats --json | jq .kinds.member.count");
  sub->add_flag("--json", *json, "Print one JSON object");
  return {sub, [&g, json] { return run_stats(g, *json); }};
}

}  // namespace cachectl
