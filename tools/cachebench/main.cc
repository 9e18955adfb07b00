// cachebench: speed, memory and disk of snowcache, each figure next to a
// baseline measured in the same run (raw RocksDB doing the same number of key
// writes and reads on the same data), since absolute times drift on shared
// machines. See docs/PERFORMANCE.md.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <thread>

#include <CLI/CLI.hpp>
#include <fmt/core.h>
#include <rocksdb/db.h>
#include <rocksdb/table.h>
#include <rocksdb/filter_policy.h>
#include <rocksdb/cache.h>

#include "cache_state.h"
#include "generator.h"
#include "snowcache/cache.h"
#include "snowcache/gateway.h"

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using snowcache::Snowflake;

namespace {

double seconds_since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

// Peak and current resident set of this process, in MiB (/proc/self/status).
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

std::uint64_t dir_bytes(const fs::path& dir) {
  std::uint64_t n = 0;
  std::error_code ec;
  for (auto& e : fs::recursive_directory_iterator(dir, ec)) {
    if (e.is_regular_file(ec)) n += e.file_size(ec);
  }
  return n;
}

struct Figure {
  Figure(std::string n, double v, std::string u, double b = 0, std::string t = {})
      : name(std::move(n)), value(v), unit(std::move(u)), baseline(b), target(std::move(t)) {}
  std::string name;
  double value;
  std::string unit;
  double baseline;     // raw RocksDB, same run (0: none)
  std::string target;  // e.g. ">= 0.80 x raw"
  double ratio() const { return baseline > 0 ? value / baseline : 0; }
};

// Runs `fn` in a child process and returns what it wrote to the pipe: one
// figure per line, "name value".
std::vector<std::pair<std::string, double>> in_child(const std::function<void(FILE*)>& fn) {
  int fds[2];
  if (pipe(fds) != 0) throw std::runtime_error("pipe failed");
  pid_t pid = fork();
  if (pid == 0) {
    close(fds[0]);
    FILE* out = fdopen(fds[1], "w");
    try {
      fn(out);
    } catch (const std::exception& e) {
      fmt::print(stderr, "cachebench child: {}\n", e.what());
      fflush(out);
      _exit(1);
    }
    fflush(out);
    _exit(0);
  }
  close(fds[1]);
  std::vector<std::pair<std::string, double>> res;
  FILE* in = fdopen(fds[0], "r");
  char name[128];
  double v;
  while (fscanf(in, "%127s %lf", name, &v) == 2) res.emplace_back(name, v);
  fclose(in);
  int status = 0;
  waitpid(pid, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) throw std::runtime_error("a benchmark child failed");
  return res;
}

double get(const std::vector<std::pair<std::string, double>>& r, const std::string& name) {
  for (auto& [k, v] : r) {
    if (k == name) return v;
  }
  throw std::runtime_error("missing figure " + name);
}

std::unique_ptr<snowcache::MutableCache> open_cache(const fs::path& dir) {
  auto c = snowcache::MutableCache::open(dir.string());
  if (!c.ok()) throw std::runtime_error(c.status().to_string());
  return std::move(c).value();
}

std::size_t ingest_file(snowcache::Gateway& gw, const fs::path& file, std::size_t& rejected) {
  std::ifstream in(file);
  std::string line;
  std::size_t n = 0;
  while (std::getline(in, line)) {
    auto r = gw.ingest_frame(0, line);
    if (!r.ok()) {
      if (rejected++ < 3) fmt::print(stderr, "cachebench: rejected: {}\n", r.status.to_string());
    }
    ++n;
  }
  return n;
}

// Raw RocksDB with the store's table settings, one column family.
std::unique_ptr<rocksdb::DB> open_raw(const fs::path& dir) {
  rocksdb::Options o;
  o.create_if_missing = true;
  rocksdb::BlockBasedTableOptions t;
  t.block_cache = rocksdb::NewLRUCache(32u << 20);
  t.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
  t.format_version = 5;
  o.table_factory.reset(rocksdb::NewBlockBasedTableFactory(t));
  o.write_buffer_size = 8u << 20;
  o.db_write_buffer_size = 64u << 20;
  o.compression = rocksdb::kLZ4Compression;
  o.bottommost_compression = rocksdb::kZSTD;
  rocksdb::DB* db = nullptr;
  auto s = rocksdb::DB::Open(o, dir.string(), &db);
  if (!s.ok()) throw std::runtime_error(s.ToString());
  return std::unique_ptr<rocksdb::DB>(db);
}

std::string member_key(std::uint64_t g, std::uint64_t u) {
  std::string k(1, 'M');
  for (int s = 56; s >= 0; s -= 8) k.push_back(static_cast<char>((g >> s) & 0xff));
  for (int s = 56; s >= 0; s -= 8) k.push_back(static_cast<char>((u >> s) & 0xff));
  return k;
}

// Key choice: uniform over all, or skewed: 90% of reads go to a hot 1%.
struct Picker {
  std::mt19937_64 rng;
  std::size_t n;
  bool skewed;
  std::size_t next() {
    if (!skewed) return rng() % n;
    std::size_t hot = std::max<std::size_t>(1, n / 100);
    return (rng() % 10) ? rng() % hot : rng() % n;
  }
};

template <class Fn>
double ops_per_sec(int threads, std::size_t ops_per_thread, Fn&& fn) {
  auto t0 = Clock::now();
  std::vector<std::thread> ts;
  for (int t = 0; t < threads; ++t) ts.emplace_back([&, t] { fn(t, ops_per_thread); });
  for (auto& th : ts) th.join();
  return static_cast<double>(ops_per_thread) * threads / seconds_since(t0);
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"cachebench: snowcache speed, memory and disk next to raw RocksDB in the same run"};
  cachebench::StreamShape shape;
  bool quick = false, json = false;
  std::string dir_opt;
  std::size_t gets = 1000000;
  app.add_flag("--quick", quick, "small sizes: finishes in under a minute");
  app.add_flag("--json", json, "print the figures as JSON");
  app.add_option("--seed", shape.seed, "generator seed")->capture_default_str();
  app.add_option("--small-guilds", shape.small_guilds, "guilds listing all their members")->capture_default_str();
  app.add_option("--members-per-small-guild", shape.members_per_small_guild)->capture_default_str();
  app.add_option("--large-guilds", shape.large_guilds, "large guilds (members by chunks, with presences)")->capture_default_str();
  app.add_option("--members-per-large-guild", shape.members_per_large_guild)->capture_default_str();
  app.add_option("--steady-events", shape.steady_events, "steady-state events after the flood")->capture_default_str();
  app.add_option("--gets", gets, "point gets per workload")->capture_default_str();
  app.add_option("--dir", dir_opt, "work directory (default: a fresh one under /tmp, removed at the end)");
  CLI11_PARSE(app, argc, argv);
  if (quick) {
    shape.small_guilds = 200;
    shape.members_per_small_guild = 50;
    shape.large_guilds = 1;
    shape.members_per_large_guild = 20000;
    shape.steady_events = 20000;
    gets = 200000;
  }
  fs::path work = dir_opt.empty() ? fs::temp_directory_path() / ("cachebench-" + std::to_string(getpid())) : fs::path(dir_opt);
  fs::remove_all(work);
  fs::create_directories(work);
  fs::path cache_dir = work / "cache", raw_dir = work / "raw", flood_file = work / "flood.ndjson",
           steady_file = work / "steady.ndjson";

