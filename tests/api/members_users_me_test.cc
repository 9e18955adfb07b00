// Members (MEMBERS), users (ungated, reference counted), me (ME), settings()
// and clear(): get/set/update/delete/clear, the user reference graph
// (hikari-reference §3.8, §3.9, §4; semantics R3), hidden members, gating
// (R1, hikari-reference §2.1) and persistence across a reopen.
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
using detail::Cf;

Snowflake sf(std::uint64_t v) { return Snowflake(v); }

using Names = std::vector<std::string>;

std::vector<std::string> nicks(const CacheView<Snowflake, fb::Member>& view) {
  std::vector<std::string> out;
  for (auto it = view.begin(); it != view.end(); ++it) out.push_back(it.value()->nick() ? it.value()->nick()->str() : "");
  return out;
}

std::vector<std::string> usernames(const CacheView<Snowflake, fb::User>& view) {
  std::vector<std::string> out;
  for (auto it = view.begin(); it != view.end(); ++it) out.push_back(it.value()->username()->str());
  return out;
}

std::string nick_of(const std::optional<Value<fb::Member>>& m) {
  REQUIRE(m.has_value());
  return (*m)->nick()->str();
}

std::string username_of(const std::optional<Value<fb::User>>& u) {
  REQUIRE(u.has_value());
  return u.value()->username()->str();
}

std::string username_of(const std::optional<Value<fb::OwnUser>>& u) {
  REQUIRE(u.has_value());
  return u.value()->username()->str();
}

Ids role_ids(const Value<fb::Member>& m) {
  Ids out;
  if (m->roles()) {
    for (auto r : *m->roles()) out.push_back(r);
  }
  return out;
}

// --- white-box access (counters, reference records, writes the API cannot make)

// The entity counter kept in meta ("count/<family>").
std::int64_t stored_count(const Cache& c, Cf cf) {
  auto raw = Peek::state(c).store->get(Cf::kMeta, keys::count_key(detail::cf_name(cf)));
  REQUIRE_MESSAGE(raw.ok(), raw.status().to_string());
  if (!*raw) return 0;
  auto n = keys::decode_count((*raw)->view());
  REQUIRE(n.has_value());
  return *n;
}

// A user's stored reference count (0 when there is no record).
std::int64_t user_refs(const Cache& c, std::uint64_t user) {
  auto raw = Peek::state(c).store->get(Cf::kRefs, keys::user_ref(sf(user)));
  REQUIRE_MESSAGE(raw.ok(), raw.status().to_string());
  if (!*raw) return 0;
  return keys::decode_count((*raw)->view()).value();
}

// Every entity family's counter equals what the family holds.
void check_counters(const Cache& c) {
  for (const auto& k : detail::kKindTable) {
    INFO("family " << std::string(k.name));
    CHECK(stored_count(c, k.cf) == static_cast<std::int64_t>(raw_size(c, k.cf)));
  }
}

void raw_put_me(Cache& c, const fb::OwnUserT& me) {
  auto& s = Peek::state(c);
  detail::Txn txn(*s.writer);
  txn.put(Cf::kMeta, keys::kMetaMe, detail::pack<fb::OwnUser>(me));
  ok(txn.commit());
}

fb::MemberT member_with_roles(std::uint64_t g, std::uint64_t u, std::vector<std::uint64_t> roles) {
  fb::MemberT m = member(g, u);
  m.roles = std::move(roles);
  return m;
}

}  // namespace

// ---------------------------------------------------------------- members

