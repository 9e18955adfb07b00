// cachectl compact: a full compaction, with the size on disk before and after.
#include <fmt/format.h>

#include "api/cache_state.h"
#include "cachectl.h"
#include "storage/store.h"

namespace cachectl {

namespace {

int run_compact(const Global& g, bool json) {
  const std::uint64_t before = directory_bytes(g.db);
  {
    snowcache::Options o;
    o.create_if_missing = false;
    auto cache = open_writable(g.db, o, "compact");
    check(snowcache::detail::Access::state(*cache)->store->compact(), "compact");
  }  // closing flushes: measure after
  const std::uint64_t after = directory_bytes(g.db);
  if (json) {
    fmt::print("{{\"bytes_before\":{},\"bytes_after\":{}}}\n", before, after);
  } else {
    fmt::print("compacted {}: {} before, {} after\n", g.db, human_bytes(before), human_bytes(after));
  }
  return kOk;
}

}  // namespace

Command add_compact(CLI::App& app, const Global& g) {
  auto json = std::make_shared<bool>(false);
  auto* sub = app.add_subcommand("compact", "Compact every column family; report the size before and after");
  describe(sub,
      "Run a full RocksDB compaction of every column family (dropping deleted and overwritten\n"
      "entries) and print the size of the directory before and after. Needs exclusive access:\n"
      "refuses while another process (a running bot) holds the cache.");
  sub->footer("\nExample:\n  cachectl --db /var/lib/mybot/cache compact");
  sub->add_flag("--json", *json, "Print one JSON object: bytes_before, bytes_after");
  return {sub, [&g, json] { return run_compact(g, *json); }};
}

}  // namespace cachectl
