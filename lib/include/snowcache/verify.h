// snowcache/verify.h — a full consistency check of a cache.
//
// Checks: every stored value passes FlatBuffers verification and sits under
// the key its content implies; every index entry points at an existing
// entity and every entity has all its index entries; stored reference
// counts (users, member records) equal the ones recomputed from the
// entities; the entity counts kept per kind equal the real counts; me and
// the gateway sessions decode. Reads everything once; memory grows with the
// number of index entries and referenced users.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "snowcache/cache.h"
#include "snowcache/status.h"

namespace snowcache {

struct VerifyReport {
  std::size_t entities = 0;       // values checked
  std::size_t index_entries = 0;  // index keys checked
  // One line per problem, naming the entity: "member 41771983423143937/80351110224678912:
  // value fails FlatBuffers verification", "user 80351110224678912: stored reference count 2,
  // recomputed 1", "index entry r|1|2 points at no role", ...
  std::vector<std::string> problems;
  bool ok() const { return problems.empty(); }
};

// Also checks every block of every file against its checksum (a "files: ..."
// problem), so damage that no read touches is found too.
// Errors: only I/O failures; everything the cache holds wrong is a problem
// in the report.
Result<VerifyReport> verify(const Cache& cache);

}  // namespace snowcache
