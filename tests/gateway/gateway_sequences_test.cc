// Gateway streams: the NDJSON fixtures of tests/fixtures (see its README.md)
// fed through cache_from_fixture / ingest_file / Gateway, and the session
// rules of semantics.md R6 (duplicates, READY, null sequences, restarts).
#include <string>

#include "api/cache_state.h"
#include "gateway_support.h"

namespace {

using namespace snowcache;
using namespace snowcache::testing;

// --- ids of tests/fixtures ---------------------------------------------------
constexpr std::uint64_t kFrank = 797588033594589184;
constexpr std::uint64_t kKnitting = 941634671450652672;  // G3, members only
constexpr std::uint64_t kChess = 977277029659574272;     // G4, messages only
constexpr std::uint64_t kEven1 = 948777498307592192;     // shard 0 of 2
constexpr std::uint64_t kEven2 = 960389265395679232;     // shard 0 of 2
constexpr std::uint64_t kOdd1 = 983250411710447616;      // shard 1 of 2
constexpr std::uint64_t kEven1General = 948777502376067072;
constexpr std::uint64_t kOdd1General = 983250415648899072;
constexpr std::uint64_t kMsgOutage = 1080414122803331072;
constexpr std::uint64_t kMsgGeneral1 = 1091678345625731072;
constexpr std::uint64_t kMsgGeneral2 = 1091678597283971072;
constexpr std::uint64_t kMsgRandom = 1091678848942211072;
constexpr std::uint64_t kMsgThread = 1091679100600451072;
constexpr std::uint64_t kMsgResume1 = 1124640793559171072;
constexpr std::uint64_t kMsgResume2 = 1124642051850371072;
constexpr std::uint64_t kDm1 = 1135859466240131072;
constexpr std::uint64_t kDm2 = 1135859717898371072;
constexpr std::uint64_t kDmBobMsg = 1135859969556611072;
constexpr std::uint64_t kDm4 = 1135860221214851072;

// Feeds a fixture's frames step by step.
struct Player {
  Rig& rig;
  std::vector<std::string> frames;
  std::size_t pos = 0;

  Player(Rig& r, const std::string& name) : rig(r), frames(frames_of(fixture_path(name))) {}