TEST_CASE("members: set, get and views") {
  auto c = memory_cache();
  ok(c->set_member(member(10, 6, "six")));
  ok(c->set_member(member(10, 5, "five")));
  ok(c->set_member(member(20, 5, "five-in-20")));

  auto m = ok(c->get_member(sf(10), sf(5)));
  CHECK(nick_of(m) == "five");
  CHECK((*m)->guild_id() == 10);
  CHECK((*m)->user()->id() == 5);
  CHECK((*m)->user()->username()->str() == "user5");
  CHECK(nick_of(ok(c->get_member(sf(20), sf(5)))) == "five-in-20");

  CHECK(ids(c->get_members_view_for_guild(sf(10))) == Ids{5, 6});
  CHECK(nicks(c->get_members_view_for_guild(sf(10))) == Names{"five", "six"});
  CHECK(ids(c->get_members_view_for_guild(sf(20))) == Ids{5});

  auto all = c->get_members_view();
  CHECK(ids(all) == Ids{10, 20});
  CHECK(all.size() == 2);
  CHECK(ids(all[sf(10)]) == Ids{5, 6});
  CHECK(nicks(all[sf(20)]) == Names{"five-in-20"});
  CHECK(ids(all.get_item_at(1)) == Ids{5});
  auto items = all.items();
  REQUIRE(items.size() == 2);
  CHECK(items[0].first == sf(10));
  CHECK(items[0].second.size() == 2);

  // The member's user is in the user store.
  CHECK(username_of(ok(c->get_user(sf(5)))) == "user5");
  CHECK(ids(c->get_users_view()) == Ids{5, 6});
  check_counters(*c);

  SUBCASE("absent ids") {
    CHECK_FALSE(ok(c->get_member(sf(10), sf(99))).has_value());
    CHECK_FALSE(ok(c->get_member(sf(99), sf(5))).has_value());
    CHECK(c->get_members_view_for_guild(sf(99)).empty());
    CHECK_FALSE(c->get_members_view().get(sf(99)).has_value());
    CHECK_THROWS_AS(c->get_members_view()[sf(99)], std::out_of_range);
    CHECK_FALSE(ok(c->delete_member(sf(10), sf(99))).has_value());
    CHECK_FALSE(ok(c->delete_member(sf(99), sf(5))).has_value());
    CHECK(ok(c->clear_members_for_guild(sf(99))).empty());
    CHECK(c->get_members_view_for_guild(sf(10)).size() == 2);
    CHECK_FALSE(ok(c->get_user(sf(99))).has_value());
  }
}

TEST_CASE("members: views are snapshots") {
  auto c = memory_cache();
  ok(c->set_member(member(10, 5, "five")));
  auto nested = c->get_members_view();
  auto scoped = c->get_members_view_for_guild(sf(10));
  auto users = c->get_users_view();
  ok(c->set_member(member(10, 6, "six")));
  ok(c->set_member(member(10, 5, "changed")));
  ok(c->set_member(member(20, 7, "seven")));
  CHECK(ids(nested) == Ids{10});
  CHECK(nicks(nested[sf(10)]) == Names{"five"});
  CHECK(nicks(scoped) == Names{"five"});
  CHECK(ids(users) == Ids{5});
  CHECK(ids(c->get_members_view()) == Ids{10, 20});
  CHECK(nicks(c->get_members_view_for_guild(sf(10))) == Names{"changed", "six"});
}

TEST_CASE("members: role ids always include the guild id (@everyone)") {
  auto c = memory_cache();
  ok(c->set_member(member(10, 5)));
  auto plain = ok(c->get_member(sf(10), sf(5)));
  REQUIRE(plain);
  CHECK(role_ids(*plain) == Ids{10});

  ok(c->set_member(member_with_roles(10, 6, {500, 501})));
  auto with = ok(c->get_member(sf(10), sf(6)));
  REQUIRE(with);
  CHECK(role_ids(*with) == Ids{500, 501, 10});

  ok(c->set_member(member_with_roles(10, 7, {10, 500})));  // already there: not doubled
  auto already = ok(c->get_member(sf(10), sf(7)));
  REQUIRE(already);
  CHECK(role_ids(*already) == Ids{10, 500});

  auto up = ok(c->update_member(member_with_roles(10, 5, {600})));
  REQUIRE(up.new_value);
  CHECK(role_ids(*up.new_value) == Ids{600, 10});
  REQUIRE(up.old_value);
  CHECK(role_ids(*up.old_value) == Ids{10});
  CHECK(role_ids(*ok(c->get_member(sf(10), sf(5)))) == Ids{600, 10});
}

TEST_CASE("members: update returns (old, new)") {
  auto c = memory_cache();
  auto first = ok(c->update_member(member(10, 5, "first")));
  CHECK_FALSE(first.old_value.has_value());
  CHECK(nick_of(first.new_value) == "first");
  CHECK(has_user(*c, 5));

  fb::MemberT next = member(10, 5, "second");
  next.user->username = "renamed";
  auto second = ok(c->update_member(next));
  CHECK(nick_of(second.old_value) == "first");
  CHECK((*second.old_value)->user()->username()->str() == "user5");
  CHECK(nick_of(second.new_value) == "second");
  CHECK((*second.new_value)->user()->username()->str() == "renamed");
  CHECK(nick_of(ok(c->get_member(sf(10), sf(5)))) == "second");
  CHECK(username_of(ok(c->get_user(sf(5)))) == "renamed");  // last writer wins
  CHECK(c->get_members_view_for_guild(sf(10)).size() == 1);
  CHECK(user_refs(*c, 5) == 1);  // re-setting does not count twice
  check_counters(*c);
}

