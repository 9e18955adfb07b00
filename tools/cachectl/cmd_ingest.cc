// cachectl ingest FILE|- : NDJSON gateway frames through snowcache::Gateway.
#include <sys/stat.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include <fmt/format.h>

#include "cachectl.h"
#include "snowcache/gateway.h"

namespace cachectl {

// cachectl --help and cachectl ingest --help.
constexpr Help kHelp = {
    "ingest", "Apply NDJSON gateway frames to the cache, creating it if absent",
    R"(Apply gateway frames ({"op":0,"t":...,"s":...,"d":...}, one per line; blank lines and lines
starting with '#' are skipped) to the cache through snowcache::Gateway, as shard --shard.
Each rejected frame is reported on stderr as 'line N: <reason>' and the rest still apply.
A progress bar is drawn on stderr when it is a terminal and FILE a regular file; a summary
(applied, duplicate, ignored, rejected, events/s) is printed at the end. The settings options
are applied at open when given; otherwise the stored settings (defaults for a new cache) stay.
Exit status: 0 when no frame was rejected, 1 when some were, 2 on errors.)",
    "\nExample:\n  cachectl --db /tmp/demo ingest --components GUILDS,MEMBERS,ROLES capture.ndjson",
};

namespace {

using Clock = std::chrono::steady_clock;

struct IngestArgs {
  std::string file;
  std::uint32_t shard = 0;
  std::string components;
  std::uint32_t max_messages = 0;
  std::uint32_t max_dm_channel_ids = 0;
  bool only_my_member = false;
  bool json = false;
  CLI::Option* components_opt = nullptr;
  CLI::Option* max_messages_opt = nullptr;
  CLI::Option* max_dm_opt = nullptr;
  CLI::Option* only_my_opt = nullptr;
};

// An input stream: a file or stdin, with its size when it is a regular file.
struct Input {
  std::FILE* f = nullptr;
  bool owned = false;
  std::optional<std::uint64_t> size;  // regular files only
  ~Input() {
    if (owned && f) std::fclose(f);
  }
};

void open_input(const std::string& path, Input& in) {
  if (path == "-") {
    in.f = stdin;
  } else {
    in.f = std::fopen(path.c_str(), "rb");
    if (!in.f) fail(kError, fmt::format("cannot read {}: {}", path, std::strerror(errno)));
    in.owned = true;
  }
  struct stat st {};
  if (::fstat(fileno(in.f), &st) != 0) fail(kError, fmt::format("cannot read {}: {}", path, std::strerror(errno)));
  if (S_ISDIR(st.st_mode)) fail(kError, fmt::format("cannot read {}: it is a directory", path));
  if (S_ISREG(st.st_mode)) in.size = static_cast<std::uint64_t>(st.st_size);
}

// The progress line on stderr: bytes read of the file's size, events/s.
class Progress {
 public:
  Progress(bool on, std::uint64_t total) : on_(on), total_(total) {}
  void update(std::uint64_t done, std::size_t events, Clock::time_point start) {
    if (!on_) return;
    auto now = Clock::now();
    if (now - last_ < std::chrono::milliseconds(100)) return;  // at most 10 redraws a second
    last_ = now;
    double secs = std::chrono::duration<double>(now - start).count();
    double frac = total_ ? static_cast<double>(done) / static_cast<double>(total_) : 1.0;
    if (frac > 1) frac = 1;
    constexpr int kWidth = 30;
    int filled = static_cast<int>(frac * kWidth);
    std::string bar(static_cast<std::size_t>(filled), '=');
    if (filled < kWidth) bar += '>';
    bar.resize(kWidth, ' ');
    fmt::print(stderr, "\r\033[K[{}] {:3.0f}%  {} / {}  {:.0f} events/s", bar, frac * 100, human_bytes(done),
               human_bytes(total_), secs > 0 ? static_cast<double>(events) / secs : 0.0);
    std::fflush(stderr);
    drawn_ = true;
  }
  // Clears the line (before a message or at the end).
  void clear() {
    if (!drawn_) return;
    fmt::print(stderr, "\r\033[K");
    std::fflush(stderr);
    drawn_ = false;
    last_ = {};
  }

