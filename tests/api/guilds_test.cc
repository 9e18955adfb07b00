// Guilds (GUILDS): get/set/update/delete/clear, availability, D12 (R4), gating
// (R1, hikari-reference §2.1) and persistence across a reopen.
#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "api/cache_state.h"
#include "model/entity_ops.h"
#include "support.h"
#include "whitebox.h"

namespace {

using namespace snowcache;
using namespace snowcache::testing;

Snowflake sf(std::uint64_t v) { return Snowflake(v); }

const Components kNoGuilds = ~Components::kGuilds;

std::vector<std::string> names(const CacheView<Snowflake, fb::Guild>& view) {
  std::vector<std::string> out;
  for (auto it = view.begin(); it != view.end(); ++it) out.push_back(it.value()->name()->str());
  return out;
}

std::string name_of(const std::optional<Value<fb::Guild>>& g) {
  REQUIRE(g.has_value());
  return (*g)->name()->str();
}

fb::GuildT full_guild(std::uint64_t id, std::string name, int member_count, bool large, std::string joined_at) {
  fb::GuildT g = guild(id, std::move(name));
  g.member_count = member_count;
  g.large = large;
  g.joined_at = std::move(joined_at);
  return g;
}

}  // namespace

TEST_CASE("set_guild stores the guild; getters and views read it back") {
  auto c = memory_cache();
  ok(c->set_guild(guild(20, "beta")));
  ok(c->set_guild(guild(10, "alpha")));

  auto g = ok(c->get_guild(sf(10)));
  CHECK(name_of(g) == "alpha");
  CHECK((*g)->id() == 10);
  CHECK_FALSE((*g)->unavailable());
  CHECK(name_of(ok(c->get_available_guild(sf(10)))) == "alpha");
  CHECK_FALSE(ok(c->get_unavailable_guild(sf(10))).has_value());

  CHECK(ids(c->get_guilds_view()) == std::vector<std::uint64_t>{10, 20});
  CHECK(names(c->get_guilds_view()) == std::vector<std::string>{"alpha", "beta"});
  CHECK(ids(c->get_available_guilds_view()) == std::vector<std::uint64_t>{10, 20});
  CHECK(names(c->get_available_guilds_view()) == std::vector<std::string>{"alpha", "beta"});
  CHECK(c->get_unavailable_guilds_view().empty());
  CHECK(c->get_guilds_view()[sf(20)]->name()->str() == "beta");

  SUBCASE("absent ids miss") {
    CHECK_FALSE(ok(c->get_guild(sf(99))).has_value());
    CHECK_FALSE(ok(c->get_available_guild(sf(99))).has_value());
    CHECK_FALSE(ok(c->get_unavailable_guild(sf(99))).has_value());
    CHECK_FALSE(c->get_guilds_view().contains(sf(99)));
    CHECK_FALSE(c->get_available_guilds_view().contains(sf(99)));
  }

  SUBCASE("set_guild makes an unavailable input available") {
    fb::GuildT u = guild(30, "gamma");
    u.unavailable = true;
    ok(c->set_guild(u));
    auto got = ok(c->get_guild(sf(30)));
    REQUIRE(got);
    CHECK_FALSE((*got)->unavailable());
    CHECK(name_of(ok(c->get_available_guild(sf(30)))) == "gamma");
    CHECK(ids(c->get_available_guilds_view()) == std::vector<std::uint64_t>{10, 20, 30});
  }

  SUBCASE("set_guild replaces the stored guild") {
    ok(c->set_guild(guild(10, "alpha2")));
    CHECK(name_of(ok(c->get_guild(sf(10)))) == "alpha2");
    CHECK(c->get_guilds_view().size() == 2);
  }
}

