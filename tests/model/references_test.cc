// Cross-kind reference scenarios (semantics.md R3): members hidden while a
// voice state or message holds them, users that live exactly as long as
// their last holder, eviction, message updates, settings applied at reopen,
// clear(), and counts that never go negative. Every scenario runs on a disk
// cache and is checked again after a reopen.
#include <algorithm>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "support.h"

using namespace snowcache;
using namespace snowcache::testing;

namespace {

// A disk cache that can be closed and opened again.
struct Disk {
  TempDir dir;
  std::unique_ptr<MutableCache> c;

  explicit Disk(std::optional<Settings> settings = std::nullopt) : c(disk_cache(dir.str(), settings)) {}
  // Closes the cache and opens it again: with its stored settings, or with
  // `settings` applied at open.
  void reopen(std::optional<Settings> settings = std::nullopt) {
    c.reset();
    c = disk_cache(dir.str(), settings);
  }
  MutableCache* operator->() const { return c.get(); }
  const MutableCache& operator*() const { return *c; }

  // Runs `check` now, reopens, and runs it again.
  void check_and_reopen(const std::function<void(const MutableCache&)>& check) {
    check(*c);
    reopen();
    check(*c);
  }
};

}  // namespace

// ---------------------------------------------------------------- hidden members

TEST_CASE("references: a member removed while in voice is hidden, kept, and comes back on rejoin") {
  Disk d;
  ok(d->set_member(member(1, 11, "nick")));
  ok(d->set_member(member(1, 12)));
  ok(d->set_voice_state(voice_state(1, 11, 10, /*with_member=*/false)));  // holds the cached member

  auto removed = ok(d->delete_member(S(1), S(11)));
  CHECK_FALSE(removed);  // still held: hidden, nothing returned (as hikari)
  auto hidden = [](const MutableCache& c) {
    CHECK_FALSE(has_member(c, 1, 11));
    CHECK(ids(c.get_members_view_for_guild(S(1))) == Ids{12});
    CHECK(guild_ids(c.get_members_view()) == Ids{1});
    CHECK(ids(c.get_members_view()[S(1)]) == Ids{12});
    CHECK(has_user(c, 11));  // kept for the voice state
    auto vs = ok(c.get_voice_state(S(1), S(11)));
    REQUIRE(vs);
    REQUIRE((*vs)->member());
    CHECK((*vs)->member()->nick()->str() == "nick");
  };
  d.check_and_reopen(hidden);

  // Rejoin: visible again.
  ok(d->set_member(member(1, 11, "back")));
  d.check_and_reopen([](const MutableCache& c) {
    auto m = ok(c.get_member(S(1), S(11)));
    REQUIRE(m);
    CHECK((*m)->nick()->str() == "back");
    CHECK(ids(c.get_members_view_for_guild(S(1))) == Ids{11, 12});
    CHECK(has_user(c, 11));
  });

  // Removed again, then the voice state goes: the hidden member goes and
  // releases its user.
  CHECK_FALSE(ok(d->delete_member(S(1), S(11))));
  d.check_and_reopen([](const MutableCache& c) {
    CHECK_FALSE(has_member(c, 1, 11));
    CHECK(has_user(c, 11));
  });
  auto vs = ok(d->delete_voice_state(S(1), S(11)));
  CHECK(vs);
  d.check_and_reopen([](const MutableCache& c) {
    CHECK_FALSE(has_member(c, 1, 11));
    CHECK_FALSE(has_user(c, 11));
    CHECK(ids(c.get_members_view_for_guild(S(1))) == Ids{12});
    CHECK(has_user(c, 12));
  });
  // A rejoin after that is a fresh member with a single hold on its user.
  ok(d->set_member(member(1, 11)));
  CHECK(has_user(*d, 11));
  auto gone = ok(d->delete_member(S(1), S(11)));
  CHECK(gone);
  d.check_and_reopen([](const MutableCache& c) { CHECK_FALSE(has_user(c, 11)); });
}

