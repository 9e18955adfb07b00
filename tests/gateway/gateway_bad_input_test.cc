// Bad gateway input (gateway.h "kRejected", semantics.md R5): every malformed
// frame is rejected whole with a status naming the event type, the sequence
// and the field at fault; nothing of it is written, the stored sequence does
// not move, and the next valid event applies. Control frames are ignored.
#include <chrono>
#include <string>

#include "gateway_support.h"

namespace {

using namespace snowcache;
using namespace snowcache::testing;


const std::string kReady =
    R"({"v":10,"user":{"id":"815916279914430464","username":"snowbot","bot":true,"mfa_enabled":false,"flags":0},)"
    R"("guilds":[{"id":"854291645464707072","unavailable":true}],"session_id":"9f2c4e7a1b3d5f60",)"
    R"("resume_gateway_url":"wss://gateway-us-east1-b.discord.gg","shard":[0,1]})";

// The Lab's GUILD_CREATE with the given members list.
std::string lab_create(const std::string& members) {
  return R"({"id":"854291645464707072","name":"Snowcache Lab","owner_id":"576321040205086720",)"
         R"("joined_at":"2021-06-15T09:31:00.000000+00:00","large":false,"member_count":3,)"
         R"("channels":[{"id":"854291653853315072","type":0,"name":"general","position":0}],"threads":[],)"
         R"("roles":[{"id":"854291645464707072","name":"@everyone","permissions":"104324673"}],)"
         R"("emojis":[],"stickers":[],"presences":[],"voice_states":[],"members":[)" +
         members + "]}";
}
const std::string kAliceMember =
    R"({"user":{"id":"576321040205086720","username":"alice"},"roles":[],"joined_at":"2021-06-15T09:30:01.000000+00:00"})";
const std::string kBobMember =
    R"({"user":{"id":"614182047216435200","username":"bob"},"roles":[],"joined_at":"2022-01-01T00:00:00.000000+00:00"})";

// By carol, who is in no list of the tests' guilds.
const std::string kValidMessage =
    R"({"id":"1091678345625731072","channel_id":"854291653853315072","guild_id":"854291645464707072",)"
    R"("author":{"id":"666960460460982272","username":"carol"},"content":"still alive","mentions":[]})";

// A rig after READY (s=1) and a valid GUILD_CREATE of the Lab (s=2), with
// alice and bob as members.
Rig lab() {
  Rig rig;
  rig.apply("READY", kReady);
  rig.apply("GUILD_CREATE", lab_create(kAliceMember + "," + kBobMember));
  return rig;
}

// Feeds `whole_frame` (its s should be 3), requires a rejection whose
// message contains each of `expect`, that nothing changed, and that a valid
// event with s=3 applies afterwards.
void check_rejected(Rig& rig, const std::string& whole_frame, std::initializer_list<std::string> expect) {
  Census before = census(rig.c());
  auto sess_before = ok(session(rig.c(), 0));
  auto r = rig.raw(whole_frame);
  INFO("frame: " << whole_frame.substr(0, 300));
  INFO("result: " << describe(r));
  REQUIRE(r.outcome == Outcome::kRejected);
  CHECK_FALSE(r.ok());
  CHECK(r.status.code() == Code::kInvalidArgument);
  for (const auto& e : expect) {
    INFO("expected in the message: " << e);
    CHECK(r.status.message().find(e) != std::string::npos);
  }
  CHECK(census(rig.c()) == before);
  auto sess_after = ok(session(rig.c(), 0));
  REQUIRE(sess_after.has_value() == sess_before.has_value());
  if (sess_after) {
    CHECK(sess_after->sequence == sess_before->sequence);
    CHECK(sess_after->session_id == sess_before->session_id);
  }
  // The next valid event (same s: the sequence did not move) applies.
  auto next = rig.raw(frame("MESSAGE_CREATE", 3, kValidMessage));
  REQUIRE_APPLIED(next);
  CHECK(got(rig.c().get_message(S(kMsg1))).has_value());
  CHECK(rig.sequence() == 3);
}

// ---------------------------------------------------------------------------
TEST_CASE("malformed JSON is rejected") {
  Rig rig = lab();
  SUBCASE("a truncated frame") {
    check_rejected(rig, R"({"op":0,"t":"GUILD_MEMBER_ADD","s":3,"d":{"guild_id":"854291645464707072","user":{"id":)",
                   {"GUILD_MEMBER_ADD", "s=3", "malformed JSON"});
  }
  SUBCASE("a value missing in a field the handler reads") {
    check_rejected(rig,
                   R"({"op":0,"t":"GUILD_MEMBER_ADD","s":3,"d":{"guild_id":"854291645464707072","nick":,)"
                   R"("user":{"id":"729008626743771136","username":"dave"},"roles":[],"joined_at":null}})",
                   {"GUILD_MEMBER_ADD", "s=3", "d.nick"});
  }
  SUBCASE("an unterminated string") {
    check_rejected(rig, R"({"op":0,"t":"MESSAGE_CREATE","s":3,"d":{"id":"1091678345625731072","content":"oops}})",
                   {"MESSAGE_CREATE", "s=3", "malformed JSON"});
  }
  SUBCASE("garbage in a part no handler reads (an unknown key of GUILD_CREATE)") {
    check_rejected(rig,
                   frame("GUILD_CREATE", 3,
                         R"({"id":"854291645464707072","name":"Lab 2","stage_instances":[{"id": tru}],)"
                         R"("channels":[],"members":[]})"),
                   {"GUILD_CREATE", "s=3", "malformed JSON"});
  }
  SUBCASE("garbage in an ignored dispatch") {
    check_rejected(rig, frame("TYPING_START", 3, R"({"channel_id":"854291653853315072","timestamp":17x})"),
                   {"TYPING_START", "s=3", "malformed JSON"});
  }
  SUBCASE("garbage in a frame-level key next to a valid d") {
    const std::string dave_joins =
        R"({"guild_id":"854291645464707072","user":{"id":"729008626743771136","username":"dave"},"roles":[]})";
    check_rejected(rig, frame("GUILD_MEMBER_ADD", 3, dave_joins).insert(1, R"("_trace":[tru],)"),
                   {"GUILD_MEMBER_ADD", "s=3", "malformed JSON"});
  }
  SUBCASE("a broken d before t and s (Discord's own key order puts d last)") {
    check_rejected(rig, R"({"d":{"id":"854291645464707072","name":"x"]},"t":"GUILD_UPDATE","s":3,"op":0})",
                   {"GUILD_UPDATE", "s=3", "malformed JSON"});
  }
  SUBCASE("not JSON at all") {
    check_rejected(rig, "hello, gateway", {"frame", "not a JSON object"});
  }
  SUBCASE("trailing garbage after the frame") {
    check_rejected(rig, frame("GUILD_MEMBER_ADD", 3, kAliceMember) + " {]", {"malformed JSON"});
  }
}

