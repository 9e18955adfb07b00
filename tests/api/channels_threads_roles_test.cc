// Guild channels (GUILD_CHANNELS), threads (GUILD_THREADS) and roles (ROLES):
// get/set/update/delete/clear, per-guild and per-channel views, bad input,
// gating (R1, hikari-reference §2.1) and persistence across a reopen.
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

constexpr int kText = 0, kVoice = 2, kCategory = 4, kStage = 13;

template <class V>
std::vector<std::string> names(const CacheView<Snowflake, V>& view) {
  std::vector<std::string> out;
  for (auto it = view.begin(); it != view.end(); ++it) out.push_back(it.value()->name()->str());
  return out;
}

template <class V>
std::string name_of(const std::optional<Value<V>>& v) {
  REQUIRE(v.has_value());
  return (*v)->name()->str();
}

using Names = std::vector<std::string>;

}  // namespace

// ---------------------------------------------------------------- channels

TEST_CASE("guild channels: set, get and views") {
  auto c = memory_cache();
  ok(c->set_guild_channel(channel(101, 10, kVoice, 0, std::nullopt, "voice")));
  ok(c->set_guild_channel(channel(100, 10, kText, 0, std::nullopt, "general")));
  ok(c->set_guild_channel(channel(200, 20, kText, 0, std::nullopt, "other")));

  auto ch = ok(c->get_guild_channel(sf(100)));
  CHECK(name_of(ch) == "general");
  CHECK((*ch)->id() == 100);
  CHECK((*ch)->guild_id() == 10);
  CHECK((*ch)->type() == kText);
  CHECK(ok(c->get_guild_channel(sf(101))).value()->type() == kVoice);

  CHECK(ids(c->get_guild_channels_view()) == Ids{100, 101, 200});
  CHECK(names(c->get_guild_channels_view()) == Names{"general", "voice", "other"});
  CHECK(ids(c->get_guild_channels_view_for_guild(sf(10))) == Ids{100, 101});
  CHECK(ids(c->get_guild_channels_view_for_guild(sf(20))) == Ids{200});
  CHECK(c->get_guild_channels_view_for_guild(sf(10))[sf(101)]->name()->str() == "voice");
  CHECK_FALSE(c->get_guild_channels_view_for_guild(sf(10)).contains(sf(200)));

  SUBCASE("absent ids") {
    CHECK_FALSE(ok(c->get_guild_channel(sf(999))).has_value());
    CHECK(c->get_guild_channels_view_for_guild(sf(99)).empty());
    CHECK_FALSE(ok(c->delete_guild_channel(sf(999))).has_value());
    CHECK(ok(c->clear_guild_channels_for_guild(sf(99))).empty());
    CHECK(c->get_guild_channels_view().size() == 3);
  }
}

TEST_CASE("guild channels: per-guild view is in Discord's client order (R2)") {
  auto c = memory_cache();
  ok(c->set_guild_channel(channel(110, 10, kCategory, 0, std::nullopt, "cat")));
  ok(c->set_guild_channel(channel(111, 10, kCategory, 1, std::nullopt, "cat2")));
  ok(c->set_guild_channel(channel(112, 10, kText, 5, 110, "general")));
  ok(c->set_guild_channel(channel(113, 10, kText, 0, 111, "random")));
  ok(c->set_guild_channel(channel(114, 10, kVoice, 0, 110, "vc")));
  ok(c->set_guild_channel(channel(115, 10, kText, 5, std::nullopt, "rules")));
  ok(c->set_guild_channel(channel(117, 10, kStage, 6, 110, "stage")));  // stage is "not voice"
  // Parent not cached: sorts as if it had no parent (D10), never an error.
  ok(c->set_guild_channel(channel(116, 10, kText, 3, 999, "orphan")));

  auto v = c->get_guild_channels_view_for_guild(sf(10));
  CHECK(names(v) == Names{"orphan", "rules", "cat", "general", "stage", "vc", "cat2", "random"});
  CHECK(ids(v) == Ids{116, 115, 110, 112, 117, 114, 111, 113});
  CHECK(v.get_item_at(2)->name()->str() == "cat");
  // The global view stays in id order.
  CHECK(ids(c->get_guild_channels_view()) == Ids{110, 111, 112, 113, 114, 115, 116, 117});
}

