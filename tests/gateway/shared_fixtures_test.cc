// Every JSON fixture under $SNOWCACHE_SHARED/fixtures (../shared/fixtures of
// the source tree) goes through the gateway ingest: it must not be rejected,
// unless the table kExpectedRejections below names it with the precise reason.
//
// The discord4j and remora files are LGPL-3.0: they are read from
// ../shared at test time and never copied into the project (see
// ../shared/fixtures/README.md). Without that folder (a user's clone) the
// suite prints "shared fixtures not found at <path>: skipped" and exits 77,
// which meson reports as SKIP.
//
// This suite has its own main (it does not link doctest_main's symbols: this
// file implements doctest itself, so the linker never pulls doctest_main.o).
#define DOCTEST_CONFIG_IMPLEMENT

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <map>
#include <set>
#include <string>

#include <simdjson.h>

#include "gateway_support.h"

namespace {

using namespace snowcache;
using namespace snowcache::testing;
namespace fs = std::filesystem;

bool g_skipped = false;

// The fixtures folder, or nullopt (after printing the skip line) when absent.
std::optional<fs::path> shared_fixtures() {
  std::string shared = env_or("SNOWCACHE_SHARED", "");
  fs::path dir = shared.empty() ? fs::path("../shared/fixtures") : fs::path(shared) / "fixtures";
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    if (!g_skipped) std::printf("shared fixtures not found at %s: skipped\n", dir.string().c_str());
    g_skipped = true;
    return std::nullopt;
  }
  return dir;
}

// --- what each file is and how it is ingested ----------------------------------

// Files the ingest rejects, each with the exact reason (a substring of the
// status message) and why the data is that way.
struct ExpectedRejection {
  const char* file;
  const char* reason;  // asserted substring of the rejection message
  const char* why;
};
const ExpectedRejection kExpectedRejections[] = {
    {"synthetic/remora-GUILD_CREATE.optionals.json", "d.members[0].user: missing (required)",
     "Remora's synthetic member leaves out `user`, which Discord always sends in GUILD_CREATE"},
    {"synthetic/remora-GUILD_MEMBERS_CHUNK.json", "d.members[0].user: missing (required)",
     "synthetic member without `user`"},
    {"synthetic/remora-GUILD_MEMBERS_CHUNK.optionals.json", "d.members[0].user: missing (required)",
     "synthetic member without `user`"},
    {"synthetic/remora-GUILD_MEMBER_ADD.json", "d.user: missing (required)", "synthetic member without `user`"},
    {"synthetic/remora-VOICE_STATE_UPDATE.json", "d.member.user: missing (required)",
     "the voice state's synthetic member has no `user`"},
    {"synthetic/remora-VOICE_STATE_UPDATE.nulls.json", "d.member.user: missing (required)",
     "the voice state's synthetic member has no `user`"},
    {"synthetic/remora-THREAD_CREATE.optionals.json", "d.guild_id: missing",
     "the optionals variant leaves out guild_id; a thread is scoped by its guild"},
    {"synthetic/remora-THREAD_UPDATE.optionals.json", "d.guild_id: missing",
     "the optionals variant leaves out guild_id; a thread is scoped by its guild"},
    {"captured/discord4j-rest-v8-GuildMemberModify.json", "d.guild_id: missing",
     "a REST member (PATCH response) carries no guild_id; ingested as GUILD_MEMBER_UPDATE it lacks its scope"},
};

