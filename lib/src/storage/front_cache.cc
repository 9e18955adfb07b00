#include "storage/front_cache.h"

#include <algorithm>
#include <cstring>

namespace snowcache::detail {

namespace {

// MurmurHash3's finaliser: every input bit reaches every output bit (ids
// that differ only in their last bytes must not share slots or shards).
std::uint64_t mix(std::uint64_t x) {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  x *= 0xc4ceb9fe1a85ec53ULL;
  x ^= x >> 33;
  return x;
}

// The key of an entry: its family, its bytes, and their hash (never 0: 0
// marks an empty slot).
struct Key {
  std::uint64_t hash = 0;
  std::uint8_t cf = 0;
  std::uint8_t len = 0;
  char bytes[FrontCache::kMaxKey] = {};
};

bool make_key(Cf cf, std::string_view key, Key* out) {
  if (key.size() > FrontCache::kMaxKey) return false;
  out->cf = static_cast<std::uint8_t>(cf);
  out->len = static_cast<std::uint8_t>(key.size());
  if (!key.empty()) std::memcpy(out->bytes, key.data(), key.size());
  std::uint64_t h = mix(static_cast<std::uint64_t>(out->cf) << 8 | out->len);
  for (std::size_t off = 0; off < key.size(); off += 8) {
    std::uint64_t w = 0;
    std::memcpy(&w, out->bytes + off, std::min<std::size_t>(8, key.size() - off));
    h = mix(h ^ w);
  }
  out->hash = h | (1ULL << 63);  // never 0 (and the low bits, which pick the slot, stay mixed)
  return true;
}

// The shard: the hash's top bits (slots use the low ones).
std::uint32_t shard_of(const Key& k) { return static_cast<std::uint32_t>((k.hash >> 40) % 32); }

// The version slot: middle bits, apart from both.
std::uint32_t version_slot(const Key& k, std::size_t slots) {
  return static_cast<std::uint32_t>((k.hash >> 12) & (slots - 1));
}

}  // namespace

// One entry, inline in its shard's table: a hit reads this slot and the
// value's reference count, nothing else.
struct FrontCache::Slot {
  std::uint64_t hash = 0;  // 0: empty
  std::shared_ptr<const Bytes> value;
  std::uint32_t charge = 0;
  std::uint8_t cf = 0;
  std::uint8_t len = 0;
  bool referenced = false;  // read since the clock hand last passed
  char bytes[kMaxKey] = {};
  std::uint64_t seq = 0;  // the store's sequence number at the fill
  std::uint8_t ndeps = 0;
  Stamp deps[kMaxDeps];

  bool holds(const Key& k) const {
    return hash == k.hash && cf == k.cf && len == k.len && std::memcmp(bytes, k.bytes, len) == 0;
  }
};

// A shard: an open-addressed table (linear probing, power-of-two size, load
// at most 3/4, backward-shift deletion) and a CLOCK hand over its slots: a
// hit only sets its slot's `referenced` bit; eviction walks the hand, giving
// referenced entries a second chance.
struct FrontCache::Shard {
  std::mutex mu;
  static constexpr std::size_t kInitialSlots = 64;
  std::vector<Slot> slots = std::vector<Slot>(kInitialSlots);  // GUARDED_BY(mu)
  std::size_t used = 0;                              // GUARDED_BY(mu)
  std::size_t hand = 0;                              // GUARDED_BY(mu)
  std::size_t bytes = 0;                             // charged; GUARDED_BY(mu)
  // Moves at every begin_write and end_write touching this shard: a fill
  // whose ticket saw another epoch read the store around a write.
  std::uint64_t epoch = 0;   // GUARDED_BY(mu)
  std::uint32_t writes = 0;  // writes (and catch-ups) in flight; GUARDED_BY(mu)
  std::uint64_t hits = 0, misses = 0;  // GUARDED_BY(mu)

  std::size_t mask() const { return slots.size() - 1; }

  // Drops every entry; a fill that started before reads another epoch.
  void drop_all() {
    slots = std::vector<Slot>(kInitialSlots);
    used = hand = bytes = 0;
    ++epoch;
  }

  // The slot holding k, or the empty slot where it would go.
  std::size_t find(const Key& k) const {
    std::size_t i = k.hash & mask();
    while (slots[i].hash != 0 && !slots[i].holds(k)) i = (i + 1) & mask();
    return i;
  }

