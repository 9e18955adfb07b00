#include "front_cache.h"

#include <cstring>

namespace snowcache::detail {

// An entry lives in its shard's map; the clock ring links map nodes, which
// unordered_map never moves.
struct FrontCache::Entry {
  std::shared_ptr<const Bytes> value;
  std::size_t charge = 0;
  const Key* key = nullptr;  // the map node's own key
  bool referenced = false;   // read since the clock hand last passed
  Entry* next = nullptr;     // the ring, in fill order
  Entry* prev = nullptr;
};

// Eviction is CLOCK (second chance), not strict LRU: a hit only sets its
// entry's `referenced` bit, so it touches no other entry's memory (a hit is
// a few cache lines: bucket, node, the value's reference count).
struct FrontCache::Shard {
  std::mutex mu;
  std::unordered_map<Key, Entry, KeyHash> map;  // GUARDED_BY(mu)
  Entry* hand = nullptr;                        // the next eviction candidate; GUARDED_BY(mu)
  std::size_t bytes = 0;                        // GUARDED_BY(mu)
  // Moves at every begin_write and end_write touching this shard: a fill
  // whose ticket saw another epoch read the store around a write.
  std::uint64_t epoch = 0;   // GUARDED_BY(mu)
  std::uint32_t writes = 0;  // writes in flight (0 or 1: writes are serialised); GUARDED_BY(mu)
  std::uint64_t hits = 0, misses = 0;  // GUARDED_BY(mu)

  void unlink(Entry* e) {
    if (e->next == e) {
      hand = nullptr;
    } else {
      e->prev->next = e->next;
      e->next->prev = e->prev;
      if (hand == e) hand = e->next;
    }
    e->next = e->prev = nullptr;
  }
  // Just behind the hand: the last the hand reaches.
  void link(Entry* e) {
    if (!hand) {
      e->next = e->prev = e;
      hand = e;
      return;
    }
    e->next = hand;
    e->prev = hand->prev;
    hand->prev->next = e;
    hand->prev = e;
  }
};

namespace {

// MurmurHash3's finaliser: every input bit reaches every output bit (ids
// that differ only in their last bytes must not share buckets or shards).
std::uint64_t mix(std::uint64_t x) {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  x *= 0xc4ceb9fe1a85ec53ULL;
  x ^= x >> 33;
  return x;
}

}  // namespace

FrontCache::FrontCache(std::size_t capacity_bytes)
    : capacity_(capacity_bytes), shard_capacity_(capacity_bytes / kShards) {
  for (auto& s : shards_) s = std::make_unique<Shard>();
}

FrontCache::~FrontCache() = default;

bool FrontCache::make_key(Cf cf, std::string_view key, Key* out) {
  if (key.size() > kMaxKey) return false;
  out->cf = static_cast<std::uint8_t>(cf);
  out->len = static_cast<std::uint8_t>(key.size());
  if (!key.empty()) std::memcpy(out->bytes, key.data(), key.size());
  std::uint64_t h = mix(static_cast<std::uint64_t>(out->cf) << 8 | out->len);
  for (std::size_t off = 0; off < key.size(); off += 8) {
    std::uint64_t w = 0;
    std::memcpy(&w, out->bytes + off, std::min<std::size_t>(8, key.size() - off));
    h = mix(h ^ w);
  }
  out->hash = h;
  return true;
}

std::uint32_t FrontCache::shard_of(const Key& k) {
  // The top bits: the map's buckets use the low ones.
  return static_cast<std::uint32_t>((k.hash >> 40) % kShards);
}

bool FrontCache::lookup(Cf cf, std::string_view key, std::shared_ptr<const Bytes>* out, Ticket* ticket) {
  *ticket = Ticket{};
  Key k;
  if (!enabled() || !make_key(cf, key, &k)) return false;
  std::uint32_t si = shard_of(k);
  Shard& s = *shards_[si];
  std::lock_guard<std::mutex> lock(s.mu);
  if (auto it = s.map.find(k); it != s.map.end()) {
    Entry& e = it->second;
    e.referenced = true;
    *out = e.value;
    ++s.hits;
    return true;
  }
  ++s.misses;
  *ticket = Ticket{si, s.epoch, true};
  return false;
}

void FrontCache::fill(Cf cf, std::string_view key, std::shared_ptr<const Bytes> value, const Ticket& ticket) {
  if (!ticket.valid || !value) return;
  Key k;
  if (!make_key(cf, key, &k)) return;
  std::size_t charge = value->size() + kEntryOverhead;
  if (charge > shard_capacity_) return;
  Shard& s = *shards_[ticket.shard];
  std::lock_guard<std::mutex> lock(s.mu);
  // The store may have changed since the miss read it: a write began (or
  // ended) in between. Refuse, rather than install what may be stale.
  if (s.epoch != ticket.epoch || s.writes > 0) return;
  auto [it, inserted] = s.map.try_emplace(k);
  Entry& e = it->second;
  if (!inserted) {
    // Another reader filled it at the same epoch: the same value.
    s.unlink(&e);
    s.bytes -= e.charge;
  }
  e.value = std::move(value);
  e.charge = charge;
  e.key = &it->first;
  e.referenced = false;
  s.link(&e);
  s.bytes += charge;
  while (s.bytes > shard_capacity_ && s.hand) {
    Entry* victim = s.hand;
    if (victim == &e && victim->next == victim) break;  // only the new entry is left
    if (victim->referenced || victim == &e) {
      victim->referenced = false;  // a second chance
      s.hand = victim->next;
      continue;
    }
    erase_locked(s, *victim->key);
  }
}

void FrontCache::erase_locked(Shard& s, const Key& k) {
  auto it = s.map.find(k);
  if (it == s.map.end()) return;
  s.unlink(&it->second);
  s.bytes -= it->second.charge;
  s.map.erase(it);
}

std::uint32_t FrontCache::begin_write(const Written& keys) {
  if (!enabled()) return 0;
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
    for (const Key& k : by_shard[si]) erase_locked(s, k);
  }
  return mask;
}

void FrontCache::end_write(std::uint32_t mask) {
  for (std::uint32_t si = 0; si < kShards; ++si) {
    if (!(mask & (1u << si))) continue;
    Shard& s = *shards_[si];
    std::lock_guard<std::mutex> lock(s.mu);
    --s.writes;
    ++s.epoch;
  }
}

void FrontCache::clear() {
  for (auto& sp : shards_) {
    Shard& s = *sp;
    std::lock_guard<std::mutex> lock(s.mu);
    s.map.clear();
    s.hand = nullptr;
    s.bytes = 0;
    ++s.epoch;
  }
}

FrontCache::Stats FrontCache::stats() const {
  Stats out;
  for (const auto& sp : shards_) {
    Shard& s = *sp;
    std::lock_guard<std::mutex> lock(s.mu);
    out.hits += s.hits;
    out.misses += s.misses;
    out.entries += s.map.size();
    out.bytes += s.bytes;
  }
  return out;
}

}  // namespace snowcache::detail
