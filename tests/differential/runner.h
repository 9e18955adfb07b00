// One case of the differential test: generate a stream from a seed, feed it
// to a fresh cache on disk and to the model, compare at checkpoints and at
// the end (then verify, dump, close, reopen, dump again and compare).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "snowcache/settings.h"

namespace model {

// A named settings variant (semantics.md R1).
struct Variant {
  std::string name;
  snowcache::Settings settings;
};
const std::vector<Variant>& variants();
std::optional<Variant> variant_named(const std::string& name);
std::string describe(const snowcache::Settings& s);

struct RunConfig {
  std::uint64_t seed = 1;
  std::size_t events = 2000;
  Variant variant;
  std::size_t checkpoint_every = 250;  // frames between full comparisons
  bool localize = true;                // find the first event where a difference shows
  std::vector<std::string> ignore;     // CompareOptions::ignore
  // Do not stop at the first difference: list every class of difference
  // (entity kind and field, ids elided) with the checkpoint it first showed
  // at, its count and one example. For sorting out what a branch gets wrong.
  bool survey = false;
  std::string program = "model_diff_test";  // for the rerun line
};

struct RunResult {
  bool ok = true;
  std::string report;  // what differs, where, and how to rerun it (empty when ok)
  std::size_t frames = 0;  // generated
  std::size_t fed = 0;     // fed before the run stopped (all of them unless a frame failed or a checkpoint differed)
  std::size_t applied = 0, duplicates = 0, checkpoints = 0;
  std::string stats;  // frames per dispatch type and how often the model's rules fired
  double seconds = 0;
};

RunResult run_case(const RunConfig& config);

// The frames of a case's stream, one JSON text a line with its shard:
// "<shard> <frame>" (for looking at a failing case with other tools).
std::vector<std::string> case_frames(std::uint64_t seed, std::size_t events);

}  // namespace model