TEST_CASE("references: a member removed while a cached message holds it is hidden until the message goes") {
  Disk d;
  ok(d->set_member(member(1, 21)));
  ok(d->set_message(message(501, 10, 1, 21)));  // carries the author's member
  CHECK_FALSE(ok(d->delete_member(S(1), S(21))));
  d.check_and_reopen([](const MutableCache& c) {
    CHECK_FALSE(has_member(c, 1, 21));
    CHECK(c.get_members_view().empty());
    CHECK(c.get_members_view_for_guild(S(1)).empty());
    CHECK(has_user(c, 21));
  });
  auto m = ok(d->delete_message(S(501)));
  CHECK(m);
  d.check_and_reopen([](const MutableCache& c) { CHECK_FALSE(has_user(c, 21)); });
}

TEST_CASE("references: a member known only from an embedded member object is hidden") {
  Disk d;
  ok(d->set_voice_state(voice_state(1, 31, 10)));       // embeds member (1, 31)
  ok(d->set_message(message(502, 10, 1, 32)));          // embeds member (1, 32)
  d.check_and_reopen([](const MutableCache& c) {
    CHECK_FALSE(has_member(c, 1, 31));
    CHECK_FALSE(has_member(c, 1, 32));
    CHECK(c.get_members_view().empty());
    CHECK(c.get_members_view_for_guild(S(1)).empty());
    CHECK(has_user(c, 31));
    CHECK(has_user(c, 32));
  });
  // Added for real: visible; removed again: hidden, still held.
  ok(d->set_member(member(1, 31)));
  CHECK(has_member(*d, 1, 31));
  CHECK_FALSE(ok(d->delete_member(S(1), S(31))));
  CHECK_FALSE(has_member(*d, 1, 31));
  ok(d->delete_voice_state(S(1), S(31)).status());
  ok(d->delete_message(S(502)).status());
  d.check_and_reopen([](const MutableCache& c) {
    CHECK_FALSE(has_user(c, 31));
    CHECK_FALSE(has_user(c, 32));
    CHECK(c.get_users_view().empty());
  });
}

// ---------------------------------------------------------------- last holder

TEST_CASE("references: a user disappears exactly when its last holder goes, with its DM channel id") {
  constexpr std::uint64_t kUser = 500;
  Disk d;
  ok(d->set_member(member(1, kUser)));
  ok(d->set_message(message(1001, 77, std::nullopt, kUser)));    // author (a DM message)
  ok(d->set_message(message(1002, 10, 1, 600, {kUser})));        // mention
  ok(d->set_emoji(emoji(40, 1, kUser)));                         // emoji creator
  ok(d->set_sticker(sticker(50, 1, kUser)));                     // sticker creator
  ok(d->set_invite(invite("inv", 1, 10, kUser)));                // inviter
  ok(d->set_invite(invite("tgt", 1, 10, std::nullopt, kUser)));  // target user
  ok(d->set_dm_channel_id(S(kUser), S(9000)));
  CHECK(has_user(*d, kUser));

  struct Step {
    const char* what;
    std::function<void(MutableCache&)> remove;
  };
  std::vector<Step> steps = {
      {"member", [](MutableCache& c) { CHECK(ok(c.delete_member(S(1), S(kUser)))); }},
      {"message author", [](MutableCache& c) { CHECK(ok(c.delete_message(S(1001)))); }},
      {"message mention", [](MutableCache& c) { CHECK(ok(c.delete_message(S(1002)))); }},
      {"emoji creator", [](MutableCache& c) { CHECK(ok(c.delete_emoji(S(40)))); }},
      {"sticker creator", [](MutableCache& c) { CHECK(ok(c.delete_sticker(S(50)))); }},
      {"invite inviter", [](MutableCache& c) { CHECK(ok(c.delete_invite("inv"))); }},
      {"invite target", [](MutableCache& c) { CHECK(ok(c.delete_invite("tgt"))); }},
  };
  SUBCASE("in one order") {}
  SUBCASE("in the reverse order") { std::reverse(steps.begin(), steps.end()); }
  SUBCASE("by clears") {
    steps = {
        {"members", [](MutableCache& c) { CHECK(ids(ok(c.clear_members_for_guild(S(1)))) == Ids{kUser}); }},
        {"messages", [](MutableCache& c) { CHECK(ids(ok(c.clear_messages())) == Ids{1001, 1002}); }},
        {"emojis", [](MutableCache& c) { CHECK(ids(ok(c.clear_emojis_for_guild(S(1)))) == Ids{40}); }},
        {"stickers", [](MutableCache& c) { CHECK(ids(ok(c.clear_stickers_for_guild(S(1)))) == Ids{50}); }},
        {"invites", [](MutableCache& c) { CHECK(ok(c.clear_invites_for_channel(S(1), S(10))).size() == 2); }},
    };
  }

  for (std::size_t i = 0; i < steps.size(); ++i) {
    const bool last = i + 1 == steps.size();
    CAPTURE(steps[i].what);
    steps[i].remove(*d.c);
    d.check_and_reopen([last](const MutableCache& c) {
      CHECK(has_user(c, kUser) == !last);
      CHECK(dm(c, kUser).has_value() == !last);
      CHECK(c.get_dm_channel_ids_view().contains(S(kUser)) == !last);
    });
  }
}

