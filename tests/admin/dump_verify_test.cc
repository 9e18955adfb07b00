// The dump format (snowcache/dump.h) and verify (snowcache/verify.h): exact
// lines for small caches built through MutableCache and through the gateway,
// kind and key order, filters, byte-identical dumps across a reopen,
// entity_json for every kind; verify clean after many mixed operations, and
// verify, dump and get on caches broken on purpose through lib/src/storage/store.h.
#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "storage/keys.h"
#include "snowcache/dump.h"
#include "snowcache/gateway.h"
#include "snowcache/verify.h"
#include "storage/store.h"
#include "support.h"

using namespace snowcache;
using namespace snowcache::testing;

namespace {

std::vector<std::string> dump_lines(const Cache& c, DumpFilter f = {}) {
  std::vector<std::string> out;
  auto st = dump(c, f, [&](std::string_view l) { out.emplace_back(l); });
  REQUIRE_MESSAGE(st.ok(), st.to_string());
  return out;
}

std::string dump_text(const Cache& c) {
  std::string out;
  for (const auto& l : dump_lines(c)) out += l + "\n";
  return out;
}

std::string join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& l : v) out += l + "\n";
  return out;
}

// The parts of a dump line (the tests' own lines: no escapes in kind/key).
struct Line {
  std::string kind;
  std::vector<std::string> key;
  std::string value;
};

Line parse_line(const std::string& l) {
  Line out;
  const std::string k0 = "{\"kind\": \"";
  REQUIRE(l.rfind(k0, 0) == 0);
  auto kend = l.find('"', k0.size());
  out.kind = l.substr(k0.size(), kend - k0.size());
  const std::string key0 = ", \"key\": [";
  REQUIRE(l.compare(kend + 1, key0.size(), key0) == 0);
  std::size_t p = kend + 1 + key0.size();
  while (l[p] != ']') {
    REQUIRE(l[p] == '"');
    auto e = l.find('"', p + 1);
    out.key.push_back(l.substr(p + 1, e - p - 1));
    p = e + 1;
    if (l.compare(p, 2, ", ") == 0) p += 2;
  }
  const std::string v0 = "], \"value\": ";
  REQUIRE(l.compare(p, v0.size(), v0) == 0);
  REQUIRE(l.back() == '}');
  out.value = l.substr(p + v0.size(), l.size() - (p + v0.size()) - 1);
  return out;
}

std::size_t kind_rank(const std::string& kind) {
  const auto& ks = dump_kinds();
  auto it = std::find(ks.begin(), ks.end(), kind);
  REQUIRE_MESSAGE(it != ks.end(), kind);
  return static_cast<std::size_t>(it - ks.begin());
}

// Dump lines are sorted by kind, then by key (numeric ids; invite codes bytewise).
void check_order(const std::vector<std::string>& lines) {
  std::optional<Line> prev;
  for (const auto& l : lines) {
    Line cur = parse_line(l);
    if (prev) {
      INFO(l);
      auto a = kind_rank(prev->kind), b = kind_rank(cur.kind);
      REQUIRE(a <= b);
      if (a == b) {
        if (cur.kind == "invite") {
          CHECK(prev->key < cur.key);
        } else {
          std::vector<std::uint64_t> ka, kb;
          for (auto& s : prev->key) ka.push_back(Snowflake::parse(s).value().value());
          for (auto& s : cur.key) kb.push_back(Snowflake::parse(s).value().value());
          CHECK(ka < kb);
        }
      }
    }
    prev = cur;
  }
}

// Every dump line's value is what entity_json gives for its kind and key.
void check_entity_json_matches(const Cache& c) {
  for (const auto& l : dump_lines(c)) {
    Line p = parse_line(l);
    std::vector<std::string> key = p.kind == "me" ? std::vector<std::string>{} : p.key;
    auto got = entity_json(c, p.kind, key, false);
    REQUIRE_MESSAGE(got.ok(), got.status().to_string());
    REQUIRE_MESSAGE(got->has_value(), l);
    CHECK(**got == p.value);
  }
}

VerifyReport verified(const Cache& c) {
  auto r = verify(c);
  REQUIRE_MESSAGE(r.ok(), r.status().to_string());
  return std::move(r).value();
}

std::string problems_text(const VerifyReport& r) {
  std::string out;
  for (const auto& p : r.problems) out += p + "\n";
  return out;
}

#define CHECK_CLEAN(cache)                                   \
  do {                                                       \
    auto rep_ = verified(cache);                             \
    INFO(problems_text(rep_));                               \
    CHECK(rep_.ok());                                        \
  } while (0)

bool has_problem(const VerifyReport& r, const std::string& needle) {
  return std::any_of(r.problems.begin(), r.problems.end(),
                     [&](const std::string& p) { return p.find(needle) != std::string::npos; });
}

#define CHECK_PROBLEM(report, needle)                                   \
  do {                                                                  \
    INFO("problems:\n" << problems_text(report) << "wanted: " << (needle)); \
    CHECK(has_problem((report), (needle)));                             \
  } while (0)

std::string frame(std::string_view t, std::int64_t s, std::string_view d) {
  return "{\"op\":0,\"t\":\"" + std::string(t) + "\",\"s\":" + std::to_string(s) + ",\"d\":" + std::string(d) + "}";
}

std::string env_or(const char* name, std::string fallback) {
  const char* v = std::getenv(name);
  return v && *v ? std::string(v) : fallback;
}

// tests/fixtures of the source tree, or "" when not found.
std::string fixtures_dir() {
  std::vector<std::string> roots;
  if (auto r = env_or("SNOWCACHE_SOURCE_ROOT", ""); !r.empty()) roots.push_back(r);
  roots.push_back(".");
  roots.push_back("..");
  for (const auto& r : roots) {
    std::filesystem::path p = std::filesystem::path(r) / "tests" / "fixtures";
    if (std::filesystem::exists(p / "guild_life.ndjson")) return p.string();
  }
  return "";
}

std::vector<std::string> frames_in(const std::string& path) {
  std::ifstream in(path);
  REQUIRE_MESSAGE(in.good(), "cannot read " << path);
  std::vector<std::string> out;
  std::string line;
  while (std::getline(in, line)) {
    auto first = line.find_first_not_of(" \t\r");
    if (first == std::string::npos || line[first] == '#') continue;
    out.push_back(line);
  }
  return out;
}

// --- a small world built through MutableCache ------------------------------------

constexpr std::uint64_t kG = 41771983423143937;   // guild
constexpr std::uint64_t kG2 = 197038439483310086;  // another guild
constexpr std::uint64_t kAlice = 80351110224678912;
constexpr std::uint64_t kBob = 80351110224678913;
constexpr std::uint64_t kCarol = 80351110224678914;