// serenity's files are `d` payloads (API v6) named after their event; the
// table gives the event, and for the few files that are a part of a payload
// (an activity, an emoji, a role) the payload it is wrapped in ("{}" marks it).
struct SerenityFile {
  const char* file;
  const char* event;
  const char* wrap = nullptr;
};
const SerenityFile kSerenity[] = {
    {"serenity-activity_1.json", "PRESENCE_UPDATE",
     R"({"user":{"id":"210141176211177474"},"guild_id":"81384788765712384","status":"online","activities":[{}]})"},
    {"serenity-activity_2.json", "PRESENCE_UPDATE"},  // a presence without guild_id (not cached)
    {"serenity-activity_3.json", "PRESENCE_UPDATE"},
    {"serenity-channel_create_1.json", "CHANNEL_CREATE"},
    {"serenity-channel_delete_1.json", "CHANNEL_DELETE"},
    {"serenity-channel_pins_update_1.json", "CHANNEL_PINS_UPDATE"},
    {"serenity-channel_update_1.json", "CHANNEL_UPDATE"},
    {"serenity-emoji_animated.json", "GUILD_EMOJIS_UPDATE", R"({"guild_id":"81384788765712384","emojis":[{}]})"},
    {"serenity-guild_-1_role_position.json", "GUILD_CREATE"},
    {"serenity-guild_ban_add_1.json", "GUILD_BAN_ADD"},
    {"serenity-guild_ban_remove_1.json", "GUILD_BAN_REMOVE"},
    {"serenity-guild_channel_rest_1.json", "CHANNEL_CREATE"},  // a REST channel, same shape
    {"serenity-guild_create_1.json", "GUILD_CREATE"},
    {"serenity-guild_create_2.json", "GUILD_CREATE"},
    {"serenity-guild_create_features.json", "GUILD_CREATE"},
    {"serenity-guild_delete_1.json", "GUILD_DELETE"},
    {"serenity-guild_emojis_update_1.json", "GUILD_EMOJIS_UPDATE"},
    {"serenity-guild_member_add_1.json", "GUILD_MEMBER_ADD"},
    {"serenity-guild_member_remove_1.json", "GUILD_MEMBER_REMOVE"},
    {"serenity-guild_member_update_1.json", "GUILD_MEMBER_UPDATE"},
    {"serenity-guild_role_create_1.json", "GUILD_ROLE_CREATE"},
    {"serenity-guild_role_delete_1.json", "GUILD_ROLE_DELETE"},
    {"serenity-guild_role_update_1.json", "GUILD_ROLE_UPDATE"},
    {"serenity-guild_some_application_id.json", "GUILD_CREATE"},
    {"serenity-guild_system_channel_id_missing.json", "GUILD_CREATE"},
    {"serenity-guild_update_1.json", "GUILD_UPDATE"},
    {"serenity-message_create_1.json", "MESSAGE_CREATE"},
    {"serenity-message_create_2.json", "MESSAGE_CREATE"},
    {"serenity-message_create_3.json", "MESSAGE_CREATE"},
    {"serenity-message_footer_1.json", "MESSAGE_CREATE"},
    {"serenity-message_footer_2.json", "MESSAGE_CREATE"},
    {"serenity-message_reaction_add_1.json", "MESSAGE_REACTION_ADD"},
    {"serenity-message_reaction_add_2.json", "MESSAGE_REACTION_ADD"},
    {"serenity-message_reaction_add_3.json", "MESSAGE_REACTION_ADD"},
    {"serenity-message_reaction_remove_1.json", "MESSAGE_REACTION_REMOVE"},
    {"serenity-message_reaction_remove_2.json", "MESSAGE_REACTION_REMOVE"},
    {"serenity-message_reaction_remove_3.json", "MESSAGE_REACTION_REMOVE"},
    {"serenity-message_reaction_remove_all_1.json", "MESSAGE_REACTION_REMOVE_ALL"},
    {"serenity-message_type_7.json", "MESSAGE_CREATE"},
    {"serenity-message_update_1.json", "MESSAGE_UPDATE"},
    {"serenity-ready_1.json", "READY"},
    {"serenity-role_-1_position.json", "GUILD_ROLE_CREATE", R"({"guild_id":"555","role":{}})"},
    {"serenity-typing_start_1.json", "TYPING_START"},
    {"serenity-voice_state_update_1.json", "VOICE_STATE_UPDATE"},
    {"serenity-voice_state_update_2.json", "VOICE_STATE_UPDATE"},
    {"serenity-webhooks_update_1.json", "WEBHOOKS_UPDATE"},
};

