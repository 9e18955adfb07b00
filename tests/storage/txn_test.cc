// txn (lib/src/storage/txn.h): a Txn reads through its own staged writes;
// destroyed without commit it writes nothing; commit settles member records,
// user counts (with DM channel ids) and entity counts; the writer latches a
// failed commit; the message floor and the sweep window.
//
// The Txn is driven directly on a Store (RocksDB's in-memory Env, or a temp
// directory where a reopen or a file size limit is needed): values are plain
// strings, since a Txn does not look inside them.
#include "storage/txn.h"

#include <csignal>
#include <functional>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "child.h"
#include "support.h"

using namespace snowcache;
using namespace snowcache::testing;
using detail::Cf;
using detail::Store;
using detail::Txn;
using detail::Writer;
using keys::MemberRecord;

namespace {

using Opt = std::optional<std::string>;

std::string K(std::uint64_t id) { return keys::id(S(id)); }

std::shared_ptr<Store> open_store(const std::string& path, Options o) {
  auto s = Store::open(path, o);
  REQUIRE_MESSAGE(s.ok(), s.status().to_string());
  return std::move(s).value();
}

Options in_memory() {
  Options o;
  o.in_memory = true;
  return o;
}

std::string fresh_name() {
  static int n = 0;
  return "/txn-test-" + std::to_string(n++);
}

struct UserRow {
  Opt record;
  std::optional<std::int64_t> refs;
  friend bool operator==(const UserRow&, const UserRow&) = default;
  friend std::ostream& operator<<(std::ostream& os, const UserRow& u) {
    return os << "{" << u.record.value_or("<none>") << ", refs " << (u.refs ? std::to_string(*u.refs) : "<none>") << "}";
  }
};
const UserRow kGone{};

// A store and its writer (the writer lock, the latch, the message floor).
struct Rig {
  std::shared_ptr<Store> store;
  Writer writer;
  explicit Rig(std::shared_ptr<Store> s) : store(s), writer(std::move(s)) {}
  Rig() : Rig(open_store(fresh_name(), in_memory())) {}

  // Runs `fn` in one Txn and commits it.
  void apply(const std::function<void(Txn&)>& fn) {
    Txn t(writer);
    fn(t);
    ok(t.commit());
  }
  // The committed value, as a reader outside any Txn sees it.
  Opt stored(Cf c, std::string_view key, const rocksdb::Snapshot* snap = nullptr) const {
    auto v = ok(store->get(c, key, snap));
    return v ? Opt(std::string(v->view())) : std::nullopt;
  }
  std::optional<std::int64_t> stored_number(Cf c, std::string_view key) const {
    auto v = stored(c, key);
    return v ? keys::decode_count(*v) : std::nullopt;
  }
  // meta's count of a family (nullopt: never written).
  std::optional<std::int64_t> count(Cf c) const { return stored_number(Cf::kMeta, keys::count_key(detail::cf_name(c))); }
  // A user as committed: its record and its holder count.
  UserRow user(std::uint64_t u) const {
    return {stored(Cf::kUsers, K(u)), stored_number(Cf::kRefs, keys::user_ref(S(u)))};
  }
  Opt hidden(std::uint64_t g, std::uint64_t u) const { return stored(Cf::kHiddenMembers, keys::pair(S(g), S(u))); }
  std::optional<MemberRecord> member_ref(std::uint64_t g, std::uint64_t u) const {
    auto v = stored(Cf::kRefs, keys::member_ref(S(g), S(u)));
    return v ? keys::decode_member_record(*v) : std::nullopt;
  }
};

// The value as the Txn sees it.
Opt staged(Txn& t, Cf c, std::string_view key) {
  auto v = ok(t.get(c, key));
  return v ? Opt(std::string(v->view())) : std::nullopt;
}

// The ids (last 8 bytes of the keys) a scan visits, stopping after `limit`.
Ids scanned(Txn& t, Cf c, std::string_view lower, std::string_view upper, std::size_t limit = 100) {
  Ids out;
  ok(t.scan(c, lower, upper, [&](std::string_view k, std::string_view) {
    out.push_back(keys::last_id(k).value());
    return out.size() < limit;
  }));
  return out;
}

Ids groups(Txn& t, Cf c, std::string_view prefix, std::size_t limit = 100) {
  Ids out;
  ok(t.scan_groups(c, prefix, keys::kIdSize, [&](std::string_view g) {
    out.push_back(keys::id_at(g, 0).value());
    return out.size() < limit;
  }));
  return out;
}

// Reads the member record of (g, u) in `t` and sets it to `rec`.
void set_record(Txn& t, std::uint64_t g, std::uint64_t u, MemberRecord rec) {
  (void)ok(t.member_record(S(g), S(u)));
  t.set_member_record(S(g), S(u), rec);
}

// User u's record and member (g, u) held `holders` times, not listed, with its hidden value.
void hide(Txn& t, std::uint64_t g, std::uint64_t u, std::uint32_t holders) {
  t.put(Cf::kUsers, K(u), "user" + std::to_string(u));
  set_record(t, g, u, {holders, false});
  t.put_hidden_member(S(g), S(u), "hidden member");
}

// A user record with a DM channel id, held `holders` times.
void put_user_with_dm(Txn& t, std::uint64_t u, int holders) {
  t.put(Cf::kUsers, K(u), "user" + std::to_string(u));
  t.put(Cf::kDmChannelIds, K(u), "dm");
  t.count(Cf::kDmChannelIds, +1);
  t.ref_user(S(u), holders);
}

}  // namespace

