// The front cache (lib/src/storage/front_cache.h): its fill protocol, its bound, and
// that a cache with it answers every get exactly as one without it.
#include <map>
#include <random>

#include "api/cache_state.h"
#include "storage/front_cache.h"
#include "snowcache/gateway.h"
#include "support.h"

using namespace snowcache;
using namespace snowcache::testing;
using detail::Bytes;
using detail::Cf;
using detail::FrontCache;

namespace {

std::shared_ptr<const Bytes> bytes(const std::string& s) { return Bytes::copy_of(s); }

std::string got(FrontCache& fc, Cf cf, const std::string& key) {
  std::shared_ptr<const Bytes> out;
  FrontCache::Ticket t;
  return fc.lookup(cf, key, &out, &t) ? std::string(out->view()) : "<miss>";
}

// Misses, then fills with `value`.
void read_through(FrontCache& fc, Cf cf, const std::string& key, const std::string& value) {
  std::shared_ptr<const Bytes> out;
  FrontCache::Ticket t;
  REQUIRE_FALSE(fc.lookup(cf, key, &out, &t));
  fc.fill(cf, key, bytes(value), t);
}

std::unique_ptr<MutableCache> open_mem(std::size_t front_bytes) {
  Options o;
  o.in_memory = true;
  o.front_cache_bytes = front_bytes;
  static int n = 0;
  auto c = MutableCache::open("/front-cache-test-" + std::to_string(n++), o);
  REQUIRE_MESSAGE(c.ok(), c.status().to_string());
  return std::move(c).value();
}

FrontCache& front_of(const Cache& c) { return detail::Access::state(c)->store->front(); }

}  // namespace

TEST_CASE("front cache: a miss fills, the next lookup hits the same bytes") {
  FrontCache fc(1 << 20);
  CHECK(got(fc, Cf::kRoles, "k1") == "<miss>");
  read_through(fc, Cf::kRoles, "k1", "v1");
  CHECK(got(fc, Cf::kRoles, "k1") == "v1");
  CHECK(got(fc, Cf::kGuilds, "k1") == "<miss>");  // the family is part of the key
  auto st = fc.stats();
  CHECK(st.hits == 1);
  CHECK(st.misses == 3);
  CHECK(st.entries == 1);
}

TEST_CASE("front cache: a fill that raced a write is refused, before, during and after it") {
  FrontCache fc(1 << 20);
  FrontCache::Written w{{Cf::kRoles, "k1"}};
  std::shared_ptr<const Bytes> out;

  SUBCASE("read before the write, filled after it ended: stale, refused") {
    FrontCache::Ticket t;
    REQUIRE_FALSE(fc.lookup(Cf::kRoles, "k1", &out, &t));
    fc.end_write(fc.begin_write(w), w);
    fc.fill(Cf::kRoles, "k1", bytes("old"), t);
    CHECK(got(fc, Cf::kRoles, "k1") == "<miss>");
  }
  SUBCASE("read while the write is in flight: refused, whenever it fills") {
    auto token = fc.begin_write(w);
    FrontCache::Ticket t;
    REQUIRE_FALSE(fc.lookup(Cf::kRoles, "k1", &out, &t));
    fc.fill(Cf::kRoles, "k1", bytes("either"), t);  // during
    CHECK(got(fc, Cf::kRoles, "k1") == "<miss>");
    FrontCache::Ticket t2;
    REQUIRE_FALSE(fc.lookup(Cf::kRoles, "k1", &out, &t2));
    fc.end_write(token, w);
    fc.fill(Cf::kRoles, "k1", bytes("either"), t2);  // after
    CHECK(got(fc, Cf::kRoles, "k1") == "<miss>");
  }
  SUBCASE("read after the write ended: filled") {
    fc.end_write(fc.begin_write(w), w);
    read_through(fc, Cf::kRoles, "k1", "new");
    CHECK(got(fc, Cf::kRoles, "k1") == "new");
  }
  SUBCASE("a write drops the entries it touches, and only those") {
    read_through(fc, Cf::kRoles, "k1", "v1");
    read_through(fc, Cf::kRoles, "k2", "v2");
    fc.end_write(fc.begin_write(w), w);
    CHECK(got(fc, Cf::kRoles, "k1") == "<miss>");
    CHECK(got(fc, Cf::kRoles, "k2") == "v2");
  }
  SUBCASE("clear drops everything and refuses older tickets") {
    read_through(fc, Cf::kRoles, "k2", "v2");
    FrontCache::Ticket t;
    REQUIRE_FALSE(fc.lookup(Cf::kRoles, "k1", &out, &t));
    fc.clear();
    fc.fill(Cf::kRoles, "k1", bytes("old"), t);
    CHECK(got(fc, Cf::kRoles, "k1") == "<miss>");
    CHECK(got(fc, Cf::kRoles, "k2") == "<miss>");
  }
}

