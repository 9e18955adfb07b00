// Presences (PRESENCES) and voice states (VOICE_STATES): every method of the
// two kinds, their nested views, gating, bad input and persistence.
#include <cstdint>
#include <string>
#include <vector>

#include "support.h"

using namespace snowcache;
using namespace snowcache::testing;

namespace {

std::string status_of(const Value<fb::Presence>& p) { return p->status() ? p->status()->str() : std::string(); }

}  // namespace

// ---------------------------------------------------------------- presences

TEST_CASE("presences: set, get, the nested view and the per-guild view") {
  auto c = memory_cache();
  ok(c->set_presence(presence(2, 11)));
  ok(c->set_presence(presence(1, 12, "idle")));
  ok(c->set_presence(presence(1, 11, "dnd")));

  auto p = ok(c->get_presence(S(1), S(12)));
  REQUIRE(p);
  CHECK((*p)->guild_id() == 1);
  CHECK((*p)->user_id() == 12);
  CHECK(status_of(*p) == "idle");
  CHECK(status_of(ok(c->get_presence(S(2), S(11))).value()) == "online");

  auto nested = c->get_presences_view();
  CHECK(guild_ids(nested) == Ids{1, 2});
  CHECK(nested.size() == 2);
  CHECK(ids(nested[S(1)]) == Ids{11, 12});
  CHECK(ids(nested[S(2)]) == Ids{11});
  CHECK_FALSE(nested.get(S(3)));
  CHECK_THROWS_AS(nested[S(3)], std::out_of_range);
  CHECK(ids(nested.get_item_at(1)) == Ids{11});
  CHECK(status_of(nested[S(1)][S(11)]) == "dnd");

  CHECK(ids(c->get_presences_view_for_guild(S(1))) == Ids{11, 12});
  CHECK(ids(c->get_presences_view_for_guild(S(2))) == Ids{11});
  CHECK(c->get_presences_view_for_guild(S(3)).empty());

  // Presences reference nothing and write no user.
  CHECK_FALSE(has_user(*c, 11));
  CHECK(c->get_users_view().empty());
}

TEST_CASE("presences: an absent key misses") {
  auto c = memory_cache();
  ok(c->set_presence(presence(1, 11)));
  CHECK_FALSE(ok(c->get_presence(S(1), S(99))));
  CHECK_FALSE(ok(c->get_presence(S(99), S(11))));
  CHECK_FALSE(ok(c->delete_presence(S(1), S(99))));
  CHECK_FALSE(ok(c->delete_presence(S(2), S(11))));
  CHECK(ok(c->clear_presences_for_guild(S(99))).empty());
  CHECK(ids(c->get_presences_view_for_guild(S(1))) == Ids{11});
}

TEST_CASE("presences: update returns (old, new)") {
  auto c = memory_cache();
  ok(c->set_presence(presence(1, 11, "online")));
  auto u = ok(c->update_presence(presence(1, 11, "idle")));
  REQUIRE(u.old_value);
  REQUIRE(u.new_value);
  CHECK(status_of(*u.old_value) == "online");
  CHECK(status_of(*u.new_value) == "idle");
  CHECK(status_of(ok(c->get_presence(S(1), S(11))).value()) == "idle");

  auto fresh = ok(c->update_presence(presence(3, 15)));
  CHECK_FALSE(fresh.old_value);
  REQUIRE(fresh.new_value);
  CHECK((*fresh.new_value)->user_id() == 15);
  CHECK(guild_ids(c->get_presences_view()) == Ids{1, 3});
}

TEST_CASE("presences: delete returns the removed presence") {
  auto c = memory_cache();
  ok(c->set_presence(presence(1, 11)));
  ok(c->set_presence(presence(1, 12, "idle")));
  auto d = ok(c->delete_presence(S(1), S(12)));
  REQUIRE(d);
  CHECK((*d)->user_id() == 12);
  CHECK(status_of(*d) == "idle");
  CHECK_FALSE(ok(c->get_presence(S(1), S(12))));
  CHECK(ids(c->get_presences_view_for_guild(S(1))) == Ids{11});
  CHECK_FALSE(ok(c->delete_presence(S(1), S(12))));
  ok(c->delete_presence(S(1), S(11)).status());
  CHECK(c->get_presences_view().empty());  // a guild with no presence leaves the nested view
}