TEST_CASE("guild channels: update returns (old, new)") {
  auto c = memory_cache();
  auto first = ok(c->update_guild_channel(channel(100, 10, kText, 0, std::nullopt, "general")));
  CHECK_FALSE(first.old_value.has_value());
  CHECK(name_of(first.new_value) == "general");
  CHECK(name_of(ok(c->get_guild_channel(sf(100)))) == "general");

  auto second = ok(c->update_guild_channel(channel(100, 10, kText, 3, std::nullopt, "renamed")));
  CHECK(name_of(second.old_value) == "general");
  CHECK((*second.old_value)->position() == 0);
  CHECK(name_of(second.new_value) == "renamed");
  CHECK((*second.new_value)->position() == 3);
  CHECK(name_of(ok(c->get_guild_channel(sf(100)))) == "renamed");
  CHECK(ids(c->get_guild_channels_view()) == Ids{100});
  CHECK(names(c->get_guild_channels_view_for_guild(sf(10))) == Names{"renamed"});

  SUBCASE("moving a channel to another guild moves it between per-guild views") {
    auto moved = ok(c->update_guild_channel(channel(100, 20, kText, 3, std::nullopt, "moved")));
    CHECK((*moved.old_value)->guild_id() == 10);
    CHECK((*moved.new_value)->guild_id() == 20);
    CHECK(c->get_guild_channels_view_for_guild(sf(10)).empty());
    CHECK(ids(c->get_guild_channels_view_for_guild(sf(20))) == Ids{100});
    CHECK(ok(c->clear_guild_channels_for_guild(sf(10))).empty());
    CHECK(ok(c->get_guild_channel(sf(100))).has_value());
  }
}

TEST_CASE("guild channels: delete returns the removed channel") {
  auto c = memory_cache();
  ok(c->set_guild_channel(channel(100, 10, kText, 0, std::nullopt, "general")));
  ok(c->set_guild_channel(channel(101, 10, kText, 1, std::nullopt, "second")));

  auto removed = ok(c->delete_guild_channel(sf(100)));
  CHECK(name_of(removed) == "general");
  CHECK((*removed)->guild_id() == 10);
  CHECK_FALSE(ok(c->get_guild_channel(sf(100))).has_value());
  CHECK(ids(c->get_guild_channels_view()) == Ids{101});
  CHECK(ids(c->get_guild_channels_view_for_guild(sf(10))) == Ids{101});
  CHECK_FALSE(ok(c->delete_guild_channel(sf(100))).has_value());
}

TEST_CASE("guild channels: clear_guild_channels_for_guild leaves other guilds alone") {
  auto c = memory_cache();
  ok(c->set_guild_channel(channel(100, 10, kText, 0, std::nullopt, "a")));
  ok(c->set_guild_channel(channel(101, 10, kVoice, 0, std::nullopt, "b")));
  ok(c->set_guild_channel(channel(200, 20, kText, 0, std::nullopt, "c")));
  ok(c->set_thread(thread(300, 10, 100)));

  auto removed = ok(c->clear_guild_channels_for_guild(sf(10)));
  CHECK(ids(removed) == Ids{100, 101});
  CHECK(names(removed) == Names{"a", "b"});
  CHECK_FALSE(ok(c->get_guild_channel(sf(100))).has_value());
  CHECK_FALSE(ok(c->get_guild_channel(sf(101))).has_value());
  CHECK(c->get_guild_channels_view_for_guild(sf(10)).empty());
  CHECK(name_of(ok(c->get_guild_channel(sf(200)))) == "c");
  CHECK(ids(c->get_guild_channels_view()) == Ids{200});
  CHECK(ids(c->get_guild_channels_view_for_guild(sf(20))) == Ids{200});
  CHECK(ok(c->get_thread(sf(300))).has_value());  // threads are not channels
  CHECK(ok(c->clear_guild_channels_for_guild(sf(10))).empty());

  // The returned view is a snapshot of what was removed.
  ok(c->set_guild_channel(channel(102, 10, kText, 0, std::nullopt, "new")));
  CHECK(ids(removed) == Ids{100, 101});
}