TEST_CASE("a missing required field is rejected; a GUILD_CREATE whose 3rd member is bad writes nothing") {
  Rig rig;
  rig.apply("READY", kReady);
  rig.apply("GUILD_MEMBER_ADD",  // something unrelated already cached
            R"({"guild_id":"882999608979095552","user":{"id":"729008626743771136","username":"dave"},"roles":[],"joined_at":null})");
  SUBCASE("3rd member without user") {
    check_rejected(rig,
                   frame("GUILD_CREATE", 3,
                         lab_create(kAliceMember + "," + kBobMember + R"(,{"roles":[],"joined_at":null,"nick":"ghost"})")),
                   {"GUILD_CREATE", "s=3", "d.members[2].user", "missing"});
  }
  SUBCASE("3rd member's user without id") {
    check_rejected(rig,
                   frame("GUILD_CREATE", 3,
                         lab_create(kAliceMember + "," + kBobMember + R"(,{"user":{"username":"ghost"},"roles":[]})")),
                   {"GUILD_CREATE", "s=3", "d.members[2].user.id", "missing"});
  }
  CHECK_FALSE(got(rig.c().get_guild(S(kLab))).has_value());
  CHECK(rig.c().get_members_view_for_guild(S(kLab)).empty());
  CHECK_FALSE(got(rig.c().get_user(S(kAlice))).has_value());
  CHECK_FALSE(got(rig.c().get_user(S(kBob))).has_value());
  CHECK(rig.c().get_guild_channels_view().empty());
}

