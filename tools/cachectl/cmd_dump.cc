// cachectl dump [--kind K] [--guild G]: the cache as NDJSON (docs/DUMP.md).
#include <cstdio>

#include <fmt/format.h>

#include "cachectl.h"
#include "snowcache/dump.h"

namespace cachectl {

// cachectl --help and cachectl dump --help.
constexpr Help kHelp = {
    "dump", "Print every entity (or a part) as NDJSON, in dump order",
    R"(Print the cache as NDJSON, one entity a line: {"kind": K, "key": [...], "value": {...}}
(the dump format of docs/DUMP.md), sorted by kind (me, guild, guild_channel, thread, role,
emoji, sticker, invite, member, user, presence, voice_state, message, dm_channel_id), then key.
A cache nobody writes dumps byte-identically every time.)",
    "\nExamples:\n"
    "  cachectl --db /tmp/demo dump > cache.ndjson\n"
    "  cachectl --db /tmp/demo dump --kind member --guild 41771983423143937",
};

namespace {

struct DumpArgs {
  std::string kind;
  std::string guild;
  CLI::Option* kind_opt = nullptr;
  CLI::Option* guild_opt = nullptr;
};

int run_dump(const Global& g, const DumpArgs& a) {
  snowcache::DumpFilter filter;
  if (a.kind_opt->count()) {
    check_kind(a.kind);
    filter.kind = a.kind;
  }
  if (a.guild_opt->count()) filter.guild = parse_snowflake(a.guild, "guild id");
  ReadHandle h(g.db);
  static char buf[1 << 16];
  std::setvbuf(stdout, buf, _IOFBF, sizeof buf);
  bool write_error = false;
  auto s = snowcache::dump(h.cache(), filter, [&](std::string_view line) {
    if (write_error) return;
    if (std::fwrite(line.data(), 1, line.size(), stdout) != line.size() || std::fputc('\n', stdout) == EOF) {
      write_error = true;
    }
  });
  check(s, "dump");
  if (write_error) fail(kError, "cannot write to stdout");
  return kOk;
}

void dump_options(CLI::App& sub, DumpArgs& a) {
  a.kind_opt = sub.add_option("--kind", a.kind, "Only this kind")->type_name("K");
  a.guild_opt = sub.add_option("--guild", a.guild, "Only entities of this guild (and the guild)")->type_name("G");
}

}  // namespace

Command add_dump(CLI::App& app, const Global& g) {
  return add_command<DumpArgs>(app, g, kHelp, dump_options, run_dump);
}

}  // namespace cachectl