// ---------------------------------------------------------------- reads through the batch

TEST_CASE("txn: get sees this Txn's staged puts and deletes; readers outside see them only after commit") {
  Rig r;
  r.apply([](Txn& t) {
    t.put(Cf::kRoles, K(1), "one");
    t.put(Cf::kRoles, K(2), "two");
  });
  Txn t(r.writer);
  t.put(Cf::kRoles, K(1), "uno");
  t.del(Cf::kRoles, K(2));
  t.put(Cf::kRoles, K(3), "three");
  CHECK(staged(t, Cf::kRoles, K(1)) == "uno");
  CHECK(staged(t, Cf::kRoles, K(2)) == std::nullopt);
  CHECK(staged(t, Cf::kRoles, K(3)) == "three");
  CHECK(staged(t, Cf::kGuilds, K(1)) == std::nullopt);  // another family
  CHECK(r.stored(Cf::kRoles, K(1)) == "one");
  CHECK(r.stored(Cf::kRoles, K(2)) == "two");
  CHECK(r.stored(Cf::kRoles, K(3)) == std::nullopt);
  ok(t.commit());
  CHECK(r.stored(Cf::kRoles, K(1)) == "uno");
  CHECK(r.stored(Cf::kRoles, K(2)) == std::nullopt);
  CHECK(r.stored(Cf::kRoles, K(3)) == "three");
}

TEST_CASE("txn: scan merges staged and committed keys in order within [lower, upper) and stops when asked") {
  Rig r;
  r.apply([](Txn& t) {
    for (std::uint64_t id : {10, 20, 40}) t.put(Cf::kRoles, K(id), "x");
  });
  Txn t(r.writer);
  t.put(Cf::kRoles, K(30), "staged");
  t.put(Cf::kRoles, K(50), "staged");
  t.del(Cf::kRoles, K(20));
  CHECK(scanned(t, Cf::kRoles, "", "") == Ids{10, 30, 40, 50});
  CHECK(scanned(t, Cf::kRoles, K(20), K(50)) == Ids{30, 40});  // upper excluded
  CHECK(scanned(t, Cf::kRoles, K(31), "") == Ids{40, 50});     // empty upper: to the end
  CHECK(scanned(t, Cf::kRoles, K(11), K(30)).empty());         // only the deleted key there
  CHECK(scanned(t, Cf::kRoles, "", "", 2) == Ids{10, 30});
  CHECK(scanned(t, Cf::kGuilds, "", "").empty());
}

