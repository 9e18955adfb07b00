// cachebench: speed, memory and disk of snowcache, each figure next to a
// baseline measured in the same run (raw RocksDB doing the same key writes
// and reads on the same data with the same options), since absolute times
// drift on shared machines. See docs/PERFORMANCE.md.
//
// The orchestrator (this file) generates the streams and runs every
// measurement in a worker process (workers.cc), so that peak RSS is the
// cache's own and baselines never share a process with the cache. Noisy
// figures (gets, views, restarts) are measured in rounds that alternate
// snowcache and raw, and the best round of each is kept.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <functional>
#include <map>
#include <numeric>
#include <optional>
#include <random>
#include <set>
#include <stdexcept>

#include <CLI/CLI.hpp>
#include <fmt/core.h>

#include "bench.h"
#include "generator.h"

namespace cb = cachebench;
using cb::Clock;
namespace fs = std::filesystem;

namespace {

using Figures = std::map<std::string, double>;

std::string self_exe() {
  char buf[4096];
  ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
  if (n <= 0) throw std::runtime_error("cannot find this executable (/proc/self/exe)");
  return std::string(buf, static_cast<std::size_t>(n));
}

std::vector<std::string> g_worker_base;  // exe and the shared worker options

// Runs `cachebench --worker NAME extra...`, returns the figures it printed.
// `on_line` sees every line first; returning true from it kills the worker
// with SIGKILL (the kill -9 restart), which is then not a failure.
Figures spawn(const std::string& name, const std::vector<std::string>& extra = {},
              const std::function<bool(const std::string&)>& on_line = nullptr) {
  std::vector<std::string> args = g_worker_base;
  args.insert(args.end(), {"--worker", name});
  args.insert(args.end(), extra.begin(), extra.end());
  int fds[2];
  if (pipe(fds) != 0) throw std::runtime_error("pipe failed");
  std::fflush(stdout);
  std::fflush(stderr);
  pid_t pid = fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    close(fds[0]);
    dup2(fds[1], STDOUT_FILENO);
    close(fds[1]);
    std::vector<char*> argv;
    for (auto& s : args) argv.push_back(s.data());
    argv.push_back(nullptr);
    execv(argv[0], argv.data());
    std::perror("cachebench: exec");
    _exit(127);
  }
  close(fds[1]);
  Figures out;
  bool killed = false;
  std::FILE* in = fdopen(fds[0], "r");
  char line[512];
  while (std::fgets(line, sizeof line, in)) {
    std::string l(line);
    if (!l.empty() && l.back() == '\n') l.pop_back();
    if (on_line && on_line(l)) {
      kill(pid, SIGKILL);
      killed = true;
      break;
    }
    char key[256];
    double v = 0;
    if (std::sscanf(l.c_str(), "%255s %lf", key, &v) == 2) out[key] = v;
  }
  std::fclose(in);
  int status = 0;
  waitpid(pid, &status, 0);
  if (!killed && (!WIFEXITED(status) || WEXITSTATUS(status) != 0)) {
    throw std::runtime_error("worker " + name + " failed");
  }
  return out;
}

double at(const Figures& f, const std::string& k) {
  auto it = f.find(k);
  if (it == f.end()) throw std::runtime_error("a worker did not report " + k);
  return it->second;
}

// Keeps, per figure, the best value over rounds: the highest rate, the
// lowest time (names ending in _ms or _s); but the highest memory (_rss),
// which is a bound, not a speed.
void keep_best(Figures& best, const Figures& round) {
  for (const auto& [k, v] : round) {
    bool lower_better = k.ends_with("_ms") || k.ends_with("_s");
    auto it = best.find(k);
    if (it == best.end()) {
      best[k] = v;
    } else if (lower_better ? v < it->second : v > it->second) {
      it->second = v;
    }
  }
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[v.size() / 2];
}

std::uint64_t dir_bytes(const fs::path& dir) {
  std::uint64_t n = 0;
  std::error_code ec;
  for (auto& e : fs::recursive_directory_iterator(dir, ec)) {
    if (e.is_regular_file(ec)) n += e.file_size(ec);
  }
  return n;
}

enum class Goal { kNone, kAtLeast, kAtMost, kRatioAtLeast };