TEST_CASE("guild channels: clear_guild_channels removes every channel") {
  auto c = memory_cache();
  CHECK(ok(c->clear_guild_channels()).empty());
  ok(c->set_guild_channel(channel(200, 20, kText, 0, std::nullopt, "c")));
  ok(c->set_guild_channel(channel(100, 10, kText, 0, std::nullopt, "a")));
  auto removed = ok(c->clear_guild_channels());
  CHECK(ids(removed) == Ids{100, 200});
  CHECK(names(removed) == Names{"a", "c"});
  CHECK(c->get_guild_channels_view().empty());
  CHECK(c->get_guild_channels_view_for_guild(sf(10)).empty());
  CHECK(c->get_guild_channels_view_for_guild(sf(20)).empty());
  CHECK_FALSE(ok(c->get_guild_channel(sf(100))).has_value());
}

TEST_CASE("guild channels: a channel without guild id is rejected and writes nothing") {
  auto c = memory_cache();
  ok(c->set_guild_channel(channel(100, 10, kText, 0, std::nullopt, "a")));
  auto st = c->set_guild_channel(channel(101, 0, kText, 0, std::nullopt, "bad"));
  CHECK(st.code() == Code::kInvalidArgument);
  auto up = c->update_guild_channel(channel(100, 0, kText, 0, std::nullopt, "bad"));
  REQUIRE_FALSE(up.ok());
  CHECK(up.status().code() == Code::kInvalidArgument);
  CHECK_FALSE(ok(c->get_guild_channel(sf(101))).has_value());
  CHECK(name_of(ok(c->get_guild_channel(sf(100)))) == "a");
  CHECK(ids(c->get_guild_channels_view()) == Ids{100});
  CHECK(ids(c->get_guild_channels_view_for_guild(sf(10))) == Ids{100});
  CHECK(c->get_guild_channels_view_for_guild(sf(0)).empty());
}

TEST_CASE("GUILD_CHANNELS disabled: getters miss, setters do nothing") {
  auto c = memory_cache(only(~Components::kGuildChannels));
  ok(c->set_guild_channel(channel(100, 10, kText, 0, std::nullopt, "a")));
  CHECK_FALSE(ok(c->get_guild_channel(sf(100))).has_value());
  CHECK(c->get_guild_channels_view().empty());
  CHECK(c->get_guild_channels_view_for_guild(sf(10)).empty());
  auto u = ok(c->update_guild_channel(channel(100, 10, kText, 0, std::nullopt, "a")));
  CHECK_FALSE(u.old_value.has_value());
  CHECK_FALSE(u.new_value.has_value());
  CHECK_FALSE(ok(c->delete_guild_channel(sf(100))).has_value());
  CHECK(ok(c->clear_guild_channels()).empty());
  CHECK(ok(c->clear_guild_channels_for_guild(sf(10))).empty());
  // A bad channel is not even looked at when the kind is off.
  ok(c->set_guild_channel(channel(101, 0, kText, 0, std::nullopt, "bad")));
  // Nothing was written underneath either.
  CHECK(raw_size(*c, detail::Cf::kGuildChannels) == 0);
  CHECK(raw_size(*c, detail::Cf::kIndex) == 0);

  // Gated calls neither read nor remove a channel stored underneath the API.
  raw_put<fb::GuildChannel>(*c, channel(102, 10, kText, 0, std::nullopt, "raw"));
  CHECK_FALSE(ok(c->get_guild_channel(sf(102))).has_value());
  CHECK(c->get_guild_channels_view().empty());
  CHECK(c->get_guild_channels_view_for_guild(sf(10)).empty());
  CHECK_FALSE(ok(c->delete_guild_channel(sf(102))).has_value());
  CHECK(ok(c->clear_guild_channels()).empty());
  CHECK(ok(c->clear_guild_channels_for_guild(sf(10))).empty());
  CHECK(raw_size(*c, detail::Cf::kGuildChannels) == 1);
}

// ---------------------------------------------------------------- threads

