// Test support: temporary directories, cache handles, entity builders.
#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include <doctest/doctest.h>
#include <unistd.h>

#include "snowcache/cache.h"
#include "snowcache/verify.h"

// Readable failure messages for id and name lists.
namespace doctest {
template <class T>
struct StringMaker<std::vector<T>> {
  static String convert(const std::vector<T>& v) {
    std::string out = "{";
    for (std::size_t i = 0; i < v.size(); ++i) {
      if (i) out += ", ";
      if constexpr (std::is_same_v<T, std::string>) {
        out += "\"" + v[i] + "\"";
      } else if constexpr (requires { v[i].value(); }) {  // Snowflake
        out += std::to_string(v[i].value());
      } else {
        out += std::to_string(v[i]);
      }
    }
    return (out + "}").c_str();
  }
};
}  // namespace doctest

namespace snowcache::testing {

// A fresh directory under the system temp dir, removed on destruction.
class TempDir {
 public:
  TempDir() {
    static std::atomic<int> n{0};
    path_ = std::filesystem::temp_directory_path() /
            ("snowcache-test-" + std::to_string(::getpid()) + "-" + std::to_string(n++));
    std::filesystem::remove_all(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  std::string str() const { return path_.string(); }
  std::filesystem::path path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// An in-memory cache (RocksDB's in-memory Env: same code path, no disk).
inline std::unique_ptr<MutableCache> memory_cache(Settings settings = {}) {
  Options o;
  o.in_memory = true;
  o.settings = settings;
  static std::atomic<int> n{0};
  auto c = MutableCache::open("/snowcache-mem-" + std::to_string(n++), o);
  REQUIRE_MESSAGE(c.ok(), c.status().to_string());
  return std::move(c).value();
}

inline std::unique_ptr<MutableCache> disk_cache(const std::string& dir, std::optional<Settings> settings = {}) {
  Options o;
  o.settings = settings;
  auto c = MutableCache::open(dir, o);
  REQUIRE_MESSAGE(c.ok(), c.status().to_string());
  return std::move(c).value();
}

inline Settings only(Components c) {
  Settings s;
  s.components = c;
  return s;
}

inline std::unique_ptr<fb::UserT> user(std::uint64_t id, std::string name = "user") {
  auto u = std::make_unique<fb::UserT>();
  u->id = id;
  u->username = std::move(name);
  return u;
}

inline fb::GuildT guild(std::uint64_t id, std::string name = "guild") {
  fb::GuildT g;
  g.id = id;
  g.name = std::move(name);
  g.member_count = 1;
  return g;
}

// A T with its id and guild set.
template <class T>
T in_guild(std::uint64_t id, std::uint64_t guild_id) {
  T x;
  x.id = id;
  x.guild_id = guild_id;
  return x;
}

inline fb::GuildChannelT channel(std::uint64_t id, std::uint64_t guild_id, int type = 0, int position = 0,
                                 std::optional<std::uint64_t> parent = std::nullopt, std::string name = "channel") {
  auto c = in_guild<fb::GuildChannelT>(id, guild_id);
  c.type = type;
  c.position = position;
  if (parent) c.parent_id = *parent;
  c.name = std::move(name);
  return c;
}

inline fb::ThreadT thread(std::uint64_t id, std::uint64_t guild_id, std::uint64_t parent, std::string name = "thread") {
  auto t = in_guild<fb::ThreadT>(id, guild_id);
  t.parent_id = parent;
  t.type = 11;
  t.name = std::move(name);
  return t;
}

inline fb::RoleT role(std::uint64_t id, std::uint64_t guild_id, std::string name = "role") {
  auto r = in_guild<fb::RoleT>(id, guild_id);
  r.name = std::move(name);
  return r;
}

inline fb::MemberT member(std::uint64_t guild_id, std::uint64_t user_id, std::string nick = "") {
  fb::MemberT m;
  m.guild_id = guild_id;
  m.user = user(user_id, "user" + std::to_string(user_id));
  m.nick = std::move(nick);
  return m;
}

inline fb::OwnUserT own_user(std::uint64_t id, std::string name = "me") {
  fb::OwnUserT u;
  u.id = id;
  u.username = std::move(name);
  return u;
}

// An emoji or sticker (T) named `prefix` + id, made by `creator` if given.
template <class T>
T guild_upload(const char* prefix, std::uint64_t id, std::uint64_t guild_id, std::optional<std::uint64_t> creator) {
  auto x = in_guild<T>(id, guild_id);
  x.name = prefix + std::to_string(id);
  if (creator) x.user = user(*creator);
  return x;
}

inline fb::EmojiT emoji(std::uint64_t id, std::uint64_t guild_id, std::optional<std::uint64_t> creator = std::nullopt) {
  return guild_upload<fb::EmojiT>("emoji", id, guild_id, creator);
}

inline fb::StickerT sticker(std::uint64_t id, std::uint64_t guild_id, std::optional<std::uint64_t> creator = std::nullopt) {
  return guild_upload<fb::StickerT>("sticker", id, guild_id, creator);
}

inline fb::InviteT invite(std::string code, std::optional<std::uint64_t> guild_id, std::optional<std::uint64_t> channel_id,
                          std::optional<std::uint64_t> inviter = std::nullopt,
                          std::optional<std::uint64_t> target = std::nullopt) {
  fb::InviteT i;
  i.code = std::move(code);
  if (guild_id) i.guild_id = *guild_id;
  if (channel_id) i.channel_id = *channel_id;
  if (inviter) i.inviter = user(*inviter);
  if (target) i.target_user = user(*target);
  return i;
}

inline fb::PresenceT presence(std::uint64_t guild_id, std::uint64_t user_id, std::string status = "online") {
  fb::PresenceT p;
  p.guild_id = guild_id;
  p.user_id = user_id;
  p.status = std::move(status);
  return p;
}

inline fb::VoiceStateT voice_state(std::uint64_t guild_id, std::uint64_t user_id, std::uint64_t channel_id,
                                   bool with_member = true) {
  fb::VoiceStateT v;
  v.guild_id = guild_id;
  v.user_id = user_id;
  v.channel_id = channel_id;
  v.session_id = "session";
  if (with_member) v.member = std::make_unique<fb::MemberT>(member(guild_id, user_id));
  return v;
}

inline fb::MessageT message(std::uint64_t id, std::uint64_t channel_id, std::optional<std::uint64_t> guild_id,
                            std::uint64_t author, std::vector<std::uint64_t> mentions = {}) {
  fb::MessageT m;
  m.id = id;
  m.channel_id = channel_id;
  if (guild_id) {
    m.guild_id = *guild_id;
    m.member = std::make_unique<fb::MemberT>(member(*guild_id, author));
  }
  m.author = user(author);
  for (auto u : mentions) m.mentions.push_back(user(u));
  m.content = "message " + std::to_string(id);
  return m;
}

// Unwraps a Result, failing the test with its status.
template <class T>
T ok(Result<T> r) {
  REQUIRE_MESSAGE(r.ok(), r.status().to_string());
  return std::move(r).value();
}
inline void ok(const Status& s) { REQUIRE_MESSAGE(s.ok(), s.to_string()); }

// --- small readers the suites share ----------------------------------------

inline Snowflake S(std::uint64_t v) { return Snowflake(v); }

using Ids = std::vector<std::uint64_t>;

// The keys of a view, in its order; checks that size() agrees.
template <class V>
Ids ids(const CacheView<Snowflake, V>& view) {
  Ids out;
  for (Snowflake k : view.keys()) out.push_back(k.value());
  CHECK(out.size() == view.size());
  return out;
}

// The guild ids of a nested view, in its order.
template <class V>
Ids guild_ids(const NestedView<V>& view) {
  Ids out;
  for (Snowflake k : view.keys()) out.push_back(k.value());
  return out;
}
template <class V>
Ids ids(const NestedView<V>& view) { return guild_ids(view); }

inline bool has_user(const Cache& c, std::uint64_t user) { return ok(c.get_user(S(user))).has_value(); }
inline bool has_member(const Cache& c, std::uint64_t guild, std::uint64_t user) {
  return ok(c.get_member(S(guild), S(user))).has_value();
}

// The DM channel id cached for a user, if any.
inline std::optional<std::uint64_t> dm(const Cache& c, std::uint64_t user) {
  auto r = ok(c.get_dm_channel_id(S(user)));
  if (!r) return std::nullopt;
  return r->value();
}

inline Settings with_max_messages(std::uint32_t n) {
  Settings s;
  s.max_messages = n;
  return s;
}

inline Settings with_max_dm(std::uint32_t n) {
  Settings s;
  s.max_dm_channel_ids = n;
  return s;
}

// verify() finds no problem (the problems are printed when it does).
inline void require_verifies(const Cache& c) {
  auto rep = verify(c);
  REQUIRE_MESSAGE(rep.ok(), rep.status().to_string());
  std::string problems;
  for (auto& p : rep->problems) problems += p + "\n";
  INFO(problems);
  CHECK(rep->ok());
}

// Closes the disk cache at `dir` and opens it again with its stored settings.
inline void reopen(std::unique_ptr<MutableCache>& c, const TempDir& dir) {
  c.reset();
  c = disk_cache(dir.str());
}

}  // namespace snowcache::testing
