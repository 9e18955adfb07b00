// Issue 14, "Exact state": every member and user object Discord sends is the
// newest (docs/SEMANTICS.md E1, E2), a reply's deleted parent is kept as
// Discord said it (E3), and voice states keep their members under
// only_my_member (E4). One test (or more) per dispatch that carries a member
// or user object; each ends with verify() clean.
#include <string>

#include "lab_frames.h"
#include "snowcache/dump.h"

namespace {

using namespace snowcache;
using namespace snowcache::testing;

constexpr std::uint64_t kMsg2 = 1091678597283971072;
constexpr std::uint64_t kMsg3 = 1091678848942211072;

std::vector<std::uint64_t> roles_of(const fb::Member& m) {
  std::vector<std::uint64_t> out;
  if (m.roles()) out.assign(m.roles()->begin(), m.roles()->end());
  return out;
}

// The member (listed) or fails.
Value<fb::Member> listed(const Cache& c, std::uint64_t guild, std::uint64_t user) {
  auto m = got(c.get_member(S(guild), S(user)));
  REQUIRE_MESSAGE(m, "member " << guild << "/" << user << " is not listed");
  return *m;
}

std::string username(const Cache& c, std::uint64_t user) {
  auto u = got(c.get_user(S(user)));
  REQUIRE_MESSAGE(u, "user " << user << " is not cached");
  return str((*u)->username());
}

// A guild message whose member object has `nick` and `roles` (a JSON array).
std::string message_with_member(std::uint64_t id, std::uint64_t author, const std::string& author_name,
                                const std::string& nick, const std::string& roles) {
  return R"({"id":")" + std::to_string(id) +
         R"(","channel_id":"854291653853315072","guild_id":"854291645464707072","author":{"id":")" +
         std::to_string(author) + R"(","username":")" + author_name + R"("},"member":{"nick":")" + nick +
         R"(","roles":)" + roles + R"(,"joined_at":"2021-06-15T09:30:01.000000+00:00","deaf":false,"mute":false},)"
         R"("content":"hi","timestamp":"2024-03-01T10:00:00.000000+00:00","tts":false,"mention_everyone":false,)"
         R"("mentions":[],"mention_roles":[],"attachments":[],"embeds":[],"pinned":false,"type":0})";
}

// bob's voice state in the Lounge (or leaving: channel null), with a member object of nick `nick`.
std::string bob_voice(const std::string& channel, const std::string& nick) {
  return R"({"guild_id":"854291645464707072","channel_id":)" + channel +
         R"(,"user_id":"614182047216435200","session_id":"c0ffee0002","deaf":false,"mute":false,)"
         R"("self_deaf":false,"self_mute":false,"self_video":false,"suppress":false,)"
         R"("member":{"user":{"id":"614182047216435200","username":"bob"},"nick":")" +
         nick + R"(","roles":[],"joined_at":"2022-01-01T00:00:00.000000+00:00","deaf":false,"mute":false}})";
}

}  // namespace

// --- E2: member objects ------------------------------------------------------

TEST_CASE("MESSAGE_CREATE: a member's role deleted, then a message's member object drops it") {
  Rig rig = lab();
  CHECK(roles_of(*listed(rig.c(), kLab, kAlice)) == std::vector<std::uint64_t>{kMods, kLab});
  // Discord sends no member update for a deleted role.
  rig.apply("GUILD_ROLE_DELETE", R"({"guild_id":"854291645464707072","role_id":"854291687407747072"})");
  CHECK(roles_of(*listed(rig.c(), kLab, kAlice)) == std::vector<std::uint64_t>{kMods, kLab});
  rig.apply("MESSAGE_CREATE", message_with_member(kMsg1, kAlice, "alice", "ally", "[]"));
  auto m = listed(rig.c(), kLab, kAlice);
  CHECK(roles_of(*m) == std::vector<std::uint64_t>{kLab});
  CHECK(str(m->nick()) == "ally");
  // The message shows the same record.
  auto msg = got(rig.c().get_message(S(kMsg1)));
  REQUIRE(msg);
  REQUIRE((*msg)->member());
  CHECK(str((*msg)->member()->nick()) == "ally");
  require_verifies(rig.c());
}