TEST_CASE("threads: set, get and the three views") {
  auto c = memory_cache();
  ok(c->set_thread(thread(302, 10, 100, "t302")));
  ok(c->set_thread(thread(301, 10, 101, "t301")));
  ok(c->set_thread(thread(300, 10, 100, "t300")));
  ok(c->set_thread(thread(400, 20, 200, "t400")));

  auto t = ok(c->get_thread(sf(300)));
  CHECK(name_of(t) == "t300");
  CHECK((*t)->guild_id() == 10);
  CHECK((*t)->parent_id() == 100);
  CHECK((*t)->type() == 11);

  CHECK(ids(c->get_threads_view()) == Ids{300, 301, 302, 400});
  CHECK(names(c->get_threads_view()) == Names{"t300", "t301", "t302", "t400"});
  CHECK(ids(c->get_threads_view_for_guild(sf(10))) == Ids{300, 301, 302});  // ascending id
  CHECK(names(c->get_threads_view_for_guild(sf(10))) == Names{"t300", "t301", "t302"});
  CHECK(ids(c->get_threads_view_for_guild(sf(20))) == Ids{400});
  CHECK(ids(c->get_threads_view_for_channel(sf(10), sf(100))) == Ids{300, 302});
  CHECK(ids(c->get_threads_view_for_channel(sf(10), sf(101))) == Ids{301});
  CHECK(c->get_threads_view_for_channel(sf(10), sf(101))[sf(301)]->name()->str() == "t301");
  CHECK_FALSE(c->get_threads_view_for_channel(sf(10), sf(100)).contains(sf(301)));

  SUBCASE("absent ids") {
    CHECK_FALSE(ok(c->get_thread(sf(999))).has_value());
    CHECK(c->get_threads_view_for_guild(sf(99)).empty());
    CHECK(c->get_threads_view_for_channel(sf(10), sf(999)).empty());
    CHECK(c->get_threads_view_for_channel(sf(20), sf(100)).empty());  // channel of another guild
    CHECK_FALSE(ok(c->delete_thread(sf(999))).has_value());
    CHECK(ok(c->clear_threads_for_channel(sf(10), sf(999))).empty());
    CHECK(ok(c->clear_threads_for_guild(sf(99))).empty());
    CHECK(c->get_threads_view().size() == 4);
  }
}

TEST_CASE("threads: update returns (old, new) and moves between per-channel views") {
  auto c = memory_cache();
  auto first = ok(c->update_thread(thread(300, 10, 100, "t")));
  CHECK_FALSE(first.old_value.has_value());
  CHECK(name_of(first.new_value) == "t");
  ok(c->set_thread(thread(301, 10, 101, "other")));

  auto moved = ok(c->update_thread(thread(300, 10, 101, "t-moved")));
  CHECK(name_of(moved.old_value) == "t");
  CHECK((*moved.old_value)->parent_id() == 100);
  CHECK(name_of(moved.new_value) == "t-moved");
  CHECK((*moved.new_value)->parent_id() == 101);
  CHECK(name_of(ok(c->get_thread(sf(300)))) == "t-moved");
  CHECK(c->get_threads_view_for_channel(sf(10), sf(100)).empty());
  CHECK(ids(c->get_threads_view_for_channel(sf(10), sf(101))) == Ids{300, 301});
  CHECK(ids(c->get_threads_view_for_guild(sf(10))) == Ids{300, 301});
  CHECK(ids(c->get_threads_view()) == Ids{300, 301});

  SUBCASE("the old channel's clear no longer takes it") {
    CHECK(ok(c->clear_threads_for_channel(sf(10), sf(100))).empty());
    CHECK(ok(c->get_thread(sf(300))).has_value());
  }
}

TEST_CASE("threads: delete returns the removed thread") {
  auto c = memory_cache();
  ok(c->set_thread(thread(300, 10, 100, "a")));
  ok(c->set_thread(thread(301, 10, 100, "b")));
  auto removed = ok(c->delete_thread(sf(300)));
  CHECK(name_of(removed) == "a");
  CHECK((*removed)->parent_id() == 100);
  CHECK_FALSE(ok(c->get_thread(sf(300))).has_value());
  CHECK(ids(c->get_threads_view()) == Ids{301});
  CHECK(ids(c->get_threads_view_for_guild(sf(10))) == Ids{301});
  CHECK(ids(c->get_threads_view_for_channel(sf(10), sf(100))) == Ids{301});
  CHECK_FALSE(ok(c->delete_thread(sf(300))).has_value());
}

