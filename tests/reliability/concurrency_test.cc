// Readers on several threads while ingest runs (reliability issue, part 4).
//
// One thread ingests a generated stream through a Gateway; reader threads
// meanwhile get entities, iterate views and nested views and read sessions.
// Every view must be a consistent snapshot: iterating it twice gives the same
// entries, its size() agrees with its iteration, every member in a guild's
// view belongs to that guild, and a nested view's inner views agree with the
// per-guild view taken from the same snapshot's keys. Writes from the API on
// another thread interleave with the ingest (the writer lock serialises them).
// At the end the cache verifies clean and equals, dump for dump, a cache that
// ingested the same stream on one thread.
//
// Run under ThreadSanitizer in CI (.ci/run: build-tsan/); the build here runs
// it too, where it checks the invariants without the race detector.
#include <atomic>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "reliability_support.h"

namespace {

using namespace snowcache;
using namespace snowcache::testing;

// A failed reader check, kept as text (doctest's macros are not thread-safe).
struct Failures {
  std::mutex mu;
  std::vector<std::string> what;
  void add(std::string s) {
    std::lock_guard<std::mutex> lock(mu);
    if (what.size() < 20) what.push_back(std::move(s));
  }
};

// One reader's loop over the cache until `stop`. Returns how many views it checked.
std::size_t read_loop(const Cache& c, const cachebench::Generated& g, std::atomic<bool>& stop, Failures& f,
                      unsigned seed) {
  std::size_t checked = 0;
  std::size_t i = seed;
  while (!stop.load(std::memory_order_relaxed)) {
    ++i;
    try {
      // Point reads: errors are failures, misses are fine (not ingested yet).
      const auto& mk = g.member_keys[i % g.member_keys.size()];
      auto m = c.get_member(Snowflake(mk.first), Snowflake(mk.second));
      if (!m.ok()) f.add("get_member: " + m.status().to_string());
      if (m.ok() && *m && (**m)->guild_id() != mk.first) f.add("get_member: a member of another guild");
      auto gd = c.get_guild(Snowflake(mk.first));
      if (!gd.ok()) f.add("get_guild: " + gd.status().to_string());
      auto u = c.get_user(Snowflake(g.user_ids[i % g.user_ids.size()]));
      if (!u.ok()) f.add("get_user: " + u.status().to_string());

      // A guild's member view: a snapshot.
      auto view = c.get_members_view_for_guild(Snowflake(mk.first));
      std::vector<Snowflake> first;
      for (const auto& [user, member] : view) {
        if (member->guild_id() != mk.first) f.add("members view: a member of another guild");
        first.push_back(user);
      }
      if (view.size() != first.size()) {
        f.add("members view: size() " + std::to_string(view.size()) + " but iterated " +
              std::to_string(first.size()));
      }
      std::vector<Snowflake> second = view.keys();
      if (second != first) f.add("members view: a second iteration differs");
      if (!first.empty()) {
        auto mid = view.get_item_at(static_cast<std::ptrdiff_t>(first.size() / 2));
        if (mid->user()->id() != first[first.size() / 2].value()) {
          f.add("members view: get_item_at disagrees with iteration");
        }
      }

      // A nested view: every inner view agrees with its own size.
      if (i % 8 == 0) {
        auto nested = c.get_presences_view();
        for (const auto& [guild, inner] : nested.items()) {
          std::size_t n = 0;
          for (const auto& [user, p] : inner) {
            if (p->guild_id() != guild.value()) f.add("presences view: a presence of another guild");
            ++n;
          }
          if (n != inner.size()) f.add("nested presences view: inner size() disagrees with iteration");
        }
      }
      // Whole-kind views and sessions.
      if (i % 4 == 0) {
        auto messages = c.get_messages_view();
        std::size_t n = 0;
        for (const auto& kv : messages) {
          (void)kv;
          ++n;
        }
        if (n != messages.size()) f.add("messages view: size() disagrees with iteration");
        auto s = sessions(c);
        if (!s.ok()) f.add("sessions: " + s.status().to_string());
      }
      ++checked;
    } catch (const std::exception& e) {
      f.add(std::string("exception: ") + e.what());
    }
  }
  return checked;
}

TEST_CASE("readers on three threads while one thread ingests and another writes through the API") {
  auto g = cachebench::generate(generated_shape());  // its ids to read back
  const auto& frames = generated_stream();
  TempDir dir;
  auto cache = disk_cache(dir.str());
  Gateway gw(*cache);
  std::atomic<bool> stop{false};
  Failures f;
  std::vector<std::size_t> checked(3, 0);
  std::vector<std::thread> readers;
  for (unsigned t = 0; t < 3; ++t) {
    readers.emplace_back([&, t] { checked[t] = read_loop(*cache, g, stop, f, t * 1000); });
  }
  // An API writer: sets and deletes an unrelated guild's role 300 times while the ingest runs.
  std::atomic<std::size_t> api_writes{0};
  std::thread api([&] {
    fb::RoleT role;
    role.id = 1'000'000'000'000'000'001ULL;
    role.guild_id = 1'000'000'000'000'000'000ULL;
    role.name = "api";
    for (int n = 0; n < 300; ++n) {
      auto put = cache->set_role(role);
      auto del = cache->delete_role(Snowflake(role.id));
      if (!put.ok()) f.add("API writer: set_role: " + put.to_string());
      if (!del.ok()) f.add("API writer: delete_role: " + del.status().to_string());
      api_writes.fetch_add(1, std::memory_order_relaxed);
    }
  });
  std::size_t rejected = 0;
  for (const auto& frame : frames) {
    if (gw.ingest_frame(0, frame).outcome == Outcome::kRejected) ++rejected;
  }
  api.join();
  stop = true;
  for (auto& t : readers) t.join();

  INFO("reader failures: " << f.what.size() << (f.what.empty() ? "" : ", first: " + f.what.front()));
  CHECK(f.what.empty());
  CHECK(rejected == 0);
  for (std::size_t n : checked) CHECK(n > 0);
  CHECK(api_writes.load() == 300);
  MESSAGE("reader loops: " << checked[0] << ", " << checked[1] << ", " << checked[2] << "; API writes: "
                           << api_writes.load());

  require_verifies(*cache);
  // The same stream on one thread gives the same cache.
  CHECK(dump_text(*cache) == reference_dump(frames, frames.size()));
}

TEST_CASE("front cache: under concurrent writes no reader sees a value older than one it saw, nor a stale one after") {
  // One writer renames a role "v1", "v2", ... and a guild likewise; readers
  // get both in a loop. A fill that raced a write (read the old value, then
  // installed it after the write) would make some reader go back a version,
  // or see an old one after the writer finished.
  TempDir dir;
  auto cache = disk_cache(dir.str());
  constexpr std::uint64_t kRole = 7001, kGuild = 7000;
  constexpr int kVersions = 2000;
  auto version_of = [](const flatbuffers::String* name) { return name ? std::stoi(name->str().substr(1)) : -1; };
  fb::RoleT role;
  role.id = kRole;
  role.guild_id = kGuild;
  role.name = "v0";
  fb::GuildT guild;
  guild.id = kGuild;
  guild.name = "v0";
  REQUIRE(cache->set_role(role).ok());
  REQUIRE(cache->set_guild(guild).ok());
  std::atomic<bool> stop{false};
  Failures f;
  std::vector<std::thread> readers;
  std::vector<long> reads(3, 0);
  for (int t = 0; t < 3; ++t) {
    readers.emplace_back([&, t] {
      int last_role = 0, last_guild = 0;
      while (!stop.load(std::memory_order_acquire)) {
        auto r = cache->get_role(Snowflake(kRole));
        auto g = cache->get_guild(Snowflake(kGuild));
        if (!r.ok() || !*r || !g.ok() || !*g) {
          f.add("a get failed or missed");
          continue;
        }
        int rv = version_of((**r)->name()), gv = version_of((**g)->name());
        if (rv < last_role) f.add("role went back from v" + std::to_string(last_role) + " to v" + std::to_string(rv));
        if (gv < last_guild) f.add("guild went back from v" + std::to_string(last_guild) + " to v" + std::to_string(gv));
        last_role = rv, last_guild = gv;
        ++reads[static_cast<std::size_t>(t)];
      }
      // The writer has returned from its last write: only that version may be seen.
      for (int i = 0; i < 100; ++i) {
        auto r = cache->get_role(Snowflake(kRole));
        auto g = cache->get_guild(Snowflake(kGuild));
        if (r.ok() && *r && version_of((**r)->name()) != kVersions) f.add("a stale role after the last write");
        if (g.ok() && *g && version_of((**g)->name()) != kVersions) f.add("a stale guild after the last write");
      }
    });
  }
  for (int v = 1; v <= kVersions; ++v) {
    role.name = guild.name = "v" + std::to_string(v);
    if (!cache->set_role(role).ok() || !cache->set_guild(guild).ok()) f.add("a write failed");
  }
  stop.store(true, std::memory_order_release);
  for (auto& t : readers) t.join();
  INFO("reader failures: " << f.what.size() << (f.what.empty() ? "" : ", first: " + f.what.front()));
  CHECK(f.what.empty());
  for (long n : reads) CHECK(n > 0);
  MESSAGE("reads per thread: " << reads[0] << ", " << reads[1] << ", " << reads[2]);
}

TEST_CASE("a joined value (a member with its user) never goes back a version under concurrent user writes") {
  // The writer renames users through message author objects ("v1", "v2",
  // ...: the user record only, issue 14); readers get the members, whose
  // front cache entries hold the user joined in. A stale dependency stamp
  // would serve a member with an older user than one already seen.
  TempDir dir;
  auto cache = disk_cache(dir.str());
  constexpr std::uint64_t kGuild = 8000;
  constexpr int kUsers = 8, kVersions = 600;
  for (int u = 1; u <= kUsers; ++u) REQUIRE(cache->set_member(member(kGuild, 8000 + u)).ok());
  auto version_of = [](const fb::User* user) {
    std::string n = user && user->username() ? user->username()->str() : "";
    return n.size() > 1 && n[0] == 'v' ? std::stoi(n.substr(1)) : 0;
  };
  std::atomic<bool> stop{false};
  Failures f;
  std::vector<std::thread> readers;
  for (int t = 0; t < 3; ++t) {
    readers.emplace_back([&] {
      std::vector<int> last(kUsers + 1, 0);
      while (!stop.load(std::memory_order_acquire)) {
        for (int u = 1; u <= kUsers; ++u) {
          auto m = cache->get_member(Snowflake(kGuild), Snowflake(8000 + u));
          if (!m.ok() || !*m) {
            f.add("get_member failed or missed");
            continue;
          }
          int v = version_of((**m)->user());
          if (v < last[u]) f.add("member's user went back from v" + std::to_string(last[u]) + " to v" + std::to_string(v));
          last[u] = v;
        }
      }
      for (int u = 1; u <= kUsers; ++u) {  // after the last write: only the last version
        auto m = cache->get_member(Snowflake(kGuild), Snowflake(8000 + u));
        if (m.ok() && *m && version_of((**m)->user()) != kVersions) f.add("a stale member after the last write");
      }
    });
  }
  for (int v = 1; v <= kVersions; ++v) {
    fb::MessageT msg = message(900000 + v, 1, kGuild, 8000 + 1 + v % kUsers);
    msg.member.reset();  // the author object only: the member record is untouched
    msg.author->username = "v" + std::to_string(v);
    if (!cache->set_message(msg).ok()) f.add("set_message failed");
  }
  // Every user at the last version, each read after the writer is done.
  for (int u = 1; u <= kUsers; ++u) {
    fb::MessageT msg = message(990000 + u, 1, kGuild, 8000 + u);
    msg.member.reset();
    msg.author->username = "v" + std::to_string(kVersions);
    if (!cache->set_message(msg).ok()) f.add("set_message failed");
  }
  stop.store(true, std::memory_order_release);
  for (auto& t : readers) t.join();
  INFO("reader failures: " << f.what.size() << (f.what.empty() ? "" : ", first: " + f.what.front()));
  CHECK(f.what.empty());
  require_verifies(*cache);
}

TEST_CASE("a read-modify-write reads under the writer lock: a GUILD_UPDATE loses no concurrent member add") {
  // update_guild keeps the cached member_count (D12) while GUILD_MEMBER_ADD
  // increments it. Read outside the writer lock (as update_guild did before
  // issue 15), an add committed between that read and the write is lost.
  TempDir dir;
  auto cache = disk_cache(dir.str());
  constexpr std::uint64_t kGuild = 9000;
  constexpr int kAdds = 1500;
  fb::GuildT g = guild(kGuild, "start");
  g.member_count = 0;
  REQUIRE(cache->set_guild(g).ok());
  Failures f;
  std::thread adder([&] {
    Gateway gw(*cache);
    for (int i = 1; i <= kAdds; ++i) {
      std::string d = R"({"guild_id":"9000","user":{"id":")" + std::to_string(10000 + i) +
                      R"(","username":"u"},"roles":[],"joined_at":null})";
      auto r = gw.ingest_frame(0, frame("GUILD_MEMBER_ADD", i, d));
      if (r.outcome != Outcome::kApplied) f.add("member add: " + r.status.to_string());
    }
  });
  fb::GuildT update;  // GUILD_UPDATE-shaped: no member_count
  update.id = kGuild;
  for (int i = 0; i < kAdds; ++i) {
    update.name = "name " + std::to_string(i);
    if (!cache->update_guild(update).ok()) f.add("update_guild failed");
  }
  adder.join();
  INFO("failures: " << f.what.size() << (f.what.empty() ? "" : ", first: " + f.what.front()));
  CHECK(f.what.empty());
  auto got = cache->get_guild(Snowflake(kGuild));
  REQUIRE(got.ok());
  REQUIRE(*got);
  CHECK((**got)->member_count() == kAdds);
}

