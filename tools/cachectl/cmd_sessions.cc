// cachectl sessions [--json]: per shard, what a bot needs to RESUME.
#include <fmt/format.h>

#include "cachectl.h"

namespace cachectl {

Table sessions_table(const std::vector<snowcache::Session>& sessions) {
  Table t({"shard", "sequence", "session_id", "resume_gateway_url", "user"});
  for (const auto& s : sessions) {
    t.add({fmt::format("{}/{}", s.shard, s.shard_count), s.sequence ? std::to_string(*s.sequence) : "-",
           cell(s.session_id, 64), cell(s.resume_gateway_url, 80), s.user_id ? std::to_string(s.user_id) : "-"});
  }
  return t;
}

std::string sessions_json(const std::vector<snowcache::Session>& sessions) {
  std::string out = "[";
  for (const auto& s : sessions) {
    out += fmt::format(
        "{}{{\"shard\":{},\"shard_count\":{},\"session_id\":{},\"resume_gateway_url\":{},\"sequence\":{},"
        "\"user_id\":{}}}",
        out.size() > 1 ? "," : "", s.shard, s.shard_count, json_quote(s.session_id), json_quote(s.resume_gateway_url),
        s.sequence ? std::to_string(*s.sequence) : "null",
        s.user_id ? json_quote(std::to_string(s.user_id)) : "null");
  }
  return out + "]";
}

namespace {

int run_sessions(const Global& g, bool json) {
  ReadHandle h(g.db);
  auto r = snowcache::sessions(h.cache());
  check(r.status(), "read sessions");
  if (json) {
    fmt::print("{}\n", sessions_json(*r));
  } else if (r->empty()) {
    fmt::print("no gateway session stored (no READY ingested)\n");
  } else {
    sessions_table(*r).print(stdout);
  }
  return kOk;
}

}  // namespace

Command add_sessions(CLI::App& app, const Global& g) {
  auto json = std::make_shared<bool>(false);
  auto* sub = app.add_subcommand("sessions", "Per shard: session_id, resume_gateway_url, last sequence");
  describe(sub,
      "Print each shard's stored gateway session: the session_id and resume_gateway_url from READY\n"
      "and the sequence of the last applied dispatch: what a bot sends to RESUME after a restart.");
  sub->footer("\nExample:\n  cachectl --db /tmp/demo sessions --json | jq '.[0].sequence'");
  sub->add_flag("--json", *json, "Print a JSON array");
  return {sub, [&g, json] { return run_sessions(g, *json); }};
}

}  // namespace cachectl
