// Messages (MESSAGES) and DM channel ids (DM_CHANNEL_IDS): every method of
// the two kinds, their caps (max_messages, max_dm_channel_ids), gating, bad
// input and persistence.
#include <cstdint>
#include <string>
#include <vector>

#include "support.h"

using namespace snowcache;
using namespace snowcache::testing;

namespace {

// The channel ids of a DM channel id view, in its order.
Ids channels(const CacheView<Snowflake, fb::DmChannelId>& view) {
  Ids out;
  for (auto it = view.begin(); it != view.end(); ++it) out.push_back(it.value()->channel_id());
  return out;
}

std::string content_of(const Value<fb::Message>& m) { return m->content() ? m->content()->str() : std::string(); }

Ids mention_ids(const Value<fb::Message>& m) {
  Ids out;
  if (m->mentions()) {
    for (const fb::User* u : *m->mentions()) out.push_back(u->id());
  }
  return out;
}

}  // namespace

// ---------------------------------------------------------------- messages

TEST_CASE("messages: set, get and the view, oldest (smallest id) first") {
  auto c = memory_cache();
  ok(c->set_message(message(103, 10, 1, 201)));
  ok(c->set_message(message(101, 10, 1, 202, {203})));
  ok(c->set_message(message(102, 77, std::nullopt, 204)));  // a DM message

  auto m = ok(c->get_message(S(101)));
  REQUIRE(m);
  CHECK((*m)->id() == 101);
  CHECK((*m)->channel_id() == 10);
  CHECK((*m)->guild_id().value() == 1);
  CHECK((*m)->author()->id() == 202);
  CHECK(content_of(*m) == "message 101");
  CHECK(mention_ids(*m) == Ids{203});
  auto dm_message = ok(c->get_message(S(102)));
  REQUIRE(dm_message);
  CHECK_FALSE((*dm_message)->guild_id().has_value());

  auto view = c->get_messages_view();
  CHECK(ids(view) == Ids{101, 102, 103});
  CHECK(view.get_item_at(0)->id() == 101);
  CHECK(view.get_item_at(2)->id() == 103);
  CHECK_THROWS_AS(view.get_item_at(3), std::out_of_range);
  CHECK(view[S(103)]->author()->id() == 201);

  // Authors and mentioned users are written.
  for (std::uint64_t u : {201, 202, 203, 204}) CHECK(has_user(*c, u));

  // A second set of the same id replaces it in place.
  fb::MessageT again = message(101, 10, 1, 202, {203});
  again.content = "edited";
  ok(c->set_message(again));
  CHECK(content_of(ok(c->get_message(S(101))).value()) == "edited");
  CHECK(ids(c->get_messages_view()) == Ids{101, 102, 103});
}

TEST_CASE("messages: an absent id misses") {
  auto c = memory_cache();
  ok(c->set_message(message(101, 10, 1, 201)));
  CHECK_FALSE(ok(c->get_message(S(999))));
  CHECK_FALSE(c->get_messages_view().contains(S(999)));
  CHECK_FALSE(ok(c->delete_message(S(999))));
  CHECK(ids(c->get_messages_view()) == Ids{101});
}

TEST_CASE("messages: update_message never creates an uncached message (R4)") {
  auto c = memory_cache();
  ok(c->set_message(message(101, 10, 1, 201)));
  auto u = ok(c->update_message(message(500, 10, 1, 202, {203})));
  CHECK_FALSE(u.old_value);
  CHECK_FALSE(u.new_value);
  CHECK_FALSE(ok(c->get_message(S(500))));
  CHECK(ids(c->get_messages_view()) == Ids{101});
  CHECK_FALSE(has_user(*c, 202));  // nothing of it was written
  CHECK_FALSE(has_user(*c, 203));
}

TEST_CASE("messages: update_message replaces a cached message and re-counts its mentions") {
  auto c = memory_cache();
  ok(c->set_message(message(101, 10, 1, 201, {301})));
  ok(c->set_message(message(102, 10, 1, 202)));

  fb::MessageT edit = message(101, 10, 1, 201, {302});
  edit.content = "edited";
  auto u = ok(c->update_message(edit));
  REQUIRE(u.old_value);
  REQUIRE(u.new_value);
  CHECK(content_of(*u.old_value) == "message 101");
  CHECK(mention_ids(*u.old_value) == Ids{301});
  CHECK(content_of(*u.new_value) == "edited");
  CHECK(mention_ids(*u.new_value) == Ids{302});
  CHECK(content_of(ok(c->get_message(S(101))).value()) == "edited");
  CHECK(ids(c->get_messages_view()) == Ids{101, 102});

  CHECK_FALSE(has_user(*c, 301));  // dropped mention released
  CHECK(has_user(*c, 302));        // added mention counted (D2)
  ok(c->delete_message(S(101)).status());
  CHECK_FALSE(has_user(*c, 302));  // ... and released with the message
  CHECK_FALSE(has_user(*c, 201));
}