TEST_CASE("members: delete returns the removed member and releases its user") {
  auto c = memory_cache();
  ok(c->set_member(member(10, 5, "five")));
  ok(c->set_member(member(10, 6, "six")));

  auto removed = ok(c->delete_member(sf(10), sf(5)));
  CHECK(nick_of(removed) == "five");
  CHECK((*removed)->user()->id() == 5);
  CHECK_FALSE(ok(c->get_member(sf(10), sf(5))).has_value());
  CHECK(ids(c->get_members_view_for_guild(sf(10))) == Ids{6});
  CHECK(ids(c->get_members_view()[sf(10)]) == Ids{6});
  CHECK_FALSE(has_user(*c, 5));
  CHECK(ids(c->get_users_view()) == Ids{6});
  CHECK_FALSE(ok(c->delete_member(sf(10), sf(5))).has_value());

  CHECK(nick_of(ok(c->delete_member(sf(10), sf(6)))) == "six");
  CHECK(c->get_members_view().empty());
  CHECK(c->get_users_view().empty());
  check_counters(*c);
}

TEST_CASE("members: clear_members_for_guild and clear_members") {
  auto c = memory_cache();
  CHECK(ok(c->clear_members()).empty());
  ok(c->set_member(member(10, 5, "a")));
  ok(c->set_member(member(10, 6, "b")));
  ok(c->set_member(member(20, 5, "c")));
  ok(c->set_member(member(30, 7, "d")));

  auto removed = ok(c->clear_members_for_guild(sf(10)));
  CHECK(ids(removed) == Ids{5, 6});
  CHECK(nicks(removed) == Names{"a", "b"});
  CHECK(c->get_members_view_for_guild(sf(10)).empty());
  CHECK_FALSE(ok(c->get_member(sf(10), sf(5))).has_value());
  CHECK(nick_of(ok(c->get_member(sf(20), sf(5)))) == "c");  // other guilds untouched
  CHECK(ids(c->get_members_view()) == Ids{20, 30});
  CHECK(has_user(*c, 5));        // still a member of guild 20
  CHECK_FALSE(has_user(*c, 6));  // its only member went
  CHECK(ids(c->get_users_view()) == Ids{5, 7});
  CHECK(ok(c->clear_members_for_guild(sf(10))).empty());
  check_counters(*c);

  auto all = ok(c->clear_members());
  CHECK(ids(all) == Ids{20, 30});
  CHECK(nicks(all[sf(20)]) == Names{"c"});
  CHECK(nicks(all[sf(30)]) == Names{"d"});
  CHECK(c->get_members_view().empty());
  CHECK(c->get_members_view_for_guild(sf(20)).empty());
  CHECK(c->get_users_view().empty());
  check_counters(*c);
}

TEST_CASE("members: a member without user or guild id is rejected and writes nothing") {
  auto c = memory_cache();
  ok(c->set_member(member(10, 5, "ok")));

  fb::MemberT no_user = member(10, 6);
  no_user.user.reset();
  CHECK(c->set_member(no_user).code() == Code::kInvalidArgument);
  auto up = c->update_member(no_user);
  REQUIRE_FALSE(up.ok());
  CHECK(up.status().code() == Code::kInvalidArgument);

  CHECK(c->set_member(member(0, 7)).code() == Code::kInvalidArgument);
  auto up0 = c->update_member(member(0, 5, "changed"));
  REQUIRE_FALSE(up0.ok());
  CHECK(up0.status().code() == Code::kInvalidArgument);

  CHECK(ids(c->get_members_view()) == Ids{10});
  CHECK(ids(c->get_members_view_for_guild(sf(10))) == Ids{5});
  CHECK(c->get_members_view_for_guild(sf(0)).empty());
  CHECK(nick_of(ok(c->get_member(sf(10), sf(5)))) == "ok");
  CHECK(ids(c->get_users_view()) == Ids{5});  // no user 7 written either
  CHECK(raw_size(*c, Cf::kRefs) == 2);      // user 5's count and member 10/5's record
  check_counters(*c);
}

