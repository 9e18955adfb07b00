#include "model/object_fields.h"

#include <algorithm>
#include <string_view>
#include <utility>

#include "model/fb_copy.h"
#include "member_generated.h"
#include "user_generated.h"

namespace snowcache::detail {

using flatbuffers::TypeTable;

ObjectFields compute_object_fields(const TypeTable* tt) {
  ObjectFields f;
  for (std::size_t i = 0; i < tt->num_elems; ++i) {
    const TypeTable* sub = table_type_of(tt, i);
    if (sub == fb::UserTypeTable()) f.users.push_back(i);
    if (sub == fb::MemberTypeTable() && !tt->type_codes[i].is_repeating) f.members.push_back(i);
  }
  f.guild_id = field_index(tt, "guild_id");
  f.user_id = field_index(tt, "user_id");
  f.author = field_index(tt, "author");
  if (tt == fb::MemberTypeTable()) f.roles = field_index(tt, "roles");
  return f;
}

namespace {

flatbuffers::voffset_t vo(int field) { return flatbuffers::FieldIndexToOffset(static_cast<flatbuffers::voffset_t>(field)); }

}  // namespace

bool ObjectFields::is_user(std::size_t f) const { return std::find(users.begin(), users.end(), f) != users.end(); }
bool ObjectFields::is_member(std::size_t f) const {
  return std::find(members.begin(), members.end(), f) != members.end();
}

std::uint64_t guild_of(const ObjectFields& f, const flatbuffers::Table& t) {
  return f.guild_id < 0 ? 0 : t.GetField<std::uint64_t>(vo(f.guild_id), 0);
}

std::uint64_t owner_of(const ObjectFields& f, const flatbuffers::Table& t) {
  if (f.user_id >= 0) return t.GetField<std::uint64_t>(vo(f.user_id), 0);
  if (f.author >= 0) {
    const auto* a = t.GetPointer<const flatbuffers::Table*>(vo(f.author));
    return a ? user_id_of(*a) : 0;
  }
  return 0;
}

std::uint64_t user_id_of(const flatbuffers::Table& user) {
  return user.GetField<std::uint64_t>(fb::User::VT_ID, 0);
}

const flatbuffers::Table* member_user(const flatbuffers::Table& member) {
  return member.GetPointer<const flatbuffers::Table*>(fb::Member::VT_USER);
}

}  // namespace snowcache::detail
