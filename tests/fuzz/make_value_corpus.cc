// make_value_corpus — writes the seed corpus of fuzz_value: stored values of
// every entity kind, taken from caches built from fixture files.
//
//   make_value_corpus OUT_DIR FIXTURE.ndjson...
//
// Each fixture is ingested into an in-memory cache (cache_from_fixture);
// every value of every kind is collected, and per kind the smallest, the
// largest and the median (by size, up to kMaxBytes) are written to
// OUT_DIR/<kind>-<n> as the exact stored bytes (a verified FlatBuffer). The
// output is deterministic for the same fixtures and flatbuffers version.
// See tests/fuzz/README.md.
#include <algorithm>
#include <cstddef>
#include <cstdio>
#include <fstream>
#include <map>
#include <set>
#include <span>
#include <string>
#include <vector>

#include "snowcache/cache.h"
#include "snowcache/fixture.h"

namespace {

constexpr std::size_t kMaxBytes = 2048;

using Values = std::map<std::string, std::set<std::string>>;  // kind -> distinct value bytes

template <class V>
void add(Values& out, const char* kind, const snowcache::Value<V>& v) {
  std::span<const std::uint8_t> b = v.bytes();
  out[kind].insert(std::string(reinterpret_cast<const char*>(b.data()), b.size()));
}

template <class View>
void add_view(Values& out, const char* kind, const View& view) {
  for (const auto& [key, value] : view) add(out, kind, value);
}

template <class V>
void add_nested(Values& out, const char* kind, const snowcache::NestedView<V>& view) {
  for (const auto& [guild, inner] : view.items()) add_view(out, kind, inner);
}

void collect(Values& out, const snowcache::Cache& c) {
  add_view(out, "guild", c.get_guilds_view());
  add_view(out, "guild_channel", c.get_guild_channels_view());
  add_view(out, "thread", c.get_threads_view());
  add_view(out, "role", c.get_roles_view());
  add_view(out, "emoji", c.get_emojis_view());
  add_view(out, "sticker", c.get_stickers_view());
  add_view(out, "invite", c.get_invites_view());
  add_nested(out, "member", c.get_members_view());
  add_view(out, "user", c.get_users_view());
  add_nested(out, "presence", c.get_presences_view());
  add_nested(out, "voice_state", c.get_voice_states_view());
  add_view(out, "message", c.get_messages_view());
  add_view(out, "dm_channel_id", c.get_dm_channel_ids_view());
  auto me = c.get_me();
  if (me.ok() && me.value()) add(out, "me", *me.value());
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s OUT_DIR FIXTURE.ndjson...\n", argv[0]);
    return 2;
  }
  Values values;
  for (int i = 2; i < argc; ++i) {
    snowcache::FixtureOptions fo;
    fo.fail_on_rejection = false;  // docs-examples.ndjson holds frames meant to be rejected
    auto cache = snowcache::cache_from_fixture(argv[i], fo);
    if (!cache.ok()) {
      std::fprintf(stderr, "%s: %s\n", argv[i], cache.status().to_string().c_str());
      return 1;
    }
    collect(values, *cache.value());
  }
  std::size_t written = 0;
  for (const auto& [kind, set] : values) {
    std::vector<std::string> v;
    for (const auto& s : set) {
      if (s.size() <= kMaxBytes) v.push_back(s);
    }
    std::stable_sort(v.begin(), v.end(), [](const auto& a, const auto& b) { return a.size() < b.size(); });
    std::set<std::size_t> picks;
    if (!v.empty()) picks = {0, v.size() / 2, v.size() - 1};
    int n = 0;
    for (std::size_t p : picks) {
      std::string path = std::string(argv[1]) + "/" + kind + "-" + std::to_string(n++);
      std::ofstream f(path, std::ios::binary);
      f.write(v[p].data(), static_cast<std::streamsize>(v[p].size()));
      if (!f) {
        std::fprintf(stderr, "%s: cannot write\n", path.c_str());
        return 1;
      }
      ++written;
    }
  }
  std::printf("%zu values written to %s\n", written, argv[1]);
  return 0;
}
