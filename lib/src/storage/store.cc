#include "storage/store.h"

#include <sys/time.h>

#include <cstdarg>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>

#include <rocksdb/cache.h>
#include <rocksdb/convenience.h>
#include <rocksdb/env.h>
#include <rocksdb/filter_policy.h>
#include <rocksdb/slice_transform.h>
#include <rocksdb/table.h>
#include <rocksdb/write_buffer_manager.h>

#include "storage/keys.h"

namespace snowcache::detail {

namespace fs = std::filesystem;

namespace {

// Column family options shared by the primary and any secondary: the prefix
// extractors must match for prefix seeks to be correct.
rocksdb::ColumnFamilyOptions cf_options(Cf c, const std::shared_ptr<rocksdb::Cache>& block_cache,
                                        std::size_t write_buffer_bytes) {
  rocksdb::ColumnFamilyOptions o;
  rocksdb::BlockBasedTableOptions t;
  t.block_cache = block_cache;
  t.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
  t.cache_index_and_filter_blocks = true;
  t.pin_l0_filter_and_index_blocks_in_cache = true;
  t.format_version = 5;
  // Partitioned index and filters, cached in the block cache: memory stays
  // bounded by block_cache_bytes whatever the data size, and each partition
  // is a few KiB. A whole-file filter or index (RocksDB's default) is one
  // block of up to megabytes per file, larger than a cache shard, so it is
  // evicted as soon as it is read and every Get read it again from the file
  // (a third of a large GUILD_CREATE flood's time, before this).
  t.index_type = rocksdb::BlockBasedTableOptions::kTwoLevelIndexSearch;
  t.partition_filters = true;
  t.metadata_block_size = 4096;
  t.pin_top_level_index_and_filter = true;
  o.table_factory.reset(rocksdb::NewBlockBasedTableFactory(t));
  // Each family's memtable is small; all of them together are capped by the
  // WriteBufferManager set on the DB.
  o.write_buffer_size = std::max<std::size_t>(write_buffer_bytes / 8, std::size_t{1} << 20);
  o.max_write_buffer_number = 2;
  o.compression = rocksdb::kLZ4Compression;
  o.bottommost_compression = rocksdb::kZSTD;
  // The bottommost level, where nearly everything ends up, compresses each
  // file's blocks with a zstd dictionary trained on that file: thousands of
  // members share their field layout and most of their strings, which a
  // 4 KiB block alone cannot exploit (members 67.7 -> 46.8 MB at 1.1M, sst_dump
  // --command=recompress). The training sample is capped so a compaction's
  // memory stays small.
  o.bottommost_compression_opts.enabled = true;
  o.bottommost_compression_opts.max_dict_bytes = 16 << 10;
  o.bottommost_compression_opts.zstd_max_train_bytes = 1 << 20;
  o.bottommost_compression_opts.max_dict_buffer_bytes = 4 << 20;
  const Family& f = family(c);
  if (f.memtable_bloom) {
    // families.h: most reads of the write path in these families miss, and a
    // miss then costs a filter probe, not a skiplist descent.
    o.memtable_prefix_bloom_size_ratio = 0.02;
    o.memtable_whole_key_filtering = true;
  }
  switch (f.prefix) {
    case KeyPrefix::kGuild:
      // guild | user: per-guild views are scans of one 8-byte prefix.
      o.prefix_extractor.reset(rocksdb::NewFixedPrefixTransform(keys::kIdSize));
      break;
    case KeyPrefix::kIndexScope:
      o.prefix_extractor.reset(rocksdb::NewCappedPrefixTransform(keys::kIndexPrefixLen));
      break;
    case KeyPrefix::kNone:
      break;
  }
  return o;
}

Status read_marker(const fs::path& dir, std::uint32_t& version) {
  std::ifstream in(dir / std::string(kMarkerFile));
  if (!in) return Status::NotACache(dir.string() + " is not a snowcache cache (no " + std::string(kMarkerFile) + " file)");
  std::string word;
  in >> word >> version;
  if (!in || word != "snowcache-format") {
    return Status::NotACache(dir.string() + "/" + std::string(kMarkerFile) + " is not a snowcache marker");
  }
  return {};
}

// The format a marker file or meta's version names: 0 when unreadable.
std::uint32_t supported(std::uint32_t version) {
  return version >= kOldestUpgradable && version <= kFormatVersion ? version : 0;
}

Status write_marker(const fs::path& dir) {
  fs::path tmp = dir / (std::string(kMarkerFile) + ".tmp");
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << "snowcache-format " << kFormatVersion << "\n";
    out.flush();
    if (!out) return Status::IOError("cannot write " + tmp.string());
  }
  std::error_code ec;
  fs::rename(tmp, dir / std::string(kMarkerFile), ec);
  if (ec) return Status::IOError("cannot write marker in " + dir.string() + ": " + ec.message());
  return {};
}

}  // namespace

