// I/O errors (docs/RELIABILITY.md): a write that fails is reported, never
// silently dropped, and the handle refuses every later write until reopened.
//
// A full filesystem without privileges: a forked child lowers its
// RLIMIT_FSIZE just above the size of the cache's WAL and ignores SIGXFSZ,
// so the write() of some later commit to the WAL fails with EFBIG. The child
// reports what it saw through a pipe and _exits without closing (a bot that
// gives up); the parent reopens without the limit and checks the cache holds
// exactly the events reported applied, nothing of the failed one.
#include <filesystem>
#include <string>

#include "reliability_support.h"

using namespace snowcache;
using namespace snowcache::testing;
namespace fs = std::filesystem;

namespace {

struct IngestReport {
  std::int64_t limit = 0;
  std::int64_t last_applied = 0;  // the last event reported applied (or ignored: its sequence is recorded)
  std::int64_t failed_seq = 0;    // the event whose commit failed
  int failed_outcome = -1, failed_code = -1;
  int next_outcome = -1, next_code = -1;  // the event after it
  int retry_code = -1;                    // the failed event again
  int set_code = -1;                      // a MutableCache write
  int read_ok = 0;                        // reads keep working
  char failed_message[240] = {};
  char next_message[240] = {};
};

}  // namespace

TEST_CASE("the WAL write of a gateway event fails: the event is rejected, later writes fail kFailed, reopen holds 1..N") {
  const auto& frames = generated_stream();
  TempDir dir;
  auto [r, code] = run_in_child<IngestReport>([&](IngestReport& rep) {
    Options o;
    o.sync = false;
    auto opened = MutableCache::open(dir.str(), o);
    if (!opened.ok()) return 3;
    // Never closed: the child _exits with the cache open. (Closing would
    // also wait for RocksDB's background threads, which fork did not copy.)
    MutableCache& cache = *opened->release();
    Gateway gw(cache);
    const std::size_t warm = frames.size() / 4;
    std::size_t i = 0;
    for (; i < warm; ++i) {
      if (!taken(gw.ingest_frame(0, frames[i]))) return 4;
      rep.last_applied = static_cast<std::int64_t>(i + 1);
    }
    if (!limit_files(dir.path(), 40 * 1024, rep.limit)) return 5;
    for (; i < frames.size(); ++i) {
      auto res = gw.ingest_frame(0, frames[i]);
      if (taken(res)) {
        rep.last_applied = res.sequence.value_or(-1);
        continue;
      }
      rep.failed_seq = res.sequence.value_or(-1);
      rep.failed_outcome = static_cast<int>(res.outcome);
      rep.failed_code = static_cast<int>(res.status.code());
      copy_message(rep.failed_message, res.status);
      break;
    }
    if (i + 1 >= frames.size()) return 6;  // the limit was never hit
    auto next = gw.ingest_frame(0, frames[i + 1]);
    rep.next_outcome = static_cast<int>(next.outcome);
    rep.next_code = static_cast<int>(next.status.code());
    copy_message(rep.next_message, next.status);
    rep.retry_code = static_cast<int>(gw.ingest_frame(0, frames[i]).status.code());
    rep.set_code = static_cast<int>(cache.set_guild(guild(4242, "after the failure")).code());
    auto me = cache.get_me();
    rep.read_ok = me.ok() && me->has_value() && cache.get_guilds_view().size() > 0;
    return 0;  // _exit without closing
  });
  INFO("failed: " << r.failed_message);
  INFO("next: " << r.next_message);
  REQUIRE_MESSAGE(code == 0, "child exit code " << code << " (5: no limit set, 6: the limit was never hit)");
  MESSAGE("file size limit " << r.limit << " bytes; event " << r.failed_seq << " failed after " << r.last_applied
                             << " applied: " << r.failed_message);

  // The failing event itself: rejected with the I/O error, not applied.
  CHECK(r.failed_outcome == static_cast<int>(Outcome::kRejected));
  CHECK(r.failed_code == static_cast<int>(Code::kIOError));
  CHECK(std::string(r.failed_message).find("File too large") != std::string::npos);
  CHECK(r.failed_seq == r.last_applied + 1);
  CHECK(r.last_applied > static_cast<std::int64_t>(frames.size() / 4));
  // Everything after it: refused with the latched error until reopen.
  CHECK(r.next_outcome == static_cast<int>(Outcome::kRejected));
  CHECK(r.next_code == static_cast<int>(Code::kFailed));
  CHECK(std::string(r.next_message).find("reopen") != std::string::npos);
  CHECK(r.retry_code == static_cast<int>(Code::kFailed));
  CHECK(r.set_code == static_cast<int>(Code::kFailed));
  CHECK(r.read_ok == 1);

  // Reopened without the limit: exactly the events reported applied.
  auto c = disk_cache(dir.str());
  CHECK(stored_sequence(*c) == r.last_applied);
  require_verifies(*c);
  CHECK(dump_text(*c) == reference_dump(frames, static_cast<std::size_t>(r.last_applied)));
  CHECK_FALSE(got(c->get_guild(S(4242))).has_value());
  // The bot resumes: the stream replayed applies the rest and ends where an
  // uninterrupted run does.
  Gateway gw(*c);
  std::size_t applied = 0;
  for (auto& f : frames) applied += taken(gw.ingest_frame(0, f));
  CHECK(applied == frames.size() - static_cast<std::size_t>(r.last_applied));
  CHECK(dump_text(*c) == reference_dump(frames, frames.size()));
}