TEST_CASE("missing required fields of other dispatches are rejected") {
  Rig rig = lab();
  SUBCASE("GUILD_MEMBER_ADD without guild_id") {
    check_rejected(rig, frame("GUILD_MEMBER_ADD", 3, kAliceMember), {"GUILD_MEMBER_ADD", "s=3", "d.guild_id", "missing"});
  }
  SUBCASE("MESSAGE_CREATE without id") {
    check_rejected(rig,
                   frame("MESSAGE_CREATE", 3,
                         R"({"channel_id":"854291653853315072","author":{"id":"576321040205086720","username":"alice"},"content":"x"})"),
                   {"MESSAGE_CREATE", "s=3", "d.id", "missing"});
  }
  SUBCASE("MESSAGE_CREATE without channel_id") {
    check_rejected(rig,
                   frame("MESSAGE_CREATE", 3,
                         R"({"id":"1091678345625731072","author":{"id":"576321040205086720","username":"alice"},"content":"x"})"),
                   {"MESSAGE_CREATE", "s=3", "d.channel_id", "missing"});
  }
  SUBCASE("GUILD_ROLE_CREATE without role") {
    check_rejected(rig, frame("GUILD_ROLE_CREATE", 3, R"({"guild_id":"854291645464707072"})"),
                   {"GUILD_ROLE_CREATE", "s=3", "d.role", "missing"});
  }
  SUBCASE("GUILD_DELETE without id") {
    check_rejected(rig, frame("GUILD_DELETE", 3, R"({"unavailable":false})"), {"GUILD_DELETE", "s=3", "d.id", "missing"});
  }
  SUBCASE("INVITE_CREATE without code") {
    check_rejected(rig, frame("INVITE_CREATE", 3, R"({"guild_id":"854291645464707072","channel_id":"854291653853315072"})"),
                   {"INVITE_CREATE", "s=3", "d.code", "missing"});
  }
  SUBCASE("READY without session_id") {
    check_rejected(rig,
                   frame("READY", 3, R"({"v":10,"user":{"id":"815916279914430464","username":"snowbot"},"guilds":[],"shard":[0,1]})"),
                   {"READY", "s=3", "d.session_id", "missing"});
  }
  SUBCASE("VOICE_STATE_UPDATE without user_id") {
    check_rejected(rig,
                   frame("VOICE_STATE_UPDATE", 3,
                         R"({"guild_id":"854291645464707072","channel_id":"854291653853315072","session_id":"x"})"),
                   {"VOICE_STATE_UPDATE", "s=3", "user_id", "missing"});
  }
}