Status to_status(const rocksdb::Status& s, std::string_view context) {
  if (s.ok()) return {};
  std::string msg = std::string(context) + ": " + s.ToString();
  if (s.IsCorruption()) return Status::Corruption(std::move(msg));
  if (s.IsIOError()) {
    // RocksDB reports a held LOCK file as an I/O error: "lock hold by current
    // process ..." (this process) or "While lock file: <dir>/LOCK: ..."
    // (another process). Match those phrases, not the word "lock", which the
    // path in any other I/O error may contain.
    const std::string text = s.ToString();
    if (text.find("lock hold by current process") != std::string::npos ||
        text.find("While lock file: ") != std::string::npos) {
      return Status::InUse(std::string(context) + ": the cache is in use by another process or handle (" +
                           s.ToString() + ")");
    }
    return Status::IOError(std::move(msg));
  }
  if (s.IsNotFound()) return Status::NotFound(std::move(msg));
  if (s.IsInvalidArgument() || s.IsNotSupported()) return Status::InvalidArgument(std::move(msg));
  return Status::IOError(std::move(msg));
}

namespace {

// RocksDB's info LOG, written with stdio. Debian's RocksDB is built with
// assertions, and its own file logger aborts the process on the next line
// after a failed write (a full disk: WritableFileWriter's "previous error"
// assertion). This one stops logging at its first error instead, so the
// write that hit the full disk fails with an I/O error the caller sees.
class InfoLog final : public rocksdb::Logger {
 public:
  explicit InfoLog(std::FILE* f) : f_(f) {}
  ~InfoLog() override {
    if (f_ != nullptr) std::fclose(f_);  // writes what is buffered
  }
  InfoLog(const InfoLog&) = delete;
  InfoLog& operator=(const InfoLog&) = delete;

  using rocksdb::Logger::Logv;
  void Logv(const char* format, va_list ap) override { Logv(rocksdb::InfoLogLevel::INFO_LEVEL, format, ap); }
  // Lines are buffered (an open logs over a thousand: each family's options)
  // and written at a warning or worse, at RocksDB's Flush() calls (after an
  // open, a flush, a compaction) and when the buffer fills.
  void Logv(const rocksdb::InfoLogLevel level, const char* format, va_list ap) override {
    if (level < GetInfoLogLevel()) return;
    std::lock_guard<std::mutex> lock(mu_);
    if (failed_) return;
    timeval now{};
    ::gettimeofday(&now, nullptr);
    std::tm t{};
    ::localtime_r(&now.tv_sec, &t);
    bool ok = std::fprintf(f_, "%04d/%02d/%02d-%02d:%02d:%02d.%06ld ", t.tm_year + 1900, t.tm_mon + 1, t.tm_mday,
                           t.tm_hour, t.tm_min, t.tm_sec, static_cast<long>(now.tv_usec)) >= 0 &&
              std::vfprintf(f_, format, ap) >= 0 && std::fputc('\n', f_) != EOF &&
              (level < rocksdb::InfoLogLevel::WARN_LEVEL || std::fflush(f_) == 0);
    if (!ok) failed_ = true;  // a full disk: stay silent, never abort
  }
  void Flush() override {
    std::lock_guard<std::mutex> lock(mu_);
    if (!failed_ && std::fflush(f_) != 0) failed_ = true;
  }

