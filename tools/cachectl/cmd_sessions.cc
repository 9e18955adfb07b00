// cachectl sessions [--json]: per shard, what a bot needs to RESUME.
#include <fmt/format.h>

#include "cachectl.h"

namespace cachectl {

// cachectl --help and cachectl sessions --help.
constexpr Help kHelp = {
    "sessions", "Per shard: session_id, resume_gateway_url, last sequence",
    R"(Print each shard's stored gateway session: the session_id and resume_gateway_url from READY
and the sequence of the last applied dispatch: what a bot sends to RESUME after a restart.)",
    "\nExample:\n  cachectl --db /tmp/demo sessions --json | jq '.[0].sequence'",
};

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

void print_sessions(const std::vector<snowcache::Session>& sessions, std::string_view none) {
  if (sessions.empty()) {
    fmt::print("{}\n", none);
  } else {
    sessions_table(sessions).print(stdout);
  }
}

namespace {

int run_sessions(const Global& g, bool json) {
  ReadHandle h(g.db);
  auto r = snowcache::sessions(h.cache());
  check(r.status(), "read sessions");
  json ? fmt::print("{}\n", sessions_json(*r)) : print_sessions(*r, "no gateway session stored (no READY ingested)");
  return kOk;
}

}  // namespace

Command add_sessions(CLI::App& app, const Global& g) {
  return add_json_command(app, g, kHelp, "Print a JSON array", run_sessions);
}

}  // namespace cachectl
