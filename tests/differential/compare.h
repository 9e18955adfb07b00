// The comparison of the model with a cache, through the public API only:
// every getter for every id the model knows (and some it does not), every
// view (keys in order, size, get_item_at, get), nested views, sessions.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <flatbuffers/flatbuffers.h>

#include "model.h"
#include "snowcache/cache.h"

namespace model {

struct Difference {
  std::string scope;   // the check it came from: "member 1/2", "view members"
  std::string entity;  // what differs: "member 1/2 user", "view members [1] [2]"
  std::string field;
  std::string expected, actual;
};

// Collects differences; `only` (a scope) restricts the checks to that one,
// to find the first event where it goes wrong.
class Diffs {
 public:
  // Differences whose "entity: field" text contains one of `ignore` are dropped.
  Diffs(std::string only, std::size_t max, std::vector<std::string> ignore = {})
      : only_(std::move(only)), max_(max), ignore_(std::move(ignore)) {}
  // Starts a top-level check; false when `only` excludes it.
  bool enter(const std::string& scope) {
    scope_ = scope;
    return only_.empty() || scope == only_;
  }
  bool full() const { return list.size() >= max_; }
  void add(const std::string& entity, std::string_view field, std::string expected, std::string actual);
  template <class A, class B>
  void eq(const std::string& entity, std::string_view field, const A& expected, const B& actual);

  std::vector<Difference> list;

 private:
  std::string scope_;
  std::string only_;
  std::size_t max_;
  std::vector<std::string> ignore_;
};

// --- values as text --------------------------------------------------------------
std::string show(const std::string& s);
std::string show(const OptStr& s);
std::string show(bool b);
std::string show(const std::vector<Id>& v);
std::string show(const std::vector<std::string>& v);
template <class N>
  requires std::is_arithmetic_v<N>
std::string show(N n) { return std::to_string(n); }
template <class T>
std::string show(const std::optional<T>& v) { return v ? show(*v) : "<absent>"; }

template <class A, class B>
void Diffs::eq(const std::string& entity, std::string_view field, const A& expected, const B& actual) {
  std::string e = show(expected), a = show(actual);
  if (e != a) add(entity, field, std::move(e), std::move(a));
}

// --- FlatBuffers values as plain ones ----------------------------------------------
inline OptStr fs(const flatbuffers::String* s) { return s ? OptStr(s->str()) : std::nullopt; }
template <class T>
std::optional<T> fo(flatbuffers::Optional<T> v) { return v.has_value() ? std::optional<T>(v.value()) : std::nullopt; }
inline std::vector<Id> fv(const flatbuffers::Vector<std::uint64_t>* v) {
  return v ? std::vector<Id>(v->begin(), v->end()) : std::vector<Id>{};
}

// Every id worth asking the cache about: what the model holds or held at some
// checkpoint, and a few ids nothing ever had.
struct Known {
  std::set<Id> guilds, channels, threads, roles, emojis, stickers, users, messages;
  std::set<std::string> invites;
  std::set<GU> members, presences, voice_states;
  void add(const Model& m);  // union with what `m` holds now
};

struct CompareOptions {
  std::string only;              // one entity label; empty = everything
  std::size_t max_differences = 20;
  bool views = true;             // views too (getters always)
  // Differences not to report: those whose "entity: field" text contains
  // one of these ("user.", "member.nick", "E3", "view dm_channel_ids",
  // "member: present"), for looking past a known class. Default: none.
  std::vector<std::string> ignore;
};

// Compares everything; returns the differences (at most max_differences).
std::vector<Difference> compare(const Model& m, const snowcache::Cache& c, const Known& known,
                                const CompareOptions& options);

// Views taken now and compared later with a copy of the model as it was then:
// a view is a snapshot (R2), whatever was written since.
struct ViewSnapshot;
std::shared_ptr<const ViewSnapshot> take_views(const snowcache::Cache& c);
std::vector<Difference> compare_old_views(const Model& then, const snowcache::Cache& c, const ViewSnapshot& views,
                                          const CompareOptions& options);

// E3: whether the cache marks message `id` as a reply whose parent was
// deleted. One function to switch to fb::Message::referenced_message_deleted()
// when that field lands; until then it reads the dump's JSON.
std::optional<bool> reply_parent_deleted(const snowcache::Cache& c, Id id);

}  // namespace model