TEST_CASE("MESSAGE_CREATE: the newest member object wins everywhere, also for a hidden member") {
  Rig rig = lab();
  // dave is not listed: his member is known only through his messages.
  rig.apply("MESSAGE_CREATE", message_with_member(kMsg1, kDave, "dave", "c1", "[]"));
  rig.apply("MESSAGE_CREATE", message_with_member(kMsg2, kDave, "david", "c2", "[\"854291687407747072\"]"));
  CHECK_FALSE(has_member(rig.c(), kLab, kDave));  // still hidden (R3)
  for (std::uint64_t id : {kMsg1, kMsg2}) {
    auto msg = got(rig.c().get_message(S(id)));
    REQUIRE(msg);
    REQUIRE((*msg)->member());
    CHECK(str((*msg)->member()->nick()) == "c2");
    CHECK(roles_of(*(*msg)->member()) == std::vector<std::uint64_t>{kMods, kLab});
    CHECK(str((*msg)->author()->username()) == "david");
    CHECK(str((*msg)->member()->user()->username()) == "david");
  }
  require_verifies(rig.c());
  // When the messages go, so do the hidden member and its user.
  rig.apply("MESSAGE_DELETE_BULK", R"({"ids":["1091678345625731072","1091678597283971072"],)"
                                   R"("channel_id":"854291653853315072","guild_id":"854291645464707072"})");
  CHECK_FALSE(has_user(rig.c(), kDave));
  require_verifies(rig.c());
}

TEST_CASE("MESSAGE_CREATE with MESSAGES disabled refreshes a cached member and creates none") {
  Rig rig = lab(only(Components::kAll & ~Components::kMessages));
  rig.apply("MESSAGE_CREATE", message_with_member(kMsg1, kAlice, "alice", "ally", "[]"));
  CHECK(str(listed(rig.c(), kLab, kAlice)->nick()) == "ally");
  rig.apply("MESSAGE_CREATE", message_with_member(kMsg2, kDave, "dave", "c", "[]"));
  CHECK_FALSE(has_user(rig.c(), kDave));
  require_verifies(rig.c());
}

TEST_CASE("MESSAGE_UPDATE: its member and author objects refresh the records") {
  Rig rig = lab();
  rig.apply("MESSAGE_CREATE", message_with_member(kMsg1, kAlice, "alice", "ally", "[]"));
  rig.apply("MESSAGE_UPDATE",
            R"({"id":"1091678345625731072","channel_id":"854291653853315072","guild_id":"854291645464707072",)"
            R"("author":{"id":"576321040205086720","username":"alice2"},"member":{"nick":"edited","roles":[],)"
            R"("joined_at":"2021-06-15T09:30:01.000000+00:00"},"content":"v2"})");
  CHECK(str(listed(rig.c(), kLab, kAlice)->nick()) == "edited");
  CHECK(username(rig.c(), kAlice) == "alice2");
  auto msg = got(rig.c().get_message(S(kMsg1)));
  REQUIRE(msg);
  CHECK(str((*msg)->content()) == "v2");
  CHECK(str((*msg)->member()->nick()) == "edited");
  // An update of a message that is not cached still refreshes cached records.
  rig.apply("MESSAGE_UPDATE",
            R"({"id":"1091678848942211072","channel_id":"854291653853315072","guild_id":"854291645464707072",)"
            R"("author":{"id":"614182047216435200","username":"bob"},"member":{"nick":"bobby2","roles":[],)"
            R"("joined_at":"2022-01-01T00:00:00.000000+00:00"},"content":"x"})");
  CHECK(str(listed(rig.c(), kLab, kBob)->nick()) == "bobby2");
  CHECK_FALSE(got(rig.c().get_message(S(kMsg3))));
  require_verifies(rig.c());
}

TEST_CASE("VOICE_STATE_UPDATE: joining, moving and leaving voice refresh the member") {
  Rig rig = lab();
  CHECK(str(listed(rig.c(), kLab, kBob)->nick()) == "bobby");
  rig.apply("VOICE_STATE_UPDATE", bob_voice(R"("854291662241923072")", "bob in voice"));
  CHECK(str(listed(rig.c(), kLab, kBob)->nick()) == "bob in voice");
  auto vs = got(rig.c().get_voice_state(S(kLab), S(kBob)));
  REQUIRE(vs);
  CHECK(str((*vs)->member()->nick()) == "bob in voice");
  // A member update is seen through the voice state too.
  rig.apply("GUILD_MEMBER_UPDATE", R"({"guild_id":"854291645464707072","user":{"id":"614182047216435200",)"
                                   R"("username":"bob"},"nick":"renamed","roles":[],"joined_at":null})");
  vs = got(rig.c().get_voice_state(S(kLab), S(kBob)));
  REQUIRE(vs);
  CHECK(str((*vs)->member()->nick()) == "renamed");
  rig.apply("VOICE_STATE_UPDATE", bob_voice("null", "left voice"));
  CHECK_FALSE(got(rig.c().get_voice_state(S(kLab), S(kBob))));
  CHECK(str(listed(rig.c(), kLab, kBob)->nick()) == "left voice");
  require_verifies(rig.c());
}

