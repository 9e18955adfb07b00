// The views' comparison (compare_views.cc) and what it shares with the
// getters' (compare.cc).
#pragma once

#include <vector>

#include "compare.h"

namespace model {

struct Ctx {
  Diffs& d;
  const Model& m;
  const snowcache::Cache& c;
  const Known& k;
};

void check_views(Ctx& x);

// The per-guild channel order (R2, hikari-reference §3.2): categories by
// position; other channels after their cached parent category (or first,
// with no cached parent), text-like before voice, then by position; ties by id.
std::vector<Id> client_order(const Model& m, Id guild);

}  // namespace model