TEST_CASE("txn: scan_groups visits each distinct prefix once, as this Txn sees the keys") {
  Rig r;
  r.apply([](Txn& t) {
    for (auto [g, u] : {std::pair{1, 1}, {1, 2}, {2, 1}, {4, 1}, {4, 2}}) t.put(Cf::kMembers, keys::pair(S(g), S(u)), "m");
  });
  Txn t(r.writer);
  t.put(Cf::kMembers, keys::pair(S(3), S(5)), "staged");
  t.del(Cf::kMembers, keys::pair(S(2), S(1)));  // group 2 empties
  t.del(Cf::kMembers, keys::pair(S(1), S(1)));  // group 1 keeps (1, 2)
  CHECK(groups(t, Cf::kMembers, "") == Ids{1, 3, 4});
  CHECK(groups(t, Cf::kMembers, K(4)) == Ids{4});
  CHECK(groups(t, Cf::kMembers, K(2)).empty());
  CHECK(groups(t, Cf::kMembers, "", 2) == Ids{1, 3});
}

TEST_CASE("txn: before() is the state before this Txn's writes, also after it commits") {
  Rig r;
  r.apply([](Txn& t) { t.put(Cf::kRoles, K(1), "old"); });
  Txn t(r.writer);
  auto before = t.before();
  t.put(Cf::kRoles, K(1), "new");
  ok(t.commit());
  CHECK(r.stored(Cf::kRoles, K(1), before->snapshot) == "old");
  CHECK(r.stored(Cf::kRoles, K(1)) == "new");
}

// ---------------------------------------------------------------- commit

TEST_CASE("txn: a Txn destroyed without commit writes nothing, not even its settlement") {
  Rig r;
  r.apply([](Txn& t) { put_user_with_dm(t, 5, 1); });
  {
    Txn t(r.writer);
    t.put(Cf::kRoles, K(1), "never");
    t.ref_user(S(5), -1);
    t.count(Cf::kRoles, +1);
    set_record(t, 1, 6, {0, true});
    t.raise_message_floor(K(9));
  }
  CHECK(r.stored(Cf::kRoles, K(1)) == std::nullopt);
  CHECK(r.user(5) == UserRow{"user5", 1});
  CHECK(r.count(Cf::kRoles) == std::nullopt);
  CHECK(r.member_ref(1, 6) == std::nullopt);
  Txn next(r.writer);
  CHECK(next.message_floor().empty());
}

TEST_CASE("txn: commit at most once: a second commit of the same Txn is an assertion failure") {
#ifdef NDEBUG
  MESSAGE("skipped: this build has NDEBUG, so Txn::commit's assertion is compiled out");
#else
  int status = wait_status_of_child([] {
    auto opened = Store::open(fresh_name(), in_memory());
    if (!opened.ok()) return 3;
    // Never destroyed: the child _exits (RocksDB's threads did not survive fork).
    auto* writer = new Writer(std::move(opened).value());
    Txn t(*writer);
    t.put(Cf::kRoles, K(1), "once");
    if (!t.commit().ok()) return 4;
    (void)t.commit();  // aborts here
    return 0;
  });
  INFO("wait status " << status);
  REQUIRE(WIFSIGNALED(status));
  CHECK(WTERMSIG(status) == SIGABRT);
#endif
}

// ---------------------------------------------------------------- users

