// Emojis (EMOJIS), guild stickers (GUILD_STICKERS) and invites (INVITES):
// every method of the three kinds, their gating, bad input and persistence.
#include <cstdint>
#include <string>
#include <vector>

#include "support.h"

using namespace snowcache;
using namespace snowcache::testing;

namespace {

using Codes = std::vector<std::string>;

Codes codes(const CacheView<std::string, fb::Invite>& view) {
  Codes out = view.keys();
  CHECK(out.size() == view.size());
  return out;
}

fb::EmojiT named_emoji(std::uint64_t id, std::uint64_t guild_id, std::string name,
                       std::optional<std::uint64_t> creator = std::nullopt) {
  fb::EmojiT e = emoji(id, guild_id, creator);
  e.name = std::move(name);
  return e;
}

}  // namespace

// ---------------------------------------------------------------- emojis

TEST_CASE("emojis: set, get and the global and per-guild views") {
  auto c = memory_cache();
  ok(c->set_emoji(emoji(30, 2)));
  ok(c->set_emoji(emoji(11, 1, 100)));
  ok(c->set_emoji(emoji(10, 1)));

  auto e = ok(c->get_emoji(S(11)));
  REQUIRE(e);
  CHECK((*e)->id() == 11);
  CHECK((*e)->guild_id() == 1);
  CHECK((*e)->name()->str() == "emoji11");
  REQUIRE((*e)->user());
  CHECK((*e)->user()->id() == 100);

  CHECK(ids(c->get_emojis_view()) == Ids{10, 11, 30});
  CHECK(ids(c->get_emojis_view_for_guild(S(1))) == Ids{10, 11});
  CHECK(ids(c->get_emojis_view_for_guild(S(2))) == Ids{30});
  CHECK(c->get_emojis_view_for_guild(S(3)).empty());

  auto view = c->get_emojis_view_for_guild(S(1));
  CHECK(view.get_item_at(0)->id() == 10);
  CHECK(view[S(11)]->name()->str() == "emoji11");
  CHECK_FALSE(view.contains(S(30)));  // another guild's emoji is not in this view
  CHECK_THROWS_AS(view.get_item_at(2), std::out_of_range);

  // The creator is written to the user store.
  CHECK(has_user(*c, 100));
}

TEST_CASE("emojis: an absent id misses") {
  auto c = memory_cache();
  ok(c->set_emoji(emoji(10, 1)));
  CHECK_FALSE(ok(c->get_emoji(S(99))));
  CHECK_FALSE(c->get_emojis_view().contains(S(99)));
  CHECK_FALSE(ok(c->delete_emoji(S(99))));
  CHECK(ids(c->get_emojis_view()) == Ids{10});
  CHECK(ok(c->clear_emojis_for_guild(S(99))).empty());
  CHECK(ids(c->get_emojis_view()) == Ids{10});
}

TEST_CASE("emojis: update returns (old, new); an update of an unknown emoji creates it") {
  auto c = memory_cache();
  ok(c->set_emoji(named_emoji(10, 1, "before")));

  auto u = ok(c->update_emoji(named_emoji(10, 1, "after")));
  REQUIRE(u.old_value);
  REQUIRE(u.new_value);
  CHECK((*u.old_value)->name()->str() == "before");
  CHECK((*u.new_value)->name()->str() == "after");
  CHECK(ok(c->get_emoji(S(10))).value()->name()->str() == "after");

  auto fresh = ok(c->update_emoji(named_emoji(12, 1, "new")));
  CHECK_FALSE(fresh.old_value);
  REQUIRE(fresh.new_value);
  CHECK((*fresh.new_value)->name()->str() == "new");
  CHECK(ids(c->get_emojis_view_for_guild(S(1))) == Ids{10, 12});

  // Moving an emoji to another guild moves it between per-guild views.
  ok(c->update_emoji(named_emoji(10, 2, "moved")).status());
  CHECK(ids(c->get_emojis_view_for_guild(S(1))) == Ids{12});
  CHECK(ids(c->get_emojis_view_for_guild(S(2))) == Ids{10});
}

