// consumer.cc — a program outside snowcache, built only from what `meson
// install` put in a prefix: the headers under include/snowcache/, the
// generated ones under include/snowcache/fb/, the library and snowcache.pc.
// The same file is built by meson.build (dependency('snowcache')) and
// CMakeLists.txt (pkg_check_modules) in this directory; see run.sh.
//
//   consumer DIR    opens a cache in DIR, ingests one GUILD_CREATE through
//                   snowcache::Gateway, reads it back, reopens read-only and
//                   reads it again. Exit status 0 when all of it worked.

// Every public header, so a header that is not installed, or that needs
// something the .pc file does not provide, fails this build.
#include "snowcache/admin.h"
#include "snowcache/cache.h"
#include "snowcache/dump.h"
#include "snowcache/fixture.h"
#include "snowcache/gateway.h"
#include "snowcache/settings.h"
#include "snowcache/snowflake.h"
#include "snowcache/status.h"
#include "snowcache/value.h"
#include "snowcache/verify.h"
#include "snowcache/view.h"

#include <cstdio>
#include <string>
#include <string_view>

namespace {

constexpr std::string_view kFrame =
    R"({"op":0,"t":"GUILD_CREATE","s":1,"d":{"id":"41771983423143937","name":"Consumers",)"
    R"("member_count":1,"roles":[{"id":"41771983423143936","name":"@everyone"},)"
    R"({"id":"41771983423143940","name":"builders"}],)"
    R"("channels":[{"id":"41771983423143938","type":0,"name":"general","position":0}],)"
    R"("members":[{"user":{"id":"80351110224678912","username":"Nelly"},)"
    R"("roles":["41771983423143940"],"joined_at":"2015-04-26T06:26:56.936000+00:00"}]}})";

constexpr snowcache::Snowflake kGuild(41771983423143937);
constexpr snowcache::Snowflake kChannel(41771983423143938);
constexpr snowcache::Snowflake kUser(80351110224678912);
constexpr snowcache::Snowflake kRole(41771983423143940);

int failed(const char* what, const snowcache::Status& s = {}) {
  std::fprintf(stderr, "consumer: %s%s%s\n", what, s.ok() ? "" : ": ", s.ok() ? "" : s.to_string().c_str());
  return 1;
}

// Reads back what kFrame stored; the same checks for the writer and the
// read-only handle.
int check(const snowcache::Cache& cache) {
  auto guild = cache.get_guild(kGuild);
  if (!guild.ok()) return failed("get_guild", guild.status());
  if (!*guild || (**guild)->name()->str() != "Consumers") return failed("guild not read back");
  auto channel = cache.get_guild_channel(kChannel);
  if (!channel.ok() || !*channel || (**channel)->name()->str() != "general") return failed("channel not read back");
  auto member = cache.get_member(kGuild, kUser);
  if (!member.ok() || !*member) return failed("member not read back");
  bool has_role = false;
  for (std::uint64_t r : *(**member)->roles()) has_role = has_role || r == kRole.value();
  if (!has_role) return failed("member lacks its role");
  if (cache.get_members_view_for_guild(kGuild).size() != 1) return failed("members view size != 1");
  auto session = snowcache::session(cache, 0);
  if (!session.ok() || !*session || (*session)->sequence != 1) return failed("session sequence != 1");
  std::printf("consumer: guild \"%s\", #%s, member %s with %zu roles, shard 0 at s=%lld\n",
              (**guild)->name()->c_str(), (**channel)->name()->c_str(), (**member)->user()->username()->c_str(),
              static_cast<std::size_t>((**member)->roles()->size()), static_cast<long long>(*(*session)->sequence));
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: consumer DIR\n");
    return 2;
  }
  {
    auto cache = snowcache::MutableCache::open(argv[1]);
    if (!cache.ok()) return failed("open", cache.status());
    snowcache::Gateway gateway(**cache);
    snowcache::IngestResult r = gateway.ingest_frame(0, kFrame);
    if (r.outcome != snowcache::Outcome::kApplied) return failed("GUILD_CREATE not applied", r.status);
    if (int rc = check(**cache)) return rc;
  }  // closed
  snowcache::Options options;
  options.read_only = true;
  auto cache = snowcache::Cache::open(argv[1], options);
  if (!cache.ok()) return failed("reopen read-only", cache.status());
  return check(**cache);
}
