// Corruption (docs/RELIABILITY.md): damaged bytes are reported, never
// dereferenced, never returned as data.
//   - Byte flips inside stored values, one byte at a time over whole values
//     of several kinds (tests/admin/dump_verify_test.cc and tests/storage/store_test.cc
//     cover wholesale garbage, truncated and empty values): every read either
//     returns a value that passed FlatBuffers verification or kCorruption
//     naming the entity; verify names it too.
//   - Byte flips inside the data blocks of the SST files of a closed cache:
//     RocksDB's block checksums turn them into kCorruption; every read
//     returns the original data or an error, never something else.
//   - A WAL cut short (a process that died without closing, then a torn
//     tail): the cache opens at the last complete event N and holds exactly
//     the state after events 1..N.
#include <sys/types.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <string>
#include <vector>

#include <rocksdb/db.h>
#include <rocksdb/table_properties.h>

#include "api/cache_state.h"
#include "storage/keys.h"
#include "reliability_support.h"
#include "storage/store.h"

using namespace snowcache;
using namespace snowcache::testing;
namespace fs = std::filesystem;

namespace {

using detail::Cf;

// Lines of `c`'s dump, per kind.
std::map<std::string, std::vector<std::string>> dump_by_kind(const Cache& c) {
  std::map<std::string, std::vector<std::string>> out;
  for (auto kind : dump_kinds()) {
    DumpFilter f;
    f.kind = std::string(kind);
    auto& lines = out[std::string(kind)];
    auto st = dump(c, f, [&](std::string_view l) { lines.emplace_back(l); });
    REQUIRE_MESSAGE(st.ok(), st.to_string());
  }
  return out;
}

// The "key":[...] parts of a dump line.
std::vector<std::string> key_of(const std::string& line) {
  std::vector<std::string> parts;
  const std::string tag = "\"key\": [";
  auto at = line.find(tag);
  REQUIRE(at != std::string::npos);
  auto end = line.find(']', at);
  std::string inner = line.substr(at + tag.size(), end - at - tag.size());
  std::size_t p = 0;
  while ((p = inner.find('"', p)) != std::string::npos) {
    auto q = inner.find('"', p + 1);
    parts.push_back(inner.substr(p + 1, q - p - 1));
    p = q + 1;
  }
  return parts;
}

std::string joined(const std::vector<std::string>& parts) {
  std::string out;
  for (auto& p : parts) out += (out.empty() ? "" : "/") + p;
  return out;
}

// Touches every value of a view; a corrupt one must throw kCorruption.
template <class View>
void walk(const View& view, int& threw) {
  try {
    for (const auto& [k, v] : view) (void)v.get();
  } catch (const Error& e) {
    CHECK_MESSAGE(e.status().code() == Code::kCorruption, e.status().to_string());
    ++threw;
  }
}

struct Target {
  std::string kind;
  Cf cf;
  std::vector<std::string> key;  // as in the dump
  std::string raw_key;           // as stored
};

}  // namespace