void build_world(MutableCache& c) {
  ok(c.set_me(own_user(kAlice, "alice")));
  ok(c.set_guild(guild(kG, "Discord Testers")));
  ok(c.set_guild(guild(kG2, "Other")));
  ok(c.set_guild_channel(channel(kG + 1, kG, 0, 0, std::nullopt, "general")));
  ok(c.set_guild_channel(channel(kG + 2, kG, 2, 1, std::nullopt, "voice")));
  ok(c.set_guild_channel(channel(kG2 + 1, kG2, 0, 0, std::nullopt, "other-general")));
  ok(c.set_thread(thread(kG + 3, kG, kG + 1, "a thread")));
  ok(c.set_role(role(kG, kG, "@everyone")));
  ok(c.set_role(role(kG2 + 5, kG2, "mods")));
  ok(c.set_emoji(emoji(kG + 10, kG, kBob)));
  ok(c.set_sticker(sticker(kG + 11, kG, kCarol)));
  ok(c.set_invite(invite("abc", kG, kG + 1, kAlice, kBob)));
  ok(c.set_invite(invite("Zed", kG2, kG2 + 1)));
  ok(c.set_member(member(kG, kAlice, "ali")));
  ok(c.set_member(member(kG, kBob)));
  ok(c.set_member(member(kG2, kCarol)));
  ok(c.set_presence(presence(kG, kAlice)));
  ok(c.set_voice_state(voice_state(kG, kBob, kG + 2)));
  ok(c.set_message(message(kG + 100, kG + 1, kG, kAlice, {kBob})));
  ok(c.set_message(message(kG + 101, 555, std::nullopt, kCarol)));
  ok(c.set_dm_channel_id(S(kCarol), S(555)));
}

}  // namespace

// --- dump ------------------------------------------------------------------------

TEST_CASE("dump: a tiny cache, line by line") {
  auto c = memory_cache();
  ok(c->set_me(own_user(9, "snowbot")));
  ok(c->set_guild(guild(1, "g")));
  ok(c->set_member(member(1, 2)));
  std::vector<std::string> want = {
      R"({"kind": "me", "key": ["9"], "value": {"id": "9", "username": "snowbot"}})",
      R"({"kind": "guild", "key": ["1"], "value": {"id": "1", "name": "g", "unavailable": false, "member_count": 1, "large": false}})",
      R"({"kind": "member", "key": ["1", "2"], "value": {"guild_id": "1", "user": {"id": "2", "username": "user2"}, "nick": null, "roles": ["1"]}})",
      R"({"kind": "user", "key": ["2"], "value": {"id": "2", "username": "user2"}})",
  };
  CHECK(join(dump_lines(*c)) == join(want));
  CHECK_CLEAN(*c);

  SUBCASE("an empty cache dumps nothing") {
    ok(c->clear());
    ok(c->delete_me().status());
    CHECK(dump_lines(*c).empty());
  }
  SUBCASE("a change shows: the guild unavailable, a nick") {
    ok(c->set_guild_availability(S(1), false));
    ok(c->set_member(member(1, 2, "Nick \"the\" name")));
    auto lines = dump_lines(*c);
    REQUIRE(lines.size() == 4);
    CHECK(lines[1] ==
          R"({"kind": "guild", "key": ["1"], "value": {"id": "1", "name": "g", "unavailable": true, "member_count": 1, "large": false}})");
    CHECK(lines[2] ==
          R"({"kind": "member", "key": ["1", "2"], "value": {"guild_id": "1", "user": {"id": "2", "username": "user2"}, "nick": "Nick \"the\" name", "roles": ["1"]}})");
  }
}

TEST_CASE("dump: every kind, in kind order then key order") {
  auto c = memory_cache();
  build_world(*c);
  auto lines = dump_lines(*c);
  check_order(lines);
  std::vector<std::string> kinds;
  for (const auto& l : lines) kinds.push_back(parse_line(l).kind);
  std::vector<std::string> want_kinds = {
      "me",        "guild",       "guild",       "guild_channel", "guild_channel", "guild_channel", "thread",
      "role",      "role",        "emoji",       "sticker",       "invite",        "invite",        "member",
      "member",    "member",      "user",        "user",          "user",          "presence",      "voice_state",
      "message",   "message",     "dm_channel_id"};
  CHECK(kinds == want_kinds);
  // Invites by code bytes: "Zed" < "abc".
  CHECK(parse_line(lines[11]).key == std::vector<std::string>{"Zed"});
  CHECK(parse_line(lines[12]).key == std::vector<std::string>{"abc"});

  // Hand-written values of the other kinds.
  std::map<std::string, std::string> by_key;
  for (const auto& l : lines) {
    Line p = parse_line(l);
    std::string k = p.kind;
    for (auto& part : p.key) k += " " + part;
    by_key[k] = p.value;
  }
  CHECK(by_key["me 80351110224678912"] == R"({"id": "80351110224678912", "username": "alice"})");
  CHECK(by_key["guild_channel 41771983423143938"] ==
        R"({"id": "41771983423143938", "guild_id": "41771983423143937", "name": "general"})");
  CHECK(by_key["guild_channel 41771983423143939"] ==
        R"({"id": "41771983423143939", "guild_id": "41771983423143937", "type": 2, "name": "voice", "position": 1})");
  CHECK(by_key["thread 41771983423143940"] ==
        R"({"id": "41771983423143940", "guild_id": "41771983423143937", "parent_id": "41771983423143938", "type": 11, "name": "a thread"})");
  CHECK(by_key["role 41771983423143937"] ==
        R"({"id": "41771983423143937", "guild_id": "41771983423143937", "name": "@everyone"})");
  CHECK(by_key["emoji 41771983423143947"] ==
        R"({"id": "41771983423143947", "guild_id": "41771983423143937", "name": "emoji41771983423143947", "user": {"id": "80351110224678913", "username": "user"}})");
  CHECK(by_key["sticker 41771983423143948"] ==
        R"({"id": "41771983423143948", "guild_id": "41771983423143937", "name": "sticker41771983423143948", "user": {"id": "80351110224678914", "username": "user"}})");
  // Users and members show their records as they are now (docs/SEMANTICS.md
  // E1, E2): the last object build_world wrote for each.
  CHECK(by_key["invite abc"] ==
        R"({"code": "abc", "guild_id": "41771983423143937", "channel_id": "41771983423143938", "inviter": {"id": "80351110224678912", "username": "user80351110224678912"}, "target_user": {"id": "80351110224678913", "username": "user"}})");
  CHECK(by_key["invite Zed"] ==
        R"({"code": "Zed", "guild_id": "197038439483310086", "channel_id": "197038439483310087"})");
  CHECK(by_key["member 41771983423143937 80351110224678912"] ==
        R"({"guild_id": "41771983423143937", "user": {"id": "80351110224678912", "username": "user80351110224678912"}, "nick": null, "roles": ["41771983423143937"]})");
  CHECK(by_key["presence 41771983423143937 80351110224678912"] ==
        R"({"guild_id": "41771983423143937", "user": {"id": "80351110224678912"}, "status": "online", "activities": []})");
  CHECK(by_key["voice_state 41771983423143937 80351110224678913"] ==
        R"({"guild_id": "41771983423143937", "channel_id": "41771983423143939", "user_id": "80351110224678913", "member": {"guild_id": "41771983423143937", "user": {"id": "80351110224678913", "username": "user"}, "nick": null, "roles": ["41771983423143937"]}, "session_id": "session", "deaf": false, "mute": false, "self_deaf": false, "self_mute": false})");
  CHECK(by_key["message 41771983423144037"] ==
        R"({"id": "41771983423144037", "channel_id": "41771983423143938", "guild_id": "41771983423143937", "author": {"id": "80351110224678912", "username": "user80351110224678912"}, "member": {"guild_id": "41771983423143937", "user": {"id": "80351110224678912", "username": "user80351110224678912"}, "nick": null, "roles": ["41771983423143937"]}, "content": "message 41771983423144037", "mentions": [{"id": "80351110224678913", "username": "user"}]})");
  // A DM message: no guild_id, no member.
  CHECK(by_key["message 41771983423144038"] ==
        R"({"id": "41771983423144038", "channel_id": "555", "author": {"id": "80351110224678914", "username": "user"}, "content": "message 41771983423144038", "mentions": []})");
  CHECK(by_key["dm_channel_id 80351110224678914"] == R"({"channel_id": "555"})");
  // The users: the last writer's copy of each.
  CHECK(by_key.count("user 80351110224678912"));
  CHECK(by_key.count("user 80351110224678913"));
  CHECK(by_key.count("user 80351110224678914"));
  CHECK_CLEAN(*c);
  check_entity_json_matches(*c);
}