 private:
  std::mutex mu_;
  std::FILE* f_;
  bool failed_ = false;  // GUARDED_BY(mu_)
};

// The info log of a cache opened for writing: LOG, the previous one kept as
// LOG.old. Null (RocksDB's own logger) when LOG cannot be opened.
std::shared_ptr<rocksdb::Logger> open_info_log(const fs::path& dir) {
  std::error_code ec;
  if (fs::exists(dir / "LOG", ec)) fs::rename(dir / "LOG", dir / "LOG.old", ec);
  std::FILE* f = std::fopen((dir / "LOG").c_str(), "we");
  if (f == nullptr) return nullptr;
  return std::make_shared<InfoLog>(f);
}

}  // namespace

Result<std::shared_ptr<Store>> Store::open(const std::string& path, const Options& options) {
  std::shared_ptr<Store> store(new Store());
  store->path_ = path;
  store->options_ = options;
  store->write_options_.sync = options.sync;
  store->front_ = std::make_unique<FrontCache>(options.front_cache_bytes);
  if (options.read_only && options.secondary) {
    return Status::InvalidArgument("open " + path + ": read_only and secondary are exclusive");
  }
  if (!options.in_memory) {
    fs::path dir(path);
    std::error_code ec;
    bool exists = fs::exists(dir, ec);
    if (exists && !fs::is_directory(dir, ec)) return Status::NotACache(path + " is not a directory");
    bool empty = !exists || fs::is_empty(dir, ec);
    if (empty) {
      if (!options.create_if_missing || !store->writable()) {
        return Status::NotFound("no snowcache cache at " + path);
      }
      fs::create_directories(dir, ec);
      if (ec) return Status::IOError("cannot create " + path + ": " + ec.message());
      SNOWCACHE_RETURN_IF_ERROR(write_marker(dir));
    } else {
      std::uint32_t version = 0;
      SNOWCACHE_RETURN_IF_ERROR(read_marker(dir, version));
      store->marker_version_ = version;
      if (!supported(version)) {
        return Status::FormatMismatch(path + " holds snowcache format " + std::to_string(version) +
                                      (version > kFormatVersion ? ", newer than" : ", older than") +
                                      " this build's format " + std::to_string(kFormatVersion));
      }
    }
  }
  SNOWCACHE_RETURN_IF_ERROR(store->open_db());
  return store;
}

namespace {

rocksdb::DBOptions db_options(const Options& o, bool writable) {
  rocksdb::DBOptions db;
  db.create_if_missing = writable;
  db.create_missing_column_families = writable;
  db.max_total_wal_size = 64u << 20;
  db.write_buffer_manager = std::make_shared<rocksdb::WriteBufferManager>(o.write_buffer_bytes);
  db.max_background_jobs = 2;
  // RocksDB opens each family's table files on max_file_opening_threads new
  // threads (default 16): with 16 families that is 256 threads started and
  // joined at every open, most of the time of opening a flushed cache. A
  // cache's families hold a few files each; opening them on the calling
  // thread is faster.
  db.max_file_opening_threads = 1;
  db.keep_log_file_num = 4;
  db.avoid_flush_during_shutdown = false;
  return db;
}

// The default family (meta) first, then every family in Cf order.
std::vector<rocksdb::ColumnFamilyDescriptor> family_descriptors(const Options& o) {
  auto block_cache = rocksdb::NewLRUCache(o.block_cache_bytes);
  std::vector<rocksdb::ColumnFamilyDescriptor> descs;
  descs.emplace_back(rocksdb::kDefaultColumnFamilyName, cf_options(Cf::kMeta, block_cache, o.write_buffer_bytes));
  for (const Family& f : kFamilies) {
    descs.emplace_back(std::string(f.name), cf_options(f.cf, block_cache, o.write_buffer_bytes));
  }
  return descs;
}

// The secondary's own directory: the one asked for, or a fresh one under
// the temporary directory.
Result<std::string> secondary_dir(const Options& o) {
  if (!o.secondary_path.empty()) return o.secondary_path;
  std::error_code ec;
  auto base = fs::temp_directory_path(ec) / "snowcache-secondary";
  fs::create_directories(base, ec);
  char tmpl[] = "XXXXXX";
  std::string dir = (base / ("s-" + std::to_string(::getpid()) + "-" + tmpl)).string();
  if (::mkdtemp(dir.data()) == nullptr) return Status::IOError("cannot create a secondary directory under " + base.string());
  return dir;
}

}  // namespace