// discord4j's REST responses: ingested as the dispatch whose `d` has their
// shape (a JSON array: each element in turn), or not at all when no gateway
// dispatch carries that shape.
struct RestFile {
  const char* file;
  const char* event;  // nullptr: not a gateway payload
  const char* why = "";
};
const RestFile kRest[] = {
    {"discord4j-rest-ChannelInvites.json", "INVITE_CREATE"},
    {"discord4j-rest-CreateMessageResponse.json", "MESSAGE_CREATE"},
    {"discord4j-rest-CreateMessageWithForwardResponse.json", "MESSAGE_CREATE"},
    {"discord4j-rest-Guild.json", "GUILD_UPDATE"},
    {"discord4j-rest-GuildScheduledEventData.json", "GUILD_SCHEDULED_EVENT_CREATE"},
    {"discord4j-rest-Message.Reply.json", "MESSAGE_CREATE"},
    {"discord4j-rest-Message.json", "MESSAGE_CREATE"},
    {"discord4j-rest-SoundboardSoundData.json", "GUILD_SOUNDBOARD_SOUND_CREATE"},
    {"discord4j-rest-v8-GuildMemberModify.json", "GUILD_MEMBER_UPDATE"},
    {"discord4j-rest-EmbedData.NullAuthorUrl.json", nullptr, "an embed alone: no dispatch's d is an embed"},
    {"discord4j-rest-GuildPreview.json", nullptr, "GET /guilds/{id}/preview only"},
    {"discord4j-rest-UserGuildData.json", nullptr, "GET /users/@me/guilds only"},
    {"discord4j-rest-WelcomeScreen.json", nullptr, "GET /guilds/{id}/welcome-screen only"},
};

const char* const kNotPayloadsDir = "objects";  // single entity objects; their content is in streams/docs-examples
const char* const kNotPayloadsWhy = "single entity objects from the docs, not gateway payloads";

const ExpectedRejection* expected_rejection(const std::string& rel) {
  for (const auto& e : kExpectedRejections) {
    if (rel == e.file) return &e;
  }
  return nullptr;
}

// --- ingesting -----------------------------------------------------------------

// A JSON value parsed by the test itself (to find READY's shard, count lists).
struct Json {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  explicit Json(const std::string& text) {
    auto e = parser.parse(text).get(root);
    REQUIRE_MESSAGE(!e, "the test cannot parse: " << simdjson::error_message(e));
  }
};

// The shard a READY frame (or `d`) is for: d.shard[0], else 0.
std::uint32_t ready_shard(simdjson::dom::element d) {
  simdjson::dom::array shard;
  if (d["shard"].get(shard)) return 0;
  std::int64_t id = 0;
  if (shard.at(0).get(id)) return 0;
  return static_cast<std::uint32_t>(id);
}

std::string frame_event(simdjson::dom::element frame) {
  std::string_view t;
  if (frame["t"].get(t)) return "";
  return std::string(t);
}

// What ingesting one file gave.
struct FileResult {
  std::size_t frames = 0, rejected = 0;
  std::vector<std::string> messages;  // of rejections
  void add(const IngestResult& r) {
    ++frames;
    if (r.outcome == Outcome::kRejected) {
      ++rejected;
      messages.push_back(r.status.message());
    }
  }
};

// Where files are ingested: files with a READY get a fresh cache (READY is
// ingested as the shard its d.shard says); every other file gets its own
// shard of one shared cache, so that sequences never collide.
struct Pool {
  std::unique_ptr<MutableCache> cache = memory_cache();
  std::unique_ptr<Gateway> gw = std::make_unique<Gateway>(*cache);
  std::uint32_t next_shard = 100;
};