TEST_CASE("txn: a user whose count ends at zero is removed at commit, with its DM channel id") {
  Rig r;
  r.apply([](Txn& t) { put_user_with_dm(t, 5, 2); });
  CHECK(r.user(5) == UserRow{"user5", 2});
  CHECK(r.count(Cf::kUsers) == 1);
  CHECK(r.count(Cf::kDmChannelIds) == 1);

  r.apply([](Txn& t) { t.ref_user(S(5), -1); });
  CHECK(r.user(5) == UserRow{"user5", 1});

  r.apply([](Txn& t) { t.ref_user(S(5), -1); });
  CHECK(r.user(5) == kGone);
  CHECK(r.stored(Cf::kDmChannelIds, K(5)) == std::nullopt);
  CHECK(r.count(Cf::kUsers) == 0);
  CHECK(r.count(Cf::kDmChannelIds) == 0);
}

TEST_CASE("txn: a user that drops to zero and is referenced again in the same Txn stays") {
  Rig r;
  r.apply([](Txn& t) { put_user_with_dm(t, 5, 1); });
  r.apply([](Txn& t) {
    t.ref_user(S(5), -1);
    t.ref_user(S(5), +1);
  });
  CHECK(r.user(5) == UserRow{"user5", 1});
  CHECK(r.stored(Cf::kDmChannelIds, K(5)) == "dm");
  CHECK(r.count(Cf::kUsers) == 1);
}

TEST_CASE("txn: touch_user removes a written user that nothing holds; a held one stays") {
  Rig r;
  r.apply([](Txn& t) {
    put_user_with_dm(t, 5, 1);
    t.put(Cf::kUsers, K(7), "user7");
    t.touch_user(S(7));
  });
  CHECK(r.user(7) == kGone);
  CHECK(r.count(Cf::kUsers) == 1);  // only user 5 was ever counted

  r.apply([](Txn& t) {
    t.put(Cf::kUsers, K(5), "user5 renamed");
    t.touch_user(S(5));
  });
  CHECK(r.user(5) == UserRow{"user5 renamed", 1});
  CHECK(r.count(Cf::kUsers) == 1);
}

// ---------------------------------------------------------------- member records

TEST_CASE("txn: a listed member record holds its user; neither listed nor held it is removed and releases the user") {
  Rig r;
  r.apply([](Txn& t) {
    t.put(Cf::kUsers, K(5), "user5");
    CHECK(ok(t.member_record(S(1), S(5))) == MemberRecord{});
    t.set_member_record(S(1), S(5), {0, true});
    CHECK(ok(t.member_record(S(1), S(5))) == MemberRecord{0, true});  // as this Txn leaves it
  });
  CHECK(r.member_ref(1, 5) == MemberRecord{0, true});
  CHECK(r.user(5) == UserRow{"user5", 1});
  CHECK(r.count(Cf::kUsers) == 1);

  r.apply([](Txn& t) {
    CHECK(ok(t.member_record(S(1), S(5))) == MemberRecord{0, true});  // as stored
    t.set_member_record(S(1), S(5), {0, false});
  });
  CHECK(r.member_ref(1, 5) == std::nullopt);
  CHECK(r.user(5) == kGone);
  CHECK(r.count(Cf::kUsers) == 0);
}

TEST_CASE("txn: a record that ends held but not listed keeps its hidden value, counted; listed again, it loses it") {
  Rig r;
  r.apply([](Txn& t) { hide(t, 1, 5, 1); });
  CHECK(r.hidden(1, 5) == "hidden member");
  CHECK(r.count(Cf::kHiddenMembers) == 1);
  CHECK(r.member_ref(1, 5) == MemberRecord{1, false});
  CHECK(r.user(5) == UserRow{"user5", 1});

  r.apply([](Txn& t) { set_record(t, 1, 5, {1, true}); });  // rejoins
  CHECK(r.hidden(1, 5) == std::nullopt);
  CHECK(r.count(Cf::kHiddenMembers) == 0);
  CHECK(r.member_ref(1, 5) == MemberRecord{1, true});
  CHECK(r.user(5) == UserRow{"user5", 1});
}