TEST_CASE("front cache: bounded by its capacity, least recently used out") {
  const std::size_t cap = 32 * 4096;  // 4 KiB per shard
  FrontCache fc(cap);
  std::string value(200, 'x');
  for (int i = 0; i < 5000; ++i) read_through(fc, Cf::kMembers, "key" + std::to_string(i), value);
  auto st = fc.stats();
  CHECK(st.bytes <= cap);
  CHECK(st.entries > 0);
  CHECK(st.entries * (value.size() + FrontCache::kEntryOverhead) == st.bytes);
  // A key read again and again stays while others come and go.
  read_through(fc, Cf::kMembers, "hot", value);
  for (int i = 0; i < 5000; ++i) {
    read_through(fc, Cf::kMembers, "cold" + std::to_string(i), value);
    REQUIRE(got(fc, Cf::kMembers, "hot") == value);
  }
  // A value larger than a shard's share is never cached.
  FrontCache small(32 * 100);
  std::shared_ptr<const Bytes> out;
  FrontCache::Ticket t;
  REQUIRE_FALSE(small.lookup(Cf::kGuilds, "g", &out, &t));
  small.fill(Cf::kGuilds, "g", bytes(std::string(500, 'y')), t);
  CHECK(small.stats().entries == 0);
}

TEST_CASE("front cache: off at 0 bytes; keys longer than kMaxKey are never cached") {
  FrontCache off(0);
  CHECK_FALSE(off.enabled());
  std::shared_ptr<const Bytes> out;
  FrontCache::Ticket t;
  CHECK_FALSE(off.lookup(Cf::kRoles, "k", &out, &t));
  off.fill(Cf::kRoles, "k", bytes("v"), t);
  CHECK_FALSE(off.lookup(Cf::kRoles, "k", &out, &t));
  FrontCache on(1 << 20);
  std::string long_key(FrontCache::kMaxKey + 1, 'c');
  REQUIRE_FALSE(on.lookup(Cf::kInvites, long_key, &out, &t));
  on.fill(Cf::kInvites, long_key, bytes("v"), t);
  CHECK_FALSE(on.lookup(Cf::kInvites, long_key, &out, &t));
}

TEST_CASE("front cache: begin_write_all (a secondary catching up) drops everything and refuses older tickets") {
  FrontCache fc(1 << 20);
  read_through(fc, Cf::kRoles, "k2", "v2");
  std::shared_ptr<const Bytes> out;
  FrontCache::Ticket before, during;
  REQUIRE_FALSE(fc.lookup(Cf::kRoles, "k1", &out, &before));
  auto token = fc.begin_write_all();
  CHECK(got(fc, Cf::kRoles, "k2") == "<miss>");
  REQUIRE_FALSE(fc.lookup(Cf::kRoles, "k1", &out, &during));
  fc.fill(Cf::kRoles, "k1", bytes("either"), during);
  CHECK(got(fc, Cf::kRoles, "k1") == "<miss>");
  fc.end_write(token, {});
  fc.fill(Cf::kRoles, "k1", bytes("old"), before);
  fc.fill(Cf::kRoles, "k1", bytes("either"), during);
  CHECK(got(fc, Cf::kRoles, "k1") == "<miss>");
  read_through(fc, Cf::kRoles, "k1", "new");
  CHECK(got(fc, Cf::kRoles, "k1") == "new");
}