TEST_CASE("THREAD_MEMBERS_UPDATE: an added member's member object refreshes a cached member") {
  Rig rig = lab();
  rig.apply("THREAD_MEMBERS_UPDATE",
            R"({"id":"1066009205145731072","guild_id":"854291645464707072","member_count":2,"added_members":[)"
            R"({"id":"1066009205145731072","user_id":"576321040205086720","join_timestamp":"2024-03-01T10:00:00.000000+00:00",)"
            R"("flags":0,"member":{"user":{"id":"576321040205086720","username":"alice"},"nick":"thread ally",)"
            R"("roles":[],"joined_at":"2021-06-15T09:30:01.000000+00:00"}},)"
            R"({"id":"1066009205145731072","user_id":"729008626743771136","join_timestamp":"2024-03-01T10:00:00.000000+00:00",)"
            R"("flags":0,"member":{"user":{"id":"729008626743771136","username":"dave"},"roles":[],"joined_at":null}}]})");
  CHECK(str(listed(rig.c(), kLab, kAlice)->nick()) == "thread ally");
  // dave is not cached: nothing creates him.
  CHECK_FALSE(has_member(rig.c(), kLab, kDave));
  CHECK_FALSE(has_user(rig.c(), kDave));
  require_verifies(rig.c());
}

TEST_CASE("TYPING_START, MESSAGE_REACTION_ADD, INTERACTION_CREATE: a member object refreshes a cached member") {
  Rig rig = lab();
  rig.apply("TYPING_START",
            R"({"channel_id":"854291653853315072","guild_id":"854291645464707072","user_id":"576321040205086720",)"
            R"("timestamp":1709287200,"member":{"user":{"id":"576321040205086720","username":"alice"},"nick":"typing",)"
            R"("roles":[],"joined_at":null}})");
  CHECK(str(listed(rig.c(), kLab, kAlice)->nick()) == "typing");
  rig.apply("MESSAGE_REACTION_ADD",
            R"({"user_id":"614182047216435200","channel_id":"854291653853315072","message_id":"1091678345625731072",)"
            R"("guild_id":"854291645464707072","emoji":{"id":null,"name":"x"},"member":{"user":{"id":"614182047216435200",)"
            R"("username":"bob"},"nick":"reacting","roles":[],"joined_at":null}})");
  CHECK(str(listed(rig.c(), kLab, kBob)->nick()) == "reacting");
  rig.apply("INTERACTION_CREATE",
            R"({"id":"1","application_id":"815916279914430464","type":2,"guild_id":"854291645464707072",)"
            R"("channel_id":"854291653853315072","member":{"user":{"id":"576321040205086720","username":"alice3"},)"
            R"("nick":"interacting","roles":[],"joined_at":null,"permissions":"8"},"token":"t","version":1})");
  CHECK(str(listed(rig.c(), kLab, kAlice)->nick()) == "interacting");
  CHECK(username(rig.c(), kAlice) == "alice3");
  // An uncached member is not created by any of them.
  rig.apply("TYPING_START",
            R"({"channel_id":"854291653853315072","guild_id":"854291645464707072","user_id":"729008626743771136",)"
            R"("timestamp":1709287200,"member":{"user":{"id":"729008626743771136","username":"dave"},"roles":[],"joined_at":null}})");
  CHECK_FALSE(has_user(rig.c(), kDave));
  require_verifies(rig.c());
}

TEST_CASE("a member refreshed by a holder's member object survives the member-list sweep") {
  Rig rig;
  rig.apply("READY", kReady);
  std::string large = kLabCreate;
  large.replace(large.find(R"("large":false)"), 13, R"("large":true)");
  rig.apply("GUILD_CREATE", large);
  rig.apply("GUILD_CREATE", large);  // again: the sweep window opens (members cached before)
  // alice is refreshed by a message; bob and the bot are not listed again.
  rig.apply("MESSAGE_CREATE", message_with_member(kMsg1, kAlice, "alice", "ally", "[]"));
  rig.apply("GUILD_MEMBERS_CHUNK",
            R"({"guild_id":"854291645464707072","chunk_index":0,"chunk_count":1,"nonce":"n",)"
            R"("members":[{"user":{"id":"815916279914430464","username":"snowbot"},"roles":[],"joined_at":null},)"
            R"({"user":{"id":"666960460460982272","username":"carol"},"roles":[],"joined_at":null},)"
            R"({"user":{"id":"729008626743771136","username":"dave"},"roles":[],"joined_at":null}]})");
  CHECK(has_member(rig.c(), kLab, kAlice));  // written since the GUILD_CREATE
  require_verifies(rig.c());
}