  // Feeds frames until (and including) the next one whose sequence is `s`.
  void through(std::int64_t s) {
    while (pos < frames.size()) {
      auto r = rig.gw->ingest_frame(rig.shard, frames[pos++]);
      INFO("frame #" << pos - 1 << ": " << describe(r));
      REQUIRE(r.outcome != Outcome::kRejected);
      if (r.sequence == s) return;
    }
    FAIL("no frame with s=" << s << " left");
  }
  void rest() {
    feed(*rig.gw, frames, pos, frames.size(), rig.shard);
    pos = frames.size();
  }
};

// A rig fed with a whole fixture (no rejection allowed).
FixtureReport ingest_all(Rig& rig, const std::string& name) {
  auto rep = ok(ingest_file(*rig.gw, fixture_path(name), rig.shard));
  INFO(name << ": " << (rep.rejections.empty() ? std::string() : rep.rejections.front()));
  REQUIRE(rep.rejected == 0);
  return rep;
}

Ids role_ids(const fb::Member& m) { return m.roles() ? Ids(m.roles()->begin(), m.roles()->end()) : Ids{}; }

// Nothing of `guild` is cached.
void check_guild_gone(const Cache& c, std::uint64_t guild) {
  INFO("guild " << guild);
  CHECK_FALSE(got(c.get_guild(S(guild))).has_value());
  CHECK(c.get_guild_channels_view_for_guild(S(guild)).empty());
  CHECK(c.get_threads_view_for_guild(S(guild)).empty());
  CHECK(c.get_roles_view_for_guild(S(guild)).empty());
  CHECK(c.get_emojis_view_for_guild(S(guild)).empty());
  CHECK(c.get_stickers_view_for_guild(S(guild)).empty());
  CHECK(c.get_invites_view_for_guild(S(guild)).empty());
  CHECK(c.get_members_view_for_guild(S(guild)).empty());
  CHECK(c.get_presences_view_for_guild(S(guild)).empty());
  CHECK(c.get_voice_states_view_for_guild(S(guild)).empty());
  for (auto k : c.get_messages_view().keys()) {
    auto m = got(c.get_message(k));
    REQUIRE(m);
    CHECK((*m)->guild_id() != guild);
  }
}

// ---------------------------------------------------------------------------
TEST_CASE("guild_life.ndjson: a guild's whole life ends in the state its README describes") {
  FixtureReport rep;
  auto cache = ok(cache_from_fixture(fixture_path("guild_life.ndjson"), {}, &rep));
  const Cache& c = *cache;
  CHECK(rep.applied == 23);
  CHECK(rep.rejected == 0);
  CHECK(rep.duplicate == 0);

  auto g = got(c.get_available_guild(S(kLab)));
  REQUIRE(g);
  CHECK(str((*g)->name()) == "Snowcache Laboratory");
  CHECK((*g)->member_count() == 4);  // 4, +dave, -dave
  CHECK(str((*g)->joined_at()) == "2021-06-15T09:31:00.000000+00:00");
  CHECK(ids(c.get_guild_channels_view_for_guild(S(kLab))) == Ids{kCategory, kGeneral, kRandom, kLounge});
  CHECK(str((*got(c.get_guild_channel(S(kRandom))))->name()) == "off-topic");
  CHECK(ids(c.get_threads_view()) == Ids{kPlanning});
  CHECK(ids(c.get_roles_view_for_guild(S(kLab))) == Ids{kLab, kMods});
  CHECK((*got(c.get_role(S(kMods))))->color() == 10181046);
  CHECK(ids(c.get_emojis_view_for_guild(S(kLab))) == Ids{kSnowflakeEmoji, kRocketEmoji});
  CHECK(ids(c.get_stickers_view_for_guild(S(kLab))) == Ids{kWaveSticker});
  CHECK(ids(c.get_members_view_for_guild(S(kLab))) == Ids{kAlice, kBob, kCarol, kBot});
  auto carol = got(c.get_member(S(kLab), S(kCarol)));
  REQUIRE(carol);
  CHECK(str((*carol)->nick()) == "caz");
  CHECK(role_ids(**carol) == Ids{kHelpers, kLab});  // a deleted role stays in role ids (as hikari)
  CHECK(ids(c.get_presences_view_for_guild(S(kLab))) == Ids{kAlice, kCarol});
  CHECK(str((*got(c.get_presence(S(kLab), S(kCarol))))->status()) == "dnd");
  CHECK(ids(c.get_voice_states_view_for_guild(S(kLab))) == Ids{kAlice});
  CHECK(c.get_messages_view().empty());
  CHECK(c.get_invites_view().empty());
  CHECK(ids(c.get_users_view()) == Ids{kAlice, kBob, kCarol, kBot});
  auto s = ok(session(c, 0));
  REQUIRE(s);
  CHECK(s->sequence == 23);
  CHECK(s->session_id == "9f2c4e7a1b3d5f60");
}

TEST_CASE("outage_and_return.ndjson: an outage keeps everything; the return replaces the lists") {
  Rig rig;
  Player p(rig, "outage_and_return.ndjson");
  p.through(3);
  Census before = census(rig.c());
  CHECK(before.available == 1);
  CHECK(before.members == 3);
  CHECK(before.voice_states == 1);

  p.through(4);  // GUILD_DELETE unavailable
  CHECK_FALSE(got(rig.c().get_available_guild(S(kLab))).has_value());
  CHECK(got(rig.c().get_unavailable_guild(S(kLab))).has_value());
  Census outage = census(rig.c());
  CHECK(outage.available == 0);
  CHECK(outage.sequence == 4);
  outage.available = before.available;
  outage.sequence = before.sequence;
  CHECK(outage == before);

  p.through(5);  // the placeholder GUILD_CREATE: nothing changes, still unavailable
  Census placeholder = census(rig.c());
  CHECK(placeholder.sequence == 5);
  CHECK(placeholder.available == 0);
  CHECK(got(rig.c().get_unavailable_guild(S(kLab))).has_value());

  p.through(6);  // back, changed
  auto g = got(rig.c().get_available_guild(S(kLab)));
  REQUIRE(g);
  CHECK((*g)->member_count() == 4);
  CHECK(ids(rig.c().get_guild_channels_view_for_guild(S(kLab))) == Ids{kGeneral});
  CHECK(rig.c().get_threads_view().empty());
  CHECK(rig.c().get_emojis_view().empty());
  CHECK(rig.c().get_stickers_view().empty());
  CHECK(rig.c().get_voice_states_view().empty());  // alice left voice during the outage (D11)
  CHECK(ids(rig.c().get_presences_view_for_guild(S(kLab))) == Ids{kAlice});
  CHECK(ids(rig.c().get_members_view_for_guild(S(kLab))) == Ids{kAlice, kBob, kCarol, kBot});
  CHECK(ids(rig.c().get_roles_view_for_guild(S(kLab))) == Ids{kLab, kMods});
  CHECK(ids(rig.c().get_messages_view()) == Ids{kMsgOutage});  // messages are not part of GUILD_CREATE
  CHECK(ids(rig.c().get_users_view()) == Ids{kAlice, kBob, kCarol, kBot});
  CHECK(rig.sequence() == 6);
}

TEST_CASE("leave.ndjson: leaving a guild removes all of it; the other guild and shared users stay") {
  Rig rig;
  Player p(rig, "leave.ndjson");
  p.through(5);
  REQUIRE(got(rig.c().get_invite("snowLab42")).has_value());
  REQUIRE(rig.c().get_messages_view().size() == 1);
  REQUIRE(has_user(rig.c(), kDave));  // the invite's target
  p.through(6);
  check_guild_gone(rig.c(), kLab);
  CHECK(rig.c().get_messages_view().empty());
  CHECK_FALSE(got(rig.c().get_invite("snowLab42")).has_value());
  auto g2 = got(rig.c().get_available_guild(S(kRockets)));
  REQUIRE(g2);
  CHECK(ids(rig.c().get_guild_channels_view()) == Ids{kLaunchpad});
  CHECK(ids(rig.c().get_members_view_for_guild(S(kRockets))) == Ids{kAlice, kBot});
  CHECK(ids(rig.c().get_presences_view_for_guild(S(kRockets))) == Ids{kAlice});
  CHECK(ids(rig.c().get_roles_view()) == Ids{kRockets});
  // bob (member, sticker creator, inviter), carol (emoji creator, mentioned), dave (invite target) are gone.
  CHECK(ids(rig.c().get_users_view()) == Ids{kAlice, kBot});
  CHECK(guild_ids(rig.c().get_members_view()) == Ids{kRockets});
}

TEST_CASE("channel_delete_cascade.ndjson: a channel goes with its threads, invites and messages") {
  Rig rig;
  Player p(rig, "channel_delete_cascade.ndjson");
  p.through(8);
  REQUIRE(rig.c().get_threads_view().size() == 3);
  REQUIRE(rig.c().get_invites_view().size() == 2);
  REQUIRE(rig.c().get_messages_view().size() == 4);
  p.through(9);
  CHECK_FALSE(got(rig.c().get_guild_channel(S(kGeneral))).has_value());
  CHECK(ids(rig.c().get_guild_channels_view_for_guild(S(kLab))) == Ids{kRandom});
  CHECK(ids(rig.c().get_threads_view()) == Ids{kMemes});
  CHECK_FALSE(got(rig.c().get_invite("genInv01")).has_value());
  CHECK(got(rig.c().get_invite("rndInv01")).has_value());
  // #general's messages go; the message in its thread stays (THREAD_DELETE rules), #random's stays.
  CHECK(ids(rig.c().get_messages_view()) == Ids{kMsgRandom, kMsgThread});
  CHECK_FALSE(got(rig.c().get_message(S(kMsgGeneral1))).has_value());
  CHECK_FALSE(got(rig.c().get_message(S(kMsgGeneral2))).has_value());
  CHECK(ids(rig.c().get_members_view_for_guild(S(kLab))) == Ids{kAlice, kBob, kBot});
  CHECK(ids(rig.c().get_users_view()) == Ids{kAlice, kBob, kBot});
}

TEST_CASE("voice_rejoin.ndjson: a member who leaves while in voice is hidden, then visible again on rejoin") {
  Rig rig;
  Player p(rig, "voice_rejoin.ndjson");
  p.through(2);
  REQUIRE(has_member(rig.c(), kLab, kBob));
  p.through(3);  // bob leaves the guild, still in voice
  CHECK_FALSE(has_member(rig.c(), kLab, kBob));
  CHECK(ids(rig.c().get_members_view_for_guild(S(kLab))) == Ids{kAlice, kBot});
  CHECK(nested_total(rig.c().get_members_view()) == 2);
  CHECK(member_count(rig.c(), kLab) == 2);
  CHECK(has_user(rig.c(), kBob));  // kept for the voice state
  auto vs = got(rig.c().get_voice_state(S(kLab), S(kBob)));
  REQUIRE(vs);
  REQUIRE((*vs)->member());
  CHECK(str((*vs)->member()->nick()) == "bobby");

  p.through(4);  // bob rejoins
  auto bob = got(rig.c().get_member(S(kLab), S(kBob)));
  REQUIRE(bob);
  CHECK((*bob)->nick() == nullptr);
  CHECK(str((*bob)->joined_at()) == "2023-05-01T12:00:00.000000+00:00");
  CHECK(ids(rig.c().get_members_view_for_guild(S(kLab))) == Ids{kAlice, kBob, kBot});
  CHECK(member_count(rig.c(), kLab) == 3);

  p.through(5);  // bob leaves voice: his member stays (listed), his user too
  CHECK(rig.c().get_voice_states_view().empty());
  CHECK(has_member(rig.c(), kLab, kBob));
  CHECK(has_user(rig.c(), kBob));
}

TEST_CASE("ready_reconcile.ndjson: a new READY removes every guild it no longer lists, whatever is cached of it") {
  Rig rig;
  Player p(rig, "ready_reconcile.ndjson");
  p.through(5);
  REQUIRE(got(rig.c().get_guild(S(kRockets))).has_value());
  REQUIRE(has_member(rig.c(), kKnitting, kErin));            // members-only guild
  REQUIRE_FALSE(got(rig.c().get_guild(S(kKnitting))).has_value());
  REQUIRE(rig.c().get_messages_view().size() == 1);          // messages-only guild
  REQUIRE_FALSE(got(rig.c().get_guild(S(kChess))).has_value());
  REQUIRE(has_user(rig.c(), kFrank));                        // the chess message's author

  p.through(1);  // the new session's READY lists only the Lab
  for (auto g : {kRockets, kKnitting, kChess}) check_guild_gone(rig.c(), g);
  CHECK(rig.c().get_messages_view().empty());
  CHECK(ids(rig.c().get_users_view()) == Ids{kAlice, kBot});  // carol, dave, erin, frank gone
  CHECK(guild_ids(rig.c().get_members_view()) == Ids{kLab});
  // The listed guild is kept, unavailable until its GUILD_CREATE.
  auto lab = got(rig.c().get_unavailable_guild(S(kLab)));
  REQUIRE(lab);
  CHECK(ids(rig.c().get_members_view_for_guild(S(kLab))) == Ids{kAlice, kBot});
  auto s = ok(session(rig.c(), 0));
  REQUIRE(s);
  CHECK(s->session_id == "cccc3333dddd4444");
  CHECK(s->sequence == 1);

  p.through(2);
  CHECK(got(rig.c().get_available_guild(S(kLab))).has_value());
  CHECK(ids(rig.c().get_guilds_view()) == Ids{kLab});
  CHECK(rig.sequence() == 2);
}

TEST_CASE("ready_reconcile_sharded_*.ndjson: a READY of shard 0 of 2 reconciles only shard 0's guilds") {
  REQUIRE(S(kEven1).shard_of(2) == 0);
  REQUIRE(S(kEven2).shard_of(2) == 0);
  REQUIRE(S(kOdd1).shard_of(2) == 1);
  auto cache = memory_cache();
  Gateway gw(*cache);
  auto r1 = ok(ingest_file(gw, fixture_path("ready_reconcile_sharded_1.ndjson"), 1));
  REQUIRE(r1.rejected == 0);
  auto frames = frames_of(fixture_path("ready_reconcile_sharded_0.ndjson"));
  REQUIRE(frames.size() == 4);
  feed(gw, frames, 0, 3, 0);
  REQUIRE(got(cache->get_available_guild(S(kEven2))).has_value());
  REQUIRE(got(cache->get_available_guild(S(kOdd1))).has_value());

  feed(gw, frames, 3, 4, 0);  // shard 0's new READY lists only Even Guild One
  check_guild_gone(*cache, kEven2);
  CHECK(got(cache->get_unavailable_guild(S(kEven1))).has_value());
  CHECK(ids(cache->get_guild_channels_view_for_guild(S(kEven1))) == Ids{kEven1General});
  // Odd Guild is not listed by shard 0, but it is shard 1's: untouched.
  CHECK(got(cache->get_available_guild(S(kOdd1))).has_value());
  CHECK(ids(cache->get_guild_channels_view_for_guild(S(kOdd1))) == Ids{kOdd1General});
  CHECK(ids(cache->get_members_view_for_guild(S(kOdd1))) == Ids{kCarol, kBot});
  CHECK(ids(cache->get_presences_view_for_guild(S(kOdd1))) == Ids{kCarol});
  CHECK_FALSE(has_user(*cache, kBob));  // Even Guild Two's member

  auto all = ok(sessions(*cache));
  REQUIRE(all.size() == 2);
  CHECK(all[0].shard == 0);
  CHECK(all[0].shard_count == 2);
  CHECK(all[0].session_id == "shard0sess000002");
  CHECK(all[0].sequence == 1);
  CHECK(all[1].shard == 1);
  CHECK(all[1].shard_count == 2);
  CHECK(all[1].session_id == "shard1sess000001");
  CHECK(all[1].sequence == 2);
}

TEST_CASE("resume_replay.ndjson: replayed sequences are duplicates, skipped; member_count is not doubled") {
  Rig rig;
  auto rep = ingest_all(rig, "resume_replay.ndjson");
  CHECK(rep.applied == 7);
  CHECK(rep.duplicate == 3);
  CHECK(rep.ignored == 3);  // RECONNECT, HELLO, RESUMED
  CHECK(member_count(rig.c(), kLab) == 5);  // 3 + carol + dave, carol once
  CHECK(ids(rig.c().get_members_view_for_guild(S(kLab))) == Ids{kAlice, kBob, kCarol, kDave, kBot});
  CHECK(ids(rig.c().get_messages_view()) == Ids{kMsgResume1, kMsgResume2});
  CHECK(ids(rig.c().get_presences_view_for_guild(S(kLab))) == Ids{kAlice, kCarol});
  CHECK(rig.sequence() == 8);
}

TEST_CASE("large_guild_chunks.ndjson: chunks fill a large guild; a later large GUILD_CREATE keeps unlisted members") {
  Rig rig;
  Player p(rig, "large_guild_chunks.ndjson");
  p.through(2);
  CHECK(ids(rig.c().get_members_view_for_guild(S(kRockets))) == Ids{kCarol, kBot});
  CHECK(member_count(rig.c(), kRockets) == 7);
  p.through(4);
  CHECK(ids(rig.c().get_members_view_for_guild(S(kRockets))) ==
        Ids{kAlice, kBob, kCarol, kDave, kErin, kFrank, kBot});
  CHECK(ids(rig.c().get_presences_view_for_guild(S(kRockets))) == Ids{kAlice, kBob, kCarol, kFrank});
  p.through(6);
  CHECK(ids(rig.c().get_members_view_for_guild(S(kRockets))) ==
        Ids{kAlice, kBob, kCarol, kDave, kErin, kFrank, kBot});
  CHECK(str((*got(rig.c().get_member(S(kRockets), S(kCarol))))->nick()) == "captain");
  CHECK(str((*got(rig.c().get_presence(S(kRockets), S(kCarol))))->status()) == "dnd");
  CHECK(ids(rig.c().get_presences_view_for_guild(S(kRockets))) == Ids{kAlice, kBob, kCarol, kFrank});
  CHECK(member_count(rig.c(), kRockets) == 6);
}

TEST_CASE("large_guild_chunks.ndjson: a complete member list removes the members and presences it lacks (R5)") {
  Rig rig;
  Player p(rig, "large_guild_chunks.ndjson");
  p.through(7);  // the first chunk of the full list: nothing is swept yet
  CHECK(has_member(rig.c(), kRockets, kFrank));
  p.through(8);  // the list is complete (6 members >= member_count 6)
  CHECK(ids(rig.c().get_members_view_for_guild(S(kRockets))) == Ids{kAlice, kBob, kCarol, kDave, kErin, kBot});
  CHECK_FALSE(has_member(rig.c(), kRockets, kFrank));
  CHECK_FALSE(has_user(rig.c(), kFrank));
  // Presences not written since the GUILD_CREATE go too: bob's (s=3) and frank's (s=4).
  CHECK(ids(rig.c().get_presences_view_for_guild(S(kRockets))) == Ids{kAlice, kCarol});
}

TEST_CASE("dm_messages.ndjson: DMs record their author's DM channel id, not the bot's") {
  Rig rig;
  Player p(rig, "dm_messages.ndjson");
  p.through(6);
  CHECK(ids(rig.c().get_dm_channel_ids_view()) == Ids{kAlice, kBob});  // oldest first, alice kept her place
  CHECK(ok(rig.c().get_dm_channel_id(S(kAlice))) == S(kDmAlice));
  CHECK_FALSE(ok(rig.c().get_dm_channel_id(S(kBot))).has_value());
  CHECK(str((*got(rig.c().get_message(S(kDm1))))->content()) == "hey bot!");
  p.through(7);  // bob's only message deleted: bob goes, with his DM channel id
  CHECK_FALSE(has_user(rig.c(), kBob));
  CHECK(ids(rig.c().get_dm_channel_ids_view()) == Ids{kAlice});
  CHECK(ids(rig.c().get_messages_view()) == Ids{kDm1, kDm2, kDm4});
  CHECK_FALSE(got(rig.c().get_message(S(kDmBobMsg))).has_value());
  CHECK(ids(rig.c().get_users_view()) == Ids{kAlice, kBot});
}

// ---------------------------------------------------------------------------
TEST_CASE("a disk cache: ingest, close, reopen -- the session and the entities survive; a replay is all duplicates") {
  TempDir dir;
  Census before;
  std::vector<Session> sess_before;
  {
    FixtureOptions o;
    o.directory = dir.str();
    FixtureReport rep;
    auto cache = ok(cache_from_fixture(fixture_path("guild_life.ndjson"), o, &rep));
    REQUIRE(rep.applied == 23);
    before = census(*cache);
    sess_before = ok(sessions(*cache));
  }
  Rig rig(disk_cache(dir.str()));
  CHECK(census(rig.c()) == before);
  auto sess = ok(sessions(rig.c()));
  REQUIRE(sess.size() == 1);
  REQUIRE(sess_before.size() == 1);
  CHECK(sess[0].session_id == "9f2c4e7a1b3d5f60");
  CHECK(sess[0].resume_gateway_url == "wss://gateway-us-east1-b.discord.gg");
  CHECK(sess[0].sequence == 23);
  CHECK(sess[0].shard_count == 1);
  CHECK(sess[0].user_id == kBot);
  CHECK(str((*got(rig.c().get_guild(S(kLab))))->name()) == "Snowcache Laboratory");

  // A RESUME replaying everything after READY: all duplicates, nothing changes.
  auto frames = frames_of(fixture_path("guild_life.ndjson"));
  auto results = feed(*rig.gw, frames, 1, frames.size());
  for (const auto& r : results) CHECK(r.outcome == Outcome::kDuplicate);
  CHECK(census(rig.c()) == before);
}

TEST_CASE("a disk cache closed mid-stream resumes where it stopped") {
  TempDir dir;
  auto frames = frames_of(fixture_path("guild_life.ndjson"));
  {
    Rig rig(disk_cache(dir.str()));
    feed(*rig.gw, frames, 0, 12);
    CHECK(rig.sequence() == 12);
  }
  Rig rig(disk_cache(dir.str()));
  CHECK(rig.sequence() == 12);
  auto results = feed(*rig.gw, frames, 1, frames.size());  // the stream again, from after READY
  std::size_t dup = 0, applied = 0;
  for (const auto& r : results) (r.outcome == Outcome::kDuplicate ? dup : applied)++;
  CHECK(dup == 11);
  CHECK(applied == 11);

  auto whole = ok(cache_from_fixture(fixture_path("guild_life.ndjson")));
  CHECK(census(rig.c()) == census(*whole));
  CHECK(ids(rig.c().get_members_view_for_guild(S(kLab))) == ids(whole->get_members_view_for_guild(S(kLab))));
  CHECK(member_count(rig.c(), kLab) == member_count(*whole, kLab));
}

TEST_CASE("READY always applies and resets the sequence") {
  Rig rig;
  auto frames = frames_of(fixture_path("resume_replay.ndjson"));
  feed(*rig.gw, frames, 0, 5);  // READY .. s=5
  REQUIRE(rig.sequence() == 5);
  // A new session: its READY has s=1, below the stored 5.
  auto r = rig.raw(frame("READY", 1,
                         R"({"v":10,"user":{"id":"815916279914430464","username":"snowbot","bot":true},)"
                         R"("guilds":[{"id":"854291645464707072","unavailable":true}],"session_id":"fresh0000000002",)"
                         R"("resume_gateway_url":"wss://gateway-us-east1-c.discord.gg","shard":[0,1]})"));
  REQUIRE_APPLIED(r);
  auto s = ok(session(rig.c(), 0));
  REQUIRE(s);
  CHECK(s->sequence == 1);
  CHECK(s->session_id == "fresh0000000002");
  CHECK(s->resume_gateway_url == "wss://gateway-us-east1-c.discord.gg");
  // s=2 of the new session is not a duplicate of the old session's s=2.
  REQUIRE_APPLIED(rig.raw(frame("GUILD_MEMBER_ADD", 2,
                                R"({"guild_id":"854291645464707072","user":{"id":"771643434439147520","username":"erin"},)"
                                R"("roles":[],"joined_at":null})")));
  CHECK(has_member(rig.c(), kLab, kErin));
  CHECK(rig.sequence() == 2);
}

TEST_CASE("a dispatch with a null s applies without moving the sequence") {
  Rig rig;
  auto frames = frames_of(fixture_path("resume_replay.ndjson"));
  feed(*rig.gw, frames, 0, 5);
  REQUIRE(rig.sequence() == 5);
  auto r = rig.raw(frame("GUILD_MEMBER_ADD", std::nullopt,
                         R"({"guild_id":"854291645464707072","user":{"id":"771643434439147520","username":"erin"},)"
                         R"("roles":[],"joined_at":null})"));
  REQUIRE_APPLIED(r);
  CHECK_FALSE(r.sequence.has_value());
  CHECK(has_member(rig.c(), kLab, kErin));
  CHECK(rig.sequence() == 5);
  // Also in the split form.
  REQUIRE_APPLIED(rig.gw->ingest(0, "GUILD_MEMBER_REMOVE", std::nullopt,
                                 R"({"guild_id":"854291645464707072","user":{"id":"771643434439147520"}})"));
  CHECK_FALSE(has_member(rig.c(), kLab, kErin));
  CHECK(rig.sequence() == 5);
  // The next numbered dispatch still applies.
  REQUIRE_APPLIED(rig.raw(frame("MESSAGE_DELETE", 6, R"({"id":"1124640793559171072","channel_id":"854291653853315072"})")));
  CHECK(rig.sequence() == 6);
}

// ---------------------------------------------------------------------------
// streams/docs-examples.ndjson (copied into tests/fixtures; Discord API
// Documentation, Discord Inc., CC BY-SA 4.0): the state after s=33 is what
// its README says.
constexpr std::uint64_t kDocsGuild = 41771983423143937;
constexpr std::uint64_t kDocsOther = 197038439483310086;
constexpr std::uint64_t kDocsCategory = 399942396007890945;
constexpr std::uint64_t kDocsGeneral = 41771983423143937;  // same id as the guild
constexpr std::uint64_t kDocsVoice = 155101607195836416;
constexpr std::uint64_t kDocsNews = 281283303326089216;
constexpr std::uint64_t kDocsIlluminati = 165176875973476352;
constexpr std::uint64_t kDocsT1 = 831312897685585920;
constexpr std::uint64_t kDocsT2 = 831312897689780224;
constexpr std::uint64_t kDocsRole = 41771983423143936;
constexpr std::uint64_t kDocsRole2 = 785609923542777878;
constexpr std::uint64_t kDocsM1 = 53908099506183680;
constexpr std::uint64_t kDocsNelly = 80351110224678912;
constexpr std::uint64_t kDocsM3 = 53908232506183680;
constexpr std::uint64_t kDocsIan = 167348773423415296;
constexpr std::uint64_t kDocsLuigi = 96008815106887111;
constexpr std::uint64_t kDocsLul = 41771983429993937;
constexpr std::uint64_t kDocsParrot = 393564762228785161;

TEST_CASE("docs-examples.ndjson: after s=33 the cache holds exactly the README's state; after s=34 nothing of the guild") {
  Rig rig;
  Player p(rig, "docs-examples.ndjson");
  p.through(33);
  const Cache& c = rig.c();
  CHECK(rig.sequence() == 33);

  auto g = got(c.get_available_guild(S(kDocsGuild)));
  REQUIRE(g);
  CHECK(str((*g)->name()) == "Discord Testers");
  CHECK((*g)->member_count() == 3);
  CHECK_FALSE((*g)->large());
  CHECK(str((*g)->joined_at()) == "2015-04-26T06:26:56.936000+00:00");
  CHECK((*g)->owner_id() == kDocsM3);
  REQUIRE((*g)->incidents_data());
  CHECK(str((*g)->incidents_data()->invites_disabled_until()) == "2023-09-01T14:48:02.222000+00:00");
  CHECK(ids(c.get_guilds_view()) == Ids{kDocsGuild});  // the outage guild of READY was never created
  CHECK_FALSE(got(c.get_guild(S(kDocsOther))).has_value());

  // 4 channels, in client order; "general" is now an announcement channel "important-news".
  CHECK(ids(c.get_guild_channels_view_for_guild(S(kDocsGuild))) ==
        Ids{kDocsVoice, kDocsCategory, kDocsGeneral, kDocsNews});
  auto general = got(c.get_guild_channel(S(kDocsGeneral)));
  REQUIRE(general);
  CHECK(str((*general)->name()) == "important-news");
  CHECK((*general)->type() == 5);
  CHECK_FALSE(got(c.get_guild_channel(S(kDocsIlluminati))).has_value());
  CHECK(ids(c.get_threads_view()) == Ids{kDocsT1});
  CHECK_FALSE(got(c.get_thread(S(kDocsT2))).has_value());
  CHECK(ids(c.get_roles_view_for_guild(S(kDocsGuild))) == Ids{kDocsRole, kDocsGuild});
  CHECK((*got(c.get_role(S(kDocsRole))))->mentionable());
  CHECK_FALSE(got(c.get_role(S(kDocsRole2))).has_value());
  CHECK(ids(c.get_emojis_view_for_guild(S(kDocsGuild))) == Ids{kDocsLul, kDocsParrot});
  CHECK(c.get_stickers_view().empty());
  CHECK(c.get_invites_view().empty());

  CHECK(ids(c.get_members_view_for_guild(S(kDocsGuild))) == Ids{kDocsM1, kDocsM3, kDocsNelly});
  CHECK_FALSE(has_member(c, kDocsGuild, kDocsIan));
  auto m3 = got(c.get_member(S(kDocsGuild), S(kDocsM3)));
  REQUIRE(m3);
  CHECK(role_ids(**m3) == Ids{kDocsRole, kDocsGuild});
  CHECK(ids(c.get_presences_view_for_guild(S(kDocsGuild))) == Ids{kDocsM1, kDocsM3});
  auto m1p = got(c.get_presence(S(kDocsGuild), S(kDocsM1)));
  REQUIRE(m1p);
  REQUIRE((*m1p)->activities());
  REQUIRE((*m1p)->activities()->size() == 1);
  CHECK((*m1p)->activities()->Get(0)->type() == 1);  // streaming
  CHECK(str((*m1p)->activities()->Get(0)->name()) == "Twitch");
  CHECK(str((*m1p)->activities()->Get(0)->url()) == "https://www.twitch.tv/discord");
  CHECK(str((*got(c.get_presence(S(kDocsGuild), S(kDocsM3))))->status()) == "dnd");
  CHECK(c.get_voice_states_view().empty());
  CHECK(c.get_messages_view().empty());
  // Users: the three members and LUL's creator; ian, the invite's users and the message authors are gone.
  CHECK(ids(c.get_users_view()) == Ids{kDocsM1, kDocsM3, kDocsNelly, kDocsLuigi});
  auto me = got(c.get_me());
  REQUIRE(me);
  CHECK((*me)->id() == kDocsNelly);
  CHECK(str((*me)->global_name()) == "Nelly");

  p.through(34);
  check_guild_gone(c, kDocsGuild);
  CHECK(c.get_guilds_view().empty());
  CHECK(c.get_guild_channels_view().empty());
  CHECK(c.get_threads_view().empty());
  CHECK(c.get_roles_view().empty());
  CHECK(c.get_emojis_view().empty());
  CHECK(c.get_members_view().empty());
  CHECK(c.get_presences_view().empty());
  CHECK(c.get_users_view().empty());
  CHECK(got(c.get_me()).has_value());
  CHECK(rig.sequence() == 34);
}

TEST_CASE("docs-examples.ndjson through cache_from_fixture: 34 frames, one ignored (VOICE_SERVER_UPDATE)") {
  FixtureReport rep;
  auto cache = ok(cache_from_fixture(fixture_path("docs-examples.ndjson"), {}, &rep));
  CHECK(rep.applied == 33);
  CHECK(rep.ignored == 1);
  CHECK(rep.rejected == 0);
  CHECK(cache->get_guilds_view().empty());
  (void)kBob;
  (void)kLounge;
  (void)kDave;
}

}  // namespace

// --- the member-list sweep (semantics.md R5), edge cases ----------------------
namespace sweep {

constexpr std::uint64_t kG = 882999608979095552;  // Rust & Rockets
constexpr std::uint64_t kVoice = 882999612670083072;

std::string member(std::uint64_t u) {
  return R"({"user":{"id":")" + std::to_string(u) + R"(","username":"u)" + std::to_string(u % 1000) +
         R"("},"roles":[],"joined_at":null})";
}
std::string presence(std::uint64_t u) {
  return R"({"user":{"id":")" + std::to_string(u) + R"("},"status":"online","activities":[]})";
}
std::string list(const std::vector<std::string>& items) {
  std::string out = "[";
  for (std::size_t i = 0; i < items.size(); ++i) out += (i ? "," : "") + items[i];
  return out + "]";
}
std::string members_of(std::initializer_list<std::uint64_t> us) {
  std::vector<std::string> v;
  for (auto u : us) v.push_back(member(u));
  return list(v);
}
std::string presences_of(std::initializer_list<std::uint64_t> us) {
  std::vector<std::string> v;
  for (auto u : us) v.push_back(presence(u));
  return list(v);
}
std::string guild_create(bool large, int member_count, const std::string& members, const std::string& presences,
                         const std::string& voice_states = "[]") {
  return R"({"id":"882999608979095552","name":"Rust & Rockets","owner_id":"666960460460982272","large":)" +
         std::string(large ? "true" : "false") + R"(,"member_count":)" + std::to_string(member_count) +
         R"(,"unavailable":false,"channels":[{"id":"882999612670083072","type":2,"name":"hangar",)"
         R"("guild_id":"882999608979095552","position":0}],"threads":[],"roles":[],"emojis":[],"stickers":[],)"
         R"("voice_states":)" + voice_states + R"(,"members":)" + members + R"(,"presences":)" + presences + "}";
}
std::string chunk(int index, int count, const std::string& members, const std::string& nonce = "n1",
                  const std::string& presences = "[]", const std::string& not_found = "[]") {
  return R"({"guild_id":"882999608979095552","chunk_index":)" + std::to_string(index) + R"(,"chunk_count":)" +
         std::to_string(count) + R"(,"nonce":")" + nonce + R"(","members":)" + members +
         R"(,"presences":)" + presences + R"(,"not_found":)" + not_found + "}";
}