TEST_CASE("messages: update_message keeps the cached author, member, guild and channel (R4)") {
  auto c = memory_cache();
  ok(c->set_message(message(101, 10, 1, 201)));  // author copy named "user"
  ok(c->set_member(member(1, 201)));             // the user store now says "user201"

  SUBCASE("an update without author or member") {
    fb::MessageT partial;
    partial.id = 101;
    partial.content = "edited";
    auto u = ok(c->update_message(partial));
    REQUIRE(u.new_value);
    CHECK(content_of(*u.new_value) == "edited");
  }
  SUBCASE("an update with stale copies of author and member") {
    fb::MessageT stale = message(101, 10, 1, 201);
    stale.author->username = "stale";
    stale.member->nick = "stale";
    stale.content = "edited";
    ok(c->update_message(stale).status());
  }

  auto m = ok(c->get_message(S(101)));
  REQUIRE(m);
  CHECK(content_of(*m) == "edited");
  REQUIRE((*m)->author());
  CHECK((*m)->author()->id() == 201);
  // The author reads as the user record is now (docs/SEMANTICS.md E1).
  CHECK((*m)->author()->username()->str() == "user201");
  REQUIRE((*m)->member());
  CHECK((*m)->member()->user()->id() == 201);
  CHECK((*m)->channel_id() == 10);
  CHECK((*m)->guild_id().value() == 1);
  // The author's user is not rewritten, and the message still holds it and
  // the member.
  CHECK(ok(c->get_user(S(201))).value()->username()->str() == "user201");
  auto listed = ok(c->get_member(S(1), S(201)));
  REQUIRE(listed);
  CHECK_FALSE((*listed)->nick());  // not the update's "stale"
  CHECK_FALSE(ok(c->delete_member(S(1), S(201))));  // hidden: the message holds it
  CHECK(has_user(*c, 201));
  ok(c->delete_message(S(101)).status());
  CHECK_FALSE(has_user(*c, 201));
}

TEST_CASE("messages: delete returns the removed message and releases what it held") {
  auto c = memory_cache();
  ok(c->set_message(message(101, 10, 1, 201, {301})));
  ok(c->set_message(message(102, 10, 1, 202)));
  auto d = ok(c->delete_message(S(101)));
  REQUIRE(d);
  CHECK((*d)->id() == 101);
  CHECK(content_of(*d) == "message 101");
  CHECK_FALSE(ok(c->get_message(S(101))));
  CHECK(ids(c->get_messages_view()) == Ids{102});
  CHECK_FALSE(has_user(*c, 201));
  CHECK_FALSE(has_user(*c, 301));
  CHECK(has_user(*c, 202));
  CHECK_FALSE(ok(c->delete_message(S(101))));
}

TEST_CASE("messages: clear_messages returns them all and releases what they held (D8)") {
  auto c = memory_cache();
  ok(c->set_message(message(102, 10, 1, 201, {301})));
  ok(c->set_message(message(101, 77, std::nullopt, 202)));
  auto before = c->get_messages_view();
  auto cleared = ok(c->clear_messages());
  CHECK(ids(cleared) == Ids{101, 102});
  CHECK(content_of(cleared[S(102)]) == "message 102");
  CHECK(c->get_messages_view().empty());
  CHECK_FALSE(ok(c->get_message(S(101))));
  CHECK(c->get_users_view().empty());
  CHECK(ids(before) == Ids{101, 102});  // a snapshot
  CHECK(ok(c->clear_messages()).empty());
}