TEST_CASE("a wrong type is rejected") {
  Rig rig = lab();
  SUBCASE("a string where a bool is expected") {
    check_rejected(rig, frame("GUILD_CREATE", 3, R"({"id":"854291645464707072","name":"Lab","large":"yes","members":[]})"),
                   {"GUILD_CREATE", "s=3", "d.large", "wrong type"});
  }
  SUBCASE("a word where an integer is expected") {
    check_rejected(rig, frame("GUILD_CREATE", 3, R"({"id":"854291645464707072","name":"Lab","member_count":"many"})"),
                   {"GUILD_CREATE", "s=3", "d.member_count", "expected an integer"});
  }
  SUBCASE("an object where a list is expected") {
    check_rejected(rig, frame("GUILD_CREATE", 3, R"({"id":"854291645464707072","name":"Lab","members":{}})"),
                   {"GUILD_CREATE", "s=3", "d.members", "wrong type"});
  }
  SUBCASE("a number where an object is expected, deep in a list") {
    check_rejected(rig,
                   frame("GUILD_CREATE", 3, lab_create(kAliceMember + R"(,{"user":7,"roles":[]})")),
                   {"GUILD_CREATE", "s=3", "d.members[1].user", "wrong type"});
  }
  SUBCASE("a fractional number for an integer") {
    check_rejected(rig,
                   frame("CHANNEL_CREATE", 3, R"({"id":"1070282362060931072","guild_id":"854291645464707072","type":0.5,"name":"x"})"),
                   {"CHANNEL_CREATE", "s=3", "d.type", "expected an integer"});
  }
  SUBCASE("an integer out of range") {
    check_rejected(rig,
                   frame("CHANNEL_CREATE", 3,
                         R"({"id":"1070282362060931072","guild_id":"854291645464707072","type":0,"position":99999999999,"name":"x"})"),
                   {"CHANNEL_CREATE", "s=3", "d.position", "out of range"});
  }
  SUBCASE("the frame's s is a string") {
    check_rejected(rig, R"({"op":0,"t":"GUILD_MEMBER_ADD","s":"3","d":{}})", {"GUILD_MEMBER_ADD", "frame.s", "wrong type"});
  }
  SUBCASE("the frame's op is a string") {
    check_rejected(rig, R"({"op":"0","t":"GUILD_MEMBER_ADD","s":3,"d":{}})", {"GUILD_MEMBER_ADD", "frame.op", "wrong type"});
  }
}

TEST_CASE("a snowflake that is not a number is rejected") {
  Rig rig = lab();
  SUBCASE("the guild id") {
    check_rejected(rig, frame("GUILD_CREATE", 3, R"({"id":"abc","name":"Lab"})"),
                   {"GUILD_CREATE", "s=3", "d.id", "not a snowflake", "abc"});
  }
  SUBCASE("a member's user id, 3rd of a list") {
    check_rejected(rig,
                   frame("GUILD_CREATE", 3,
                         lab_create(kAliceMember + "," + kBobMember + R"(,{"user":{"id":"abc","username":"x"},"roles":[]})")),
                   {"GUILD_CREATE", "s=3", "d.members[2].user.id", "abc"});
  }
  SUBCASE("a role id inside a member") {
    check_rejected(rig,
                   frame("GUILD_MEMBER_ADD", 3,
                         R"({"guild_id":"854291645464707072","user":{"id":"729008626743771136","username":"dave"},"roles":["abc"]})"),
                   {"GUILD_MEMBER_ADD", "s=3", "d.roles[0]", "abc"});
  }
  SUBCASE("a negative number") {
    check_rejected(rig, frame("GUILD_DELETE", 3, R"({"id":-5})"), {"GUILD_DELETE", "s=3", "d.id", "not a snowflake"});
  }
  SUBCASE("an id beyond 64 bits") {
    check_rejected(rig, frame("MESSAGE_DELETE", 3, R"({"id":"99999999999999999999999","channel_id":"854291653853315072"})"),
                   {"MESSAGE_DELETE", "s=3", "d.id", "not a snowflake"});
  }
  SUBCASE("one of MESSAGE_DELETE_BULK's ids, after valid ones") {
    check_rejected(rig,
                   frame("MESSAGE_DELETE_BULK", 3, R"({"ids":["1091678345625731072","abc"],"channel_id":"854291653853315072"})"),
                   {"MESSAGE_DELETE_BULK", "s=3", "d.ids[1]", "abc"});
  }
}

