// cachectl — shared pieces of the subcommands: opening a cache (read-only,
// secondary beside a live writer, or writable), failures with exit codes,
// argument parsing, and output helpers (aligned tables, JSON strings, sizes).
#pragma once

#include <cstdint>
#include <cstdio>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <CLI/CLI.hpp>

#include "snowcache/cache.h"
#include "snowcache/gateway.h"
#include "snowcache/settings.h"
#include "snowcache/snowflake.h"
#include "snowcache/status.h"

namespace cachectl {

// Exit codes.
constexpr int kOk = 0;
constexpr int kProblem = 1;  // get: absent; verify: problems found; ingest: frames rejected
constexpr int kError = 2;    // usage, open and read errors (one line on stderr)

// Thrown to end the command: main prints "cachectl: <message>" (when not
// empty) and exits with `code`. Destructors run, so caches close cleanly.
struct Failure {
  int code;
  std::string message;
};
[[noreturn]] void fail(int code, std::string message);
// Fails with kError and the status's message when `s` is not OK.
void check(const snowcache::Status& s, std::string_view context = {});

// Options every subcommand sees.
struct Global {
  std::string db;
};

// A subcommand: registered on the app; `run` is called when it was chosen.
using Run = std::function<int()>;
struct Command {
  CLI::App* app;
  Run run;
};
// A subcommand's name and help: `summary` alone is its line in `cachectl
// --help`; `cachectl SUB --help` adds `details` after it and `footer` (its
// examples) at the end.
struct Help {
  const char* name;
  const char* summary;
  const char* details;
  const char* footer;
};
CLI::App* add_subcommand(CLI::App& app, const Help& help);

// Adds a subcommand whose options (set up by `options`) fill an Args; when it
// is chosen, `run` gets them.
template <class Args>
Command add_command(CLI::App& app, const Global& g, const Help& help,
                    const std::function<void(CLI::App& sub, Args& args)>& options,
                    std::function<int(const Global&, const Args&)> run) {
  auto args = std::make_shared<Args>();
  CLI::App* sub = add_subcommand(app, help);
  options(*sub, *args);
  return {sub, [&g, args, run = std::move(run)] { return run(g, *args); }};
}
// A subcommand whose only option is --json (`json_help` says what it prints).
Command add_json_command(CLI::App& app, const Global& g, const Help& help, const char* json_help,
                         int (*run)(const Global&, bool json));
// The help formatter: one line per subcommand in the list.
std::shared_ptr<CLI::Formatter> make_formatter();

Command add_ingest(CLI::App& app, const Global& g);
Command add_dump(CLI::App& app, const Global& g);
Command add_get(CLI::App& app, const Global& g);
Command add_ls(CLI::App& app, const Global& g);
Command add_stats(CLI::App& app, const Global& g);
Command add_sessions(CLI::App& app, const Global& g);
Command add_verify(CLI::App& app, const Global& g);
Command add_compact(CLI::App& app, const Global& g);

// --- opening ---------------------------------------------------------------

// The pid of another process holding the RocksDB LOCK file of `db` (a POSIX
// record lock, checked with fcntl(F_GETLK)); nullopt when nobody holds it or
// there is no LOCK file.
std::optional<long> lock_holder(const std::string& db);

// A cache opened for reading: read-only when no other process holds it,
// otherwise as a secondary instance that has caught up with the writer.
class ReadHandle {
 public:
  explicit ReadHandle(const std::string& db);
  ~ReadHandle();
  ReadHandle(const ReadHandle&) = delete;
  ReadHandle& operator=(const ReadHandle&) = delete;
  const snowcache::Cache& cache() const { return *cache_; }
  bool live() const { return live_pid_.has_value(); }
  std::optional<long> live_pid() const { return live_pid_; }
  const char* mode() const { return live() ? "secondary (live)" : "read-only"; }

 private:
  std::unique_ptr<snowcache::Cache> cache_;
  std::optional<long> live_pid_;
  std::string secondary_dir_;  // removed after the cache closes
};

// Fails (kError) when another process holds the cache: `what` needs
// exclusive access ("ingest", "compact").
void require_exclusive(const std::string& db, std::string_view what);
// Opens for writing after require_exclusive; failures are kError.
std::unique_ptr<snowcache::MutableCache> open_writable(const std::string& db, snowcache::Options options,
                                                       std::string_view what);

// --- arguments -------------------------------------------------------------

snowcache::Snowflake parse_snowflake(std::string_view text, std::string_view what);
// "ALL", "NONE", "GUILDS,MEMBERS" (hikari's names, any case) or an integer.
snowcache::Components parse_components(std::string_view text);
// "GUILDS,MEMBERS,..." or "ALL" / "NONE".
std::string components_names(snowcache::Components c);
// Fails (kError) unless `kind` is one of snowcache::dump_kinds().
void check_kind(std::string_view kind);

// --- output ----------------------------------------------------------------

bool stdout_is_terminal();
bool stderr_is_terminal();
// A JSON string literal (quotes included).
std::string json_quote(std::string_view s);
// "1.5 KiB", "12 B".
std::string human_bytes(std::uint64_t n);
// Total size of the regular files under `dir` (0 when it does not exist).
std::uint64_t directory_bytes(const std::string& dir);
// A cell for a table: control characters become spaces; longer than `max`
// code points is cut with "…".
std::string cell(std::string_view s, std::size_t max = 40);
std::string cell(const flatbuffers::String* s, std::size_t max = 40);

// An aligned text table with a header line.
class Table {
 public:
  explicit Table(std::vector<std::string> header) : header_(std::move(header)) {}
  void add(std::vector<std::string> row) { rows_.push_back(std::move(row)); }
  // Right-aligns column `col` (numbers).
  void right(std::size_t col) { right_.push_back(col); }
  std::size_t size() const { return rows_.size(); }
  void print(std::FILE* out) const;

 private:
  std::vector<std::string> header_;
  std::vector<std::vector<std::string>> rows_;
  std::vector<std::size_t> right_;
};

// Gateway sessions, shared by stats and sessions: a table, or a JSON array.
Table sessions_table(const std::vector<snowcache::Session>& sessions);
std::string sessions_json(const std::vector<snowcache::Session>& sessions);
// Prints sessions_table, or the line `none` when there is no session.
void print_sessions(const std::vector<snowcache::Session>& sessions, std::string_view none);

}  // namespace cachectl