namespace {

struct SetReport {
  std::int64_t limit = 0;
  int stored = 0;  // set_message calls that returned OK
  int failed_code = -1, next_code = -1, delete_code = -1, clear_code = -1;
  char failed_message[240] = {};
};

constexpr std::uint64_t kGuild = 1000, kChannel = 1001, kMessage0 = 50000;

fb::MessageT big_message(int i) {
  auto m = message(kMessage0 + static_cast<std::uint64_t>(i), kChannel, kGuild, 7000 + static_cast<std::uint64_t>(i % 5),
                   {8000 + static_cast<std::uint64_t>(i)});
  m.content = std::string(1500, static_cast<char>('a' + i % 26));
  return m;
}

}  // namespace

TEST_CASE("a MutableCache write fails: its Status is the I/O error, later writes kFailed, reopen holds what succeeded") {
  TempDir dir;
  Settings settings;
  settings.max_messages = 100000;
  auto [r, code] = run_in_child<SetReport>([&](SetReport& rep) {
    Options o;
    o.settings = settings;
    auto opened = MutableCache::open(dir.str(), o);
    if (!opened.ok()) return 3;
    // Never closed: the child _exits with the cache open. (Closing would
    // also wait for RocksDB's background threads, which fork did not copy.)
    MutableCache& cache = *opened->release();
    if (!cache.set_guild(guild(kGuild)).ok()) return 4;
    if (!cache.set_guild_channel(channel(kChannel, kGuild)).ok()) return 4;
    if (!limit_files(dir.path(), 24 * 1024, rep.limit)) return 5;
    for (int i = 0; i < 5000; ++i) {
      auto st = cache.set_message(big_message(i));
      if (st.ok()) {
        ++rep.stored;
        continue;
      }
      rep.failed_code = static_cast<int>(st.code());
      copy_message(rep.failed_message, st);
      break;
    }
    if (rep.failed_code < 0) return 6;
    rep.next_code = static_cast<int>(cache.set_message(big_message(rep.stored + 1)).code());
    rep.delete_code = static_cast<int>(cache.delete_message(Snowflake(kMessage0)).status().code());
    rep.clear_code = static_cast<int>(cache.clear_messages().status().code());
    return 0;
  });
  INFO("failed: " << r.failed_message);
  REQUIRE_MESSAGE(code == 0, "child exit code " << code << " (5: no limit set, 6: the limit was never hit)");
  MESSAGE("file size limit " << r.limit << " bytes; set_message #" << r.stored << " failed: " << r.failed_message);
  CHECK(r.stored > 0);
  CHECK(r.failed_code == static_cast<int>(Code::kIOError));
  CHECK(r.next_code == static_cast<int>(Code::kFailed));
  CHECK(r.delete_code == static_cast<int>(Code::kFailed));
  CHECK(r.clear_code == static_cast<int>(Code::kFailed));

  auto c = disk_cache(dir.str());
  require_verifies(*c);
  CHECK(c->settings().max_messages == 100000);
  CHECK(c->get_messages_view().size() == static_cast<std::size_t>(r.stored));
  for (int i = 0; i <= r.stored; ++i) {
    CAPTURE(i);
    auto m = got(c->get_message(Snowflake(kMessage0 + static_cast<std::uint64_t>(i))));
    CHECK(m.has_value() == (i < r.stored));
    // The failed message's mentioned user was never written either.
    CHECK(got(c->get_user(Snowflake(8000 + static_cast<std::uint64_t>(i)))).has_value() == (i < r.stored));
  }
  // The handle works again after reopening.
  ok(c->set_message(big_message(r.stored)));
  require_verifies(*c);
}
