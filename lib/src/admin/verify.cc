// verify (snowcache/verify.h): recompute everything the write path keeps
// beside the entities — index entries, user reference counts, member
// records, entity counts — from the entities themselves, and compare.
//
// One pass over each entity family collects what the values imply (through
// Kind<T>::implied, the same function the write path uses); then the index
// and refs families are scanned and compared entry by entry. All reads are
// at one snapshot when the handle can take one.
#include "snowcache/verify.h"

#include <algorithm>
#include <array>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <type_traits>

#include <rocksdb/db.h>

#include "api/cache_state.h"
#include "model/entity_ops.h"
#include "storage/keys.h"
#include "model/kinds.h"

namespace snowcache {

using detail::Cf;
using detail::Kind;

namespace {

using detail::for_each_kind;

using keys::hex;

// Store::scan for visitors that never stop early.
Status scan(const detail::Store& store, const rocksdb::Snapshot* snap, Cf cf, const std::string& prefix,
            const std::function<void(std::string_view key, std::string_view value)>& fn) {
  return store.scan(cf, prefix, snap, [&](std::string_view k, std::string_view v) {
    fn(k, v);
    return Status();
  });
}

std::string pair_text(std::uint64_t a, std::uint64_t b) { return std::to_string(a) + "/" + std::to_string(b); }

std::string record_text(const keys::MemberRecord& r) {
  return "holders " + std::to_string(r.holders) + (r.listed ? ", listed" : ", not listed");
}

class Verifier {
 public:
  Verifier(const detail::Store& store, const rocksdb::Snapshot* snap) : store_(store), snap_(snap) {}

  Result<VerifyReport> run() {
    Status st;
    for_each_kind([&]<class T>(std::type_identity<T>) {
      if (st.ok()) st = walk<T>();
    });
    SNOWCACHE_RETURN_IF_ERROR(st);
    SNOWCACHE_RETURN_IF_ERROR(walk_hidden());
    SNOWCACHE_RETURN_IF_ERROR(check_index());
    SNOWCACHE_RETURN_IF_ERROR(check_refs());
    SNOWCACHE_RETURN_IF_ERROR(check_meta());
    return std::move(report_);
  }

 private:
  void problem(std::string line) { report_.problems.push_back(std::move(line)); }

  // One entity family: values, keys, and what they imply.
  template <class T>
  Status walk() {
    constexpr Cf cf = Kind<T>::cf;
    return scan(store_, snap_, cf, "", [&](std::string_view key, std::string_view raw) {
      ++report_.entities;
      ++counted_[static_cast<std::size_t>(cf)];
      if (!keys::well_formed(Kind<T>::shape, key)) {
        problem(std::string(detail::cf_name(cf)) + ": malformed key " + hex(key));
        return;
      }
      const std::string what = detail::describe<T>(key);
      if constexpr (std::is_same_v<T, fb::Member>) {
        // Listed: the key says so, whatever the value holds.
        members_[{keys::pair_first(key).value(), keys::pair_second(key).value()}].listed = true;
      }
      if constexpr (std::is_same_v<T, fb::User>) users_.insert(keys::id_at(key, 0).value());
      auto v = Value<T>::verify(detail::Bytes::copy_of(raw), what);
      if (!v.ok()) {
        problem(what + ": value fails FlatBuffers verification");
        corrupt_[static_cast<std::size_t>(cf)].insert(std::string(key));
        return;
      }
      const T& value = **v;
      if constexpr (!std::is_same_v<T, fb::DmChannelId>) {
        std::string want = Kind<T>::key(value);
        if (want != key) {
          problem(what + ": stored under the wrong key (its value says " + detail::describe<T>(want) + ")");
        }
      } else {
        dm_seqs_.emplace_back(what, value.seq());
      }
      detail::Implied im;
      Kind<T>::implied(value, key, im);
      for (auto& ik : im.index_keys) index_.emplace(std::move(ik), what);
      std::sort(im.user_refs.begin(), im.user_refs.end());
      im.user_refs.erase(std::unique(im.user_refs.begin(), im.user_refs.end()), im.user_refs.end());
      for (Snowflake u : im.user_refs) {
        ++user_refs_[u.value()];
        referenced_users_.try_emplace(u.value(), what);
      }
      for (auto [g, u] : im.member_refs) {
        ++members_[{g.value(), u.value()}].holders;
        referenced_members_.try_emplace({g.value(), u.value()}, what);
      }
      if constexpr (std::is_same_v<T, fb::Member>) referenced_users_.try_emplace(value.user()->id(), what);
    });
  }