TEST_CASE("references: a user dropped and referenced again in the same call stays") {
  Disk d;
  ok(d->set_emoji(emoji(40, 1, 11)));
  fb::EmojiT renamed = emoji(40, 1, 11);
  renamed.name = "renamed";
  auto u = ok(d->update_emoji(renamed));  // withdraws the creator and takes it again
  CHECK(u.old_value);
  d.check_and_reopen([](const MutableCache& c) { CHECK(has_user(c, 11)); });
  ok(d->update_emoji(emoji(40, 1, 12)).status());  // another creator: 11 released
  d.check_and_reopen([](const MutableCache& c) {
    CHECK_FALSE(has_user(c, 11));
    CHECK(has_user(c, 12));
  });
  ok(d->delete_emoji(S(40)).status());
  CHECK_FALSE(has_user(*d, 12));
}

// ---------------------------------------------------------------- messages

TEST_CASE("references: evicting a message releases what it held") {
  Disk d(with_max_messages(2));
  ok(d->set_member(member(1, 704)));
  ok(d->set_message(message(1, 77, std::nullopt, 701, {711})));  // author and mention only here
  ok(d->set_message(message(2, 10, 1, 704)));                    // author is also a listed member
  ok(d->set_message(message(3, 10, 1, 703)));                    // evicts 1
  d.check_and_reopen([](const MutableCache& c) {
    CHECK(ids(c.get_messages_view()) == Ids{2, 3});
    CHECK_FALSE(has_user(c, 701));
    CHECK_FALSE(has_user(c, 711));
    CHECK(has_user(c, 703));
    CHECK(has_user(c, 704));
  });
  ok(d->set_message(message(4, 77, std::nullopt, 705)));  // evicts 2: its member stays listed
  d.check_and_reopen([](const MutableCache& c) {
    CHECK(ids(c.get_messages_view()) == Ids{3, 4});
    CHECK(has_user(c, 704));
    CHECK(has_member(c, 1, 704));
  });
  ok(d->set_message(message(5, 77, std::nullopt, 706)));  // evicts 3: hidden member (1, 703) goes
  d.check_and_reopen([](const MutableCache& c) {
    CHECK(ids(c.get_messages_view()) == Ids{4, 5});
    CHECK_FALSE(has_user(c, 703));
  });
  CHECK(ok(d->delete_member(S(1), S(704))));
  CHECK_FALSE(has_user(*d, 704));
}

