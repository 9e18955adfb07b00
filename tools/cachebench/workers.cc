// cachebench's workers: each measures one thing in its own process and
// prints "name value" lines. See bench.h.
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <fstream>
#include <functional>
#include <stdexcept>
#include <thread>

#include <fmt/core.h>
#include <rocksdb/cache.h>
#include <rocksdb/convenience.h>
#include <rocksdb/db.h>
#include <rocksdb/utilities/options_util.h>
#include <rocksdb/write_buffer_manager.h>

#include "bench.h"
#include "snowcache/admin.h"
#include "snowcache/cache.h"
#include "snowcache/gateway.h"

namespace cachebench {

using snowcache::Snowflake;

std::pair<double, double> rss_mib() {
  std::ifstream in("/proc/self/status");
  std::string line;
  double hwm = 0, rss = 0;
  while (std::getline(in, line)) {
    if (line.rfind("VmHWM:", 0) == 0) hwm = std::stod(line.substr(6)) / 1024.0;
    if (line.rfind("VmRSS:", 0) == 0) rss = std::stod(line.substr(6)) / 1024.0;
  }
  return {hwm, rss};
}

namespace {

void put_u64s(std::ofstream& out, const std::vector<std::uint64_t>& v) {
  std::uint64_t n = v.size();
  out.write(reinterpret_cast<const char*>(&n), sizeof n);
  out.write(reinterpret_cast<const char*>(v.data()), static_cast<std::streamsize>(n * sizeof(std::uint64_t)));
}

std::vector<std::uint64_t> get_u64s(std::ifstream& in) {
  std::uint64_t n = 0;
  in.read(reinterpret_cast<char*>(&n), sizeof n);
  std::vector<std::uint64_t> v(n);
  in.read(reinterpret_cast<char*>(v.data()), static_cast<std::streamsize>(n * sizeof(std::uint64_t)));
  if (!in) throw std::runtime_error("keys file is truncated");
  return v;
}

}  // namespace

void write_keys(const fs::path& file, const Keys& k) {
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  std::vector<std::uint64_t> flat;
  for (auto [g, u] : k.member_sample) flat.push_back(g), flat.push_back(u);
  put_u64s(out, {k.members, k.largest_guild, k.largest_guild_members});
  put_u64s(out, flat);
  put_u64s(out, k.guilds);
  put_u64s(out, k.channels);
  put_u64s(out, k.roles);
  if (!out) throw std::runtime_error("cannot write " + file.string());
}

Keys read_keys(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + file.string());
  Keys k;
  auto head = get_u64s(in);
  if (head.size() != 3) throw std::runtime_error("keys file is malformed");
  k.members = head[0], k.largest_guild = head[1], k.largest_guild_members = head[2];
  auto flat = get_u64s(in);
  for (std::size_t i = 0; i + 1 < flat.size(); i += 2) k.member_sample.emplace_back(flat[i], flat[i + 1]);
  k.guilds = get_u64s(in);
  k.channels = get_u64s(in);
  k.roles = get_u64s(in);
  return k;
}