TEST_CASE("MEMBERS disabled: getters miss, setters do nothing") {
  auto c = memory_cache(only(~Components::kMembers));
  ok(c->set_member(member(10, 5, "five")));
  CHECK_FALSE(ok(c->get_member(sf(10), sf(5))).has_value());
  CHECK(c->get_members_view().empty());
  CHECK(c->get_members_view_for_guild(sf(10)).empty());
  CHECK_FALSE(has_user(*c, 5));  // users are ungated: nothing was written
  CHECK(c->get_users_view().empty());
  CHECK(raw_size(*c, Cf::kMembers) == 0);
  CHECK(raw_size(*c, Cf::kRefs) == 0);

  auto u = ok(c->update_member(member(10, 5, "five")));
  CHECK_FALSE(u.old_value.has_value());
  CHECK_FALSE(u.new_value.has_value());
  CHECK_FALSE(ok(c->delete_member(sf(10), sf(5))).has_value());
  CHECK(ok(c->clear_members()).empty());
  CHECK(ok(c->clear_members_for_guild(sf(10))).empty());
  ok(c->set_member(member(0, 5)));  // gating comes before validation
  CHECK(c->get_users_view().empty());

  SUBCASE("gated calls neither read nor remove a member stored underneath") {
    raw_put<fb::Member>(*c, member(10, 5, "raw"));
    CHECK_FALSE(ok(c->get_member(sf(10), sf(5))).has_value());
    CHECK(c->get_members_view().empty());
    CHECK(c->get_members_view_for_guild(sf(10)).empty());
    CHECK_FALSE(ok(c->delete_member(sf(10), sf(5))).has_value());
    CHECK(ok(c->clear_members()).empty());
    CHECK(ok(c->clear_members_for_guild(sf(10))).empty());
    CHECK(raw_size(*c, Cf::kMembers) == 1);
    CHECK(has_user(*c, 5));
  }

  SUBCASE("get_user and get_users_view are ungated") {
    // A voice state's member writes its user whatever MEMBERS says.
    ok(c->set_voice_state(voice_state(10, 8, 100)));
    CHECK(username_of(ok(c->get_user(sf(8)))) == "user8");
    CHECK(ids(c->get_users_view()) == Ids{8});
    CHECK(usernames(c->get_users_view()) == Names{"user8"});
    CHECK_FALSE(ok(c->get_member(sf(10), sf(8))).has_value());
    ok(c->delete_voice_state(sf(10), sf(8)).status());
    CHECK_FALSE(has_user(*c, 8));
    CHECK(c->get_users_view().empty());
  }
}

// ---------------------------------------------------------------- users

TEST_CASE("users: a user lives while any member holds it") {
  auto c = memory_cache();
  ok(c->set_member(member(10, 5)));
  ok(c->set_member(member(20, 5)));
  ok(c->set_member(member(10, 6)));
  CHECK(user_refs(*c, 5) == 2);
  CHECK(ids(c->get_users_view()) == Ids{5, 6});
  CHECK(usernames(c->get_users_view()) == Names{"user5", "user6"});

  CHECK(ok(c->delete_member(sf(10), sf(5))).has_value());
  CHECK(username_of(ok(c->get_user(sf(5)))) == "user5");
  CHECK(user_refs(*c, 5) == 1);
  CHECK(c->get_users_view().size() == 2);

  CHECK(ok(c->delete_member(sf(20), sf(5))).has_value());
  CHECK_FALSE(has_user(*c, 5));
  CHECK(user_refs(*c, 5) == 0);
  CHECK(ids(c->get_users_view()) == Ids{6});
  check_counters(*c);
}

TEST_CASE("users: re-setting the same member does not count twice") {
  auto c = memory_cache();
  ok(c->set_member(member(10, 5, "a")));
  ok(c->set_member(member(10, 5, "b")));
  ok(c->update_member(member(10, 5, "c")).status());
  CHECK(user_refs(*c, 5) == 1);
  CHECK(nick_of(ok(c->delete_member(sf(10), sf(5)))) == "c");
  CHECK_FALSE(has_user(*c, 5));
  CHECK(c->get_users_view().empty());
  check_counters(*c);
}

TEST_CASE("users: the last member's removal takes the DM channel id with the user") {
  auto c = memory_cache();
  ok(c->set_member(member(10, 5)));
  ok(c->set_member(member(20, 5)));
  ok(c->set_member(member(10, 6)));
  ok(c->set_dm_channel_id(sf(5), sf(777)));
  ok(c->set_dm_channel_id(sf(6), sf(888)));
  CHECK(ok(c->get_dm_channel_id(sf(5))) == std::optional<Snowflake>(sf(777)));

  ok(c->delete_member(sf(10), sf(5)).status());
  CHECK(ok(c->get_dm_channel_id(sf(5))) == std::optional<Snowflake>(sf(777)));  // still held

  ok(c->delete_member(sf(20), sf(5)).status());
  CHECK_FALSE(has_user(*c, 5));
  CHECK_FALSE(ok(c->get_dm_channel_id(sf(5))).has_value());
  CHECK(ids(c->get_dm_channel_ids_view()) == Ids{6});
  CHECK(ok(c->get_dm_channel_id(sf(6))) == std::optional<Snowflake>(sf(888)));
  check_counters(*c);

  SUBCASE("clear_members_for_guild releases the same way") {
    ok(c->clear_members_for_guild(sf(10)).status());
    CHECK_FALSE(has_user(*c, 6));
    CHECK(c->get_dm_channel_ids_view().empty());
    CHECK(c->get_users_view().empty());
    check_counters(*c);
  }
}

