// The model-based differential test (issue 14, "Exact state").
//
// Short form (meson test, suite model_diff): a few seeds x 2,000 frames, one
// doctest case per settings variant. Long form, opt-in:
//
//   model_diff_test --seeds 20 --events 5000            every variant, seeds 1..20
//   model_diff_test --seed 7 --variant only_my_member   one case (the rerun line)
//
// Options: --seed N | --seeds N [--first-seed N], --events N, --variant NAME|all,
// --checkpoint N (frames between comparisons), --no-localize, --list-variants,
// --ignore PREFIX,... (fields not to compare, to look past a known class),
// --stats (frames per type, how often the model's rules fired), --survey (do
// not stop at a difference: list every class of difference seen).
// MODEL_DIFF_SEEDS / MODEL_DIFF_EVENTS in the environment do the same as
// --seeds / --events. See tests/differential/README.md.
#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "runner.h"

namespace {

std::string g_program = "model_diff_test";

std::size_t short_form_events() {
  const char* e = std::getenv("MODEL_DIFF_EVENTS");
  return e && *e ? std::stoul(e) : 2000;
}

void run_short(std::uint64_t seed, const std::string& variant) {
  model::RunConfig cfg;
  cfg.seed = seed;
  cfg.events = short_form_events();
  cfg.variant = *model::variant_named(variant);
  cfg.program = g_program;
  model::RunResult r = model::run_case(cfg);
  MESSAGE(fmt::format("seed {} {}: {} of {} frames fed ({} applied, {} duplicates), {} checkpoints, {:.1f} s", seed,
                      variant, r.fed, r.frames, r.applied, r.duplicates, r.checkpoints, r.seconds));
  INFO(r.report);
  CHECK(r.ok);
}

struct LongForm {
  std::vector<std::uint64_t> seeds;
  std::size_t events = 5000;
  std::vector<std::string> variants;
  std::size_t checkpoint = 250;
  bool localize = true;
  bool stats = false;
  bool survey = false;
  std::vector<std::string> ignore;
};

int run_long(const LongForm& lf) {
  int failed = 0, total = 0;
  for (std::uint64_t seed : lf.seeds) {
    for (const std::string& name : lf.variants) {
      model::RunConfig cfg;
      cfg.seed = seed;
      cfg.events = lf.events;
      cfg.variant = *model::variant_named(name);
      cfg.checkpoint_every = lf.checkpoint;
      cfg.localize = lf.localize;
      cfg.ignore = lf.ignore;
      cfg.survey = lf.survey;
      cfg.program = g_program;
      model::RunResult r = model::run_case(cfg);
      ++total;
      failed += !r.ok;
      fmt::print("{} seed {} {}: {} of {} frames fed, {} applied, {} duplicates, {} checkpoints, {:.1f} s\n",
                 r.ok ? "ok  " : "FAIL", seed, name, r.fed, r.frames, r.applied, r.duplicates, r.checkpoints, r.seconds);
      if (lf.stats) fmt::print("{}", r.stats);
      if (!r.ok) fmt::print("{}\n", r.report);
      std::fflush(stdout);
    }
  }
  fmt::print("{} cases, {} passed, {} failed\n", total, total - failed, failed);
  return failed ? 1 : 0;
}

std::vector<std::string> split(const std::string& s) {
  std::vector<std::string> out;
  std::size_t at = 0;
  while (at <= s.size()) {
    std::size_t comma = s.find(',', at);
    if (comma == std::string::npos) comma = s.size();
    if (comma > at) out.push_back(s.substr(at, comma - at));
    at = comma + 1;
  }
  return out;
}

// Parses the long form's options; false when there are none (doctest runs).
bool parse_long(int argc, char** argv, LongForm& lf) {
  bool any = false;
  std::uint64_t first = 1, count = 0;
  std::optional<std::uint64_t> one;
  std::string variant = "all";
  if (const char* e = std::getenv("MODEL_DIFF_SEEDS"); e && *e) any = true, count = std::stoull(e);
  if (const char* e = std::getenv("MODEL_DIFF_EVENTS"); e && *e && any) lf.events = std::stoul(e);
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) throw std::invalid_argument(a + " needs a value");
      return argv[++i];
    };
    if (a == "--seed") any = true, one = std::stoull(next());
    else if (a == "--seeds") any = true, count = std::stoull(next());
    else if (a == "--first-seed") any = true, first = std::stoull(next());
    else if (a == "--events") any = true, lf.events = std::stoul(next());
    else if (a == "--variant") any = true, variant = next();
    else if (a == "--checkpoint") any = true, lf.checkpoint = std::stoul(next());
    else if (a == "--no-localize") any = true, lf.localize = false;
    else if (a == "--stats") any = true, lf.stats = true;
    else if (a == "--survey") any = true, lf.survey = true;
    else if (a == "--ignore") any = true, lf.ignore = split(next());
    else if (a == "--frames") {
      // The stream of --seed (or 1) with --events frames: "<shard> <frame>" per line.
      for (const auto& f : model::case_frames(one.value_or(first), lf.events)) fmt::print("{}\n", f);
      std::exit(0);
    } else if (a == "--list-variants") {
      for (const auto& v : model::variants()) fmt::print("{} {}\n", v.name, model::describe(v.settings));
      std::exit(0);
    }
  }
  if (one) lf.seeds = {*one};
  for (std::uint64_t s = 0; s < count; ++s) lf.seeds.push_back(first + s);
  if (lf.seeds.empty()) lf.seeds = {first};
  if (variant == "all") {
    for (const auto& v : model::variants()) lf.variants.push_back(v.name);
  } else if (model::variant_named(variant)) {
    lf.variants = {variant};
  } else {
    throw std::invalid_argument("unknown variant " + variant + " (--list-variants)");
  }
  return any;
}

}  // namespace

TEST_CASE("model_diff: defaults, one shard") { run_short(1, "defaults"); }
TEST_CASE("model_diff: defaults, two shards") { run_short(2, "defaults"); }
TEST_CASE("model_diff: only_my_member") { run_short(3, "only_my_member"); }
TEST_CASE("model_diff: max_messages 20, max_dm_channel_ids 3") { run_short(4, "small_limits"); }
TEST_CASE("model_diff: no MESSAGES, MEMBERS, PRESENCES (two shards)") {
  run_short(5, "no_messages_members_presences");
}
TEST_CASE("model_diff: no VOICE_STATES, GUILD_THREADS, EMOJIS, INVITES") {
  run_short(6, "no_voice_threads_emojis_invites");
}
TEST_CASE("model_diff: no GUILDS, ROLES, DM_CHANNEL_IDS, ME") { run_short(7, "no_guilds_roles_dm_ids_me"); }

int main(int argc, char** argv) {
  g_program = argv[0];
  LongForm lf;
  try {
    if (parse_long(argc, argv, lf)) return run_long(lf);
  } catch (const std::exception& e) {
    fmt::print(stderr, "model_diff_test: {}\n", e.what());
    return 2;
  }
  doctest::Context context(argc, argv);
  return context.run();
}