TEST_CASE("references: update_message counts the mentions it adds and releases those it drops") {
  Disk d;
  ok(d->set_message(message(1, 10, 1, 801)));
  ok(d->set_member(member(1, 804)));  // held elsewhere too

  ok(d->update_message(message(1, 10, 1, 801, {802, 803, 804})).status());
  d.check_and_reopen([](const MutableCache& c) {
    for (std::uint64_t u : {801, 802, 803, 804}) CHECK(has_user(c, u));
  });

  ok(d->update_message(message(1, 10, 1, 801, {803})).status());
  d.check_and_reopen([](const MutableCache& c) {
    CHECK_FALSE(has_user(c, 802));
    CHECK(has_user(c, 803));
    CHECK(has_user(c, 804));  // dropped here, still a member
  });

  ok(d->update_message(message(1, 10, 1, 801, {})).status());  // an empty list clears
  d.check_and_reopen([](const MutableCache& c) {
    CHECK_FALSE(has_user(c, 803));
    CHECK(has_user(c, 801));
    auto m = ok(c.get_message(S(1)));
    REQUIRE(m);
    CHECK((!(*m)->mentions() || (*m)->mentions()->size() == 0));
  });

  // A mention added by an update is released when the message goes (D2).
  ok(d->update_message(message(1, 10, 1, 801, {805})).status());
  CHECK(has_user(*d, 805));
  CHECK(ok(d->delete_message(S(1))));
  d.check_and_reopen([](const MutableCache& c) {
    CHECK_FALSE(has_user(c, 805));
    CHECK_FALSE(has_user(c, 801));
    CHECK(has_user(c, 804));
  });

  // An update of an uncached message counts nothing.
  ok(d->update_message(message(2, 10, 1, 806, {807})).status());
  CHECK_FALSE(has_user(*d, 806));
  CHECK_FALSE(has_user(*d, 807));
}

// ---------------------------------------------------------------- settings at reopen

TEST_CASE("references: lowering max_messages at reopen evicts the oldest and releases them") {
  Disk d(with_max_messages(5));
  for (std::uint64_t id = 1; id <= 5; ++id) ok(d->set_message(message(id, 77, std::nullopt, 900 + id, {950 + id})));
  CHECK(ids(d->get_messages_view()) == Ids{1, 2, 3, 4, 5});

  d.reopen(with_max_messages(2));
  auto check = [](const MutableCache& c) {
    CHECK(c.settings().max_messages == 2);
    CHECK(ids(c.get_messages_view()) == Ids{4, 5});
    for (std::uint64_t id = 1; id <= 3; ++id) {
      CHECK_FALSE(has_user(c, 900 + id));
      CHECK_FALSE(has_user(c, 950 + id));
    }
    for (std::uint64_t id = 4; id <= 5; ++id) {
      CHECK(has_user(c, 900 + id));
      CHECK(has_user(c, 950 + id));
    }
  };
  d.check_and_reopen(check);  // the lowered limit is stored
  ok(d->set_message(message(6, 77, std::nullopt, 906)));
  CHECK(ids(d->get_messages_view()) == Ids{5, 6});
  CHECK_FALSE(has_user(*d, 904));
  // Raising it again evicts nothing and brings nothing back.
  d.reopen(with_max_messages(300));
  CHECK(ids(d->get_messages_view()) == Ids{5, 6});
}

TEST_CASE("references: lowering max_dm_channel_ids at reopen evicts the oldest-inserted") {
  Disk d(with_max_dm(5));
  for (std::uint64_t u : {50, 40, 30, 20, 10}) ok(d->set_dm_channel_id(S(u), S(u * 100)));
  d.reopen(with_max_dm(2));
  d.check_and_reopen([](const MutableCache& c) {
    CHECK(c.settings().max_dm_channel_ids == 2);
    CHECK(ids(c.get_dm_channel_ids_view()) == Ids{20, 10});
    CHECK_FALSE(dm(c, 50));
    CHECK(dm(c, 10) == 1000u);
  });
  ok(d->set_dm_channel_id(S(5), S(500)));
  CHECK(ids(d->get_dm_channel_ids_view()) == Ids{10, 5});
}