TEST_CASE("dump: ids sort numerically, not as text") {
  auto c = memory_cache();
  for (std::uint64_t id : {std::uint64_t{1} << 40, std::uint64_t{256}, std::uint64_t{255}, std::uint64_t{9},
                           std::uint64_t{10}}) {
    ok(c->set_guild(guild(id)));
  }
  std::vector<std::string> keys;
  for (const auto& l : dump_lines(*c)) keys.push_back(parse_line(l).key.at(0));
  CHECK(keys == std::vector<std::string>{"9", "10", "255", "256", "1099511627776"});
}

TEST_CASE("dump: --kind and --guild filters") {
  auto c = memory_cache();
  build_world(*c);

  SUBCASE("kind") {
    DumpFilter f;
    f.kind = "member";
    auto lines = dump_lines(*c, f);
    REQUIRE(lines.size() == 3);
    for (const auto& l : lines) CHECK(parse_line(l).kind == "member");
    f.kind = "me";
    CHECK(dump_lines(*c, f).size() == 1);
    f.kind = "sticker";
    CHECK(dump_lines(*c, f).size() == 1);
  }
  SUBCASE("every kind alone adds up to the whole dump") {
    std::vector<std::string> all;
    for (auto k : dump_kinds()) {
      DumpFilter f;
      f.kind = std::string(k);
      for (auto& l : dump_lines(*c, f)) all.push_back(l);
    }
    CHECK(all == dump_lines(*c));
  }
  SUBCASE("guild") {
    DumpFilter f;
    f.guild = S(kG2);
    std::vector<std::string> got;
    for (const auto& l : dump_lines(*c, f)) {
      Line p = parse_line(l);
      got.push_back(p.kind + " " + p.key.at(0));
    }
    CHECK(got == std::vector<std::string>{"guild 197038439483310086", "guild_channel 197038439483310087",
                                          "role 197038439483310091", "invite Zed",
                                          "member 197038439483310086"});
    f.guild = S(kG);
    got.clear();
    for (const auto& l : dump_lines(*c, f)) got.push_back(parse_line(l).kind);
    CHECK(got == std::vector<std::string>{"guild", "guild_channel", "guild_channel", "thread", "role", "emoji",
                                          "sticker", "invite", "member", "member", "presence", "voice_state",
                                          "message"});
    f.guild = S(12345);
    CHECK(dump_lines(*c, f).empty());
  }
  SUBCASE("kind and guild") {
    DumpFilter f;
    f.kind = "member";
    f.guild = S(kG);
    CHECK(dump_lines(*c, f).size() == 2);
    f.kind = "user";  // users belong to no guild
    CHECK(dump_lines(*c, f).empty());
    f.kind = "me";
    CHECK(dump_lines(*c, f).empty());
  }
  SUBCASE("an unknown kind") {
    DumpFilter f;
    f.kind = "members";
    bool called = false;
    auto st = dump(*c, f, [&](std::string_view) { called = true; });
    CHECK(st.code() == Code::kInvalidArgument);
    CHECK(st.message().find("members") != std::string::npos);
    CHECK_FALSE(called);
  }
}

TEST_CASE("dump: Discord's shapes — escapes, doubles, renames, bitfields") {
  auto c = memory_cache();
  fb::GuildT g = guild(1, "q\"b\\n\nt\tc\x01 \xC3\xA9\xE2\x9D\x84 bad\xFFx");
  ok(c->set_guild(g));
  fb::RoleT r = role(2, 1, "boost");
  r.permissions = 1071698660929;
  r.color = 15158332;
  r.tags = std::make_unique<fb::RoleTagsT>();
  r.tags->premium_subscriber = true;
  r.tags->bot_id = 77;
  ok(c->set_role(r));
  fb::GuildChannelT ch = channel(3, 1);
  auto ow = std::make_unique<fb::PermissionOverwriteT>();
  ow->id = 1;
  ow->type = 0;
  ow->allow = 1024;
  ow->deny = 2048;
  ch.permission_overwrites.push_back(std::move(ow));
  ok(c->set_guild_channel(ch));
  fb::MessageT m = message(10, 3, 1, 5);
  m.mention_roles = {2};
  auto att = std::make_unique<fb::AttachmentT>();
  att->id = 11;
  att->filename = "a.ogg";
  att->size = 4096;
  att->duration_secs = 2.5;
  m.attachments.push_back(std::move(att));
  auto att2 = std::make_unique<fb::AttachmentT>();
  att2->id = 12;
  att2->duration_secs = 3.0;
  m.attachments.push_back(std::move(att2));
  auto emb = std::make_unique<fb::EmbedT>();
  auto field = std::make_unique<fb::EmbedFieldT>();
  field->name = "n";
  field->value = "v";
  field->inline_ = true;
  emb->fields.push_back(std::move(field));
  emb->color = 0;
  m.embeds.push_back(std::move(emb));
  ok(c->set_message(m));

  CHECK(*ok(entity_json(*c, "guild", {"1"}, false)) ==
        "{\"id\": \"1\", \"name\": \"q\\\"b\\\\n\\nt\\tc\\u0001 \xC3\xA9\xE2\x9D\x84 bad\xEF\xBF\xBDx\", "
        "\"unavailable\": false, \"member_count\": 1, \"large\": false}");
  CHECK(*ok(entity_json(*c, "role", {"2"}, false)) ==
        R"({"id": "2", "guild_id": "1", "name": "boost", "color": 15158332, "permissions": "1071698660929", "tags": {"bot_id": "77", "premium_subscriber": null}})");
  CHECK(*ok(entity_json(*c, "guild_channel", {"3"}, false)) ==
        R"({"id": "3", "guild_id": "1", "name": "channel", "permission_overwrites": [{"id": "1", "allow": "1024", "deny": "2048"}]})");
  CHECK(*ok(entity_json(*c, "message", {"10"}, false)) ==
        R"({"id": "10", "channel_id": "3", "guild_id": "1", "author": {"id": "5", "username": "user5"}, "member": {"guild_id": "1", "user": {"id": "5", "username": "user5"}, "nick": null, "roles": ["1"]}, "content": "message 10", "mentions": [], "mention_roles": ["2"], "attachments": [{"id": "11", "filename": "a.ogg", "size": 4096, "duration_secs": 2.5}, {"id": "12", "duration_secs": 3.0}], "embeds": [{"color": 0, "fields": [{"name": "n", "value": "v", "inline": true}]}]})");
  CHECK_CLEAN(*c);
}

