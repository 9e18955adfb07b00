// Support for the gateway suites (gateway_events, gateway_sequences,
// gateway_bad_input, shared_fixtures): a cache plus a Gateway that numbers the
// frames it sends, fixture paths, and small readers over views.
#pragma once

#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "snowcache/fixture.h"
#include "snowcache/gateway.h"
#include "support.h"

namespace snowcache::testing {

// --- ids of tests/fixtures that several gateway suites use (its README.md) -----
constexpr std::uint64_t kBot = 815916279914430464;
constexpr std::uint64_t kAlice = 576321040205086720;
constexpr std::uint64_t kBob = 614182047216435200;
constexpr std::uint64_t kCarol = 666960460460982272;
constexpr std::uint64_t kDave = 729008626743771136;
constexpr std::uint64_t kErin = 771643434439147520;
constexpr std::uint64_t kLab = 854291645464707072;  // guild "Snowcache Lab"
constexpr std::uint64_t kRockets = 882999608979095552;  // guild "Rust & Rockets"
constexpr std::uint64_t kCategory = 854291649659011072;
constexpr std::uint64_t kGeneral = 854291653853315072;
constexpr std::uint64_t kRandom = 854291658047619072;
constexpr std::uint64_t kLounge = 854291662241923072;  // voice
constexpr std::uint64_t kLaunchpad = 882999612670083072;  // Rust & Rockets' text channel
constexpr std::uint64_t kMods = 854291687407747072;
constexpr std::uint64_t kHelpers = 1070283620352131072;
constexpr std::uint64_t kSnowflakeEmoji = 860127599001731072;
constexpr std::uint64_t kRocketEmoji = 1070284878643331072;
constexpr std::uint64_t kWaveSticker = 871361622835331072;
constexpr std::uint64_t kPlanning = 1066009205145731072;  // thread in #general
constexpr std::uint64_t kMemes = 1066371593011331072;  // thread in #random
constexpr std::uint64_t kDmAlice = 1006111557681283072;
constexpr std::uint64_t kMsg1 = 1091678345625731072;

// A whole dispatch frame.
inline std::string frame(std::string_view t, std::optional<std::int64_t> s, std::string_view d) {
  std::string out = R"({"op":0,"t":")";
  out += t;
  out += R"(","s":)";
  out += s ? std::to_string(*s) : std::string("null");
  out += R"(,"d":)";
  out += d;
  out += "}";
  return out;
}

inline std::string describe(const IngestResult& r) {
  std::string out = std::string(outcome_name(r.outcome)) + " " + r.event;
  if (r.sequence) out += " s=" + std::to_string(*r.sequence);
  if (!r.status.ok()) out += ": " + r.status.to_string();
  return out;
}

#define REQUIRE_OUTCOME(result, expected)                                           \
  do {                                                                              \
    const ::snowcache::IngestResult& r_ = (result);                                 \
    INFO(::snowcache::testing::describe(r_));                                       \
    REQUIRE(r_.outcome == (expected));                                              \
  } while (0)
#define REQUIRE_APPLIED(result) REQUIRE_OUTCOME(result, ::snowcache::Outcome::kApplied)

// A cache with a Gateway on one shard; send() numbers dispatches 1, 2, ...
struct Rig {
  std::unique_ptr<MutableCache> cache;
  std::unique_ptr<Gateway> gw;
  std::uint32_t shard = 0;
  std::int64_t s = 0;

  explicit Rig(Settings settings = {}, std::uint32_t shard_ = 0)
      : cache(memory_cache(settings)), gw(std::make_unique<Gateway>(*cache)), shard(shard_) {}
  explicit Rig(std::unique_ptr<MutableCache> c, std::uint32_t shard_ = 0)
      : cache(std::move(c)), gw(std::make_unique<Gateway>(*cache)), shard(shard_) {}

  IngestResult send(std::string_view t, std::string_view d) { return gw->ingest_frame(shard, frame(t, ++s, d)); }
  IngestResult raw(std::string_view whole_frame) { return gw->ingest_frame(shard, whole_frame); }
  // Sends and requires kApplied.
  void apply(std::string_view t, std::string_view d) { REQUIRE_APPLIED(send(t, d)); }

  MutableCache& c() { return *cache; }
  const MutableCache& c() const { return *cache; }