TEST_CASE("set_guild_availability toggles a cached guild only") {
  auto c = memory_cache();
  ok(c->set_guild(guild(10, "alpha")));
  ok(c->set_guild(guild(20, "beta")));

  ok(c->set_guild_availability(sf(10), false));
  auto g = ok(c->get_guild(sf(10)));  // get_guild ignores availability
  CHECK(name_of(g) == "alpha");
  CHECK((*g)->unavailable());
  CHECK_FALSE(ok(c->get_available_guild(sf(10))).has_value());
  CHECK(name_of(ok(c->get_unavailable_guild(sf(10)))) == "alpha");
  CHECK(ids(c->get_available_guilds_view()) == std::vector<std::uint64_t>{20});
  CHECK(ids(c->get_unavailable_guilds_view()) == std::vector<std::uint64_t>{10});
  CHECK(names(c->get_unavailable_guilds_view()) == std::vector<std::string>{"alpha"});
  CHECK(ids(c->get_guilds_view()) == std::vector<std::uint64_t>{10, 20});

  SUBCASE("back to available") {
    ok(c->set_guild_availability(sf(10), true));
    CHECK(name_of(ok(c->get_available_guild(sf(10)))) == "alpha");
    CHECK_FALSE(ok(c->get_unavailable_guild(sf(10))).has_value());
    CHECK(c->get_unavailable_guilds_view().empty());
    CHECK(ids(c->get_available_guilds_view()) == std::vector<std::uint64_t>{10, 20});
  }

  SUBCASE("set_guild makes it available again and keeps the new data") {
    ok(c->set_guild(guild(10, "alpha-again")));
    CHECK(name_of(ok(c->get_available_guild(sf(10)))) == "alpha-again");
    CHECK(c->get_unavailable_guilds_view().empty());
  }

  SUBCASE("an uncached guild: nothing happens") {
    ok(c->set_guild_availability(sf(99), false));
    ok(c->set_guild_availability(sf(98), true));
    CHECK_FALSE(ok(c->get_guild(sf(99))).has_value());
    CHECK_FALSE(ok(c->get_guild(sf(98))).has_value());
    CHECK(ids(c->get_guilds_view()) == std::vector<std::uint64_t>{10, 20});
    CHECK(ids(c->get_unavailable_guilds_view()) == std::vector<std::uint64_t>{10});
  }

  SUBCASE("availability keeps the rest of the guild") {
    ok(c->set_guild(full_guild(30, "gamma", 77, true, "2020-05-05T00:00:00+00:00")));
    ok(c->set_guild_availability(sf(30), false));
    auto u = ok(c->get_unavailable_guild(sf(30)));
    REQUIRE(u);
    CHECK((*u)->name()->str() == "gamma");
    REQUIRE((*u)->member_count().has_value());
    CHECK((*u)->member_count().value() == 77);
    CHECK((*u)->large());
    CHECK((*u)->joined_at()->str() == "2020-05-05T00:00:00+00:00");
  }
}

TEST_CASE("update_guild returns (old, new)") {
  auto c = memory_cache();

  auto first = ok(c->update_guild(guild(10, "alpha")));
  CHECK_FALSE(first.old_value.has_value());
  REQUIRE(first.new_value.has_value());
  CHECK((*first.new_value)->name()->str() == "alpha");
  CHECK((*first.new_value)->id() == 10);
  CHECK(name_of(ok(c->get_available_guild(sf(10)))) == "alpha");

  fb::GuildT next = guild(10, "alpha2");
  next.member_count = 5;
  auto second = ok(c->update_guild(next));
  REQUIRE(second.old_value.has_value());
  REQUIRE(second.new_value.has_value());
  CHECK((*second.old_value)->name()->str() == "alpha");
  CHECK((*second.old_value)->member_count().value() == 1);
  CHECK((*second.new_value)->name()->str() == "alpha2");
  CHECK((*second.new_value)->member_count().value() == 5);
  CHECK(name_of(ok(c->get_guild(sf(10)))) == "alpha2");
  CHECK(c->get_guilds_view().size() == 1);

  SUBCASE("update of an unavailable guild makes it available") {
    ok(c->set_guild_availability(sf(10), false));
    auto u = ok(c->update_guild(guild(10, "alpha3")));
    REQUIRE(u.old_value);
    CHECK((*u.old_value)->unavailable());
    REQUIRE(u.new_value);
    CHECK_FALSE((*u.new_value)->unavailable());
    CHECK(name_of(ok(c->get_available_guild(sf(10)))) == "alpha3");
  }
}

