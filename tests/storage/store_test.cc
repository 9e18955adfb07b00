// store: opening, creating, reopening and refusing cache directories;
// persistence across handles and processes; the single-writer rule;
// read-only, secondary and in-memory handles; values that fail FlatBuffers
// verification; the stored format version.
//
// Another process: a test forks and execs this same binary limited to its own
// test case, with SNOWCACHE_STORE_TEST_CHILD set; that run takes the child's
// branch and reports through its exit status. Exec gives the child a fresh
// process (RocksDB's background threads do not survive fork).
#include "storage/store.h"

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "storage/keys.h"
#include "snowcache/cache.h"
#include "support.h"

extern char** environ;

namespace snowcache {
namespace {

using namespace snowcache::testing;
namespace fs = std::filesystem;

constexpr const char* kChildEnv = "SNOWCACHE_STORE_TEST_CHILD";

// The child's argument when this process is the child run of a test case.
const char* child_arg() { return std::getenv(kChildEnv); }

// Runs this binary again in a child process, limited to `test_case`, with
// kChildEnv=arg. Returns the child's exit status, or -1 when it did not exit.
int run_child(const std::string& test_case, const std::string& arg) {
  // Everything the child needs is built before fork: between fork and exec
  // only async-signal-safe calls happen.
  std::vector<std::string> args = {"/proc/self/exe", "--test-case=" + test_case, "--minimal"};
  std::vector<std::string> env;
  std::string prefix = std::string(kChildEnv) + "=";
  for (char** e = environ; *e; ++e) {
    if (!std::string_view(*e).starts_with(prefix)) env.emplace_back(*e);
  }
  env.push_back(prefix + arg);
  std::vector<char*> argv, envp;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  for (auto& e : env) envp.push_back(e.data());
  envp.push_back(nullptr);
  std::fflush(nullptr);
  pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    ::execve("/proc/self/exe", argv.data(), envp.data());
    ::_exit(127);
  }
  int status = 0;
  REQUIRE(::waitpid(pid, &status, 0) == pid);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// Every file and directory under `root` with its contents and mtime.
struct Entry {
  std::string contents;
  fs::file_time_type mtime;
  friend bool operator==(const Entry&, const Entry&) = default;
};
using Tree = std::map<std::string, Entry>;

Tree tree_of(const fs::path& root) {
  Tree t;
  t["."] = {"", fs::last_write_time(root)};
  for (const auto& e : fs::recursive_directory_iterator(root)) {
    std::string rel = fs::relative(e.path(), root).string();
    Entry entry{"", fs::last_write_time(e.path())};
    if (e.is_regular_file()) {
      std::ifstream in(e.path(), std::ios::binary);
      std::ostringstream ss;
      ss << in.rdbuf();
      entry.contents = ss.str();
    } else {
      rel += "/";
    }
    t[rel] = std::move(entry);
  }
  return t;
}

std::string names(const Tree& t) {
  std::string out;
  for (const auto& [k, v] : t) out += k + "(" + std::to_string(v.contents.size()) + ") ";
  return out;
}

void write_file(const fs::path& p, const std::string& text) {
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out << text;
  REQUIRE(out.good());
}

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

Settings custom_settings() {
  Settings s;
  s.components = Components::kAll & ~Components::kPresences;
  s.max_messages = 2;
  s.max_dm_channel_ids = 3;
  s.only_my_member = true;
  return s;
}

Options secondary_options(const TempDir& sec) {
  Options o;
  o.secondary = true;
  o.secondary_path = sec.str();
  return o;
}

Options read_only_options() {
  Options o;
  o.read_only = true;
  return o;
}

std::string guild_name(const Cache& c, std::uint64_t id) {
  auto g = ok(c.get_guild(Snowflake(id)));
  if (!g) return "<absent>";
  return (*g)->name()->str();
}

// The same checks in this process and in the child.
void check_first_writes(const Cache& c) {
  CHECK(guild_name(c, 10) == "parent-guild");
  auto ch = ok(c.get_guild_channel(Snowflake(11)));
  REQUIRE(ch);
  CHECK((*ch)->name()->str() == "general");
  CHECK((*ch)->guild_id() == 10);
  auto m = ok(c.get_member(Snowflake(10), Snowflake(20)));
  REQUIRE(m);
  CHECK((*m)->nick()->str() == "nick20");
  CHECK((*m)->user()->id() == 20);
  auto u = ok(c.get_user(Snowflake(20)));
  REQUIRE(u);
  CHECK((*u)->username()->str() == "user20");
}

void write_first(MutableCache& c) {
  ok(c.set_guild(guild(10, "parent-guild")));
  ok(c.set_guild_channel(channel(11, 10, 0, 0, std::nullopt, "general")));
  ok(c.set_member(member(10, 20, "nick20")));
}

TEST_CASE("a closed cache reopens with its entities, users and settings") {
  TempDir dir;
  const Settings stored = custom_settings();
  {
    auto c = disk_cache(dir.str(), stored);
    CHECK(c->settings() == stored);
    write_first(*c);
    ok(c->set_role(role(12, 10, "mods")));
    ok(c->set_me(own_user(99, "bot")));
    ok(c->set_dm_channel_id(Snowflake(20), Snowflake(500)));
    check_first_writes(*c);
  }  // closed
  REQUIRE(fs::exists(dir.path() / std::string(detail::kMarkerFile)));

  SUBCASE("reopen for writing with the stored settings") {
    auto c = disk_cache(dir.str());  // Options.settings = nullopt
    CHECK(c->settings() == stored);
    check_first_writes(*c);
    auto r = ok(c->get_role(Snowflake(12)));
    REQUIRE(r);
    CHECK((*r)->name()->str() == "mods");
    auto me = ok(c->get_me());
    REQUIRE(me);
    CHECK((*me)->id() == 99);
    CHECK((*me)->username()->str() == "bot");
    CHECK(ok(c->get_dm_channel_id(Snowflake(20))) == Snowflake(500));

    // The stored settings are in force, not the defaults: presences are
    // disabled and two messages at most are kept.
    ok(c->set_presence(presence(10, 20)));
    CHECK_FALSE(ok(c->get_presence(Snowflake(10), Snowflake(20))));
    for (std::uint64_t id : {100, 101, 102}) ok(c->set_message(message(id, 11, 10, 20)));
    CHECK_FALSE(ok(c->get_message(Snowflake(100))));
    CHECK(ok(c->get_message(Snowflake(101))));
    CHECK(ok(c->get_message(Snowflake(102))));
    CHECK(c->get_messages_view().size() == 2);
  }
  SUBCASE("reopen read-only") {
    auto c = ok(Cache::open(dir.str(), Options{}));
    CHECK(c->settings() == stored);
    check_first_writes(*c);
    CHECK(c->get_guilds_view().keys() == std::vector<Snowflake>{Snowflake(10)});
  }
  SUBCASE("reopen with other settings: they replace the stored ones") {
    Settings next = stored;
    next.components = Components::kAll;
    next.max_messages = 7;
    { auto c = disk_cache(dir.str(), next); }
    auto c = disk_cache(dir.str());
    CHECK(c->settings() == next);
    ok(c->set_presence(presence(10, 20)));
    CHECK(ok(c->get_presence(Snowflake(10), Snowflake(20))));
    check_first_writes(*c);
  }
}

TEST_CASE("another process reopens a closed cache") {
  if (const char* arg = child_arg()) {
    // Child: the cache the parent wrote and closed is ours to write now.
    std::string dir = arg;
    auto c = MutableCache::open(dir, Options{});
    REQUIRE_MESSAGE(c.ok(), c.status().to_string());
    CHECK((*c)->settings() == custom_settings());
    check_first_writes(**c);
    ok((*c)->set_guild(guild(30, "child-guild")));
    return;
  }
  TempDir dir;
  {
    auto c = disk_cache(dir.str(), custom_settings());
    write_first(*c);
  }
  CHECK(run_child("another process reopens a closed cache", dir.str()) == 0);
  // What the child wrote is here; what the parent wrote is still here.
  auto c = disk_cache(dir.str());
  CHECK(guild_name(*c, 30) == "child-guild");
  check_first_writes(*c);
}

TEST_CASE("another process cannot write while this one holds the cache") {
  if (const char* arg = child_arg()) {
    std::string dir = arg;
    auto w = MutableCache::open(dir, Options{});
    REQUIRE_FALSE(w.ok());
    CHECK_MESSAGE(w.status().code() == Code::kInUse, w.status().to_string());
    // A secondary instance beside the live writer reads what it committed.
    TempDir sec;
    auto r = Cache::open(dir, secondary_options(sec));
    REQUIRE_MESSAGE(r.ok(), r.status().to_string());
    check_first_writes(**r);
    return;
  }
  TempDir dir;
  auto c = disk_cache(dir.str());
  write_first(*c);
  CHECK(run_child("another process cannot write while this one holds the cache", dir.str()) == 0);
  // The child's failed open did not disturb the holder.
  ok(c->set_guild(guild(31, "after-child")));
  CHECK(guild_name(*c, 31) == "after-child");
  c.reset();
  auto again = disk_cache(dir.str());
  CHECK(guild_name(*again, 31) == "after-child");
  check_first_writes(*again);
}

TEST_CASE("a second writer in the same process gets kInUse") {
  TempDir dir;
  auto first = disk_cache(dir.str());
  ok(first->set_guild(guild(1, "one")));
  auto second = MutableCache::open(dir.str(), Options{});
  REQUIRE_FALSE(second.ok());
  CHECK_MESSAGE(second.status().code() == Code::kInUse, second.status().to_string());
  // The first handle is unaffected.
  ok(first->set_guild(guild(2, "two")));
  CHECK(guild_name(*first, 1) == "one");
  CHECK(guild_name(*first, 2) == "two");
  first.reset();
  // Once the holder is gone, the directory can be opened for writing.
  auto third = MutableCache::open(dir.str(), Options{});
  REQUIRE_MESSAGE(third.ok(), third.status().to_string());
  CHECK(guild_name(**third, 2) == "two");
}

// Regression: to_status() took any RocksDB I/O error whose text contained
// "lock" for a held LOCK file, so a fault under a path like /srv/blocks/...
// was reported as kInUse.
TEST_CASE("an I/O error under a path containing lock is not kInUse") {
  TempDir dir;
  auto status_at = [&](const std::string& name) {
    // A marker without a database: the read-only open fails reading CURRENT.
    fs::path p = dir.path() / name;
    fs::create_directories(p);
    write_file(p / std::string(detail::kMarkerFile), "snowcache-format " + std::to_string(detail::kFormatVersion) + "\n");
    auto c = Cache::open(p.string(), Options{});
    REQUIRE_FALSE(c.ok());
    return c.status();
  };
  const Status plain = status_at("plain");
  CHECK_MESSAGE(plain.code() != Code::kInUse, plain.to_string());
  for (const char* name : {"blocked", "clock-LOCK"}) {
    const Status s = status_at(name);
    CHECK_MESSAGE(s.code() == plain.code(), s.to_string());
  }
  // A held LOCK under such a path is still kInUse.
  fs::path p = dir.path() / "locked";
  auto first = disk_cache(p.string());
  auto second = MutableCache::open(p.string(), Options{});
  REQUIRE_FALSE(second.ok());
  CHECK_MESSAGE(second.status().code() == Code::kInUse, second.status().to_string());
}

TEST_CASE("a directory that is not a cache is refused and left unchanged") {
  TempDir dir;
  fs::create_directories(dir.path() / "sub");
  write_file(dir.path() / "notes.txt", "not a cache\n");
  write_file(dir.path() / "sub" / "data.bin", std::string("\0\1\2", 3));
  const Tree before = tree_of(dir.path());

  auto w = MutableCache::open(dir.str(), Options{});
  REQUIRE_FALSE(w.ok());
  CHECK_MESSAGE(w.status().code() == Code::kNotACache, w.status().to_string());
  auto r = Cache::open(dir.str(), Options{});
  REQUIRE_FALSE(r.ok());
  CHECK_MESSAGE(r.status().code() == Code::kNotACache, r.status().to_string());
  TempDir sec;
  auto s = Cache::open(dir.str(), secondary_options(sec));
  REQUIRE_FALSE(s.ok());
  CHECK_MESSAGE(s.status().code() == Code::kNotACache, s.status().to_string());

  const Tree after = tree_of(dir.path());
  CHECK_MESSAGE(before == after, "before: " << names(before) << "\nafter: " << names(after));

  SUBCASE("a marker that is not ours") {
    write_file(dir.path() / std::string(detail::kMarkerFile), "hello world\n");
    const Tree b = tree_of(dir.path());
    auto c = MutableCache::open(dir.str(), Options{});
    REQUIRE_FALSE(c.ok());
    CHECK_MESSAGE(c.status().code() == Code::kNotACache, c.status().to_string());
    CHECK(tree_of(dir.path()) == b);
  }
  SUBCASE("a regular file") {
    auto c = MutableCache::open((dir.path() / "notes.txt").string(), Options{});
    REQUIRE_FALSE(c.ok());
    CHECK_MESSAGE(c.status().code() == Code::kNotACache, c.status().to_string());
    CHECK(read_file(dir.path() / "notes.txt") == "not a cache\n");
  }
}

TEST_CASE("a cache of another format version is refused and nothing is written") {
  TempDir dir;
  {
    auto c = disk_cache(dir.str());
    ok(c->set_guild(guild(1, "one")));
  }
  const fs::path marker = dir.path() / std::string(detail::kMarkerFile);
  REQUIRE(read_file(marker) == "snowcache-format " + std::to_string(detail::kFormatVersion) + "\n");
  write_file(marker, "snowcache-format 99\n");
  // mtimes must be able to move between the two listings.
  const Tree before = tree_of(dir.path());

  auto w = MutableCache::open(dir.str(), Options{});
  REQUIRE_FALSE(w.ok());
  CHECK_MESSAGE(w.status().code() == Code::kFormatMismatch, w.status().to_string());
  Options with_settings;
  with_settings.settings = Settings{};
  auto w2 = MutableCache::open(dir.str(), with_settings);
  REQUIRE_FALSE(w2.ok());
  CHECK(w2.status().code() == Code::kFormatMismatch);
  auto r = Cache::open(dir.str(), Options{});
  REQUIRE_FALSE(r.ok());
  CHECK_MESSAGE(r.status().code() == Code::kFormatMismatch, r.status().to_string());
  TempDir sec;
  auto s = Cache::open(dir.str(), secondary_options(sec));
  REQUIRE_FALSE(s.ok());
  CHECK(s.status().code() == Code::kFormatMismatch);

  const Tree after = tree_of(dir.path());
  CHECK_MESSAGE(before == after, "before: " << names(before) << "\nafter: " << names(after));

  // Restoring the marker restores the cache.
  write_file(marker, "snowcache-format " + std::to_string(detail::kFormatVersion) + "\n");
  auto c = disk_cache(dir.str());
  CHECK(guild_name(*c, 1) == "one");
}

TEST_CASE("the format version is stored in meta and checked") {
  TempDir dir;
  { auto c = disk_cache(dir.str()); }
  {
    auto st = detail::Store::open(dir.str(), read_only_options());
    REQUIRE_MESSAGE(st.ok(), st.status().to_string());
    auto v = ok((*st)->get(detail::Cf::kMeta, keys::kMetaFormatVersion));
    REQUIRE(v);
    REQUIRE(v->size() == 4);
    CHECK(keys::read_u32(v->view()) == detail::kFormatVersion);
  }
  SUBCASE("a stored version that differs from the marker's is a mismatch") {
    {
      auto st = detail::Store::open(dir.str(), Options{});
      REQUIRE_MESSAGE(st.ok(), st.status().to_string());
      std::string other;
      keys::append_u32(other, detail::kFormatVersion + 1);
      auto s = (*st)->db()->Put(rocksdb::WriteOptions(), (*st)->cf(detail::Cf::kMeta),
                                std::string(keys::kMetaFormatVersion), other);
      REQUIRE(s.ok());
    }
    auto w = MutableCache::open(dir.str(), Options{});
    REQUIRE_FALSE(w.ok());
    CHECK_MESSAGE(w.status().code() == Code::kFormatMismatch, w.status().to_string());
    auto r = Cache::open(dir.str(), Options{});
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().code() == Code::kFormatMismatch);
  }
}

TEST_CASE("a missing cache is kNotFound and nothing is created") {
  TempDir dir;
  const fs::path missing = dir.path() / "nope";
  SUBCASE("writer with create_if_missing = false") {
    Options o;
    o.create_if_missing = false;
    auto c = MutableCache::open(missing.string(), o);
    REQUIRE_FALSE(c.ok());
    CHECK_MESSAGE(c.status().code() == Code::kNotFound, c.status().to_string());
    CHECK_FALSE(fs::exists(missing));
    CHECK_FALSE(fs::exists(dir.path()));
  }
  SUBCASE("writer with create_if_missing = false on an empty directory") {
    fs::create_directories(missing);
    Options o;
    o.create_if_missing = false;
    auto c = MutableCache::open(missing.string(), o);
    REQUIRE_FALSE(c.ok());
    CHECK(c.status().code() == Code::kNotFound);
    CHECK(fs::is_empty(missing));
  }
  SUBCASE("read-only") {
    auto c = Cache::open(missing.string(), Options{});
    REQUIRE_FALSE(c.ok());
    CHECK_MESSAGE(c.status().code() == Code::kNotFound, c.status().to_string());
    CHECK_FALSE(fs::exists(missing));
  }
  SUBCASE("secondary") {
    TempDir sec;
    auto c = Cache::open(missing.string(), secondary_options(sec));
    REQUIRE_FALSE(c.ok());
    CHECK_MESSAGE(c.status().code() == Code::kNotFound, c.status().to_string());
    CHECK_FALSE(fs::exists(missing));
  }
  SUBCASE("the default creates it") {
    auto c = MutableCache::open(missing.string(), Options{});
    REQUIRE_MESSAGE(c.ok(), c.status().to_string());
    CHECK(fs::exists(missing / std::string(detail::kMarkerFile)));
    CHECK((*c)->settings() == Settings{});
  }
}

TEST_CASE("a read-only handle sees the data") {
  TempDir dir;
  {
    auto c = disk_cache(dir.str(), custom_settings());
    write_first(*c);
  }
  const Tree before = tree_of(dir.path());
  {
    auto r = ok(Cache::open(dir.str(), Options{}));
    check_first_writes(*r);
    CHECK(r->settings() == custom_settings());
    CHECK(r->get_members_view_for_guild(Snowflake(10)).keys() == std::vector<Snowflake>{Snowflake(20)});
    CHECK(r->catch_up().ok());  // a no-op off secondaries
    // Two read-only handles at once are fine.
    auto r2 = ok(Cache::open(dir.str(), read_only_options()));
    check_first_writes(*r2);
  }
  // Reading wrote nothing (not even the settings).
  const Tree after = tree_of(dir.path());
  CHECK_MESSAGE(before == after, "before: " << names(before) << "\nafter: " << names(after));
  // And nothing holds the directory any more.
  auto w = disk_cache(dir.str());
  check_first_writes(*w);
}

TEST_CASE("a secondary instance follows the writer through catch_up") {
  TempDir dir, sec;
  auto w = disk_cache(dir.str());
  write_first(*w);
  auto s = ok(Cache::open(dir.str(), secondary_options(sec)));
  check_first_writes(*s);
  CHECK(s->settings() == Settings{});

  ok(w->set_guild(guild(40, "later")));
  ok(w->update_guild(guild(10, "renamed")).status());
  CHECK(w->delete_guild_channel(Snowflake(11)).ok());
  // Not before catch_up: a secondary moves only when asked to.
  CHECK(guild_name(*s, 40) == "<absent>");
  CHECK(guild_name(*s, 10) == "parent-guild");

  auto st = s->catch_up();
  REQUIRE_MESSAGE(st.ok(), st.to_string());
  CHECK(guild_name(*s, 40) == "later");
  CHECK(guild_name(*s, 10) == "renamed");
  CHECK_FALSE(ok(s->get_guild_channel(Snowflake(11))));
  CHECK(s->get_guilds_view().keys() == std::vector<Snowflake>{Snowflake(10), Snowflake(40)});

  // Also after the writer flushed its memtables (data now in table files).
  ok(w->set_guild(guild(41, "flushed")));
  w.reset();
  REQUIRE(s->catch_up().ok());
  CHECK(guild_name(*s, 41) == "flushed");
}

TEST_CASE("in-memory mode works and leaves nothing on disk") {
  TempDir dir;
  Options o;
  o.in_memory = true;
  o.settings = custom_settings();
  {
    auto c = MutableCache::open(dir.str(), o);
    REQUIRE_MESSAGE(c.ok(), c.status().to_string());
    write_first(**c);
    check_first_writes(**c);
    CHECK((*c)->settings() == custom_settings());
    CHECK((*c)->get_guilds_view().size() == 1);
    CHECK_FALSE(fs::exists(dir.path()));
  }
  CHECK_FALSE(fs::exists(dir.path()));
  // Nothing survives the handle.
  o.settings.reset();
  auto c = MutableCache::open(dir.str(), o);
  REQUIRE(c.ok());
  CHECK(guild_name(**c, 10) == "<absent>");
  CHECK((*c)->settings() == Settings{});
  CHECK_FALSE(fs::exists(dir.path()));

  SUBCASE("the path of an unrelated directory is only a name") {
    fs::create_directories(dir.path());
    write_file(dir.path() / "notes.txt", "x");
    const Tree before = tree_of(dir.path());
    {
      auto m = MutableCache::open(dir.str(), o);
      REQUIRE_MESSAGE(m.ok(), m.status().to_string());
      ok((*m)->set_guild(guild(1)));
      CHECK(guild_name(**m, 1) == "guild");
    }
    CHECK(tree_of(dir.path()) == before);
  }
}

TEST_CASE("a value that fails verification is kCorruption, never a miss") {
  TempDir dir;
  {
    auto c = disk_cache(dir.str());
    ok(c->set_guild(guild(2, "good")));
  }
  {
    auto c = disk_cache(dir.str());
    ok(c->set_role(role(5, 9, "five")));
    ok(c->set_role(role(6, 9, "six")));
  }
  {
    auto st = detail::Store::open(dir.str(), Options{});
    REQUIRE_MESSAGE(st.ok(), st.status().to_string());
    auto* db = (*st)->db();
    auto* cf = (*st)->cf(detail::Cf::kGuilds);
    REQUIRE(db->Put(rocksdb::WriteOptions(), cf, keys::id(Snowflake(1)), "garbage, not a flatbuffer").ok());
    REQUIRE(db->Put(rocksdb::WriteOptions(), cf, keys::id(Snowflake(3)), "").ok());
    // A role whose index entry stays while its value is overwritten.
    REQUIRE(db->Put(rocksdb::WriteOptions(), (*st)->cf(detail::Cf::kRoles), keys::id(Snowflake(5)), "garbage").ok());
  }
  auto check_reads = [](const Cache& c) {
    for (std::uint64_t id : {1, 3}) {
      CAPTURE(id);
      auto g = c.get_guild(Snowflake(id));
      REQUIRE_FALSE(g.ok());
      CHECK_MESSAGE(g.status().code() == Code::kCorruption, g.status().to_string());
      auto a = c.get_available_guild(Snowflake(id));
      REQUIRE_FALSE(a.ok());
      CHECK(a.status().code() == Code::kCorruption);
    }
    CHECK(guild_name(c, 2) == "good");

    auto view = c.get_guilds_view();
    CHECK(view.size() == 3);  // counting reads keys only
    bool threw = false;
    try {
      for (const auto& [id, g] : view) (void)g->name();
    } catch (const Error& e) {
      threw = true;
      CHECK_MESSAGE(e.status().code() == Code::kCorruption, e.status().to_string());
    }
    CHECK(threw);
    auto got = view.get(Snowflake(1));
    REQUIRE_FALSE(got.ok());
    CHECK(got.status().code() == Code::kCorruption);
    CHECK(view.get(Snowflake(2)).ok());
    try {
      (void)view.get_item_at(0);
      FAIL("get_item_at(0) returned a corrupt value");
    } catch (const Error& e) {
      CHECK(e.status().code() == Code::kCorruption);
    }
    CHECK_THROWS_AS((void)view[Snowflake(1)], Error);
    CHECK_THROWS_AS((void)c.get_available_guilds_view().keys(), Error);

    // Views whose membership test reads the value (index views, the
    // availability views) report the fault through get() too, as a status.
    auto available = c.get_available_guilds_view().get(Snowflake(1));
    REQUIRE_FALSE(available.ok());
    CHECK_MESSAGE(available.status().code() == Code::kCorruption, available.status().to_string());
    auto role5 = c.get_role(Snowflake(5));
    REQUIRE_FALSE(role5.ok());
    CHECK(role5.status().code() == Code::kCorruption);
    auto roles = c.get_roles_view_for_guild(Snowflake(9));
    auto in_view = roles.get(Snowflake(5));
    REQUIRE_FALSE(in_view.ok());
    CHECK_MESSAGE(in_view.status().code() == Code::kCorruption, in_view.status().to_string());
    CHECK((*ok(roles.get(Snowflake(6))))->name()->str() == "six");
    // Keys come from the index; reading the corrupt value is the fault.
    CHECK(roles.keys() == std::vector<Snowflake>{Snowflake(5), Snowflake(6)});
    CHECK_THROWS_AS((void)roles.get_item_at(0), Error);
    CHECK(roles.get_item_at(1)->id() == 6);
    try {
      for (const auto& [id, r] : roles) (void)r->name();
      FAIL("iterating a view over a corrupt role did not throw");
    } catch (const Error& e) {
      CHECK(e.status().code() == Code::kCorruption);
    }
  };
  SUBCASE("writer") {
    auto c = disk_cache(dir.str());
    check_reads(*c);
    // Deleting a corrupt value reports the fault instead of a miss.
    auto d = c->delete_guild(Snowflake(1));
    REQUIRE_FALSE(d.ok());
    CHECK(d.status().code() == Code::kCorruption);
    // The failed mutation wrote nothing and the handle keeps working.
    CHECK(c->get_guild(Snowflake(1)).status().code() == Code::kCorruption);
    ok(c->set_guild(guild(4, "four")));
    CHECK(guild_name(*c, 4) == "four");
  }
  SUBCASE("read-only") {
    auto c = ok(Cache::open(dir.str(), Options{}));
    check_reads(*c);
  }
}

}  // namespace
}  // namespace snowcache