TEST_CASE("threads: clear_threads_for_channel returns what it removed (D4)") {
  auto c = memory_cache();
  ok(c->set_thread(thread(300, 10, 100, "a")));
  ok(c->set_thread(thread(302, 10, 100, "c")));
  ok(c->set_thread(thread(301, 10, 101, "b")));
  ok(c->set_thread(thread(400, 20, 100, "same-parent-id-other-guild")));

  auto removed = ok(c->clear_threads_for_channel(sf(10), sf(100)));
  CHECK(ids(removed) == Ids{300, 302});
  CHECK(names(removed) == Names{"a", "c"});
  CHECK(removed.size() == 2);
  CHECK_FALSE(ok(c->get_thread(sf(300))).has_value());
  CHECK_FALSE(ok(c->get_thread(sf(302))).has_value());
  CHECK(c->get_threads_view_for_channel(sf(10), sf(100)).empty());
  CHECK(ids(c->get_threads_view_for_channel(sf(10), sf(101))) == Ids{301});
  CHECK(ids(c->get_threads_view_for_channel(sf(20), sf(100))) == Ids{400});
  CHECK(ids(c->get_threads_view()) == Ids{301, 400});
  CHECK(ok(c->clear_threads_for_channel(sf(10), sf(100))).empty());
}

TEST_CASE("threads: clear_threads_for_guild and clear_threads") {
  auto c = memory_cache();
  CHECK(ok(c->clear_threads()).empty());
  ok(c->set_thread(thread(301, 10, 101, "b")));
  ok(c->set_thread(thread(300, 10, 100, "a")));
  ok(c->set_thread(thread(400, 20, 200, "z")));

  auto removed = ok(c->clear_threads_for_guild(sf(10)));
  CHECK(ids(removed) == Ids{300, 301});
  CHECK(names(removed) == Names{"a", "b"});
  CHECK(c->get_threads_view_for_guild(sf(10)).empty());
  CHECK(c->get_threads_view_for_channel(sf(10), sf(100)).empty());
  CHECK(ids(c->get_threads_view_for_guild(sf(20))) == Ids{400});
  CHECK(ids(c->get_threads_view()) == Ids{400});

  ok(c->set_thread(thread(500, 30, 300, "y")));
  auto all = ok(c->clear_threads());
  CHECK(ids(all) == Ids{400, 500});
  CHECK(names(all) == Names{"z", "y"});
  CHECK(c->get_threads_view().empty());
  CHECK(c->get_threads_view_for_guild(sf(20)).empty());
  CHECK(c->get_threads_view_for_channel(sf(30), sf(300)).empty());
  CHECK_FALSE(ok(c->get_thread(sf(400))).has_value());
}

TEST_CASE("threads: a thread without guild id is rejected and writes nothing") {
  auto c = memory_cache();
  ok(c->set_thread(thread(300, 10, 100, "a")));
  CHECK(c->set_thread(thread(301, 0, 100, "bad")).code() == Code::kInvalidArgument);
  auto up = c->update_thread(thread(300, 0, 100, "bad"));
  REQUIRE_FALSE(up.ok());
  CHECK(up.status().code() == Code::kInvalidArgument);
  CHECK_FALSE(ok(c->get_thread(sf(301))).has_value());
  CHECK(name_of(ok(c->get_thread(sf(300)))) == "a");
  CHECK(ids(c->get_threads_view()) == Ids{300});
  CHECK(ids(c->get_threads_view_for_channel(sf(10), sf(100))) == Ids{300});
  CHECK(c->get_threads_view_for_guild(sf(0)).empty());
}