struct Figure {
  std::string name;
  double value;
  std::string unit;
  double baseline = 0;  // raw RocksDB, same run (0: none)
  Goal goal = Goal::kNone;
  double target = 0;
  double ratio() const { return baseline > 0 ? value / baseline : 0; }
  std::string target_text() const {
    switch (goal) {
      case Goal::kNone: return "";
      case Goal::kAtLeast: return fmt::format(">= {:g}", target);
      case Goal::kAtMost: return fmt::format("<= {:g}", target);
      case Goal::kRatioAtLeast: return fmt::format(">= {:.2f} x raw", target);
    }
    return "";
  }
  // "met", "MISSED" or "" (no target).
  std::string verdict() const {
    switch (goal) {
      case Goal::kNone: return "";
      case Goal::kAtLeast: return value >= target ? "met" : "MISSED";
      case Goal::kAtMost: return value <= target ? "met" : "MISSED";
      case Goal::kRatioAtLeast: return ratio() >= target ? "met" : "MISSED";
    }
    return "";
  }
};

std::string json_escape(const std::string& s) {
  std::string o;
  for (char c : s) {
    if (c == '"' || c == '\\') o += '\\';
    o += c;
  }
  return o;
}

// What the command line asks for.
struct Config {
  cb::StreamShape shape;
  bool quick = false, json = false;
  std::string dir_opt;
  cb::WorkerArgs w;
  int rounds = 2;
};

void add_options(CLI::App& app, Config& c) {
  app.add_flag("--quick", c.quick,
               "small sizes (200 guilds x 50 members, 1 x 20,000; 20,000 steady events): under a minute");
  app.add_flag("--json", c.json, "print the figures as JSON on stdout");
  app.add_option("--seed", c.shape.seed, "generator seed")->capture_default_str();
  app.add_option("--small-guilds", c.shape.small_guilds, "guilds listing all their members")->capture_default_str();
  app.add_option("--members-per-small-guild", c.shape.members_per_small_guild)->capture_default_str();
  app.add_option("--large-guilds", c.shape.large_guilds, "large guilds (members by chunks, with presences)")
      ->capture_default_str();
  app.add_option("--members-per-large-guild", c.shape.members_per_large_guild)->capture_default_str();
  app.add_option("--steady-events", c.shape.steady_events, "steady-state events after the flood")
      ->capture_default_str();
  app.add_option("--gets", c.w.gets, "point gets per workload")->capture_default_str();
  app.add_option("--hot-gets", c.w.hot_gets, "point gets per hot-set workload")->capture_default_str();
  app.add_option("--rounds", c.rounds, "rounds of the noisy workloads (best kept)")->capture_default_str();
  app.add_option("--dir", c.dir_opt, "work directory (default: a fresh one under /tmp, removed at the end)");
  // Internal: run one worker (the orchestrator starts these).
  app.add_option("--worker", c.w.name)->group("");
  app.add_option("--work", c.w.work.dir)->group("");
  app.add_option("--target", c.w.target)->group("");
  app.add_option("--batches", c.w.batches)->group("");
  app.add_option("--passes", c.w.passes)->group("");
  app.add_option("--only", c.w.only)->group("");
}

int run_as_worker(const cb::WorkerArgs& w) {
  try {
    int rc = cb::run_worker(w, stdout);
    std::fflush(stdout);
    return rc;
  } catch (const std::exception& e) {
    fmt::print(stderr, "cachebench worker {}: {}\n", w.name, e.what());
    return 1;
  }
}

void apply_quick(Config& c) {
  c.shape.small_guilds = 200;
  c.shape.members_per_small_guild = 50;
  c.shape.large_guilds = 1;
  c.shape.members_per_large_guild = 20000;
  c.shape.steady_events = 20000;
  c.w.gets = std::min<std::size_t>(c.w.gets, 50000);
  c.w.hot_gets = std::min<std::size_t>(c.w.hot_gets, 300000);
}