// --- E1: user objects --------------------------------------------------------

TEST_CASE("a user renamed in one payload reads renamed everywhere it appears") {
  Rig rig = lab();
  rig.apply("GUILD_CREATE", kRocketsCreate);
  rig.apply("INVITE_CREATE", R"({"code":"abc","guild_id":"854291645464707072","channel_id":"854291653853315072",)"
                             R"("inviter":{"id":"576321040205086720","username":"alice"},"uses":0,"max_uses":0,)"
                             R"("max_age":0,"temporary":false,"created_at":"2024-03-01T10:00:00.000000+00:00"})");
  // A message author object with a new username: alice in both guilds, the
  // sticker she created, the invite she made, the message.
  rig.apply("MESSAGE_CREATE", guild_message(kMsg1, kGeneral, kAlice, "hi"));  // author "u720"
  CHECK(username(rig.c(), kAlice) == "u720");
  CHECK(str(listed(rig.c(), kLab, kAlice)->user()->username()) == "u720");
  CHECK(str(listed(rig.c(), kRockets, kAlice)->user()->username()) == "u720");
  auto sticker = got(rig.c().get_sticker(S(kWaveSticker)));
  REQUIRE(sticker);
  CHECK(str((*sticker)->user()->username()) == "u720");
  auto invite = got(rig.c().get_invite("abc"));
  REQUIRE(invite);
  CHECK(str((*invite)->inviter()->username()) == "u720");
  // Views show the same.
  for (const auto& [id, m] : rig.c().get_members_view_for_guild(S(kRockets))) {
    if (id == S(kAlice)) CHECK(str(m->user()->username()) == "u720");
  }
  require_verifies(rig.c());
}

TEST_CASE("PRESENCE_UPDATE: a partial user's fields go over the cached user's; no user is created") {
  Rig rig = lab();
  CHECK(username(rig.c(), kAlice) == "alice");
  rig.apply("PRESENCE_UPDATE", R"({"guild_id":"854291645464707072","user":{"id":"576321040205086720",)"
                               R"("username":"alicia","avatar":"a1"},"status":"online","activities":[]})");
  auto u = got(rig.c().get_user(S(kAlice)));
  REQUIRE(u);
  CHECK(str((*u)->username()) == "alicia");
  CHECK(str((*u)->avatar()) == "a1");
  CHECK(str((*u)->global_name()) == "Alice");  // absent from the partial user: kept
  rig.apply("PRESENCE_UPDATE", R"({"guild_id":"854291645464707072","user":{"id":"729008626743771136",)"
                               R"("username":"dave"},"status":"online","activities":[]})");
  CHECK_FALSE(has_user(rig.c(), kDave));
  require_verifies(rig.c());
}

TEST_CASE("GUILD_MEMBER_REMOVE, GUILD_BAN_ADD and USER_UPDATE refresh a cached user") {
  Rig rig = lab();
  // bob stays cached after his removal: his voice state holds his member.
  rig.apply("GUILD_MEMBER_REMOVE", R"({"guild_id":"854291645464707072","user":{"id":"614182047216435200",)"
                                   R"("username":"bobby_leaving"}})");
  CHECK(username(rig.c(), kBob) == "bobby_leaving");
  rig.apply("GUILD_BAN_ADD", R"({"guild_id":"854291645464707072","user":{"id":"614182047216435200",)"
                             R"("username":"bob_banned"}})");
  CHECK(username(rig.c(), kBob) == "bob_banned");
  rig.apply("USER_UPDATE", R"({"id":"815916279914430464","username":"snowbot2","discriminator":"0",)"
                           R"("bot":true,"mfa_enabled":false,"flags":0})");
  CHECK(username(rig.c(), kBot) == "snowbot2");
  CHECK(str(listed(rig.c(), kLab, kBot)->user()->username()) == "snowbot2");
  // A ban of someone not cached creates nothing.
  rig.apply("GUILD_BAN_ADD", R"({"guild_id":"854291645464707072","user":{"id":"729008626743771136","username":"d"}})");
  CHECK_FALSE(has_user(rig.c(), kDave));
  require_verifies(rig.c());
}