TEST_CASE("emojis: delete returns the removed emoji and releases its creator") {
  auto c = memory_cache();
  ok(c->set_emoji(emoji(10, 1, 100)));
  ok(c->set_emoji(emoji(11, 1)));
  auto before = c->get_emojis_view();

  auto d = ok(c->delete_emoji(S(10)));
  REQUIRE(d);
  CHECK((*d)->id() == 10);
  CHECK((*d)->user()->id() == 100);
  CHECK_FALSE(ok(c->get_emoji(S(10))));
  CHECK(ids(c->get_emojis_view()) == Ids{11});
  CHECK(ids(c->get_emojis_view_for_guild(S(1))) == Ids{11});
  CHECK_FALSE(has_user(*c, 100));
  CHECK_FALSE(ok(c->delete_emoji(S(10))));  // a second delete finds nothing

  // A view taken before the delete is a snapshot.
  CHECK(ids(before) == Ids{10, 11});
}

TEST_CASE("emojis: clear_emojis_for_guild and clear_emojis return what they removed") {
  auto c = memory_cache();
  ok(c->set_emoji(emoji(10, 1, 100)));
  ok(c->set_emoji(emoji(11, 1)));
  ok(c->set_emoji(emoji(20, 2, 101)));

  auto g1 = ok(c->clear_emojis_for_guild(S(1)));
  CHECK(ids(g1) == Ids{10, 11});
  CHECK(g1[S(10)]->user()->id() == 100);
  CHECK_FALSE(ok(c->get_emoji(S(10))));
  CHECK_FALSE(ok(c->get_emoji(S(11))));
  CHECK(c->get_emojis_view_for_guild(S(1)).empty());
  CHECK(ids(c->get_emojis_view()) == Ids{20});
  CHECK_FALSE(has_user(*c, 100));
  CHECK(has_user(*c, 101));

  auto all = ok(c->clear_emojis());
  CHECK(ids(all) == Ids{20});
  CHECK(c->get_emojis_view().empty());
  CHECK(c->get_emojis_view_for_guild(S(2)).empty());
  CHECK_FALSE(has_user(*c, 101));
  CHECK(ok(c->clear_emojis()).empty());
}

TEST_CASE("emojis: disabled component") {
  auto c = memory_cache(only(~Components::kEmojis));
  ok(c->set_emoji(emoji(10, 1, 100)));
  CHECK_FALSE(ok(c->get_emoji(S(10))));
  CHECK(c->get_emojis_view().empty());
  CHECK(c->get_emojis_view_for_guild(S(1)).empty());
  auto u = ok(c->update_emoji(emoji(10, 1, 100)));
  CHECK_FALSE(u.old_value);
  CHECK_FALSE(u.new_value);
  CHECK_FALSE(ok(c->delete_emoji(S(10))));
  CHECK(ok(c->clear_emojis()).empty());
  CHECK(ok(c->clear_emojis_for_guild(S(1))).empty());
  CHECK_FALSE(has_user(*c, 100));  // nothing of the emoji was written
  // Stickers are their own component (D7).
  ok(c->set_sticker(sticker(50, 1)));
  CHECK(ok(c->get_sticker(S(50))));
}

TEST_CASE("emojis: guild_id 0 is invalid and writes nothing") {
  auto c = memory_cache();
  auto st = c->set_emoji(emoji(10, 0, 100));
  CHECK(st.code() == Code::kInvalidArgument);
  CHECK(c->update_emoji(emoji(10, 0, 100)).status().code() == Code::kInvalidArgument);
  CHECK_FALSE(ok(c->get_emoji(S(10))));
  CHECK(c->get_emojis_view().empty());
  CHECK(c->get_emojis_view_for_guild(S(0)).empty());
  CHECK_FALSE(has_user(*c, 100));
  CHECK(c->get_users_view().empty());
}