TEST_CASE("messages: max_messages caps the store; inserting past it evicts the smallest id in the same call") {
  auto c = memory_cache(with_max_messages(3));
  for (std::uint64_t id = 1; id <= 3; ++id) ok(c->set_message(message(id, 10, 1, 200 + id)));
  CHECK(ids(c->get_messages_view()) == Ids{1, 2, 3});

  ok(c->set_message(message(4, 10, 1, 204)));
  CHECK(ids(c->get_messages_view()) == Ids{2, 3, 4});
  CHECK_FALSE(ok(c->get_message(S(1))));
  CHECK_FALSE(has_user(*c, 201));  // the evicted message released its author

  ok(c->set_message(message(5, 10, 1, 205)));
  CHECK(ids(c->get_messages_view()) == Ids{3, 4, 5});

  // Re-setting a cached id does not grow the store: nothing is evicted.
  ok(c->set_message(message(4, 10, 1, 204)));
  CHECK(ids(c->get_messages_view()) == Ids{3, 4, 5});

  // An id smaller than every cached one is itself the oldest: it is evicted
  // in the same call and leaves nothing behind.
  ok(c->set_message(message(2, 10, 1, 299)));
  CHECK(ids(c->get_messages_view()) == Ids{3, 4, 5});
  CHECK_FALSE(ok(c->get_message(S(2))));
  CHECK_FALSE(has_user(*c, 299));
  for (std::uint64_t u : {203, 204, 205}) CHECK(has_user(*c, u));

  // Below every id evicted so far, with room for it: kept, and the next
  // eviction still takes the smallest id (eviction scans start past the
  // evicted ids, so a put below them must move that start back).
  ok(c->delete_message(S(3)));
  ok(c->set_message(message(1, 10, 1, 201)));
  CHECK(ids(c->get_messages_view()) == Ids{1, 4, 5});
  ok(c->set_message(message(6, 10, 1, 206)));
  CHECK(ids(c->get_messages_view()) == Ids{4, 5, 6});
}

TEST_CASE("messages: disabled component") {
  auto c = memory_cache(only(~Components::kMessages));
  ok(c->set_message(message(101, 10, 1, 201, {301})));
  CHECK_FALSE(ok(c->get_message(S(101))));
  CHECK(c->get_messages_view().empty());
  auto u = ok(c->update_message(message(101, 10, 1, 201)));
  CHECK_FALSE(u.old_value);
  CHECK_FALSE(u.new_value);
  CHECK_FALSE(ok(c->delete_message(S(101))));
  CHECK(ok(c->clear_messages()).empty());
  CHECK_FALSE(has_user(*c, 201));
  CHECK_FALSE(has_user(*c, 301));
}

TEST_CASE("messages: a message without channel_id is invalid and writes nothing") {
  auto c = memory_cache();
  auto st = c->set_message(message(101, 0, 1, 201));
  CHECK(st.code() == Code::kInvalidArgument);
  CHECK_FALSE(ok(c->get_message(S(101))));
  CHECK(c->get_messages_view().empty());
  CHECK(c->get_users_view().empty());
}

TEST_CASE("messages: persist across reopen") {
  TempDir dir;
  auto c = disk_cache(dir.str(), with_max_messages(3));
  for (std::uint64_t id = 1; id <= 4; ++id) ok(c->set_message(message(id, 10, 1, 200 + id, {300 + id})));
  reopen(c, dir);
  CHECK(c->settings().max_messages == 3);
  CHECK(ids(c->get_messages_view()) == Ids{2, 3, 4});
  CHECK(content_of(ok(c->get_message(S(3))).value()) == "message 3");
  CHECK(has_user(*c, 302));
  // The cap and the references still hold after the reopen.
  ok(c->set_message(message(5, 10, 1, 205)));
  CHECK(ids(c->get_messages_view()) == Ids{3, 4, 5});
  CHECK_FALSE(has_user(*c, 202));
  CHECK_FALSE(has_user(*c, 302));
}

// ---------------------------------------------------------------- DM channel ids

TEST_CASE("dm channel ids: set, get and the view in insertion order") {
  auto c = memory_cache();
  ok(c->set_dm_channel_id(S(30), S(3000)));
  ok(c->set_dm_channel_id(S(10), S(1000)));
  ok(c->set_dm_channel_id(S(20), S(2000)));

  CHECK(dm(*c, 10) == 1000u);
  CHECK(dm(*c, 20) == 2000u);
  CHECK(dm(*c, 30) == 3000u);

  auto view = c->get_dm_channel_ids_view();
  CHECK(ids(view) == Ids{30, 10, 20});  // insertion order, not id order
  CHECK(channels(view) == Ids{3000, 1000, 2000});
  CHECK(view.get_item_at(0)->channel_id() == 3000);
  CHECK(view[S(20)]->channel_id() == 2000);
  CHECK_FALSE(view.contains(S(40)));

  // Recording the same user again keeps its original position.
  ok(c->set_dm_channel_id(S(30), S(3001)));
  CHECK(dm(*c, 30) == 3001u);
  CHECK(ids(c->get_dm_channel_ids_view()) == Ids{30, 10, 20});
  CHECK(channels(c->get_dm_channel_ids_view()) == Ids{3001, 1000, 2000});

  // A DM channel id writes no user.
  CHECK(c->get_users_view().empty());
}