TEST_CASE("a payload of the wrong shape is rejected") {
  Rig rig = lab();
  SUBCASE("d is an array") {
    check_rejected(rig, frame("GUILD_CREATE", 3, R"([{"id":"854291645464707072"}])"), {"GUILD_CREATE", "s=3", "d", "object"});
  }
  SUBCASE("d is a string") {
    check_rejected(rig, frame("MESSAGE_CREATE", 3, R"("hello")"), {"MESSAGE_CREATE", "s=3", "d", "object"});
  }
  SUBCASE("d is null") {
    check_rejected(rig, frame("GUILD_MEMBER_ADD", 3, "null"), {"GUILD_MEMBER_ADD", "s=3", "d", "object"});
  }
  SUBCASE("d is missing") {
    check_rejected(rig, R"({"op":0,"t":"GUILD_MEMBER_ADD","s":3})", {"GUILD_MEMBER_ADD", "s=3", "frame.d", "missing"});
  }
  SUBCASE("t is missing in a dispatch") {
    check_rejected(rig, R"({"op":0,"s":3,"d":{}})", {"s=3", "frame.t", "missing"});
  }
  SUBCASE("op is missing") {
    check_rejected(rig, R"({"t":"GUILD_MEMBER_ADD","s":3,"d":{}})", {"GUILD_MEMBER_ADD", "s=3", "frame.op", "missing"});
  }
  SUBCASE("the frame is an array") {
    check_rejected(rig, R"([0,"GUILD_MEMBER_ADD",3,{}])", {"frame", "not a JSON object"});
  }
  SUBCASE("the split form: d is an array") {
    Census before = census(rig.c());
    auto r = rig.gw->ingest(0, "GUILD_CREATE", 3, R"([1,2,3])");
    REQUIRE_OUTCOME(r, Outcome::kRejected);
    CHECK(r.status.message().find("GUILD_CREATE s=3: d") != std::string::npos);
    CHECK(census(rig.c()) == before);
    REQUIRE_APPLIED(rig.gw->ingest(0, "MESSAGE_CREATE", 3, kValidMessage));
  }
  SUBCASE("READY ingested as another shard than its d.shard") {
    check_rejected(rig, frame("READY", 3, R"({"v":10,"user":{"id":"815916279914430464","username":"snowbot"},)"
                                          R"("guilds":[],"session_id":"other","shard":[1,2]})"),
                   {"READY", "s=3", "d.shard", "shard 1"});
  }
  SUBCASE("READY with a bad shard pair") {
    check_rejected(rig, frame("READY", 3, R"({"v":10,"user":{"id":"815916279914430464","username":"snowbot"},)"
                                          R"("guilds":[],"session_id":"other","shard":[2,2]})"),
                   {"READY", "s=3", "d.shard"});
  }
}

TEST_CASE("an unknown op is rejected") {
  Rig rig = lab();
  check_rejected(rig, R"({"op":42,"t":"GUILD_MEMBER_ADD","s":3,"d":{}})", {"GUILD_MEMBER_ADD", "s=3", "frame.op", "42"});
}

TEST_CASE("an empty line is rejected") {
  Rig rig = lab();
  SUBCASE("empty") { check_rejected(rig, "", {"empty"}); }
  SUBCASE("blank") { check_rejected(rig, " \t\r\n", {"empty"}); }
}

TEST_CASE("a duplicate key does not crash: the last value wins") {
  Rig rig = lab();
  rig.apply("GUILD_MEMBER_ADD",
            R"({"guild_id":"854291645464707072","user":{"id":"729008626743771136","username":"dave","username":"david"},)"
            R"("nick":"d1","nick":"d2","roles":["854291687407747072"],"roles":[],"joined_at":null})");
  auto m = got(rig.c().get_member(S(kLab), S(729008626743771136)));
  REQUIRE(m);
  CHECK(str((*m)->nick()) == "d2");
  CHECK(str((*m)->user()->username()) == "david");
  REQUIRE((*m)->roles());
  CHECK(Ids((*m)->roles()->begin(), (*m)->roles()->end()) == Ids{kLab});
}

// ---------------------------------------------------------------------------
// A 50 MiB line, built in memory.
constexpr std::size_t k50MiB = std::size_t{50} << 20;

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