TEST_CASE("emojis: persist across reopen") {
  TempDir dir;
  auto c = disk_cache(dir.str());
  ok(c->set_emoji(emoji(10, 1, 100)));
  ok(c->set_emoji(emoji(20, 2)));
  ok(c->set_emoji(emoji(21, 2)));
  ok(c->delete_emoji(S(21)).status());
  reopen(c, dir);
  auto e = ok(c->get_emoji(S(10)));
  REQUIRE(e);
  CHECK((*e)->name()->str() == "emoji10");
  CHECK(ids(c->get_emojis_view()) == Ids{10, 20});
  CHECK(ids(c->get_emojis_view_for_guild(S(1))) == Ids{10});
  CHECK(ids(c->get_emojis_view_for_guild(S(2))) == Ids{20});
  CHECK(has_user(*c, 100));
  // References survive too: deleting after the reopen releases the creator.
  ok(c->delete_emoji(S(10)).status());
  CHECK_FALSE(has_user(*c, 100));
}

// ---------------------------------------------------------------- stickers

TEST_CASE("stickers: set, get and the global and per-guild views") {
  auto c = memory_cache();
  ok(c->set_sticker(sticker(30, 2)));
  ok(c->set_sticker(sticker(11, 1, 100)));
  ok(c->set_sticker(sticker(10, 1)));

  auto s = ok(c->get_sticker(S(11)));
  REQUIRE(s);
  CHECK((*s)->guild_id() == 1);
  CHECK((*s)->name()->str() == "sticker11");
  REQUIRE((*s)->user());
  CHECK((*s)->user()->id() == 100);
  CHECK(has_user(*c, 100));

  CHECK(ids(c->get_stickers_view()) == Ids{10, 11, 30});
  CHECK(ids(c->get_stickers_view_for_guild(S(1))) == Ids{10, 11});
  CHECK(ids(c->get_stickers_view_for_guild(S(2))) == Ids{30});
  CHECK(c->get_stickers_view_for_guild(S(3)).empty());
  CHECK_FALSE(c->get_stickers_view_for_guild(S(1)).contains(S(30)));

  // A second set replaces it.
  fb::StickerT renamed = sticker(11, 1, 100);
  renamed.name = "renamed";
  ok(c->set_sticker(renamed));
  CHECK(ok(c->get_sticker(S(11))).value()->name()->str() == "renamed");
  CHECK(ids(c->get_stickers_view_for_guild(S(1))) == Ids{10, 11});
}

TEST_CASE("stickers: an absent id misses") {
  auto c = memory_cache();
  ok(c->set_sticker(sticker(10, 1)));
  CHECK_FALSE(ok(c->get_sticker(S(99))));
  CHECK_FALSE(ok(c->delete_sticker(S(99))));
  CHECK(ok(c->clear_stickers_for_guild(S(99))).empty());
  CHECK(ids(c->get_stickers_view()) == Ids{10});
}

TEST_CASE("stickers: delete returns the removed sticker and releases its creator") {
  auto c = memory_cache();
  ok(c->set_sticker(sticker(10, 1, 100)));
  ok(c->set_sticker(sticker(11, 1)));
  auto d = ok(c->delete_sticker(S(10)));
  REQUIRE(d);
  CHECK((*d)->id() == 10);
  CHECK((*d)->user()->id() == 100);
  CHECK_FALSE(ok(c->get_sticker(S(10))));
  CHECK(ids(c->get_stickers_view()) == Ids{11});
  CHECK(ids(c->get_stickers_view_for_guild(S(1))) == Ids{11});
  CHECK_FALSE(has_user(*c, 100));
  CHECK_FALSE(ok(c->delete_sticker(S(10))));
}