TEST_CASE("presences: clear_presences_for_guild and clear_presences return what they removed") {
  auto c = memory_cache();
  ok(c->set_presence(presence(1, 11)));
  ok(c->set_presence(presence(1, 12)));
  ok(c->set_presence(presence(2, 11, "idle")));
  ok(c->set_presence(presence(3, 13)));

  auto g1 = ok(c->clear_presences_for_guild(S(1)));
  CHECK(ids(g1) == Ids{11, 12});
  CHECK(g1[S(12)]->user_id() == 12);
  CHECK_FALSE(ok(c->get_presence(S(1), S(11))));
  CHECK(c->get_presences_view_for_guild(S(1)).empty());
  CHECK(guild_ids(c->get_presences_view()) == Ids{2, 3});

  auto all = ok(c->clear_presences());
  CHECK(guild_ids(all) == Ids{2, 3});
  CHECK(ids(all[S(2)]) == Ids{11});
  CHECK(status_of(all[S(2)][S(11)]) == "idle");
  CHECK(ids(all[S(3)]) == Ids{13});
  CHECK(c->get_presences_view().empty());
  CHECK_FALSE(ok(c->get_presence(S(3), S(13))));
  CHECK(ok(c->clear_presences()).empty());
}

TEST_CASE("presences: disabled component") {
  auto c = memory_cache(only(~Components::kPresences));
  ok(c->set_presence(presence(1, 11)));
  CHECK_FALSE(ok(c->get_presence(S(1), S(11))));
  CHECK(c->get_presences_view().empty());
  CHECK(c->get_presences_view_for_guild(S(1)).empty());
  auto u = ok(c->update_presence(presence(1, 11)));
  CHECK_FALSE(u.old_value);
  CHECK_FALSE(u.new_value);
  CHECK_FALSE(ok(c->delete_presence(S(1), S(11))));
  CHECK(ok(c->clear_presences()).empty());
  CHECK(ok(c->clear_presences_for_guild(S(1))).empty());
}

TEST_CASE("presences: guild_id 0 is invalid and writes nothing") {
  auto c = memory_cache();
  auto st = c->set_presence(presence(0, 11));
  CHECK(st.code() == Code::kInvalidArgument);
  CHECK(c->update_presence(presence(0, 11)).status().code() == Code::kInvalidArgument);
  CHECK_FALSE(ok(c->get_presence(S(0), S(11))));
  CHECK(c->get_presences_view().empty());
  CHECK(c->get_presences_view_for_guild(S(0)).empty());
}

TEST_CASE("presences: persist across reopen") {
  TempDir dir;
  auto c = disk_cache(dir.str());
  ok(c->set_presence(presence(1, 11, "dnd")));
  ok(c->set_presence(presence(2, 12)));
  ok(c->set_presence(presence(2, 13)));
  ok(c->delete_presence(S(2), S(13)).status());
  reopen(c, dir);
  CHECK(status_of(ok(c->get_presence(S(1), S(11))).value()) == "dnd");
  CHECK(guild_ids(c->get_presences_view()) == Ids{1, 2});
  CHECK(ids(c->get_presences_view_for_guild(S(2))) == Ids{12});
  CHECK_FALSE(ok(c->get_presence(S(2), S(13))));
}

// ---------------------------------------------------------------- voice states

TEST_CASE("voice states: set, get, the nested, per-guild and per-channel views") {
  auto c = memory_cache();
  ok(c->set_voice_state(voice_state(1, 12, 10)));
  ok(c->set_voice_state(voice_state(1, 11, 10)));
  ok(c->set_voice_state(voice_state(1, 13, 20)));
  ok(c->set_voice_state(voice_state(2, 11, 30)));

  auto v = ok(c->get_voice_state(S(1), S(11)));
  REQUIRE(v);
  CHECK((*v)->guild_id() == 1);
  CHECK((*v)->user_id() == 11);
  CHECK((*v)->channel_id().value() == 10);
  REQUIRE((*v)->member());
  CHECK((*v)->member()->user()->id() == 11);

  auto nested = c->get_voice_states_view();
  CHECK(guild_ids(nested) == Ids{1, 2});
  CHECK(ids(nested[S(1)]) == Ids{11, 12, 13});
  CHECK(ids(nested[S(2)]) == Ids{11});
  CHECK_FALSE(nested.get(S(3)));
  CHECK(nested[S(2)][S(11)]->channel_id().value() == 30);

  CHECK(ids(c->get_voice_states_view_for_guild(S(1))) == Ids{11, 12, 13});
  CHECK(ids(c->get_voice_states_view_for_channel(S(1), S(10))) == Ids{11, 12});
  CHECK(ids(c->get_voice_states_view_for_channel(S(1), S(20))) == Ids{13});
  CHECK(c->get_voice_states_view_for_channel(S(2), S(10)).empty());
  auto ch = c->get_voice_states_view_for_channel(S(1), S(10));
  CHECK(ch[S(12)]->user_id() == 12);
  CHECK_FALSE(ch.contains(S(13)));

  // The embedded members' users are written (and held).
  CHECK(has_user(*c, 11));
  CHECK(has_user(*c, 13));
}