// Every family must exist already in a cache opened without writing; a
// directory without them is not ours (or of an older format).
Status Store::check_families(const rocksdb::DBOptions& db) const {
  std::vector<std::string> names;
  auto s = rocksdb::DB::ListColumnFamilies(db, path_, &names);
  if (!s.ok()) return to_status(s, "open " + path_);
  for (const Family& f : kFamilies) {
    if (std::find(names.begin(), names.end(), f.name) == names.end()) {
      if (marker_version_ < kFormatVersion) return older_format(marker_version_);
      return Status::NotACache(path_ + " lacks column family " + std::string(f.name));
    }
  }
  return {};
}

Status Store::open_db() {
  rocksdb::DBOptions db = db_options(options_, writable());
  if (options_.in_memory) {
    mem_env_.reset(rocksdb::NewMemEnv(rocksdb::Env::Default()));
    db.env = mem_env_.get();
  } else if (writable()) {
    db.info_log = open_info_log(path_);
  }
  auto descs = family_descriptors(options_);
  if (!writable() && !options_.in_memory) SNOWCACHE_RETURN_IF_ERROR(check_families(db));

  std::vector<rocksdb::ColumnFamilyHandle*> hs;
  rocksdb::DB* raw = nullptr;
  rocksdb::Status s;
  if (options_.secondary) {
    auto sec = secondary_dir(options_);
    if (!sec.ok()) return sec.status();
    db.max_open_files = -1;
    s = rocksdb::DB::OpenAsSecondary(db, path_, *sec, descs, &hs, &raw);
  } else if (options_.read_only) {
    s = rocksdb::DB::OpenForReadOnly(db, path_, descs, &hs, &raw);
  } else {
    s = rocksdb::DB::Open(db, path_, descs, &hs, &raw);
  }
  if (!s.ok()) return to_status(s, "open " + path_);
  db_.reset(raw);
  // hs[0] is the default family, unused; the rest follow Cf order.
  for (std::size_t i = 0; i < kCfCount; ++i) handles_[i] = hs[i + 1];
  default_cf_ = hs[0];
  return check_format_version();
}

// Format version in meta too, so a copied directory without its marker can
// still be recognised by `cachectl verify`. Meta's version is the one that
// counts: the upgrade writes it in its batch, the marker after.
Status Store::check_format_version() {
  auto version = get(Cf::kMeta, keys::kMetaFormatVersion);
  if (!version.ok()) return version.status();
  if (!*version) {
    if (!writable()) return Status::NotACache(path_ + " has no format version");
    std::string want;
    keys::append_u32(want, kFormatVersion);
    auto ws = db_->Put(write_options_, cf(Cf::kMeta), std::string(keys::kMetaFormatVersion), want);
    if (!ws.ok()) return to_status(ws, "write format version");
    return {};
  }
  std::uint32_t stored = (*version)->size() == 4 ? supported(keys::read_u32((*version)->view())) : 0;
  if (stored == 0) {
    return Status::FormatMismatch(path_ + ": stored format version is not one this build reads (format " +
                                  std::to_string(kFormatVersion) + ")");
  }
  format_version_ = stored;
  if (stored < kFormatVersion && !writable()) return older_format(stored);
  if (stored == kFormatVersion && !options_.in_memory) {
    // An upgrade that committed and then stopped before rewriting the marker.
    std::uint32_t marker = 0;
    if (read_marker(path_, marker).ok() && marker != kFormatVersion && writable()) {
      SNOWCACHE_RETURN_IF_ERROR(write_marker(path_));
    }
  }
  return {};
}

Status Store::older_format(std::uint32_t version) const {
  return Status::FormatMismatch(path_ + " holds snowcache format " + std::to_string(version) +
                                ", older than this build's format " + std::to_string(kFormatVersion) +
                                ": open it for writing once (e.g. `cachectl --db DIR compact`) to upgrade it");
}

Status Store::finish_upgrade() {
  format_version_ = kFormatVersion;
  if (options_.in_memory) return {};
  return write_marker(path_);
}

Store::~Store() {
  if (!db_) return;
  if (writable()) (void)flush();
  for (auto* h : handles_) {
    if (h) (void)db_->DestroyColumnFamilyHandle(h);
  }
  if (default_cf_) (void)db_->DestroyColumnFamilyHandle(default_cf_);
  (void)db_->Close();
  db_.reset();
}

