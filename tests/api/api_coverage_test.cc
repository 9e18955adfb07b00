// API coverage (semantics.md R1): every method of hikari's Cache, CacheView
// and MutableCache (seed/hikari-api-cache.txt) exists under the same name.
//
// Two halves:
//  * at compile time, kChecked names every method through a real expression:
//    a member-function pointer for Cache and MutableCache (so a missing or
//    misspelled method does not compile, and a method declared on the wrong
//    class fails a static_assert: mutators must not be on the read side), and
//    a requires-expression for CacheView::get_item_at (index and slice
//    overloads);
//  * at test time, the seed file is parsed (from $SNOWCACHE_SHARED, which
//    tests/meson.build sets) and its set of (class, method) pairs must equal
//    kChecked's. Without the seed file (a clone without ../shared) that test
//    says so on stderr and is reported as skipped.
#include <algorithm>
#include <cctype>
#include <concepts>
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include <doctest/doctest.h>

#include "snowcache/cache.h"

namespace {

using snowcache::Cache;
using snowcache::CacheView;
using snowcache::MutableCache;
using snowcache::NestedView;
using snowcache::Slice;
using snowcache::Snowflake;

template <class>
struct member_class;
template <class R, class C>
struct member_class<R C::*> {
  using type = C;
};

// True when P is a pointer to a member function declared in Owner itself.
template <auto P, class Owner>
constexpr bool declared_in =
    std::is_member_function_pointer_v<decltype(P)> && std::is_same_v<typename member_class<decltype(P)>::type, Owner>;

template <class View>
concept HasGetItemAt = requires(const View& v, std::ptrdiff_t i, Slice s) {
  { v.get_item_at(i) } -> std::same_as<typename View::mapped_type>;
  { v.get_item_at(s) } -> std::same_as<std::vector<typename View::mapped_type>>;
};

struct Checked {
  std::string_view owner;  // hikari's class: Cache, CacheView, MutableCache
  std::string_view name;
  bool declared_where_expected;
};

#define CACHE_METHOD(n) \
  Checked { "Cache", #n, declared_in<&::snowcache::Cache::n, ::snowcache::Cache> }
#define MUTABLE_METHOD(n) \
  Checked { "MutableCache", #n, declared_in<&::snowcache::MutableCache::n, ::snowcache::MutableCache> }

constexpr Checked kChecked[] = {
    // hikari.api.cache.Cache (43)
    CACHE_METHOD(get_available_guild),
    CACHE_METHOD(get_available_guilds_view),
    CACHE_METHOD(get_dm_channel_id),
    CACHE_METHOD(get_dm_channel_ids_view),
    CACHE_METHOD(get_emoji),
    CACHE_METHOD(get_emojis_view),
    CACHE_METHOD(get_emojis_view_for_guild),
    CACHE_METHOD(get_guild),
    CACHE_METHOD(get_guild_channel),
    CACHE_METHOD(get_guild_channels_view),
    CACHE_METHOD(get_guild_channels_view_for_guild),
    CACHE_METHOD(get_guilds_view),
    CACHE_METHOD(get_invite),
    CACHE_METHOD(get_invites_view),
    CACHE_METHOD(get_invites_view_for_channel),
    CACHE_METHOD(get_invites_view_for_guild),
    CACHE_METHOD(get_me),
    CACHE_METHOD(get_member),
    CACHE_METHOD(get_members_view),
    CACHE_METHOD(get_members_view_for_guild),
    CACHE_METHOD(get_message),
    CACHE_METHOD(get_messages_view),
    CACHE_METHOD(get_presence),
    CACHE_METHOD(get_presences_view),
    CACHE_METHOD(get_presences_view_for_guild),
    CACHE_METHOD(get_role),
    CACHE_METHOD(get_roles_view),
    CACHE_METHOD(get_roles_view_for_guild),
    CACHE_METHOD(get_sticker),
    CACHE_METHOD(get_stickers_view),
    CACHE_METHOD(get_stickers_view_for_guild),
    CACHE_METHOD(get_thread),
    CACHE_METHOD(get_threads_view),
    CACHE_METHOD(get_threads_view_for_channel),
    CACHE_METHOD(get_threads_view_for_guild),
    CACHE_METHOD(get_unavailable_guild),
    CACHE_METHOD(get_unavailable_guilds_view),
    CACHE_METHOD(get_user),
    CACHE_METHOD(get_users_view),
    CACHE_METHOD(get_voice_state),
    CACHE_METHOD(get_voice_states_view),
    CACHE_METHOD(get_voice_states_view_for_channel),
    CACHE_METHOD(get_voice_states_view_for_guild),
    // hikari.api.cache.CacheView (1): both overloads, on id- and code-keyed views.
    Checked{"CacheView", "get_item_at",
            HasGetItemAt<CacheView<Snowflake, snowcache::fb::Guild>> &&
                HasGetItemAt<CacheView<std::string, snowcache::fb::Invite>>},
    // hikari.api.cache.MutableCache (63)
    MUTABLE_METHOD(clear),
    MUTABLE_METHOD(clear_dm_channel_ids),
    MUTABLE_METHOD(clear_emojis),
    MUTABLE_METHOD(clear_emojis_for_guild),
    MUTABLE_METHOD(clear_guild_channels),
    MUTABLE_METHOD(clear_guild_channels_for_guild),
    MUTABLE_METHOD(clear_guilds),
    MUTABLE_METHOD(clear_invites),
    MUTABLE_METHOD(clear_invites_for_channel),
    MUTABLE_METHOD(clear_invites_for_guild),
    MUTABLE_METHOD(clear_members),
    MUTABLE_METHOD(clear_members_for_guild),
    MUTABLE_METHOD(clear_messages),
    MUTABLE_METHOD(clear_presences),
    MUTABLE_METHOD(clear_presences_for_guild),
    MUTABLE_METHOD(clear_roles),
    MUTABLE_METHOD(clear_roles_for_guild),
    MUTABLE_METHOD(clear_stickers),
    MUTABLE_METHOD(clear_stickers_for_guild),
    MUTABLE_METHOD(clear_threads),
    MUTABLE_METHOD(clear_threads_for_channel),
    MUTABLE_METHOD(clear_threads_for_guild),
    MUTABLE_METHOD(clear_voice_states),
    MUTABLE_METHOD(clear_voice_states_for_channel),
    MUTABLE_METHOD(clear_voice_states_for_guild),
    MUTABLE_METHOD(delete_dm_channel_id),
    MUTABLE_METHOD(delete_emoji),
    MUTABLE_METHOD(delete_guild),
    MUTABLE_METHOD(delete_guild_channel),
    MUTABLE_METHOD(delete_invite),
    MUTABLE_METHOD(delete_me),
    MUTABLE_METHOD(delete_member),
    MUTABLE_METHOD(delete_message),
    MUTABLE_METHOD(delete_presence),
    MUTABLE_METHOD(delete_role),
    MUTABLE_METHOD(delete_sticker),
    MUTABLE_METHOD(delete_thread),
    MUTABLE_METHOD(delete_voice_state),
    MUTABLE_METHOD(set_dm_channel_id),
    MUTABLE_METHOD(set_emoji),
    MUTABLE_METHOD(set_guild),
    MUTABLE_METHOD(set_guild_availability),
    MUTABLE_METHOD(set_guild_channel),
    MUTABLE_METHOD(set_invite),
    MUTABLE_METHOD(set_me),
    MUTABLE_METHOD(set_member),
    MUTABLE_METHOD(set_message),
    MUTABLE_METHOD(set_presence),
    MUTABLE_METHOD(set_role),
    MUTABLE_METHOD(set_sticker),
    MUTABLE_METHOD(set_thread),
    MUTABLE_METHOD(set_voice_state),
    MUTABLE_METHOD(update_emoji),
    MUTABLE_METHOD(update_guild),
    MUTABLE_METHOD(update_guild_channel),
    MUTABLE_METHOD(update_invite),
    MUTABLE_METHOD(update_me),
    MUTABLE_METHOD(update_member),
    MUTABLE_METHOD(update_message),
    MUTABLE_METHOD(update_presence),
    MUTABLE_METHOD(update_role),
    MUTABLE_METHOD(update_thread),
    MUTABLE_METHOD(update_voice_state),
};

#undef CACHE_METHOD
#undef MUTABLE_METHOD

static_assert(std::all_of(std::begin(kChecked), std::end(kChecked),
                          [](const Checked& c) { return c.declared_where_expected; }),
              "every hikari method is a member function of its class (mutators only on MutableCache)");
static_assert(std::size(kChecked) == 107, "hikari's Cache, CacheView and MutableCache have 107 methods");

// hikari's abstract properties: Cache.settings.
constexpr std::string_view kCheckedProperties[] = {"settings"};
static_assert(declared_in<&Cache::settings, Cache>);

// NestedView (members, presences, voice states: guild -> view) also indexes.
static_assert(requires(const NestedView<snowcache::fb::Member>& v) {
  { v.get_item_at(std::ptrdiff_t{0}) } -> std::same_as<CacheView<Snowflake, snowcache::fb::Member>>;
});

using Pair = std::pair<std::string, std::string>;  // (class, method)

std::set<Pair> checked_pairs() {
  std::set<Pair> out;
  for (const Checked& c : kChecked) out.emplace(std::string(c.owner), std::string(c.name));
  return out;
}

struct Seed {
  std::set<Pair> methods;
  std::set<std::string> properties;
};

// The identifier at the start of `s` ([A-Za-z0-9_]*).
std::string_view identifier(std::string_view s) {
  std::size_t n = 0;
  while (n < s.size() && (std::isalnum(static_cast<unsigned char>(s[n])) || s[n] == '_')) ++n;
  return s.substr(0, n);
}

// Reads hikari's documentation text: "class hikari.api.cache.X[source]#"
// opens a class; "abstract name(...)" is a method (listed once per overload),
// "abstract property name: ..." a property. (String matching, not
// std::regex: GCC 12's <regex> trips -Wmaybe-uninitialized under ASan.)
Seed parse_seed(const std::filesystem::path& path) {
  Seed seed;
  std::ifstream in(path);
  REQUIRE_MESSAGE(in, "cannot read " << path.string());
  constexpr std::string_view kClass = "class hikari.api.cache.";
  constexpr std::string_view kProperty = "abstract property ";
  constexpr std::string_view kAbstract = "abstract ";
  std::string cls, line;
  while (std::getline(in, line)) {
    std::string_view l = line;
    if (l.starts_with(kClass)) {
      cls = identifier(l.substr(kClass.size()));
    } else if (l.starts_with(kProperty)) {
      seed.properties.emplace(identifier(l.substr(kProperty.size())));
    } else if (l.starts_with(kAbstract)) {
      std::string_view rest = l.substr(kAbstract.size());
      std::string_view name = identifier(rest);
      if (name.empty() || rest.size() == name.size() || rest[name.size()] != '(') continue;
      REQUIRE_MESSAGE(!cls.empty(), "method " << std::string(name) << " outside any class in " << path.string());
      seed.methods.emplace(cls, std::string(name));
    }
  }
  return seed;
}

// Where the seed is, or "" when SNOWCACHE_SHARED is not set.
const std::string& seed_location() {
  static const std::string path = [] {
    const char* shared = std::getenv("SNOWCACHE_SHARED");
    return shared ? (std::filesystem::path(shared) / "seed" / "hikari-api-cache.txt").string() : std::string();
  }();
  return path;
}

// True (and said loudly, once) when the seed file cannot be found.
bool seed_missing() {
  static const bool missing = [] {
    const std::string& path = seed_location();
    std::error_code ec;
    if (!path.empty() && std::filesystem::is_regular_file(path, ec)) return false;
    std::fprintf(stderr, "seed file not found at %s: coverage check skipped\n",
                 path.empty() ? "$SNOWCACHE_SHARED/seed/hikari-api-cache.txt (SNOWCACHE_SHARED is not set)"
                              : path.c_str());
    return true;
  }();
  return missing;
}

std::string describe(const std::set<Pair>& pairs) {
  std::string out;
  for (const auto& [cls, name] : pairs) out += "\n  " + cls + "." + name;
  return out;
}

}  // namespace

TEST_CASE("api coverage: the compile-time list names 107 distinct methods") {
  auto pairs = checked_pairs();
  CHECK(pairs.size() == std::size(kChecked));  // no name listed twice
  CHECK(pairs.size() == 107);
  for (const Checked& c : kChecked) {
    CAPTURE(c.name);
    CHECK(c.declared_where_expected);
  }
}

TEST_CASE("api coverage: every method of seed/hikari-api-cache.txt exists under its name" *
          doctest::skip(seed_missing())) {
  Seed seed = parse_seed(seed_location());
  std::set<Pair> checked = checked_pairs();

  std::set<Pair> missing, extra;
  std::set_difference(seed.methods.begin(), seed.methods.end(), checked.begin(), checked.end(),
                      std::inserter(missing, missing.end()));
  std::set_difference(checked.begin(), checked.end(), seed.methods.begin(), seed.methods.end(),
                      std::inserter(extra, extra.end()));
  CHECK_MESSAGE(missing.empty(), "seed methods not in the compile-time check list:" << describe(missing));
  CHECK_MESSAGE(extra.empty(), "checked methods that are not in the seed:" << describe(extra));
  CHECK(seed.methods.size() == 107);
  CHECK(seed.methods == checked);

  std::set<std::string> properties(std::begin(kCheckedProperties), std::end(kCheckedProperties));
  CHECK(seed.properties == properties);

  std::size_t present = seed.methods.size() - missing.size();
  std::printf("api coverage: %zu/%zu seed methods present\n", present, seed.methods.size());
  std::fflush(stdout);
}