TEST_CASE("update_guild without member_count keeps member_count, large and joined_at (R4, D12)") {
  auto c = memory_cache();
  ok(c->set_guild(full_guild(10, "alpha", 42, true, "2021-01-01T00:00:00+00:00")));

  // A GUILD_UPDATE: no member_count, and large/joined_at absent (defaults).
  fb::GuildT upd = guild(10, "renamed");
  upd.member_count = flatbuffers::nullopt;
  upd.large = false;
  upd.joined_at.clear();
  upd.owner_id = 555;
  auto u = ok(c->update_guild(upd));
  REQUIRE(u.old_value);
  REQUIRE(u.new_value);
  CHECK((*u.old_value)->name()->str() == "alpha");
  CHECK((*u.new_value)->name()->str() == "renamed");
  CHECK((*u.new_value)->owner_id() == 555);
  REQUIRE((*u.new_value)->member_count().has_value());
  CHECK((*u.new_value)->member_count().value() == 42);
  CHECK((*u.new_value)->large());
  REQUIRE((*u.new_value)->joined_at());
  CHECK((*u.new_value)->joined_at()->str() == "2021-01-01T00:00:00+00:00");

  auto stored = ok(c->get_guild(sf(10)));
  REQUIRE(stored);
  CHECK((*stored)->name()->str() == "renamed");
  CHECK((*stored)->member_count().value() == 42);
  CHECK((*stored)->large());
  CHECK((*stored)->joined_at()->str() == "2021-01-01T00:00:00+00:00");

  SUBCASE("an update WITH member_count replaces all three") {
    fb::GuildT create = full_guild(10, "recreated", 7, false, "2022-02-02T00:00:00+00:00");
    auto r = ok(c->update_guild(create));
    REQUIRE(r.old_value);
    CHECK((*r.old_value)->member_count().value() == 42);
    REQUIRE(r.new_value);
    CHECK((*r.new_value)->member_count().value() == 7);
    CHECK_FALSE((*r.new_value)->large());
    CHECK((*r.new_value)->joined_at()->str() == "2022-02-02T00:00:00+00:00");
    auto g = ok(c->get_guild(sf(10)));
    CHECK((*g)->member_count().value() == 7);
    CHECK_FALSE((*g)->large());
    CHECK((*g)->joined_at()->str() == "2022-02-02T00:00:00+00:00");
    CHECK((*g)->name()->str() == "recreated");
  }

  SUBCASE("an uncached guild without member_count is stored as given") {
    fb::GuildT n = guild(20, "new");
    n.member_count = flatbuffers::nullopt;
    auto r = ok(c->update_guild(n));
    CHECK_FALSE(r.old_value);
    REQUIRE(r.new_value);
    CHECK_FALSE((*r.new_value)->member_count().has_value());
    CHECK((*r.new_value)->name()->str() == "new");
    CHECK(name_of(ok(c->get_available_guild(sf(20)))) == "new");
  }
}

TEST_CASE("delete_guild removes only the guild object") {
  auto c = memory_cache();
  ok(c->set_guild(guild(10, "alpha")));
  ok(c->set_guild(guild(20, "beta")));
  ok(c->set_guild_channel(channel(100, 10, 0, 0, std::nullopt, "general")));
  ok(c->set_role(role(200, 10, "admin")));
  ok(c->set_thread(thread(300, 10, 100, "t")));
  ok(c->set_member(member(10, 5, "nick")));

  auto removed = ok(c->delete_guild(sf(10)));
  CHECK(name_of(removed) == "alpha");
  CHECK_FALSE(ok(c->get_guild(sf(10))).has_value());
  CHECK_FALSE(ok(c->get_available_guild(sf(10))).has_value());
  CHECK(ids(c->get_guilds_view()) == std::vector<std::uint64_t>{20});
  CHECK(ids(c->get_available_guilds_view()) == std::vector<std::uint64_t>{20});

  // Cascading is the event layer's job: the guild's other data stays.
  CHECK(ok(c->get_guild_channel(sf(100))).has_value());
  CHECK(ids(c->get_guild_channels_view_for_guild(sf(10))) == std::vector<std::uint64_t>{100});
  CHECK(ids(c->get_roles_view_for_guild(sf(10))) == std::vector<std::uint64_t>{200});
  CHECK(ids(c->get_threads_view_for_guild(sf(10))) == std::vector<std::uint64_t>{300});
  CHECK(ok(c->get_member(sf(10), sf(5))).has_value());
  CHECK(ok(c->get_user(sf(5))).has_value());

  CHECK_FALSE(ok(c->delete_guild(sf(10))).has_value());  // already gone
  CHECK_FALSE(ok(c->delete_guild(sf(99))).has_value());  // never there
  CHECK(ids(c->get_guilds_view()) == std::vector<std::uint64_t>{20});

  SUBCASE("an unavailable guild is deleted and returned too") {
    ok(c->set_guild_availability(sf(20), false));
    auto r = ok(c->delete_guild(sf(20)));
    CHECK(name_of(r) == "beta");
    CHECK((*r)->unavailable());
    CHECK(c->get_guilds_view().empty());
    CHECK(c->get_unavailable_guilds_view().empty());
  }
}