TEST_CASE("dm channel ids: an absent user misses") {
  auto c = memory_cache();
  ok(c->set_dm_channel_id(S(10), S(1000)));
  CHECK_FALSE(dm(*c, 99));
  CHECK_FALSE(ok(c->delete_dm_channel_id(S(99))));
  CHECK(ids(c->get_dm_channel_ids_view()) == Ids{10});
}

TEST_CASE("dm channel ids: delete returns the channel id") {
  auto c = memory_cache();
  ok(c->set_dm_channel_id(S(30), S(3000)));
  ok(c->set_dm_channel_id(S(10), S(1000)));
  ok(c->set_dm_channel_id(S(20), S(2000)));
  auto d = ok(c->delete_dm_channel_id(S(10)));
  REQUIRE(d);
  CHECK(d->value() == 1000);
  CHECK_FALSE(dm(*c, 10));
  CHECK(ids(c->get_dm_channel_ids_view()) == Ids{30, 20});
  CHECK_FALSE(ok(c->delete_dm_channel_id(S(10))));
  // Recorded again after a delete: it goes last.
  ok(c->set_dm_channel_id(S(10), S(1001)));
  CHECK(ids(c->get_dm_channel_ids_view()) == Ids{30, 20, 10});
}

TEST_CASE("dm channel ids: clear returns them in insertion order") {
  auto c = memory_cache();
  ok(c->set_dm_channel_id(S(30), S(3000)));
  ok(c->set_dm_channel_id(S(10), S(1000)));
  ok(c->set_dm_channel_id(S(20), S(2000)));
  auto cleared = ok(c->clear_dm_channel_ids());
  CHECK(ids(cleared) == Ids{30, 10, 20});
  CHECK(channels(cleared) == Ids{3000, 1000, 2000});
  CHECK(c->get_dm_channel_ids_view().empty());
  CHECK_FALSE(dm(*c, 10));
  CHECK(ok(c->clear_dm_channel_ids()).empty());
}

TEST_CASE("dm channel ids: max_dm_channel_ids evicts the oldest-inserted") {
  auto c = memory_cache(with_max_dm(3));
  ok(c->set_dm_channel_id(S(50), S(5000)));
  ok(c->set_dm_channel_id(S(40), S(4000)));
  ok(c->set_dm_channel_id(S(30), S(3000)));
  ok(c->set_dm_channel_id(S(20), S(2000)));
  CHECK(ids(c->get_dm_channel_ids_view()) == Ids{40, 30, 20});
  CHECK_FALSE(dm(*c, 50));

  // Re-setting 40 keeps it the oldest: the next insert evicts it.
  ok(c->set_dm_channel_id(S(40), S(4001)));
  CHECK(ids(c->get_dm_channel_ids_view()) == Ids{40, 30, 20});
  ok(c->set_dm_channel_id(S(10), S(1000)));
  CHECK(ids(c->get_dm_channel_ids_view()) == Ids{30, 20, 10});
  CHECK_FALSE(dm(*c, 40));
  CHECK(dm(*c, 10) == 1000u);
}

TEST_CASE("dm channel ids: disabled component") {
  auto c = memory_cache(only(~Components::kDmChannelIds));
  ok(c->set_dm_channel_id(S(10), S(1000)));
  CHECK_FALSE(dm(*c, 10));
  CHECK(c->get_dm_channel_ids_view().empty());
  CHECK_FALSE(ok(c->delete_dm_channel_id(S(10))));
  CHECK(ok(c->clear_dm_channel_ids()).empty());
}

TEST_CASE("dm channel ids: persist across reopen, order and insertion numbers included") {
  TempDir dir;
  auto c = disk_cache(dir.str(), with_max_dm(3));
  ok(c->set_dm_channel_id(S(30), S(3000)));
  ok(c->set_dm_channel_id(S(10), S(1000)));
  ok(c->set_dm_channel_id(S(20), S(2000)));
  reopen(c, dir);
  CHECK(c->settings().max_dm_channel_ids == 3);
  CHECK(dm(*c, 10) == 1000u);
  CHECK(ids(c->get_dm_channel_ids_view()) == Ids{30, 10, 20});
  // After the reopen a new user still goes last and evicts the oldest.
  ok(c->set_dm_channel_id(S(5), S(500)));
  CHECK(ids(c->get_dm_channel_ids_view()) == Ids{10, 20, 5});
  ok(c->set_dm_channel_id(S(10), S(1001)));  // keeps its place
  reopen(c, dir);
  CHECK(ids(c->get_dm_channel_ids_view()) == Ids{10, 20, 5});
  CHECK(channels(c->get_dm_channel_ids_view()) == Ids{1001, 2000, 500});
}
