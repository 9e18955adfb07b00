// What cachebench's orchestrator and its workers share: the work directory's
// files, the key lists, and how a worker reports figures.
//
// Every measurement runs in a worker: cachebench re-executes itself
// (`--worker NAME`), so a worker's peak RSS is its own (the cache's and the
// few keys it reads), not the generator's, and a raw-RocksDB baseline never
// shares a process, a block cache or a page of memory with the cache.
#pragma once

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace cachebench {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

inline double seconds_since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

// Peak (VmHWM) and current (VmRSS) resident set of this process, in MiB.
std::pair<double, double> rss_mib();

// Files of a work directory.
struct Work {
  fs::path dir;
  fs::path cache() const { return dir / "cache"; }
  fs::path raw() const { return dir / "raw"; }
  fs::path flood() const { return dir / "flood.ndjson"; }
  fs::path steady() const { return dir / "steady.ndjson"; }
  fs::path keys() const { return dir / "keys.bin"; }
};

// Ids the workloads read back, written once by the orchestrator.
struct Keys {
  std::uint64_t members = 0;        // members in the cache (all guilds)
  std::uint64_t largest_guild = 0;  // the guild whose member view is iterated
  std::uint64_t largest_guild_members = 0;
  // A uniform random sample of the (guild, user) member keys (at most
  // kMemberSample), in random order: its first 1% is the hot set.
  std::vector<std::pair<std::uint64_t, std::uint64_t>> member_sample;
  std::vector<std::uint64_t> guilds, channels, roles;
};
constexpr std::size_t kMemberSample = 200000;

void write_keys(const fs::path& file, const Keys& k);
Keys read_keys(const fs::path& file);

// Options a worker runs with (parsed from its command line).
struct WorkerArgs {
  std::string name;
  Work work;
  std::string target = "cache";  // gets / views: "cache" or "raw"
  std::uint64_t seed = 42;
  std::size_t gets = 500000;     // point gets per workload
  std::size_t hot_gets = 5000000;
  std::size_t batches = 1;       // raw-write: batches (= flood events)
  std::string only;              // gets: only the workloads whose name contains this (for a profiler)
  int passes = 5;                // views: passes over the view (the first cold, the best other warm)
};

// Runs worker `a.name`, printing one "name value" line per figure to `out`.
// Returns the process exit status.
int run_worker(const WorkerArgs& a, std::FILE* out);

}  // namespace cachebench