  auto t_gen = Clock::now();
  auto gen = cachebench::generate(shape);
  {
    std::ofstream f(flood_file), s(steady_file);
    for (auto& l : gen.flood) f << l << '\n';
    for (auto& l : gen.steady) s << l << '\n';
    gen.flood.clear(), gen.flood.shrink_to_fit();
    gen.steady.clear(), gen.steady.shrink_to_fit();
  }
  fmt::print(stderr, "cachebench: generated {} members in {:.1f}s into {}\n", gen.members, seconds_since(t_gen), work.string());
  std::vector<Figure> figs;

  // 1. Ingest (child: its peak RSS is the cache's, not the generator's).
  auto ing = in_child([&](FILE* out) {
    auto cache = open_cache(cache_dir);
    snowcache::Gateway gw(*cache);
    std::size_t rejected = 0;
    auto t0 = Clock::now();
    std::size_t n = ingest_file(gw, flood_file, rejected);
    double flood_s = seconds_since(t0);
    t0 = Clock::now();
    std::size_t m = ingest_file(gw, steady_file, rejected);
    double steady_s = seconds_since(t0);
    fmt::print(out, "flood_events {}\nflood_s {}\nsteady_events {}\nsteady_s {}\nrejected {}\npeak_rss {}\n", n, flood_s, m,
               steady_s, rejected, rss_mib().first);
  });
  double flood_events = get(ing, "flood_events"), flood_s = get(ing, "flood_s");
  if (get(ing, "rejected") > 0) fmt::print(stderr, "cachebench: WARNING: {} frames rejected\n", get(ing, "rejected"));

