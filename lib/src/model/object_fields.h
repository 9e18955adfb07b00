// object_fields — where a table carries user and member objects: the fields
// the write path turns into references (objects.h) and reads join back
// (join.h). Found from the generated type tables: every top-level field whose
// table type is User (or a vector of User) is a user object, every one of type
// Member a member object. Nested tables are not looked into: a reply's
// embedded `referenced_message` is kept as Discord embedded it (R3).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include <flatbuffers/flatbuffers.h>
#include <flatbuffers/minireflect.h>

namespace snowcache::detail {

struct ObjectFields {
  std::vector<std::size_t> users;    // fields of type User or [User]
  std::vector<std::size_t> members;  // fields of type Member
  int guild_id = -1;  // the table's own guild_id field (the scope of its member objects)
  int user_id = -1;   // its user_id field: whose member a member object must be (a voice state)
  int author = -1;    // its author field: the same, for a message
  int roles = -1;     // a Member's roles
  bool any() const { return !users.empty() || !members.empty(); }
  bool is_user(std::size_t f) const;
  bool is_member(std::size_t f) const;
};

// The fields of `tt`.
ObjectFields compute_object_fields(const flatbuffers::TypeTable* tt);
// The fields of T's table, computed once.
template <class T>
const ObjectFields& object_fields() {
  static const ObjectFields fields = compute_object_fields(T::MiniReflectTypeTable());
  return fields;
}

// The table's guild_id (0 when it has none or does not store it).
std::uint64_t guild_of(const ObjectFields& f, const flatbuffers::Table& t);
// Whose member a member object of this table must be: its user_id, or its
// author's id; 0 when it says nothing.
std::uint64_t owner_of(const ObjectFields& f, const flatbuffers::Table& t);
// A user table's id (field 0 of User).
std::uint64_t user_id_of(const flatbuffers::Table& user);
// A member table's user, or null.
const flatbuffers::Table* member_user(const flatbuffers::Table& member);

}  // namespace snowcache::detail