TEST_CASE("front cache: a hit is always the store's current value, through growth, shifts and eviction") {
  // A model store (key -> version) and random reads, writes and deletes
  // against one FrontCache, big enough to grow every shard's table many
  // times, small enough to evict: every hit must return the current value.
  for (std::size_t capacity : {std::size_t{64} << 20, std::size_t{256} << 10}) {
    CAPTURE(capacity);
    FrontCache fc(capacity);
    std::map<std::string, int> store;
    std::mt19937_64 rng(capacity);
    auto key = [&] { return "k" + std::to_string(rng() % 6000); };
    std::size_t hits = 0;
    for (int step = 0; step < 60000; ++step) {
      std::string k = key();
      switch (rng() % 10) {
        case 0: case 1: {  // a write of 1-3 keys (or their deletion)
          FrontCache::Written w{{Cf::kMembers, k}};
          if (rng() % 2) w.emplace_back(Cf::kMembers, key());
          auto token = fc.begin_write(w);
          for (auto& [cf, wk] : w) {
            if (rng() % 4 == 0) store.erase(wk); else store[wk] = step;
          }
          fc.end_write(token, w);
          break;
        }
        default: {  // a read through the cache
          std::shared_ptr<const Bytes> out;
          FrontCache::Ticket t;
          auto it = store.find(k);
          if (fc.lookup(Cf::kMembers, k, &out, &t)) {
            ++hits;
            REQUIRE(it != store.end());
            REQUIRE(std::string(out->view()) == std::to_string(it->second));
          } else if (it != store.end()) {
            fc.fill(Cf::kMembers, k, bytes(std::to_string(it->second)), t);
          }
        }
      }
    }
    auto st = fc.stats();
    CHECK(hits > (capacity > (1 << 20) ? 10000u : 5000u));
    CHECK(st.bytes <= capacity);
    if (capacity > (1 << 20)) CHECK(st.entries > 1000);  // grown past the first 64 slots of a shard
  }
}

TEST_CASE("front cache: a joined value is a miss once a dependency is written, also one in flight") {
  FrontCache fc(1 << 20);
  FrontCache::Written user{{Cf::kUsers, "u7"}}, other{{Cf::kUsers, "u8"}};
  // A miss's ticket, and the user's stamp taken before reading the user.
  auto fill_member = [&]() {
    std::shared_ptr<const Bytes> out;
    FrontCache::Ticket t;
    REQUIRE_FALSE(fc.lookup(Cf::kMembers, "g1u7", &out, &t));
    FrontCache::Stamp dep = fc.stamp(Cf::kUsers, "u7");  // before reading the user
    return std::make_pair(t, dep);
  };
  auto [t, dep] = fill_member();
  fc.fill(Cf::kMembers, "g1u7", bytes("v1"), t, 5, std::span(&dep, 1));
  CHECK(got(fc, Cf::kMembers, "g1u7") == "v1");
  REQUIRE(fc.stamp(Cf::kUsers, "u8").slot != dep.slot);
  fc.end_write(fc.begin_write(other), other);  // another user: still valid
  CHECK(got(fc, Cf::kMembers, "g1u7") == "v1");
  fc.end_write(fc.begin_write(user), user);  // its user: a miss, and dropped
  CHECK(got(fc, Cf::kMembers, "g1u7") == "<miss>");
  CHECK(fc.stats().entries == 0);

  // The user written while the member was being joined: stamped in flight,
  // the fill goes in (another shard), but never hits.
  auto [t2, ignored] = fill_member();
  auto token = fc.begin_write(user);
  FrontCache::Stamp in_flight = fc.stamp(Cf::kUsers, "u7");
  fc.end_write(token, user);
  fc.fill(Cf::kMembers, "g1u7", bytes("v2"), t2, 6, std::span(&in_flight, 1));
  CHECK(got(fc, Cf::kMembers, "g1u7") == "<miss>");
  (void)ignored;

  // More dependencies than an entry carries: not cached.
  auto [t3, d3] = fill_member();
  std::vector<FrontCache::Stamp> many(FrontCache::kMaxDeps + 1, d3);
  fc.fill(Cf::kMembers, "g1u7", bytes("v3"), t3, 7, many);
  CHECK(got(fc, Cf::kMembers, "g1u7") == "<miss>");
}