TEST_CASE("a byte flipped anywhere in a stored value: a verified value or kCorruption naming the entity") {
  // guild_life (a guild with every guild-scoped kind), then dm_messages'
  // messages on shard 1.
  auto cache = ok(cache_from_fixture(fixture_path("guild_life.ndjson")));
  {
    Gateway gw(*cache);
    for (auto& f : frames_of(fixture_path("dm_messages.ndjson"))) {
      if (f.find("\"t\":\"READY\"") == std::string::npos) REQUIRE(gw.ingest_frame(1, f).ok());
    }
  }
  auto& store = *detail::Access::state(*cache)->store;
  auto lines = dump_by_kind(*cache);

  std::vector<Target> targets;
  auto first = [&](const std::string& kind) {
    REQUIRE_MESSAGE(!lines[kind].empty(), "the fixture holds no " << kind);
    return key_of(lines[kind].front());
  };
  auto id = [](const std::string& s) { return Snowflake(std::stoull(s)); };
  {
    auto k = first("guild");
    targets.push_back({"guild", Cf::kGuilds, k, keys::id(id(k[0]))});
    k = first("member");
    targets.push_back({"member", Cf::kMembers, k, keys::pair(id(k[0]), id(k[1]))});
    k = first("user");
    targets.push_back({"user", Cf::kUsers, k, keys::id(id(k[0]))});
    k = first("message");
    targets.push_back({"message", Cf::kMessages, k, keys::id(id(k[0]))});
    k = first("role");
    targets.push_back({"role", Cf::kRoles, k, keys::id(id(k[0]))});
    k = first("guild_channel");
    targets.push_back({"guild_channel", Cf::kGuildChannels, k, keys::id(id(k[0]))});
  }

  for (const auto& t : targets) {
    CAPTURE(t.kind);
    const std::string what = t.kind + " " + joined(t.key);
    auto raw = store.get(t.cf, t.raw_key);
    REQUIRE((raw.ok() && *raw));
    const std::string original((*raw)->view());
    const Snowflake a = id(t.key[0]);
    const Snowflake b = t.key.size() > 1 ? id(t.key[1]) : Snowflake(0);
    std::size_t detected = 0, flips = 0;
    for (std::size_t i = 0; i < original.size(); ++i) {
      for (unsigned char mask : {0x01, 0xff}) {
        CAPTURE(i);
        CAPTURE(int(mask));
        std::string v = original;
        v[i] = static_cast<char>(v[i] ^ mask);
        REQUIRE(store.db()->Put(store.write_options(), store.cf(t.cf), t.raw_key, v).ok());
        // A write behind the write path's back (what a damaged disk does):
        // the front cache cannot know, so the getters below must not be
        // answered from it.
        store.front().clear();
        ++flips;

        auto j = entity_json(*cache, t.kind, t.key, false);
        if (!j.ok()) {
          ++detected;
          CHECK_MESSAGE(j.status().code() == Code::kCorruption, j.status().to_string());
          CHECK_MESSAGE(j.status().message().find(joined(t.key).substr(0, 18)) != std::string::npos,
                        j.status().to_string());
        } else {
          CHECK(j->has_value());
        }
        // The typed getter and the family's view agree with entity_json.
        Status got;
        int threw = 0;
        if (t.kind == "guild") {
          got = cache->get_guild(a).status();
          walk(cache->get_guilds_view(), threw);
        } else if (t.kind == "member") {
          got = cache->get_member(a, b).status();
          walk(cache->get_members_view_for_guild(a), threw);
        } else if (t.kind == "user") {
          got = cache->get_user(a).status();
          walk(cache->get_users_view(), threw);
        } else if (t.kind == "message") {
          got = cache->get_message(a).status();
          walk(cache->get_messages_view(), threw);
        } else if (t.kind == "role") {
          got = cache->get_role(a).status();
          walk(cache->get_roles_view(), threw);
        } else {
          got = cache->get_guild_channel(a).status();
          walk(cache->get_guild_channels_view(), threw);
        }
        CHECK_MESSAGE(got.ok() == j.ok(), got.to_string());
        CHECK(threw == (j.ok() ? 0 : 1));
        if (!got.ok()) CHECK(got.code() == Code::kCorruption);

        // verify names the entity whenever its value fails verification
        // (every flip of every 3rd byte: verify reads the whole cache).
        if (i % 3 == 0 && mask == 0xff) {
          auto rep = verify(*cache);
          REQUIRE_MESSAGE(rep.ok(), rep.status().to_string());
          bool named = false;
          for (auto& p : rep->problems) named = named || p.rfind(what + ":", 0) == 0;
          if (!j.ok()) CHECK_MESSAGE(named, what << " not named by verify");
        }
      }
    }
    MESSAGE(t.kind << ": " << detected << " of " << flips << " single-byte flips fail verification");
    CHECK(detected > 0);
    REQUIRE(store.db()->Put(store.write_options(), store.cf(t.cf), t.raw_key, original).ok());
    store.front().clear();
  }
  require_verifies(*cache);
  CHECK(dump_by_kind(*cache) == lines);
}

namespace {

// A closed disk cache holding the generated stream, with its per-kind dump
// and the JSON of every entity (read by point lookups).
struct ClosedCache {
  TempDir dir;
  std::map<std::string, std::vector<std::string>> lines;
  std::map<std::pair<std::string, std::vector<std::string>>, std::string> json;

