// objects — what the user and member objects a payload carries do to the
// user and member records (docs/SEMANTICS.md E1, E2). This is the one place
// of the write path that decides it; handlers and MutableCache methods only
// say where an object came from.
//
// Records: a user is stored once (Cf::kUsers); a member once, in Cf::kMembers
// while listed or Cf::kHiddenMembers while only held (txn.h settles which).
// Entities store references in their place (a user table with only its id; a
// member table with only guild_id and such a user), and reads join the
// records back in (join.h).
//
// Every function runs inside the caller's Txn and writes nothing else.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <flatbuffers/flatbuffers.h>

#include "model/fb_copy.h"
#include "member_generated.h"
#include "model/object_fields.h"
#include "own_user_generated.h"
#include "snowcache/snowflake.h"
#include "snowcache/status.h"
#include "storage/txn.h"
#include "user_generated.h"

namespace snowcache::detail {

// How a user object changes its record.
enum class UserWrite : std::uint8_t {
  kHeld,      // its entity holds the user: the record is written (last writer wins)
  kIfCached,  // nothing holds the user through it: a cached record is refreshed, no other
  kMerge,     // a partial user (PRESENCE_UPDATE): its stored fields over a cached record's
};
// `user` is a User table (or a table that begins with User's fields).
// `cleared` (kMerge): the fields the partial user sent as null, unset.
Status write_user(Txn& txn, const flatbuffers::Table& user, UserWrite how, const FieldSet& cleared = {});

// The bot's own user (READY, USER_UPDATE): refreshes its user record when cached.
Status write_own_user(Txn& txn, const fb::OwnUser& me);

// How a member object changes its record.
enum class MemberWrite : std::uint8_t {
  kHold,     // a holder (voice state, message) carries it: written, hidden unless listed
  kRefresh,  // refreshes a listed or hidden member; nothing when it is neither
};
// `member` belongs to `guild`; its user is `member.user`, or `owner` when it
// has none (a message's member is its author's). Role ids get the guild id.
// Errors: Code::kInvalidArgument when it names another guild or user.
Status write_member(Txn& txn, const flatbuffers::Table& member, std::uint64_t guild, std::uint64_t owner,
                    MemberWrite how);

// A user object with nothing but its id: it names a user and changes nothing
// (unless the user is not cached: then it is all that is known).
bool is_reference_user(const flatbuffers::Table& user);
// A member object with nothing but guild_id and a reference user.
bool is_reference_member(const flatbuffers::Table& member);

// The value to store for `bytes` (a table of type `tt`, as a payload or
// caller gave it): checks that the member objects it carries are its own,
// writes the users (kHeld) and members (kHold) it carries, and returns it
// with references in their place. A member reference stays only where the
// member is cached: nothing holds a member that has no record. A Member's
// own stored form also gets its guild id among its roles.
// Errors: Code::kInvalidArgument (a member object of another guild or user).
Result<std::string> store_form(Txn& txn, const flatbuffers::TypeTable* tt, const ObjectFields& fields,
                               std::string_view bytes);
template <class T>
Result<std::string> store_form(Txn& txn, std::string_view bytes) {
  return store_form(txn, T::MiniReflectTypeTable(), object_fields<T>(), bytes);
}

// For a payload that is not stored (its kind is disabled, an update, an
// event of no kind): the users (kIfCached) and members (kRefresh) it
// carries refresh the cached records; a Member payload refreshes that
// member. Errors: as store_form.
Status refresh_objects(Txn& txn, const flatbuffers::TypeTable* tt, const ObjectFields& fields,
                       std::string_view bytes);
template <class T>
Status refresh_objects(Txn& txn, std::string_view bytes) {
  return refresh_objects(txn, T::MiniReflectTypeTable(), object_fields<T>(), bytes);
}

// A reference to user `id` / to the member (guild, user), built in `fbb`.
flatbuffers::uoffset_t user_reference(flatbuffers::FlatBufferBuilder& fbb, std::uint64_t id);
flatbuffers::uoffset_t member_reference(flatbuffers::FlatBufferBuilder& fbb, std::uint64_t guild, std::uint64_t user);

}  // namespace snowcache::detail