// Writes the flood and steady streams and the key lists into the work
// directory; returns the flood's entities.
std::uint64_t generate_streams(const cb::StreamShape& shape, const cb::Work& work, cb::Keys& keys) {
  auto gen = cb::generate(shape);
  std::ofstream f(work.flood()), s(work.steady());
  for (auto& l : gen.flood) f << l << '\n';
  for (auto& l : gen.steady) s << l << '\n';
  if (!f || !s) throw std::runtime_error("cannot write the streams to " + work.dir.string());
  keys.members = gen.members;
  keys.largest_guild = gen.largest_guild;
  for (auto [g, u] : gen.member_keys) keys.largest_guild_members += g == gen.largest_guild;
  std::vector<std::size_t> idx(gen.member_keys.size());
  std::iota(idx.begin(), idx.end(), 0);
  std::shuffle(idx.begin(), idx.end(), std::mt19937_64(shape.seed));
  idx.resize(std::min(idx.size(), cb::kMemberSample));
  for (auto i : idx) keys.member_sample.push_back(gen.member_keys[i]);
  std::set<std::uint64_t> guilds;
  for (auto& [g, u] : gen.member_keys) guilds.insert(g);
  keys.guilds.assign(guilds.begin(), guilds.end());
  keys.channels = gen.channel_ids;
  keys.roles = gen.role_ids;
  cb::write_keys(work.keys(), keys);
  return gen.flood_entities;
}

void phase(const std::string& what) { fmt::print(stderr, "cachebench: {}…\n", what); }

// The figures of one run, and what the report prints besides them.
struct Report {
  std::vector<Figure> figs;
  double flood_events = 0;
  std::vector<double> open_only;  // open without a read, after a graceful close (ms)
};

// 1. Ingest: the flood, its raw baseline, then the steady mix.
void measure_ingest(Report& rep, std::uint64_t flood_entities) {
  phase("ingesting the GUILD_CREATE flood");
  auto fl = spawn("ingest-flood");
  double flood_events = at(fl, "flood_events"), flood_s = at(fl, "flood_s");
  rep.flood_events = flood_events;
  phase("writing the same records to raw RocksDB");
  auto rw = spawn("raw-write", {"--batches", std::to_string(static_cast<std::size_t>(flood_events))});
  phase("ingesting the steady mix");
  auto st = spawn("ingest-steady");
  double rejected = at(fl, "flood_rejected") + at(st, "steady_rejected");
  if (rejected > 0) fmt::print(stderr, "cachebench: WARNING: {} frames rejected\n", rejected);
  double records = at(rw, "raw_records"), raw_s = at(rw, "raw_write_s");
  auto& figs = rep.figs;
  figs.push_back({"ingest: GUILD_CREATE flood, events/s", flood_events / flood_s, "ev/s"});
  figs.push_back({"ingest: flood, entities/s", static_cast<double>(flood_entities) / flood_s, "ent/s"});
  figs.push_back({"ingest: flood, records/s (vs raw puts of the same records)", records / flood_s, "rec/s",
                  records / raw_s, Goal::kRatioAtLeast, 0.6});
  figs.push_back({"ingest: steady mix, events/s", at(st, "steady_events") / at(st, "steady_s"), "ev/s"});
  figs.push_back({"memory: peak RSS during ingest", std::max(at(fl, "flood_peak_rss"), at(st, "steady_peak_rss")),
                  "MiB", 0, Goal::kAtMost, 150});
}

// 2. Restart after a graceful close (the ingest workers closed the cache).
void measure_restart(Report& rep, int rounds) {
  phase("restarting after a graceful close");
  std::vector<double> opens;
  for (int i = 0; i < 2 * rounds + 1; ++i) {
    auto o = spawn("open");
    opens.push_back(at(o, "open_first_read_ms"));
    rep.open_only.push_back(at(o, "open_ms"));
  }
  rep.figs.push_back({"restart: open to first read after a graceful close (median)", median(opens), "ms", 0,
                      Goal::kAtMost, 50});
}

// The point-get figures: each workload next to raw Get.
void add_get_figures(std::vector<Figure>& figs, const Figures& gets_c, const Figures& gets_r) {
  for (const char* l : {"get_member_uniform_1t", "get_member_uniform_2t", "get_member_skewed_1t",
                        "get_member_skewed_2t", "get_guild_channel_uniform_1t", "get_role_uniform_1t",
                        "get_user_uniform_1t", "get_user_skewed_1t"}) {
    if (!gets_c.count(l)) continue;
    figs.push_back({fmt::format("gets: {} (vs raw Get)", l), at(gets_c, l), "ops/s", at(gets_r, l),
                    Goal::kRatioAtLeast, 0.8});
  }
  for (const char* l : {"hot_get_guild_1t", "hot_get_guild_channel_1k_1t", "hot_get_role_1k_1t",
                        "hot_get_member_1k_1t"}) {
    if (!gets_c.count(l)) continue;
    figs.push_back({fmt::format("gets: {} (hot set, vs raw Get)", l), at(gets_c, l), "ops/s", at(gets_r, l),
                    Goal::kAtLeast, 5e6});
  }
  for (const char* l : {"hot_get_member_1k_2t", "hot_get_member_1pct_1t", "hot_get_member_1pct_2t"}) {
    if (!gets_c.count(l)) continue;
    figs.push_back({fmt::format("gets: {} (hot set, vs raw Get)", l), at(gets_c, l), "ops/s", at(gets_r, l)});
  }
  for (const auto& [k, v] : gets_c) {
    if (k.ends_with("_misses")) fmt::print(stderr, "cachebench: WARNING: {} = {}\n", k, v);
  }
}