  ClosedCache() {
    {
      auto c = disk_cache(dir.str());
      Gateway gw(*c);
      for (auto& f : generated_stream()) REQUIRE(taken(gw.ingest_frame(0, f)));
    }  // the graceful close flushes every family to an SST
    Options o;
    o.read_only = true;
    auto c = ok(Cache::open(dir.str(), o));
    lines = dump_by_kind(*c);
    for (auto& [kind, ls] : lines) {
      for (auto& l : ls) {
        // entity_json addresses me without key parts.
        auto key = kind == "me" ? std::vector<std::string>{} : key_of(l);
        auto j = entity_json(*c, kind, key, false);
        REQUIRE_MESSAGE(j.ok(), kind << " " << joined(key) << ": " << j.status().to_string());
        REQUIRE(j->has_value());
        json[{kind, key}] = **j;
      }
    }
  }
};

struct SstRegion {
  fs::path file;
  std::string family;
  std::uint64_t data_size = 0;
};

// Every SST of the closed cache at `dir` with its column family and the
// size of its data blocks (they start at offset 0).
std::vector<SstRegion> sst_regions(const std::string& dir) {
  Options o;
  o.read_only = true;
  auto store = detail::Store::open(dir, o);
  REQUIRE_MESSAGE(store.ok(), store.status().to_string());
  std::vector<SstRegion> out;
  for (std::size_t i = 0; i < detail::kCfCount; ++i) {
    auto cf = static_cast<Cf>(i);
    rocksdb::TablePropertiesCollection props;
    REQUIRE((*store)->db()->GetPropertiesOfAllTables((*store)->cf(cf), &props).ok());
    for (auto& [path, p] : props) out.push_back({fs::path(path), std::string(detail::cf_name(cf)), p->data_size});
  }
  std::sort(out.begin(), out.end(), [](auto& x, auto& y) { return x.file < y.file; });
  return out;
}

void flip_byte(const fs::path& file, std::uint64_t offset) {
  std::fstream f(file, std::ios::in | std::ios::out | std::ios::binary);
  REQUIRE(f.good());
  f.seekg(static_cast<std::streamoff>(offset));
  char c = 0;
  f.read(&c, 1);
  REQUIRE(f.good());
  c = static_cast<char>(c ^ 0x5a);
  f.seekp(static_cast<std::streamoff>(offset));
  f.write(&c, 1);
  f.flush();
  REQUIRE(f.good());
}

}  // namespace

TEST_CASE("a byte flipped in an SST data block: kCorruption from reads and verify, never other data") {
  ClosedCache base;
  auto regions = sst_regions(base.dir.str());
  REQUIRE(regions.size() >= 10);
  std::mt19937_64 rng(11);
  int flips = 0, open_failed = 0;
  for (const auto& r : regions) {
    REQUIRE(r.data_size > 8);
    std::vector<std::uint64_t> offsets = {0, r.data_size / 2, r.data_size - 1, rng() % r.data_size};
    for (auto off : offsets) {
      CAPTURE(r.family);
      CAPTURE(r.file.filename().string());
      CAPTURE(off);
      ++flips;
      TempDir work;
      fs::copy(base.dir.path(), work.path(), fs::copy_options::recursive);
      flip_byte(work.path() / r.file.filename(), off);

      Options o;
      o.read_only = true;
      auto c = Cache::open(work.str(), o);
      if (!c.ok()) {
        // Open reads meta (format version, settings): a flip there may
        // surface at open already.
        CHECK_MESSAGE(c.status().code() == Code::kCorruption, c.status().to_string());
        ++open_failed;
        continue;
      }
      // The dump kind a family holds ("members" holds "member", ...).
      const std::string family_kind = r.family.substr(0, r.family.size() - 1);
      bool reported = false;  // by a read of the flipped family
      for (auto& [kind, want] : base.lines) {
        CAPTURE(kind);
        DumpFilter f;
        f.kind = kind;
        std::vector<std::string> got;
        auto st = dump(**c, f, [&](std::string_view l) { got.emplace_back(l); });
        if (st.ok()) {
          CHECK(got == want);
        } else {
          reported = reported || kind == family_kind;
          CHECK_MESSAGE(st.code() == Code::kCorruption, st.to_string());
          CHECK(got.size() <= want.size());
          CHECK(std::equal(got.begin(), got.end(), want.begin()));
        }
      }
      // Point lookups of the flipped family's entities: the original entity
      // or kCorruption.
      for (auto& [k, want] : base.json) {
        if (k.first != family_kind) continue;
        auto j = entity_json(**c, k.first, k.second, false);
        if (j.ok()) {
          REQUIRE(j->has_value());
          CHECK(**j == want);
        } else {
          reported = true;
          CHECK_MESSAGE(j.status().code() == Code::kCorruption, j.status().to_string());
        }
      }
      auto rep = verify(**c);
      bool verify_reported = !rep.ok() || !rep->problems.empty();
      if (!rep.ok()) CHECK_MESSAGE(rep.status().code() == Code::kCorruption, rep.status().to_string());
      CHECK_MESSAGE(verify_reported, "verify found nothing wrong");
      CHECK_MESSAGE((reported || r.family == "index" || r.family == "refs" || r.family == "meta"),
                    "no read of the flipped family reported corruption");
    }
  }
  MESSAGE(flips << " flips in " << regions.size() << " SSTs, " << open_failed << " refused at open");
}