  // Raw baseline: the same records (every key/value the ingest stored, all
  // families), written to one raw RocksDB in as many batches as there were
  // flood events.
  double raw_write_s = 0, records = 0;
  {
    auto src = snowcache::Cache::open(cache_dir.string(), {});
    if (!src.ok()) throw std::runtime_error(src.status().to_string());
    auto& store = *snowcache::detail::Access::state(**src)->store;
    std::vector<std::pair<std::string, std::string>> all;
    for (std::size_t c = 0; c < snowcache::detail::kCfCount; ++c) {
      std::unique_ptr<rocksdb::Iterator> it(store.db()->NewIterator({}, store.cf(static_cast<snowcache::detail::Cf>(c))));
      for (it->SeekToFirst(); it->Valid(); it->Next()) {
        std::string k(1, static_cast<char>('A' + c));
        k.append(it->key().data(), it->key().size());
        if (c == static_cast<std::size_t>(snowcache::detail::Cf::kMembers)) k[0] = 'M';
        all.emplace_back(std::move(k), it->value().ToString());
      }
    }
    records = static_cast<double>(all.size());
    std::shuffle(all.begin(), all.end(), std::mt19937_64(shape.seed));
    auto raw = open_raw(raw_dir);
    std::size_t per = std::max<std::size_t>(1, all.size() / static_cast<std::size_t>(flood_events));
    rocksdb::WriteOptions wo;
    auto t0 = Clock::now();
    for (std::size_t i = 0; i < all.size(); i += per) {
      rocksdb::WriteBatch b;
      for (std::size_t j = i; j < std::min(all.size(), i + per); ++j) b.Put(all[j].first, all[j].second);
      auto s = raw->Write(wo, &b);
      if (!s.ok()) throw std::runtime_error(s.ToString());
    }
    raw_write_s = seconds_since(t0);
    rocksdb::FlushOptions fo;
    (void)raw->Flush(fo);
  }
  figs.push_back({"ingest: GUILD_CREATE flood, events/s", flood_events / flood_s, "ev/s"});
  figs.push_back({"ingest: flood entities/s (vs raw records/s)", static_cast<double>(gen.flood_entities) / flood_s, "ent/s"});
  figs.push_back({"ingest: flood speed / raw write of its records", raw_write_s / flood_s, "x raw", 0, ">= 0.60"});
  figs.push_back({"raw: records written/s", records / raw_write_s, "rec/s"});
  figs.push_back({"ingest: steady mix, events/s", get(ing, "steady_events") / get(ing, "steady_s"), "ev/s"});
  figs.push_back({"memory: peak RSS during ingest", get(ing, "peak_rss"), "MiB", 0, "<= 150"});

