// Support for the reliability suites (corruption_test, io_error_test): a
// generated gateway stream with sequences 1..M in order, dumps as text, the
// dump of a fresh cache that ingested exactly events 1..N, a directory's WAL
// file; forked children are in child.h.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "child.h"
#include "generator.h"
#include "gateway_support.h"
#include "snowcache/dump.h"
#include "snowcache/verify.h"

namespace snowcache::testing {

// A small generated stream (tools/cachebench/generator.h): READY, guild
// floods with member chunks, then a steady mix of messages, member, presence
// and voice updates. Frame i carries s = i + 1.
inline cachebench::StreamShape generated_shape() {
  cachebench::StreamShape shape;
  shape.small_guilds = 4;
  shape.members_per_small_guild = 25;
  shape.large_guilds = 1;
  shape.members_per_large_guild = 300;
  shape.chunk_size = 100;
  shape.channels_per_guild = 5;
  shape.roles_per_guild = 5;
  shape.steady_events = 700;
  shape.seed = 20261128;
  return shape;
}

inline const std::vector<std::string>& generated_stream() {
  static const std::vector<std::string> frames = [] {
    auto gen = cachebench::generate(generated_shape());
    std::vector<std::string> out = gen.flood;
    out.insert(out.end(), gen.steady.begin(), gen.steady.end());
    return out;
  }();
  return frames;
}

inline std::string dump_text(const Cache& c) {
  std::string out;
  auto st = dump(c, {}, [&](std::string_view line) {
    out.append(line);
    out.push_back('\n');
  });
  REQUIRE_MESSAGE(st.ok(), st.to_string());
  return out;
}

// Whether an event was taken: applied, or ignored (its sequence is still
// recorded); not a duplicate, not rejected.
inline bool taken(const IngestResult& r) { return r.outcome == Outcome::kApplied || r.outcome == Outcome::kIgnored; }

// The dump of a fresh in-memory cache that ingested frames[0..n), each taken.
inline std::string reference_dump(const std::vector<std::string>& frames, std::size_t n) {
  auto c = memory_cache();
  {
    Gateway gw(*c);
    for (std::size_t i = 0; i < n; ++i) {
      auto r = gw.ingest_frame(0, frames[i]);
      INFO("frame #" << i << ": " << describe(r));
      REQUIRE((r.outcome == Outcome::kApplied || r.outcome == Outcome::kIgnored));
    }
  }
  return dump_text(*c);
}

inline std::optional<std::int64_t> stored_sequence(const Cache& c) {
  auto s = session(c, 0);
  REQUIRE_MESSAGE(s.ok(), s.status().to_string());
  return *s ? (**s).sequence : std::nullopt;
}

// The directory's one WAL file (*.log).
inline std::filesystem::path wal_file(const std::filesystem::path& dir) {
  std::filesystem::path found;
  int n = 0;
  for (auto& e : std::filesystem::directory_iterator(dir)) {
    if (e.path().extension() == ".log") {
      found = e.path();
      ++n;
    }
  }
  REQUIRE_MESSAGE(n == 1, dir.string() << " holds " << n << " WAL files");
  return found;
}

}  // namespace snowcache::testing