// READY, then GUILD_CREATE; then, before a new large GUILD_CREATE listing only
// the bot, alice..erin are known from an earlier full list.
void start(Rig& rig, int member_count = 6) {
  rig.apply("READY", R"({"v":10,"user":{"id":"815916279914430464","username":"snowbot","bot":true},)"
                     R"("guilds":[{"id":"882999608979095552","unavailable":true}],"session_id":"sweep0000000001",)"
                     R"("resume_gateway_url":"wss://gateway.discord.gg","shard":[0,1]})");
  rig.apply("GUILD_CREATE", guild_create(true, member_count, members_of({kBot}), presences_of({})));
  rig.apply("GUILD_MEMBERS_CHUNK", chunk(0, 1, members_of({kAlice, kBob, kCarol, kDave, kErin, kBot}), "first",
                                         presences_of({kAlice, kBob})));
  rig.apply("GUILD_CREATE", guild_create(true, member_count, members_of({kBot}), presences_of({kAlice})));
}

}  // namespace sweep

TEST_CASE("member sweep: chunks out of order and repeated count once; the sweep waits for the last one") {
  using namespace sweep;
  Rig rig;
  start(rig, 4);
  rig.apply("GUILD_MEMBERS_CHUNK", chunk(2, 3, members_of({kCarol})));
  rig.apply("GUILD_MEMBERS_CHUNK", chunk(0, 3, members_of({kAlice, kBot})));
  rig.apply("GUILD_MEMBERS_CHUNK", chunk(0, 3, members_of({kAlice, kBot})));  // resent: not 2 more
  CHECK(ids(rig.c().get_members_view_for_guild(S(kG))) == Ids{kAlice, kBob, kCarol, kDave, kErin, kBot});
  rig.apply("GUILD_MEMBERS_CHUNK", chunk(1, 3, members_of({kDave})));  // 4 members >= member_count 4
  CHECK(ids(rig.c().get_members_view_for_guild(S(kG))) == Ids{kAlice, kCarol, kDave, kBot});
  CHECK(ids(rig.c().get_presences_view_for_guild(S(kG))) == Ids{kAlice});  // written by the GUILD_CREATE
  CHECK_FALSE(has_user(rig.c(), kBob));
  CHECK_FALSE(has_user(rig.c(), kErin));
  CHECK(member_count(rig.c(), kG) == 4);  // the sweep leaves member_count alone
}