TEST_CASE("GUILD_THREADS disabled: getters miss, setters do nothing, get_threads_view is ungated") {
  auto c = memory_cache(only(~Components::kGuildThreads));
  ok(c->set_thread(thread(300, 10, 100, "a")));
  CHECK_FALSE(ok(c->get_thread(sf(300))).has_value());
  CHECK(c->get_threads_view().empty());  // ungated: nothing was written
  CHECK(c->get_threads_view_for_guild(sf(10)).empty());
  CHECK(c->get_threads_view_for_channel(sf(10), sf(100)).empty());
  auto u = ok(c->update_thread(thread(300, 10, 100, "a")));
  CHECK_FALSE(u.old_value.has_value());
  CHECK_FALSE(u.new_value.has_value());
  CHECK(c->get_threads_view().empty());
  CHECK_FALSE(ok(c->delete_thread(sf(300))).has_value());
  CHECK(ok(c->clear_threads()).empty());
  CHECK(ok(c->clear_threads_for_guild(sf(10))).empty());
  CHECK(ok(c->clear_threads_for_channel(sf(10), sf(100))).empty());
  CHECK(raw_size(*c, detail::Cf::kThreads) == 0);
  CHECK(raw_size(*c, detail::Cf::kIndex) == 0);

  // A thread stored underneath the API shows through the ungated view only.
  raw_put<fb::Thread>(*c, thread(301, 10, 100, "raw"));
  CHECK(ids(c->get_threads_view()) == Ids{301});
  CHECK(names(c->get_threads_view()) == Names{"raw"});
  CHECK_FALSE(ok(c->get_thread(sf(301))).has_value());
  CHECK(c->get_threads_view_for_guild(sf(10)).empty());
  CHECK(c->get_threads_view_for_channel(sf(10), sf(100)).empty());
  CHECK_FALSE(ok(c->delete_thread(sf(301))).has_value());
  CHECK(ok(c->clear_threads()).empty());
  CHECK(ok(c->clear_threads_for_guild(sf(10))).empty());
  CHECK(ok(c->clear_threads_for_channel(sf(10), sf(100))).empty());
  CHECK(ids(c->get_threads_view()) == Ids{301});  // the gated calls removed nothing
}

// ---------------------------------------------------------------- roles

TEST_CASE("roles: set, get and views") {
  auto c = memory_cache();
  ok(c->set_role(role(500, 10, "admin")));
  ok(c->set_role(role(10, 10, "@everyone")));  // @everyone: id == guild id
  ok(c->set_role(role(600, 20, "mod")));

  auto r = ok(c->get_role(sf(500)));
  CHECK(name_of(r) == "admin");
  CHECK((*r)->guild_id() == 10);
  CHECK(name_of(ok(c->get_role(sf(10)))) == "@everyone");

  CHECK(ids(c->get_roles_view()) == Ids{10, 500, 600});
  CHECK(names(c->get_roles_view()) == Names{"@everyone", "admin", "mod"});
  CHECK(ids(c->get_roles_view_for_guild(sf(10))) == Ids{10, 500});  // ascending id
  CHECK(names(c->get_roles_view_for_guild(sf(10))) == Names{"@everyone", "admin"});
  CHECK(ids(c->get_roles_view_for_guild(sf(20))) == Ids{600});
  CHECK_FALSE(c->get_roles_view_for_guild(sf(20)).contains(sf(500)));

  SUBCASE("absent ids") {
    CHECK_FALSE(ok(c->get_role(sf(999))).has_value());
    CHECK(c->get_roles_view_for_guild(sf(99)).empty());
    CHECK_FALSE(ok(c->delete_role(sf(999))).has_value());
    CHECK(ok(c->clear_roles_for_guild(sf(99))).empty());
    CHECK(c->get_roles_view().size() == 3);
  }
}

TEST_CASE("roles: update returns (old, new)") {
  auto c = memory_cache();
  auto first = ok(c->update_role(role(500, 10, "admin")));
  CHECK_FALSE(first.old_value.has_value());
  CHECK(name_of(first.new_value) == "admin");

  fb::RoleT next = role(500, 10, "owner");
  next.position = 9;
  next.permissions = 8;
  auto second = ok(c->update_role(next));
  CHECK(name_of(second.old_value) == "admin");
  CHECK((*second.old_value)->position() == 0);
  CHECK(name_of(second.new_value) == "owner");
  CHECK((*second.new_value)->position() == 9);
  CHECK((*second.new_value)->permissions() == 8);
  CHECK(name_of(ok(c->get_role(sf(500)))) == "owner");
  CHECK(names(c->get_roles_view_for_guild(sf(10))) == Names{"owner"});
  CHECK(c->get_roles_view().size() == 1);
}

