#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <filesystem>
#include <sstream>

#include <fmt/format.h>

#include "cachectl.h"
#include "snowcache/dump.h"

namespace cachectl {

namespace fs = std::filesystem;

void fail(int code, std::string message) { throw Failure{code, std::move(message)}; }

void check(const snowcache::Status& s, std::string_view context) {
  if (s.ok()) return;
  fail(kError, context.empty() ? s.message() : fmt::format("{}: {}", context, s.message()));
}

CLI::App* add_subcommand(CLI::App& app, const Help& help) {
  CLI::App* sub = app.add_subcommand(help.name, help.summary);
  sub->description(fmt::format("{}\n\n{}\n", help.summary, help.details));
  sub->footer(help.footer);
  return sub;
}

Command add_json_command(CLI::App& app, const Global& g, const Help& help, const char* json_help,
                         int (*run)(const Global&, bool json)) {
  return add_command<bool>(
      app, g, help, [json_help](CLI::App& sub, bool& json) { sub.add_flag("--json", json, json_help); }, run);
}

namespace {
class Formatter : public CLI::Formatter {
 public:
  std::string make_subcommand(const CLI::App* sub) const override {
    std::stringstream out;
    const std::string& d = sub->get_description();
    CLI::detail::format_help(out, sub->get_display_name(true), d.substr(0, d.find('\n')), column_width_);
    return out.str();
  }
};
}  // namespace

std::shared_ptr<CLI::Formatter> make_formatter() {
  auto f = std::make_shared<Formatter>();
  f->column_width(26);
  return f;
}

// --- opening ---------------------------------------------------------------

std::optional<long> lock_holder(const std::string& db) {
  // Opening read-only and asking (F_GETLK) takes no lock and writes nothing.
  int fd = ::open((fs::path(db) / "LOCK").c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  struct flock fl {};
  fl.l_type = F_WRLCK;
  fl.l_whence = SEEK_SET;
  fl.l_start = 0;
  fl.l_len = 0;
  int r = ::fcntl(fd, F_GETLK, &fl);
  ::close(fd);
  if (r != 0 || fl.l_type == F_UNLCK) return std::nullopt;
  return static_cast<long>(fl.l_pid);
}

ReadHandle::ReadHandle(const std::string& db) {
  live_pid_ = lock_holder(db);
  snowcache::Options o;
  o.create_if_missing = false;
  if (live_pid_) {
    // The secondary keeps its info log in a directory of its own, removed
    // when the handle closes.
    std::error_code ec;
    std::string tmpl = (fs::temp_directory_path(ec) / "cachectl-secondary-XXXXXX").string();
    if (::mkdtemp(tmpl.data()) == nullptr) fail(kError, "cannot create a temporary directory for a secondary open");
    secondary_dir_ = tmpl;
    o.secondary = true;
    o.secondary_path = secondary_dir_;
  } else {
    o.read_only = true;
  }
  auto r = snowcache::Cache::open(db, o);
  if (r.ok()) {
    cache_ = std::move(*r);
    if (live_pid_) {
      auto s = cache_->catch_up();
      if (s.ok()) return;
      cache_.reset();
      r = s;
    } else {
      return;
    }
  }
  std::error_code ec;
  if (!secondary_dir_.empty()) fs::remove_all(secondary_dir_, ec);
  fail(kError, r.status().message());
}

ReadHandle::~ReadHandle() {
  cache_.reset();
  std::error_code ec;
  if (!secondary_dir_.empty()) fs::remove_all(secondary_dir_, ec);
}

void require_exclusive(const std::string& db, std::string_view what) {
  if (auto pid = lock_holder(db)) {
    fail(kError, fmt::format("cache at {} is in use by process {} (a running bot?): {} needs exclusive access", db,
                             *pid, what));
  }
}

std::unique_ptr<snowcache::MutableCache> open_writable(const std::string& db, snowcache::Options options,
                                                       std::string_view what) {
  require_exclusive(db, what);
  auto r = snowcache::MutableCache::open(db, options);
  if (!r.ok()) {
    if (r.status().code() == snowcache::Code::kInUse) {
      fail(kError, fmt::format("cache at {} is in use by another process: {} needs exclusive access", db, what));
    }
    fail(kError, r.status().message());
  }
  return std::move(*r);
}

// --- arguments -------------------------------------------------------------

snowcache::Snowflake parse_snowflake(std::string_view text, std::string_view what) {
  auto s = snowcache::Snowflake::parse(text);
  if (!s) fail(kError, fmt::format("malformed {} '{}': expected a snowflake (a decimal id)", what, text));
  return *s;
}

namespace {

struct ComponentName {
  std::string_view name;
  snowcache::Components flag;
};
using C = snowcache::Components;
constexpr ComponentName kComponentNames[] = {
    {"GUILDS", C::kGuilds},           {"GUILD_CHANNELS", C::kGuildChannels}, {"MEMBERS", C::kMembers},
    {"ROLES", C::kRoles},             {"INVITES", C::kInvites},              {"EMOJIS", C::kEmojis},
    {"PRESENCES", C::kPresences},     {"VOICE_STATES", C::kVoiceStates},     {"MESSAGES", C::kMessages},
    {"ME", C::kMe},                   {"DM_CHANNEL_IDS", C::kDmChannelIds},  {"GUILD_STICKERS", C::kGuildStickers},
    {"GUILD_THREADS", C::kGuildThreads},
};

}  // namespace

snowcache::Components parse_components(std::string_view text) {
  std::uint32_t n = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (!text.empty() && ec == std::errc() && p == text.data() + text.size()) {
    if (n > static_cast<std::uint32_t>(C::kAll)) fail(kError, fmt::format("--components {} is above ALL (8191)", n));
    return static_cast<C>(n);
  }
  C out = C::kNone;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = std::min(text.find(',', start), text.size());
    std::string word(text.substr(start, end - start));
    for (char& ch : word) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    word.erase(0, word.find_first_not_of(' '));
    word.erase(word.find_last_not_of(' ') + 1);
    if (word == "ALL") {
      out = out | C::kAll;
    } else if (word != "NONE") {
      auto it = std::find_if(std::begin(kComponentNames), std::end(kComponentNames),
                             [&](const ComponentName& c) { return c.name == word; });
      if (it == std::end(kComponentNames)) {
        fail(kError, fmt::format("unknown component '{}' in --components (expected an integer, ALL, NONE or a comma "
                                 "list of GUILDS, GUILD_CHANNELS, MEMBERS, ROLES, INVITES, EMOJIS, PRESENCES, "
                                 "VOICE_STATES, MESSAGES, ME, DM_CHANNEL_IDS, GUILD_STICKERS, GUILD_THREADS)",
                                 word));
      }
      out = out | it->flag;
    }
    start = end + 1;
  }
  return out;
}

std::string components_names(snowcache::Components c) {
  if (c == C::kAll) return "ALL";
  if (c == C::kNone) return "NONE";
  std::string out;
  for (const auto& n : kComponentNames) {
    if (snowcache::has_all(c, n.flag)) out += (out.empty() ? "" : ",") + std::string(n.name);
  }
  return out;
}

void check_kind(std::string_view kind) {
  const auto& kinds = snowcache::dump_kinds();
  if (std::find(kinds.begin(), kinds.end(), kind) != kinds.end()) return;
  std::string all;
  for (auto k : kinds) all += (all.empty() ? "" : ", ") + std::string(k);
  fail(kError, fmt::format("unknown kind '{}' (kinds: {})", kind, all));
}

// --- output ----------------------------------------------------------------

bool stdout_is_terminal() { return ::isatty(STDOUT_FILENO) == 1; }
bool stderr_is_terminal() { return ::isatty(STDERR_FILENO) == 1; }

std::string json_quote(std::string_view s) {
  std::string out = "\"";
  for (char ch : s) {
    // The two-character escapes JSON has; other control characters as \u00XX.
    const char* escape = ch == '"'    ? "\\\""
                         : ch == '\\' ? "\\\\"
                         : ch == '\n'  ? "\\n"
                         : ch == '\r'  ? "\\r"
                         : ch == '\t'  ? "\\t"
                                       : nullptr;
    if (escape) {
      out += escape;
    } else if (static_cast<unsigned char>(ch) < 0x20) {
      out += fmt::format("\\u{:04x}", static_cast<unsigned char>(ch));
    } else {
      out += ch;
    }
  }
  return out + '"';
}

std::string human_bytes(std::uint64_t n) {
  if (n < 1024) return fmt::format("{} B", n);
  const char* units[] = {"KiB", "MiB", "GiB", "TiB"};
  double v = static_cast<double>(n);
  int u = -1;
  while (v >= 1024 && u < 3) {
    v /= 1024;
    ++u;
  }
  return fmt::format("{:.1f} {}", v, units[u]);
}

std::uint64_t directory_bytes(const std::string& dir) {
  std::uint64_t total = 0;
  std::error_code ec;
  for (fs::recursive_directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    std::error_code e2;
    if (it->is_regular_file(e2)) total += it->file_size(e2);
  }
  return total;
}

namespace {
// Code points in a UTF-8 string (its width in a terminal, near enough).
std::size_t width(std::string_view s) {
  return static_cast<std::size_t>(
      std::count_if(s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}
}  // namespace

std::string cell(std::string_view s, std::size_t max) {
  std::string clean(s);
  for (char& ch : clean) {
    auto u = static_cast<unsigned char>(ch);
    if (u < 0x20 || u == 0x7f) ch = ' ';
  }
  if (width(clean) <= max || max == 0) return clean;
  // Keep max - 1 code points and add the ellipsis.
  std::string out;
  std::size_t points = 0;
  for (char ch : clean) {
    bool lead = (static_cast<unsigned char>(ch) & 0xC0) != 0x80;
    if (lead && points++ == max - 1) break;
    out += ch;
  }
  return out + "…";
}

std::string cell(const flatbuffers::String* s, std::size_t max) {
  return s ? cell(std::string_view(s->c_str(), s->size()), max) : std::string();
}

void Table::print(std::FILE* out) const {
  std::vector<std::size_t> w(header_.size(), 0);
  auto measure = [&](const std::vector<std::string>& row) {
    for (std::size_t i = 0; i < row.size() && i < w.size(); ++i) w[i] = std::max(w[i], width(row[i]));
  };
  measure(header_);
  for (const auto& r : rows_) measure(r);
  auto line = [&](const std::vector<std::string>& row) {
    std::string text;
    for (std::size_t i = 0; i < row.size() && i < w.size(); ++i) {
      std::size_t pad = w[i] - width(row[i]);
      bool right = std::find(right_.begin(), right_.end(), i) != right_.end();
      if (right) text.append(pad, ' ');
      text += row[i];
      if (i + 1 < row.size()) text.append((right ? 0 : pad) + 2, ' ');
    }
    fmt::print(out, "{}\n", text);
  };
  line(header_);
  for (const auto& r : rows_) line(r);
}

}  // namespace cachectl