TEST_CASE("member sweep: a repeated chunk does not complete a list that is too short") {
  using namespace sweep;
  Rig rig;
  start(rig, 4);
  rig.apply("GUILD_MEMBERS_CHUNK", chunk(0, 2, members_of({kAlice, kBot, kCarol})));
  rig.apply("GUILD_MEMBERS_CHUNK", chunk(0, 2, members_of({kAlice, kBot, kCarol})));
  rig.apply("GUILD_MEMBERS_CHUNK", chunk(1, 2, "[]"));  // 3 members < 4: not a full list
  CHECK(ids(rig.c().get_members_view_for_guild(S(kG))) == Ids{kAlice, kBob, kCarol, kDave, kErin, kBot});
}

TEST_CASE("member sweep: a query's answer (not_found, or fewer than member_count) never sweeps") {
  using namespace sweep;
  Rig rig;
  start(rig, 2);
  rig.apply("GUILD_MEMBERS_CHUNK",
            chunk(0, 1, members_of({kAlice, kBot}), "q1", "[]", R"(["1234567890123456789"])"));
  CHECK(ids(rig.c().get_members_view_for_guild(S(kG))) == Ids{kAlice, kBob, kCarol, kDave, kErin, kBot});
  Rig rig2;
  start(rig2, 6);
  rig2.apply("GUILD_MEMBERS_CHUNK", chunk(0, 1, members_of({kAlice, kBot}), "q2"));
  CHECK(ids(rig2.c().get_members_view_for_guild(S(kG))) == Ids{kAlice, kBob, kCarol, kDave, kErin, kBot});
}

