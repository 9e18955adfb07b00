// Forked children for the suites that provoke what a test process must not
// suffer itself (io_error_test, corruption_test, txn_test): a child that
// reports through a pipe, a child whose wait status is the result (an
// assertion that aborts), and a file size limit that makes the WAL write of
// a later commit fail with EFBIG.
#pragma once

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string>
#include <utility>

#include <doctest/doctest.h>

#include "snowcache/status.h"

namespace snowcache::testing {

// Runs `body(report)` in a forked child, which reports through a pipe (a
// fixed-size, trivially copyable struct) and _exits with body's return value
// without running any destructor; returns the report and the exit code.
// The child must not use doctest.
template <class Report, class Body>
std::pair<Report, int> run_in_child(Body&& body) {
  int fds[2];
  REQUIRE(::pipe(fds) == 0);
  pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    ::close(fds[0]);
    Report r{};
    int code = body(r);
    const char* p = reinterpret_cast<const char*>(&r);
    std::size_t left = sizeof r;
    while (left > 0) {
      ssize_t w = ::write(fds[1], p, left);
      if (w <= 0) ::_exit(90);
      p += w;
      left -= static_cast<std::size_t>(w);
    }
    ::_exit(code);
  }
  ::close(fds[1]);
  Report r{};
  char* p = reinterpret_cast<char*>(&r);
  std::size_t got = 0;
  while (got < sizeof r) {
    ssize_t n = ::read(fds[0], p + got, sizeof r - got);
    if (n <= 0) break;
    got += static_cast<std::size_t>(n);
  }
  ::close(fds[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  REQUIRE_MESSAGE(got == sizeof r, "the child died before reporting (wait status " << status << ")");
  REQUIRE_MESSAGE(WIFEXITED(status), "the child was killed by signal " << (WIFSIGNALED(status) ? WTERMSIG(status) : 0));
  return {r, WEXITSTATUS(status)};
}

// Runs `body()` in a forked child that _exits with its return value (no
// destructor runs) and returns the child's raw wait status, for a test that
// expects the child to die (WIFSIGNALED). The child must not use doctest.
template <class Body>
int wait_status_of_child(Body&& body) {
  std::fflush(nullptr);
  pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    std::signal(SIGABRT, SIG_DFL);  // not doctest's crash report: the parent judges
    ::_exit(body());
  }
  int status = 0;
  REQUIRE(::waitpid(pid, &status, 0) == pid);
  return status;
}

// Lowers this process's file size limit to the size of the largest file in
// the cache directory plus `headroom` bytes; writes past it fail with EFBIG
// instead of killing us. The WAL is the file that grows with every commit,
// so it is the one that reaches the limit. (Not RocksDB's info LOG: after a
// failed LOG write, the next one trips an assertion in Debian's RocksDB 7.8
// build — see docs/RELIABILITY.md.) For forked children only.
inline bool limit_files(const std::filesystem::path& dir, std::uintmax_t headroom, std::int64_t& limit) {
  std::error_code ec;
  std::uintmax_t size = 0;
  for (auto& e : std::filesystem::directory_iterator(dir, ec)) {
    if (e.is_regular_file(ec)) size = std::max(size, e.file_size(ec));
  }
  if (size == 0) return false;
  std::signal(SIGXFSZ, SIG_IGN);
  rlimit rl{};
  if (::getrlimit(RLIMIT_FSIZE, &rl) != 0) return false;
  rl.rlim_cur = static_cast<rlim_t>(size + headroom);
  limit = static_cast<std::int64_t>(rl.rlim_cur);
  return ::setrlimit(RLIMIT_FSIZE, &rl) == 0;
}

// A status's text in a fixed-size report field.
inline void copy_message(char (&to)[240], const Status& s) {
  std::string m = s.to_string();
  std::strncpy(to, m.c_str(), sizeof to - 1);
}

}  // namespace snowcache::testing
