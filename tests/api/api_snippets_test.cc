// The code blocks of docs/API.md, compiled and run. tests/meson.build
// extracts every ```cpp block of the document into api_snippets.inc (with
// #line directives pointing back into docs/API.md); this file includes it and
// calls each function the tour defines. A snippet that no longer compiles
// fails the build; one that no longer does what the text says fails here.
#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "api_snippets.inc"
#include "snowcache/gateway.h"
#include "support.h"

namespace {

using snowcache::Snowflake;
using snowcache::testing::TempDir;

constexpr Snowflake kGuild(41771983423143937);
constexpr Snowflake kUser(80351110224678912);
constexpr Snowflake kGeneral(41771983423143950);

constexpr const char* kReady =
    R"({"op":0,"t":"READY","s":1,"d":{"v":10,"user":{"id":"80351110224678999","username":"bot","bot":true},)"
    R"("guilds":[{"id":"41771983423143937","unavailable":true}],"session_id":"abc123",)"
    R"("resume_gateway_url":"wss://gateway-us-east1-b.discord.gg","shard":[0,1]}})";
constexpr const char* kGuildCreate =
    R"({"op":0,"t":"GUILD_CREATE","s":2,"d":{"id":"41771983423143937","name":"Snowcache Lab","member_count":1,)"
    R"("roles":[{"id":"41771983423143937","name":"@everyone","position":0},)"
    R"({"id":"41771983423143940","name":"builders","position":1}],)"
    R"("channels":[{"id":"41771983423143951","type":0,"name":"random","position":1},)"
    R"({"id":"41771983423143950","type":0,"name":"general","position":0}],)"
    R"("members":[{"user":{"id":"80351110224678912","username":"Nelly"},"roles":["41771983423143940"]}]}})";

bool contains(const std::vector<std::string>& v, const std::string& s) {
  for (const auto& x : v) {
    if (x == s) return true;
  }
  return false;
}

}  // namespace

TEST_CASE("1. open: one writer, a secondary beside it, a second writer refused") {
  TempDir dir, scratch;
  auto cache = open_cache(dir.str());
  REQUIRE(cache);
  // A secondary keeps its info log in a fresh directory under TMPDIR (the
  // default of Options::secondary_path): under `scratch`, removed with it.
  std::filesystem::create_directories(scratch.path());
  const char* old_tmpdir = std::getenv("TMPDIR");
  std::string saved = old_tmpdir ? old_tmpdir : "";
  ::setenv("TMPDIR", scratch.str().c_str(), 1);
  auto reader = open_beside_the_bot(dir.str());
  if (old_tmpdir) {
    ::setenv("TMPDIR", saved.c_str(), 1);
  } else {
    ::unsetenv("TMPDIR");
  }
  REQUIRE_MESSAGE(reader.ok(), reader.status().to_string());
  CHECK((*reader)->catch_up().ok());
  CHECK(in_use_elsewhere(dir.str()));
  // An unusable path: open_cache reports and returns nullptr.
  CHECK(open_cache("/proc/snowcache-cannot-be-here") == nullptr);
}

TEST_CASE("2-5, 7. ingest, read, views, sessions, errors") {
  TempDir dir;
  auto cache = open_cache(dir.str());
  REQUIRE(cache);
  CHECK(hello_reply(*cache, 0) == "IDENTIFY");
  {
    snowcache::Gateway gateway(*cache);
    on_frame(gateway, 0, kReady);
    on_frame(gateway, 0, kGuildCreate);
    on_frame(gateway, 0, R"({"op":0,"t":"GUILD_CREATE","s":3,"d":{"id":"not a number"}})");  // printed, skipped
    on_frame(gateway, 0, kGuildCreate);  // s=2 again: a duplicate
  }
  CHECK(hello_reply(*cache, 0) == "RESUME abc123 seq=2 via wss://gateway-us-east1-b.discord.gg");
  CHECK(guild_name(*cache, kGuild) == "Snowcache Lab");
  CHECK(guild_name(*cache, Snowflake(1)) == "(not cached)");
  CHECK(contains(member_role_names(*cache, kGuild, kUser), "builders"));
  CHECK(member_role_names(*cache, kGuild, Snowflake(1)).empty());
  CHECK(channel_names(*cache, kGuild) == std::vector<std::string>{"general", "random"});
  CHECK(cached_members(*cache) == 1);

  REQUIRE(rename_channel(*cache, kGeneral, "lobby").ok());
  CHECK(channel_names(*cache, kGuild).front() == "lobby");
  CHECK(rename_channel(*cache, Snowflake(1), "x").code() == snowcache::Code::kNotFound);

  REQUIRE(forget_guild(*cache, kGuild).ok());
  CHECK(guild_name(*cache, kGuild) == "(not cached)");
  CHECK(cached_members(*cache) == 0);

  REQUIRE(remember_member(*cache).ok());
  CHECK(cached_members(*cache) == 1);
}

TEST_CASE("6. settings: stored with the cache, applied at open") {
  TempDir dir;
  {
    auto cache = open_lean(dir.str());
    REQUIRE_MESSAGE(cache.ok(), cache.status().to_string());
    CHECK_FALSE(snowcache::has_all((*cache)->settings().components, snowcache::Components::kPresences));
    CHECK_FALSE(snowcache::has_all((*cache)->settings().components, snowcache::Components::kMessages));
    CHECK(snowcache::has_all((*cache)->settings().components, snowcache::Components::kMembers));
    CHECK((*cache)->settings().max_dm_channel_ids == 20);
    CHECK((*cache)->settings().max_messages == 300);
  }
  auto again = open_cache(dir.str());  // Options{}: the stored settings
  REQUIRE(again);
  CHECK(again->settings().max_dm_channel_ids == 20);
}

TEST_CASE("8. the fixture helper") {
  TempDir dir;
  std::filesystem::create_directories(dir.path());
  std::string path = (dir.path() / "stream.ndjson").string();
  {
    std::ofstream out(path);
    out << "# a recorded stream\n" << kReady << "\n\n" << kGuildCreate << "\n";
  }
  CHECK(fixture_has_guild(path, kGuild));
  CHECK_FALSE(fixture_has_guild(path, Snowflake(1)));
  CHECK_FALSE(fixture_has_guild((dir.path() / "missing.ndjson").string(), kGuild));
  {
    std::ofstream out(path, std::ios::app);
    out << "{\"op\":0,\"t\":\"GUILD_CREATE\",\"s\":3,\"d\":{\"id\":\"x\"}}\n";
  }
  CHECK_FALSE(fixture_has_guild(path, kGuild));  // a rejected frame fails the fixture
}