TEST_CASE("txn: a hidden member whose last holder goes loses its value and releases its user") {
  Rig r;
  r.apply([](Txn& t) { hide(t, 1, 5, 2); });
  r.apply([](Txn& t) { set_record(t, 1, 5, {1, false}); });
  CHECK(r.hidden(1, 5) == "hidden member");
  CHECK(r.count(Cf::kHiddenMembers) == 1);

  r.apply([](Txn& t) { set_record(t, 1, 5, {0, false}); });
  CHECK(r.hidden(1, 5) == std::nullopt);
  CHECK(r.count(Cf::kHiddenMembers) == 0);
  CHECK(r.member_ref(1, 5) == std::nullopt);
  CHECK(r.user(5) == kGone);
}

TEST_CASE("txn: a hidden value put in a Txn whose record ends listed, or not alive, is not kept") {
  Rig r;
  r.apply([](Txn& t) {
    set_record(t, 1, 6, {1, true});
    t.put_hidden_member(S(1), S(6), "listed after all");
    set_record(t, 1, 7, {0, false});
    t.put_hidden_member(S(1), S(7), "nothing holds it");
  });
  CHECK(r.hidden(1, 6) == std::nullopt);
  CHECK(r.hidden(1, 7) == std::nullopt);
  CHECK(r.count(Cf::kHiddenMembers).value_or(0) == 0);
  CHECK(r.member_ref(1, 6) == MemberRecord{1, true});
  CHECK(r.member_ref(1, 7) == std::nullopt);
}

// ---------------------------------------------------------------- counts

TEST_CASE("txn: count deltas reach meta at commit; current_count is the committed count plus this Txn's deltas") {
  Rig r;
  r.apply([](Txn& t) {
    t.count(Cf::kGuilds, +3);
    CHECK(ok(t.current_count(Cf::kGuilds)) == 3);
  });
  CHECK(r.count(Cf::kGuilds) == 3);
  CHECK(r.count(Cf::kRoles) == std::nullopt);  // no delta, no write
  {
    Txn t(r.writer);
    CHECK(ok(t.current_count(Cf::kGuilds)) == 3);
    t.count(Cf::kGuilds, +2);
    t.count(Cf::kGuilds, -1);
    CHECK(ok(t.current_count(Cf::kGuilds)) == 4);
    CHECK(ok(t.current_count(Cf::kRoles)) == 0);
  }
  CHECK(r.count(Cf::kGuilds) == 3);
}

TEST_CASE("txn: reset_counts sets every family's count to zero, then this Txn's deltas apply") {
  Rig r;
  r.apply([](Txn& t) {
    t.count(Cf::kGuilds, +3);
    t.count(Cf::kRoles, +2);
  });
  r.apply([](Txn& t) {
    t.reset_counts();
    t.count(Cf::kRoles, +1);
    CHECK(ok(t.current_count(Cf::kGuilds)) == 0);
    CHECK(ok(t.current_count(Cf::kRoles)) == 1);
  });
  CHECK(r.count(Cf::kGuilds) == 0);
  CHECK(r.count(Cf::kRoles) == 1);
  CHECK(r.count(Cf::kMessages) == 0);  // written although it had no delta
}

// ---------------------------------------------------------------- usable, the latch

TEST_CASE("txn: a Txn on a read-only store is not usable and its commit writes nothing") {
  TempDir dir;
  Rig(open_store(dir.str(), {})).apply([](Txn& t) { t.put(Cf::kRoles, K(1), "one"); });
  {
    Options o;
    o.read_only = true;
    Rig ro(open_store(dir.str(), o));
    Txn t(ro.writer);
    CHECK(t.usable().code() == Code::kReadOnly);
    CHECK(staged(t, Cf::kRoles, K(1)) == "one");  // reads work
    t.put(Cf::kRoles, K(2), "two");
    CHECK(t.commit().code() == Code::kReadOnly);
  }
  Rig rw(open_store(dir.str(), {}));
  Txn t(rw.writer);
  CHECK(t.usable().ok());
  CHECK(rw.stored(Cf::kRoles, K(2)) == std::nullopt);
}