TEST_CASE("references: disabling a component at reopen clears that kind and releases what it held") {
  SUBCASE("emojis") {
    Disk d;
    ok(d->set_emoji(emoji(40, 1, 500)));
    ok(d->set_emoji(emoji(41, 1, 501)));
    ok(d->set_member(member(1, 501)));
    d.reopen(only(~Components::kEmojis));
    d.check_and_reopen([](const MutableCache& c) {
      CHECK(c.get_emojis_view().empty());
      CHECK_FALSE(has_user(c, 500));  // released with its emoji
      CHECK(has_user(c, 501));        // still a member
    });
    d.reopen(Settings{});  // EMOJIS again: nothing comes back
    d.check_and_reopen([](const MutableCache& c) {
      CHECK(has_all(c.settings().components, Components::kEmojis));
      CHECK(c.get_emojis_view().empty());
      CHECK(c.get_emojis_view_for_guild(S(1)).empty());
      CHECK_FALSE(ok(c.get_emoji(S(40))));
      CHECK_FALSE(has_user(c, 500));
    });
    // The creator can be held again from scratch.
    ok(d->set_emoji(emoji(40, 1, 500)));
    CHECK(has_user(*d, 500));
    ok(d->delete_emoji(S(40)).status());
    CHECK_FALSE(has_user(*d, 500));
  }
  SUBCASE("voice states: the hidden members they held go") {
    Disk d;
    ok(d->set_voice_state(voice_state(1, 11, 10)));
    ok(d->set_member(member(1, 12)));
    ok(d->set_voice_state(voice_state(1, 12, 10, /*with_member=*/false)));
    d.reopen(only(~Components::kVoiceStates));
    d.check_and_reopen([](const MutableCache& c) {
      CHECK_FALSE(has_user(c, 11));
      CHECK(has_user(c, 12));
      CHECK(has_member(c, 1, 12));
    });
    d.reopen(Settings{});
    CHECK(d->get_voice_states_view().empty());
    CHECK(ok(d->delete_member(S(1), S(12))));  // no voice state holds it any more
    CHECK_FALSE(has_user(*d, 12));
  }
  SUBCASE("messages") {
    Disk d;
    ok(d->set_message(message(1, 10, 1, 21, {22})));
    d.reopen(only(~Components::kMessages));
    d.check_and_reopen([](const MutableCache& c) {
      CHECK(c.get_users_view().empty());
      CHECK(c.get_messages_view().empty());
    });
    d.reopen(Settings{});
    CHECK(d->get_messages_view().empty());
  }
  SUBCASE("members: members held by a voice state stay hidden for it") {
    Disk d;
    ok(d->set_member(member(1, 11)));
    ok(d->set_member(member(1, 12)));
    ok(d->set_voice_state(voice_state(1, 12, 10, /*with_member=*/false)));
    d.reopen(only(~Components::kMembers));
    d.check_and_reopen([](const MutableCache& c) {
      CHECK_FALSE(has_user(c, 11));
      CHECK(has_user(c, 12));
    });
    d.reopen(Settings{});
    CHECK(d->get_members_view().empty());
    ok(d->delete_voice_state(S(1), S(12)).status());
    CHECK_FALSE(has_user(*d, 12));
  }
  SUBCASE("dm channel ids") {
    Disk d;
    ok(d->set_dm_channel_id(S(10), S(1000)));
    d.reopen(only(~Components::kDmChannelIds));
    d.reopen(Settings{});
    CHECK(d->get_dm_channel_ids_view().empty());
    CHECK_FALSE(dm(*d, 10));
  }
}

// ---------------------------------------------------------------- clear()