TEST_CASE("roles: delete returns the removed role; members keep the id") {
  auto c = memory_cache();
  ok(c->set_role(role(500, 10, "admin")));
  ok(c->set_role(role(501, 10, "other")));
  fb::MemberT m = member(10, 5);
  m.roles = {500};
  ok(c->set_member(m));

  auto removed = ok(c->delete_role(sf(500)));
  CHECK(name_of(removed) == "admin");
  CHECK_FALSE(ok(c->get_role(sf(500))).has_value());
  CHECK(ids(c->get_roles_view()) == Ids{501});
  CHECK(ids(c->get_roles_view_for_guild(sf(10))) == Ids{501});
  CHECK_FALSE(ok(c->delete_role(sf(500))).has_value());
  // Deleting a role does not strip it from members (hikari-reference §3.4).
  auto kept = ok(c->get_member(sf(10), sf(5)));
  REQUIRE(kept);
  REQUIRE((*kept)->roles());
  CHECK((*kept)->roles()->size() == 2);
  CHECK((*kept)->roles()->Get(0) == 500);
}

TEST_CASE("roles: clear_roles_for_guild and clear_roles") {
  auto c = memory_cache();
  CHECK(ok(c->clear_roles()).empty());
  ok(c->set_role(role(500, 10, "admin")));
  ok(c->set_role(role(10, 10, "@everyone")));
  ok(c->set_role(role(600, 20, "mod")));

  auto removed = ok(c->clear_roles_for_guild(sf(10)));
  CHECK(ids(removed) == Ids{10, 500});
  CHECK(names(removed) == Names{"@everyone", "admin"});
  CHECK(c->get_roles_view_for_guild(sf(10)).empty());
  CHECK_FALSE(ok(c->get_role(sf(500))).has_value());
  CHECK(ids(c->get_roles_view()) == Ids{600});
  CHECK(ids(c->get_roles_view_for_guild(sf(20))) == Ids{600});

  ok(c->set_role(role(700, 30, "x")));
  auto all = ok(c->clear_roles());
  CHECK(ids(all) == Ids{600, 700});
  CHECK(names(all) == Names{"mod", "x"});
  CHECK(c->get_roles_view().empty());
  CHECK(c->get_roles_view_for_guild(sf(20)).empty());
  CHECK(c->get_roles_view_for_guild(sf(30)).empty());
}

TEST_CASE("roles: a role without guild id is rejected and writes nothing") {
  auto c = memory_cache();
  ok(c->set_role(role(500, 10, "admin")));
  CHECK(c->set_role(role(501, 0, "bad")).code() == Code::kInvalidArgument);
  auto up = c->update_role(role(500, 0, "bad"));
  REQUIRE_FALSE(up.ok());
  CHECK(up.status().code() == Code::kInvalidArgument);
  CHECK_FALSE(ok(c->get_role(sf(501))).has_value());
  CHECK(name_of(ok(c->get_role(sf(500)))) == "admin");
  CHECK(ids(c->get_roles_view()) == Ids{500});
  CHECK(ids(c->get_roles_view_for_guild(sf(10))) == Ids{500});
  CHECK(c->get_roles_view_for_guild(sf(0)).empty());
}