TEST_CASE("dump: through the gateway") {
  auto c = memory_cache();
  Gateway gw(*c);
  std::int64_t s = 0;
  auto send = [&](std::string_view t, std::string_view d) {
    auto r = gw.ingest_frame(0, frame(t, ++s, d));
    INFO(t << ": " << r.status.to_string());
    REQUIRE(r.outcome == Outcome::kApplied);
  };
  send("READY",
       R"({"v":10,"user":{"id":"100","username":"snowbot","discriminator":"0","bot":true},"guilds":[{"id":"1000","unavailable":true}],"session_id":"s1","resume_gateway_url":"wss://gw.example","shard":[0,1]})");
  send("GUILD_CREATE",
       R"({"id":"1000","name":"Lab","member_count":2,"large":false,"unavailable":false,"joined_at":"2021-01-01T00:00:00+00:00",)"
       R"("roles":[{"id":"1000","name":"@everyone","permissions":"104324673","position":0,"color":0,"hoist":false,"managed":false,"mentionable":false,"flags":0}],)"
       R"("channels":[{"id":"1001","type":0,"name":"general","position":0,"permission_overwrites":[{"id":"1000","type":0,"allow":"1024","deny":"2048"}]}],)"
       R"("threads":[],"members":[{"user":{"id":"200","username":"alice","discriminator":"0"},"roles":[],"joined_at":"2021-01-01T00:00:00+00:00","deaf":false,"mute":false}],)"
       R"("presences":[{"user":{"id":"200"},"status":"online","activities":[],"client_status":{"desktop":"online"}}],"voice_states":[],"emojis":[],"stickers":[]})");
  send("MESSAGE_CREATE",
       R"({"id":"5000","channel_id":"1001","guild_id":"1000","author":{"id":"200","username":"alice","discriminator":"0"},)"
       R"("member":{"roles":[],"joined_at":"2021-01-01T00:00:00+00:00","deaf":false,"mute":false},"content":"hi \"there\"",)"
       R"("timestamp":"2021-01-01T00:00:01+00:00","tts":false,"mention_everyone":false,"mentions":[],"mention_roles":[],"attachments":[],"embeds":[],"pinned":false,"type":0})");
  send("MESSAGE_CREATE",
       R"({"id":"5001","channel_id":"7000","author":{"id":"300","username":"carol","discriminator":"0"},"content":"dm",)"
       R"("timestamp":"2021-01-01T00:00:02+00:00","tts":false,"mention_everyone":false,"mentions":[],"mention_roles":[],"attachments":[],"embeds":[],"pinned":false,"type":0})");

  // Values ingested from JSON store every field the JSON carried, zeros and
  // false included (json_fb writes them), so they show: "type": 0.
  std::vector<std::string> want = {
      R"({"kind": "me", "key": ["100"], "value": {"id": "100", "username": "snowbot", "discriminator": "0", "bot": true}})",
      R"({"kind": "guild", "key": ["1000"], "value": {"id": "1000", "name": "Lab", "unavailable": false, "member_count": 2, "large": false, "joined_at": "2021-01-01T00:00:00+00:00"}})",
      R"({"kind": "guild_channel", "key": ["1001"], "value": {"id": "1001", "guild_id": "1000", "type": 0, "name": "general", "position": 0, "permission_overwrites": [{"id": "1000", "type": 0, "allow": "1024", "deny": "2048"}]}})",
      R"({"kind": "role", "key": ["1000"], "value": {"id": "1000", "guild_id": "1000", "name": "@everyone", "color": 0, "hoist": false, "position": 0, "permissions": "104324673", "managed": false, "mentionable": false, "flags": 0}})",
      R"({"kind": "member", "key": ["1000", "200"], "value": {"guild_id": "1000", "user": {"id": "200", "username": "alice", "discriminator": "0"}, "nick": null, "roles": ["1000"], "joined_at": "2021-01-01T00:00:00+00:00", "deaf": false, "mute": false}})",
      R"({"kind": "user", "key": ["200"], "value": {"id": "200", "username": "alice", "discriminator": "0"}})",
      R"({"kind": "user", "key": ["300"], "value": {"id": "300", "username": "carol", "discriminator": "0"}})",
      R"({"kind": "presence", "key": ["1000", "200"], "value": {"guild_id": "1000", "user": {"id": "200"}, "status": "online", "activities": [], "client_status": {"desktop": "online"}}})",
      R"({"kind": "message", "key": ["5000"], "value": {"id": "5000", "channel_id": "1001", "guild_id": "1000", "author": {"id": "200", "username": "alice", "discriminator": "0"}, "member": {"guild_id": "1000", "user": {"id": "200", "username": "alice", "discriminator": "0"}, "nick": null, "roles": ["1000"], "joined_at": "2021-01-01T00:00:00+00:00", "deaf": false, "mute": false}, "content": "hi \"there\"", "timestamp": "2021-01-01T00:00:01+00:00", "tts": false, "mention_everyone": false, "mentions": [], "mention_roles": [], "attachments": [], "embeds": [], "pinned": false, "type": 0}})",
      R"({"kind": "message", "key": ["5001"], "value": {"id": "5001", "channel_id": "7000", "author": {"id": "300", "username": "carol", "discriminator": "0"}, "content": "dm", "timestamp": "2021-01-01T00:00:02+00:00", "tts": false, "mention_everyone": false, "mentions": [], "mention_roles": [], "attachments": [], "embeds": [], "pinned": false, "type": 0}})",
      R"({"kind": "dm_channel_id", "key": ["300"], "value": {"channel_id": "7000"}})",
  };
  CHECK(join(dump_lines(*c)) == join(want));
  CHECK_CLEAN(*c);
  check_entity_json_matches(*c);
}