TEST_CASE("member sweep: members written since the GUILD_CREATE by an add, a message or a voice state stay") {
  using namespace sweep;
  Rig rig;
  start(rig, 2);
  // Since the GUILD_CREATE: dave joins (member_count 3), erin speaks with her member object, carol
  // joins voice (her voice state embeds her cached member).
  rig.apply("GUILD_MEMBER_ADD", R"({"guild_id":"882999608979095552","user":{"id":"729008626743771136",)"
                                R"("username":"dave"},"roles":[],"joined_at":null})");
  rig.apply("MESSAGE_CREATE", R"({"id":"1091678345625731072","channel_id":"882999612670083072",)"
                              R"("guild_id":"882999608979095552","author":{"id":"771643434439147520",)"
                              R"("username":"erin"},"member":{"roles":[],"joined_at":null},"content":"hi",)"
                              R"("mentions":[]})");
  rig.apply("VOICE_STATE_UPDATE", R"({"guild_id":"882999608979095552","channel_id":"882999612670083072",)"
                                  R"("user_id":"666960460460982272","session_id":"abc","deaf":false,"mute":false,)"
                                  R"("self_deaf":false,"self_mute":false,"self_video":false,"suppress":false,)"
                                  R"("request_to_speak_timestamp":null})");
  rig.apply("GUILD_MEMBERS_CHUNK", chunk(0, 1, members_of({kAlice, kBot, kBob})));  // 3 >= 3: complete
  CHECK(ids(rig.c().get_members_view_for_guild(S(kG))) == Ids{kAlice, kBob, kCarol, kDave, kErin, kBot});
  // The sweep did run: bob's presence (from the chunk before the GUILD_CREATE) is gone.
  CHECK(ids(rig.c().get_presences_view_for_guild(S(kG))) == Ids{kAlice});
}