// ---------------------------------------------------------------- hidden members (R3)

TEST_CASE("hidden members: a member held by a voice state is hidden, not removed") {
  auto c = memory_cache();
  ok(c->set_member(member(10, 5, "five")));
  ok(c->set_member(member(10, 6, "six")));
  ok(c->set_voice_state(voice_state(10, 5, 100)));

  // hikari returns None when the member is still referenced.
  CHECK_FALSE(ok(c->delete_member(sf(10), sf(5))).has_value());
  CHECK_FALSE(ok(c->get_member(sf(10), sf(5))).has_value());
  CHECK(ids(c->get_members_view_for_guild(sf(10))) == Ids{6});
  CHECK(ids(c->get_members_view()[sf(10)]) == Ids{6});
  CHECK(username_of(ok(c->get_user(sf(5)))) == "user5");  // still held
  CHECK(ok(c->get_voice_state(sf(10), sf(5))).has_value());
  CHECK(ids(c->get_users_view()) == Ids{5, 6});
  check_counters(*c);

  SUBCASE("only hidden members: the guild leaves the nested view") {
    ok(c->delete_member(sf(10), sf(6)).status());
    CHECK(c->get_members_view().empty());
    CHECK_FALSE(c->get_members_view().get(sf(10)).has_value());
    CHECK(c->get_members_view_for_guild(sf(10)).empty());
    CHECK(has_user(*c, 5));
  }

  SUBCASE("set_member makes it visible again; then the last holder decides") {
    ok(c->set_member(member(10, 5, "back")));
    CHECK(nick_of(ok(c->get_member(sf(10), sf(5)))) == "back");
    CHECK(ids(c->get_members_view_for_guild(sf(10))) == Ids{5, 6});

    ok(c->delete_voice_state(sf(10), sf(5)).status());
    CHECK(nick_of(ok(c->get_member(sf(10), sf(5)))) == "back");  // listed: stays
    CHECK(has_user(*c, 5));

    CHECK(nick_of(ok(c->delete_member(sf(10), sf(5)))) == "back");  // no holder left
    CHECK_FALSE(has_user(*c, 5));
    CHECK(ids(c->get_users_view()) == Ids{6});
    check_counters(*c);
  }

  SUBCASE("deleting the voice state releases the hidden member and its user") {
    CHECK(has_user(*c, 5));
    ok(c->delete_voice_state(sf(10), sf(5)).status());
    CHECK_FALSE(has_user(*c, 5));
    CHECK_FALSE(ok(c->get_member(sf(10), sf(5))).has_value());
    CHECK(ids(c->get_users_view()) == Ids{6});
    CHECK(raw_size(*c, Cf::kRefs) == 2);  // only user 6 and member 10/6 remain
    // A second delete finds nothing.
    CHECK_FALSE(ok(c->delete_member(sf(10), sf(5))).has_value());
    check_counters(*c);
  }

  SUBCASE("another member elsewhere keeps the user after both holders of 10/5 go") {
    ok(c->set_member(member(20, 5, "in-20")));
    ok(c->delete_voice_state(sf(10), sf(5)).status());
    CHECK(has_user(*c, 5));
    CHECK(nick_of(ok(c->delete_member(sf(20), sf(5)))) == "in-20");
    CHECK_FALSE(has_user(*c, 5));
    check_counters(*c);
  }
}

TEST_CASE("hidden members: a member known only from a voice state is never visible") {
  auto c = memory_cache();
  ok(c->set_voice_state(voice_state(10, 5, 100)));
  CHECK_FALSE(ok(c->get_member(sf(10), sf(5))).has_value());
  CHECK(c->get_members_view().empty());
  CHECK(c->get_members_view_for_guild(sf(10)).empty());
  CHECK(has_user(*c, 5));
  CHECK_FALSE(ok(c->delete_member(sf(10), sf(5))).has_value());
  CHECK(has_user(*c, 5));  // delete_member of a hidden member changes nothing

  // Moving channels does not count twice.
  ok(c->set_voice_state(voice_state(10, 5, 101)));
  ok(c->set_member(member(10, 5, "now-listed")));
  CHECK(nick_of(ok(c->get_member(sf(10), sf(5)))) == "now-listed");
  ok(c->delete_voice_state(sf(10), sf(5)).status());
  CHECK(has_user(*c, 5));
  ok(c->delete_member(sf(10), sf(5)).status());
  CHECK_FALSE(has_user(*c, 5));
  CHECK(c->get_users_view().empty());
  CHECK(raw_size(*c, Cf::kRefs) == 0);
  check_counters(*c);
}