TEST_CASE("front cache of a secondary: readers never go back a version while it catches up") {
  // A primary renames a role "v1", "v2", ...; a secondary catches up in a
  // loop while two readers get the role from it. A reader that read before
  // a catch-up must not fill the front cache after it.
  TempDir dir, sec;
  auto primary = disk_cache(dir.str());
  fb::RoleT role;
  role.id = 8001;
  role.guild_id = 8000;
  role.name = "v0";
  REQUIRE(primary->set_role(role).ok());
  Options o;
  o.secondary = true;
  o.secondary_path = sec.str();
  auto opened = Cache::open(dir.str(), o);
  REQUIRE_MESSAGE(opened.ok(), opened.status().to_string());
  auto& secondary = **opened;
  std::atomic<bool> stop{false};
  Failures f;
  auto version_of = [](const flatbuffers::String* name) { return name ? std::stoi(name->str().substr(1)) : -1; };
  std::vector<std::thread> readers;
  for (int t = 0; t < 2; ++t) {
    readers.emplace_back([&] {
      int last = 0;
      while (!stop.load(std::memory_order_acquire)) {
        auto r = secondary.get_role(Snowflake(role.id));
        if (!r.ok() || !*r) {
          f.add("get_role on the secondary failed or missed");
          continue;
        }
        int v = version_of((**r)->name());
        if (v < last) f.add("went back from v" + std::to_string(last) + " to v" + std::to_string(v));
        last = v;
      }
    });
  }
  std::thread catcher([&] {
    while (!stop.load(std::memory_order_acquire)) {
      if (auto s = secondary.catch_up(); !s.ok()) f.add("catch_up: " + s.to_string());
    }
  });
  constexpr int kVersions = 300;
  for (int v = 1; v <= kVersions; ++v) {
    role.name = "v" + std::to_string(v);
    if (!primary->set_role(role).ok()) f.add("a write failed");
  }
  stop.store(true, std::memory_order_release);
  for (auto& t : readers) t.join();
  catcher.join();
  REQUIRE(secondary.catch_up().ok());
  auto last = secondary.get_role(Snowflake(role.id));
  REQUIRE((last.ok() && *last));
  CHECK(version_of((**last)->name()) == kVersions);
  INFO("reader failures: " << f.what.size() << (f.what.empty() ? "" : ", first: " + f.what.front()));
  CHECK(f.what.empty());
}

}  // namespace
