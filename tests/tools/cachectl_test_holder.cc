// cachectl_test_holder — plays a running bot for the cachectl test: holds a
// cache open for writing while cachectl reads it from another process.
//
//   cachectl_test_holder DB FILE
//
// Opens DB with MutableCache, ingests FILE (NDJSON frames, shard 0), prints
// "ready" and then reads commands from stdin, one a line:
//   ingest FILE   ingest more frames, then print "ok"
//   quit          close the cache and exit 0 (so does EOF on stdin)
// It gives up after 60 s in any case, so a broken test cannot leave it behind.
#include <poll.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <string>

#include "snowcache/cache.h"
#include "snowcache/fixture.h"
#include "snowcache/gateway.h"

namespace {

bool ingest(snowcache::Gateway& gateway, const std::string& file) {
  auto r = snowcache::ingest_file(gateway, file, 0);
  if (!r.ok()) {
    std::fprintf(stderr, "cachectl_test_holder: %s\n", r.status().to_string().c_str());
    return false;
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: cachectl_test_holder DB FILE\n");
    return 2;
  }
  auto cache = snowcache::MutableCache::open(argv[1]);
  if (!cache.ok()) {
    std::fprintf(stderr, "cachectl_test_holder: %s\n", cache.status().to_string().c_str());
    return 2;
  }
  snowcache::Gateway gateway(**cache);
  if (!ingest(gateway, argv[2])) return 1;
  std::printf("ready\n");
  std::fflush(stdout);

  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  std::string line;
  while (true) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      std::fprintf(stderr, "cachectl_test_holder: 60 s passed, exiting\n");
      return 1;
    }
    pollfd p{STDIN_FILENO, POLLIN, 0};
    int r = ::poll(&p, 1, static_cast<int>(left.count()));
    if (r <= 0) continue;
    char c = 0;
    ssize_t n = ::read(STDIN_FILENO, &c, 1);
    if (n <= 0) return 0;  // EOF: the test is done with us
    if (c != '\n') {
      line += c;
      continue;
    }
    if (line == "quit") return 0;
    if (line.rfind("ingest ", 0) == 0) {
      if (!ingest(gateway, line.substr(7))) return 1;
      std::printf("ok\n");
      std::fflush(stdout);
    } else {
      std::fprintf(stderr, "cachectl_test_holder: unknown command '%s'\n", line.c_str());
      return 2;
    }
    line.clear();
  }
}