TEST_CASE("hidden members: a cached message holds its author's member too (R3)") {
  auto c = memory_cache();
  ok(c->set_member(member(10, 5, "five")));
  ok(c->set_message(message(900, 100, 10, 5)));
  CHECK_FALSE(ok(c->delete_member(sf(10), sf(5))).has_value());
  CHECK_FALSE(ok(c->get_member(sf(10), sf(5))).has_value());
  CHECK(c->get_members_view().empty());
  CHECK(has_user(*c, 5));
  CHECK(ok(c->delete_message(sf(900))).has_value());
  CHECK_FALSE(has_user(*c, 5));
  CHECK(c->get_users_view().empty());
  CHECK(raw_size(*c, Cf::kRefs) == 0);
  check_counters(*c);
}

TEST_CASE("hidden members: clearing a guild's members hides the held ones and returns only those removed") {
  auto c = memory_cache();
  ok(c->set_member(member(10, 5, "held")));
  ok(c->set_member(member(10, 6, "free")));
  ok(c->set_member(member(20, 7, "other")));
  ok(c->set_voice_state(voice_state(10, 5, 100)));

  SUBCASE("clear_members_for_guild") {
    auto removed = ok(c->clear_members_for_guild(sf(10)));
    // As delete_member (and hikari, reference §3.8): a member still held is
    // hidden, not removed, and is not part of the result.
    CHECK(ids(removed) == Ids{6});
    CHECK(nicks(removed) == Names{"free"});
  }
  SUBCASE("clear_members") {
    auto removed = ok(c->clear_members());
    CHECK(ids(removed) == Ids{10, 20});
    CHECK(ids(removed[sf(10)]) == Ids{6});
    CHECK(ids(removed[sf(20)]) == Ids{7});
    CHECK(nicks(removed.get_item_at(0)) == Names{"free"});
  }
  SUBCASE("clear_members: a guild with only held members is not in the result") {
    ok(c->delete_member(sf(10), sf(6)).status());
    auto removed = ok(c->clear_members());
    CHECK(ids(removed) == Ids{20});
    CHECK(removed.size() == 1);
    CHECK_FALSE(removed.get(sf(10)).has_value());
    CHECK(nicks(removed[sf(20)]) == Names{"other"});
  }
  CHECK_FALSE(ok(c->get_member(sf(10), sf(5))).has_value());
  CHECK(c->get_members_view_for_guild(sf(10)).empty());
  CHECK(has_user(*c, 5));
  CHECK_FALSE(has_user(*c, 6));
  ok(c->delete_voice_state(sf(10), sf(5)).status());
  CHECK_FALSE(has_user(*c, 5));
  check_counters(*c);
}

// ---------------------------------------------------------------- me

TEST_CASE("me: set, update, delete") {
  auto c = memory_cache();
  CHECK_FALSE(ok(c->get_me()).has_value());
  CHECK_FALSE(ok(c->delete_me()).has_value());

  auto first = ok(c->update_me(own_user(1, "bot")));
  CHECK_FALSE(first.old_value.has_value());
  CHECK(username_of(first.new_value) == "bot");
  CHECK(username_of(ok(c->get_me())) == "bot");

  ok(c->set_me(own_user(1, "bot2")));
  CHECK(username_of(ok(c->get_me())) == "bot2");
  CHECK(ok(c->get_me()).value()->id() == 1);

  fb::OwnUserT next = own_user(1, "bot3");
  next.locale = "en-GB";
  auto up = ok(c->update_me(next));
  CHECK(username_of(up.old_value) == "bot2");
  CHECK(username_of(up.new_value) == "bot3");
  CHECK((*up.new_value)->locale()->str() == "en-GB");

  // Me is independent of the user store.
  CHECK_FALSE(has_user(*c, 1));

  auto removed = ok(c->delete_me());
  CHECK(username_of(removed) == "bot3");
  CHECK_FALSE(ok(c->get_me()).has_value());
  CHECK_FALSE(ok(c->delete_me()).has_value());
}

TEST_CASE("ME disabled: set_me/update_me do nothing; get_me and delete_me are ungated") {
  auto c = memory_cache(only(~Components::kMe));
  ok(c->set_me(own_user(1, "bot")));
  CHECK_FALSE(ok(c->get_me()).has_value());
  auto up = ok(c->update_me(own_user(1, "bot")));
  CHECK_FALSE(up.old_value.has_value());
  CHECK_FALSE(up.new_value.has_value());
  CHECK_FALSE(ok(c->get_me()).has_value());
  CHECK_FALSE(ok(c->delete_me()).has_value());

  // A stored me cannot come from the API with ME off (a reopen with ME off
  // drops it), so store one underneath: the ungated calls see it.
  raw_put_me(*c, own_user(2, "underneath"));
  CHECK(username_of(ok(c->get_me())) == "underneath");
  auto removed = ok(c->delete_me());
  CHECK(username_of(removed) == "underneath");
  CHECK(removed.value()->id() == 2);
  CHECK_FALSE(ok(c->get_me()).has_value());
}