TEST_CASE("dump: byte-identical before and after a reopen") {
  TempDir dir;
  std::string before;
  {
    auto c = disk_cache(dir.str());
    build_world(*c);
    ok(c->delete_member(S(kG), S(kBob)).status());  // hidden: the voice state holds bob
    before = dump_text(*c);
    CHECK_CLEAN(*c);
  }
  {
    auto c = disk_cache(dir.str());
    CHECK(dump_text(*c) == before);
    CHECK_CLEAN(*c);
  }
  {
    Options o;
    o.read_only = true;
    auto c = ok(Cache::open(dir.str(), o));
    CHECK(dump_text(*c) == before);
    CHECK_CLEAN(*c);
  }
  {
    Options o;
    o.secondary = true;
    TempDir sec;
    o.secondary_path = sec.str();
    auto c = ok(Cache::open(dir.str(), o));
    CHECK(dump_text(*c) == before);
  }
}

TEST_CASE("dump: fixture streams, reopened") {
  std::string fx = fixtures_dir();
  if (fx.empty()) {
    MESSAGE("skipped: tests/fixtures not found (set SNOWCACHE_SOURCE_ROOT)");
    return;
  }
  for (const auto& entry : std::filesystem::directory_iterator(fx)) {
    if (entry.path().extension() != ".ndjson") continue;
    std::string name = entry.path().filename().string();
    if (name.rfind("ready_reconcile_sharded", 0) == 0) continue;  // a two-shard pair, fed by its own suite
    CAPTURE(name);
    TempDir dir;
    std::string before;
    {
      auto c = disk_cache(dir.str());
      Gateway gw(*c);
      for (const auto& f : frames_in(entry.path().string())) (void)gw.ingest_frame(0, f);
      before = dump_text(*c);
      check_order(dump_lines(*c));
      auto rep = verified(*c);
      INFO(problems_text(rep));
      CHECK(rep.ok());
      check_entity_json_matches(*c);
    }
    auto c = disk_cache(dir.str());
    CHECK(dump_text(*c) == before);
  }
}

// --- entity_json -----------------------------------------------------------------

TEST_CASE("entity_json: every kind, absent, bad kind and key") {
  auto c = memory_cache();
  build_world(*c);

  SUBCASE("every kind") {
    CHECK(ok(entity_json(*c, "me", {}, false)).has_value());
    CHECK(ok(entity_json(*c, "guild", {std::to_string(kG)}, false)).has_value());
    CHECK(ok(entity_json(*c, "guild_channel", {std::to_string(kG + 1)}, false)).has_value());
    CHECK(ok(entity_json(*c, "thread", {std::to_string(kG + 3)}, false)).has_value());
    CHECK(ok(entity_json(*c, "role", {std::to_string(kG)}, false)).has_value());
    CHECK(ok(entity_json(*c, "emoji", {std::to_string(kG + 10)}, false)).has_value());
    CHECK(ok(entity_json(*c, "sticker", {std::to_string(kG + 11)}, false)).has_value());
    CHECK(ok(entity_json(*c, "invite", {"abc"}, false)).has_value());
    CHECK(ok(entity_json(*c, "member", {std::to_string(kG), std::to_string(kAlice)}, false)).has_value());
    CHECK(ok(entity_json(*c, "user", {std::to_string(kAlice)}, false)).has_value());
    CHECK(ok(entity_json(*c, "presence", {std::to_string(kG), std::to_string(kAlice)}, false)).has_value());
    CHECK(ok(entity_json(*c, "voice_state", {std::to_string(kG), std::to_string(kBob)}, false)).has_value());
    CHECK(ok(entity_json(*c, "message", {std::to_string(kG + 100)}, false)).has_value());
    CHECK(*ok(entity_json(*c, "dm_channel_id", {std::to_string(kCarol)}, false)) == R"({"channel_id": "555"})");
    check_entity_json_matches(*c);
  }
  SUBCASE("pretty") {
    ok(c->set_member(member(kG, kAlice, "ali")));
    auto got = ok(entity_json(*c, "member", {std::to_string(kG), std::to_string(kAlice)}, true));
    CHECK(*got == "{\n"
                  "  \"guild_id\": \"41771983423143937\",\n"
                  "  \"user\": {\n"
                  "    \"id\": \"80351110224678912\",\n"
                  "    \"username\": \"user80351110224678912\"\n"
                  "  },\n"
                  "  \"nick\": \"ali\",\n"
                  "  \"roles\": [\n"
                  "    \"41771983423143937\"\n"
                  "  ]\n"
                  "}");
    auto p = ok(entity_json(*c, "presence", {std::to_string(kG), std::to_string(kAlice)}, true));
    CHECK(*p == "{\n"
                "  \"guild_id\": \"41771983423143937\",\n"
                "  \"user\": {\n"
                "    \"id\": \"80351110224678912\"\n"
                "  },\n"
                "  \"status\": \"online\",\n"
                "  \"activities\": []\n"
                "}");
  }
  SUBCASE("absent") {
    CHECK_FALSE(ok(entity_json(*c, "guild", {"1"}, false)).has_value());
    CHECK_FALSE(ok(entity_json(*c, "invite", {"nope"}, false)).has_value());
    CHECK_FALSE(ok(entity_json(*c, "member", {std::to_string(kG), "1"}, false)).has_value());
    CHECK_FALSE(ok(entity_json(*c, "dm_channel_id", {std::to_string(kAlice)}, false)).has_value());
    ok(c->delete_me().status());
    CHECK_FALSE(ok(entity_json(*c, "me", {}, false)).has_value());
  }
  SUBCASE("bad kind or key") {
    auto bad = [&](std::string_view kind, std::vector<std::string> key, std::string_view needle) {
      auto r = entity_json(*c, kind, key, false);
      INFO(kind << " " << r.status().to_string());
      REQUIRE_FALSE(r.ok());
      CHECK(r.status().code() == Code::kInvalidArgument);
      CHECK(r.status().message().find(needle) != std::string::npos);
    };
    bad("guilds", {"1"}, "unknown kind \"guilds\"");
    bad("", {}, "unknown kind");
    bad("guild", {"x1"}, "guild key part 1 (id): not a snowflake: \"x1\"");
    bad("guild", {"-1"}, "not a snowflake");
    bad("guild", {}, "guild key: expected 1 part");
    bad("guild", {"1", "2"}, "got 2");
    bad("member", {"1"}, "member key: expected 2 parts (guild id, user id), got 1");
    bad("member", {"1", "bob"}, "member key part 2 (user id)");
    bad("voice_state", {"g", "1"}, "voice_state key part 1 (guild id)");
    bad("invite", {""}, "invite key part 1 (code): empty");
    bad("invite", {"a", "b"}, "invite key");
    bad("me", {"1"}, "me key: expected 0 parts");
    bad("dm_channel_id", {"99999999999999999999"}, "dm_channel_id key part 1 (user id)");
  }
}

// --- verify ----------------------------------------------------------------------