TEST_CASE("front cache: a view at an older snapshot than the fill does not use the entry") {
  FrontCache fc(1 << 20);
  std::shared_ptr<const Bytes> out;
  FrontCache::Ticket t;
  REQUIRE_FALSE(fc.lookup(Cf::kRoles, "r1", &out, &t));
  fc.fill(Cf::kRoles, "r1", bytes("filled at 10"), t, 10);
  CHECK_FALSE(fc.lookup_at(Cf::kRoles, "r1", 9, &out));
  REQUIRE(fc.lookup_at(Cf::kRoles, "r1", 10, &out));
  CHECK(out->view() == "filled at 10");
  CHECK(fc.lookup_at(Cf::kRoles, "r1", UINT64_MAX, &out));
  FrontCache::Written w{{Cf::kRoles, "r1"}};
  fc.end_write(fc.begin_write(w), w);
  CHECK_FALSE(fc.lookup_at(Cf::kRoles, "r1", UINT64_MAX, &out));
}

TEST_CASE("a view's cursor reuses a value's buffer only when nobody holds it") {
  auto c = open_mem(0);
  // Members whose values grow (a longer nick each), so a refill sometimes
  // needs a larger buffer than the one before.
  for (std::uint64_t u = 1; u <= 50; ++u) ok(c->set_member(member(9, u, std::string(u * 7, 'n'))));
  auto view = c->get_members_view_for_guild(Snowflake(9));
  std::vector<Value<fb::Member>> kept;
  std::uint64_t u = 0;
  for (auto it = view.begin(); it != view.end(); ++it) {
    ++u;
    auto v = it.value();
    REQUIRE(v->user()->id() == u);
    REQUIRE(v->nick()->size() == u * 7);
    if (u % 3 == 0) kept.push_back(v);  // held across ++: must not be overwritten
  }
  CHECK(u == 50);
  REQUIRE(kept.size() == 16);
  for (std::size_t i = 0; i < kept.size(); ++i) {
    std::uint64_t want = 3 * (i + 1);
    CHECK(kept[i]->user()->id() == want);
    CHECK(kept[i]->nick()->str() == std::string(want * 7, 'n'));
  }
}

TEST_CASE("front cache: getters hit it, and every write path keeps it exact") {
  auto c = open_mem(16 << 20);
  FrontCache& fc = front_of(*c);
  ok(c->set_guild(guild(1, "one")));
  ok(c->set_member(member(1, 7, "first")));
  REQUIRE(ok(c->get_member(Snowflake(1), Snowflake(7))));
  auto before = fc.stats();
  auto m = ok(c->get_member(Snowflake(1), Snowflake(7)));
  REQUIRE(m);
  CHECK(fc.stats().hits == before.hits + 1);
  CHECK((*m)->nick()->str() == "first");

  // set, update, delete, clear: each is seen by the next get.
  ok(c->set_member(member(1, 7, "second")));
  CHECK((*ok(c->get_member(Snowflake(1), Snowflake(7))))->nick()->str() == "second");
  (void)ok(c->update_member(member(1, 7, "third")));
  CHECK((*ok(c->get_member(Snowflake(1), Snowflake(7))))->nick()->str() == "third");
  (void)ok(c->delete_member(Snowflake(1), Snowflake(7)));
  CHECK_FALSE(ok(c->get_member(Snowflake(1), Snowflake(7))));
  ok(c->set_member(member(1, 7, "back")));
  REQUIRE(ok(c->get_member(Snowflake(1), Snowflake(7))));
  (void)ok(c->clear_members());
  CHECK_FALSE(ok(c->get_member(Snowflake(1), Snowflake(7))));
  CHECK_FALSE(ok(c->get_user(Snowflake(7))));  // released with its member

  // The gateway's writes too: a GUILD_DELETE cascade drops a cached guild.
  REQUIRE(ok(c->get_guild(Snowflake(1))));
  Gateway gw(*c);
  REQUIRE(gw.ingest_frame(0, R"({"op":0,"t":"GUILD_DELETE","s":1,"d":{"id":"1"}})").ok());
  CHECK_FALSE(ok(c->get_guild(Snowflake(1))));
  // A rejected event writes nothing, so what is cached stays right.
  ok(c->set_role(role(5, 2, "kept")));
  REQUIRE(ok(c->get_role(Snowflake(5))));
  auto r = gw.ingest_frame(0, R"({"op":0,"t":"GUILD_ROLE_UPDATE","s":2,"d":{"guild_id":"2","role":{"id":"x5","name":"gone"}}})");
  CHECK(r.outcome == Outcome::kRejected);
  CHECK((*ok(c->get_role(Snowflake(5))))->name()->str() == "kept");
}