TEST_CASE("the API: a user object with nothing but its id changes no user") {
  auto c = memory_cache();
  ok(c->set_member(member(1, 7)));  // user 7 named "user7"
  fb::EmojiT e = emoji(10, 1);
  e.user = std::make_unique<fb::UserT>();
  e.user->id = 7;  // a reference
  ok(c->set_emoji(e));
  CHECK(username(*c, 7) == "user7");
  auto got_emoji = got(c->get_emoji(S(10)));
  REQUIRE(got_emoji);
  CHECK(str((*got_emoji)->user()->username()) == "user7");
  require_verifies(*c);
}

// --- E3: a reply whose parent was deleted -------------------------------------

namespace {

std::string reply(std::uint64_t id, const std::string& referenced) {
  return R"({"id":")" + std::to_string(id) +
         R"(","channel_id":"854291653853315072","guild_id":"854291645464707072",)"
         R"("author":{"id":"576321040205086720","username":"alice"},"content":"re","timestamp":"2024-03-01T10:00:00.000000+00:00",)"
         R"("tts":false,"mention_everyone":false,"mentions":[],"mention_roles":[],"attachments":[],"embeds":[],)"
         R"("pinned":false,"type":19,"message_reference":{"type":0,"message_id":"1091678345625731072",)"
         R"("channel_id":"854291653853315072","guild_id":"854291645464707072"})" +
         (referenced.empty() ? std::string() : ",\"referenced_message\":" + referenced) + "}";
}

std::string message_json(const Cache& c, std::uint64_t id) {
  auto j = entity_json(c, "message", {std::to_string(id)}, false);
  REQUIRE_MESSAGE(j.ok(), j.status().to_string());
  REQUIRE(*j);
  return **j;
}

}  // namespace

TEST_CASE("a reply with \"referenced_message\": null keeps the null through create, update, reopen and dump") {
  TempDir dir;
  Rig rig(disk_cache(dir.str()));
  rig.apply("READY", kReady);
  rig.apply("GUILD_CREATE", kLabCreate);
  rig.apply("MESSAGE_CREATE", reply(kMsg2, "null"));
  rig.apply("MESSAGE_CREATE", reply(kMsg3, ""));  // a reply without the field: not known deleted
  auto check = [&](const Cache& c) {
    auto deleted = got(c.get_message(S(kMsg2)));
    REQUIRE(deleted);
    CHECK((*deleted)->referenced_message_deleted());
    CHECK_FALSE((*deleted)->referenced_message());
    REQUIRE((*deleted)->message_reference());
    CHECK((*deleted)->message_reference()->message_id() == kMsg1);
    CHECK(message_json(c, kMsg2).find(R"("referenced_message": null)") != std::string::npos);
    auto plain = got(c.get_message(S(kMsg3)));
    REQUIRE(plain);
    CHECK_FALSE((*plain)->referenced_message_deleted());
    CHECK(message_json(c, kMsg3).find("referenced_message") == std::string::npos);
  };
  check(rig.c());
  // An update (Discord resends the reply's fields) changes content, not that.
  rig.apply("MESSAGE_UPDATE", R"({"id":"1091678597283971072","channel_id":"854291653853315072",)"
                              R"("guild_id":"854291645464707072","content":"edited","referenced_message":null})");
  check(rig.c());
  std::vector<std::string> before;
  ok(dump(rig.c(), {}, [&](std::string_view l) { before.emplace_back(l); }));
  rig.gw.reset();
  reopen(rig.cache, dir);
  check(*rig.cache);
  std::vector<std::string> after;
  ok(dump(*rig.cache, {}, [&](std::string_view l) { after.emplace_back(l); }));
  CHECK(after == before);
  require_verifies(*rig.cache);
}

TEST_CASE("a reply whose parent exists keeps the parent as Discord embedded it") {
  Rig rig = lab();
  rig.apply("MESSAGE_CREATE", reply(kMsg2, guild_message(kMsg1, kGeneral, kBob, "parent")));
  auto m = got(rig.c().get_message(S(kMsg2)));
  REQUIRE(m);
  CHECK_FALSE((*m)->referenced_message_deleted());
  REQUIRE((*m)->referenced_message());
  CHECK(str((*m)->referenced_message()->content()) == "parent");
  CHECK_FALSE(got(rig.c().get_message(S(kMsg1))));  // no side store for parents (R3)
  require_verifies(rig.c());
}

