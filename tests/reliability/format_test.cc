// Format stability (docs/RELIABILITY.md): tests/format/vN-cache/ are cache
// directories written by snowcache format N (tests/format/make-cache.sh, from
// tests/fixtures/guild_life.ndjson and dm_messages.ndjson) and committed,
// with their frozen dumps (the contract).
//
// - The current format (2) opens in every mode, verifies, and reads back
//   exactly its frozen dump, which also equals what today's build ingests
//   from the same fixtures.
// - Format 1 is upgraded when opened for writing (lib/src/model/upgrade.h) and
//   refused, with the way out in the message, by read-only and secondary
//   opens. Upgraded, it holds the same entities, verifies, and reads as
//   tests/format/v1-cache.upgraded.dump.ndjson: its frozen dump with every
//   user shown as its one record (docs/SEMANTICS.md E1; format 1 kept stale
//   copies).
// The schema side of the contract is tests/format/conform.sh.
#include <filesystem>
#include <string>
#include <vector>

#include "reliability_support.h"
#include "snowcache/dump.h"
#include "snowcache/fixture.h"
#include "snowcache/verify.h"
#include "storage/store.h"

using namespace snowcache;
using namespace snowcache::testing;
namespace fs = std::filesystem;

namespace {

fs::path format_dir() {
  std::string root = env_or("SNOWCACHE_SOURCE_ROOT", "");
  REQUIRE_MESSAGE(!root.empty(), "SNOWCACHE_SOURCE_ROOT is not set (run the suite through meson test)");
  return fs::path(root) / "tests" / "format";
}

std::vector<std::string> dump_lines(const Cache& c) {
  std::vector<std::string> out;
  auto st = dump(c, {}, [&](std::string_view l) { out.emplace_back(l); });
  REQUIRE_MESSAGE(st.ok(), st.to_string());
  return out;
}

std::vector<std::string> lines_of(const std::string& path) {
  std::vector<std::string> out;
  std::string text = read_file(path), line;
  std::istringstream in(text);
  while (std::getline(in, line)) out.push_back(line);
  return out;
}

// A private copy of a committed directory: opening may write (LOCK, LOG, a
// new MANIFEST or WAL), and the committed files must stay as they are.
void copy_committed(const std::string& name, const fs::path& to) {
  fs::path from = format_dir() / name;
  REQUIRE_MESSAGE(fs::is_directory(from), from.string() << " is missing");
  fs::copy(from, to, fs::copy_options::recursive);
}

// The kinds a frozen dump must contain, so it cannot pass vacuously.
void check_non_trivial(const std::vector<std::string>& lines) {
  for (const char* kind : {"me", "guild", "guild_channel", "thread", "role", "emoji", "sticker", "member", "user",
                           "presence", "voice_state", "message", "dm_channel_id"}) {
    std::string tag = std::string("{\"kind\": \"") + kind + "\"";
    bool found = false;
    for (auto& l : lines) found = found || l.rfind(tag, 0) == 0;
    CHECK_MESSAGE(found, "the frozen dump holds no " << kind);
  }
}

std::vector<std::string> frozen_dump(const std::string& name) {
  auto lines = lines_of((format_dir() / name).string());
  check_non_trivial(lines);
  return lines;
}

std::string marker_of(const fs::path& dir) { return read_file((dir / std::string(detail::kMarkerFile)).string()); }

// A line with its key and no value: what two dumps of the same entities share.
std::string kind_and_key(const std::string& line) { return line.substr(0, line.find(", \"value\": ")); }

void check_verifies(const Cache& c) {
  require_verifies(c);
  auto rep = verify(c);
  REQUIRE(rep.ok());
  CHECK(rep->entities > 0);
  CHECK(rep->index_entries > 0);
}


// What tests/format/make-cache.sh 1 ingests: guild_life.ndjson as shard 0,
// dm_messages.ndjson without its READY as shard 1.
void ingest_v1_fixtures(MutableCache& c) {
  Gateway gw(c);
  auto rep = ingest_file(gw, fixture_path("guild_life.ndjson"), 0);
  REQUIRE(rep.ok());
  CHECK(rep->rejected == 0);
  std::size_t applied = 0;
  for (auto& f : frames_of(fixture_path("dm_messages.ndjson"))) {
    if (f.find("\"t\":\"READY\"") != std::string::npos) continue;
    auto r = gw.ingest_frame(1, f);
    INFO(describe(r));
    CHECK(r.outcome == Outcome::kApplied);
    ++applied;
  }
  CHECK(applied == 6);
}

}  // namespace

TEST_CASE("the committed directories are small, closed cleanly, and of their format") {
  for (int version : {1, 2}) {
    CAPTURE(version);
    fs::path dir = format_dir() / ("v" + std::to_string(version) + "-cache");
    REQUIRE(fs::is_directory(dir));
    CHECK(marker_of(dir) == "snowcache-format " + std::to_string(version) + "\n");
    std::uintmax_t total = 0;
    int ssts = 0, manifests = 0, options = 0;
    for (auto& e : fs::directory_iterator(dir)) {
      std::string name = e.path().filename().string();
      total += e.file_size();
      if (e.path().extension() == ".sst") ++ssts;
      if (name.rfind("MANIFEST-", 0) == 0) ++manifests;
      if (name.rfind("OPTIONS-", 0) == 0) ++options;
      if (e.path().extension() == ".log") CHECK_MESSAGE(e.file_size() == 0, name << ": the WAL should be empty");
      CHECK_MESSAGE(name.rfind("LOG", 0) != 0, name << " should not be committed");
    }
    CHECK(ssts > 0);
    CHECK(manifests == 1);
    CHECK(options == 1);
    CHECK(fs::exists(dir / "CURRENT"));
    CHECK(total < 200 * 1024);
  }
  // A build that changes the format commits a directory of the new one, and
  // keeps opening (upgrading) or clearly refusing the older ones.
  CHECK(detail::kFormatVersion == 2);
  CHECK(detail::kOldestUpgradable == 1);
}

