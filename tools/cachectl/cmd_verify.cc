// cachectl verify [--json]: snowcache::verify; exit 1 when it finds problems.
#include <fmt/format.h>

#include "cachectl.h"
#include "snowcache/verify.h"

namespace cachectl {

// cachectl --help and cachectl verify --help.
constexpr Help kHelp = {
    "verify", "Check the whole cache for consistency; exit 1 on problems",
    R"(Check that every value passes FlatBuffers verification and sits under its key, every index
entry points at an entity and every entity has its index entries, stored reference counts
equal the recomputed ones, and the kept entity counts are right. Prints each problem (naming
the entity) and a summary. Exit status 1 when any problem is found.)",
    "\nExample:\n  cachectl --db /var/lib/mybot/cache verify || echo 'cache damaged'",
};

namespace {

int run_verify(const Global& g, bool json) {
  ReadHandle h(g.db);
  auto r = snowcache::verify(h.cache());
  check(r.status(), "verify");
  const auto& rep = *r;
  if (json) {
    std::string problems;
    for (const auto& p : rep.problems) problems += (problems.empty() ? "" : ",") + json_quote(p);
    fmt::print("{{\"ok\":{},\"entities\":{},\"index_entries\":{},\"problems\":[{}]}}\n", rep.ok(), rep.entities,
               rep.index_entries, problems);
  } else {
    for (const auto& p : rep.problems) fmt::print("{}\n", p);
    fmt::print("{}: checked {} entities and {} index entries: {}\n", g.db, rep.entities, rep.index_entries,
               rep.ok() ? "no problem found"
                        : fmt::format("{} problem{}", rep.problems.size(), rep.problems.size() == 1 ? "" : "s"));
  }
  return rep.ok() ? kOk : kProblem;
}

}  // namespace

Command add_verify(CLI::App& app, const Global& g) {
  return add_json_command(app, g, kHelp, "Print one JSON object: ok, entities, index_entries, problems", run_verify);
}

}  // namespace cachectl