TEST_CASE("stickers: clear_stickers_for_guild and clear_stickers return what they removed") {
  auto c = memory_cache();
  ok(c->set_sticker(sticker(10, 1, 100)));
  ok(c->set_sticker(sticker(11, 1)));
  ok(c->set_sticker(sticker(20, 2, 101)));

  auto g1 = ok(c->clear_stickers_for_guild(S(1)));
  CHECK(ids(g1) == Ids{10, 11});
  CHECK(g1[S(10)]->user()->id() == 100);
  CHECK(c->get_stickers_view_for_guild(S(1)).empty());
  CHECK(ids(c->get_stickers_view()) == Ids{20});
  CHECK_FALSE(has_user(*c, 100));
  CHECK(has_user(*c, 101));

  auto all = ok(c->clear_stickers());
  CHECK(ids(all) == Ids{20});
  CHECK(c->get_stickers_view().empty());
  CHECK_FALSE(has_user(*c, 101));
  CHECK(ok(c->clear_stickers()).empty());
}

TEST_CASE("stickers: gated by GUILD_STICKERS, not EMOJIS (D7)") {
  SUBCASE("GUILD_STICKERS on, EMOJIS off: stickers are kept") {
    auto c = memory_cache(only(Components::kGuildStickers));
    ok(c->set_sticker(sticker(10, 1, 100)));
    CHECK(ok(c->get_sticker(S(10))));
    CHECK(ids(c->get_stickers_view()) == Ids{10});
    CHECK(ids(c->get_stickers_view_for_guild(S(1))) == Ids{10});
    CHECK(has_user(*c, 100));
    ok(c->set_emoji(emoji(20, 1)));
    CHECK_FALSE(ok(c->get_emoji(S(20))));
  }
  SUBCASE("GUILD_STICKERS off, EMOJIS on: every sticker method is gated") {
    auto c = memory_cache(only(~Components::kGuildStickers));
    ok(c->set_sticker(sticker(10, 1, 100)));
    CHECK_FALSE(ok(c->get_sticker(S(10))));
    CHECK(c->get_stickers_view().empty());
    CHECK(c->get_stickers_view_for_guild(S(1)).empty());
    CHECK_FALSE(ok(c->delete_sticker(S(10))));
    CHECK(ok(c->clear_stickers()).empty());
    CHECK(ok(c->clear_stickers_for_guild(S(1))).empty());
    CHECK_FALSE(has_user(*c, 100));
    ok(c->set_emoji(emoji(20, 1)));
    CHECK(ok(c->get_emoji(S(20))));
  }
}

TEST_CASE("stickers: guild_id 0 is invalid and writes nothing") {
  auto c = memory_cache();
  auto st = c->set_sticker(sticker(10, 0, 100));
  CHECK(st.code() == Code::kInvalidArgument);
  CHECK_FALSE(ok(c->get_sticker(S(10))));
  CHECK(c->get_stickers_view().empty());
  CHECK(c->get_users_view().empty());
}

TEST_CASE("stickers: persist across reopen") {
  TempDir dir;
  auto c = disk_cache(dir.str());
  ok(c->set_sticker(sticker(10, 1, 100)));
  ok(c->set_sticker(sticker(20, 2)));
  reopen(c, dir);
  CHECK(ok(c->get_sticker(S(10))).value()->name()->str() == "sticker10");
  CHECK(ids(c->get_stickers_view()) == Ids{10, 20});
  CHECK(ids(c->get_stickers_view_for_guild(S(2))) == Ids{20});
  CHECK(has_user(*c, 100));
  ok(c->delete_sticker(S(10)).status());
  CHECK_FALSE(has_user(*c, 100));
}

// ---------------------------------------------------------------- invites