  // The hidden members' values: well formed, under their own key. What they
  // must match (a record that holds the member and does not list it) is
  // checked with the records.
  Status walk_hidden() {
    constexpr Cf cf = Cf::kHiddenMembers;
    return scan(store_, snap_, cf, "", [&](std::string_view key, std::string_view raw) {
      ++report_.entities;
      ++counted_[static_cast<std::size_t>(cf)];
      std::string what = "hidden " + detail::describe<fb::Member>(key);
      if (!keys::well_formed(keys::KeyShape::kPair, key)) {
        problem(std::string(detail::cf_name(cf)) + ": malformed key " + hex(key));
        return;
      }
      hidden_.insert({keys::pair_first(key).value(), keys::pair_second(key).value()});
      auto v = Value<fb::Member>::verify(detail::Bytes::copy_of(raw), what);
      if (!v.ok()) {
        problem(what + ": value fails FlatBuffers verification");
      } else if (Kind<fb::Member>::key(**v) != key) {
        problem(what + ": stored under the wrong key (its value says " +
                detail::describe<fb::Member>(Kind<fb::Member>::key(**v)) + ")");
      }
    });
  }

  Status check_index() {
    auto st = scan(store_, snap_, Cf::kIndex, "", [&](std::string_view k, std::string_view) {
      ++report_.index_entries;
      auto it = index_.find(k);
      if (it != index_.end()) {
        index_.erase(it);
        return;
      }
      auto parsed = keys::parse_index_key(k);
      const detail::KindInfo* kind = parsed ? detail::kind_of_tag(parsed->tag) : nullptr;
      if (!kind) {
        problem("index entry " + keys::describe_index(k) + ": malformed key");
        return;
      }
      const std::string& entity = parsed->entity;
      if (corrupt_[static_cast<std::size_t>(kind->cf)].count(entity)) return;  // reported with the value
      auto raw = store_.get(kind->cf, entity, snap_);
      if (!raw.ok()) {
        io_ = raw.status();
        return;
      }
      if (*raw) {
        problem("index entry " + keys::describe_index(k) + " is not implied by " +
                keys::describe(kind->name, kind->shape, entity) + " (stale: the value implies other index keys)");
      } else {
        problem("index entry " + keys::describe_index(k) + " points at no " + std::string(kind->name));
      }
    });
    SNOWCACHE_RETURN_IF_ERROR(st);
    SNOWCACHE_RETURN_IF_ERROR(io_);
    for (const auto& [k, owner] : index_) {
      problem(owner + ": index entry " + keys::describe_index(k) + " is missing");
    }
    index_.clear();
    return {};
  }