TEST_CASE("verify: clean after many mixed operations, and after a reopen") {
  TempDir dir;
  Settings settings;
  settings.max_messages = 4;
  settings.max_dm_channel_ids = 2;
  {
    auto c = disk_cache(dir.str(), settings);
    CHECK_CLEAN(*c);
    build_world(*c);
    CHECK_CLEAN(*c);
    auto report = verified(*c);
    CHECK(report.entities > 20);
    CHECK(report.index_entries > 10);

    // Hidden members: held by a voice state and by messages, then released.
    ok(c->delete_member(S(kG), S(kBob)).status());
    CHECK_CLEAN(*c);
    ok(c->set_message(message(kG + 102, kG + 1, kG, kBob, {kAlice, kCarol})));
    CHECK_CLEAN(*c);
    ok(c->delete_voice_state(S(kG), S(kBob)).status());
    CHECK_CLEAN(*c);
    ok(c->set_member(member(kG, kBob, "back")));  // rejoin
    CHECK_CLEAN(*c);
    ok(c->delete_member(S(kG), S(kBob)).status());
    CHECK_CLEAN(*c);
    // Updates that change mentions and the channel of a voice state.
    fb::MessageT upd = message(kG + 100, kG + 1, kG, kAlice, {kCarol, kCarol});
    ok(c->update_message(upd).status());
    CHECK_CLEAN(*c);
    ok(c->set_voice_state(voice_state(kG, kAlice, kG + 2)));
    ok(c->set_voice_state(voice_state(kG, kAlice, kG + 1, false)));
    CHECK_CLEAN(*c);
    // Evictions: messages past max_messages, DM ids past max_dm_channel_ids.
    for (std::uint64_t i = 0; i < 6; ++i) {
      ok(c->set_message(message(kG + 200 + i, kG + 1, kG, 90000 + i, {kBob})));
      CHECK_CLEAN(*c);
    }
    for (std::uint64_t i = 0; i < 4; ++i) {
      ok(c->set_dm_channel_id(S(kCarol + i), S(7000 + i)));
      CHECK_CLEAN(*c);
    }
    // Emoji / sticker / invite creators replaced and removed.
    ok(c->set_emoji(emoji(kG + 10, kG, kCarol)));
    ok(c->set_sticker(sticker(kG + 11, kG, std::nullopt)));
    ok(c->set_invite(invite("abc", kG, kG + 2, kBob, kBob)));
    CHECK_CLEAN(*c);
    ok(c->delete_invite("Zed").status());
    ok(c->set_guild_availability(S(kG), false));
    ok(c->update_guild(guild(kG, "renamed")).status());
    CHECK_CLEAN(*c);
    ok(c->set_presence(presence(kG2, kCarol, "idle")));
    ok(c->set_thread(thread(kG + 4, kG, kG + 2, "moved")));
    ok(c->set_guild_channel(channel(kG + 1, kG, 0, 3)));
    CHECK_CLEAN(*c);
  }
  {
    auto c = disk_cache(dir.str(), settings);
    CHECK_CLEAN(*c);
    // Clears by guild and channel, then whole kinds.
    ok(c->clear_voice_states_for_guild(S(kG)).status());
    CHECK_CLEAN(*c);
    ok(c->clear_messages().status());
    CHECK_CLEAN(*c);
    ok(c->clear_members_for_guild(S(kG)).status());
    CHECK_CLEAN(*c);
    ok(c->clear_invites_for_guild(S(kG)).status());
    ok(c->clear_threads_for_channel(S(kG), S(kG + 2)).status());
    ok(c->clear_emojis().status());
    ok(c->clear_stickers_for_guild(S(kG)).status());
    ok(c->clear_roles_for_guild(S(kG2)).status());
    CHECK_CLEAN(*c);
    ok(c->delete_guild(S(kG2)).status());
    ok(c->clear_dm_channel_ids().status());
    ok(c->delete_me().status());
    CHECK_CLEAN(*c);
    build_world(*c);
    CHECK_CLEAN(*c);
    ok(c->clear());
    CHECK_CLEAN(*c);
    CHECK(dump_lines(*c).empty());
    build_world(*c);
    CHECK_CLEAN(*c);
  }
  // Settings lowered and a kind disabled at reopen (cleared in one batch).
  Settings fewer = settings;
  fewer.max_messages = 1;
  fewer.max_dm_channel_ids = 0;
  fewer.components = Components::kAll & ~Components::kVoiceStates & ~Components::kEmojis;
  {
    auto c = disk_cache(dir.str(), fewer);
    CHECK_CLEAN(*c);
  }
}

TEST_CASE("verify: clean after odd but accepted inputs") {
  auto c = memory_cache();
  ok(c->set_guild(guild(kG)));
  SUBCASE("a message mentioning its author twice, an invite whose inviter is its target") {
    ok(c->set_message(message(kG + 1, kG + 2, kG, kAlice, {kAlice, kAlice, kBob})));
    ok(c->set_invite(invite("same", kG, kG + 2, kBob, kBob)));
    CHECK_CLEAN(*c);
    ok(c->delete_message(S(kG + 1)).status());
    CHECK_CLEAN(*c);
    ok(c->delete_invite("same").status());
    CHECK_CLEAN(*c);
    CHECK(dump_lines(*c).size() == 1);
  }
  SUBCASE("a DM channel id of a user not cached, then held and released") {
    ok(c->set_dm_channel_id(S(kCarol), S(555)));
    CHECK_CLEAN(*c);
    ok(c->set_emoji(emoji(kG + 10, kG, kCarol)));
    CHECK_CLEAN(*c);
    ok(c->delete_emoji(S(kG + 10)).status());
    CHECK_CLEAN(*c);
  }
  SUBCASE("a voice state whose member is another user: rejected, nothing written") {
    // Once accepted (verify found the member record of user_id held while
    // only the member's user was written); since issue 14 a member object of
    // another user is bad input (docs/SEMANTICS.md E2).
    fb::VoiceStateT v = voice_state(kG, kAlice, kG + 2);
    v.member->user->id = kBob;
    CHECK(c->set_voice_state(v).code() == Code::kInvalidArgument);
    CHECK_FALSE(ok(c->get_voice_state(S(kG), S(kAlice))));
    CHECK_CLEAN(*c);
  }
  SUBCASE("the same through the gateway") {
    Gateway gw(*c);
    auto r = gw.ingest_frame(
        0, frame("VOICE_STATE_UPDATE", 1,
                 R"({"guild_id":"41771983423143937","channel_id":"41771983423143939","user_id":"80351110224678912",)"
                 R"("session_id":"s","deaf":false,"mute":false,"self_deaf":false,"self_mute":false,)"
                 R"("member":{"user":{"id":"80351110224678913","username":"bob"},"roles":[]}})"));
    CHECK(r.outcome == Outcome::kRejected);
    CHECK(r.status.code() == Code::kInvalidArgument);
    CHECK_CLEAN(*c);
  }
  SUBCASE("a message whose member is another user") {
    fb::MessageT m = message(kG + 1, kG + 2, kG, kAlice);
    m.member->user->id = kBob;
    auto st = c->set_message(m);
    if (st.ok()) {
      CHECK_CLEAN(*c);
      ok(c->delete_message(S(kG + 1)).status());
      CHECK_CLEAN(*c);
    } else {
      CHECK(st.code() == Code::kInvalidArgument);
    }
  }
  SUBCASE("a member, hidden, held by a voice state and a message, rejoining and leaving") {
    ok(c->set_member(member(kG, kBob)));
    ok(c->set_voice_state(voice_state(kG, kBob, kG + 2, false)));
    ok(c->set_message(message(kG + 1, kG + 2, kG, kBob)));
    ok(c->delete_member(S(kG), S(kBob)).status());
    CHECK_CLEAN(*c);
    ok(c->delete_message(S(kG + 1)).status());
    CHECK_CLEAN(*c);
    ok(c->set_member(member(kG, kBob)));
    ok(c->delete_voice_state(S(kG), S(kBob)).status());
    CHECK_CLEAN(*c);
    ok(c->delete_member(S(kG), S(kBob)).status());
    CHECK_CLEAN(*c);
    CHECK(dump_lines(*c).size() == 1);
  }
  SUBCASE("clearing members while voice states hold some, then the guild goes") {
    ok(c->set_member(member(kG, kAlice)));
    ok(c->set_member(member(kG, kBob)));
    ok(c->set_voice_state(voice_state(kG, kBob, kG + 2)));
    ok(c->clear_members().status());
    CHECK_CLEAN(*c);
    ok(c->clear_voice_states().status());
    CHECK_CLEAN(*c);
    CHECK(dump_lines(*c).size() == 1);
  }
}