TEST_CASE("front cache: a value that fails verification is reported on every read, never cached") {
  auto c = open_mem(16 << 20);
  ok(c->set_role(role(5, 2, "r")));
  auto& store = *detail::Access::state(*c)->store;
  std::string key = keys::id(Snowflake(5));
  REQUIRE(store.db()->Put(store.write_options(), store.cf(Cf::kRoles), key, std::string(16, '\xff')).ok());
  store.front().clear();  // the Put above went behind the write path's back
  for (int i = 0; i < 3; ++i) {
    auto r = c->get_role(Snowflake(5));
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().code() == Code::kCorruption);
  }
  CHECK(store.front().stats().entries == 0);
}

TEST_CASE("front cache: with and without it, every get answers the same through random writes") {
  auto with = open_mem(64 * 1024);  // small: entries come and go
  auto without = open_mem(0);
  std::mt19937_64 rng(7);
  for (int step = 0; step < 4000; ++step) {
    std::uint64_t g = 1 + rng() % 3, u = 100 + rng() % 40, r = 10 + rng() % 20;
    std::string name = "n" + std::to_string(step);
    switch (rng() % 8) {
      case 0:
        for (auto* c : {with.get(), without.get()}) ok(c->set_member(member(g, u, name)));
        break;
      case 1:
        for (auto* c : {with.get(), without.get()}) (void)ok(c->delete_member(Snowflake(g), Snowflake(u)));
        break;
      case 2:
        for (auto* c : {with.get(), without.get()}) ok(c->set_role(role(r, g, name)));
        break;
      case 3:
        for (auto* c : {with.get(), without.get()}) (void)ok(c->delete_role(Snowflake(r)));
        break;
      case 4:
        for (auto* c : {with.get(), without.get()}) ok(c->set_guild(guild(g, name)));
        break;
      case 5:
        if (rng() % 20 == 0) {
          for (auto* c : {with.get(), without.get()}) (void)ok(c->clear_members_for_guild(Snowflake(g)));
        }
        break;
      default:
        break;  // reads only
    }
    // Read a few keys from both: the answers must be byte for byte equal.
    for (int k = 0; k < 3; ++k) {
      std::uint64_t qg = 1 + rng() % 3, qu = 100 + rng() % 40, qr = 10 + rng() % 20;
      auto a = ok(with->get_member(Snowflake(qg), Snowflake(qu)));
      auto b = ok(without->get_member(Snowflake(qg), Snowflake(qu)));
      REQUIRE(a.has_value() == b.has_value());
      if (a) REQUIRE(std::string(a->buffer()->view()) == std::string(b->buffer()->view()));
      auto ra = ok(with->get_role(Snowflake(qr)));
      auto rb = ok(without->get_role(Snowflake(qr)));
      REQUIRE(ra.has_value() == rb.has_value());
      if (ra) REQUIRE(std::string(ra->buffer()->view()) == std::string(rb->buffer()->view()));
      auto ua = ok(with->get_user(Snowflake(qu)));
      auto ub = ok(without->get_user(Snowflake(qu)));
      REQUIRE(ua.has_value() == ub.has_value());
      auto ga = ok(with->get_guild(Snowflake(qg)));
      auto gb = ok(without->get_guild(Snowflake(qg)));
      REQUIRE(ga.has_value() == gb.has_value());
      if (ga) REQUIRE(std::string(ga->buffer()->view()) == std::string(gb->buffer()->view()));
    }
  }
  CHECK(front_of(*with).stats().hits > 0);
  CHECK(front_of(*without).stats().hits == 0);
}

TEST_CASE("front cache: a secondary drops it when it catches up with its primary") {
  TempDir dir, sec;
  auto w = disk_cache(dir.str());
  ok(w->set_role(role(5, 2, "before")));
  Options o;
  o.secondary = true;
  o.secondary_path = sec.str();
  auto s = ok(Cache::open(dir.str(), o));
  CHECK((*ok(s->get_role(Snowflake(5))))->name()->str() == "before");
  CHECK((*ok(s->get_role(Snowflake(5))))->name()->str() == "before");  // now from the front cache
  ok(w->set_role(role(5, 2, "after")));
  ok(w->set_role(role(6, 2, "new")));
  REQUIRE(s->catch_up().ok());
  CHECK((*ok(s->get_role(Snowflake(5))))->name()->str() == "after");
  CHECK(ok(s->get_role(Snowflake(6))));
}