  Status check_refs() {
    std::map<std::uint64_t, std::int64_t> stored_users;
    std::map<std::pair<std::uint64_t, std::uint64_t>, keys::MemberRecord> stored_members;
    auto st = scan(store_, snap_, Cf::kRefs, "", [&](std::string_view k, std::string_view v) {
      auto ref = keys::parse_ref_key(k);
      if (!ref) {
        problem("refs entry " + hex(k) + ": malformed key");
      } else if (!ref->member) {
        auto c = keys::decode_count(v);
        if (!c) {
          problem("user " + ref->user.to_string() + ": malformed reference count record (" +
                  std::to_string(v.size()) + " bytes)");
          return;
        }
        stored_users[ref->user.value()] = *c;
      } else {
        auto r = keys::decode_member_record(v);
        if (!r) {
          problem("member " + pair_text(ref->guild.value(), ref->user.value()) + ": malformed member record (" +
                  hex(v) + ")");
          return;
        }
        stored_members[{ref->guild.value(), ref->user.value()}] = *r;
      }
    });
    SNOWCACHE_RETURN_IF_ERROR(st);

    // Member records, and the users alive member records hold.
    std::map<std::uint64_t, std::int64_t> recomputed = user_refs_;
    for (const auto& [gu, rec] : members_) {
      if (rec.alive()) ++recomputed[gu.second];
    }
    std::set<std::pair<std::uint64_t, std::uint64_t>> all_members(hidden_.begin(), hidden_.end());
    for (const auto& [k, r] : members_) all_members.insert(k);
    for (const auto& [k, r] : stored_members) all_members.insert(k);
    for (const auto& k : all_members) {
      std::string what = "member " + pair_text(k.first, k.second);
      keys::MemberRecord want;
      if (auto it = members_.find(k); it != members_.end()) want = it->second;
      // Held and not listed: hidden, its value in hidden_members; nothing else is there.
      const bool hidden = want.alive() && !want.listed, has_hidden = hidden_.count(k) > 0;
      if (hidden && !has_hidden) problem(what + ": held (" + record_text(want) + ") but has no value");
      if (!hidden && has_hidden) problem(what + ": has a hidden value, but is " + record_text(want));
      auto it = stored_members.find(k);
      if (it == stored_members.end()) {
        if (want.alive()) problem(what + ": no member record, recomputed " + record_text(want));
        continue;
      }
      const keys::MemberRecord& have = it->second;
      if (!have.alive()) {
        problem(what + ": stored member record holds nothing (" + record_text(have) + ")");
      } else if (!want.alive()) {
        problem(what + ": stored member record " + record_text(have) + ", but nothing holds the member");
      } else if (have != want) {
        problem(what + ": stored member record " + record_text(have) + ", recomputed " + record_text(want));
      }
    }

    // What values reference must be there for reads to join it in (join.h).
    for (const auto& [u, what] : referenced_users_) {
      if (!users_.count(u)) problem(what + ": references user " + std::to_string(u) + ", which is not cached");
    }
    for (const auto& [k, what] : referenced_members_) {
      auto it = members_.find(k);
      const bool listed = it != members_.end() && it->second.listed;
      if (!listed && !hidden_.count(k)) {
        problem(what + ": references member " + pair_text(k.first, k.second) + ", which has no value");
      }
    }

    // User counts against the recomputed ones and against the users family.
    std::set<std::uint64_t> all_users(users_.begin(), users_.end());
    for (const auto& [u, c] : recomputed) all_users.insert(u);
    for (const auto& [u, c] : stored_users) all_users.insert(u);
    for (std::uint64_t u : all_users) {
      std::string what = "user " + std::to_string(u);
      std::int64_t want = 0;
      if (auto it = recomputed.find(u); it != recomputed.end()) want = it->second;
      std::optional<std::int64_t> have;
      if (auto it = stored_users.find(u); it != stored_users.end()) have = it->second;
      const bool cached = users_.count(u) > 0;
      if (have && *have < 0) {
        problem(what + ": stored reference count " + std::to_string(*have) + " is negative (recomputed " +
                std::to_string(want) + ")");
      } else if (have && *have == 0) {
        problem(what + ": stored reference count 0 (a count of zero is never stored; recomputed " +
                std::to_string(want) + ")");
      } else if (have.value_or(0) != want) {
        problem(what + ": stored reference count " + (have ? std::to_string(*have) : std::string("none")) +
                ", recomputed " + std::to_string(want));
      }
      if (cached && have.value_or(0) <= 0) {
        problem(what + ": cached but its stored reference count is " +
                (have ? std::to_string(*have) : std::string("missing")));
      } else if (!cached && have.value_or(0) > 0) {
        problem(what + ": stored reference count " + std::to_string(*have) + " but the user is not cached");
      }
    }
    return {};
  }