  // 2. Restart after a graceful close, reads, views (child).
  auto rd = in_child([&](FILE* out) {
    auto t0 = Clock::now();
    auto cache = open_cache(cache_dir);
    auto first = cache->get_member(Snowflake(gen.member_keys[0].first), Snowflake(gen.member_keys[0].second));
    double open_s = seconds_since(t0);
    if (!first.ok() || !*first) throw std::runtime_error("first read missed");
    fmt::print(out, "open_first_read_ms {}\n", open_s * 1000);
    auto raw = open_raw(raw_dir);
    for (bool skewed : {false, true}) {
      for (int threads : {1, 2}) {
        std::string tag = fmt::format("{}_{}t", skewed ? "skewed" : "uniform", threads);
        std::atomic<std::size_t> misses{0};
        double ours = ops_per_sec(threads, gets / threads, [&](int t, std::size_t n) {
          Picker p{std::mt19937_64(shape.seed + t), gen.member_keys.size(), skewed};
          for (std::size_t i = 0; i < n; ++i) {
            auto& [g, u] = gen.member_keys[p.next()];
            auto r = cache->get_member(Snowflake(g), Snowflake(u));
            if (!r.ok() || !*r) ++misses;
          }
        });
        double base = ops_per_sec(threads, gets / threads, [&](int t, std::size_t n) {
          Picker p{std::mt19937_64(shape.seed + t), gen.member_keys.size(), skewed};
          std::string v;
          for (std::size_t i = 0; i < n; ++i) {
            auto& [g, u] = gen.member_keys[p.next()];
            if (!raw->Get({}, member_key(g, u), &v).ok()) ++misses;
          }
        });
        fmt::print(out, "get_member_{} {}\nraw_get_{} {}\nmisses_{} {}\n", tag, ours, tag, base, tag, misses.load());
      }
    }
    // Other kinds, uniform, 1 thread.
    std::mt19937_64 rng(shape.seed);
    std::size_t n = gets / 4;
    auto t1 = Clock::now();
    for (std::size_t i = 0; i < n; ++i) (void)cache->get_guild_channel(Snowflake(gen.channel_ids[rng() % gen.channel_ids.size()]));
    fmt::print(out, "get_channel {}\n", n / seconds_since(t1));
    t1 = Clock::now();
    for (std::size_t i = 0; i < n; ++i) (void)cache->get_role(Snowflake(gen.role_ids[rng() % gen.role_ids.size()]));
    fmt::print(out, "get_role {}\n", n / seconds_since(t1));
    t1 = Clock::now();
    for (std::size_t i = 0; i < n; ++i) (void)cache->get_user(Snowflake(gen.user_ids[rng() % gen.user_ids.size()]));
    fmt::print(out, "get_user {}\n", n / seconds_since(t1));
    // Views over the largest guild.
    auto view = cache->get_members_view_for_guild(Snowflake(gen.largest_guild));
    t1 = Clock::now();
    std::size_t entries = 0;
    for (auto it = view.begin(); it != view.end(); ++it) entries += it.value()->user() ? 1 : 0;
    fmt::print(out, "view_iter {}\nview_entries {}\n", entries / seconds_since(t1), entries);
    t1 = Clock::now();
    std::size_t sz = cache->get_members_view_for_guild(Snowflake(gen.largest_guild)).size();
    fmt::print(out, "view_size_ms {}\n", seconds_since(t1) * 1000);
    t1 = Clock::now();
    (void)view.get_item_at(static_cast<std::ptrdiff_t>(sz / 2));
    fmt::print(out, "view_item_at_ms {}\npeak_rss {}\n", seconds_since(t1) * 1000, rss_mib().first);
  });
  figs.push_back({"restart: open to first read after a graceful close", get(rd, "open_first_read_ms"), "ms", 0, "<= 50"});
  for (const char* tag : {"uniform_1t", "uniform_2t", "skewed_1t", "skewed_2t"}) {
    figs.push_back({fmt::format("get_member {} (vs raw Get)", tag), get(rd, fmt::format("get_member_{}", tag)), "ops/s",
                    get(rd, fmt::format("raw_get_{}", tag)), ">= 0.80 x raw"});
  }
  figs.push_back({"get_guild_channel uniform 1t", get(rd, "get_channel"), "ops/s"});
  figs.push_back({"get_role uniform 1t", get(rd, "get_role"), "ops/s"});
  figs.push_back({"get_user uniform 1t", get(rd, "get_user"), "ops/s"});
  figs.push_back({fmt::format("member view iteration ({} entries)", get(rd, "view_entries")), get(rd, "view_iter"), "entries/s", 0,
                  ">= 3e6"});
  figs.push_back({"member view size()", get(rd, "view_size_ms"), "ms"});
  figs.push_back({"member view get_item_at(size/2)", get(rd, "view_item_at_ms"), "ms"});
  figs.push_back({"memory: peak RSS during reads", get(rd, "peak_rss"), "MiB", 0, "<= 150"});