TEST_CASE("references: clear() leaves nothing behind") {
  Settings settings;
  settings.max_messages = 7;
  Disk d(settings);
  ok(d->set_guild(guild(1)));
  ok(d->set_guild_channel(channel(10, 1)));
  ok(d->set_thread(thread(15, 1, 10)));
  ok(d->set_role(role(2, 1)));
  ok(d->set_emoji(emoji(40, 1, 11)));
  ok(d->set_sticker(sticker(50, 1, 11)));
  ok(d->set_invite(invite("inv", 1, 10, 11, 12)));
  ok(d->set_member(member(1, 11)));
  ok(d->set_presence(presence(1, 11)));
  ok(d->set_voice_state(voice_state(1, 11, 10)));
  ok(d->set_message(message(100, 10, 1, 11, {12})));
  ok(d->set_message(message(101, 77, std::nullopt, 13)));
  ok(d->set_dm_channel_id(S(11), S(1100)));
  ok(d->set_dm_channel_id(S(99), S(9900)));
  ok(d->set_me(own_user(11)));

  ok(d->clear());
  auto empty = [](const MutableCache& c) {
    CHECK(c.settings().max_messages == 7);  // settings are kept
    CHECK(c.get_guilds_view().empty());
    CHECK(c.get_available_guilds_view().empty());
    CHECK(c.get_unavailable_guilds_view().empty());
    CHECK(c.get_guild_channels_view().empty());
    CHECK(c.get_guild_channels_view_for_guild(S(1)).empty());
    CHECK(c.get_threads_view().empty());
    CHECK(c.get_threads_view_for_guild(S(1)).empty());
    CHECK(c.get_threads_view_for_channel(S(1), S(10)).empty());
    CHECK(c.get_roles_view().empty());
    CHECK(c.get_roles_view_for_guild(S(1)).empty());
    CHECK(c.get_emojis_view().empty());
    CHECK(c.get_emojis_view_for_guild(S(1)).empty());
    CHECK(c.get_stickers_view().empty());
    CHECK(c.get_stickers_view_for_guild(S(1)).empty());
    CHECK(c.get_invites_view().empty());
    CHECK(c.get_invites_view_for_guild(S(1)).empty());
    CHECK(c.get_invites_view_for_channel(S(1), S(10)).empty());
    CHECK(c.get_members_view().empty());
    CHECK(c.get_members_view_for_guild(S(1)).empty());
    CHECK(c.get_users_view().empty());
    CHECK(c.get_presences_view().empty());
    CHECK(c.get_presences_view_for_guild(S(1)).empty());
    CHECK(c.get_voice_states_view().empty());
    CHECK(c.get_voice_states_view_for_guild(S(1)).empty());
    CHECK(c.get_voice_states_view_for_channel(S(1), S(10)).empty());
    CHECK(c.get_messages_view().empty());
    CHECK(c.get_dm_channel_ids_view().empty());
    CHECK_FALSE(ok(c.get_me()));
    CHECK_FALSE(ok(c.get_guild(S(1))));
    CHECK_FALSE(ok(c.get_user(S(11))));
    CHECK_FALSE(dm(c, 99));
  };
  d.check_and_reopen(empty);
  ok(d->clear());  // twice is fine
  empty(*d);

  // No stale count: a user held again by one member goes with that member.
  ok(d->set_member(member(1, 11)));
  d.check_and_reopen([](const MutableCache& c) {
    CHECK(has_user(c, 11));
    CHECK(has_member(c, 1, 11));
  });
  auto m = ok(d->delete_member(S(1), S(11)));
  CHECK(m);  // nothing holds it any more: removed and returned
  d.check_and_reopen([](const MutableCache& c) {
    CHECK_FALSE(has_user(c, 11));
    CHECK(c.get_users_view().empty());
  });
  // Same for the other holders' counts.
  ok(d->set_emoji(emoji(40, 1, 12)));
  ok(d->delete_emoji(S(40)).status());
  CHECK_FALSE(has_user(*d, 12));
  ok(d->set_message(message(102, 77, std::nullopt, 13)));
  ok(d->delete_message(S(102)).status());
  CHECK_FALSE(has_user(*d, 13));
}

// ---------------------------------------------------------------- never negative

