#include "runner.h"

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <map>
#include <memory>

#include <fmt/format.h>

#include "compare.h"
#include "generator.h"
#include "model.h"
#include "snowcache/dump.h"
#include "snowcache/gateway.h"
#include "snowcache/verify.h"

namespace model {

using snowcache::Components;

const std::vector<Variant>& variants() {
  static const std::vector<Variant> all = [] {
    std::vector<Variant> v;
    v.push_back({"defaults", {}});
    snowcache::Settings mine;
    mine.only_my_member = true;
    v.push_back({"only_my_member", mine});
    snowcache::Settings small;
    small.max_messages = 20;
    small.max_dm_channel_ids = 3;
    v.push_back({"small_limits", small});
    snowcache::Settings fewer;
    fewer.components = ~(Components::kMessages | Components::kMembers | Components::kPresences);
    v.push_back({"no_messages_members_presences", fewer});
    snowcache::Settings other;
    other.components =
        ~(Components::kVoiceStates | Components::kGuildThreads | Components::kEmojis | Components::kInvites);
    v.push_back({"no_voice_threads_emojis_invites", other});
    snowcache::Settings bare;
    bare.components = ~(Components::kGuilds | Components::kRoles | Components::kDmChannelIds | Components::kMe);
    v.push_back({"no_guilds_roles_dm_ids_me", bare});
    return v;
  }();
  return all;
}

std::optional<Variant> variant_named(const std::string& name) {
  for (const Variant& v : variants()) {
    if (v.name == name) return v;
  }
  return std::nullopt;
}

std::string describe(const snowcache::Settings& s) {
  return fmt::format("{{components={}, max_messages={}, max_dm_channel_ids={}, only_my_member={}}}",
                     static_cast<std::uint32_t>(s.components), s.max_messages, s.max_dm_channel_ids, s.only_my_member);
}

namespace {

std::uint32_t shards_for(std::uint64_t seed) { return seed % 3 == 2 ? 2 : 1; }

class TempDir {
 public:
  TempDir() {
    static int n = 0;
    path_ = std::filesystem::temp_directory_path() / fmt::format("snowcache-model-{}-{}", ::getpid(), n++);
    std::filesystem::remove_all(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  std::string str() const { return path_.string(); }

 private:
  std::filesystem::path path_;
};

std::unique_ptr<snowcache::MutableCache> open_cache(const std::string& dir, std::optional<snowcache::Settings> s) {
  snowcache::Options o;
  o.settings = s;
  auto c = snowcache::MutableCache::open(dir, o);
  if (!c.ok()) throw std::runtime_error("cannot open " + dir + ": " + c.status().to_string());
  return std::move(c).value();
}

// What is wrong with the product's outcome for a frame, if anything.
std::optional<std::string> outcome_problem(Expect want, const snowcache::IngestResult& got) {
  using snowcache::Outcome;
  if (got.outcome == Outcome::kRejected) return "rejected: " + got.status.to_string();
  if (want == Expect::kDuplicate && got.outcome != Outcome::kDuplicate) {
    return fmt::format("expected a duplicate (a replayed sequence), got {}", snowcache::outcome_name(got.outcome));
  }
  if (want != Expect::kDuplicate && got.outcome == Outcome::kDuplicate) return "reported a duplicate; it is new";
  if (want == Expect::kControl && got.outcome != Outcome::kIgnored) return "a control frame was not ignored";
  return std::nullopt;
}

std::string show_diffs(const std::vector<Difference>& diffs) {
  std::string out;
  for (const Difference& d : diffs) {
    out += fmt::format("  {}: {}\n    model (expected): {}\n    cache (actual):   {}\n", d.entity, d.field, d.expected,
                       d.actual);
  }
  return out;
}

std::string dump_all(const snowcache::Cache& c) {
  std::string out;
  auto st = snowcache::dump(c, {}, [&](std::string_view line) {
    out += line;
    out += '\n';
  });
  if (!st.ok()) throw std::runtime_error("dump: " + st.to_string());
  return out;
}

class Case {
 public:
  explicit Case(const RunConfig& cfg)
      : cfg_(cfg), events_(Generator({cfg.seed, cfg.events, shards_for(cfg.seed)}).generate()) {}
  RunResult run();

 private:
  bool fail(std::size_t index, const std::string& what, const std::vector<Difference>& diffs = {});
  bool checkpoint(std::size_t index);
  std::optional<std::size_t> localize(const std::string& scope, std::size_t from, std::size_t to,
                                      std::vector<Difference>& diffs);
  bool finish(bool compare_after_reopen);
  std::string rerun_line() const;
  std::string stats() const;
  void record_survey(std::size_t index, const std::vector<Difference>& diffs);
  std::string survey_report() const;

  struct SurveyClass {
    std::size_t first_checkpoint = 0, count = 0;
    Difference example;
  };
  std::map<std::string, SurveyClass> survey_;

  RunConfig cfg_;
  std::vector<Event> events_;
  TempDir dir_;
  std::unique_ptr<snowcache::MutableCache> cache_;
  std::unique_ptr<snowcache::Gateway> gw_;
  std::unique_ptr<Model> model_;
  Known known_;
  std::optional<Model> then_;
  std::shared_ptr<const ViewSnapshot> old_views_;
  std::size_t first_unchecked_ = 0;  // the frame after the last checkpoint that passed
  RunResult result_;
};

}  // namespace

// --- the report -------------------------------------------------------------------

bool Case::fail(std::size_t index, const std::string& what, const std::vector<Difference>& diffs) {
  result_.ok = false;
  const snowcache::Settings& s = cfg_.variant.settings;
  std::string& r = result_.report;
  if (r.empty()) {
    r += fmt::format("model_diff FAILED: seed {}, variant {} {}, {} shard(s), {} frames\n", cfg_.seed,
                     cfg_.variant.name, describe(s), shards_for(cfg_.seed), events_.size());
  }
  r += what + "\n";
  r += show_diffs(diffs);
  if (index < events_.size()) {
    std::string frame = events_[index].frame;
    if (frame.size() > 1500) frame = frame.substr(0, 1500) + "...";
    r += fmt::format("frame #{} ({}): {}\n", index, model::describe(events_[index]), frame);
  }
  return false;
}

std::string Case::rerun_line() const {
  std::string ignore;
  for (const std::string& i : cfg_.ignore) ignore += (ignore.empty() ? " --ignore '" : ",") + i;
  if (!ignore.empty()) ignore += "'";
  return fmt::format("rerun: {} --seed {} --variant {} --events {}{}\n", cfg_.program, cfg_.seed, cfg_.variant.name,
                     cfg_.events, ignore);
}

// --- the run ------------------------------------------------------------------------

RunResult Case::run() {
  auto start = std::chrono::steady_clock::now();
  cache_ = open_cache(dir_.str(), cfg_.variant.settings);
  gw_ = std::make_unique<snowcache::Gateway>(*cache_);
  model_ = std::make_unique<Model>(cfg_.variant.settings);
  result_.frames = events_.size();
  bool ok = true;
  for (std::size_t i = 0; i < events_.size() && ok; ++i) {
    Expect want = model_->apply(events_[i]);
    auto got = gw_->ingest_frame(events_[i].shard, events_[i].frame);
    if (auto problem = outcome_problem(want, got)) {
      ok = fail(i, fmt::format("frame #{}: {}", i, *problem));
      break;
    }
    ++result_.fed;
    result_.applied += want == Expect::kApplied;
    result_.duplicates += want == Expect::kDuplicate;
    if ((i + 1) % cfg_.checkpoint_every == 0 || i + 1 == events_.size()) ok = checkpoint(i);
  }
  finish(ok);  // also after a difference: what verify and a reopen say is worth knowing
  result_.stats = stats();
  if (cfg_.survey && !survey_.empty()) {
    result_.ok = false;
    result_.report += survey_report();
  }
  if (!result_.ok) result_.report += rerun_line();
  result_.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return result_;
}

bool Case::checkpoint(std::size_t index) {
  ++result_.checkpoints;
  known_.add(*model_);
  CompareOptions all;
  all.ignore = cfg_.ignore;
  if (cfg_.survey) all.max_differences = SIZE_MAX;
  auto diffs = compare(*model_, *cache_, known_, all);
  if (old_views_ && (diffs.empty() || cfg_.survey)) {
    auto old = compare_old_views(*then_, *cache_, *old_views_, all);
    diffs.insert(diffs.end(), old.begin(), old.end());
  }
  if (cfg_.survey) {
    record_survey(index, diffs);
  } else if (!diffs.empty()) {
    std::string what = fmt::format("differences at the checkpoint after frame #{}", index);
    std::vector<Difference> first;
    std::optional<std::size_t> at;
    if (cfg_.localize && diffs.front().scope.rfind("old view", 0) != 0) {
      at = localize(diffs.front().scope, first_unchecked_, index, first);
    }
    if (!at) return fail(index, what, diffs);
    what += fmt::format("; \"{}\" first differs after frame #{}:", diffs.front().scope, *at);
    fail(*at, what, first);
    result_.report += fmt::format("all differences at the checkpoint after frame #{}:\n{}", index, show_diffs(diffs));
    return false;
  }
  first_unchecked_ = index + 1;
  then_ = *model_;
  old_views_ = take_views(*cache_);
  return true;
}

// Replays the stream into a fresh cache and model, comparing only `scope`
// after every frame of [from, to]: the first frame after which it differs.
std::optional<std::size_t> Case::localize(const std::string& scope, std::size_t from, std::size_t to,
                                          std::vector<Difference>& diffs) {
  TempDir dir;
  auto cache = open_cache(dir.str(), cfg_.variant.settings);
  snowcache::Gateway gw(*cache);
  Model m(cfg_.variant.settings);
  CompareOptions only{scope, 20, true, cfg_.ignore};
  for (std::size_t i = 0; i <= to; ++i) {
    (void)m.apply(events_[i]);
    (void)gw.ingest_frame(events_[i].shard, events_[i].frame);
    if (i < from) continue;
    diffs = compare(m, *cache, known_, only);
    if (!diffs.empty()) return i;
  }
  return std::nullopt;
}

// verify() finds nothing wrong; the dump survives closing and reopening byte
// for byte; the reopened cache still equals the model.
bool Case::finish(bool compare_after_reopen) {
  old_views_.reset();
  auto report = snowcache::verify(*cache_);
  if (!report.ok()) return fail(events_.size(), "verify failed: " + report.status().to_string());
  if (!report->ok()) {
    std::string what = "verify reports problems:";
    for (const std::string& p : report->problems) what += "\n  " + p;
    return fail(events_.size(), what);
  }
  std::string before = dump_all(*cache_);
  gw_.reset();
  cache_.reset();
  cache_ = open_cache(dir_.str(), std::nullopt);
  std::string after = dump_all(*cache_);
  if (before != after) {
    std::size_t at = std::mismatch(before.begin(), before.end(), after.begin(), after.end()).first - before.begin();
    return fail(events_.size(), fmt::format("the dump differs after close and reopen, at byte {}:\n  before: {}\n"
                                            "  after:  {}",
                                            at, before.substr(at, 200), after.substr(at, 200)));
  }
  if (!compare_after_reopen || cfg_.survey) return true;  // the differences seen before closing, again
  CompareOptions all;
  all.ignore = cfg_.ignore;
  auto diffs = compare(*model_, *cache_, known_, all);
  if (!diffs.empty()) return fail(events_.size(), "differences after close and reopen:", diffs);
  return true;
}

std::string Case::stats() const {
  std::map<std::string, std::size_t> by_type;
  for (const Event& e : events_) {
    ++by_type[e.op != 0 ? fmt::format("op {}", e.op) : e.replay ? "(replay)" : dispatch_name(*e.payload)];
  }
  std::string out = "  frames:";
  for (auto& [t, n] : by_type) out += fmt::format(" {}={}", t, n);
  const ModelStats& s = model_->stats;
  out += fmt::format(
      "\n  rules: sweeps={} members_swept={} presences_swept={} guilds_dropped_by_ready={} guilds_left={}"
      " users_collected={} members_collected={} dm_ids_collected={} hidden_member_event_ends={}"
      " messages_evicted={} dm_ids_evicted={} replies_to_deleted={} replies_embedded={} member_refreshes={}"
      " partial_user_writes={}\n",
      s.sweeps, s.members_swept, s.presences_swept, s.guilds_dropped_by_ready, s.guilds_left, s.users_collected,
      s.members_collected, s.dm_ids_collected, s.hidden_members_seen, s.messages_evicted, s.dm_ids_evicted,
      s.replies_to_deleted, s.replies_embedded, s.member_refreshes, s.partial_user_writes);
  out += fmt::format("  at the end: {} users, {} members, {} messages, {} guilds\n", model_->users.size(),
                     model_->members.size(), model_->messages.size(), model_->guilds.size());
  return out;
}

// "member 1/2 user", "invite a1b2 inviter" -> "member #/# user", "invite #
// inviter": a class of difference (every word with a digit is an id).
std::string elide_ids(const std::string& s) {
  std::string out;
  for (std::size_t i = 0; i < s.size();) {
    std::size_t j = i;
    while (j < s.size() && std::isalnum(static_cast<unsigned char>(s[j]))) ++j;
    if (j == i) {
      out += s[i++];
      continue;
    }
    std::string word = s.substr(i, j - i);
    bool id = std::any_of(word.begin(), word.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
    out += id ? "#" : word;
    i = j;
  }
  return out;
}

void Case::record_survey(std::size_t index, const std::vector<Difference>& diffs) {
  for (const Difference& d : diffs) {
    std::string cls = elide_ids(d.entity);
    for (const char* access : {" get_item_at(#::#)[#]", " get_item_at(#)", " get(#)", " [#]"}) {
      for (auto at = cls.find(access); at != std::string::npos; at = cls.find(access)) {
        cls.replace(at, std::strlen(access), " [*]");
      }
    }
    auto [it, fresh] = survey_.try_emplace(cls + ": " + d.field);
    if (fresh) it->second = SurveyClass{index, 0, d};
    ++it->second.count;
  }
}

std::string Case::survey_report() const {
  std::string out = fmt::format("survey: seed {}, variant {} {}, {} shard(s): {} classes of difference\n", cfg_.seed,
                                cfg_.variant.name, describe(cfg_.variant.settings), shards_for(cfg_.seed),
                                survey_.size());
  for (auto& [cls, s] : survey_) {
    std::string e = s.example.expected.substr(0, 120), a = s.example.actual.substr(0, 120);
    out += fmt::format("  {}  (from the checkpoint after frame #{}, {} times)\n    e.g. {}: model {} / cache {}\n", cls,
                       s.first_checkpoint, s.count, s.example.entity, e, a);
  }
  return out;
}

RunResult run_case(const RunConfig& config) {
  try {
    return Case(config).run();
  } catch (const std::exception& e) {  // a cache that cannot be opened, a dump that fails
    RunResult r;
    r.ok = false;
    r.report = fmt::format("model_diff FAILED: seed {}, variant {}: exception: {}\n", config.seed, config.variant.name,
                           e.what());
    return r;
  }
}

std::vector<std::string> case_frames(std::uint64_t seed, std::size_t events) {
  std::vector<std::string> out;
  for (const auto& e : Generator({seed, events, shards_for(seed)}).generate()) {
    out.push_back(std::to_string(e.shard) + " " + e.frame);
  }
  return out;
}

}  // namespace model