TEST_CASE("invites: set, get and the global, per-guild and per-channel views") {
  auto c = memory_cache();
  ok(c->set_invite(invite("def", 1, 11)));
  ok(c->set_invite(invite("abc", 1, 10, 100, 101)));
  ok(c->set_invite(invite("ghi", 2, 20)));
  ok(c->set_invite(invite("nog", std::nullopt, std::nullopt)));

  auto i = ok(c->get_invite("abc"));
  REQUIRE(i);
  CHECK((*i)->code()->str() == "abc");
  CHECK((*i)->guild_id().value() == 1);
  CHECK((*i)->channel_id().value() == 10);
  CHECK((*i)->inviter()->id() == 100);
  CHECK((*i)->target_user()->id() == 101);
  CHECK(has_user(*c, 100));
  CHECK(has_user(*c, 101));

  CHECK(codes(c->get_invites_view()) == Codes{"abc", "def", "ghi", "nog"});
  CHECK(codes(c->get_invites_view_for_guild(S(1))) == Codes{"abc", "def"});
  CHECK(codes(c->get_invites_view_for_guild(S(2))) == Codes{"ghi"});
  CHECK(codes(c->get_invites_view_for_channel(S(1), S(10))) == Codes{"abc"});
  CHECK(codes(c->get_invites_view_for_channel(S(1), S(11))) == Codes{"def"});
  CHECK(c->get_invites_view_for_channel(S(2), S(10)).empty());  // channel 10 is guild 1's
  CHECK(c->get_invites_view_for_guild(S(3)).empty());

  auto g1 = c->get_invites_view_for_guild(S(1));
  CHECK(g1["def"]->channel_id().value() == 11);
  CHECK_FALSE(g1.contains("ghi"));
  CHECK_FALSE(g1.contains("nog"));

  // Ascending code across the guild's channels (R2), not channel by channel
  // (found by the model-based test, tests/differential/).
  ok(c->set_invite(invite("aaa", 1, 11)));
  CHECK(codes(c->get_invites_view_for_guild(S(1))) == Codes{"aaa", "abc", "def"});
  CHECK(codes(c->get_invites_view_for_channel(S(1), S(11))) == Codes{"aaa", "def"});
  CHECK(c->get_invites_view_for_guild(S(1)).get_item_at(0)->code()->str() == "aaa");
}

TEST_CASE("invites: an invite without guild_id is stored but in no per-guild view") {
  auto c = memory_cache();
  ok(c->set_invite(invite("nog", std::nullopt, 10, 100)));
  CHECK(ok(c->get_invite("nog")));
  CHECK(codes(c->get_invites_view()) == Codes{"nog"});
  CHECK(c->get_invites_view_for_guild(S(0)).empty());
  CHECK(c->get_invites_view_for_channel(S(0), S(10)).empty());
  CHECK(ok(c->clear_invites_for_guild(S(0))).empty());
  CHECK(ok(c->get_invite("nog")));
  auto d = ok(c->delete_invite("nog"));
  REQUIRE(d);
  CHECK_FALSE((*d)->guild_id().has_value());
  CHECK_FALSE(has_user(*c, 100));
}

TEST_CASE("invites: an absent code misses") {
  auto c = memory_cache();
  ok(c->set_invite(invite("abc", 1, 10)));
  CHECK_FALSE(ok(c->get_invite("zzz")));
  CHECK_FALSE(ok(c->get_invite("")));
  CHECK_FALSE(ok(c->delete_invite("zzz")));
  CHECK(ok(c->clear_invites_for_channel(S(1), S(99))).empty());
  CHECK(ok(c->clear_invites_for_guild(S(99))).empty());
  CHECK(codes(c->get_invites_view()) == Codes{"abc"});
}