TEST_CASE("references: counts never go negative (repeated deletes and clears)") {
  Disk d;
  ok(d->set_member(member(1, 11)));
  ok(d->set_voice_state(voice_state(1, 11, 10)));
  ok(d->set_emoji(emoji(40, 1, 11)));
  ok(d->set_invite(invite("inv", 1, 10, 11)));
  ok(d->set_message(message(100, 10, 1, 11, {11})));  // author and mention of itself
  ok(d->set_dm_channel_id(S(11), S(1100)));

  CHECK_FALSE(ok(d->delete_member(S(1), S(11))));  // hidden
  CHECK_FALSE(ok(d->delete_member(S(1), S(11))));  // again: nothing
  CHECK(ok(d->delete_voice_state(S(1), S(11))));
  CHECK_FALSE(ok(d->delete_voice_state(S(1), S(11))));
  CHECK(ok(d->delete_emoji(S(40))));
  CHECK_FALSE(ok(d->delete_emoji(S(40))));
  CHECK(ok(d->delete_invite("inv")));
  CHECK_FALSE(ok(d->delete_invite("inv")));
  d.check_and_reopen([](const MutableCache& c) {
    CHECK(has_user(c, 11));  // the message still holds it
    CHECK(dm(c, 11) == 1100u);
  });
  CHECK(ok(d->delete_message(S(100))));
  CHECK_FALSE(ok(d->delete_message(S(100))));
  CHECK_FALSE(has_user(*d, 11));
  CHECK_FALSE(dm(*d, 11));
  CHECK_FALSE(ok(d->delete_dm_channel_id(S(11))));

  // Clears of empty stores, twice.
  for (int i = 0; i < 2; ++i) {
    ok(d->clear_members().status());
    ok(d->clear_members_for_guild(S(1)).status());
    ok(d->clear_voice_states().status());
    ok(d->clear_voice_states_for_guild(S(1)).status());
    ok(d->clear_voice_states_for_channel(S(1), S(10)).status());
    ok(d->clear_emojis().status());
    ok(d->clear_stickers().status());
    ok(d->clear_invites().status());
    ok(d->clear_messages().status());
    ok(d->clear_dm_channel_ids().status());
    ok(d->clear());
  }

  // A count that had gone below zero would hide a user held once; it does not.
  ok(d->set_emoji(emoji(40, 1, 11)));
  d.check_and_reopen([](const MutableCache& c) { CHECK(has_user(c, 11)); });
  ok(d->delete_emoji(S(40)).status());
  d.check_and_reopen([](const MutableCache& c) { CHECK_FALSE(has_user(c, 11)); });
}

TEST_CASE("references: clears of populated stores, repeated, keep counts consistent") {
  Disk d;
  ok(d->set_member(member(1, 11)));
  ok(d->set_member(member(2, 11)));
  ok(d->set_voice_state(voice_state(1, 11, 10)));
  ok(d->set_voice_state(voice_state(1, 12, 10)));
  ok(d->set_message(message(100, 10, 1, 12, {13})));
  ok(d->set_sticker(sticker(50, 1, 13)));

  CHECK(ids(ok(d->clear_voice_states_for_channel(S(1), S(10)))) == Ids{11, 12});
  CHECK(ok(d->clear_voice_states_for_channel(S(1), S(10))).empty());
  d.check_and_reopen([](const MutableCache& c) {
    CHECK(has_user(c, 11));  // listed members in guilds 1 and 2
    CHECK(has_user(c, 12));  // the message still holds author and member
    CHECK(has_user(c, 13));
  });
  CHECK(guild_ids(ok(d->clear_members())) == Ids{1, 2});
  CHECK(ok(d->clear_members()).empty());
  CHECK_FALSE(has_user(*d, 11));
  CHECK(has_user(*d, 12));
  CHECK(ids(ok(d->clear_messages())) == Ids{100});
  CHECK(ok(d->clear_messages()).empty());
  CHECK_FALSE(has_user(*d, 12));
  CHECK(has_user(*d, 13));  // the sticker's creator
  CHECK(ids(ok(d->clear_stickers())) == Ids{50});
  d.check_and_reopen([](const MutableCache& c) { CHECK(c.get_users_view().empty()); });

  // Held once again from scratch: one release removes it.
  ok(d->set_voice_state(voice_state(1, 12, 10)));
  CHECK(has_user(*d, 12));
  ok(d->delete_voice_state(S(1), S(12)).status());
  CHECK_FALSE(has_user(*d, 12));
}
