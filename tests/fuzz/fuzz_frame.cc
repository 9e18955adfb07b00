// fuzz_frame — arbitrary bytes as gateway frames, on an in-memory cache.
//
// An input is one or more lines. A line that starts with '{' is a whole
// frame for Gateway::ingest_frame; any other line is a dispatch name and the
// line after it is its `d`, for the split form Gateway::ingest (with the
// next sequence number). So the seeds are fixture lines, and a minimised
// reproducer carries the frames that built the state it needs.
//
// Checks, abort() on violation:
//   - no crash, no sanitizer report, no exception out of the gateway;
//   - after a rejection the cache is still usable: a known-good dispatch on
//     the probe shard applies and reads back;
//   - after an input that applied something, snowcache::verify finds the
//     cache consistent (index entries, reference counts, entity counts).
//
// One cache is kept across inputs for speed (an in-memory open costs more
// than most inputs) and replaced every kResetEvery inputs, so state does not
// grow without bound; SNOWCACHE_FUZZ_RESET_EVERY=N overrides that (1 = a
// fresh cache per input: slower, and exactly reproducible). Each input's
// frames go to a shard of their own, so a sequence stored by an earlier
// input does not turn this input's frames into duplicates.
//
// Built as a libFuzzer target (-Dfuzz=true) or with replay_main.cc.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "snowcache/cache.h"
#include "snowcache/gateway.h"
#include "snowcache/verify.h"

namespace {

using snowcache::Gateway;
using snowcache::IngestResult;
using snowcache::MutableCache;
using snowcache::Outcome;

constexpr int kDefaultResetEvery = 100;
constexpr std::uint32_t kProbeShard = 0;  // fuzzed frames go to shards 1, 2, ...
// The largest id: the message cap evicts the smallest, so never the probe.
constexpr std::uint64_t kProbeMessage = 18446744073709551615u;
constexpr std::string_view kProbePayload =
    R"({"id":"18446744073709551615","channel_id":"1006111557681283072",)"
    R"("author":{"id":"576321040205086720","username":"probe","discriminator":"0","global_name":null,)"
    R"("avatar":null,"public_flags":0},"content":"probe","timestamp":"2024-03-01T10:00:00.000000+00:00",)"
    R"("edited_timestamp":null,"tts":false,"mention_everyone":false,"mentions":[],"mention_roles":[],)"
    R"("attachments":[],"embeds":[],"pinned":false,"type":0,"flags":0,"components":[]})";

[[noreturn]] void fail(const std::string& what) {
  std::fprintf(stderr, "fuzz_frame: %s\n", what.c_str());
  std::abort();
}

std::string describe(const IngestResult& r) {
  std::string out = std::string(snowcache::outcome_name(r.outcome)) + " " + r.event;
  if (r.sequence) out += " s=" + std::to_string(*r.sequence);
  if (!r.status.ok()) out += ": " + r.status.to_string();
  return out;
}

struct Rig {
  std::unique_ptr<MutableCache> cache;
  std::unique_ptr<Gateway> gateway;
  int reset_every = kDefaultResetEvery;
  int inputs = 0;           // since the last reset
  int generation = 0;       // caches opened
  std::uint32_t shard = 0;  // the last input's shard
  std::int64_t probe_seq = 0;

  Rig() {
    if (const char* n = std::getenv("SNOWCACHE_FUZZ_RESET_EVERY"); n && std::atoi(n) > 0) {
      reset_every = std::atoi(n);
    }
  }

  void reset() {
    gateway.reset();
    cache.reset();
    snowcache::Options o;
    o.in_memory = true;
    auto c = MutableCache::open("/snowcache-fuzz-frame-" + std::to_string(generation++), o);
    if (!c.ok()) fail("cannot open an in-memory cache: " + c.status().to_string());
    cache = std::move(c).value();
    gateway = std::make_unique<Gateway>(*cache);
    inputs = 0;
    shard = 0;
    probe_seq = 0;
  }

  // A known-good dispatch on the probe shard applies and reads back.
  void probe(const IngestResult& after) {
    IngestResult r = gateway->ingest(kProbeShard, "MESSAGE_CREATE", ++probe_seq, kProbePayload);
    if (r.outcome != Outcome::kApplied) {
      fail("after \"" + describe(after) + "\", a known-good MESSAGE_CREATE was " + describe(r));
    }
    auto m = cache->get_message(snowcache::Snowflake(kProbeMessage));
    if (!m.ok() || !m.value() || !(*m.value())->content() || (*m.value())->content()->str() != "probe") {
      fail("after \"" + describe(after) + "\", the probe message does not read back: " +
           (m.ok() ? std::string("missing or wrong") : m.status().to_string()));
    }
  }

  void check_consistent() {
    auto report = snowcache::verify(*cache);
    if (!report.ok()) fail("verify failed: " + report.status().to_string());
    if (!report.value().ok()) {
      std::string all;
      for (const auto& p : report.value().problems) all += "\n  " + p;
      fail("the cache is inconsistent after this input:" + all);
    }
  }

  void run(std::string_view input) {
    if (!cache || inputs >= reset_every) reset();
    ++inputs;
    shard += 1;  // a shard of its own (see the top of the file)
    std::int64_t split_seq = 0;
    bool applied = false;
    while (!input.empty()) {
      std::string_view line = next_line(input);
      IngestResult r;
      if (!line.empty() && line.front() == '{') {
        r = gateway->ingest_frame(shard, line);
      } else {
        std::string_view payload = next_line(input);
        r = gateway->ingest(shard, line, ++split_seq, payload);
      }
      if (r.outcome == Outcome::kApplied) applied = true;
      if (r.outcome == Outcome::kRejected) probe(r);
    }
    if (applied) check_consistent();
  }

  static std::string_view next_line(std::string_view& rest) {
    std::size_t nl = rest.find('\n');
    std::string_view line = rest.substr(0, nl);
    rest = nl == std::string_view::npos ? std::string_view() : rest.substr(nl + 1);
    return line;
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static Rig* rig = new Rig();  // never destroyed: no teardown order to get wrong at exit
  try {
    rig->run(std::string_view(reinterpret_cast<const char*>(data), size));
  } catch (const std::exception& e) {
    fail(std::string("exception: ") + e.what());
  }
  return 0;
}