  void erase_at(std::size_t i) {
    bytes -= slots[i].charge;
    slots[i] = Slot();
    --used;
    // Backward shift: pull later entries of the probe run into the hole.
    std::size_t hole = i;
    for (std::size_t j = (i + 1) & mask(); slots[j].hash != 0; j = (j + 1) & mask()) {
      std::size_t home = slots[j].hash & mask();
      // Moves when its home is not cyclically within (hole, j].
      bool stays = hole <= j ? (home > hole && home <= j) : (home > hole || home <= j);
      if (stays) continue;
      slots[hole] = std::move(slots[j]);
      slots[j] = Slot();
      hole = j;
    }
  }

  void grow() {
    std::vector<Slot> old(slots.size() * 2);
    old.swap(slots);
    hand = 0;
    for (Slot& s : old) {
      if (s.hash == 0) continue;
      std::size_t i = s.hash & mask();
      while (slots[i].hash != 0) i = (i + 1) & mask();
      slots[i] = std::move(s);
    }
  }

  // Evicts until `bytes` is at most `cap`, sparing slot `keep`'s entry.
  void evict_to(std::size_t cap, const Key& keep) {
    while (bytes > cap && used > 1) {
      hand &= mask();
      Slot& s = slots[hand];
      if (s.hash == 0 || s.holds(keep)) {
        ++hand;
      } else if (s.referenced) {
        s.referenced = false;  // a second chance
        ++hand;
      } else {
        erase_at(hand);  // the hand stays: a later entry may have shifted into it
      }
    }
  }
};

FrontCache::FrontCache(std::size_t capacity_bytes)
    : capacity_(capacity_bytes / kShards > kEntryOverhead ? capacity_bytes : 0), shard_capacity_(capacity_ / kShards) {
  static_assert(kShards == 32, "shard_of and the write mask assume 32 shards");
  static_assert((kVersionSlots & (kVersionSlots - 1)) == 0);
  for (auto& s : shards_) s = std::make_unique<Shard>();
  if (enabled()) versions_ = std::make_unique<std::atomic<std::uint32_t>[]>(kVersionSlots);
}

FrontCache::~FrontCache() = default;

FrontCache::Stamp FrontCache::stamp(Cf cf, std::string_view key) const {
  Key k;
  if (!enabled() || !make_key(cf, key, &k)) return {};
  std::uint32_t slot = version_slot(k, kVersionSlots);
  return Stamp{slot, versions_[slot].load(std::memory_order_acquire)};
}

bool FrontCache::deps_valid(const Slot& slot) const {
  for (std::uint8_t i = 0; i < slot.ndeps; ++i) {
    if (versions_[slot.deps[i].slot].load(std::memory_order_acquire) != slot.deps[i].version) return false;
  }
  return true;
}

void FrontCache::bump_versions(const Written& keys) {
  for (const auto& [cf, key] : keys) {
    Key k;
    if (make_key(cf, key, &k)) versions_[version_slot(k, kVersionSlots)].fetch_add(1, std::memory_order_acq_rel);
  }
}

bool FrontCache::lookup(Cf cf, std::string_view key, std::shared_ptr<const Bytes>* out, Ticket* ticket) {
  *ticket = Ticket{};
  Key k;
  if (!enabled() || !make_key(cf, key, &k)) return false;
  std::uint32_t si = shard_of(k);
  Shard& s = *shards_[si];
  std::lock_guard<std::mutex> lock(s.mu);
  std::size_t i = s.find(k);
  Slot& slot = s.slots[i];
  if (slot.hash != 0 && deps_valid(slot)) {
    slot.referenced = true;
    *out = slot.value;
    ++s.hits;
    return true;
  }
  if (slot.hash != 0) s.erase_at(i);  // a dependency was written since the fill
  ++s.misses;
  *ticket = Ticket{si, s.epoch, true};
  return false;
}

bool FrontCache::lookup_at(Cf cf, std::string_view key, std::uint64_t snapshot_seq, std::shared_ptr<const Bytes>* out) {
  Key k;
  if (!enabled() || !make_key(cf, key, &k)) return false;
  Shard& s = *shards_[shard_of(k)];
  std::lock_guard<std::mutex> lock(s.mu);
  Slot& slot = s.slots[s.find(k)];
  if (slot.hash == 0 || slot.seq > snapshot_seq || !deps_valid(slot)) return false;
  slot.referenced = true;
  *out = slot.value;
  ++s.hits;
  return true;
}

void FrontCache::fill(Cf cf, std::string_view key, std::shared_ptr<const Bytes> value, const Ticket& ticket,
                      std::uint64_t seq, std::span<const Stamp> deps) {
  if (!ticket.valid || !value || deps.size() > kMaxDeps) return;
  Key k;
  if (!make_key(cf, key, &k)) return;
  std::size_t charge = value->size() + kEntryOverhead;
  if (charge > shard_capacity_) return;
  Shard& s = *shards_[ticket.shard];
  std::lock_guard<std::mutex> lock(s.mu);
  // The store may have changed since the miss read it: a write began (or
  // ended) in between. Refuse, rather than install what may be stale.
  if (s.epoch != ticket.epoch || s.writes > 0) return;
  std::size_t i = s.find(k);
  if (s.slots[i].hash != 0) return;  // another reader filled it at the same epoch: the same value
  if ((s.used + 1) * 4 > s.slots.size() * 3) {
    s.grow();
    i = s.find(k);
  }
  Slot& slot = s.slots[i];
  slot.hash = k.hash;
  slot.cf = k.cf;
  slot.len = k.len;
  std::memcpy(slot.bytes, k.bytes, k.len);
  slot.value = std::move(value);
  slot.charge = static_cast<std::uint32_t>(charge);
  slot.referenced = false;
  slot.seq = seq;
  slot.ndeps = static_cast<std::uint8_t>(deps.size());
  std::copy(deps.begin(), deps.end(), slot.deps);
  ++s.used;
  s.bytes += charge;
  s.evict_to(shard_capacity_, k);
}

std::uint32_t FrontCache::begin_write(const Written& keys) {
  if (!enabled()) return 0;
  bump_versions(keys);
  std::array<std::vector<Key>, kShards> by_shard;
  std::uint32_t mask = 0;
  for (const auto& [cf, key] : keys) {
    Key k;
    if (!make_key(cf, key, &k)) continue;  // never cached
    std::uint32_t si = shard_of(k);
    by_shard[si].push_back(k);
    mask |= 1u << si;
  }
  for (std::uint32_t si = 0; si < kShards; ++si) {
    if (!(mask & (1u << si))) continue;
    Shard& s = *shards_[si];
    std::lock_guard<std::mutex> lock(s.mu);
    ++s.writes;
    ++s.epoch;
    for (const Key& k : by_shard[si]) {
      std::size_t i = s.find(k);
      if (s.slots[i].hash != 0) s.erase_at(i);
    }
  }
  return mask;
}

void FrontCache::end_write(std::uint32_t mask, const Written& keys) {
  if (!enabled()) return;
  bump_versions(keys);
  if (mask == ~std::uint32_t{0} && keys.empty()) {  // the end of begin_write_all
    for (std::size_t i = 0; i < kVersionSlots; ++i) versions_[i].fetch_add(1, std::memory_order_acq_rel);
  }
  for (std::uint32_t si = 0; si < kShards; ++si) {
    if (!(mask & (1u << si))) continue;
    Shard& s = *shards_[si];
    std::lock_guard<std::mutex> lock(s.mu);
    --s.writes;
    ++s.epoch;
  }
}

std::uint32_t FrontCache::begin_write_all() {
  if (!enabled()) return 0;
  for (std::size_t i = 0; i < kVersionSlots; ++i) versions_[i].fetch_add(1, std::memory_order_acq_rel);
  for (auto& sp : shards_) {
    Shard& s = *sp;
    std::lock_guard<std::mutex> lock(s.mu);
    ++s.writes;
    s.drop_all();
  }
  return ~std::uint32_t{0};
}

void FrontCache::clear() {
  for (auto& sp : shards_) {
    Shard& s = *sp;
    std::lock_guard<std::mutex> lock(s.mu);
    s.drop_all();
  }
}

FrontCache::Stats FrontCache::stats() const {
  Stats out;
  for (const auto& sp : shards_) {
    Shard& s = *sp;
    std::lock_guard<std::mutex> lock(s.mu);
    out.hits += s.hits;
    out.misses += s.misses;
    out.entries += s.used;
    out.bytes += s.bytes;
  }
  return out;
}

}  // namespace snowcache::detail
