// kinds: the checklist of docs/ARCHITECTURE.md "Adding a kind", run over a
// cache that holds at least one entity of every kind in AllKinds. The
// static_asserts in kinds.h check what the table says against families.h,
// keys.h and settings.h; this suite checks it against what the write path
// stores: every stored key is the key Kind<T>::key gives its value and has
// the kind's shape, every index key the value implies is stored, parses,
// belongs to the kind and points back at the entity, the dump names the kind
// and finds the entity by its key parts, and json_fb's required fields are
// fields of the kind's schema. A new kind fails here until the world below
// holds one of it.
#include <algorithm>
#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <doctest/doctest.h>

#include "model/entity_ops.h"
#include "model/kinds.h"
#include "snowcache/dump.h"
#include "storage/keys.h"
#include "whitebox.h"

namespace snowcache::testing {
namespace {

using detail::Kind;
using detail::Txn;

constexpr std::uint64_t kG = 1000, kAlice = 11, kBob = 12;

void build_world(MutableCache& c) {
  ok(c.set_guild(guild(kG)));
  ok(c.set_guild_channel(channel(kG + 1, kG, 0, 0, std::nullopt, "general")));
  ok(c.set_guild_channel(channel(kG + 2, kG, 2, 1, std::nullopt, "voice")));
  ok(c.set_thread(thread(kG + 3, kG, kG + 1)));
  ok(c.set_role(role(kG, kG, "@everyone")));
  ok(c.set_emoji(emoji(kG + 10, kG, kBob)));
  ok(c.set_sticker(sticker(kG + 11, kG, kAlice)));
  ok(c.set_invite(invite("abc", kG, kG + 1, kAlice, kBob)));
  ok(c.set_member(member(kG, kAlice, "ali")));
  ok(c.set_presence(presence(kG, kAlice)));
  ok(c.set_voice_state(voice_state(kG, kBob, kG + 2)));
  ok(c.set_message(message(kG + 100, kG + 1, kG, kAlice, {kBob})));
  ok(c.set_dm_channel_id(S(kBob), S(555)));
}

bool schema_has_field(const flatbuffers::TypeTable* tt, std::string_view name) {
  for (std::size_t i = 0; i < tt->num_elems; ++i) {
    if (tt->names[i] == name) return true;
  }
  return false;
}

// The checklist for one stored entity of kind T under `key`.
template <class T>
void check_entity(const Cache& c, Txn& txn, const std::string& key) {
  constexpr std::string_view name = Kind<T>::name;
  INFO(name << " " << keys::describe(name, Kind<T>::shape, key));
  auto value = detail::read_entity<T>(txn, key);
  REQUIRE(value.ok());
  REQUIRE(value->has_value());
  const T& v = ***value;
  CHECK(keys::well_formed(Kind<T>::shape, key));
  if constexpr (Kind<T>::cf != detail::Cf::kDmChannelIds) CHECK(Kind<T>::key(v) == key);  // keyed by its user

  // Key parts: the dump's text form and back.
  auto parts = keys::key_parts(Kind<T>::shape, key);
  REQUIRE(parts.has_value());
  CHECK(parts->size() == Kind<T>::key_names.size());
  CHECK(ok(keys::key_from_parts(Kind<T>::shape, name, Kind<T>::key_names, *parts)) == key);
  auto json = ok(entity_json(c, name, *parts, false));
  CHECK(json.has_value());

  // The index keys the value implies.
  detail::Implied implied;
  Kind<T>::implied(v, key, implied);
  for (const auto& ik : implied.index_keys) {
    auto parsed = keys::parse_index_key(ik);
    REQUIRE(parsed.has_value());
    CHECK(std::ranges::find(Kind<T>::index_tags, parsed->tag) != Kind<T>::index_tags.end());
    const detail::KindInfo* owner = detail::kind_of_tag(parsed->tag);
    REQUIRE(owner != nullptr);
    CHECK(owner->name == name);
    CHECK(parsed->entity == key);
    CHECK(keys::indexed_entity(ik) == key);
    auto stored = txn.get(detail::Cf::kIndex, ik);
    REQUIRE(stored.ok());
    CHECK(*stored != nullptr);
  }
  if constexpr (Kind<T>::scope == detail::GuildScope::kIndex) {
    const bool has_guild_index = std::ranges::any_of(implied.index_keys, [](const std::string& ik) {
      return ik.starts_with(keys::index_prefix(Kind<T>::guild_index, Snowflake(kG)));
    });
    CHECK(has_guild_index);
  }
}

}  // namespace

TEST_CASE("kinds: every kind of the table, checked against what the write path stores") {
  auto c = memory_cache();
  build_world(*c);
  auto& state = Peek::state(*c);
  Txn txn(*state.writer);  // never committed: reads only
  std::set<std::string_view> names;
  detail::for_each_kind([&]<class T>(std::type_identity<T>) {
    constexpr std::string_view name = Kind<T>::name;
    CAPTURE(name);
    CHECK(names.insert(name).second);
    CHECK(detail::family(Kind<T>::cf).entities);
    for (auto field : Kind<T>::required) CHECK_MESSAGE(schema_has_field(T::MiniReflectTypeTable(), field), field);
    auto ks = detail::range_keys(txn, Kind<T>::cf, "");
    REQUIRE(ks.ok());
    CHECK_MESSAGE(!ks->empty(), "the checklist world holds no " << name << ": add one to build_world");
    for (const auto& key : *ks) check_entity<T>(*c, txn, key);
  });
  CHECK(names.size() == detail::kKindTable.size());
}

TEST_CASE("kinds: for_kind finds the kind of each entity family, and nothing for the others") {
  for (const auto& f : detail::kFamilies) {
    CAPTURE(f.name);
    std::string_view found = detail::for_kind(
        f.cf, []<class T>(std::type_identity<T>) { return Kind<T>::name; }, std::string_view{});
    CHECK(found.empty() == !f.entities);
  }
}

}  // namespace snowcache::testing