TEST_CASE("verify: clean after gateway streams") {
  std::string fx = fixtures_dir();
  if (fx.empty()) {
    MESSAGE("skipped: tests/fixtures not found (set SNOWCACHE_SOURCE_ROOT)");
    return;
  }
  for (const auto& entry : std::filesystem::directory_iterator(fx)) {
    if (entry.path().extension() != ".ndjson") continue;
    CAPTURE(entry.path().filename().string());
    auto c = memory_cache();
    Gateway gw(*c);
    std::size_t n = 0;
    for (const auto& f : frames_in(entry.path().string())) {
      (void)gw.ingest_frame(0, f);
      ++n;
      auto rep = verified(*c);
      INFO("after frame " << n << ":\n" << problems_text(rep));
      CHECK(rep.ok());
      if (!rep.ok()) break;
    }
  }
  std::string shared = env_or("SNOWCACHE_SHARED", "../shared");
  std::string docs = shared + "/fixtures/streams/docs-examples.ndjson";
  if (!std::filesystem::exists(docs)) {
    MESSAGE("skipped: " << docs << " not found");
    return;
  }
  auto c = memory_cache();
  Gateway gw(*c);
  std::size_t n = 0;
  for (const auto& f : frames_in(docs)) {
    (void)gw.ingest_frame(0, f);
    ++n;
    auto rep = verified(*c);
    INFO("docs-examples after frame " << n << ":\n" << problems_text(rep));
    CHECK(rep.ok());
    check_order(dump_lines(*c));
    check_entity_json_matches(*c);
  }
}

namespace {

// A disk cache with the world in it, closed; then `corrupt` runs on the raw
// store of the closed directory.
struct Broken {
  TempDir dir;
  explicit Broken(const std::function<void(detail::Store&)>& corrupt) {
    {
      auto c = disk_cache(dir.str());
      build_world(*c);
      auto rep = verified(*c);
      INFO(problems_text(rep));
      REQUIRE(rep.ok());
    }
    Options o;
    o.create_if_missing = false;
    auto store = detail::Store::open(dir.str(), o);
    REQUIRE_MESSAGE(store.ok(), store.status().to_string());
    corrupt(**store);
  }
  VerifyReport report() {
    Options o;
    o.read_only = true;
    auto c = ok(Cache::open(dir.str(), o));
    return verified(*c);
  }
};

void put(detail::Store& s, detail::Cf cf, const std::string& key, const std::string& value) {
  auto st = s.db()->Put(s.write_options(), s.cf(cf), key, value);
  REQUIRE(st.ok());
}

void del(detail::Store& s, detail::Cf cf, const std::string& key) {
  auto st = s.db()->Delete(s.write_options(), s.cf(cf), key);
  REQUIRE(st.ok());
}

}  // namespace