TEST_CASE("me: persists across a reopen; a reopen with ME disabled drops it (R1)") {
  TempDir dir;
  {
    auto c = disk_cache(dir.str());
    ok(c->set_me(own_user(1, "bot")));
  }
  {
    auto c = disk_cache(dir.str());
    CHECK(username_of(ok(c->get_me())) == "bot");
  }
  {
    auto c = disk_cache(dir.str(), only(~Components::kMe));
    CHECK_FALSE(ok(c->get_me()).has_value());
    CHECK_FALSE(ok(c->delete_me()).has_value());
  }
  auto c = disk_cache(dir.str(), Settings{});
  CHECK_FALSE(ok(c->get_me()).has_value());
}

// ---------------------------------------------------------------- settings()

TEST_CASE("settings() returns the settings in force") {
  Settings s;
  s.components = Components::kMembers | Components::kMe;
  s.max_messages = 10;
  s.max_dm_channel_ids = 3;
  s.only_my_member = true;
  {
    auto c = memory_cache(s);
    CHECK(c->settings() == s);
    CHECK(c->settings().components == (Components::kMembers | Components::kMe));
    CHECK(c->settings().max_messages == 10);
    CHECK(c->settings().max_dm_channel_ids == 3);
    CHECK(c->settings().only_my_member);
  }
  {
    auto c = memory_cache();
    CHECK(c->settings() == Settings{});
    CHECK(c->settings().components == Components::kAll);
    CHECK(c->settings().max_messages == 300);
    CHECK(c->settings().max_dm_channel_ids == 50);
    CHECK_FALSE(c->settings().only_my_member);
  }

  TempDir dir;
  { auto c = disk_cache(dir.str(), s); }
  {
    auto c = disk_cache(dir.str());  // no settings given: the stored ones
    CHECK(c->settings() == s);
  }
  Settings t = s;
  t.max_messages = 20;
  t.components = Components::kAll;
  {
    auto c = disk_cache(dir.str(), t);
    CHECK(c->settings() == t);
  }
  auto c = disk_cache(dir.str());
  CHECK(c->settings() == t);
}

// ---------------------------------------------------------------- clear()

TEST_CASE("clear() leaves nothing, counters and reference counts included") {
  auto c = memory_cache();
  ok(c->set_guild(guild(10, "g")));
  ok(c->set_guild_channel(channel(100, 10)));
  ok(c->set_thread(thread(300, 10, 100)));
  ok(c->set_role(role(500, 10)));
  ok(c->set_member(member(10, 5)));
  ok(c->set_member(member(20, 5)));
  ok(c->set_member(member(10, 6)));
  ok(c->set_emoji(emoji(700, 10, 8)));
  ok(c->set_sticker(sticker(800, 10, 8)));
  ok(c->set_invite(invite("code", 10, 100, 9)));
  ok(c->set_presence(presence(10, 5)));
  ok(c->set_voice_state(voice_state(10, 6, 100)));
  ok(c->set_message(message(900, 100, 10, 5, {6})));
  ok(c->set_me(own_user(1, "bot")));
  ok(c->set_dm_channel_id(sf(5), sf(777)));
  REQUIRE(c->get_users_view().size() == 4);
  check_counters(*c);

  ok(c->clear());

  CHECK(c->get_guilds_view().empty());
  CHECK(c->get_available_guilds_view().empty());
  CHECK_FALSE(ok(c->get_guild(sf(10))).has_value());
  CHECK(c->get_guild_channels_view().empty());
  CHECK(c->get_guild_channels_view_for_guild(sf(10)).empty());
  CHECK(c->get_threads_view().empty());
  CHECK(c->get_threads_view_for_guild(sf(10)).empty());
  CHECK(c->get_roles_view().empty());
  CHECK(c->get_roles_view_for_guild(sf(10)).empty());
  CHECK(c->get_members_view().empty());
  CHECK(c->get_members_view_for_guild(sf(10)).empty());
  CHECK_FALSE(ok(c->get_member(sf(10), sf(5))).has_value());
  CHECK(c->get_users_view().empty());
  for (std::uint64_t u : {5, 6, 8, 9}) CHECK_FALSE(has_user(*c, u));
  CHECK(c->get_emojis_view().empty());
  CHECK(c->get_stickers_view().empty());
  CHECK(c->get_invites_view().empty());
  CHECK(c->get_presences_view().empty());
  CHECK(c->get_voice_states_view().empty());
  CHECK(c->get_messages_view().empty());
  CHECK(c->get_dm_channel_ids_view().empty());
  CHECK_FALSE(ok(c->get_me()).has_value());

  // Underneath: every family, index and reference record is gone and every
  // counter is zero.
  for (std::size_t i = 0; i < detail::kCfCount; ++i) {
    auto cf = static_cast<Cf>(i);
    if (cf == Cf::kMeta) continue;
    INFO("family " << std::string(detail::cf_name(cf)));
    CHECK(raw_size(*c, cf) == 0);
  }
  for (const auto& k : detail::kKindTable) CHECK(stored_count(*c, k.cf) == 0);
  CHECK(c->settings() == Settings{});  // settings are kept

  // Counting starts from zero: one member now holds user 5 alone.
  ok(c->set_member(member(10, 5, "again")));
  CHECK(user_refs(*c, 5) == 1);
  CHECK(stored_count(*c, Cf::kUsers) == 1);
  CHECK(stored_count(*c, Cf::kMembers) == 1);
  CHECK(nick_of(ok(c->delete_member(sf(10), sf(5)))) == "again");
  CHECK_FALSE(has_user(*c, 5));
  CHECK(c->get_users_view().empty());
  check_counters(*c);

  // Member 10/6 was held by a voice state before clear(); no stale holder
  // hides it now.
  ok(c->set_member(member(10, 6, "six")));
  CHECK(nick_of(ok(c->delete_member(sf(10), sf(6)))) == "six");
  CHECK_FALSE(has_user(*c, 6));
  CHECK(raw_size(*c, Cf::kRefs) == 0);
  check_counters(*c);
}