TEST_CASE("a WAL with a torn tail: the cache opens at the last complete event N, holding exactly 1..N") {
  const auto& frames = generated_stream();
  TempDir base;
  // The child ingests everything and dies without closing: every event is
  // in the WAL only (no memtable was flushed).
  auto [report, code] = run_in_child<std::int64_t>([&](std::int64_t& applied) {
    Options o;
    o.sync = false;
    auto opened = MutableCache::open(base.str(), o);
    if (!opened.ok()) return 3;
    // Never closed: the child _exits with the cache open. (Closing would
    // also wait for RocksDB's background threads, which fork did not copy.)
    MutableCache& cache = *opened->release();
    Gateway gw(cache);
    for (auto& f : frames) {
      if (!taken(gw.ingest_frame(0, f))) return 4;
      ++applied;
    }
    return 0;
  });
  REQUIRE(code == 0);
  REQUIRE(report == static_cast<std::int64_t>(frames.size()));
  const auto wal = wal_file(base.path());
  const auto wal_size = fs::file_size(wal);
  for (auto& e : fs::directory_iterator(base.path())) CHECK(e.path().extension() != ".sst");
  MESSAGE("WAL of " << frames.size() << " events: " << wal_size << " bytes");
  REQUIRE(wal_size > 64 * 1024);

  std::map<std::size_t, std::string> refs;
  auto reference = [&](std::size_t n) -> const std::string& {
    auto it = refs.find(n);
    if (it == refs.end()) it = refs.emplace(n, reference_dump(frames, n)).first;
    return it->second;
  };
  // Cut 0 (intact), one byte, a few bytes, a record or so, and large cuts.
  std::int64_t previous = static_cast<std::int64_t>(frames.size()) + 1;
  for (std::uintmax_t cut : {std::uintmax_t{0}, std::uintmax_t{1}, std::uintmax_t{7}, std::uintmax_t{300},
                             std::uintmax_t{5000}, wal_size / 3, wal_size * 2 / 3, wal_size}) {
    CAPTURE(cut);
    TempDir work;
    fs::copy(base.path(), work.path(), fs::copy_options::recursive);
    fs::resize_file(work.path() / wal.filename(), wal_size - cut);

    // Read-only first (replays the WAL without writing), then for writing.
    std::optional<std::int64_t> seq_ro;
    {
      Options o;
      o.read_only = true;
      auto c = Cache::open(work.str(), o);
      if (cut == wal_size) {
        // Nothing of the WAL is left, not even the format version written at
        // creation: a read-only open refuses the directory.
        REQUIRE_FALSE(c.ok());
        CHECK(c.status().code() == Code::kNotACache);
      } else {
        REQUIRE_MESSAGE(c.ok(), c.status().to_string());
        seq_ro = stored_sequence(**c);
      }
    }
    Options o;
    o.create_if_missing = false;
    auto c = MutableCache::open(work.str(), o);
    REQUIRE_MESSAGE(c.ok(), c.status().to_string());
    auto seq = stored_sequence(**c);
    if (cut != wal_size) CHECK(seq == seq_ro);
    const std::int64_t n = seq.value_or(0);
    MESSAGE("cut " << cut << " of " << wal_size << " bytes: stored sequence " << n);
    CHECK(n <= static_cast<std::int64_t>(frames.size()));
    if (cut == 0) CHECK(n == static_cast<std::int64_t>(frames.size()));
    if (cut > 0) CHECK(n < static_cast<std::int64_t>(frames.size()));
    CHECK(n <= previous);
    previous = n;
    require_verifies(**c);
    CHECK(dump_text(**c) == reference(static_cast<std::size_t>(n)));

    // The stream replayed (a RESUME) skips 1..N and ends where an
    // uninterrupted run does.
    if (cut == 300) {
      Gateway gw(**c);
      std::size_t applied = 0;
      for (auto& f : frames) applied += taken(gw.ingest_frame(0, f));
      CHECK(applied == frames.size() - static_cast<std::size_t>(n));
      CHECK(dump_text(**c) == reference(frames.size()));
    }
  }
}