TEST_CASE("invites: a second set of the same code replaces it (D3)") {
  auto c = memory_cache();
  ok(c->set_invite(invite("abc", 1, 10, 100)));
  ok(c->set_invite(invite("def", 1, 11)));
  ok(c->set_invite(invite("abc", 1, 11, 100)));  // same code, another channel

  CHECK(ok(c->get_invite("abc")).value()->channel_id().value() == 11);
  CHECK(codes(c->get_invites_view()) == Codes{"abc", "def"});
  CHECK(codes(c->get_invites_view_for_guild(S(1))) == Codes{"abc", "def"});  // once
  CHECK(c->get_invites_view_for_guild(S(1)).size() == 2);
  CHECK(c->get_invites_view_for_channel(S(1), S(10)).empty());
  CHECK(codes(c->get_invites_view_for_channel(S(1), S(11))) == Codes{"abc", "def"});

  // The inviter is held once: one delete releases it.
  auto d = ok(c->delete_invite("abc"));
  REQUIRE(d);
  CHECK_FALSE(has_user(*c, 100));
  // No stale entry is left behind (hikari raised KeyError here).
  CHECK(codes(c->get_invites_view_for_guild(S(1))) == Codes{"def"});
  CHECK(codes(ok(c->clear_invites_for_channel(S(1), S(11)))) == Codes{"def"});
  CHECK(ok(c->clear_invites_for_guild(S(1))).empty());

  // Moving a code to another guild leaves the first guild's view.
  ok(c->set_invite(invite("mov", 1, 10)));
  ok(c->set_invite(invite("mov", 2, 20)));
  CHECK(c->get_invites_view_for_guild(S(1)).empty());
  CHECK(codes(c->get_invites_view_for_guild(S(2))) == Codes{"mov"});
  CHECK(codes(ok(c->clear_invites_for_guild(S(2)))) == Codes{"mov"});
  CHECK(c->get_invites_view().empty());
}

TEST_CASE("invites: update returns (old, new)") {
  auto c = memory_cache();
  fb::InviteT first = invite("abc", 1, 10);
  first.uses = 1;
  ok(c->set_invite(first));
  fb::InviteT second = invite("abc", 1, 10);
  second.uses = 7;
  auto u = ok(c->update_invite(second));
  REQUIRE(u.old_value);
  REQUIRE(u.new_value);
  CHECK((*u.old_value)->uses() == 1);
  CHECK((*u.new_value)->uses() == 7);
  CHECK(ok(c->get_invite("abc")).value()->uses() == 7);

  auto fresh = ok(c->update_invite(invite("new", 1, 10)));
  CHECK_FALSE(fresh.old_value);
  REQUIRE(fresh.new_value);
  CHECK((*fresh.new_value)->code()->str() == "new");
  CHECK(codes(c->get_invites_view_for_channel(S(1), S(10))) == Codes{"abc", "new"});
}

TEST_CASE("invites: delete returns the removed invite and releases inviter and target") {
  auto c = memory_cache();
  ok(c->set_invite(invite("abc", 1, 10, 100, 101)));
  ok(c->set_invite(invite("def", 1, 10)));
  auto d = ok(c->delete_invite("abc"));
  REQUIRE(d);
  CHECK((*d)->code()->str() == "abc");
  CHECK((*d)->inviter()->id() == 100);
  CHECK_FALSE(ok(c->get_invite("abc")));
  CHECK(codes(c->get_invites_view()) == Codes{"def"});
  CHECK(codes(c->get_invites_view_for_guild(S(1))) == Codes{"def"});
  CHECK(codes(c->get_invites_view_for_channel(S(1), S(10))) == Codes{"def"});
  CHECK_FALSE(has_user(*c, 100));
  CHECK_FALSE(has_user(*c, 101));
  CHECK_FALSE(ok(c->delete_invite("abc")));
}

