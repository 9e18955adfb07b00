// cachectl get KIND KEY...: one entity as pretty Discord JSON.
#include <fmt/format.h>

#include "cachectl.h"
#include "snowcache/admin.h"
#include "snowcache/dump.h"

namespace cachectl {

// cachectl --help and cachectl get --help.
constexpr Help kHelp = {
    "get", "Print one entity as pretty JSON; exit 1 when absent",
    R"(Print one entity as Discord API JSON (as in the dump's "value"), pretty-printed.
KEY is the dump's key: one id for most kinds; GUILD USER for member, presence and
voice_state; the code for invite; nothing for me. Exit status 1 (and 'not found' on
stderr) when the cache does not hold it.)",
    "\nExamples:\n"
    "  cachectl --db /tmp/demo get member 41771983423143937 80351110224678912\n"
    "  cachectl --db /tmp/demo get invite 0vCdhLbwjZZTWZLD\n"
    "  cachectl --db /tmp/demo get me",
};

namespace {

struct GetArgs {
  std::string kind;
  std::vector<std::string> key;
};

// The key parts a kind is addressed by (as in the dump's "key"), as the
// messages name them; none for me.
std::vector<std::string> key_parts(std::string_view kind) {
  std::vector<std::string> out;
  if (const auto* k = snowcache::find_kind(kind)) {
    for (std::string_view p : k->key_parts) out.push_back(p == "code" ? "invite code" : std::string(p));
  }
  return out;
}

int run_get(const Global& g, const GetArgs& a) {
  check_kind(a.kind);
  auto parts = key_parts(a.kind);
  // `get me` may name the bot's id (the dump's key), or nothing.
  bool me_with_id = a.kind == "me" && a.key.size() == 1;
  if (a.key.size() != parts.size() && !me_with_id) {
    std::string names;
    for (auto p : parts) names += (names.empty() ? "" : ", ") + std::string(p);
    fail(kError, parts.empty() ? fmt::format("get {} takes no key, got {}", a.kind, a.key.size())
                               : fmt::format("get {} needs {} key part{} ({}), got {}", a.kind, parts.size(),
                                             parts.size() == 1 ? "" : "s", names, a.key.size()));
  }
  std::optional<snowcache::Snowflake> me_id;
  if (me_with_id) me_id = parse_snowflake(a.key[0], "user id");
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (a.kind == "invite") {
      if (a.key[i].empty()) fail(kError, "malformed invite code: empty");
    } else {
      (void)parse_snowflake(a.key[i], parts[i]);
    }
  }

  ReadHandle h(g.db);
  std::string what = a.kind;
  for (const auto& k : a.key) what += " " + k;
  if (me_id) {
    auto me = h.cache().get_me();
    check(me.status(), "get me");
    if (!*me || (**me)->id() != me_id->value()) {
      fmt::print(stderr, "not found: {}\n", what);
      return kProblem;
    }
  }
  auto r = snowcache::entity_json(h.cache(), a.kind, me_id ? std::vector<std::string>{} : a.key, true);
  check(r.status(), "get " + what);
  if (!*r) {
    fmt::print(stderr, "not found: {}\n", what);
    return kProblem;
  }
  fmt::print("{}\n", **r);
  return kOk;
}

void get_options(CLI::App& sub, GetArgs& a) {
  sub.add_option("KIND", a.kind, "The kind (guild, member, role, ...)")->required();
  sub.add_option("KEY", a.key, "The key parts");
}

}  // namespace

Command add_get(CLI::App& app, const Global& g) {
  return add_command<GetArgs>(app, g, kHelp, get_options, run_get);
}

}  // namespace cachectl
