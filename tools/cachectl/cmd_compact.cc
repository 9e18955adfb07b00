// cachectl compact: a full compaction, with the size on disk before and after.
#include <fmt/format.h>

#include "cachectl.h"
#include "snowcache/admin.h"

namespace cachectl {

// cachectl --help and cachectl compact --help.
constexpr Help kHelp = {
    "compact", "Compact every column family; report the size before and after",
    R"(Run a full RocksDB compaction of every column family (dropping deleted and overwritten
entries) and print the size of the directory before and after. Needs exclusive access:
refuses while another process (a running bot) holds the cache.)",
    "\nExample:\n  cachectl --db /var/lib/mybot/cache compact",
};

namespace {

int run_compact(const Global& g, bool json) {
  const std::uint64_t before = directory_bytes(g.db);
  {
    snowcache::Options o;
    o.create_if_missing = false;
    auto cache = open_writable(g.db, o, "compact");
    check(snowcache::compact(*cache), "compact");
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
  return add_json_command(app, g, kHelp, "Print one JSON object: bytes_before, bytes_after", run_compact);
}

}  // namespace cachectl
