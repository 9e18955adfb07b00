// Gateway dispatches, one at a time: each dispatch type of
// hikari-reference.md §6 with the fixes of semantics.md R3-R6, asserted
// through the public Cache API and gateway.h's sessions().
//
// The frames are inline and small. The ids are those of tests/fixtures (see
// its README.md): the guild "Snowcache Lab" with #general, the Lounge, ...
#include <string>

#include "lab_frames.h"

namespace {

using namespace snowcache;
using namespace snowcache::testing;

// --- ids ---------------------------------------------------------------------
constexpr std::uint64_t kNews = 1070282362060931072;
constexpr std::uint64_t kBugBash = 1070287395225731072;   // thread in #general
constexpr std::uint64_t kMsg2 = 1091678597283971072;
constexpr std::uint64_t kMsg3 = 1091678848942211072;

// ---------------------------------------------------------------------------
TEST_CASE("READY stores me and the session; listed guilds that are not cached stay uncached") {
  Rig rig;
  auto r = rig.send("READY", kReady);
  REQUIRE_APPLIED(r);
  CHECK(r.event == "READY");
  CHECK(r.sequence == 1);

  auto me = got(rig.c().get_me());
  REQUIRE(me);
  CHECK((*me)->id() == kBot);
  CHECK(str((*me)->username()) == "snowbot");
  CHECK((*me)->bot());
  CHECK((*me)->verified());

  auto all = ok(sessions(rig.c()));
  REQUIRE(all.size() == 1);
  CHECK(all[0].shard == 0);
  CHECK(all[0].shard_count == 1);
  CHECK(all[0].session_id == "9f2c4e7a1b3d5f60");
  CHECK(all[0].resume_gateway_url == "wss://gateway-us-east1-b.discord.gg");
  CHECK(all[0].sequence == 1);
  CHECK(all[0].user_id == kBot);
  CHECK_FALSE(ok(session(rig.c(), 1)).has_value());

  // READY's unavailable guilds are not cached as guild objects.
  CHECK(rig.c().get_guilds_view().empty());
  CHECK(rig.c().get_unavailable_guilds_view().empty());
}

TEST_CASE("READY with ME disabled stores the session (and the bot's id) but not me") {
  Rig rig(only(Components::kAll & ~Components::kMe));
  rig.apply("READY", kReady);
  CHECK_FALSE(got(rig.c().get_me()).has_value());
  auto s = ok(session(rig.c(), 0));
  REQUIRE(s);
  CHECK(s->user_id == kBot);
  CHECK(s->session_id == "9f2c4e7a1b3d5f60");
}

TEST_CASE("READY marks a cached listed guild unavailable and removes a cached unlisted one") {
  Rig rig = lab();
  rig.apply("GUILD_CREATE", kRocketsCreate);
  // A new session whose READY lists only the Lab.
  rig.apply("READY", kReady);
  auto g = got(rig.c().get_unavailable_guild(S(kLab)));
  REQUIRE(g);
  CHECK(str((*g)->name()) == "Snowcache Lab");
  CHECK(rig.c().get_guild_channels_view_for_guild(S(kLab)).size() == 3);  // data kept
  CHECK_FALSE(got(rig.c().get_guild(S(kRockets))).has_value());
  CHECK(rig.c().get_guild_channels_view_for_guild(S(kRockets)).empty());
  CHECK(rig.c().get_members_view_for_guild(S(kRockets)).empty());
  CHECK(rig.c().get_presences_view_for_guild(S(kRockets)).empty());
  CHECK(rig.c().get_roles_view_for_guild(S(kRockets)).empty());
}

// ---------------------------------------------------------------------------
TEST_CASE("GUILD_CREATE caches the guild and every list") {
  Rig rig = lab();
  auto g = got(rig.c().get_available_guild(S(kLab)));
  REQUIRE(g);
  CHECK(str((*g)->name()) == "Snowcache Lab");
  CHECK((*g)->member_count() == 3);
  CHECK_FALSE((*g)->large());
  CHECK(str((*g)->joined_at()) == "2021-06-15T09:31:00.000000+00:00");
  CHECK((*g)->owner_id() == kAlice);

  // Client order: the category, then its text channel, then its voice channel.
  CHECK(ids(rig.c().get_guild_channels_view_for_guild(S(kLab))) == Ids{kCategory, kGeneral, kLounge});
  auto general = got(rig.c().get_guild_channel(S(kGeneral)));
  REQUIRE(general);
  CHECK((*general)->guild_id() == kLab);  // from the enclosing guild
  CHECK((*general)->parent_id() == kCategory);
  CHECK(ids(rig.c().get_threads_view_for_guild(S(kLab))) == Ids{kPlanning});
  CHECK(ids(rig.c().get_threads_view_for_channel(S(kLab), S(kGeneral))) == Ids{kPlanning});
  CHECK(ids(rig.c().get_roles_view_for_guild(S(kLab))) == Ids{kLab, kMods});
  auto mods = got(rig.c().get_role(S(kMods)));
  REQUIRE(mods);
  CHECK((*mods)->guild_id() == kLab);
  CHECK((*mods)->permissions() == 1071698660929ULL);
  CHECK(ids(rig.c().get_emojis_view_for_guild(S(kLab))) == Ids{kSnowflakeEmoji});
  CHECK(ids(rig.c().get_stickers_view_for_guild(S(kLab))) == Ids{kWaveSticker});
  CHECK(ids(rig.c().get_members_view_for_guild(S(kLab))) == Ids{kAlice, kBob, kBot});
  CHECK(ids(rig.c().get_presences_view_for_guild(S(kLab))) == Ids{kAlice, kBob});
  CHECK(ids(rig.c().get_voice_states_view_for_guild(S(kLab))) == Ids{kBob});
  CHECK(ids(rig.c().get_voice_states_view_for_channel(S(kLab), S(kLounge))) == Ids{kBob});

  // Member role ids include @everyone (the guild id).
  auto alice = got(rig.c().get_member(S(kLab), S(kAlice)));
  REQUIRE(alice);
  REQUIRE((*alice)->roles());
  Ids roles((*alice)->roles()->begin(), (*alice)->roles()->end());
  CHECK(std::find(roles.begin(), roles.end(), kMods) != roles.end());
  CHECK(std::find(roles.begin(), roles.end(), kLab) != roles.end());
  // The voice state holds bob's member (the payload has none: the cached one).
  auto vs = got(rig.c().get_voice_state(S(kLab), S(kBob)));
  REQUIRE(vs);
  CHECK((*vs)->channel_id() == kLounge);
  CHECK((*vs)->self_mute());
  REQUIRE((*vs)->member());
  CHECK(str((*vs)->member()->nick()) == "bobby");
  // Users: the three members and the emoji's creator carol.
  CHECK(ids(rig.c().get_users_view()) == Ids{kAlice, kBob, kCarol, kBot});
  auto presence = got(rig.c().get_presence(S(kLab), S(kBob)));
  REQUIRE(presence);
  CHECK(str((*presence)->status()) == "idle");
  CHECK((*presence)->guild_id() == kLab);
}

TEST_CASE("GUILD_CREATE replaces every list, also with empty lists (D11)") {
  Rig rig = lab();
  rig.apply("GUILD_CREATE",
            R"({"id":"854291645464707072","name":"Snowcache Lab","joined_at":"2021-06-15T09:31:00.000000+00:00",)"
            R"("large":false,"member_count":0,"channels":[],"threads":[],"roles":[],"emojis":[],"stickers":[],)"
            R"("members":[],"presences":[],"voice_states":[]})");
  auto g = got(rig.c().get_available_guild(S(kLab)));
  REQUIRE(g);
  CHECK((*g)->member_count() == 0);  // GUILD_CREATE brings the current count (D12)
  CHECK(rig.c().get_guild_channels_view_for_guild(S(kLab)).empty());
  CHECK(rig.c().get_threads_view_for_guild(S(kLab)).empty());
  CHECK(rig.c().get_roles_view_for_guild(S(kLab)).empty());
  CHECK(rig.c().get_emojis_view_for_guild(S(kLab)).empty());
  CHECK(rig.c().get_stickers_view_for_guild(S(kLab)).empty());
  CHECK(rig.c().get_members_view_for_guild(S(kLab)).empty());
  CHECK(rig.c().get_presences_view_for_guild(S(kLab)).empty());
  CHECK(rig.c().get_voice_states_view_for_guild(S(kLab)).empty());
  // Nothing holds any user any more: members, the emoji's and sticker's creators.
  CHECK(rig.c().get_users_view().empty());

  // And non-empty lists replace, not merge.
  rig.apply("GUILD_CREATE",
            R"({"id":"854291645464707072","name":"Snowcache Lab","large":false,"member_count":1,)"
            R"("channels":[{"id":"854291658047619072","type":0,"name":"random","position":0}],"threads":[],)"
            R"("roles":[{"id":"854291645464707072","name":"@everyone","permissions":"0"}],"emojis":[],"stickers":[],)"
            R"("members":[{"user":{"id":"666960460460982272","username":"carol"},"roles":[],"joined_at":null}],)"
            R"("presences":[],"voice_states":[]})");
  CHECK(ids(rig.c().get_guild_channels_view_for_guild(S(kLab))) == Ids{kRandom});
  CHECK(ids(rig.c().get_members_view_for_guild(S(kLab))) == Ids{kCarol});
  CHECK(ids(rig.c().get_users_view()) == Ids{kCarol});
}

TEST_CASE("GUILD_CREATE with unavailable: true (an outage placeholder) changes nothing") {
  Rig rig = lab();
  Census before = census(rig.c());
  auto r = rig.send("GUILD_CREATE", R"({"id":"854291645464707072","unavailable":true})");
  REQUIRE(r.ok());
  CHECK(r.outcome != Outcome::kRejected);
  Census after = census(rig.c());
  CHECK(after.sequence == 3);  // the sequence moves on
  after.sequence = before.sequence;
  CHECK(after == before);
  CHECK(got(rig.c().get_available_guild(S(kLab))).has_value());

  // For an uncached guild it caches nothing either.
  rig.apply("GUILD_CREATE", R"({"id":"882999608979095552","unavailable":true})");
  CHECK_FALSE(got(rig.c().get_guild(S(kRockets))).has_value());
}

TEST_CASE("GUILD_CREATE of a large guild upserts the partial member and presence lists") {
  Rig rig = lab();
  rig.apply("GUILD_CREATE",
            R"({"id":"854291645464707072","name":"Snowcache Lab","large":true,"member_count":250,)"
            R"("channels":[],"threads":[],"roles":[],"emojis":[],"stickers":[],"voice_states":[],)"
            R"("members":[{"user":{"id":"666960460460982272","username":"carol"},"roles":[],"joined_at":null},)"
            R"({"user":{"id":"576321040205086720","username":"alice"},"nick":"al","roles":[],"joined_at":null}],)"
            R"("presences":[{"user":{"id":"666960460460982272"},"status":"dnd"}]})");
  CHECK(ids(rig.c().get_members_view_for_guild(S(kLab))) == Ids{kAlice, kBob, kCarol, kBot});
  CHECK(str((*got(rig.c().get_member(S(kLab), S(kAlice))))->nick()) == "al");
  CHECK(ids(rig.c().get_presences_view_for_guild(S(kLab))) == Ids{kAlice, kBob, kCarol});
  auto g = got(rig.c().get_guild(S(kLab)));
  CHECK((*g)->large());
  CHECK((*g)->member_count() == 250);
}

TEST_CASE("GUILD_CREATE writes only the enabled kinds") {
  Rig rig(only(Components::kGuilds | Components::kMembers));
  rig.apply("READY", kReady);
  rig.apply("GUILD_CREATE", kLabCreate);
  CHECK(got(rig.c().get_guild(S(kLab))).has_value());
  CHECK(rig.c().get_members_view_for_guild(S(kLab)).size() == 3);
  CHECK(rig.c().get_guild_channels_view().empty());
  CHECK(rig.c().get_threads_view().empty());  // ungated getter: nothing stored
  CHECK(rig.c().get_roles_view().empty());
  CHECK(rig.c().get_emojis_view().empty());
  CHECK(rig.c().get_presences_view().empty());
  CHECK(rig.c().get_voice_states_view().empty());
  CHECK(ids(rig.c().get_users_view()) == Ids{kAlice, kBob, kBot});  // no emoji/sticker creators
}

TEST_CASE("GUILD_CREATE with only_my_member keeps only the bot's member") {
  Settings s;
  s.only_my_member = true;
  Rig rig = lab(s);
  CHECK(ids(rig.c().get_members_view_for_guild(S(kLab))) == Ids{kBot});
  CHECK(member_count(rig.c(), kLab) == 3);
}

// ---------------------------------------------------------------------------
TEST_CASE("GUILD_UPDATE keeps member_count, large and joined_at (D12) and replaces roles, emojis, stickers") {
  Rig rig = lab();
  rig.apply("GUILD_MEMBER_ADD",
            R"({"guild_id":"854291645464707072","user":{"id":"729008626743771136","username":"dave"},"roles":[],)"
            R"("joined_at":"2023-02-01T10:30:00.000000+00:00"})");
  rig.apply("GUILD_UPDATE",
            R"({"id":"854291645464707072","name":"Snowcache Laboratory","owner_id":"576321040205086720",)"
            R"("roles":[{"id":"854291645464707072","name":"@everyone","permissions":"104324673"},)"
            R"({"id":"1070283620352131072","name":"helpers","position":1}],)"
            R"("emojis":[{"id":"1070284878643331072","name":"rocket","user":{"id":"729008626743771136","username":"dave"}}],)"
            R"("stickers":[]})");
  auto g = got(rig.c().get_available_guild(S(kLab)));
  REQUIRE(g);
  CHECK(str((*g)->name()) == "Snowcache Laboratory");
  CHECK((*g)->member_count() == 4);  // 3 + the member add, not reset by the update
  CHECK_FALSE((*g)->large());
  CHECK(str((*g)->joined_at()) == "2021-06-15T09:31:00.000000+00:00");
  CHECK(ids(rig.c().get_roles_view_for_guild(S(kLab))) == Ids{kLab, kHelpers});
  CHECK_FALSE(got(rig.c().get_role(S(kMods))).has_value());
  CHECK(ids(rig.c().get_emojis_view_for_guild(S(kLab))) == Ids{kRocketEmoji});
  CHECK(rig.c().get_stickers_view_for_guild(S(kLab)).empty());  // an empty list clears
  // Carol was held only by the old emoji; bob is still a member.
  CHECK_FALSE(has_user(rig.c(), kCarol));
  CHECK(has_user(rig.c(), kBob));
  // Channels, members, presences, voice states are not part of GUILD_UPDATE.
  CHECK(rig.c().get_guild_channels_view_for_guild(S(kLab)).size() == 3);
  CHECK(rig.c().get_members_view_for_guild(S(kLab)).size() == 4);
  CHECK(rig.c().get_presences_view_for_guild(S(kLab)).size() == 2);
  CHECK(rig.c().get_voice_states_view_for_guild(S(kLab)).size() == 1);
  CHECK(rig.c().get_threads_view_for_guild(S(kLab)).size() == 1);
}

// ---------------------------------------------------------------------------
TEST_CASE("GUILD_DELETE with unavailable: true marks the guild unavailable and keeps its data") {
  Rig rig = lab();
  rig.apply("MESSAGE_CREATE", guild_message(kMsg1, kGeneral, kAlice, "hello"));
  Census before = census(rig.c());
  rig.apply("GUILD_DELETE", R"({"id":"854291645464707072","unavailable":true})");
  CHECK_FALSE(got(rig.c().get_available_guild(S(kLab))).has_value());
  auto g = got(rig.c().get_unavailable_guild(S(kLab)));
  REQUIRE(g);
  CHECK((*g)->member_count() == 3);
  Census after = census(rig.c());
  CHECK(after.available == before.available - 1);
  after.available = before.available;
  after.sequence = before.sequence;
  CHECK(after == before);
}

TEST_CASE("GUILD_DELETE without unavailable (left, kicked) removes everything of the guild, messages too") {
  Rig rig = lab();
  rig.apply("GUILD_CREATE", kRocketsCreate);
  rig.apply("INVITE_CREATE",
            R"({"code":"snowLab42","guild_id":"854291645464707072","channel_id":"854291653853315072",)"
            R"("inviter":{"id":"614182047216435200","username":"bob"},"uses":0,"max_uses":0,"max_age":86400,)"
            R"("temporary":false,"created_at":"2023-03-02T10:00:00.000000+00:00"})");
  rig.apply("MESSAGE_CREATE", guild_message(kMsg1, kGeneral, kAlice, "hi dave", kDave));
  rig.apply("MESSAGE_CREATE", guild_message(kMsg2, kPlanning, kBob, "in the thread"));
  // A message in the other guild stays.
  rig.apply("MESSAGE_CREATE",
            R"({"id":"1091678848942211072","channel_id":"882999612670083072","guild_id":"882999608979095552",)"
            R"("author":{"id":"576321040205086720","username":"alice"},"content":"launch","mentions":[]})");

  rig.apply("GUILD_DELETE", R"({"id":"854291645464707072"})");
  CHECK_FALSE(got(rig.c().get_guild(S(kLab))).has_value());
  CHECK(rig.c().get_guild_channels_view_for_guild(S(kLab)).empty());
  CHECK(rig.c().get_threads_view_for_guild(S(kLab)).empty());
  CHECK(rig.c().get_roles_view_for_guild(S(kLab)).empty());
  CHECK(rig.c().get_emojis_view_for_guild(S(kLab)).empty());
  CHECK(rig.c().get_stickers_view_for_guild(S(kLab)).empty());
  CHECK(rig.c().get_invites_view_for_guild(S(kLab)).empty());
  CHECK(rig.c().get_members_view_for_guild(S(kLab)).empty());
  CHECK(rig.c().get_presences_view_for_guild(S(kLab)).empty());
  CHECK(rig.c().get_voice_states_view_for_guild(S(kLab)).empty());
  CHECK_FALSE(got(rig.c().get_message(S(kMsg1))).has_value());
  CHECK_FALSE(got(rig.c().get_message(S(kMsg2))).has_value());
  CHECK(ids(rig.c().get_messages_view()) == Ids{kMsg3});
  // Rust & Rockets is untouched; alice stays (its member), bot too; bob, carol, dave go.
  CHECK(got(rig.c().get_available_guild(S(kRockets))).has_value());
  CHECK(ids(rig.c().get_members_view_for_guild(S(kRockets))) == Ids{kAlice, kBot});
  CHECK(ids(rig.c().get_guild_channels_view()) == Ids{kLaunchpad});
  CHECK(ids(rig.c().get_users_view()) == Ids{kAlice, kBot});
  CHECK(guild_ids(rig.c().get_members_view()) == Ids{kRockets});
}

// ---------------------------------------------------------------------------
TEST_CASE("CHANNEL_CREATE / CHANNEL_UPDATE cache guild channels; DMs and threads are not guild channels") {
  Rig rig = lab();
  rig.apply("CHANNEL_CREATE",
            R"({"id":"1070282362060931072","guild_id":"854291645464707072","type":5,"name":"announcements",)"
            R"("position":3,"parent_id":"854291649659011072","permission_overwrites":[{"id":"854291645464707072",)"
            R"("type":0,"allow":"0","deny":"2048"}],"nsfw":false})");
  auto news = got(rig.c().get_guild_channel(S(kNews)));
  REQUIRE(news);
  CHECK(str((*news)->name()) == "announcements");
  CHECK((*news)->type() == 5);
  REQUIRE((*news)->permission_overwrites());
  REQUIRE((*news)->permission_overwrites()->size() == 1);
  CHECK((*news)->permission_overwrites()->Get(0)->deny() == 2048);
  CHECK(ids(rig.c().get_guild_channels_view_for_guild(S(kLab))) == Ids{kCategory, kGeneral, kNews, kLounge});

  rig.apply("CHANNEL_UPDATE",
            R"({"id":"854291653853315072","guild_id":"854291645464707072","type":0,"name":"lobby",)"
            R"("position":0,"parent_id":"854291649659011072","topic":"say hi","rate_limit_per_user":5})");
  auto general = got(rig.c().get_guild_channel(S(kGeneral)));
  REQUIRE(general);
  CHECK(str((*general)->name()) == "lobby");
  CHECK(str((*general)->topic()) == "say hi");
  CHECK((*general)->rate_limit_per_user() == 5);

  // A DM channel and a thread through CHANNEL_CREATE: applied, nothing stored.
  std::size_t channels = rig.c().get_guild_channels_view().size();
  rig.apply("CHANNEL_CREATE",
            R"({"id":"1006111557681283072","type":1,"recipients":[{"id":"576321040205086720","username":"alice"}]})");
  rig.apply("CHANNEL_CREATE",
            R"({"id":"1070287395225731072","guild_id":"854291645464707072","type":11,"name":"bug bash",)"
            R"("parent_id":"854291653853315072"})");
  CHECK(rig.c().get_guild_channels_view().size() == channels);
  CHECK_FALSE(got(rig.c().get_guild_channel(S(kDmAlice))).has_value());
}

TEST_CASE("CHANNEL_DELETE removes the channel, its threads, its invites and its messages, not its threads' messages") {
  Rig rig = lab();
  rig.apply("CHANNEL_CREATE",
            R"({"id":"854291658047619072","guild_id":"854291645464707072","type":0,"name":"random","position":1})");
  rig.apply("THREAD_CREATE",
            R"({"id":"1066371593011331072","guild_id":"854291645464707072","parent_id":"854291658047619072",)"
            R"("name":"memes","type":11})");
  rig.apply("INVITE_CREATE", R"({"code":"genInv01","guild_id":"854291645464707072","channel_id":"854291653853315072"})");
  rig.apply("INVITE_CREATE", R"({"code":"rndInv01","guild_id":"854291645464707072","channel_id":"854291658047619072"})");
  rig.apply("MESSAGE_CREATE", guild_message(kMsg1, kGeneral, kAlice, "in general"));
  rig.apply("MESSAGE_CREATE", guild_message(kMsg2, kPlanning, kAlice, "in the thread"));
  rig.apply("MESSAGE_CREATE", guild_message(kMsg3, kRandom, kBob, "in random"));

  rig.apply("CHANNEL_DELETE",
            R"({"id":"854291653853315072","guild_id":"854291645464707072","type":0,"name":"general"})");
  CHECK_FALSE(got(rig.c().get_guild_channel(S(kGeneral))).has_value());
  CHECK(ids(rig.c().get_threads_view_for_guild(S(kLab))) == Ids{kMemes});
  CHECK_FALSE(got(rig.c().get_invite("genInv01")).has_value());
  CHECK(got(rig.c().get_invite("rndInv01")).has_value());
  CHECK(ids(rig.c().get_messages_view()) == Ids{kMsg2, kMsg3});
  // #random has no parent: it sorts before the category (reference §3.2).
  CHECK(ids(rig.c().get_guild_channels_view_for_guild(S(kLab))) == Ids{kRandom, kCategory, kLounge});
}

// ---------------------------------------------------------------------------
TEST_CASE("THREAD_CREATE / THREAD_UPDATE / THREAD_DELETE; archived threads stay") {
  Rig rig = lab();
  rig.apply("THREAD_CREATE",
            R"({"id":"1070287395225731072","guild_id":"854291645464707072","parent_id":"854291653853315072",)"
            R"("owner_id":"666960460460982272","name":"bug bash","type":11,"newly_created":true,"member_count":1,)"
            R"("thread_metadata":{"archived":false,"auto_archive_duration":60,"locked":false}})");
  auto t = got(rig.c().get_thread(S(kBugBash)));
  REQUIRE(t);
  CHECK(str((*t)->name()) == "bug bash");
  CHECK((*t)->owner_id() == kCarol);
  CHECK(ids(rig.c().get_threads_view_for_channel(S(kLab), S(kGeneral))) == Ids{kPlanning, kBugBash});

  rig.apply("THREAD_UPDATE",
            R"({"id":"1070287395225731072","guild_id":"854291645464707072","parent_id":"854291653853315072",)"
            R"("owner_id":"666960460460982272","name":"bug bash, done","type":11,)"
            R"("thread_metadata":{"archived":true,"auto_archive_duration":60,"locked":true}})");
  t = got(rig.c().get_thread(S(kBugBash)));
  REQUIRE(t);
  CHECK(str((*t)->name()) == "bug bash, done");
  REQUIRE((*t)->thread_metadata());
  CHECK((*t)->thread_metadata()->archived());
  CHECK((*t)->thread_metadata()->locked());

  rig.apply("THREAD_DELETE",
            R"({"id":"1070287395225731072","guild_id":"854291645464707072","parent_id":"854291653853315072","type":11})");
  CHECK_FALSE(got(rig.c().get_thread(S(kBugBash))).has_value());
  CHECK(ids(rig.c().get_threads_view_for_guild(S(kLab))) == Ids{kPlanning});
}

TEST_CASE("THREAD_LIST_SYNC with channel_ids replaces the threads of those channels only") {
  Rig rig = lab();
  rig.apply("THREAD_CREATE",
            R"({"id":"1066371593011331072","guild_id":"854291645464707072","parent_id":"854291658047619072","name":"memes","type":11})");
  rig.apply("THREAD_LIST_SYNC",
            R"({"guild_id":"854291645464707072","channel_ids":["854291653853315072"],"members":[],"threads":[)"
            R"({"id":"1070287395225731072","guild_id":"854291645464707072","parent_id":"854291653853315072","name":"bug bash","type":11}]})");
  // #general's planning thread is gone, bug bash arrived, #random's memes untouched.
  CHECK(ids(rig.c().get_threads_view_for_guild(S(kLab))) == Ids{kMemes, kBugBash});
}

TEST_CASE("THREAD_LIST_SYNC without channel_ids replaces all the guild's threads") {
  Rig rig = lab();
  rig.apply("THREAD_CREATE",
            R"({"id":"1066371593011331072","guild_id":"854291645464707072","parent_id":"854291658047619072","name":"memes","type":11})");
  rig.apply("THREAD_LIST_SYNC",
            R"({"guild_id":"854291645464707072","members":[],"threads":[)"
            R"({"id":"1070287395225731072","guild_id":"854291645464707072","parent_id":"854291653853315072","name":"bug bash","type":11}]})");
  CHECK(ids(rig.c().get_threads_view_for_guild(S(kLab))) == Ids{kBugBash});
  CHECK(ids(rig.c().get_threads_view()) == Ids{kBugBash});
}

TEST_CASE("THREAD_MEMBERS_UPDATE removing the bot (READY's user) deletes the thread") {
  Rig rig = lab();
  // Another member removed: nothing happens.
  rig.apply("THREAD_MEMBERS_UPDATE",
            R"({"id":"1066009205145731072","guild_id":"854291645464707072","member_count":2,)"
            R"("removed_member_ids":["614182047216435200"]})");
  CHECK(got(rig.c().get_thread(S(kPlanning))).has_value());
  // Members added (the bot among them): not cached, the thread stays.
  rig.apply("THREAD_MEMBERS_UPDATE",
            R"({"id":"1066009205145731072","guild_id":"854291645464707072","member_count":3,)"
            R"("added_members":[{"id":"1066009205145731072","user_id":"815916279914430464",)"
            R"("join_timestamp":"2023-01-20T15:00:00.000000+00:00","flags":0}]})");
  CHECK(got(rig.c().get_thread(S(kPlanning))).has_value());
  // The bot removed: the thread goes.
  rig.apply("THREAD_MEMBERS_UPDATE",
            R"({"id":"1066009205145731072","guild_id":"854291645464707072","member_count":1,)"
            R"("removed_member_ids":["576321040205086720","815916279914430464"]})");
  CHECK_FALSE(got(rig.c().get_thread(S(kPlanning))).has_value());
  CHECK(rig.c().get_threads_view().empty());
}

// ---------------------------------------------------------------------------
const std::string kDaveJoins =
    R"({"guild_id":"854291645464707072","user":{"id":"729008626743771136","username":"dave"},"nick":"d",)"
    R"("roles":["854291687407747072"],"joined_at":"2023-02-01T10:30:00.000000+00:00","deaf":false,"mute":true,"flags":0})";
const std::string kDaveUpdated =
    R"({"guild_id":"854291645464707072","user":{"id":"729008626743771136","username":"dave","global_name":"Dave"},)"
    R"("roles":[],"joined_at":"2023-02-01T10:30:00.000000+00:00"})";
const std::string kDaveLeaves =
    R"({"guild_id":"854291645464707072","user":{"id":"729008626743771136","username":"dave"}})";

TEST_CASE("GUILD_MEMBER_ADD / UPDATE / REMOVE, with member_count +1 / -1") {
  Rig rig = lab();
  rig.apply("GUILD_MEMBER_ADD", kDaveJoins);
  CHECK(member_count(rig.c(), kLab) == 4);
  auto dave = got(rig.c().get_member(S(kLab), S(kDave)));
  REQUIRE(dave);
  CHECK(str((*dave)->nick()) == "d");
  CHECK((*dave)->mute() == true);
  REQUIRE((*dave)->roles());
  CHECK(Ids((*dave)->roles()->begin(), (*dave)->roles()->end()) == Ids{kMods, kLab});
  CHECK(has_user(rig.c(), kDave));

  // An update replaces the member whole: no nick, no roles but @everyone, mute unknown.
  rig.apply("GUILD_MEMBER_UPDATE", kDaveUpdated);
  CHECK(member_count(rig.c(), kLab) == 4);
  dave = got(rig.c().get_member(S(kLab), S(kDave)));
  REQUIRE(dave);
  CHECK((*dave)->nick() == nullptr);
  CHECK(Ids((*dave)->roles()->begin(), (*dave)->roles()->end()) == Ids{kLab});
  CHECK_FALSE((*dave)->mute().has_value());
  CHECK(str((*got(rig.c().get_user(S(kDave))))->global_name()) == "Dave");

  rig.apply("GUILD_MEMBER_REMOVE", kDaveLeaves);
  CHECK(member_count(rig.c(), kLab) == 3);
  CHECK_FALSE(has_member(rig.c(), kLab, kDave));
  CHECK_FALSE(has_user(rig.c(), kDave));
}

TEST_CASE("GUILD_MEMBER_ADD / REMOVE adjust member_count also when MEMBERS is disabled, and for uncached members") {
  Rig rig = lab(only(Components::kAll & ~Components::kMembers));
  rig.apply("GUILD_MEMBER_ADD", kDaveJoins);
  CHECK(member_count(rig.c(), kLab) == 4);
  CHECK_FALSE(has_member(rig.c(), kLab, kDave));
  rig.apply("GUILD_MEMBER_UPDATE", kDaveUpdated);
  CHECK(member_count(rig.c(), kLab) == 4);
  rig.apply("GUILD_MEMBER_REMOVE", kDaveLeaves);
  rig.apply("GUILD_MEMBER_REMOVE",
            R"({"guild_id":"854291645464707072","user":{"id":"666960460460982272","username":"carol"}})");
  CHECK(member_count(rig.c(), kLab) == 2);
  // For a guild that is not cached there is no count to adjust; the member is still cached.
  Rig other;
  other.apply("READY", kReady);
  other.apply("GUILD_MEMBER_ADD", kDaveJoins);
  CHECK_FALSE(got(other.c().get_guild(S(kLab))).has_value());
  CHECK(has_member(other.c(), kLab, kDave));
}

TEST_CASE("GUILD_MEMBER_REMOVE of a member in voice hides the member and keeps its user") {
  Rig rig = lab();
  rig.apply("GUILD_MEMBER_REMOVE", R"({"guild_id":"854291645464707072","user":{"id":"614182047216435200","username":"bob"}})");
  CHECK_FALSE(has_member(rig.c(), kLab, kBob));
  CHECK(ids(rig.c().get_members_view_for_guild(S(kLab))) == Ids{kAlice, kBot});
  CHECK(has_user(rig.c(), kBob));
  auto vs = got(rig.c().get_voice_state(S(kLab), S(kBob)));
  REQUIRE(vs);
  REQUIRE((*vs)->member());
  CHECK(str((*vs)->member()->nick()) == "bobby");
}

TEST_CASE("GUILD_MEMBERS_CHUNK caches its members and presences") {
  Rig rig = lab();
  rig.apply("GUILD_MEMBERS_CHUNK",
            R"({"guild_id":"854291645464707072","chunk_index":0,"chunk_count":1,"nonce":"0.abc",)"
            R"("members":[{"user":{"id":"666960460460982272","username":"carol"},"roles":[],"joined_at":null},)"
            R"({"user":{"id":"729008626743771136","username":"dave"},"roles":["854291687407747072"],"joined_at":null}],)"
            R"("presences":[{"user":{"id":"729008626743771136"},"status":"dnd","activities":[{"name":"chess","type":0,)"
            R"("created_at":1700000000000}]},{"user":{"id":"666960460460982272"},"status":"offline"}],)"
            R"("not_found":[]})");
  CHECK(ids(rig.c().get_members_view_for_guild(S(kLab))) == Ids{kAlice, kBob, kCarol, kDave, kBot});
  // Chunk presences are stored whatever their status.
  CHECK(ids(rig.c().get_presences_view_for_guild(S(kLab))) == Ids{kAlice, kBob, kCarol, kDave});
  auto p = got(rig.c().get_presence(S(kLab), S(kDave)));
  REQUIRE(p);
  REQUIRE((*p)->activities());
  REQUIRE((*p)->activities()->size() == 1);
  CHECK(str((*p)->activities()->Get(0)->name()) == "chess");
  CHECK((*p)->activities()->Get(0)->created_at() == 1700000000000ULL);
  // A chunk does not change member_count.
  CHECK(member_count(rig.c(), kLab) == 3);
}

// ---------------------------------------------------------------------------
TEST_CASE("GUILD_ROLE_CREATE / UPDATE / DELETE") {
  Rig rig = lab();
  rig.apply("GUILD_ROLE_CREATE",
            R"({"guild_id":"854291645464707072","role":{"id":"1070283620352131072","name":"helpers","color":3066993,)"
            R"("hoist":false,"position":2,"permissions":"0","managed":false,"mentionable":false,)"
            R"("tags":{"premium_subscriber":null}}})");
  auto r = got(rig.c().get_role(S(kHelpers)));
  REQUIRE(r);
  CHECK(str((*r)->name()) == "helpers");
  CHECK((*r)->guild_id() == kLab);
  REQUIRE((*r)->tags());
  CHECK((*r)->tags()->premium_subscriber());
  CHECK(ids(rig.c().get_roles_view_for_guild(S(kLab))) == Ids{kLab, kMods, kHelpers});

  rig.apply("GUILD_ROLE_UPDATE",
            R"({"guild_id":"854291645464707072","role":{"id":"1070283620352131072","name":"helpers+",)"
            R"("color":1,"position":2,"permissions":"8","mentionable":true}})");
  r = got(rig.c().get_role(S(kHelpers)));
  REQUIRE(r);
  CHECK(str((*r)->name()) == "helpers+");
  CHECK((*r)->permissions() == 8);
  CHECK((*r)->mentionable());

  rig.apply("GUILD_ROLE_DELETE", R"({"guild_id":"854291645464707072","role_id":"1070283620352131072"})");
  CHECK_FALSE(got(rig.c().get_role(S(kHelpers))).has_value());
  CHECK(ids(rig.c().get_roles_view_for_guild(S(kLab))) == Ids{kLab, kMods});
}

TEST_CASE("GUILD_EMOJIS_UPDATE replaces the guild's emojis, releasing and retaking creators") {
  Rig rig = lab();
  REQUIRE(has_user(rig.c(), kCarol));  // held by the snowflake emoji only
  rig.apply("GUILD_EMOJIS_UPDATE",
            R"({"guild_id":"854291645464707072","emojis":[)"
            R"({"id":"1070284878643331072","name":"rocket","animated":true,"user":{"id":"729008626743771136","username":"dave"}}]})");
  CHECK(ids(rig.c().get_emojis_view_for_guild(S(kLab))) == Ids{kRocketEmoji});
  CHECK_FALSE(got(rig.c().get_emoji(S(kSnowflakeEmoji))).has_value());
  CHECK_FALSE(has_user(rig.c(), kCarol));  // released
  CHECK(has_user(rig.c(), kDave));         // taken
  auto e = got(rig.c().get_emoji(S(kRocketEmoji)));
  REQUIRE(e);
  CHECK((*e)->animated());
  CHECK((*e)->guild_id() == kLab);

  // The same emoji listed again keeps its creator (no double count): one removal releases it.
  rig.apply("GUILD_EMOJIS_UPDATE",
            R"({"guild_id":"854291645464707072","emojis":[)"
            R"({"id":"1070284878643331072","name":"rocket2","user":{"id":"729008626743771136","username":"dave"}}]})");
  CHECK(has_user(rig.c(), kDave));
  rig.apply("GUILD_EMOJIS_UPDATE", R"({"guild_id":"854291645464707072","emojis":[]})");
  CHECK(rig.c().get_emojis_view().empty());
  CHECK_FALSE(has_user(rig.c(), kDave));
}

const std::string kStickersUpdate =
    R"({"guild_id":"854291645464707072","stickers":[{"id":"1070284878643331072","name":"rocket",)"
    R"("tags":"rocket","type":2,"format_type":1,"guild_id":"854291645464707072","available":true,)"
    R"("user":{"id":"729008626743771136","username":"dave"}}]})";

TEST_CASE("GUILD_STICKERS_UPDATE replaces the guild's stickers") {
  Rig rig = lab();
  rig.apply("GUILD_STICKERS_UPDATE", kStickersUpdate);
  CHECK(ids(rig.c().get_stickers_view_for_guild(S(kLab))) == Ids{kRocketEmoji});
  CHECK_FALSE(got(rig.c().get_sticker(S(kWaveSticker))).has_value());
  CHECK(has_user(rig.c(), kDave));
  CHECK(has_user(rig.c(), kBob));  // still a member
}

TEST_CASE("GUILD_STICKERS_UPDATE is gated by GUILD_STICKERS, not EMOJIS (D7)") {
  SUBCASE("EMOJIS off, GUILD_STICKERS on: applied") {
    Rig rig = lab(only(Components::kAll & ~Components::kEmojis));
    rig.apply("GUILD_STICKERS_UPDATE", kStickersUpdate);
    CHECK(ids(rig.c().get_stickers_view_for_guild(S(kLab))) == Ids{kRocketEmoji});
  }
  SUBCASE("EMOJIS on, GUILD_STICKERS off: nothing cached") {
    Rig rig = lab(only(Components::kAll & ~Components::kGuildStickers));
    rig.apply("GUILD_STICKERS_UPDATE", kStickersUpdate);
    CHECK(rig.c().get_stickers_view().empty());
    CHECK_FALSE(has_user(rig.c(), kDave));
    CHECK(rig.c().get_emojis_view().size() == 1);
  }
}

// ---------------------------------------------------------------------------
TEST_CASE("INVITE_CREATE / INVITE_DELETE") {
  Rig rig = lab();
  rig.apply("INVITE_CREATE",
            R"({"code":"snowLab42","guild_id":"854291645464707072","channel_id":"854291653853315072",)"
            R"("inviter":{"id":"729008626743771136","username":"dave"},"uses":0,"max_uses":10,"max_age":86400,)"
            R"("temporary":false,"created_at":"2023-03-02T10:00:00.000000+00:00","type":0})");
  auto inv = got(rig.c().get_invite("snowLab42"));
  REQUIRE(inv);
  CHECK((*inv)->guild_id() == kLab);
  CHECK((*inv)->channel_id() == kGeneral);
  CHECK((*inv)->max_uses() == 10);
  REQUIRE((*inv)->inviter());
  CHECK((*inv)->inviter()->id() == kDave);
  CHECK(has_user(rig.c(), kDave));  // held by the invite
  CHECK(rig.c().get_invites_view_for_channel(S(kLab), S(kGeneral)).size() == 1);
  CHECK(rig.c().get_invites_view_for_guild(S(kLab)).size() == 1);

  // A second create of the same code replaces it (D3).
  rig.apply("INVITE_CREATE",
            R"({"code":"snowLab42","guild_id":"854291645464707072","channel_id":"854291653853315072",)"
            R"("inviter":{"id":"729008626743771136","username":"dave"},"uses":0,"max_uses":5,"max_age":0})");
  CHECK(rig.c().get_invites_view_for_guild(S(kLab)).size() == 1);
  CHECK((*got(rig.c().get_invite("snowLab42")))->max_uses() == 5);

  rig.apply("INVITE_DELETE",
            R"({"code":"snowLab42","guild_id":"854291645464707072","channel_id":"854291653853315072"})");
  CHECK_FALSE(got(rig.c().get_invite("snowLab42")).has_value());
  CHECK(rig.c().get_invites_view().empty());
  CHECK_FALSE(has_user(rig.c(), kDave));
}

// ---------------------------------------------------------------------------
TEST_CASE("MESSAGE_CREATE of a guild message stores it with its author, member and mentions") {
  Rig rig = lab();
  rig.apply("MESSAGE_CREATE", guild_message(kMsg1, kGeneral, kAlice, "hi dave", kDave));
  auto m = got(rig.c().get_message(S(kMsg1)));
  REQUIRE(m);
  CHECK(str((*m)->content()) == "hi dave");
  CHECK((*m)->guild_id() == kLab);
  CHECK((*m)->channel_id() == kGeneral);
  REQUIRE((*m)->author());
  CHECK((*m)->author()->id() == kAlice);
  REQUIRE((*m)->member());
  REQUIRE((*m)->member()->user());
  CHECK((*m)->member()->user()->id() == kAlice);  // the member's user is the author
  REQUIRE((*m)->mentions());
  CHECK((*m)->mentions()->size() == 1);
  CHECK(has_user(rig.c(), kDave));  // a mentioned user is counted
  // No DM channel id for a guild message.
  CHECK(rig.c().get_dm_channel_ids_view().empty());

  // A message of someone who is not a listed member: the member is known
  // only from the message, so it stays hidden.
  rig.apply("MESSAGE_CREATE", guild_message(kMsg2, kGeneral, kCarol, "drive-by"));
  CHECK_FALSE(has_member(rig.c(), kLab, kCarol));
  CHECK(has_user(rig.c(), kCarol));
}

TEST_CASE("MESSAGE_CREATE of a DM records the author's DM channel id (DM_CHANNEL_IDS only), not for the bot") {
  SUBCASE("all components") {
    Rig rig = lab();
    rig.apply("MESSAGE_CREATE", dm_message(kMsg1, kDmAlice, kAlice));
    CHECK(ok(rig.c().get_dm_channel_id(S(kAlice))) == S(kDmAlice));
    CHECK(got(rig.c().get_message(S(kMsg1))).has_value());
    // The bot's own message in that DM records nothing for the bot.
    rig.apply("MESSAGE_CREATE", dm_message(kMsg2, kDmAlice, kBot));
    CHECK_FALSE(ok(rig.c().get_dm_channel_id(S(kBot))).has_value());
    CHECK(ids(rig.c().get_dm_channel_ids_view()) == Ids{kAlice});
  }
  SUBCASE("MESSAGES disabled: the DM channel id is still recorded") {
    Rig rig = lab(only(Components::kAll & ~Components::kMessages));
    rig.apply("MESSAGE_CREATE", dm_message(kMsg1, kDmAlice, kAlice));
    CHECK(ok(rig.c().get_dm_channel_id(S(kAlice))) == S(kDmAlice));
    CHECK(rig.c().get_messages_view().empty());
  }
  SUBCASE("DM_CHANNEL_IDS disabled: the message is stored, no DM channel id") {
    Rig rig = lab(only(Components::kAll & ~Components::kDmChannelIds));
    rig.apply("MESSAGE_CREATE", dm_message(kMsg1, kDmAlice, kAlice));
    CHECK(rig.c().get_dm_channel_ids_view().empty());
    CHECK(got(rig.c().get_message(S(kMsg1))).has_value());
  }
}

TEST_CASE("MESSAGE_UPDATE patches exactly the fields present") {
  Rig rig = lab();
  rig.apply("MESSAGE_CREATE",
            R"({"id":"1091678345625731072","channel_id":"854291653853315072","guild_id":"854291645464707072",)"
            R"("author":{"id":"576321040205086720","username":"alice"},"content":"v1","pinned":true,)"
            R"("timestamp":"2024-03-01T10:00:00.000000+00:00","mention_everyone":false,"mentions":[],)"
            R"("mention_roles":["854291687407747072"],"attachments":[{"id":"1091678345625731073","filename":"a.png",)"
            R"("size":10,"url":"https://cdn.invalid/a.png","proxy_url":"https://media.invalid/a.png"}],)"
            R"("embeds":[{"title":"old","type":"rich"}],"flags":0,"type":0})");

  SUBCASE("content and edited_timestamp only: the rest stays") {
    rig.apply("MESSAGE_UPDATE",
              R"({"id":"1091678345625731072","channel_id":"854291653853315072","guild_id":"854291645464707072",)"
              R"("content":"v2","edited_timestamp":"2024-03-01T10:05:00.000000+00:00"})");
    auto m = got(rig.c().get_message(S(kMsg1)));
    REQUIRE(m);
    CHECK(str((*m)->content()) == "v2");
    CHECK(str((*m)->edited_timestamp()) == "2024-03-01T10:05:00.000000+00:00");
    CHECK((*m)->pinned());
    REQUIRE((*m)->attachments());
    CHECK((*m)->attachments()->size() == 1);
    REQUIRE((*m)->embeds());
    CHECK((*m)->embeds()->size() == 1);
    REQUIRE((*m)->mention_roles());
    CHECK((*m)->mention_roles()->size() == 1);
    CHECK(str((*m)->timestamp()) == "2024-03-01T10:00:00.000000+00:00");
  }
  SUBCASE("empty arrays clear; false clears pinned") {
    rig.apply("MESSAGE_UPDATE",
              R"({"id":"1091678345625731072","channel_id":"854291653853315072","attachments":[],"embeds":[],)"
              R"("mention_roles":[],"pinned":false,"flags":4})");
    auto m = got(rig.c().get_message(S(kMsg1)));
    REQUIRE(m);
    CHECK(str((*m)->content()) == "v1");
    CHECK_FALSE((*m)->pinned());
    CHECK(((*m)->attachments() == nullptr || (*m)->attachments()->size() == 0));
    CHECK(((*m)->embeds() == nullptr || (*m)->embeds()->size() == 0));
    CHECK(((*m)->mention_roles() == nullptr || (*m)->mention_roles()->size() == 0));
    CHECK((*m)->flags() == 4);
  }
  SUBCASE("embeds are replaced whole, nested fields included") {
    rig.apply("MESSAGE_UPDATE",
              R"({"id":"1091678345625731072","channel_id":"854291653853315072","embeds":[{"title":"new","type":"rich",)"
              R"("author":{"name":"Snowcache Bot","url":"https://example.invalid"},"footer":{"text":"f"},)"
              R"("fields":[{"name":"k","value":"v","inline":true}]}]})");
    auto m = got(rig.c().get_message(S(kMsg1)));
    REQUIRE(m);
    REQUIRE((*m)->embeds());
    REQUIRE((*m)->embeds()->size() == 1);
    const fb::Embed* e = (*m)->embeds()->Get(0);
    CHECK(str(e->title()) == "new");
    REQUIRE(e->author());
    CHECK(str(e->author()->name()) == "Snowcache Bot");
    REQUIRE(e->footer());
    CHECK(str(e->footer()->text()) == "f");
    REQUIRE(e->fields());
    REQUIRE(e->fields()->size() == 1);
    CHECK(e->fields()->Get(0)->inline_());
  }
  SUBCASE("the author and member objects it carries are the newest (docs/SEMANTICS.md E1, E2)") {
    rig.apply("MESSAGE_UPDATE",
              R"({"id":"1091678345625731072","channel_id":"854291653853315072","guild_id":"854291645464707072",)"
              R"("author":{"id":"576321040205086720","username":"new-alice"},)"
              R"("member":{"nick":"newer","roles":[],"joined_at":null},"content":"v3"})");
    auto m = got(rig.c().get_message(S(kMsg1)));
    REQUIRE(m);
    CHECK(str((*m)->content()) == "v3");
    CHECK(str((*m)->author()->username()) == "new-alice");
    CHECK(str((*got(rig.c().get_user(S(kAlice))))->username()) == "new-alice");
    CHECK(str((*got(rig.c().get_member(S(kLab), S(kAlice))))->nick()) == "newer");
    CHECK((*m)->author()->id() == kAlice);  // whose message it is does not change
  }
}

TEST_CASE("MESSAGE_UPDATE counts the mentions it adds and releases those it drops") {
  Rig rig = lab();
  rig.apply("MESSAGE_CREATE", guild_message(kMsg1, kGeneral, kAlice, "hi"));
  CHECK_FALSE(has_user(rig.c(), kDave));
  rig.apply("MESSAGE_UPDATE",
            R"({"id":"1091678345625731072","channel_id":"854291653853315072","content":"hi dave",)"
            R"("mentions":[{"id":"729008626743771136","username":"dave"}]})");
  CHECK(has_user(rig.c(), kDave));
  // Dave also mentioned by a second message: dropping one mention keeps him.
  rig.apply("MESSAGE_CREATE", guild_message(kMsg2, kGeneral, kBob, "yo dave", kDave));
  rig.apply("MESSAGE_UPDATE", R"({"id":"1091678345625731072","channel_id":"854291653853315072","mentions":[]})");
  CHECK(has_user(rig.c(), kDave));
  auto m = got(rig.c().get_message(S(kMsg1)));
  CHECK(((*m)->mentions() == nullptr || (*m)->mentions()->size() == 0));
  rig.apply("MESSAGE_DELETE", R"({"id":"1091678597283971072","channel_id":"854291653853315072"})");
  CHECK_FALSE(has_user(rig.c(), kDave));
}

TEST_CASE("MESSAGE_UPDATE of an uncached message creates nothing") {
  Rig rig = lab();
  Census before = census(rig.c());
  rig.apply("MESSAGE_UPDATE",
            R"({"id":"1091678345625731072","channel_id":"854291653853315072","guild_id":"854291645464707072",)"
            R"("author":{"id":"729008626743771136","username":"dave"},"content":"edited",)"
            R"("mentions":[{"id":"666960460460982272","username":"carol"}]})");
  Census after = census(rig.c());
  CHECK(after.sequence == 3);
  after.sequence = before.sequence;
  CHECK(after == before);
  CHECK_FALSE(got(rig.c().get_message(S(kMsg1))).has_value());
  CHECK_FALSE(has_user(rig.c(), kDave));
}

TEST_CASE("MESSAGE_DELETE removes the message and releases what it held") {
  Rig rig = lab();
  rig.apply("MESSAGE_CREATE", guild_message(kMsg1, kGeneral, kErin, "hi dave", kDave));
  CHECK(has_user(rig.c(), kErin));
  rig.apply("MESSAGE_DELETE", R"({"id":"1091678345625731072","channel_id":"854291653853315072","guild_id":"854291645464707072"})");
  CHECK_FALSE(got(rig.c().get_message(S(kMsg1))).has_value());
  CHECK_FALSE(has_user(rig.c(), kErin));  // author (D1 fixed: counted, then released)
  CHECK_FALSE(has_user(rig.c(), kDave));   // mention
  // Deleting an unknown message is applied and changes nothing.
  rig.apply("MESSAGE_DELETE", R"({"id":"1091678345625731072","channel_id":"854291653853315072"})");
}

TEST_CASE("MESSAGE_DELETE_BULK removes each listed message; unknown ids are fine") {
  Rig rig = lab();
  rig.apply("MESSAGE_CREATE", guild_message(kMsg1, kGeneral, kAlice, "one"));
  rig.apply("MESSAGE_CREATE", guild_message(kMsg2, kGeneral, kAlice, "two"));
  rig.apply("MESSAGE_CREATE", guild_message(kMsg3, kGeneral, kAlice, "three"));
  rig.apply("MESSAGE_DELETE_BULK",
            R"({"ids":["1091678345625731072","1091678848942211072","155117677105512449"],)"
            R"("channel_id":"854291653853315072","guild_id":"854291645464707072"})");
  CHECK(ids(rig.c().get_messages_view()) == Ids{kMsg2});
}

// ---------------------------------------------------------------------------
TEST_CASE("PRESENCE_UPDATE upserts; offline deletes") {
  Rig rig = lab();
  rig.apply("PRESENCE_UPDATE",
            R"({"user":{"id":"576321040205086720"},"guild_id":"854291645464707072","status":"dnd",)"
            R"("activities":[{"name":"Rocket League","type":0,"created_at":1700000000000,)"
            R"("emoji":{"name":"rocket","id":"1070284878643331072","animated":false}}],"client_status":{"desktop":"dnd"}})");
  auto p = got(rig.c().get_presence(S(kLab), S(kAlice)));
  REQUIRE(p);
  CHECK(str((*p)->status()) == "dnd");
  REQUIRE((*p)->activities());
  REQUIRE((*p)->activities()->size() == 1);
  REQUIRE((*p)->activities()->Get(0)->emoji());
  CHECK((*p)->activities()->Get(0)->emoji()->id() == kRocketEmoji);
  REQUIRE((*p)->client_status());
  CHECK(str((*p)->client_status()->desktop()) == "dnd");

  // A presence of a user that is not a member is cached too; it references nothing.
  rig.apply("PRESENCE_UPDATE", R"({"user":{"id":"729008626743771136"},"guild_id":"854291645464707072","status":"online"})");
  CHECK(got(rig.c().get_presence(S(kLab), S(kDave))).has_value());
  CHECK_FALSE(has_user(rig.c(), kDave));

  rig.apply("PRESENCE_UPDATE", R"({"user":{"id":"576321040205086720"},"guild_id":"854291645464707072","status":"offline"})");
  CHECK_FALSE(got(rig.c().get_presence(S(kLab), S(kAlice))).has_value());
  CHECK(ids(rig.c().get_presences_view_for_guild(S(kLab))) == Ids{kBob, kDave});
}

TEST_CASE("VOICE_STATE_UPDATE upserts with its member; a null channel deletes and releases the member") {
  Rig rig = lab();
  rig.apply("VOICE_STATE_UPDATE",
            R"({"guild_id":"854291645464707072","channel_id":"854291662241923072","user_id":"576321040205086720",)"
            R"("session_id":"c0ffee0002","deaf":false,"mute":false,"self_deaf":true,"self_mute":false,"self_video":false,)"
            R"("suppress":false,"request_to_speak_timestamp":null,"member":{"user":{"id":"576321040205086720",)"
            R"("username":"alice"},"nick":"al","roles":["854291687407747072"],"joined_at":"2021-06-15T09:30:01.000000+00:00"}})");
  auto vs = got(rig.c().get_voice_state(S(kLab), S(kAlice)));
  REQUIRE(vs);
  CHECK((*vs)->self_deaf());
  CHECK(str((*vs)->session_id()) == "c0ffee0002");
  REQUIRE((*vs)->member());
  CHECK(str((*vs)->member()->nick()) == "al");
  CHECK(ids(rig.c().get_voice_states_view_for_channel(S(kLab), S(kLounge))) == Ids{kAlice, kBob});

  // Bob leaves the guild (hidden: held by his voice state), then leaves voice: he goes.
  rig.apply("GUILD_MEMBER_REMOVE", R"({"guild_id":"854291645464707072","user":{"id":"614182047216435200","username":"bob"}})");
  CHECK(has_user(rig.c(), kBob));
  rig.apply("VOICE_STATE_UPDATE",
            R"({"guild_id":"854291645464707072","channel_id":null,"user_id":"614182047216435200",)"
            R"("session_id":"c0ffee0001","deaf":false,"mute":false,"self_deaf":false,"self_mute":false,)"
            R"("self_video":false,"suppress":false})");
  CHECK_FALSE(got(rig.c().get_voice_state(S(kLab), S(kBob))).has_value());
  CHECK_FALSE(has_user(rig.c(), kBob));
  CHECK(ids(rig.c().get_voice_states_view_for_guild(S(kLab))) == Ids{kAlice});
}

TEST_CASE("USER_UPDATE updates me") {
  Rig rig = lab();
  rig.apply("USER_UPDATE",
            R"({"id":"815916279914430464","username":"snowbot","global_name":"Snow Bot","discriminator":"0",)"
            R"("avatar":"0123456789abcdef0123456789abcdef","bot":true,"mfa_enabled":true,"verified":true,"flags":0})");
  auto me = got(rig.c().get_me());
  REQUIRE(me);
  CHECK(str((*me)->global_name()) == "Snow Bot");
  CHECK((*me)->mfa_enabled());
  CHECK(str((*me)->avatar()) == "0123456789abcdef0123456789abcdef");
}

// ---------------------------------------------------------------------------
TEST_CASE("CHANNEL_PINS_UPDATE and an unknown dispatch are ignored, and the sequence advances") {
  Rig rig = lab();
  Census before = census(rig.c());
  auto r = rig.send("TYPING_START",
                    R"({"channel_id":"854291653853315072","guild_id":"854291645464707072","user_id":"729008626743771136",)"
                    R"("timestamp":1700000000,"member":{"user":{"id":"729008626743771136","username":"dave"},"roles":[],)"
                    R"("joined_at":null}})");
  // TYPING_START refreshes a cached member (SEMANTICS.md E2); dave is not cached.
  REQUIRE_OUTCOME(r, Outcome::kApplied);
  CHECK(r.event == "TYPING_START");
  CHECK(rig.sequence() == 3);
  CHECK_FALSE(has_member(rig.c(), kLab, kDave));  // the embedded member is not cached
  r = rig.send("CHANNEL_PINS_UPDATE", R"({"guild_id":"854291645464707072","channel_id":"854291653853315072"})");
  REQUIRE_OUTCOME(r, Outcome::kIgnored);
  CHECK(rig.sequence() == 4);

  r = rig.send("SOUNDBOARD_SOUNDS_UPDATE_2099", R"({"guild_id":"854291645464707072","sounds":[]})");
  REQUIRE_OUTCOME(r, Outcome::kIgnored);
  CHECK(rig.sequence() == 5);

  // Other uncached dispatches of §6 ("everything else") likewise.
  for (const char* t : {"RESUMED", "VOICE_SERVER_UPDATE", "WEBHOOKS_UPDATE"}) {
    r = rig.send(t, R"({"guild_id":"854291645464707072"})");
    INFO(t);
    REQUIRE_OUTCOME(r, Outcome::kIgnored);
  }
  // Those whose member or user objects refresh cached records (E1, E2) apply,
  // and without such objects change nothing.
  for (const char* t : {"MESSAGE_REACTION_ADD", "GUILD_BAN_ADD", "INTERACTION_CREATE"}) {
    r = rig.send(t, R"({"guild_id":"854291645464707072"})");
    INFO(t);
    REQUIRE_OUTCOME(r, Outcome::kApplied);
  }
  Census after = census(rig.c());
  CHECK(after.sequence == 11);
  after.sequence = before.sequence;
  CHECK(after == before);
}

}  // namespace