namespace {

std::unique_ptr<snowcache::MutableCache> open_cache(const fs::path& dir) {
  auto c = snowcache::MutableCache::open(dir.string());
  if (!c.ok()) throw std::runtime_error(c.status().to_string());
  return std::move(c).value();
}

void check(const rocksdb::Status& s) {
  if (!s.ok()) throw std::runtime_error(s.ToString());
}

// The raw baseline: a plain RocksDB database with the cache's own column
// families and options, read and written with nothing on top.
//
// How its options match the cache's: they are loaded from the cache
// directory's OPTIONS file (rocksdb::LoadLatestOptions), which RocksDB writes
// from the options the store opened it with (lib/src/storage/store.cc): the
// same families, table options (partitioned index and filters, bloom bits,
// format version), compression (LZ4; bottommost ZSTD with a dictionary),
// prefix extractors, memtable blooms, write buffer sizes and DB options. What
// an OPTIONS file does not hold is set as the store sets it for
// snowcache::Options{}: one LRU block cache of block_cache_bytes shared by
// every family, a WriteBufferManager of write_buffer_bytes, unsynced writes
// (sync = false: default WriteOptions). The store's own info log and its
// SNOWCACHE marker file are the only differences (neither is on a timed path;
// the marker is a few bytes of the disk figure).
class RawDb {
 public:
  // Opens `dir` (created when absent) with the options of the cache at `cache`;
  // `read_only`: the cache directory itself, to read it.
  RawDb(const fs::path& dir, const fs::path& cache, bool read_only = false) {
    const snowcache::Options defaults;
    rocksdb::ConfigOptions config;
    config.ignore_unknown_options = false;
    std::shared_ptr<rocksdb::Cache> block_cache = rocksdb::NewLRUCache(defaults.block_cache_bytes);
    rocksdb::DBOptions db;
    std::vector<rocksdb::ColumnFamilyDescriptor> descs;
    check(rocksdb::LoadLatestOptions(config, cache.string(), &db, &descs, &block_cache));
    db.create_if_missing = true;
    db.create_missing_column_families = true;
    db.write_buffer_manager = std::make_shared<rocksdb::WriteBufferManager>(defaults.write_buffer_bytes);
    rocksdb::DB* raw = nullptr;
    check(read_only ? rocksdb::DB::OpenForReadOnly(db, dir.string(), descs, &handles_, &raw)
                    : rocksdb::DB::Open(db, dir.string(), descs, &handles_, &raw));
    db_.reset(raw);
  }
  ~RawDb() {
    for (auto* h : handles_) (void)db_->DestroyColumnFamilyHandle(h);
  }
  RawDb(const RawDb&) = delete;
  RawDb& operator=(const RawDb&) = delete;

  rocksdb::DB* db() const { return db_.get(); }
  // The cache's column families (every one but RocksDB's default, which the
  // cache leaves empty), in the order of its OPTIONS file.
  std::vector<rocksdb::ColumnFamilyHandle*> families() const {
    std::vector<rocksdb::ColumnFamilyHandle*> out;
    for (auto* h : handles_) {
      if (h->GetName() != rocksdb::kDefaultColumnFamilyName) out.push_back(h);
    }
    return out;
  }
  // The family holding entity kind `kind` ("member").
  rocksdb::ColumnFamilyHandle* kind(std::string_view kind) const {
    const auto* k = snowcache::find_kind(kind);
    for (auto* h : handles_) {
      if (k && h->GetName() == k->family) return h;
    }
    throw std::runtime_error("no column family for kind " + std::string(kind));
  }