// --- E4: voice states and only_my_member --------------------------------------

TEST_CASE("only_my_member: a voice state keeps its member (hidden) and user, and releases them when it goes") {
  Settings s;
  s.only_my_member = true;
  Rig rig = lab(s);
  CHECK(ids(rig.c().get_members_view_for_guild(S(kLab))) == Ids{kBot});
  auto vs = got(rig.c().get_voice_state(S(kLab), S(kBob)));
  REQUIRE(vs);
  REQUIRE((*vs)->member());
  CHECK(str((*vs)->member()->nick()) == "bobby");
  CHECK(str((*vs)->member()->user()->username()) == "bob");
  CHECK(has_user(rig.c(), kBob));
  CHECK_FALSE(has_member(rig.c(), kLab, kBob));
  require_verifies(rig.c());
  // A VOICE_STATE_UPDATE of someone new keeps its member the same way.
  rig.apply("VOICE_STATE_UPDATE",
            R"({"guild_id":"854291645464707072","channel_id":"854291662241923072","user_id":"666960460460982272",)"
            R"("session_id":"s","deaf":false,"mute":false,"self_deaf":false,"self_mute":false,"self_video":false,)"
            R"("suppress":false,"member":{"user":{"id":"666960460460982272","username":"carol"},"nick":"caz",)"
            R"("roles":[],"joined_at":null}})");
  auto carol = got(rig.c().get_voice_state(S(kLab), S(kCarol)));
  REQUIRE(carol);
  CHECK(str((*carol)->member()->nick()) == "caz");
  CHECK_FALSE(has_member(rig.c(), kLab, kCarol));
  // Leaving voice releases the member and its user (nothing else holds them).
  rig.apply("VOICE_STATE_UPDATE", bob_voice("null", "gone"));
  CHECK_FALSE(has_user(rig.c(), kBob));
  require_verifies(rig.c());
}

// --- bad input ----------------------------------------------------------------

TEST_CASE("a member object of another guild or user rejects the whole event") {
  Rig rig = lab();
  const Census before = census(rig.c());
  SUBCASE("a message's member of another guild") {
    std::string m = message_with_member(kMsg1, kAlice, "alice", "x", "[]");
    m.replace(m.find(R"("member":{)"), 10, R"("member":{"guild_id":"882999608979095552",)");
    REQUIRE_OUTCOME(rig.send("MESSAGE_CREATE", m), Outcome::kRejected);
  }
  SUBCASE("a message's member whose user is not the author") {
    std::string m = message_with_member(kMsg1, kAlice, "alice", "x", "[]");
    m.replace(m.find(R"("member":{)"), 10, R"("member":{"user":{"id":"614182047216435200","username":"bob"},)");
    REQUIRE_OUTCOME(rig.send("MESSAGE_CREATE", m), Outcome::kRejected);
  }
  SUBCASE("a voice state's member of another user") {
    std::string v = bob_voice(R"("854291662241923072")", "x");
    v.replace(v.find(R"("user":{"id":"614182047216435200")"), 33, R"("user":{"id":"576321040205086720")");
    REQUIRE_OUTCOME(rig.send("VOICE_STATE_UPDATE", v), Outcome::kRejected);
  }
  SUBCASE("a message's member with a malformed role id") {
    REQUIRE_OUTCOME(rig.send("MESSAGE_CREATE", message_with_member(kMsg1, kAlice, "alice", "x", "[\"role\"]")),
                    Outcome::kRejected);
  }
  SUBCASE("a thread member's member of another guild") {
    REQUIRE_OUTCOME(
        rig.send("THREAD_MEMBERS_UPDATE",
                 R"({"id":"1066009205145731072","guild_id":"854291645464707072","member_count":1,"added_members":[)"
                 R"({"id":"1066009205145731072","user_id":"576321040205086720","join_timestamp":"2024-03-01T10:00:00Z",)"
                 R"("flags":0,"member":{"guild_id":"882999608979095552","user":{"id":"576321040205086720",)"
                 R"("username":"alice"},"nick":"x","roles":[],"joined_at":null}}]})"),
        Outcome::kRejected);
  }
  CHECK(census(rig.c()) == before);
  CHECK(str(listed(rig.c(), kLab, kAlice)->nick()) == "<null>");
  // The next event applies.
  rig.apply("MESSAGE_CREATE", message_with_member(kMsg1, kAlice, "alice", "ok", "[]"));
  CHECK(str(listed(rig.c(), kLab, kAlice)->nick()) == "ok");
  require_verifies(rig.c());
}