TEST_CASE("invites: clear_invites_for_channel, _for_guild and clear_invites return what they removed") {
  auto c = memory_cache();
  ok(c->set_invite(invite("a10", 1, 10, 100)));
  ok(c->set_invite(invite("b10", 1, 10)));
  ok(c->set_invite(invite("c11", 1, 11)));
  ok(c->set_invite(invite("d20", 2, 20)));
  ok(c->set_invite(invite("nog", std::nullopt, std::nullopt, 101)));

  auto ch = ok(c->clear_invites_for_channel(S(1), S(10)));
  CHECK(codes(ch) == Codes{"a10", "b10"});
  CHECK(ch["a10"]->inviter()->id() == 100);
  CHECK_FALSE(ok(c->get_invite("a10")));
  CHECK(c->get_invites_view_for_channel(S(1), S(10)).empty());
  CHECK(codes(c->get_invites_view_for_guild(S(1))) == Codes{"c11"});
  CHECK_FALSE(has_user(*c, 100));

  auto g = ok(c->clear_invites_for_guild(S(1)));
  CHECK(codes(g) == Codes{"c11"});
  CHECK(c->get_invites_view_for_guild(S(1)).empty());
  CHECK(codes(c->get_invites_view()) == Codes{"d20", "nog"});

  auto all = ok(c->clear_invites());
  CHECK(codes(all) == Codes{"d20", "nog"});
  CHECK(c->get_invites_view().empty());
  CHECK(c->get_invites_view_for_guild(S(2)).empty());
  CHECK_FALSE(has_user(*c, 101));
  CHECK(ok(c->clear_invites()).empty());
}

TEST_CASE("invites: disabled component") {
  auto c = memory_cache(only(~Components::kInvites));
  ok(c->set_invite(invite("abc", 1, 10, 100, 101)));
  CHECK_FALSE(ok(c->get_invite("abc")));
  CHECK(c->get_invites_view().empty());
  CHECK(c->get_invites_view_for_guild(S(1)).empty());
  CHECK(c->get_invites_view_for_channel(S(1), S(10)).empty());
  auto u = ok(c->update_invite(invite("abc", 1, 10)));
  CHECK_FALSE(u.old_value);
  CHECK_FALSE(u.new_value);
  CHECK_FALSE(ok(c->delete_invite("abc")));
  CHECK(ok(c->clear_invites()).empty());
  CHECK(ok(c->clear_invites_for_guild(S(1))).empty());
  CHECK(ok(c->clear_invites_for_channel(S(1), S(10))).empty());
  CHECK_FALSE(has_user(*c, 100));
  CHECK_FALSE(has_user(*c, 101));
}

TEST_CASE("invites: an empty code is invalid and writes nothing") {
  auto c = memory_cache();
  auto st = c->set_invite(invite("", 1, 10, 100));
  CHECK(st.code() == Code::kInvalidArgument);
  CHECK(c->update_invite(invite("", 1, 10, 100)).status().code() == Code::kInvalidArgument);
  CHECK_FALSE(ok(c->get_invite("")));
  CHECK(c->get_invites_view().empty());
  CHECK(c->get_invites_view_for_guild(S(1)).empty());
  CHECK(c->get_users_view().empty());
}

TEST_CASE("invites: persist across reopen") {
  TempDir dir;
  auto c = disk_cache(dir.str());
  ok(c->set_invite(invite("abc", 1, 10, 100)));
  ok(c->set_invite(invite("abc", 1, 11, 100)));  // replaced before the reopen
  ok(c->set_invite(invite("nog", std::nullopt, std::nullopt)));
  reopen(c, dir);
  CHECK(ok(c->get_invite("abc")).value()->channel_id().value() == 11);
  CHECK(codes(c->get_invites_view()) == Codes{"abc", "nog"});
  CHECK(codes(c->get_invites_view_for_guild(S(1))) == Codes{"abc"});
  CHECK(codes(c->get_invites_view_for_channel(S(1), S(11))) == Codes{"abc"});
  CHECK(c->get_invites_view_for_channel(S(1), S(10)).empty());
  CHECK(has_user(*c, 100));
  ok(c->delete_invite("abc").status());
  CHECK_FALSE(has_user(*c, 100));
}