 private:
  std::unique_ptr<rocksdb::DB> db_;
  std::vector<rocksdb::ColumnFamilyHandle*> handles_;
};

std::unique_ptr<RawDb> open_raw(const Work& w) { return std::make_unique<RawDb>(w.raw(), w.cache()); }

// A cheap, seeded generator (the pick must cost little next to a get).
struct Rng {
  std::uint64_t s;
  std::uint64_t next() {
    std::uint64_t z = (s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
};

enum class Dist { kUniform, kSkewed, kHot };

// Index of the next key among n: uniform; skewed (90% on the first `hot`);
// or only the first `hot`.
struct Picker {
  Rng rng;
  std::size_t n, hot;
  Dist dist;
  std::size_t next() {
    switch (dist) {
      case Dist::kUniform: return rng.next() % n;
      case Dist::kSkewed: return (rng.next() % 10) ? rng.next() % hot : rng.next() % n;
      case Dist::kHot: return rng.next() % hot;
    }
    return 0;
  }
};

// ops/s of `threads` threads each doing `ops / threads` calls of fn(picker).
template <class Fn>
double run_threads(int threads, std::size_t ops, std::uint64_t seed, std::size_t n, std::size_t hot, Dist dist,
                   std::atomic<std::size_t>& misses, Fn&& fn) {
  std::size_t per = ops / static_cast<std::size_t>(threads);
  auto t0 = Clock::now();
  std::vector<std::thread> ts;
  for (int t = 0; t < threads; ++t) {
    ts.emplace_back([&, t] {
      Picker p{Rng{seed * 7919 + static_cast<std::uint64_t>(t)}, n, std::max<std::size_t>(1, hot), dist};
      std::size_t miss = 0;
      for (std::size_t i = 0; i < per; ++i) miss += fn(p.next()) ? 0 : 1;
      misses += miss;
    });
  }
  for (auto& th : ts) th.join();
  return static_cast<double>(per) * threads / seconds_since(t0);
}

void put_be64(char* p, std::uint64_t v) {
  for (int i = 0; i < 8; ++i) p[i] = static_cast<char>((v >> (56 - 8 * i)) & 0xff);
}

std::string be64(std::uint64_t v) {
  std::string k(8, '\0');
  put_be64(k.data(), v);
  return k;
}

// A key of one or two ids in a stack buffer (no allocation per raw get).
struct RawKey {
  char b[16];
  std::size_t n;
  explicit RawKey(std::uint64_t a) : n(8) { put_be64(b, a); }
  RawKey(std::uint64_t a, std::uint64_t c) : n(16) { put_be64(b, a), put_be64(b + 8, c); }
  rocksdb::Slice slice() const { return {b, n}; }
};

// ---- ingest ---------------------------------------------------------------

int ingest(const WorkerArgs& a, const fs::path& file, const char* tag, std::FILE* out) {
  double start_rss = rss_mib().second;
  auto cache = open_cache(a.work.cache());
  snowcache::Gateway gw(*cache);
  std::ifstream in(file);
  std::string line;
  std::size_t n = 0, rejected = 0;
  auto t0 = Clock::now();
  while (std::getline(in, line)) {
    auto r = gw.ingest_frame(0, line);
    if (!r.ok() && rejected++ < 3) fmt::print(stderr, "cachebench: rejected: {}\n", r.status.to_string());
    ++n;
  }
  double secs = seconds_since(t0);
  auto t1 = Clock::now();
  cache.reset();  // graceful close: flushes the memtables
  fmt::print(out, "{}_events {}\n{}_s {}\n{}_rejected {}\n{}_close_ms {}\n{}_peak_rss {}\n{}_start_rss {}\n", tag, n, tag,
             secs, tag, rejected, tag, seconds_since(t1) * 1000, tag, rss_mib().first, tag, start_rss);
  return 0;
}

// ---- raw-write ------------------------------------------------------------

// Every record the cache holds (all families, index, refs and meta
// included), written to a raw database in as many batches as the flood had
// events: batch i holds the i-th share of every family, in key order, so
// each batch mixes families as an event does. Only building and writing
// the batches is timed, not reading the records out of the cache.
int raw_write(const WorkerArgs& a, std::FILE* out) {
  // The cache directory read directly, as RocksDB (options: RawDb).
  RawDb src(a.work.cache(), a.work.cache(), /*read_only=*/true);
  const auto src_families = src.families();
  const std::size_t families = src_families.size();
  std::vector<std::size_t> count(families);
  std::vector<std::unique_ptr<rocksdb::Iterator>> it(families);
  std::size_t records = 0;
  for (std::size_t c = 0; c < families; ++c) {
    rocksdb::ReadOptions ro;
    ro.total_order_seek = true;
    it[c].reset(src.db()->NewIterator(ro, src_families[c]));
    for (it[c]->SeekToFirst(); it[c]->Valid(); it[c]->Next()) ++count[c];
    records += count[c];
    it[c]->SeekToFirst();
  }
  fs::remove_all(a.work.raw());
  auto raw = open_raw(a.work);
  const auto raw_families = raw->families();  // the same names, in the same order (one OPTIONS file)
  std::size_t batches = std::max<std::size_t>(1, a.batches);
  std::vector<std::size_t> taken(families);
  double secs = 0;
  std::vector<std::pair<std::size_t, std::pair<std::string, std::string>>> recs;
  for (std::size_t b = 0; b < batches; ++b) {
    recs.clear();
    for (std::size_t c = 0; c < families; ++c) {
      std::size_t until = count[c] * (b + 1) / batches;
      for (; taken[c] < until && it[c]->Valid(); ++taken[c], it[c]->Next()) {
        recs.push_back({c, {it[c]->key().ToString(), it[c]->value().ToString()}});
      }
    }
    auto t0 = Clock::now();
    rocksdb::WriteBatch wb;
    for (auto& [c, kv] : recs) (void)wb.Put(raw_families[c], kv.first, kv.second);
    auto s = raw->db()->Write(rocksdb::WriteOptions(), &wb);
    secs += seconds_since(t0);
    check(s);
  }
  fmt::print(out, "raw_records {}\nraw_write_s {}\n", records, secs);
  return 0;
}

// ---- gets -----------------------------------------------------------------

struct GetLoad {
  const char* name;  // figure name: get_<kind>_<dist>_<threads>t
  char kind;         // m member, c channel, r role, u user, g guild
  Dist dist;
  int threads;
  // Hot-set workloads (ops = hot_gets, the set read once first): how many
  // keys the set holds; 0 = 1% of the members.
  std::size_t hot_set = 0;
  bool hot = false;
};

// The hot sets: a bot's guilds (all of them); 1,000 channels, roles and
// members (a thousand entries and their values fit in a core's L2 cache);
// and 1% of all members (11,000 at 1.1M: megabytes, so each get misses the
// CPU caches: memory latency bounds it, docs/PERFORMANCE.md).
constexpr GetLoad kGetLoads[] = {
    {"get_member_uniform_1t", 'm', Dist::kUniform, 1},
    {"get_member_uniform_2t", 'm', Dist::kUniform, 2},
    {"get_member_skewed_1t", 'm', Dist::kSkewed, 1},
    {"get_member_skewed_2t", 'm', Dist::kSkewed, 2},
    {"get_guild_channel_uniform_1t", 'c', Dist::kUniform, 1},
    {"get_role_uniform_1t", 'r', Dist::kUniform, 1},
    {"get_user_uniform_1t", 'u', Dist::kUniform, 1},
    {"get_user_skewed_1t", 'u', Dist::kSkewed, 1},
    {"hot_get_guild_1t", 'g', Dist::kHot, 1, SIZE_MAX, true},
    {"hot_get_guild_channel_1k_1t", 'c', Dist::kHot, 1, 1000, true},
    {"hot_get_role_1k_1t", 'r', Dist::kHot, 1, 1000, true},
    {"hot_get_member_1k_1t", 'm', Dist::kHot, 1, 1000, true},
    {"hot_get_member_1k_2t", 'm', Dist::kHot, 2, 1000, true},
    {"hot_get_member_1pct_1t", 'm', Dist::kHot, 1, 0, true},
    {"hot_get_member_1pct_2t", 'm', Dist::kHot, 2, 0, true},
};

int gets(const WorkerArgs& a, std::FILE* out) {
  Keys k = read_keys(a.work.keys());
  double harness_rss = rss_mib().second;
  bool raw_target = a.target == "raw";
  std::unique_ptr<snowcache::MutableCache> cache;
  std::unique_ptr<RawDb> raw;
  auto t0 = Clock::now();
  if (raw_target) {
    raw = open_raw(a.work);
  } else {
    cache = open_cache(a.work.cache());
  }
  fmt::print(out, "open_ms {}\n", seconds_since(t0) * 1000);
  const auto& ms = k.member_sample;
  // The hot member set: 1% of all members (at least 100), the first of the
  // random sample; guilds, channels and roles are small: all of them are hot.
  std::size_t hot_members = std::min(ms.size(), std::max<std::size_t>(100, k.members / 100));
  // The raw families, found before any get is timed.
  rocksdb::ColumnFamilyHandle* members = raw_target ? raw->kind("member") : nullptr;
  rocksdb::ColumnFamilyHandle* users = raw_target ? raw->kind("user") : nullptr;
  rocksdb::ColumnFamilyHandle* channels = raw_target ? raw->kind("guild_channel") : nullptr;
  rocksdb::ColumnFamilyHandle* roles = raw_target ? raw->kind("role") : nullptr;
  rocksdb::ColumnFamilyHandle* guilds = raw_target ? raw->kind("guild") : nullptr;
  auto raw_get = [&](rocksdb::ColumnFamilyHandle* family, const RawKey& key) {
    rocksdb::PinnableSlice value;
    return raw->db()->Get(rocksdb::ReadOptions(), family, key.slice(), &value).ok();
  };
  auto get = [&](char kind, std::size_t i) -> bool {
    switch (kind) {
      case 'm': {
        auto [g, u] = ms[i];
        if (raw_target) return raw_get(members, RawKey(g, u));
        auto r = cache->get_member(Snowflake(g), Snowflake(u));
        return r.ok() && r->has_value();
      }
      case 'u': {
        std::uint64_t u = ms[i].second;
        if (raw_target) return raw_get(users, RawKey(u));
        auto r = cache->get_user(Snowflake(u));
        return r.ok() && r->has_value();
      }
      case 'c': {
        if (raw_target) return raw_get(channels, RawKey(k.channels[i]));
        auto r = cache->get_guild_channel(Snowflake(k.channels[i]));
        return r.ok() && r->has_value();
      }
      case 'r': {
        if (raw_target) return raw_get(roles, RawKey(k.roles[i]));
        auto r = cache->get_role(Snowflake(k.roles[i]));
        return r.ok() && r->has_value();
      }
      case 'g': {
        if (raw_target) return raw_get(guilds, RawKey(k.guilds[i]));
        auto r = cache->get_guild(Snowflake(k.guilds[i]));
        return r.ok() && r->has_value();
      }
    }
    return false;
  };
  for (const auto& l : kGetLoads) {
    if (!a.only.empty() && std::string_view(l.name).find(a.only) == std::string_view::npos) continue;
    std::size_t n = 0;
    switch (l.kind) {
      case 'm': case 'u': n = ms.size(); break;
      case 'c': n = k.channels.size(); break;
      case 'r': n = k.roles.size(); break;
      case 'g': n = k.guilds.size(); break;
    }
    if (n == 0) continue;
    // Skewed: 90% on the first 1% (of the members: the 1% hot set).
    std::size_t hot = l.kind == 'm' || l.kind == 'u' ? hot_members : std::max<std::size_t>(1, n / 100);
    if (l.hot) hot = std::min(n, l.hot_set == 0 ? hot_members : l.hot_set);
    std::atomic<std::size_t> misses{0};
    std::size_t ops = l.hot ? a.hot_gets : a.gets;
    if (l.hot) {  // warm the hot set first: its figure is the steady state
      for (std::size_t i = 0; i < hot; ++i) (void)get(l.kind, i);
    }
    double rate = run_threads(l.threads, ops, a.seed, n, hot, l.dist, misses,
                              [&](std::size_t i) { return get(l.kind, i); });
    fmt::print(out, "{} {}\n", l.name, rate);
    if (misses > 0) fmt::print(out, "{}_misses {}\n", l.name, misses.load());
  }
  fmt::print(out, "peak_rss {}\nharness_rss {}\n", rss_mib().first, harness_rss);
  return 0;
}

// ---- views ----------------------------------------------------------------

// Entries/s of each pass over a view: the first (a cold block cache) and the
// best of the others (warm: what a bot that walks a guild's members again
// sees).
struct PassRates {
  std::vector<double> rates;
  std::size_t entries = 0;
  void add(std::size_t n, double secs) {
    entries = n;
    rates.push_back(static_cast<double>(n) / secs);
  }
  void print(std::FILE* out) const {
    double warm = rates.size() > 1 ? *std::max_element(rates.begin() + 1, rates.end()) : rates.at(0);
    fmt::print(out, "view_iter_pass1 {}\nview_iter_warm {}\nview_entries {}\n", rates.at(0), warm, entries);
  }
};

int views(const WorkerArgs& a, std::FILE* out) {
  Keys k = read_keys(a.work.keys());
  Snowflake guild(k.largest_guild);
  if (a.target == "raw") {
    auto raw = open_raw(a.work);
    auto* members = raw->kind("member");
    std::string lower = be64(guild.value()), upper = be64(guild.value() + 1);
    PassRates rates;
    for (int pass = 1; pass <= a.passes; ++pass) {
      rocksdb::ReadOptions ro;
      rocksdb::Slice ub(upper);
      ro.iterate_upper_bound = &ub;
      ro.auto_prefix_mode = true;
      auto t0 = Clock::now();
      std::unique_ptr<rocksdb::Iterator> it(raw->db()->NewIterator(ro, members));
      std::size_t n = 0, bytes = 0;
      for (it->Seek(lower); it->Valid(); it->Next()) ++n, bytes += it->value().size();
      rates.add(n, seconds_since(t0));
      if (bytes == 0 && n > 0) fmt::print(stderr, "cachebench: empty values\n");
    }
    rates.print(out);
    return 0;
  }
  auto cache = open_cache(a.work.cache());
  auto view = cache->get_members_view_for_guild(guild);
  PassRates rates;
  for (int pass = 1; pass <= a.passes; ++pass) {
    auto t0 = Clock::now();
    std::size_t n = 0;
    std::uint64_t sum = 0;
    for (auto it = view.begin(); it != view.end(); ++it, ++n) sum += it.value()->user()->id();
    rates.add(n, seconds_since(t0));
    if (sum == 0 && n > 0) fmt::print(stderr, "cachebench: no user ids\n");
  }
  rates.print(out);
  auto t0 = Clock::now();
  auto fresh = cache->get_members_view_for_guild(guild);
  std::size_t sz = fresh.size();
  fmt::print(out, "view_size_ms {}\n", seconds_since(t0) * 1000);
  t0 = Clock::now();
  (void)fresh.get_item_at(static_cast<std::ptrdiff_t>(sz / 2));
  fmt::print(out, "view_item_at_ms {}\n", seconds_since(t0) * 1000);
  t0 = Clock::now();
  (void)cache->get_members_view_for_guild(guild).get_item_at(static_cast<std::ptrdiff_t>(sz - 1));
  fmt::print(out, "view_item_at_last_ms {}\n", seconds_since(t0) * 1000);
  fmt::print(out, "peak_rss {}\n", rss_mib().first);
  return 0;
}

// ---- restart --------------------------------------------------------------

int open_first_read(const WorkerArgs& a, std::FILE* out) {
  Keys k = read_keys(a.work.keys());
  auto [g, u] = k.member_sample.at(0);
  auto t0 = Clock::now();
  auto cache = open_cache(a.work.cache());
  double open_s = seconds_since(t0);
  auto first = cache->get_member(Snowflake(g), Snowflake(u));
  double first_s = seconds_since(t0);
  if (!first.ok() || !*first) throw std::runtime_error("the first read after open missed");
  fmt::print(out, "open_ms {}\nopen_first_read_ms {}\n", open_s * 1000, first_s * 1000);
  return 0;
}

// Writes what only the WAL will hold, says "ready", and waits for SIGKILL.
int killed(const WorkerArgs& a, std::FILE* out) {
  Keys k = read_keys(a.work.keys());
  auto cache = open_cache(a.work.cache());
  std::size_t n = std::min<std::size_t>(1000, k.member_sample.size());
  for (std::size_t i = 0; i < n; ++i) {
    snowcache::fb::PresenceT p;
    p.guild_id = k.member_sample[i].first;
    p.user_id = k.member_sample[i].second;
    p.status = (a.seed + i) % 2 ? "idle" : "dnd";
    if (auto s = cache->set_presence(p); !s.ok()) throw std::runtime_error(s.to_string());
  }
  fmt::print(out, "ready 1\n");
  std::fflush(out);
  for (;;) pause();
}

// ---- disk -----------------------------------------------------------------

// The same full compaction as snowcache::compact (storage/store.cc
// Store::compact: every family, bottommost level forced), then each family's
// live table files.
int disk_raw(const WorkerArgs& a, std::FILE* out) {
  auto raw = open_raw(a.work);
  for (auto* h : raw->families()) {
    rocksdb::CompactRangeOptions co;
    co.bottommost_level_compaction = rocksdb::BottommostLevelCompaction::kForce;
    check(raw->db()->CompactRange(co, h, nullptr, nullptr));
  }
  for (auto* h : raw->families()) {
    std::uint64_t v = 0;
    (void)raw->db()->GetIntProperty(h, "rocksdb.live-sst-files-size", &v);
    fmt::print(out, "sst_{} {}\n", h->GetName(), v);
  }
  return 0;
}

int disk(const WorkerArgs& a, std::FILE* out) {
  if (a.target == "raw") return disk_raw(a, out);
  auto cache = open_cache(a.work.cache());
  if (auto s = snowcache::compact(*cache); !s.ok()) throw std::runtime_error(s.to_string());
  auto stats = snowcache::family_stats(*cache);
  if (!stats.ok()) throw std::runtime_error(stats.status().to_string());
  for (const auto& f : *stats) fmt::print(out, "sst_{} {}\n", f.name, f.live_sst_bytes);
  return 0;
}

// ---- machine --------------------------------------------------------------

// ns per dependent load when chasing pointers through a random cycle of
// cache lines spanning `bytes`: what a get that misses the CPU caches pays
// per miss, measured here since shared machines differ.
int latency(std::FILE* out) {
  for (std::size_t kib : {256, 1024, 4096, 65536}) {
    struct alignas(64) Line {
      std::size_t next;
    };
    std::size_t n = kib * 1024 / sizeof(Line);
    std::vector<std::size_t> order(n);
    for (std::size_t i = 0; i < n; ++i) order[i] = i;
    Rng rng{kib};
    for (std::size_t i = n - 1; i > 1; --i) std::swap(order[i], order[1 + rng.next() % i]);
    std::vector<Line> lines(n);
    for (std::size_t i = 0; i < n; ++i) lines[order[i]].next = order[(i + 1) % n];
    std::size_t p = 0;
    for (std::size_t i = 0; i < n; ++i) p = lines[p].next;  // warm
    constexpr std::size_t kSteps = 5000000;
    auto t0 = Clock::now();
    for (std::size_t i = 0; i < kSteps; ++i) p = lines[p].next;
    double ns = seconds_since(t0) * 1e9 / kSteps;
    fmt::print(out, "load_latency_{}k_ns {}\nchase_end {}\n", kib, ns, p);
  }
  return 0;
}

}  // namespace

int run_worker(const WorkerArgs& a, std::FILE* out) {
  if (a.name == "latency") return latency(out);
  if (a.name == "ingest-flood") return ingest(a, a.work.flood(), "flood", out);
  if (a.name == "ingest-steady") return ingest(a, a.work.steady(), "steady", out);
  if (a.name == "raw-write") return raw_write(a, out);
  if (a.name == "gets") return gets(a, out);
  if (a.name == "views") return views(a, out);
  if (a.name == "open") return open_first_read(a, out);
  if (a.name == "kill") return killed(a, out);
  if (a.name == "disk") return disk(a, out);
  throw std::runtime_error("unknown worker " + a.name);
}

}  // namespace cachebench
