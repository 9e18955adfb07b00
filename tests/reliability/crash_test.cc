// Crash test (issue: reliability). A child process ingests a generated
// gateway stream into a cache directory with sync=false; the parent SIGKILLs
// it at random points. After each kill the parent reopens the cache and
// checks that
//   - the stored sequence N of the shard is what the child last committed,
//   - the cache's dump equals the dump of a fresh cache that ingested exactly
//     events 1..N (nothing half-applied, nothing lost),
// then the next child replays the whole stream from the start (a RESUME
// replay): 1..N are skipped as duplicates. At the end, an uninterrupted child
// finishes the stream and the final dump equals that of an uninterrupted run
// (member_count included).
//
//   crash_test [--kills N] [--seed S] [--dir DIR] [--large-members M]
// Exit 0 when every check passed. `meson test` runs a short form; the long
// run is `crash_test --kills 60` (docs/RELIABILITY.md).
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include <fmt/core.h>

#include "generator.h"
#include "snowcache/dump.h"
#include "snowcache/gateway.h"

namespace fs = std::filesystem;
using namespace snowcache;

namespace {

std::string dump_of(const Cache& c) {
  std::string out;
  auto s = dump(c, {}, [&](std::string_view line) {
    out.append(line);
    out.push_back('\n');
  });
  if (!s.ok()) throw std::runtime_error("dump: " + s.to_string());
  return out;
}

// The dump of a fresh in-memory cache that ingested frames[0..n).
std::string reference_dump(const std::vector<std::string>& frames, std::size_t n) {
  Options o;
  o.in_memory = true;
  static int k = 0;
  auto c = MutableCache::open("/crash-ref-" + std::to_string(k++), o);
  if (!c.ok()) throw std::runtime_error(c.status().to_string());
  {
    Gateway gw(**c);
    for (std::size_t i = 0; i < n; ++i) {
      auto r = gw.ingest_frame(0, frames[i]);
      if (!r.ok()) throw std::runtime_error("reference ingest rejected: " + r.status.to_string());
    }
  }
  return dump_of(**c);
}

[[noreturn]] void child_ingest(const fs::path& dir, const std::vector<std::string>& frames, int ready_fd) {
  Options o;
  o.sync = false;  // a process crash: the WAL must carry every committed event
  auto c = MutableCache::open(dir.string(), o);
  if (!c.ok()) {
    fmt::print(stderr, "child: {}\n", c.status().to_string());
    _exit(3);
  }
  Gateway gw(**c);
  if (ready_fd >= 0) {
    (void)!write(ready_fd, "r", 1);
    close(ready_fd);
  }
  for (const auto& f : frames) {
    auto r = gw.ingest_frame(0, f);
    if (!r.ok()) {
      fmt::print(stderr, "child: rejected: {}\n", r.status.to_string());
      _exit(4);
    }
  }
  _exit(0);
}

std::optional<std::int64_t> stored_seq(const Cache& c) {
  auto s = session(c, 0);
  if (!s.ok()) throw std::runtime_error(s.status().to_string());
  return *s ? (**s).sequence : std::nullopt;
}

}  // namespace