  // 3. Restart after kill -9: a child writes the steady mix again (WAL only),
  // is killed, and the next open replays it.
  {
    int fds[2];
    if (pipe(fds) != 0) throw std::runtime_error("pipe failed");
    pid_t pid = fork();
    if (pid == 0) {
      close(fds[0]);
      auto cache = open_cache(cache_dir);
      snowcache::Gateway gw(*cache);
      std::size_t rejected = 0;
      ingest_file(gw, steady_file, rejected);  // duplicates by sequence: nothing new...
      // ...so write something new that only the WAL holds.
      for (std::size_t i = 0; i < 1000 && i < gen.member_keys.size(); ++i) {
        snowcache::fb::PresenceT p;
        p.guild_id = gen.member_keys[i].first;
        p.user_id = gen.member_keys[i].second;
        p.status = "idle";
        (void)cache->set_presence(p);
      }
      if (write(fds[1], "k", 1) != 1) _exit(1);
      for (;;) pause();
    }
    close(fds[1]);
    char c;
    if (read(fds[0], &c, 1) != 1) throw std::runtime_error("kill -9 child failed");
    kill(pid, SIGKILL);
    waitpid(pid, nullptr, 0);
    auto kr = in_child([&](FILE* out) {
      auto t0 = Clock::now();
      auto cache = open_cache(cache_dir);
      auto first = cache->get_member(Snowflake(gen.member_keys[0].first), Snowflake(gen.member_keys[0].second));
      fmt::print(out, "open_ms {}\n", seconds_since(t0) * 1000);
    });
    figs.push_back({"restart: open to first read after kill -9", get(kr, "open_ms"), "ms"});
  }

  // 4. Disk.
  {
    auto cache = open_cache(cache_dir);
    (void)snowcache::detail::Access::state(*cache)->store->compact();
  }
  double bytes = static_cast<double>(dir_bytes(cache_dir));
  double raw_bytes = static_cast<double>(dir_bytes(raw_dir));
  figs.push_back({"disk: bytes per member (whole cache / members)", bytes / static_cast<double>(gen.members), "B", 0, "<= 80"});
  figs.push_back({"disk: raw copy of the same records, bytes per member", raw_bytes / static_cast<double>(gen.members), "B"});

  if (json) {
    fmt::print("{{\"members\":{},\"flood_events\":{},\"figures\":[", gen.members, flood_events);
    for (std::size_t i = 0; i < figs.size(); ++i) {
      const auto& f = figs[i];
      fmt::print("{}{{\"name\":\"{}\",\"value\":{},\"unit\":\"{}\",\"baseline\":{},\"ratio\":{},\"target\":\"{}\"}}", i ? "," : "",
                 f.name, f.value, f.unit, f.baseline, f.ratio(), f.target);
    }
    fmt::print("]}}\n");
  } else {
    fmt::print("cachebench: {} members ({} small guilds x {}, {} large x {}), {} flood events, {} steady events, seed {}\n",
               gen.members, shape.small_guilds, shape.members_per_small_guild, shape.large_guilds,
               shape.members_per_large_guild, flood_events, shape.steady_events, shape.seed);
    fmt::print("{:<58} {:>14} {:<9} {:>14} {:>8}  {}\n", "figure", "value", "unit", "raw baseline", "ratio", "target");
    for (const auto& f : figs) {
      fmt::print("{:<58} {:>14.1f} {:<9} {:>14} {:>8}  {}\n", f.name, f.value, f.unit,
                 f.baseline > 0 ? fmt::format("{:.1f}", f.baseline) : "", f.baseline > 0 ? fmt::format("{:.2f}", f.ratio()) : "",
                 f.target);
    }
  }
  if (dir_opt.empty()) fs::remove_all(work);
  return 0;
}