TEST_CASE("member sweep: a swept member still held by a message is hidden, not lost") {
  using namespace sweep;
  Rig rig;
  rig.apply("READY", R"({"v":10,"user":{"id":"815916279914430464","username":"snowbot","bot":true},)"
                     R"("guilds":[],"session_id":"sweep0000000002","resume_gateway_url":"wss://g","shard":[0,1]})");
  std::string carol_voice = R"([{"channel_id":"882999612670083072","user_id":"666960460460982272",)"
                            R"("session_id":"abc","deaf":false,"mute":false,"self_deaf":false,"self_mute":false,)"
                            R"("self_video":false,"suppress":false,"request_to_speak_timestamp":null,)"
                            R"("member":)" + member(kCarol) + "}]";
  rig.apply("GUILD_CREATE", guild_create(true, 3, members_of({kBot, kCarol}), "[]", carol_voice));
  // A new GUILD_CREATE that lists her voice state but not her member: the voice state's member object
  // is a write, so a complete list without her keeps her.
  rig.apply("GUILD_CREATE", guild_create(true, 2, members_of({kBot}), "[]", carol_voice));
  rig.apply("GUILD_MEMBERS_CHUNK", chunk(0, 1, members_of({kBot, kAlice})));
  CHECK(has_member(rig.c(), kG, kCarol));
  rig.apply("MESSAGE_CREATE", R"({"id":"1091678345625731072","channel_id":"882999612670083072",)"
                              R"("guild_id":"882999608979095552","author":{"id":"666960460460982272",)"
                              R"("username":"carol"},"member":{"roles":[],"joined_at":null},"content":"bye",)"
                              R"("mentions":[]})");
  // Then one where she is neither listed nor in voice: her member is removed, but her message holds it.
  rig.apply("GUILD_CREATE", guild_create(true, 2, members_of({kBot}), "[]", "[]"));
  rig.apply("GUILD_MEMBERS_CHUNK", chunk(0, 1, members_of({kBot, kAlice}), "n2"));
  CHECK_FALSE(has_member(rig.c(), kG, kCarol));
  CHECK(ids(rig.c().get_members_view_for_guild(S(kG))) == Ids{kAlice, kBot});
  CHECK(has_user(rig.c(), kCarol));
  auto msg = got(rig.c().get_message(S(1091678345625731072)));
  REQUIRE(msg);
  CHECK((*msg)->member());
  // Deleting the message lets her go entirely.
  rig.apply("MESSAGE_DELETE", R"({"id":"1091678345625731072","channel_id":"882999612670083072",)"
                              R"("guild_id":"882999608979095552"})");
  CHECK_FALSE(has_user(rig.c(), kCarol));
}

TEST_CASE("member sweep: a large guild with nothing cached opens no window, so nothing is marked") {
  using namespace sweep;
  Rig rig;
  // How many sweep keys (window, marks, chunk progress) meta holds for the guild.
  auto sweep_keys = [&] {
    std::size_t n = 0;
    auto& store = *detail::Access::state(rig.c())->store;
    auto st = store.scan(detail::Cf::kMeta, keys::sweep_prefix(Snowflake(kG)), nullptr,
                         [&](std::string_view, std::string_view) { return ++n, Status(); });
    REQUIRE(st.ok());
    return n;
  };
  rig.apply("READY", R"({"v":10,"user":{"id":"815916279914430464","username":"snowbot","bot":true},)"
                     R"("guilds":[{"id":"882999608979095552","unavailable":true}],"session_id":"sweep0000000003",)"
                     R"("resume_gateway_url":"wss://gateway.discord.gg","shard":[0,1]})");
  // The first large GUILD_CREATE: nothing of the guild is cached, so a complete list could sweep
  // nothing; its members and presences, and the chunks', are written unmarked.
  rig.apply("GUILD_CREATE", guild_create(true, 3, members_of({kBot}), presences_of({kBot})));
  CHECK(sweep_keys() == 0);
  rig.apply("GUILD_MEMBERS_CHUNK", chunk(0, 2, members_of({kAlice, kBot}), "n1", presences_of({kAlice})));
  CHECK(sweep_keys() == 0);
  rig.apply("GUILD_MEMBERS_CHUNK", chunk(1, 2, members_of({kBob})));
  CHECK(ids(rig.c().get_members_view_for_guild(S(kG))) == Ids{kAlice, kBob, kBot});
  // The next one finds members cached: the window opens and what is written from then on is
  // marked, so the complete list that follows removes bob, whom it does not list.
  rig.apply("GUILD_CREATE", guild_create(true, 2, members_of({kBot}), presences_of({})));
  CHECK(sweep_keys() > 0);
  rig.apply("GUILD_MEMBERS_CHUNK", chunk(0, 1, members_of({kAlice, kBot}), "n2"));
  CHECK(ids(rig.c().get_members_view_for_guild(S(kG))) == Ids{kAlice, kBot});
  CHECK(ids(rig.c().get_presences_view_for_guild(S(kG))).empty());  // alice's presence was not re-sent
  CHECK(sweep_keys() == 0);  // the sweep closed the window
}

TEST_CASE("member sweep: a small guild's GUILD_CREATE is complete, so its chunks never sweep") {
  using namespace sweep;
  Rig rig;
  start(rig, 2);
  rig.apply("GUILD_CREATE", guild_create(false, 3, members_of({kBot, kAlice, kBob}), "[]"));
  rig.apply("GUILD_MEMBER_ADD", R"({"guild_id":"882999608979095552","user":{"id":"729008626743771136",)"
                                R"("username":"dave"},"roles":[],"joined_at":null})");
  rig.apply("GUILD_MEMBERS_CHUNK", chunk(0, 1, members_of({kBot, kAlice, kBob})));
  CHECK(ids(rig.c().get_members_view_for_guild(S(kG))) == Ids{kAlice, kBob, kDave, kBot});
}

TEST_CASE("member sweep: chunk progress survives a restart") {
  using namespace sweep;
  TempDir dir;
  {
    Rig rig(disk_cache(dir.str()));
    start(rig, 3);
    rig.apply("GUILD_MEMBERS_CHUNK", chunk(0, 2, members_of({kAlice, kBot})));
  }
  {
    Rig rig(disk_cache(dir.str()));
    rig.s = 5;
    rig.apply("GUILD_MEMBERS_CHUNK", chunk(1, 2, members_of({kCarol})));
    CHECK(ids(rig.c().get_members_view_for_guild(S(kG))) == Ids{kAlice, kCarol, kBot});
  }
}

TEST_CASE("member sweep: a chunk_index not below chunk_count, or a missing one, rejects the event whole") {
  using namespace sweep;
  Rig rig;
  start(rig, 3);
  Census before = census(rig.c());
  auto r = rig.send("GUILD_MEMBERS_CHUNK", chunk(3, 3, members_of({kDave})));
  CHECK(r.outcome == Outcome::kRejected);
  CHECK(r.status.message().find("chunk_index") != std::string::npos);
  --rig.s;
  r = rig.send("GUILD_MEMBERS_CHUNK", R"({"guild_id":"882999608979095552","chunk_count":1,"members":[]})");
  CHECK(r.outcome == Outcome::kRejected);
  CHECK(r.status.message().find("d.chunk_index: missing") != std::string::npos);
  CHECK(census(rig.c()) == before);
}