TEST_CASE("clear_guilds returns what it removed") {
  auto c = memory_cache();
  {
    auto none = ok(c->clear_guilds());
    CHECK(none.empty());
  }
  ok(c->set_guild(guild(20, "beta")));
  ok(c->set_guild(guild(10, "alpha")));
  ok(c->set_guild_availability(sf(20), false));
  ok(c->set_guild_channel(channel(100, 10)));

  auto removed = ok(c->clear_guilds());
  CHECK(ids(removed) == std::vector<std::uint64_t>{10, 20});
  CHECK(names(removed) == std::vector<std::string>{"alpha", "beta"});
  CHECK(removed[sf(20)]->unavailable());
  CHECK(removed.get_item_at(0)->name()->str() == "alpha");

  CHECK(c->get_guilds_view().empty());
  CHECK(c->get_available_guilds_view().empty());
  CHECK(c->get_unavailable_guilds_view().empty());
  CHECK_FALSE(ok(c->get_guild(sf(10))).has_value());
  CHECK_FALSE(ok(c->get_guild(sf(20))).has_value());
  CHECK(ok(c->get_guild_channel(sf(100))).has_value());  // only guild objects go

  // The returned view is a snapshot: later writes do not show in it.
  ok(c->set_guild(guild(30, "gamma")));
  CHECK(ids(removed) == std::vector<std::uint64_t>{10, 20});
  CHECK(ok(c->clear_guilds()).size() == 1);
}

TEST_CASE("guild views are snapshots") {
  auto c = memory_cache();
  ok(c->set_guild(guild(10, "alpha")));
  auto all = c->get_guilds_view();
  auto available = c->get_available_guilds_view();
  ok(c->set_guild(guild(20, "beta")));
  ok(c->set_guild(guild(10, "changed")));
  ok(c->set_guild_availability(sf(10), false));
  CHECK(ids(all) == std::vector<std::uint64_t>{10});
  CHECK(names(all) == std::vector<std::string>{"alpha"});
  CHECK(ids(available) == std::vector<std::uint64_t>{10});
  CHECK(ids(c->get_available_guilds_view()) == std::vector<std::uint64_t>{20});
}

TEST_CASE("GUILDS disabled: getters miss, setters do nothing") {
  auto c = memory_cache(only(kNoGuilds));
  CHECK(c->settings().components == kNoGuilds);

  ok(c->set_guild(guild(10, "alpha")));
  CHECK_FALSE(ok(c->get_guild(sf(10))).has_value());
  CHECK_FALSE(ok(c->get_available_guild(sf(10))).has_value());
  CHECK_FALSE(ok(c->get_unavailable_guild(sf(10))).has_value());
  CHECK(c->get_available_guilds_view().empty());
  CHECK(c->get_unavailable_guilds_view().empty());
  // get_guilds_view is ungated, so an empty one shows nothing was written.
  CHECK(c->get_guilds_view().empty());

  auto u = ok(c->update_guild(guild(10, "alpha")));
  CHECK_FALSE(u.old_value.has_value());
  CHECK_FALSE(u.new_value.has_value());
  CHECK(c->get_guilds_view().empty());

  ok(c->set_guild_availability(sf(10), false));
  CHECK(c->get_guilds_view().empty());
  CHECK_FALSE(ok(c->delete_guild(sf(10))).has_value());
  CHECK(ok(c->clear_guilds()).empty());

  // Other kinds still work.
  ok(c->set_guild_channel(channel(100, 10)));
  CHECK(ok(c->get_guild_channel(sf(100))).has_value());
}