// Whole frames, one per line (streams, sessions).
FileResult ingest_ndjson(Pool& pool, const fs::path& path) {
  FileResult out;
  auto lines = frames_of(path.string());
  bool has_ready = false;
  for (const auto& line : lines) {
    Json j(line);
    has_ready = has_ready || frame_event(j.root) == "READY";
  }
  std::unique_ptr<MutableCache> own = has_ready ? memory_cache() : nullptr;
  std::unique_ptr<Gateway> own_gw = has_ready ? std::make_unique<Gateway>(*own) : nullptr;
  Gateway& gw = has_ready ? *own_gw : *pool.gw;
  std::uint32_t shard = has_ready ? 0 : pool.next_shard++;
  for (const auto& line : lines) {
    Json j(line);
    if (frame_event(j.root) == "READY") shard = ready_shard(j.root["d"]);
    out.add(gw.ingest_frame(shard, line));
  }
  return out;
}

// One whole frame (discord4j gateway, remora).
FileResult ingest_frame_file(Pool& pool, const fs::path& path) {
  FileResult out;
  std::string text = read_file(path.string());
  Json j(text);
  if (frame_event(j.root) == "READY") {
    auto cache = memory_cache();
    Gateway gw(*cache);
    out.add(gw.ingest_frame(ready_shard(j.root["d"]), text));
  } else {
    out.add(pool.gw->ingest_frame(pool.next_shard++, text));
  }
  return out;
}

// A `d` payload (or a JSON array of them, each in turn) as `event`. With
// `keep`, in a fresh cache handed back there.
FileResult ingest_payload(Pool& pool, const std::string& event, const std::string& payload,
                          std::unique_ptr<MutableCache>* keep = nullptr) {
  FileResult out;
  Json j(payload);
  std::unique_ptr<MutableCache> own = (keep || event == "READY") ? memory_cache() : nullptr;
  std::unique_ptr<Gateway> own_gw = own ? std::make_unique<Gateway>(*own) : nullptr;
  Gateway& gw = own ? *own_gw : *pool.gw;
  std::uint32_t shard = own ? 0 : pool.next_shard++;
  if (j.root.is_array()) {
    std::int64_t s = 0;
    for (auto elem : simdjson::dom::array(j.root)) out.add(gw.ingest(shard, event, ++s, simdjson::minify(elem)));
  } else {
    if (event == "READY") shard = ready_shard(j.root);
    out.add(gw.ingest(shard, event, 1, payload));
  }
  if (keep) *keep = std::move(own);
  return out;
}

std::string wrap(const char* wrapper, const std::string& payload) {
  if (!wrapper) return payload;
  std::string w = wrapper;
  auto at = w.find("{}");
  REQUIRE(at != std::string::npos);
  return w.substr(0, at) + payload + w.substr(at + 2);
}

// Checks one file's result against kExpectedRejections.
void check_file(const std::string& rel, const FileResult& r) {
  INFO("fixture " << rel);
  CHECK(r.frames > 0);
  if (const auto* e = expected_rejection(rel)) {
    INFO("expected rejection: " << std::string(e->reason) << " (" << std::string(e->why) << ")");
    REQUIRE(r.rejected == 1);
    INFO("got: " << r.messages.front());
    CHECK(r.messages.front().find(e->reason) != std::string::npos);
  } else {
    INFO("rejections: " << (r.messages.empty() ? std::string("none") : r.messages.front()));
    CHECK(r.rejected == 0);
  }
}