TEST_CASE("voice states: an absent key misses") {
  auto c = memory_cache();
  ok(c->set_voice_state(voice_state(1, 11, 10)));
  CHECK_FALSE(ok(c->get_voice_state(S(1), S(99))));
  CHECK_FALSE(ok(c->get_voice_state(S(2), S(11))));
  CHECK_FALSE(ok(c->delete_voice_state(S(1), S(99))));
  CHECK(ok(c->clear_voice_states_for_guild(S(99))).empty());
  CHECK(ok(c->clear_voice_states_for_channel(S(1), S(99))).empty());
  CHECK(ids(c->get_voice_states_view_for_guild(S(1))) == Ids{11});
}

TEST_CASE("voice states: update returns (old, new) and moving channel moves it between per-channel views") {
  auto c = memory_cache();
  ok(c->set_voice_state(voice_state(1, 11, 10)));
  ok(c->set_voice_state(voice_state(1, 12, 10)));

  auto u = ok(c->update_voice_state(voice_state(1, 11, 20)));
  REQUIRE(u.old_value);
  REQUIRE(u.new_value);
  CHECK((*u.old_value)->channel_id().value() == 10);
  CHECK((*u.new_value)->channel_id().value() == 20);
  CHECK(ok(c->get_voice_state(S(1), S(11))).value()->channel_id().value() == 20);
  CHECK(ids(c->get_voice_states_view_for_channel(S(1), S(10))) == Ids{12});
  CHECK(ids(c->get_voice_states_view_for_channel(S(1), S(20))) == Ids{11});
  CHECK(ids(c->get_voice_states_view_for_guild(S(1))) == Ids{11, 12});

  auto fresh = ok(c->update_voice_state(voice_state(1, 13, 20)));
  CHECK_FALSE(fresh.old_value);
  REQUIRE(fresh.new_value);
  CHECK(ids(c->get_voice_states_view_for_channel(S(1), S(20))) == Ids{11, 13});

  // Moving channel does not count the member twice: one delete releases it.
  ok(c->delete_voice_state(S(1), S(11)).status());
  CHECK_FALSE(has_user(*c, 11));
}

TEST_CASE("voice states: delete returns the removed voice state and releases its member") {
  auto c = memory_cache();
  ok(c->set_voice_state(voice_state(1, 11, 10)));
  ok(c->set_voice_state(voice_state(1, 12, 10)));
  auto d = ok(c->delete_voice_state(S(1), S(11)));
  REQUIRE(d);
  CHECK((*d)->user_id() == 11);
  CHECK((*d)->channel_id().value() == 10);
  CHECK_FALSE(ok(c->get_voice_state(S(1), S(11))));
  CHECK(ids(c->get_voice_states_view_for_guild(S(1))) == Ids{12});
  CHECK(ids(c->get_voice_states_view_for_channel(S(1), S(10))) == Ids{12});
  CHECK_FALSE(has_user(*c, 11));
  CHECK(has_user(*c, 12));
  CHECK_FALSE(ok(c->delete_voice_state(S(1), S(11))));
}

TEST_CASE("voice states: a voice state without member holds the cached member, or none") {
  auto c = memory_cache();
  ok(c->set_member(member(1, 11, "nick")));
  ok(c->set_voice_state(voice_state(1, 11, 10, /*with_member=*/false)));
  auto v = ok(c->get_voice_state(S(1), S(11)));
  REQUIRE(v);
  REQUIRE((*v)->member());
  CHECK((*v)->member()->nick()->str() == "nick");

  // No member cached and none in the payload is not an error (D13).
  ok(c->set_voice_state(voice_state(1, 12, 10, /*with_member=*/false)));
  auto w = ok(c->get_voice_state(S(1), S(12)));
  REQUIRE(w);
  CHECK_FALSE((*w)->member());
  CHECK_FALSE(has_user(*c, 12));
  ok(c->delete_voice_state(S(1), S(12)).status());
  CHECK_FALSE(ok(c->get_voice_state(S(1), S(12))));
}

TEST_CASE("voice states: clear_voice_states_for_channel removes them and returns them (D6)") {
  auto c = memory_cache();
  ok(c->set_voice_state(voice_state(1, 11, 10)));
  ok(c->set_voice_state(voice_state(1, 12, 10)));
  ok(c->set_voice_state(voice_state(1, 13, 20)));
  ok(c->set_voice_state(voice_state(2, 11, 10)));  // same user and channel id, another guild

  auto removed = ok(c->clear_voice_states_for_channel(S(1), S(10)));
  CHECK(ids(removed) == Ids{11, 12});
  CHECK(removed[S(11)]->channel_id().value() == 10);
  CHECK_FALSE(ok(c->get_voice_state(S(1), S(11))));
  CHECK_FALSE(ok(c->get_voice_state(S(1), S(12))));
  CHECK(c->get_voice_states_view_for_channel(S(1), S(10)).empty());
  CHECK(ids(c->get_voice_states_view_for_guild(S(1))) == Ids{13});
  CHECK(ids(c->get_voice_states_view_for_guild(S(2))) == Ids{11});
  // Released: user 12 goes; user 11 is still held by its member in guild 2.
  CHECK_FALSE(has_user(*c, 12));
  CHECK(has_user(*c, 11));
  CHECK(ok(c->clear_voice_states_for_channel(S(1), S(10))).empty());
}