TEST_CASE("ROLES disabled: getters miss, setters do nothing") {
  auto c = memory_cache(only(~Components::kRoles));
  ok(c->set_role(role(500, 10, "admin")));
  CHECK_FALSE(ok(c->get_role(sf(500))).has_value());
  CHECK(c->get_roles_view().empty());
  CHECK(c->get_roles_view_for_guild(sf(10)).empty());
  auto u = ok(c->update_role(role(500, 10, "admin")));
  CHECK_FALSE(u.old_value.has_value());
  CHECK_FALSE(u.new_value.has_value());
  CHECK_FALSE(ok(c->delete_role(sf(500))).has_value());
  CHECK(ok(c->clear_roles()).empty());
  CHECK(ok(c->clear_roles_for_guild(sf(10))).empty());
  ok(c->set_role(role(501, 0, "bad")));  // gating comes before validation
  CHECK(raw_size(*c, detail::Cf::kRoles) == 0);
  CHECK(raw_size(*c, detail::Cf::kIndex) == 0);

  // Gated calls neither read nor remove a role stored underneath the API.
  raw_put<fb::Role>(*c, role(502, 10, "raw"));
  CHECK_FALSE(ok(c->get_role(sf(502))).has_value());
  CHECK(c->get_roles_view().empty());
  CHECK_FALSE(ok(c->delete_role(sf(502))).has_value());
  CHECK(ok(c->clear_roles()).empty());
  CHECK(ok(c->clear_roles_for_guild(sf(10))).empty());
  CHECK(c->get_roles_view_for_guild(sf(10)).empty());
  CHECK(raw_size(*c, detail::Cf::kRoles) == 1);
}

// ---------------------------------------------------------------- persistence

TEST_CASE("reopening keeps channels, threads and roles with their indexes") {
  TempDir dir;
  {
    auto c = disk_cache(dir.str());
    ok(c->set_guild_channel(channel(110, 10, kCategory, 0, std::nullopt, "cat")));
    ok(c->set_guild_channel(channel(112, 10, kText, 0, 110, "general")));
    ok(c->set_guild_channel(channel(115, 10, kText, 5, std::nullopt, "rules")));
    ok(c->set_guild_channel(channel(200, 20, kText, 0, std::nullopt, "other")));
    ok(c->set_thread(thread(300, 10, 112, "t300")));
    ok(c->set_thread(thread(301, 10, 115, "t301")));
    ok(c->set_thread(thread(302, 10, 112, "t302")));
    ok(c->update_thread(thread(302, 10, 115, "t302-moved")).status());
    ok(c->set_role(role(10, 10, "@everyone")));
    ok(c->set_role(role(500, 10, "admin")));
    ok(c->set_role(role(600, 20, "mod")));
    CHECK(name_of(ok(c->delete_role(sf(600)))) == "mod");
  }
  auto c = disk_cache(dir.str());
  CHECK(name_of(ok(c->get_guild_channel(sf(112)))) == "general");
  CHECK(ids(c->get_guild_channels_view()) == Ids{110, 112, 115, 200});
  CHECK(names(c->get_guild_channels_view_for_guild(sf(10))) == Names{"rules", "cat", "general"});
  CHECK(ids(c->get_guild_channels_view_for_guild(sf(20))) == Ids{200});

  CHECK(name_of(ok(c->get_thread(sf(302)))) == "t302-moved");
  CHECK(ids(c->get_threads_view()) == Ids{300, 301, 302});
  CHECK(ids(c->get_threads_view_for_guild(sf(10))) == Ids{300, 301, 302});
  CHECK(ids(c->get_threads_view_for_channel(sf(10), sf(112))) == Ids{300});
  CHECK(ids(c->get_threads_view_for_channel(sf(10), sf(115))) == Ids{301, 302});

  CHECK(name_of(ok(c->get_role(sf(500)))) == "admin");
  CHECK(ids(c->get_roles_view()) == Ids{10, 500});
  CHECK(ids(c->get_roles_view_for_guild(sf(10))) == Ids{10, 500});
  CHECK_FALSE(ok(c->get_role(sf(600))).has_value());

  // The persisted indexes still drive the scoped clears.
  CHECK(ids(ok(c->clear_threads_for_channel(sf(10), sf(115)))) == Ids{301, 302});
  CHECK(ids(ok(c->clear_guild_channels_for_guild(sf(10)))) == Ids{110, 112, 115});
  CHECK(ids(ok(c->clear_roles_for_guild(sf(10)))) == Ids{10, 500});
  CHECK(ids(c->get_guild_channels_view()) == Ids{200});
  CHECK(ids(c->get_threads_view()) == Ids{300});
  CHECK(c->get_roles_view().empty());
}