TEST_CASE("clear() with components == kNone is a no-op") {
  auto c = memory_cache(only(Components::kNone));
  ok(c->set_member(member(10, 5)));  // gated: nothing
  CHECK(c->get_users_view().empty());

  // Stored underneath (the API writes nothing with every kind off).
  raw_put<fb::Member>(*c, member(10, 5, "raw"));
  raw_put_me(*c, own_user(1, "bot"));
  REQUIRE(has_user(*c, 5));
  ok(c->clear());
  CHECK(has_user(*c, 5));
  CHECK(raw_size(*c, Cf::kMembers) == 1);
  CHECK(stored_count(*c, Cf::kMembers) == 1);
  CHECK(user_refs(*c, 5) == 1);
  CHECK(username_of(ok(c->get_me())) == "bot");
}

// ---------------------------------------------------------------- persistence

TEST_CASE("reopening keeps members, users, their reference counts and DM channel ids") {
  TempDir dir;
  {
    auto c = disk_cache(dir.str());
    ok(c->set_member(member_with_roles(10, 5, {500})));
    ok(c->set_member(member(20, 5, "in-20")));
    ok(c->set_member(member(10, 6, "six")));
    ok(c->set_member(member(10, 7, "seven")));
    ok(c->set_voice_state(voice_state(10, 7, 100)));
    CHECK_FALSE(ok(c->delete_member(sf(10), sf(7))).has_value());  // hidden
    ok(c->set_dm_channel_id(sf(5), sf(777)));
    ok(c->set_me(own_user(1, "bot")));
  }
  auto c = disk_cache(dir.str());
  auto m = ok(c->get_member(sf(10), sf(5)));
  REQUIRE(m);
  CHECK(role_ids(*m) == Ids{500, 10});
  CHECK(nick_of(ok(c->get_member(sf(20), sf(5)))) == "in-20");
  CHECK(ids(c->get_members_view()) == Ids{10, 20});
  CHECK(ids(c->get_members_view_for_guild(sf(10))) == Ids{5, 6});  // 7 stays hidden
  CHECK_FALSE(ok(c->get_member(sf(10), sf(7))).has_value());
  CHECK(ids(c->get_users_view()) == Ids{5, 6, 7});
  CHECK(username_of(ok(c->get_me())) == "bot");
  CHECK(ok(c->get_dm_channel_id(sf(5))) == std::optional<Snowflake>(sf(777)));
  check_counters(*c);

  // Reference counts survived: user 5 goes with its second member only, and
  // the hidden member 7 goes with its voice state.
  ok(c->delete_member(sf(10), sf(5)).status());
  CHECK(has_user(*c, 5));
  ok(c->delete_member(sf(20), sf(5)).status());
  CHECK_FALSE(has_user(*c, 5));
  CHECK_FALSE(ok(c->get_dm_channel_id(sf(5))).has_value());
  CHECK(has_user(*c, 7));
  ok(c->delete_voice_state(sf(10), sf(7)).status());
  CHECK_FALSE(has_user(*c, 7));
  CHECK(ids(c->get_users_view()) == Ids{6});
  check_counters(*c);
}