TEST_CASE("a 50 MiB line is rejected quickly and without a crash") {
  Rig rig = lab();
  SUBCASE("an unterminated 50 MiB string") {
    std::string f = R"({"op":0,"t":"MESSAGE_CREATE","s":3,"d":{"id":"1091678345625731072","content":")";
    f.append(k50MiB, 'x');
    auto t0 = std::chrono::steady_clock::now();
    check_rejected(rig, f, {"MESSAGE_CREATE", "s=3", "malformed JSON"});
    CHECK(seconds_since(t0) < 20.0);
  }
  SUBCASE("50 MiB of nesting") {
    std::string f = R"({"op":0,"t":"GUILD_CREATE","s":3,"d":{"id":"854291645464707072","features":)";
    f.append(k50MiB, '[');
    auto t0 = std::chrono::steady_clock::now();
    check_rejected(rig, f, {"GUILD_CREATE", "s=3"});
    CHECK(seconds_since(t0) < 20.0);
  }
  SUBCASE("a 50 MiB name with a bad id") {
    std::string f = R"({"op":0,"t":"GUILD_CREATE","s":3,"d":{"id":"abc","name":")";
    f.append(k50MiB, 'n');
    f += R"("}})";
    auto t0 = std::chrono::steady_clock::now();
    check_rejected(rig, f, {"GUILD_CREATE", "s=3", "d.id", "abc"});
    CHECK(seconds_since(t0) < 20.0);
  }
  SUBCASE("a valid 50 MiB frame above the configured limit") {
    rig.gw->set_max_frame_bytes(std::size_t{16} << 20);
    std::string f = R"({"t":"GUILD_UPDATE","s":3,"op":0,"d":{"id":"854291645464707072","name":")";
    f.append(k50MiB, 'n');
    f += R"(","roles":[],"emojis":[],"stickers":[]}})";
    auto t0 = std::chrono::steady_clock::now();
    check_rejected(rig, f, {"GUILD_UPDATE", "s=3", "exceeds the limit"});
    CHECK(seconds_since(t0) < 20.0);
    // The split form is limited too.
    auto r = rig.gw->ingest(0, "GUILD_UPDATE", 4, std::string_view(f).substr(f.find(R"("d":)") + 4));
    REQUIRE_OUTCOME(r, Outcome::kRejected);
    CHECK(r.status.message().find("GUILD_UPDATE s=4") != std::string::npos);
  }
}

// ---------------------------------------------------------------------------
TEST_CASE("control frames are ignored and do not move the sequence") {
  Rig rig = lab();
  Census before = census(rig.c());
  for (const char* f : {
           R"({"op":10,"d":{"heartbeat_interval":41250}})",               // HELLO
           R"({"op":11})",                                                // HEARTBEAT_ACK
           R"({"op":11,"d":null,"s":null,"t":null})",                     // HEARTBEAT_ACK, long form
           R"({"op":7,"d":null})",                                        // RECONNECT
           R"({"op":9,"d":false})",                                       // INVALID_SESSION
           R"({"op":9,"d":true,"s":null,"t":null})",                      // INVALID_SESSION, resumable
           R"({"op":1,"d":251})",                                         // HEARTBEAT request
       }) {
    auto r = rig.raw(f);
    INFO(f << " -> " << describe(r));
    CHECK(r.outcome == Outcome::kIgnored);
    CHECK(r.event.empty());
  }
  CHECK(census(rig.c()) == before);
  CHECK(rig.sequence() == 2);
}

TEST_CASE("a rejected frame writes nothing on disk either, and the cache stays usable after reopening") {
  TempDir dir;
  {
    Rig rig(disk_cache(dir.str()));
    rig.apply("READY", kReady);
    rig.apply("GUILD_CREATE", lab_create(kAliceMember));
    auto r = rig.raw(frame("GUILD_CREATE", 3, lab_create(kAliceMember + "," + kBobMember + R"(,{"roles":[]})")));
    REQUIRE_OUTCOME(r, Outcome::kRejected);
  }
  Rig rig(disk_cache(dir.str()));
  CHECK(rig.sequence() == 2);
  CHECK(ids(rig.c().get_members_view_for_guild(S(kLab))) == Ids{kAlice});
  CHECK_FALSE(got(rig.c().get_user(S(kBob))).has_value());
  REQUIRE_APPLIED(rig.raw(frame("MESSAGE_CREATE", 3, kValidMessage)));
  CHECK(got(rig.c().get_message(S(kMsg1))).has_value());
  (void)kBot;
  (void)kGeneral;
}

}  // namespace