TEST_CASE("voice states: clear_voice_states_for_guild and clear_voice_states return what they removed") {
  auto c = memory_cache();
  ok(c->set_voice_state(voice_state(1, 11, 10)));
  ok(c->set_voice_state(voice_state(1, 12, 20)));
  ok(c->set_voice_state(voice_state(2, 13, 30)));
  ok(c->set_voice_state(voice_state(3, 14, 40)));

  auto g1 = ok(c->clear_voice_states_for_guild(S(1)));
  CHECK(ids(g1) == Ids{11, 12});
  CHECK(g1[S(12)]->channel_id().value() == 20);
  CHECK(c->get_voice_states_view_for_guild(S(1)).empty());
  CHECK(c->get_voice_states_view_for_channel(S(1), S(10)).empty());
  CHECK(guild_ids(c->get_voice_states_view()) == Ids{2, 3});
  CHECK_FALSE(has_user(*c, 11));
  CHECK_FALSE(has_user(*c, 12));

  auto all = ok(c->clear_voice_states());
  CHECK(guild_ids(all) == Ids{2, 3});
  CHECK(ids(all[S(3)]) == Ids{14});
  CHECK(c->get_voice_states_view().empty());
  CHECK_FALSE(has_user(*c, 13));
  CHECK_FALSE(has_user(*c, 14));
  CHECK(c->get_users_view().empty());
  CHECK(ok(c->clear_voice_states()).empty());
}

TEST_CASE("voice states: disabled component") {
  auto c = memory_cache(only(~Components::kVoiceStates));
  ok(c->set_voice_state(voice_state(1, 11, 10)));
  CHECK_FALSE(ok(c->get_voice_state(S(1), S(11))));
  CHECK(c->get_voice_states_view().empty());
  CHECK(c->get_voice_states_view_for_guild(S(1)).empty());
  CHECK(c->get_voice_states_view_for_channel(S(1), S(10)).empty());
  auto u = ok(c->update_voice_state(voice_state(1, 11, 10)));
  CHECK_FALSE(u.old_value);
  CHECK_FALSE(u.new_value);
  CHECK_FALSE(ok(c->delete_voice_state(S(1), S(11))));
  CHECK(ok(c->clear_voice_states()).empty());
  CHECK(ok(c->clear_voice_states_for_guild(S(1))).empty());
  CHECK(ok(c->clear_voice_states_for_channel(S(1), S(10))).empty());
  CHECK_FALSE(has_user(*c, 11));  // the embedded member was not written
}

TEST_CASE("voice states: guild_id 0 is invalid and writes nothing") {
  auto c = memory_cache();
  auto st = c->set_voice_state(voice_state(0, 11, 10));
  CHECK(st.code() == Code::kInvalidArgument);
  CHECK(c->update_voice_state(voice_state(0, 11, 10)).status().code() == Code::kInvalidArgument);
  CHECK_FALSE(ok(c->get_voice_state(S(0), S(11))));
  CHECK(c->get_voice_states_view().empty());
  CHECK(c->get_voice_states_view_for_channel(S(0), S(10)).empty());
  CHECK(c->get_users_view().empty());
}

TEST_CASE("voice states: persist across reopen") {
  TempDir dir;
  auto c = disk_cache(dir.str());
  ok(c->set_voice_state(voice_state(1, 11, 10)));
  ok(c->set_voice_state(voice_state(1, 12, 10)));
  ok(c->update_voice_state(voice_state(1, 12, 20)).status());
  ok(c->set_voice_state(voice_state(2, 13, 30)));
  reopen(c, dir);
  CHECK(ok(c->get_voice_state(S(1), S(12))).value()->channel_id().value() == 20);
  CHECK(guild_ids(c->get_voice_states_view()) == Ids{1, 2});
  CHECK(ids(c->get_voice_states_view_for_channel(S(1), S(10))) == Ids{11});
  CHECK(ids(c->get_voice_states_view_for_channel(S(1), S(20))) == Ids{12});
  CHECK(has_user(*c, 11));
  // The member references survive: clearing after the reopen releases them.
  CHECK(ids(ok(c->clear_voice_states_for_channel(S(1), S(20)))) == Ids{12});
  CHECK_FALSE(has_user(*c, 12));
  CHECK(has_user(*c, 11));
}