TEST_CASE("the v2 cache opens in every mode, verifies, and dumps as frozen and as ingested today") {
  const auto frozen = frozen_dump("v2-cache.dump.ndjson");
  auto fresh = memory_cache();
  ingest_v1_fixtures(*fresh);
  CHECK(dump_lines(*fresh) == frozen);
  auto fresh_seq = session(*fresh, 0);
  REQUIRE(fresh_seq.ok());
  REQUIRE(fresh_seq->has_value());

  TempDir tmp;
  copy_committed("v2-cache", tmp.path());

  SUBCASE("read-only") {
    Options o;
    o.read_only = true;
    auto c = ok(Cache::open(tmp.str(), o));
    check_verifies(*c);
    CHECK(dump_lines(*c) == frozen);
    auto s = session(*c, 0);
    REQUIRE(s.ok());
    REQUIRE(s->has_value());
    CHECK((*s)->sequence == (*fresh_seq)->sequence);
    CHECK((*s)->session_id == (*fresh_seq)->session_id);
    CHECK(c->settings() == fresh->settings());
  }
  SUBCASE("secondary") {
    TempDir sec;
    Options o;
    o.secondary = true;
    o.secondary_path = sec.str();
    auto c = ok(Cache::open(tmp.str(), o));
    ok(c->catch_up());
    check_verifies(*c);
    CHECK(dump_lines(*c) == frozen);
  }
  SUBCASE("writable: opens, verifies, takes new writes, and reopens") {
    {
      Options o;
      o.create_if_missing = false;
      auto c = ok(MutableCache::open(tmp.str(), o));
      check_verifies(*c);
      CHECK(dump_lines(*c) == frozen);
      CHECK(census(*c) == census(*fresh));
      // The old directory is a working cache: the gateway resumes on it
      // (the fixture replayed is all duplicates) and new writes apply.
      Gateway gw(*c);
      auto rep = ingest_file(gw, fixture_path("guild_life.ndjson"));
      REQUIRE(rep.ok());
      CHECK(rep->applied == 0);
      CHECK(rep->duplicate == 23);
      CHECK(dump_lines(*c) == frozen);
      ok(c->set_guild(guild(12345, "added by today's build")));
    }
    auto c = ok(Cache::open(tmp.str(), Options{}));
    check_verifies(*c);
    auto g = c->get_guild(S(12345));
    REQUIRE(g.ok());
    REQUIRE(g->has_value());
    CHECK(str((**g)->name()) == "added by today's build");
    CHECK(dump_lines(*c).size() == frozen.size() + 1);
  }
}

TEST_CASE("the v1 cache: refused read-only, upgraded when opened for writing") {
  const auto frozen = frozen_dump("v1-cache.dump.ndjson");
  const auto upgraded = frozen_dump("v1-cache.upgraded.dump.ndjson");
  // The same entities; only the users shown differ, and only by what format 1
  // lost when it rewrote user records (a stored "public_flags": 0).
  REQUIRE(frozen.size() == upgraded.size());
  for (std::size_t i = 0; i < frozen.size(); ++i) {
    CHECK(kind_and_key(frozen[i]) == kind_and_key(upgraded[i]));
    std::string a = frozen[i], b = upgraded[i];
    for (std::string* l : {&a, &b}) {
      for (std::size_t at; (at = l->find(", \"public_flags\": 0")) != std::string::npos;) l->erase(at, 19);
    }
    CHECK(a == b);
  }

  TempDir tmp;
  copy_committed("v1-cache", tmp.path());
  for (bool secondary : {false, true}) {
    CAPTURE(secondary);
    TempDir sec;
    Options o;
    o.read_only = !secondary;
    o.secondary = secondary;
    o.secondary_path = sec.str();
    auto c = Cache::open(tmp.str(), o);
    REQUIRE_FALSE(c.ok());
    CHECK(c.status().code() == Code::kFormatMismatch);
    CHECK(c.status().message().find("open it for writing once") != std::string::npos);
  }
  CHECK(marker_of(tmp.path()) == "snowcache-format 1\n");  // refusing wrote nothing
  {
    Options o;
    o.create_if_missing = false;
    auto c = ok(MutableCache::open(tmp.str(), o));
    CHECK(marker_of(tmp.path()) == "snowcache-format 2\n");
    check_verifies(*c);
    CHECK(dump_lines(*c) == upgraded);
    Gateway gw(*c);
    auto rep = ingest_file(gw, fixture_path("guild_life.ndjson"));
    REQUIRE(rep.ok());
    CHECK(rep->duplicate == 23);
    ok(c->set_guild(guild(12345, "added after the upgrade")));
  }
  Options o;
  o.read_only = true;
  auto c = ok(Cache::open(tmp.str(), o));
  check_verifies(*c);
  CHECK(dump_lines(*c).size() == upgraded.size() + 1);
}
