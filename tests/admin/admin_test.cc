// snowcache/admin.h: the kinds' description agrees with the dump's kinds and
// the key names get and ls use; family_stats counts what was written and
// sees it shrink after delete + compact.
#include <algorithm>
#include <string>
#include <vector>

#include "snowcache/admin.h"
#include "snowcache/dump.h"
#include "support.h"

using namespace snowcache;
using namespace snowcache::testing;

namespace {

const FamilyStats& family(const std::vector<FamilyStats>& stats, std::string_view name) {
  auto it = std::find_if(stats.begin(), stats.end(), [&](const FamilyStats& f) { return f.name == name; });
  REQUIRE(it != stats.end());
  return *it;
}

}  // namespace

TEST_CASE("kinds: the dump's kinds without me, in dump order") {
  std::vector<std::string_view> names;
  for (const auto& k : kinds()) names.push_back(k.name);
  std::vector<std::string_view> dumped = dump_kinds();
  REQUIRE(dumped.front() == "me");
  dumped.erase(dumped.begin());
  CHECK((names == dumped));
  CHECK(find_kind("me") == nullptr);
  CHECK(find_kind("bogus") == nullptr);
}

TEST_CASE("kinds: key parts, families and guild scope") {
  const auto* member = find_kind("member");
  REQUIRE(member != nullptr);
  CHECK(member->family == "members");
  CHECK((std::vector<std::string_view>(member->key_parts.begin(), member->key_parts.end()) ==
         std::vector<std::string_view>{"guild id", "user id"}));
  CHECK(member->guild_scoped);
  CHECK(find_kind("invite")->key_parts.front() == "code");
  CHECK(find_kind("guild_channel")->key_parts.front() == "channel id");
  CHECK(find_kind("dm_channel_id")->key_parts.front() == "user id");
  for (std::string_view unscoped : {"guild", "user", "dm_channel_id"}) CHECK_FALSE(find_kind(unscoped)->guild_scoped);
  for (std::string_view scoped : {"role", "thread", "invite", "presence", "voice_state", "message"}) {
    CHECK(find_kind(scoped)->guild_scoped);
  }
}

TEST_CASE("family_stats: counts per kind, bytes, every family listed") {
  TempDir dir;
  auto c = disk_cache(dir.path().string());
  ok(c->set_guild(guild(1)));
  for (std::uint64_t u = 10; u < 20; ++u) ok(c->set_member(member(1, u)));
  auto stats = ok(family_stats(*c));
  for (std::string_view name : {"guilds", "members", "users", "hidden_members", "index", "refs", "meta"}) {
    (void)family(stats, name);
  }
  CHECK(family(stats, "members").kind == "member");
  CHECK(family(stats, "members").entities == 10u);
  CHECK(family(stats, "users").entities == 10u);
  CHECK(family(stats, "guilds").entities == 1u);
  CHECK(family(stats, "index").kind.empty());
  CHECK_FALSE(family(stats, "index").entities.has_value());
  CHECK(family(stats, "members").memtable_bytes > 0);
  CHECK(family(stats, "members").bytes() ==
        family(stats, "members").sst_bytes + family(stats, "members").memtable_bytes);
}

TEST_CASE("compact: flushes everything into table files") {
  TempDir dir;
  auto c = disk_cache(dir.path().string());
  for (std::uint64_t g = 1; g <= 20; ++g) ok(c->set_guild(guild(g)));
  ok(compact(*c));
  auto stats = ok(family_stats(*c));
  CHECK(family(stats, "guilds").entities == 20u);
  CHECK(family(stats, "guilds").live_sst_bytes > 0);
  CHECK(family(stats, "guilds").estimated_keys > 0);
  CHECK(format_version() >= 2u);
}
