#include "snowcache/fixture.h"

#include <atomic>
#include <fstream>

namespace snowcache {

Result<FixtureReport> ingest_file(Gateway& gateway, const std::string& ndjson_path, std::uint32_t shard) {
  std::ifstream in(ndjson_path, std::ios::binary);
  if (!in) return Status::NotFound("cannot read " + ndjson_path);
  FixtureReport report;
  std::string line;
  std::size_t line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find_first_not_of(" \t") == std::string::npos || line[line.find_first_not_of(" \t")] == '#') continue;
    IngestResult r = gateway.ingest_frame(shard, line);
    switch (r.outcome) {
      case Outcome::kApplied: ++report.applied; break;
      case Outcome::kDuplicate: ++report.duplicate; break;
      case Outcome::kIgnored: ++report.ignored; break;
      case Outcome::kRejected:
        ++report.rejected;
        report.rejections.push_back("line " + std::to_string(line_no) + ": " + r.status.message());
        break;
    }
  }
  if (in.bad()) return Status::IOError("error reading " + ndjson_path);
  return report;
}

Result<std::unique_ptr<MutableCache>> cache_from_fixture(const std::string& ndjson_path, const FixtureOptions& options,
                                                         FixtureReport* report) {
  Options o = options.options;
  std::string path = options.directory;
  if (path.empty()) {
    static std::atomic<unsigned> n{0};
    o.in_memory = true;
    path = "/snowcache-fixture-" + std::to_string(n++);
  }
  auto cache = MutableCache::open(path, o);
  if (!cache.ok()) return cache.status();
  FixtureReport got;
  {
    Gateway gateway(**cache);
    auto r = ingest_file(gateway, ndjson_path, options.shard);
    if (!r.ok()) return r.status();
    got = std::move(*r);
  }
  if (report) *report = got;
  if (options.fail_on_rejection && got.rejected > 0) {
    return Status::InvalidArgument(ndjson_path + ": " + std::to_string(got.rejected) + " frame(s) rejected; first: " +
                                   got.rejections.front());
  }
  return cache;
}

}  // namespace snowcache