namespace {

struct LatchReport {
  std::int64_t limit = 0;
  int committed = 0;  // Txns that committed before the failure
  int failed_code = -1, usable_code = -1, later_commit_code = -1;
  int read_ok = 0;
  char failed_message[240] = {};
  char later_message[240] = {};
};

// The child's part: commits Txns of 2 KiB each under a file size limit until one fails.
int commit_until_failure(const std::string& dir, LatchReport& rep) {
  auto opened = Store::open(dir, {});
  if (!opened.ok()) return 3;
  // Never destroyed: the child _exits (closing would wait for RocksDB's threads, which fork did not copy).
  auto* writer = new Writer(std::move(opened).value());
  {
    Txn warm(*writer);
    warm.put(Cf::kGuilds, K(1), std::string(4096, 'w'));
    if (!warm.commit().ok()) return 4;
  }
  if (!limit_files(dir, 16 * 1024, rep.limit)) return 5;
  for (std::uint64_t i = 0; i < 10000; ++i) {
    Txn t(*writer);
    t.put(Cf::kRoles, K(i), std::string(2048, 'a'));
    auto st = t.commit();
    if (!st.ok()) {
      rep.failed_code = static_cast<int>(st.code());
      copy_message(rep.failed_message, st);
      break;
    }
    ++rep.committed;
  }
  if (rep.failed_code < 0) return 6;
  Txn later(*writer);
  rep.usable_code = static_cast<int>(later.usable().code());
  auto read = later.get(Cf::kGuilds, K(1));
  rep.read_ok = read.ok() && *read != nullptr;
  later.put(Cf::kRoles, K(99999), "after");
  auto st = later.commit();
  rep.later_commit_code = static_cast<int>(st.code());
  copy_message(rep.later_message, st);
  return 0;
}

}  // namespace

TEST_CASE("txn: after a failed commit every later Txn fails with kFailed until the store is reopened") {
  TempDir dir;
  Rig(open_store(dir.str(), {})).apply([](Txn&) {});  // creates the cache
  auto [rep, code] = run_in_child<LatchReport>([&](LatchReport& r) { return commit_until_failure(dir.str(), r); });
  INFO("failed: " << rep.failed_message);
  INFO("later: " << rep.later_message);
  REQUIRE_MESSAGE(code == 0, "child exit code " << code << " (5: no limit set, 6: the limit was never hit)");
  CHECK(rep.committed > 0);
  CHECK(rep.failed_code == static_cast<int>(Code::kIOError));
  CHECK(rep.usable_code == static_cast<int>(Code::kFailed));
  CHECK(rep.later_commit_code == static_cast<int>(Code::kFailed));
  CHECK(std::string(rep.later_message).find("reopen") != std::string::npos);
  CHECK(rep.read_ok == 1);

  Rig reopened(open_store(dir.str(), {}));
  for (int i = 0; i <= rep.committed; ++i) {
    CAPTURE(i);
    CHECK(reopened.stored(Cf::kRoles, K(static_cast<std::uint64_t>(i))).has_value() == (i < rep.committed));
  }
  CHECK(reopened.stored(Cf::kRoles, K(99999)) == std::nullopt);
  reopened.apply([](Txn& t) { t.put(Cf::kRoles, K(99999), "after reopen"); });
  CHECK(reopened.stored(Cf::kRoles, K(99999)) == "after reopen");
}

// ---------------------------------------------------------------- message floor, sweep window