TEST_CASE("verify: each deliberate break is reported, naming the entity") {
  using detail::Cf;
  using keys::IndexTag;

  SUBCASE("an index entry deleted") {
    Broken b([](detail::Store& s) {
      del(s, Cf::kIndex, keys::index_key(IndexTag::kRoleByGuild, S(kG), keys::id(S(kG))));
    });
    auto r = b.report();
    CHECK(r.problems.size() == 1);
    CHECK_PROBLEM(r, "role 41771983423143937: index entry r|41771983423143937|41771983423143937 is missing");
  }
  SUBCASE("a dangling index entry") {
    Broken b([](detail::Store& s) {
      put(s, Cf::kIndex, keys::index_key(IndexTag::kRoleByGuild, S(kG), keys::id(S(999))), "");
      put(s, Cf::kIndex, keys::index_key(IndexTag::kInviteByGuild, S(kG), S(kG + 1), "gone"), "");
      // Pointing at an entity that exists, under the wrong scope.
      put(s, Cf::kIndex, keys::index_key(IndexTag::kChannelByGuild, S(kG2), keys::id(S(kG + 1))), "");
      put(s, Cf::kIndex, "?", "");
    });
    auto r = b.report();
    CHECK(r.problems.size() == 4);
    CHECK_PROBLEM(r, "index entry r|41771983423143937|999 points at no role");
    CHECK_PROBLEM(r, "index entry i|41771983423143937|41771983423143938|gone points at no invite");
    CHECK_PROBLEM(r, "index entry c|197038439483310086|41771983423143938 is not implied by guild_channel 41771983423143938");
    CHECK_PROBLEM(r, "index entry 0x3f: malformed key");
  }
  SUBCASE("a wrong user reference count") {
    Broken b([](detail::Store& s) { put(s, Cf::kRefs, keys::user_ref(S(kBob)), keys::encode_count(7)); });
    auto r = b.report();
    CHECK(r.problems.size() == 1);
    // bob: member of kG (1), emoji creator (1), invite target (1), mentioned (1).
    CHECK_PROBLEM(r, "user 80351110224678913: stored reference count 7, recomputed 4");
  }
  SUBCASE("a negative count, a malformed count, a count of a user not cached") {
    Broken b([](detail::Store& s) {
      put(s, Cf::kRefs, keys::user_ref(S(kBob)), keys::encode_count(-1));
      put(s, Cf::kRefs, keys::user_ref(S(kCarol)), "xyz");
      put(s, Cf::kRefs, keys::user_ref(S(12345)), keys::encode_count(1));
    });
    auto r = b.report();
    CHECK_PROBLEM(r, "user 80351110224678913: stored reference count -1 is negative (recomputed 4)");
    CHECK_PROBLEM(r, "user 80351110224678913: cached but its stored reference count is -1");
    CHECK_PROBLEM(r, "user 80351110224678914: malformed reference count record (3 bytes)");
    CHECK_PROBLEM(r, "user 12345: stored reference count 1, recomputed 0");
    CHECK_PROBLEM(r, "user 12345: stored reference count 1 but the user is not cached");
  }
  SUBCASE("a user count lost, a user not cached") {
    Broken b([](detail::Store& s) {
      del(s, Cf::kRefs, keys::user_ref(S(kAlice)));
      del(s, Cf::kUsers, keys::id(S(kCarol)));
    });
    auto r = b.report();
    CHECK_PROBLEM(r, "user 80351110224678912: stored reference count none, recomputed 3");
    CHECK_PROBLEM(r, "user 80351110224678912: cached but its stored reference count is missing");
    CHECK_PROBLEM(r, "user 80351110224678914: stored reference count 3 but the user is not cached");
    CHECK_PROBLEM(r, "count/users: stored 3 user entities, counted 2");
  }
  SUBCASE("a wrong member record") {
    Broken b([](detail::Store& s) {
      keys::MemberRecord rec;
      rec.holders = 3;
      rec.listed = true;
      put(s, Cf::kRefs, keys::member_ref(S(kG), S(kAlice)), keys::encode_member_record(rec));
    });
    auto r = b.report();
    CHECK(r.problems.size() == 1);
    CHECK_PROBLEM(r,
                  "member 41771983423143937/80351110224678912: stored member record holders 3, listed, recomputed "
                  "holders 1, listed");
  }
  SUBCASE("member records missing, malformed, dead, or holding nothing") {
    Broken b([](detail::Store& s) {
      del(s, Cf::kRefs, keys::member_ref(S(kG), S(kBob)));
      put(s, Cf::kRefs, keys::member_ref(S(kG2), S(kCarol)), "bad");
      keys::MemberRecord dead;
      put(s, Cf::kRefs, keys::member_ref(S(kG), S(kCarol)), keys::encode_member_record(dead));
      keys::MemberRecord held;
      held.holders = 1;
      put(s, Cf::kRefs, keys::member_ref(S(kG2), S(kAlice)), keys::encode_member_record(held));
    });
    auto r = b.report();
    CHECK_PROBLEM(r, "member 41771983423143937/80351110224678913: no member record, recomputed holders 1, listed");
    CHECK_PROBLEM(r, "member 197038439483310086/80351110224678914: malformed member record");
    CHECK_PROBLEM(r, "member 41771983423143937/80351110224678914: stored member record holds nothing");
    CHECK_PROBLEM(r,
                  "member 197038439483310086/80351110224678912: stored member record holders 1, not listed, but "
                  "nothing holds the member");
  }
  SUBCASE("a wrong entity count") {
    Broken b([](detail::Store& s) {
      put(s, Cf::kMeta, keys::count_key("guilds"), keys::encode_count(7));
      put(s, Cf::kMeta, keys::count_key("messages"), "x");
    });
    auto r = b.report();
    CHECK(r.problems.size() == 2);
    CHECK_PROBLEM(r, "count/guilds: stored 7 guild entities, counted 2");
    CHECK_PROBLEM(r, "count/messages: malformed count");
  }
  SUBCASE("an entity under the wrong key") {
    Broken b([](detail::Store& s) {
      auto raw = s.get(Cf::kGuilds, keys::id(S(kG2)));
      REQUIRE((raw.ok() && *raw));
      put(s, Cf::kGuilds, keys::id(S(5)), std::string((*raw)->view()));
      put(s, Cf::kMeta, keys::count_key("guilds"), keys::encode_count(3));
    });
    auto r = b.report();
    CHECK(r.problems.size() == 1);
    CHECK_PROBLEM(r, "guild 5: stored under the wrong key (its value says guild 197038439483310086)");
  }
  SUBCASE("me and a session that do not decode") {
    Broken b([](detail::Store& s) {
      put(s, Cf::kMeta, std::string(keys::kMetaMe), "garbage!");
      put(s, Cf::kMeta, keys::session_key(3), "short");
    });
    auto r = b.report();
    CHECK(r.problems.size() == 2);
    CHECK_PROBLEM(r, "me: value fails FlatBuffers verification");
    CHECK_PROBLEM(r, "session of shard 3: malformed record");
  }
  SUBCASE("a corrupted value: verify, dump, get and entity_json") {
    static const char kGarbage[] = "\x10\x00\x00\x00garbage bytes, not a flatbuffer";
    const std::string garbage(kGarbage, sizeof(kGarbage) - 1);
    Broken b([&](detail::Store& s) {
      put(s, Cf::kGuilds, keys::id(S(kG2)), garbage);
      put(s, Cf::kMembers, keys::pair(S(kG), S(kAlice)), "\x01");
    });
    auto r = b.report();
    CHECK_PROBLEM(r, "guild 197038439483310086: value fails FlatBuffers verification");
    CHECK_PROBLEM(r, "member 41771983423143937/80351110224678912: value fails FlatBuffers verification");
    // The member is still listed by its key: no member-record noise.
    CHECK_FALSE(has_problem(r, "member record"));

    Options o;
    o.read_only = true;
    auto c = ok(Cache::open(b.dir.str(), o));
    std::vector<std::string> lines;
    auto st = dump(*c, {}, [&](std::string_view l) { lines.emplace_back(l); });
    CHECK(st.code() == Code::kCorruption);
    CHECK(st.message().find("guild 197038439483310086") != std::string::npos);
    CHECK(lines.size() == 2);  // me and the first guild, then it stops
    DumpFilter members;
    members.kind = "member";
    st = dump(*c, members, [](std::string_view) {});
    CHECK(st.code() == Code::kCorruption);
    CHECK(st.message().find("member 41771983423143937/80351110224678912") != std::string::npos);
    DumpFilter roles;
    roles.kind = "role";
    CHECK(dump(*c, roles, [](std::string_view) {}).ok());  // other kinds still dump

    auto g = c->get_guild(S(kG2));
    REQUIRE_FALSE(g.ok());
    CHECK(g.status().code() == Code::kCorruption);
    auto j = entity_json(*c, "guild", {std::to_string(kG2)}, true);
    REQUIRE_FALSE(j.ok());
    CHECK(j.status().code() == Code::kCorruption);
    CHECK(j.status().message().find("guild 197038439483310086") != std::string::npos);
  }
  SUBCASE("a truncated value and empty values do not crash anything") {
    Broken b([&](detail::Store& s) {
      auto raw = s.get(Cf::kMessages, keys::id(S(kG + 100)));
      REQUIRE((raw.ok() && *raw));
      std::string v((*raw)->view());
      put(s, Cf::kMessages, keys::id(S(kG + 100)), v.substr(0, v.size() / 2));
      put(s, Cf::kUsers, keys::id(S(kAlice)), "");
      put(s, Cf::kInvites, "abc", std::string(64, '\xff'));
    });
    auto r = b.report();
    CHECK_PROBLEM(r, "message 41771983423144037: value fails FlatBuffers verification");
    CHECK_PROBLEM(r, "user 80351110224678912: value fails FlatBuffers verification");
    CHECK_PROBLEM(r, "invite abc: value fails FlatBuffers verification");
  }
}
