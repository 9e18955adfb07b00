// warm_bot_state CACHE_DIR: the whole state of a cache as text, for
// tests/examples/warm_bot_test.sh to compare a killed-and-resumed cache with one that
// ran through: the stored sessions, every entity (snowcache::dump, in dump
// order) and the result of snowcache::verify (a kill must leave a consistent
// cache, reference counts included). Opens the cache read-only.
#include <cstdio>

#include <fmt/core.h>

#include "snowcache/cache.h"
#include "snowcache/dump.h"
#include "snowcache/gateway.h"
#include "snowcache/verify.h"

int main(int argc, char** argv) {
  if (argc != 2) {
    fmt::print(stderr, "usage: warm_bot_state CACHE_DIR\n");
    return 2;
  }
  snowcache::Options options;
  options.read_only = true;
  options.create_if_missing = false;
  auto cache = snowcache::Cache::open(argv[1], options);
  if (!cache.ok()) {
    fmt::print(stderr, "warm_bot_state: {}\n", cache.status().to_string());
    return 1;
  }
  auto sessions = snowcache::sessions(**cache);
  if (!sessions.ok()) {
    fmt::print(stderr, "warm_bot_state: {}\n", sessions.status().to_string());
    return 1;
  }
  for (const auto& s : *sessions) {
    fmt::print("session shard={}/{} id={} url={} seq={} user={}\n", s.shard, s.shard_count, s.session_id,
               s.resume_gateway_url, s.sequence ? std::to_string(*s.sequence) : "null", s.user_id);
  }
  auto st = snowcache::dump(**cache, {}, [](std::string_view line) { fmt::print("{}\n", line); });
  if (!st.ok()) {
    fmt::print(stderr, "warm_bot_state: dump: {}\n", st.to_string());
    return 1;
  }
  auto report = snowcache::verify(**cache);
  if (!report.ok()) {
    fmt::print(stderr, "warm_bot_state: verify: {}\n", report.status().to_string());
    return 1;
  }
  for (const auto& p : report->problems) fmt::print("verify problem: {}\n", p);
  fmt::print("verify: {} entities, {} index entries, {} problems\n", report->entities, report->index_entries,
             report->problems.size());
  return report->ok() ? 0 : 1;
}