TEST_CASE("txn: the message floor is raised by eviction, lowered by a message put below it, kept only on commit") {
  Rig r;
  r.apply([](Txn& t) {
    CHECK(t.message_floor().empty());
    t.put(Cf::kMessages, K(5), "m");
    CHECK(t.message_floor().empty());  // unknown stays unknown
    t.raise_message_floor(K(20));
    t.put(Cf::kMessages, K(30), "m");
    CHECK(t.message_floor() == K(20));
    t.put(Cf::kRoles, K(1), "not a message");
    CHECK(t.message_floor() == K(20));
    t.put(Cf::kMessages, K(10), "m");
    CHECK(t.message_floor() == K(10));
  });
  {
    Txn t(r.writer);
    CHECK(t.message_floor() == K(10));
    t.raise_message_floor(K(40));
  }
  Txn t(r.writer);
  CHECK(t.message_floor() == K(10));
}

TEST_CASE("txn: mark_written marks only while the sweep window is open; closing it writes only the window key") {
  Rig r;
  const Snowflake g = S(1), u = S(5), v = S(6);
  const std::string member_mark = keys::sweep_mark(g, keys::SweepMark::kMember, u);
  r.apply([&](Txn& t) {
    CHECK_FALSE(ok(t.sweep_open(g)));
    ok(t.mark_written(keys::SweepMark::kMember, g, v));
    CHECK(staged(t, Cf::kMeta, keys::sweep_mark(g, keys::SweepMark::kMember, v)) == std::nullopt);
    t.set_sweep_open(g, true);
    CHECK(ok(t.sweep_open(g)));
    ok(t.mark_written(keys::SweepMark::kMember, g, u));
    ok(t.mark_written(keys::SweepMark::kPresence, g, u));
  });
  CHECK(r.stored(Cf::kMeta, keys::sweep_prefix(g)) == "");
  CHECK(r.stored(Cf::kMeta, member_mark) == "");
  CHECK(r.stored(Cf::kMeta, keys::sweep_mark(g, keys::SweepMark::kPresence, u)) == "");
  CHECK(r.stored(Cf::kMeta, keys::sweep_prefix(S(2))) == std::nullopt);

  r.apply([&](Txn& t) {
    CHECK(ok(t.sweep_open(g)));  // read from the store
    t.set_sweep_open(g, false);
    CHECK_FALSE(ok(t.sweep_open(g)));
    ok(t.mark_written(keys::SweepMark::kMember, g, v));
  });
  CHECK(r.stored(Cf::kMeta, keys::sweep_prefix(g)) == std::nullopt);
  CHECK(r.stored(Cf::kMeta, member_mark) == "");  // marks are rules.cc's to clear
  CHECK(r.stored(Cf::kMeta, keys::sweep_mark(g, keys::SweepMark::kMember, v)) == std::nullopt);
}

TEST_CASE("txn: sweep_open is read once per Txn") {
  Rig r;
  Txn t(r.writer);
  CHECK_FALSE(ok(t.sweep_open(S(1))));
  t.put(Cf::kMeta, keys::sweep_prefix(S(1)), "");  // behind set_sweep_open's back
  CHECK_FALSE(ok(t.sweep_open(S(1))));
}

TEST_CASE("txn: scan with an empty upper bound runs to the end of a prefix family, across table files") {
  TempDir dir;
  Rig r(open_store(dir.str(), {}));
  for (std::uint64_t g : {1, 2, 3}) {
    r.apply([&](Txn& t) { t.put(Cf::kMembers, keys::pair(S(g), S(10 + g)), "m"); });
    ok(r.store->flush());  // one table file per guild
  }
  Txn t(r.writer);
  CHECK(scanned(t, Cf::kMembers, "", "") == Ids{11, 12, 13});
  CHECK(scanned(t, Cf::kMembers, keys::pair(S(1), S(0)), "") == Ids{11, 12, 13});
  CHECK(scanned(t, Cf::kMembers, keys::pair(S(2), S(0)), "") == Ids{12, 13});
  CHECK(scanned(t, Cf::kMembers, keys::pair(S(1), S(0)), K(3)) == Ids{11, 12});
}