// 3. Point gets and views, alternating snowcache and raw each round.
void measure_reads(Report& rep, int rounds) {
  Figures gets_c, gets_r, views_c, views_r;
  for (int r = 0; r < rounds; ++r) {
    phase(fmt::format("point gets, round {} of {}", r + 1, rounds));
    keep_best(gets_c, spawn("gets", {"--target", "cache"}));
    keep_best(gets_r, spawn("gets", {"--target", "raw"}));
    phase(fmt::format("views, round {} of {}", r + 1, rounds));
    keep_best(views_c, spawn("views", {"--target", "cache"}));
    keep_best(views_r, spawn("views", {"--target", "raw"}));
  }
  auto& figs = rep.figs;
  add_get_figures(figs, gets_c, gets_r);
  double entries = at(views_c, "view_entries");
  figs.push_back({fmt::format("views: member view iteration, {:.0f} entries, first pass", entries),
                  at(views_c, "view_iter_pass1"), "ent/s", at(views_r, "view_iter_pass1")});
  figs.push_back({fmt::format("views: member view iteration, {:.0f} entries, warm (best of 4)", entries),
                  at(views_c, "view_iter_warm"), "ent/s", at(views_r, "view_iter_warm"), Goal::kAtLeast, 3e6});
  figs.push_back({"views: size() of a fresh member view", at(views_c, "view_size_ms"), "ms"});
  figs.push_back({"views: get_item_at(size/2) of that view", at(views_c, "view_item_at_ms"), "ms"});
  figs.push_back({"views: get_item_at(size-1) of a fresh view", at(views_c, "view_item_at_last_ms"), "ms"});
  figs.push_back({"memory: peak RSS during reads", std::max(at(gets_c, "peak_rss"), at(views_c, "peak_rss")), "MiB",
                  0, Goal::kAtMost, 150});
  figs.push_back({"memory: of which the benchmark's own key lists", at(gets_c, "harness_rss"), "MiB"});
}

// 4. Restart after kill -9: a worker writes what only its WAL holds and is
// killed; the next open replays it.
void measure_kill_restart(Report& rep, int rounds) {
  phase("restarting after kill -9");
  std::vector<double> kill_opens;
  for (int i = 0; i < rounds; ++i) {
    (void)spawn("kill", {}, [](const std::string& l) { return l.rfind("ready", 0) == 0; });
    kill_opens.push_back(at(spawn("open"), "open_first_read_ms"));
  }
  rep.figs.push_back({"restart: open to first read after kill -9 (median)", median(kill_opens), "ms"});
}

// 5. The machine: what a cache miss costs here (hot sets that outgrow a
// core's caches are bound by it).
void measure_machine(Report& rep) {
  auto lat = spawn("latency");
  for (int kib : {256, 1024, 4096, 65536}) {
    rep.figs.push_back({fmt::format("machine: dependent load within {} KiB", kib),
                        at(lat, fmt::format("load_latency_{}k_ns", kib)), "ns"});
  }
}

// 6. Disk, after a full compaction of each.
void measure_disk(Report& rep, const cb::Work& work, const cb::Keys& keys) {
  double members = static_cast<double>(keys.members);
  double as_ingested = static_cast<double>(dir_bytes(work.cache()));
  phase("compacting");
  auto dc = spawn("disk", {"--target", "cache"});
  auto dr = spawn("disk", {"--target", "raw"});
  double bytes = static_cast<double>(dir_bytes(work.cache()));
  auto& figs = rep.figs;
  figs.push_back({"disk: bytes per member, as ingested (whole directory / members)", as_ingested / members, "B"});
  figs.push_back({"disk: bytes per member, compacted (whole directory / members)", bytes / members, "B",
                  static_cast<double>(dir_bytes(work.raw())) / members, Goal::kAtMost, 80});
  for (const auto& [k, v] : dc) {
    if (v / members >= 0.5) figs.push_back({fmt::format("disk: {} SST bytes per member", k.substr(4)), v / members, "B",
                                            dr.count(k) ? dr.at(k) / members : 0});
  }
}

