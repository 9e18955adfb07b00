// cachectl stats [--json]: counts and bytes per kind, settings, format,
// sessions.
#include <algorithm>

#include <fmt/format.h>

#include "cachectl.h"
#include "snowcache/admin.h"

namespace cachectl {

// cachectl --help and cachectl stats --help.
constexpr Help kHelp = {
    "stats", "Counts and bytes per kind, settings, format version, sessions",
    R"(Print the number of entities of each kind (the counts the cache keeps), the bytes each
column family holds (SST files plus memtables), the settings, the format version, the
size of the directory and each shard's gateway session.)",
    "\nExample:\n  cachectl --db /tmp/demo stats --json | jq .kinds.member.count",
};

namespace {

struct Family {
  std::string name;  // kind name, or the family name for index/refs/meta
  std::optional<std::uint64_t> count;
  std::uint64_t bytes = 0;
};

// The rows of the table: me, every kind in dump order (its family's count
// and bytes), then the bookkeeping families. hidden_members has no row.
std::vector<Family> stats_rows(const snowcache::Cache& cache) {
  std::vector<Family> rows;
  auto me = cache.get_me();
  check(me.status(), "get me");
  rows.push_back({"me", *me ? 1u : 0u, 0});
  auto stats = snowcache::family_stats(cache);
  check(stats.status(), "read counts");
  auto family = [&](std::string_view name) -> const snowcache::FamilyStats& {
    auto it = std::find_if(stats->begin(), stats->end(), [&](const auto& f) { return f.name == name; });
    if (it == stats->end()) fail(kError, fmt::format("the cache has no column family {}", name));
    return *it;
  };
  for (const auto& k : snowcache::kinds()) {
    const auto& f = family(k.family);
    rows.push_back({std::string(k.name), f.entities.value_or(0), f.bytes()});
  }
  for (std::string_view name : {"index", "refs", "meta"}) {
    rows.push_back({std::string(name), std::nullopt, family(name).bytes()});
  }
  return rows;
}

int run_stats(const Global& g, bool json) {
  ReadHandle h(g.db);
  const auto& cache = h.cache();
  const std::vector<Family> fams = stats_rows(cache);
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
        json_quote(g.db), json_quote(h.live() ? "secondary" : "read-only"), snowcache::format_version(),
        static_cast<std::uint32_t>(s.components), json_quote(components_names(s.components)), s.max_messages,
        s.max_dm_channel_ids, s.only_my_member, entities, kinds, families, bytes, disk, sessions_json(*sessions));
    return kOk;
  }

  fmt::print("cache     {}\n", g.db);
  fmt::print("opened    {}{}\n", h.mode(), h.live() ? fmt::format(", written by process {}", *h.live_pid()) : "");
  fmt::print("format    {}\n", snowcache::format_version());
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
  print_sessions(*sessions, "no gateway session stored");
  return kOk;
}

}  // namespace

Command add_stats(CLI::App& app, const Global& g) {
  return add_json_command(app, g, kHelp, "Print one JSON object", run_stats);
}

}  // namespace cachectl
