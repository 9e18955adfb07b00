// cachectl — look inside a snowcache cache: ingest gateway frames, dump,
// get, ls, stats, sessions, verify, compact. One subcommand per cmd_*.cc.
#include <fmt/format.h>

#include "cachectl.h"

namespace {

constexpr const char* kDescription =
    "cachectl: inspect and maintain a snowcache cache (a RocksDB directory of Discord entities).\n"
    "\n"
    "Reading subcommands (dump, get, ls, stats, sessions, verify) never write to the cache. When\n"
    "another process (a running bot) holds it, they read it as a RocksDB secondary instance, caught\n"
    "up with the writer; otherwise they open it read-only. ingest and compact need the cache to\n"
    "themselves and refuse while a bot holds it.\n";

constexpr const char* kFooter =
    "\nExit status: 0 ok; 1 absent (get), problems found (verify) or frames rejected (ingest);\n"
    "2 usage, open or read errors (one line on stderr, nothing written).\n"
    "\n"
    "Examples:\n"
    "  cachectl --db /tmp/demo ingest tests/fixtures/docs-examples.ndjson\n"
    "  cachectl --db /tmp/demo stats\n"
    "  cachectl --db /tmp/demo ls member --guild 41771983423143937\n"
    "  cachectl --db /tmp/demo get member 41771983423143937 80351110224678912\n"
    "  cachectl --db /tmp/demo dump --kind role | jq .value.name\n"
    "\n"
    "Run 'cachectl SUBCOMMAND --help' for a subcommand's options.";

}  // namespace

int main(int argc, char** argv) {
  CLI::App app(kDescription, "cachectl");
  app.footer(kFooter);
  app.require_subcommand(1, 1);
  app.fallthrough();  // --db may also come after the subcommand
  app.formatter(cachectl::make_formatter());

  cachectl::Global global;
  app.add_option("--db", global.db, "The cache directory (required)")->required()->type_name("DIR");

  std::vector<cachectl::Command> commands = {
      cachectl::add_ingest(app, global), cachectl::add_dump(app, global),     cachectl::add_get(app, global),
      cachectl::add_ls(app, global),     cachectl::add_stats(app, global),    cachectl::add_sessions(app, global),
      cachectl::add_verify(app, global), cachectl::add_compact(app, global),
  };

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e);  // --help
    std::string what = e.what();
    bool chosen = false;
    for (const auto& c : commands) chosen = chosen || c.app->parsed();
    if (auto rest = app.remaining(); !chosen && !rest.empty() && rest[0].rfind('-', 0) != 0) {
      what = "unknown subcommand '" + rest[0] + "'";
    }
    fmt::print(stderr, "cachectl: {} (see cachectl --help)\n", what);
    return cachectl::kError;
  }

  try {
    for (const auto& c : commands) {
      if (c.app->parsed()) {
        int code = c.run();
        if (std::fflush(stdout) != 0) cachectl::fail(cachectl::kError, "cannot write to stdout");
        return code;
      }
    }
    fmt::print(stderr, "cachectl: no subcommand (see cachectl --help)\n");
    return cachectl::kError;
  } catch (const cachectl::Failure& f) {
    std::fflush(stdout);
    if (!f.message.empty()) fmt::print(stderr, "cachectl: {}\n", f.message);
    return f.code;
  } catch (const snowcache::Error& e) {  // a view hit a fault
    std::fflush(stdout);
    fmt::print(stderr, "cachectl: {}\n", e.status().message());
    return cachectl::kError;
  } catch (const std::exception& e) {
    std::fflush(stdout);
    fmt::print(stderr, "cachectl: {}\n", e.what());
    return cachectl::kError;
  }
}