Result<std::shared_ptr<const Bytes>> Store::get(Cf c, std::string_view key, const rocksdb::Snapshot* snap) const {
  rocksdb::ReadOptions ro;
  ro.snapshot = snap;
  rocksdb::PinnableSlice value;
  auto s = db_->Get(ro, cf(c), rocksdb::Slice(key.data(), key.size()), &value);
  if (s.IsNotFound()) return std::shared_ptr<const Bytes>();
  if (!s.ok()) return to_status(s, std::string("read ") + std::string(cf_name(c)));
  return Bytes::copy_of(std::string_view(value.data(), value.size()));
}

Status Store::multi_get(Cf c, const std::vector<std::string>& keys, const rocksdb::Snapshot* snap,
                        std::vector<std::shared_ptr<const Bytes>>& out) const {
  rocksdb::ReadOptions ro;
  ro.snapshot = snap;
  std::vector<rocksdb::Slice> slices(keys.begin(), keys.end());
  std::vector<rocksdb::PinnableSlice> values(keys.size());
  std::vector<rocksdb::Status> statuses(keys.size());
  db_->MultiGet(ro, cf(c), keys.size(), slices.data(), values.data(), statuses.data(), /*sorted_input=*/true);
  out.assign(keys.size(), nullptr);
  for (std::size_t i = 0; i < keys.size(); ++i) {
    if (statuses[i].IsNotFound()) continue;
    if (!statuses[i].ok()) return to_status(statuses[i], std::string("read ") + std::string(cf_name(c)));
    out[i] = Bytes::copy_of(std::string_view(values[i].data(), values[i].size()));
  }
  return {};
}

Status Store::scan(Cf c, const std::string& prefix, const rocksdb::Snapshot* snap,
                   const std::function<Status(std::string_view, std::string_view)>& fn) const {
  rocksdb::ReadOptions ro;
  ro.snapshot = snap;
  std::string upper = keys::successor(prefix);
  rocksdb::Slice ub(upper);
  if (!upper.empty()) ro.iterate_upper_bound = &ub;
  if (prefix.empty()) {
    ro.total_order_seek = true;
  } else {
    ro.auto_prefix_mode = true;
  }
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(ro, cf(c)));
  for (it->Seek(rocksdb::Slice(prefix)); it->Valid(); it->Next()) {
    auto k = it->key();
    auto v = it->value();
    SNOWCACHE_RETURN_IF_ERROR(fn(std::string_view(k.data(), k.size()), std::string_view(v.data(), v.size())));
  }
  return to_status(it->status(), "scan " + std::string(cf_name(c)));
}

const rocksdb::Snapshot* Store::take_snapshot() const {
  if (!writable()) return nullptr;
  return db_->GetSnapshot();
}

Status Store::flush() {
  if (!writable()) return {};
  std::vector<rocksdb::ColumnFamilyHandle*> all(handles_.begin(), handles_.end());
  rocksdb::FlushOptions fo;
  fo.wait = true;
  return to_status(db_->Flush(fo, all), "flush");
}

Status Store::compact() {
  if (!writable()) return Status::ReadOnly("compact needs a writable cache");
  for (auto* h : handles_) {
    rocksdb::CompactRangeOptions co;
    co.bottommost_level_compaction = rocksdb::BottommostLevelCompaction::kForce;
    auto s = db_->CompactRange(co, h, nullptr, nullptr);
    if (!s.ok()) return to_status(s, "compact " + h->GetName());
  }
  return {};
}

Status Store::catch_up() {
  if (!options_.secondary) return {};
  // The primary's writes never passed through this handle's Txn: drop the
  // front cache, and let no reader fill it with what it read before or
  // while the state moves (a reader could else go back a version).
  std::uint32_t token = front_->begin_write_all();
  auto s = to_status(db_->TryCatchUpWithPrimary(), "catch up with the primary");
  front_->end_write(token, {});
  return s;
}

SnapshotHandle::~SnapshotHandle() {
  if (snapshot) store->db()->ReleaseSnapshot(snapshot);
}

}  // namespace snowcache::detail