int main(int argc, char** argv) {
  int kills = 5;
  std::uint64_t seed = 7;
  std::uint32_t large_members = 3000;
  fs::path dir;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) throw std::runtime_error(a + " needs a value");
      return argv[++i];
    };
    if (a == "--kills") kills = std::stoi(next());
    else if (a == "--seed") seed = std::stoull(next());
    else if (a == "--dir") dir = next();
    else if (a == "--large-members") large_members = static_cast<std::uint32_t>(std::stoul(next()));
    else {
      fmt::print(stderr, "usage: crash_test [--kills N] [--seed S] [--dir DIR] [--large-members M]\n");
      return 2;
    }
  }
  if (dir.empty()) dir = fs::temp_directory_path() / ("snowcache-crash-" + std::to_string(getpid()));
  fs::remove_all(dir);

  cachebench::StreamShape shape;
  shape.small_guilds = 20;
  shape.members_per_small_guild = 30;
  shape.large_guilds = 1;
  shape.members_per_large_guild = large_members;
  shape.chunk_size = 500;
  shape.steady_events = 2000;
  shape.seed = seed;
  auto gen = cachebench::generate(shape);
  std::vector<std::string> frames = gen.flood;
  frames.insert(frames.end(), gen.steady.begin(), gen.steady.end());
  fmt::print("crash_test: {} frames, {} kills, seed {}, dir {}\n", frames.size(), kills, seed, dir.string());

  std::string full = reference_dump(frames, frames.size());
  // How long an uninterrupted child takes on disk, to aim the kills inside it.
  double full_ms = 0;
  {
    fs::path scratch = dir.string() + "-timing";
    fs::remove_all(scratch);
    auto t0 = std::chrono::steady_clock::now();
    pid_t pid = fork();
    if (pid == 0) child_ingest(scratch, frames, -1);
    int status = 0;
    waitpid(pid, &status, 0);
    full_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    fs::remove_all(scratch);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
      fmt::print(stderr, "crash_test: the timing run failed\n");
      return 1;
    }
  }

  std::mt19937_64 rng(seed);
  int failures = 0, mid_stream_kills = 0;
  std::int64_t last_seq = 0;
  for (int k = 0; k < kills; ++k) {
    int fds[2];
    if (pipe(fds) != 0) return 1;
    pid_t pid = fork();
    if (pid == 0) {
      close(fds[0]);
      child_ingest(dir, frames, fds[1]);
    }
    close(fds[1]);
    char c;
    if (read(fds[0], &c, 1) != 1) {
      fmt::print(stderr, "crash_test: child {} did not start\n", k);
      return 1;
    }
    close(fds[0]);
    // Aim anywhere in the first 90% of an uninterrupted run (later children
    // skip the events already applied, so they finish sooner).
    auto delay = std::chrono::microseconds(rng() % static_cast<std::uint64_t>(std::max(1.0, full_ms * 900)));
    std::this_thread::sleep_for(delay);
    kill(pid, SIGKILL);
    int status = 0;
    waitpid(pid, &status, 0);
    bool killed = WIFSIGNALED(status);

    auto cache = Cache::open(dir.string(), {});
    if (!cache.ok()) {
      fmt::print(stderr, "crash_test: reopen after kill {}: {}\n", k, cache.status().to_string());
      return 1;
    }
    auto seq = stored_seq(**cache);
    std::size_t n = seq ? static_cast<std::size_t>(*seq) : 0;  // generated frames carry s = 1..M in order
    std::int64_t now_seq = seq.value_or(0);
    if (now_seq < last_seq) {
      fmt::print(stderr, "crash_test: kill {}: sequence went back from {} to {}\n", k, last_seq, now_seq);
      ++failures;
    }
    last_seq = now_seq;
    if (killed && n < frames.size()) ++mid_stream_kills;
    std::string got = dump_of(**cache);
    std::string want = n == frames.size() ? full : reference_dump(frames, n);
    bool same = got == want;
    fmt::print("crash_test: kill {} after {:.1f} ms: {} ({}), stored sequence {}, dump {}\n", k, delay.count() / 1000.0,
               killed ? "killed" : "exited", WIFEXITED(status) ? WEXITSTATUS(status) : -1, n,
               same ? "equals events 1..N" : "DIFFERS");
    if (!same) ++failures;
    if (n == frames.size()) {
      // The child got to the end before the kill: start a new round so the
      // next kills land inside a stream again.
      cache->reset();
      fs::remove_all(dir);
      last_seq = 0;
    }
  }
  // The last round may have been reset: run it up to a kill-free end below.

  // The RESUME replay to the end.
  pid_t pid = fork();
  if (pid == 0) child_ingest(dir, frames, -1);
  int status = 0;
  waitpid(pid, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    fmt::print(stderr, "crash_test: the final replay failed\n");
    return 1;
  }
  auto cache = Cache::open(dir.string(), {});
  if (!cache.ok()) return 1;
  bool final_same = dump_of(**cache) == full;
  fmt::print("crash_test: final replay: stored sequence {}, dump {}\n", stored_seq(**cache).value_or(0),
             final_same ? "equals an uninterrupted run" : "DIFFERS from an uninterrupted run");
  if (!final_same) ++failures;
  cache->reset();
  fs::remove_all(dir);
  if (kills >= 3 && mid_stream_kills == 0) {
    fmt::print(stderr, "crash_test: no kill landed inside the stream: the test checked nothing\n");
    ++failures;
  }
  fmt::print("crash_test: {} kills ({} mid-stream), {} failures\n", kills, mid_stream_kills, failures);
  return failures == 0 ? 0 : 1;
}