 private:
  bool on_;
  std::uint64_t total_;
  Clock::time_point last_{};
  bool drawn_ = false;
};

std::optional<snowcache::Settings> wanted_settings(const IngestArgs& a, const snowcache::Settings& base) {
  bool any = a.components_opt->count() || a.max_messages_opt->count() || a.max_dm_opt->count() ||
             a.only_my_opt->count();
  if (!any) return std::nullopt;
  snowcache::Settings s = base;
  if (a.components_opt->count()) s.components = parse_components(a.components);
  if (a.max_messages_opt->count()) s.max_messages = a.max_messages;
  if (a.max_dm_opt->count()) s.max_dm_channel_ids = a.max_dm_channel_ids;
  if (a.only_my_opt->count()) s.only_my_member = a.only_my_member;
  return s;
}

int run_ingest(const Global& g, const IngestArgs& a) {
  // Everything that can be wrong with the arguments is found before the
  // cache is touched.
  if (a.components_opt->count()) (void)parse_components(a.components);
  Input in;
  open_input(a.file, in);

  snowcache::Options options;
  auto cache = open_writable(g.db, options, "ingest");
  if (auto s = wanted_settings(a, cache->settings()); s && *s != cache->settings()) {
    cache.reset();  // settings are applied at open
    options.settings = *s;
    cache = open_writable(g.db, options, "ingest");
  }

  snowcache::Gateway gateway(*cache);
  Progress progress(stderr_is_terminal() && in.size.has_value(), in.size.value_or(0));
  std::size_t applied = 0, duplicate = 0, ignored = 0, rejected = 0, line_no = 0;
  std::uint64_t bytes = 0;
  const auto start = Clock::now();
  char* buf = nullptr;
  std::size_t cap = 0;
  ssize_t n = 0;
  int code = kOk;
  while ((n = ::getline(&buf, &cap, in.f)) >= 0) {
    ++line_no;
    bytes += static_cast<std::uint64_t>(n);
    std::string_view line(buf, static_cast<std::size_t>(n));
    while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
    auto first = line.find_first_not_of(" \t");
    if (first == std::string_view::npos || line[first] == '#') continue;
    auto r = gateway.ingest_frame(a.shard, line);
    switch (r.outcome) {
      case snowcache::Outcome::kApplied: ++applied; break;
      case snowcache::Outcome::kDuplicate: ++duplicate; break;
      case snowcache::Outcome::kIgnored: ++ignored; break;
      case snowcache::Outcome::kRejected:
        ++rejected;
        progress.clear();
        fmt::print(stderr, "line {}: {}\n", line_no, r.status.message());
        break;
    }
    if (r.outcome == snowcache::Outcome::kRejected && r.status.code() != snowcache::Code::kInvalidArgument) {
      // A write failed: the cache refuses every later write; stop here.
      fmt::print(stderr, "cachectl: stopping at line {}: the cache cannot be written ({})\n", line_no,
                 snowcache::code_name(r.status.code()));
      code = kError;
      break;
    }
    progress.update(bytes, applied + duplicate + ignored + rejected, start);
  }
  bool read_error = std::ferror(in.f) != 0;
  std::free(buf);
  progress.clear();
  if (read_error) {
    fmt::print(stderr, "cachectl: error reading {} after line {}\n", a.file, line_no);
    code = kError;
  }

  const double secs = std::chrono::duration<double>(Clock::now() - start).count();
  const std::size_t events = applied + duplicate + ignored + rejected;
  const double rate = secs > 0 ? static_cast<double>(events) / secs : 0.0;
  if (a.json) {
    fmt::print("{{\"applied\":{},\"duplicate\":{},\"ignored\":{},\"rejected\":{},\"events\":{},"
               "\"elapsed_seconds\":{:.3f},\"events_per_second\":{:.0f}}}\n",
               applied, duplicate, ignored, rejected, events, secs, rate);
  } else {
    fmt::print("{} frames from {} in {:.2f} s ({:.0f} events/s): {} applied, {} duplicate, {} ignored, {} rejected\n",
               events, a.file == "-" ? "stdin" : a.file, secs, rate, applied, duplicate, ignored, rejected);
  }
  if (code != kOk) return code;
  return rejected > 0 ? kProblem : kOk;
}

void ingest_options(CLI::App& sub, IngestArgs& a) {
  sub.add_option("FILE", a.file, "The NDJSON file, or - for stdin")->required();
  sub.add_option("--shard", a.shard, "The shard the frames came from (default 0)")->type_name("N");
  a.components_opt = sub.add_option("--components", a.components,
                                      "Kinds to keep: an integer, ALL, NONE, or a comma list of\n"
                                      "hikari's names (GUILDS,GUILD_CHANNELS,MEMBERS,ROLES,INVITES,EMOJIS,\n"
                                      "PRESENCES,VOICE_STATES,MESSAGES,ME,DM_CHANNEL_IDS,GUILD_STICKERS,\n"
                                      "GUILD_THREADS)")->type_name("LIST");
  a.max_messages_opt =
      sub.add_option("--max-messages", a.max_messages, "Capacity of the message store (default 300)")
          ->type_name("N");
  a.max_dm_opt = sub.add_option("--max-dm-channel-ids", a.max_dm_channel_ids,
                                  "Capacity of the DM channel id store (default 50)")
                      ->type_name("N");
  a.only_my_opt = sub.add_flag("--only-my-member", a.only_my_member,
                                 "GUILD_CREATE keeps only the bot's own member (--only-my-member=false to undo)");
  sub.add_flag("--json", a.json, "Print the summary as JSON");
}

}  // namespace

Command add_ingest(CLI::App& app, const Global& g) {
  return add_command<IngestArgs>(app, g, kHelp, ingest_options, run_ingest);
}

}  // namespace cachectl