  Status check_meta() {
    // Entity counts per family.
    std::vector<detail::KindInfo> counted(std::begin(detail::kKindTable), std::end(detail::kKindTable));
    counted.push_back(detail::kind_info<fb::Member>());
    counted.back().name = "hidden member";
    counted.back().cf = Cf::kHiddenMembers;
    for (const auto& k : counted) {
      std::string key = keys::count_key(detail::cf_name(k.cf));
      auto raw = store_.get(Cf::kMeta, key, snap_);
      if (!raw.ok()) return raw.status();
      std::int64_t stored = 0;
      if (*raw) {
        auto c = keys::decode_count((*raw)->view());
        if (!c) {
          problem(key + ": malformed count (" + std::to_string((*raw)->size()) + " bytes)");
          continue;
        }
        stored = *c;
      }
      auto real = static_cast<std::int64_t>(counted_[static_cast<std::size_t>(k.cf)]);
      if (stored != real) {
        problem(key + ": stored " + std::to_string(stored) + " " + std::string(k.name) + " entities, counted " +
                std::to_string(real));
      }
    }
    // me.
    auto me = store_.get(Cf::kMeta, keys::kMetaMe, snap_);
    if (!me.ok()) return me.status();
    if (*me) {
      ++report_.entities;
      if (!Value<fb::OwnUser>::verify(*me, "me").ok()) problem("me: value fails FlatBuffers verification");
    }
    // Settings and the DM insertion counter.
    auto settings = store_.get(Cf::kMeta, keys::kMetaSettings, snap_);
    if (!settings.ok()) return settings.status();
    if (*settings && !keys::decode_settings((*settings)->view())) problem("settings: malformed record");
    auto seq = store_.get(Cf::kMeta, keys::kMetaDmSeq, snap_);
    if (!seq.ok()) return seq.status();
    // Every DM channel id's insertion number lies below the next one to give.
    std::optional<std::int64_t> next_seq = 0;
    if (*seq) {
      next_seq = keys::decode_count((*seq)->view());
      if (!next_seq) problem("dm_seq: malformed record");
    }
    for (const auto& [what, s] : dm_seqs_) {
      if (next_seq && static_cast<std::int64_t>(s) >= *next_seq) {
        problem(what + ": insertion number " + std::to_string(s) + " is not below dm_seq " + std::to_string(*next_seq));
      }
    }
    // Gateway sessions.
    auto st = scan(store_, snap_, Cf::kMeta, std::string(keys::kMetaSessionPrefix),
                   [&](std::string_view k, std::string_view v) {
                     auto shard = keys::session_shard(k);
                     if (!shard) {
                       problem("meta key " + hex(k) + ": malformed session key");
                     } else if (!keys::decode_session(v)) {
                       problem("session of shard " + std::to_string(*shard) + ": malformed record");
                     }
                   });
    return st;
  }

  const detail::Store& store_;
  const rocksdb::Snapshot* snap_;
  VerifyReport report_;
  Status io_;
  std::array<std::size_t, detail::kCfCount> counted_{};
  std::array<std::set<std::string>, detail::kCfCount> corrupt_;
  // Recomputed from the entities.
  std::map<std::string, std::string, std::less<>> index_;  // index key -> the entity implying it
  std::map<std::uint64_t, std::int64_t> user_refs_;        // user -> holders other than member records
  std::map<std::pair<std::uint64_t, std::uint64_t>, keys::MemberRecord> members_;
  std::set<std::uint64_t> users_;                          // the users family
  std::set<std::pair<std::uint64_t, std::uint64_t>> hidden_;  // the hidden_members family
  // Users and members that values reference -> the first value referencing them.
  std::map<std::uint64_t, std::string> referenced_users_;
  std::map<std::pair<std::uint64_t, std::uint64_t>, std::string> referenced_members_;
  std::vector<std::pair<std::string, std::uint64_t>> dm_seqs_;
};

}  // namespace

Result<VerifyReport> verify(const Cache& cache) {
  const auto& state = detail::Access::state(cache);
  auto snap = state->snapshot();
  auto report = Verifier(*state->store, snap->snapshot).run();
  if (!report.ok()) return report;
  // Every block of every SST file against its checksum: also the blocks no
  // read above touches (meta state such as sweep marks, tombstones, index
  // and filter blocks), so damaged files are found before a write needs them.
  auto sums = state->store->db()->VerifyChecksum();
  if (!sums.ok()) report->problems.push_back("files: " + sums.ToString());
  return report;
}

}  // namespace snowcache