TEST_CASE("GUILDS disabled: get_guilds_view is ungated, the other guild readers are gated") {
  // A guild stored while GUILDS is off cannot come from the public API (a
  // reopen with GUILDS off clears them), so write one underneath it.
  auto c = memory_cache(only(kNoGuilds));
  raw_put<fb::Guild>(*c, guild(10, "hidden"));

  CHECK(ids(c->get_guilds_view()) == std::vector<std::uint64_t>{10});
  CHECK(names(c->get_guilds_view()) == std::vector<std::string>{"hidden"});
  CHECK_FALSE(ok(c->get_guild(sf(10))).has_value());
  CHECK_FALSE(ok(c->get_available_guild(sf(10))).has_value());
  CHECK(c->get_available_guilds_view().empty());
  CHECK(c->get_unavailable_guilds_view().empty());
  CHECK_FALSE(ok(c->delete_guild(sf(10))).has_value());
  CHECK(ok(c->clear_guilds()).empty());
  ok(c->set_guild_availability(sf(10), false));
  CHECK_FALSE(c->get_guilds_view()[sf(10)]->unavailable());
  CHECK(c->get_guilds_view().size() == 1);  // none of the gated calls removed it
}

TEST_CASE("reopening keeps guilds, their availability and GUILD_CREATE-only fields") {
  TempDir dir;
  {
    auto c = disk_cache(dir.str());
    ok(c->set_guild(full_guild(10, "alpha", 42, true, "2021-01-01T00:00:00+00:00")));
    ok(c->set_guild(guild(20, "beta")));
    ok(c->set_guild(guild(30, "gamma")));
    ok(c->set_guild_availability(sf(20), false));
    CHECK(name_of(ok(c->delete_guild(sf(30)))) == "gamma");
  }
  auto c = disk_cache(dir.str());
  auto g = ok(c->get_available_guild(sf(10)));
  CHECK(name_of(g) == "alpha");
  CHECK((*g)->member_count().value() == 42);
  CHECK((*g)->large());
  CHECK((*g)->joined_at()->str() == "2021-01-01T00:00:00+00:00");
  CHECK(name_of(ok(c->get_unavailable_guild(sf(20)))) == "beta");
  CHECK_FALSE(ok(c->get_guild(sf(30))).has_value());
  CHECK(ids(c->get_guilds_view()) == std::vector<std::uint64_t>{10, 20});
  CHECK(ids(c->get_available_guilds_view()) == std::vector<std::uint64_t>{10});
  CHECK(ids(c->get_unavailable_guilds_view()) == std::vector<std::uint64_t>{20});

  // D12 still applies after the reopen.
  fb::GuildT upd = guild(10, "renamed");
  upd.member_count = flatbuffers::nullopt;
  auto u = ok(c->update_guild(upd));
  REQUIRE(u.new_value);
  CHECK((*u.new_value)->member_count().value() == 42);
  CHECK((*u.new_value)->large());
}

TEST_CASE("reopening with GUILDS disabled clears the guilds (R1)") {
  TempDir dir;
  {
    auto c = disk_cache(dir.str());
    ok(c->set_guild(guild(10, "alpha")));
    ok(c->set_guild_channel(channel(100, 10)));
  }
  {
    auto c = disk_cache(dir.str(), only(kNoGuilds));
    CHECK(c->get_guilds_view().empty());  // ungated: really gone
    CHECK(ok(c->get_guild_channel(sf(100))).has_value());
  }
  auto c = disk_cache(dir.str(), Settings{});
  CHECK(c->get_guilds_view().empty());
  CHECK_FALSE(ok(c->get_guild(sf(10))).has_value());
  CHECK(ok(c->get_guild_channel(sf(100))).has_value());
}