void print_json(const Report& rep, const cb::StreamShape& shape, const cb::Keys& keys) {
  fmt::print("{{\"members\":{},\"small_guilds\":{},\"members_per_small_guild\":{},\"large_guilds\":{},"
             "\"members_per_large_guild\":{},\"flood_events\":{},\"steady_events\":{},\"seed\":{},\"figures\":[",
             keys.members, shape.small_guilds, shape.members_per_small_guild, shape.large_guilds,
             shape.members_per_large_guild, rep.flood_events, shape.steady_events, shape.seed);
  for (std::size_t i = 0; i < rep.figs.size(); ++i) {
    const auto& f = rep.figs[i];
    fmt::print("{}{{\"name\":\"{}\",\"value\":{},\"unit\":\"{}\",\"baseline\":{},\"ratio\":{},\"target\":\"{}\","
               "\"verdict\":\"{}\"}}",
               i ? "," : "", json_escape(f.name), f.value, f.unit, f.baseline, f.ratio(), f.target_text(),
               f.verdict());
  }
  fmt::print("]}}\n");
}

void print_table(const Report& rep, const cb::StreamShape& shape, const cb::Keys& keys) {
  fmt::print("cachebench: {} members ({} small guilds x {}, {} large x {}), {} flood events, {} steady events, seed {}\n",
             keys.members, shape.small_guilds, shape.members_per_small_guild, shape.large_guilds,
             shape.members_per_large_guild, rep.flood_events, shape.steady_events, shape.seed);
  fmt::print("{:<66} {:>13} {:<6} {:>13} {:>7}  {:<14} {}\n", "figure", "value", "unit", "raw baseline", "ratio",
             "target", "");
  for (const auto& f : rep.figs) {
    fmt::print("{:<66} {:>13.1f} {:<6} {:>13} {:>7}  {:<14} {}\n", f.name, f.value, f.unit,
               f.baseline > 0 ? fmt::format("{:.1f}", f.baseline) : "",
               f.baseline > 0 ? fmt::format("{:.2f}", f.ratio()) : "", f.target_text(), f.verdict());
  }
  fmt::print("open alone (no read) after a graceful close: median {:.1f} ms\n", median(rep.open_only));
}

// Generates the streams into `work`, runs every measurement, prints the report.
void run_bench(const Config& c, const cb::Work& work) {
  fs::remove_all(work.dir);
  fs::create_directories(work.dir);
  g_worker_base = {self_exe(), "--work", work.dir.string(), "--seed", std::to_string(c.shape.seed), "--gets",
                   std::to_string(c.w.gets), "--hot-gets", std::to_string(c.w.hot_gets)};
  auto t_gen = Clock::now();
  cb::Keys keys;
  std::uint64_t flood_entities = generate_streams(c.shape, work, keys);
  fmt::print(stderr, "cachebench: generated {} members in {:.1f}s into {}\n", keys.members, cb::seconds_since(t_gen),
             work.dir.string());
  Report rep;
  measure_ingest(rep, flood_entities);
  measure_restart(rep, c.rounds);
  measure_reads(rep, c.rounds);
  measure_kill_restart(rep, c.rounds);
  measure_machine(rep);
  measure_disk(rep, work, keys);
  c.json ? print_json(rep, c.shape, keys) : print_table(rep, c.shape, keys);
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"cachebench: snowcache speed, memory and disk next to raw RocksDB in the same run"};
  Config c;
  add_options(app, c);
  CLI11_PARSE(app, argc, argv);
  c.w.seed = c.shape.seed;
  if (!c.w.name.empty()) return run_as_worker(c.w);

  if (c.quick) apply_quick(c);
  c.rounds = std::max(1, c.rounds);
  cb::Work work{c.dir_opt.empty() ? fs::temp_directory_path() / ("cachebench-" + std::to_string(getpid()))
                                  : fs::path(c.dir_opt)};
  int rc = 0;
  try {
    run_bench(c, work);
  } catch (const std::exception& e) {
    fmt::print(stderr, "cachebench: {}\n", e.what());
    rc = 1;
  }
  if (c.dir_opt.empty()) fs::remove_all(work.dir);
  return rc;
}