// Every regular file below `dir`, relative, sorted.
std::vector<std::string> all_files(const fs::path& dir) {
  std::vector<std::string> out;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    if (e.is_regular_file()) out.push_back(fs::relative(e.path(), dir).generic_string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

bool starts_with(const std::string& s, const std::string& p) { return s.rfind(p, 0) == 0; }
bool ends_with(const std::string& s, const std::string& p) {
  return s.size() >= p.size() && s.compare(s.size() - p.size(), p.size(), p) == 0;
}

// ---------------------------------------------------------------------------
TEST_CASE("every shared fixture file is classified, and every table names an existing file") {
  auto dir = shared_fixtures();
  if (!dir) return;
  std::set<std::string> files;
  for (const auto& f : all_files(*dir)) files.insert(f);
  std::size_t streams = 0, frames = 0, serenity = 0, rest = 0, objects = 0;
  for (const auto& rel : files) {
    INFO(rel);
    std::string name = fs::path(rel).filename().string();
    if (rel == "README.md") continue;  // documentation
    if (starts_with(rel, std::string(kNotPayloadsDir) + "/")) {
      ++objects;
      Json j(read_file((*dir / rel).string()));  // valid JSON at least
      continue;
    }
    if (ends_with(rel, ".ndjson") && (starts_with(rel, "streams/") || starts_with(rel, "captured/"))) {
      ++streams;
    } else if (starts_with(rel, "captured/discord4j-gateway-") || starts_with(rel, "synthetic/remora-")) {
      ++frames;
    } else if (starts_with(rel, "captured/serenity-")) {
      ++serenity;
      CHECK(std::any_of(std::begin(kSerenity), std::end(kSerenity), [&](const SerenityFile& s) { return name == s.file; }));
    } else if (starts_with(rel, "captured/discord4j-rest-")) {
      ++rest;
      CHECK(std::any_of(std::begin(kRest), std::end(kRest), [&](const RestFile& s) { return name == s.file; }));
    } else {
      FAIL("unclassified fixture file (add it to shared_fixtures_test.cc)");
    }
  }
  for (const auto& s : kSerenity) CHECK_MESSAGE(files.count(std::string("captured/") + s.file), s.file);
  for (const auto& s : kRest) CHECK_MESSAGE(files.count(std::string("captured/") + s.file), s.file);
  for (const auto& e : kExpectedRejections) CHECK_MESSAGE(files.count(e.file), e.file);
  MESSAGE(files.size() << " files: " << streams << " NDJSON streams, " << frames << " whole frames, " << serenity
                       << " serenity payloads, " << rest << " REST responses, " << objects << " objects (" << std::string(kNotPayloadsWhy)
                       << "), README.md");
  CHECK(streams >= 4);
  CHECK(serenity == std::size(kSerenity));
  CHECK(rest == std::size(kRest));
}

TEST_CASE("streams/*.ndjson and captured/*.ndjson ingest without rejection") {
  auto dir = shared_fixtures();
  if (!dir) return;
  Pool pool;
  std::size_t n = 0;
  for (const auto& rel : all_files(*dir)) {
    if (!ends_with(rel, ".ndjson")) continue;
    ++n;
    check_file(rel, ingest_ndjson(pool, *dir / rel));
  }
  CHECK(n >= 4);
}

TEST_CASE("captured/discord4j-gateway-* and synthetic/remora-* whole frames ingest (READY as its d.shard)") {
  auto dir = shared_fixtures();
  if (!dir) return;
  Pool pool;
  std::size_t n = 0;
  for (const auto& rel : all_files(*dir)) {
    if (!starts_with(rel, "captured/discord4j-gateway-") && !starts_with(rel, "synthetic/remora-")) continue;
    ++n;
    check_file(rel, ingest_frame_file(pool, *dir / rel));
  }
  CHECK(n >= 100);
}

TEST_CASE("captured/serenity-* payloads ingest as their events") {
  auto dir = shared_fixtures();
  if (!dir) return;
  Pool pool;
  for (const auto& s : kSerenity) {
    std::string rel = std::string("captured/") + s.file;
    INFO(rel << " as " << std::string(s.event));
    check_file(rel, ingest_payload(pool, s.event, wrap(s.wrap, read_file((*dir / rel).string()))));
  }
}

TEST_CASE("captured/discord4j-rest-* responses ingest as the dispatch of their shape") {
  auto dir = shared_fixtures();
  if (!dir) return;
  Pool pool;
  for (const auto& r : kRest) {
    std::string rel = std::string("captured/") + r.file;
    std::string text = read_file((*dir / rel).string());
    if (!r.event) {
      INFO(rel << ": not ingested: " << std::string(r.why));
      Json j(text);  // valid JSON at least
      continue;
    }
    INFO(rel << " as " << std::string(r.event));
    check_file(rel, ingest_payload(pool, r.event, text));
  }
}

TEST_CASE("serenity-guild_create_1.json: the cache holds every member, presence, channel, role and emoji of the payload") {
  auto dir = shared_fixtures();
  if (!dir) return;
  std::string text = read_file((*dir / "captured/serenity-guild_create_1.json").string());
  Json j(text);
  auto d = j.root;
  std::uint64_t guild = Snowflake::parse(std::string_view(d["id"]))->value();
  std::set<std::string_view> members, presences;
  for (auto m : simdjson::dom::array(d["members"])) members.insert(std::string_view(m["user"]["id"]));
  for (auto p : simdjson::dom::array(d["presences"])) presences.insert(std::string_view(p["user"]["id"]));
  std::size_t channels = simdjson::dom::array(d["channels"]).size();
  std::size_t roles = simdjson::dom::array(d["roles"]).size();
  std::size_t emojis = simdjson::dom::array(d["emojis"]).size();
  std::int64_t member_count = d["member_count"];
  bool large = d["large"];
  // What the payload has (its README: 9593 members, 8834 presences, 53 channels, 51 roles, 26 emojis).
  CHECK(members.size() == 9593);
  CHECK(presences.size() == 8834);

  std::unique_ptr<MutableCache> cache;
  Pool pool;
  auto r = ingest_payload(pool, "GUILD_CREATE", text, &cache);
  REQUIRE(r.rejected == 0);
  const Cache& c = *cache;
  auto g = got(c.get_available_guild(S(guild)));
  REQUIRE(g);
  CHECK(str((*g)->name()) == "Discord API");
  CHECK((*g)->member_count() == member_count);
  CHECK((*g)->large() == large);
  CHECK(c.get_members_view_for_guild(S(guild)).size() == members.size());
  CHECK(c.get_presences_view_for_guild(S(guild)).size() == presences.size());
  CHECK(c.get_guild_channels_view_for_guild(S(guild)).size() == channels);
  CHECK(c.get_roles_view_for_guild(S(guild)).size() == roles);
  CHECK(c.get_emojis_view_for_guild(S(guild)).size() == emojis);
  CHECK(c.get_users_view().size() >= members.size());
  // Spot checks: the first member and presence of the payload.
  auto m0 = simdjson::dom::array(d["members"]).at(0);
  std::uint64_t u0 = Snowflake::parse(std::string_view(m0["user"]["id"]))->value();
  auto member = got(c.get_member(S(guild), S(u0)));
  REQUIRE(member);
  CHECK(str((*member)->user()->username()) == std::string(std::string_view(m0["user"]["username"])));
  auto p0 = simdjson::dom::array(d["presences"]).at(0);
  std::uint64_t pu0 = Snowflake::parse(std::string_view(p0["user"]["id"]))->value();
  auto presence = got(c.get_presence(S(guild), S(pu0)));
  REQUIRE(presence);
  CHECK(str((*presence)->status()) == std::string(std::string_view(p0["status"])));
}

}  // namespace

int main(int argc, char** argv) {
  doctest::Context context(argc, argv);
  int rc = context.run();
  if (context.shouldExit()) return rc;
  // Every test case returned early for want of the shared fixtures: SKIP.
  if (rc == 0 && g_skipped) return 77;
  return rc;
}