  std::optional<std::int64_t> sequence() const {
    auto got = session(*cache, shard);
    REQUIRE_MESSAGE(got.ok(), got.status().to_string());
    return *got ? (*got)->sequence : std::nullopt;
  }
};

// Every kind's view for one guild, as counts: what "nothing changed" compares.
struct Census {
  std::size_t guilds = 0, available = 0, channels = 0, threads = 0, roles = 0, emojis = 0, stickers = 0,
              invites = 0, members = 0, users = 0, presences = 0, voice_states = 0, messages = 0, dm_ids = 0;
  bool me = false;
  std::optional<std::int64_t> sequence;
  bool operator==(const Census&) const = default;
};

inline std::size_t nested_total(const auto& nested) {
  std::size_t n = 0;
  for (auto& [g, inner] : nested.items()) n += inner.size();
  return n;
}

inline Census census(const Cache& c, std::uint32_t shard = 0) {
  Census k;
  k.guilds = c.get_guilds_view().size();
  k.available = c.get_available_guilds_view().size();
  k.channels = c.get_guild_channels_view().size();
  k.threads = c.get_threads_view().size();
  k.roles = c.get_roles_view().size();
  k.emojis = c.get_emojis_view().size();
  k.stickers = c.get_stickers_view().size();
  k.invites = c.get_invites_view().size();
  k.members = nested_total(c.get_members_view());
  k.users = c.get_users_view().size();
  k.presences = nested_total(c.get_presences_view());
  k.voice_states = nested_total(c.get_voice_states_view());
  k.messages = c.get_messages_view().size();
  k.dm_ids = c.get_dm_channel_ids_view().size();
  auto me = c.get_me();
  REQUIRE_MESSAGE(me.ok(), me.status().to_string());
  k.me = me->has_value();
  auto sess = session(c, shard);
  REQUIRE_MESSAGE(sess.ok(), sess.status().to_string());
  if (*sess) k.sequence = (*sess)->sequence;
  return k;
}

template <class T>
std::optional<Value<T>> got(Maybe<T> m) {
  REQUIRE_MESSAGE(m.ok(), m.status().to_string());
  return std::move(m).value();
}

// A guild's member_count; the guild must be cached.
inline std::optional<std::int32_t> member_count(const Cache& c, std::uint64_t g) {
  auto guild = got(c.get_guild(S(g)));
  REQUIRE(guild);
  return (*guild)->member_count();
}

inline std::string str(const flatbuffers::String* s) { return s ? s->str() : std::string("<null>"); }

// --- fixture files -----------------------------------------------------------

inline std::string env_or(const char* name, std::string fallback) {
  const char* v = std::getenv(name);
  return v && *v ? std::string(v) : fallback;
}

// tests/fixtures/<name> of the source tree (SNOWCACHE_SOURCE_ROOT, set by meson).
inline std::string fixture_path(const std::string& name) {
  std::string root = env_or("SNOWCACHE_SOURCE_ROOT", "");
  REQUIRE_MESSAGE(!root.empty(), "SNOWCACHE_SOURCE_ROOT is not set (run the suite through meson test)");
  return root + "/tests/fixtures/" + name;
}

inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  REQUIRE_MESSAGE(in.good(), "cannot read " << path);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The frames of an NDJSON file: non-blank lines not starting with '#'.
inline std::vector<std::string> frames_of(const std::string& path) {
  std::istringstream in(read_file(path));
  std::vector<std::string> out;
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    auto first = line.find_first_not_of(" \t");
    if (first == std::string::npos || line[first] == '#') continue;
    out.push_back(line);
  }
  return out;
}

// Feeds frames[from, to) to the gateway; each must be applied, ignored or a
// duplicate (never rejected). Returns the results.
inline std::vector<IngestResult> feed(Gateway& gw, const std::vector<std::string>& frames, std::size_t from,
                                      std::size_t to, std::uint32_t shard = 0) {
  std::vector<IngestResult> out;
  for (std::size_t i = from; i < to && i < frames.size(); ++i) {
    out.push_back(gw.ingest_frame(shard, frames[i]));
    INFO("frame #" << i << ": " << describe(out.back()));
    REQUIRE(out.back().outcome != Outcome::kRejected);
  }
  return out;
}

}  // namespace snowcache::testing
