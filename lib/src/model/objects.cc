#include "model/objects.h"

#include <algorithm>
#include <vector>

#include "model/entity_ops.h"
#include "model/fb_copy.h"

namespace snowcache::detail {

namespace {

using flatbuffers::Table;
using flatbuffers::uoffset_t;

flatbuffers::voffset_t vo(std::size_t field) {
  return flatbuffers::FieldIndexToOffset(static_cast<flatbuffers::voffset_t>(field));
}

const Table* sub_table(const Table& t, std::size_t field) { return t.GetPointer<const Table*>(vo(field)); }

// Calls f(user table) for every user object of field `field` (one, or each
// element of a vector).
template <class F>
Status each_user(const Table& t, std::size_t field, const flatbuffers::TypeTable* tt, F&& f) {
  if (!has_field(t, field)) return {};
  if (tt->type_codes[field].is_repeating) {
    const auto* v = t.GetPointer<const flatbuffers::Vector<flatbuffers::Offset<Table>>*>(vo(field));
    for (flatbuffers::uoffset_t k = 0; k < v->size(); ++k) SNOWCACHE_RETURN_IF_ERROR(f(*v->Get(k)));
    return {};
  }
  return f(*sub_table(t, field));
}

Status invalid(std::string what) { return Status::InvalidArgument(std::move(what)); }

// A member object must be of the guild and user of what carries it.
Status check_member(const Table& member, std::uint64_t guild, std::uint64_t owner) {
  auto g = member.GetField<std::uint64_t>(fb::Member::VT_GUILD_ID, 0);
  if (g != 0 && guild != 0 && g != guild) {
    return invalid("member: of guild " + std::to_string(g) + ", not of the event's guild " + std::to_string(guild));
  }
  const Table* user = member_user(member);
  if (!user && owner == 0) return invalid("member.user: missing");
  if (user && owner != 0 && user_id_of(*user) != owner) {
    return invalid("member.user: user " + std::to_string(user_id_of(*user)) + " is not the event's user " +
                   std::to_string(owner));
  }
  return {};
}

std::uint64_t member_user_id(const Table& member, std::uint64_t owner) {
  const Table* user = member_user(member);
  return user ? user_id_of(*user) : owner;
}

// The stored form of a member object: `user` a reference, guild_id set, the
// guild id among the role ids (R4).
std::string member_value(const Table& member, std::uint64_t guild, std::uint64_t user) {
  const ObjectFields& mf = object_fields<fb::Member>();
  flatbuffers::FlatBufferBuilder fbb(256);
  CopyEdits edits;
  uoffset_t ref = user_reference(fbb, user);
  edits.table = [&](flatbuffers::FlatBufferBuilder&, std::size_t f, const Table&) -> std::optional<uoffset_t> {
    if (mf.is_user(f)) return ref;
    return std::nullopt;
  };
  if (!member_user(member)) edits.add_offsets.emplace_back(mf.users.front(), ref);
  edits.set_u64.emplace_back(static_cast<std::size_t>(mf.guild_id), guild);
  const auto* roles = member.GetPointer<const flatbuffers::Vector<std::uint64_t>*>(fb::Member::VT_ROLES);
  if (!roles || std::find(roles->begin(), roles->end(), guild) == roles->end()) {
    std::vector<std::uint64_t> with;
    if (roles) with.assign(roles->begin(), roles->end());
    with.push_back(guild);
    uoffset_t off = fbb.CreateVector(with).o;
    if (roles) {
      edits.scalars = [off](flatbuffers::FlatBufferBuilder&, std::size_t, const Table&) -> std::optional<uoffset_t> {
        return off;
      };
    } else {
      edits.add_offsets.emplace_back(static_cast<std::size_t>(mf.roles), off);
    }
  }
  return finish_bytes(fbb, copy_table(fbb, fb::MemberTypeTable(), member, edits));
}

std::string user_value(const flatbuffers::TypeTable* tt, const Table& user) {
  flatbuffers::FlatBufferBuilder fbb(256);
  return finish_bytes(fbb, copy_table(fbb, tt, user));
}

}  // namespace

uoffset_t user_reference(flatbuffers::FlatBufferBuilder& fbb, std::uint64_t id) {
  auto start = fbb.StartTable();
  fbb.AddElement<std::uint64_t>(fb::User::VT_ID, id);
  return fbb.EndTable(start);
}

uoffset_t member_reference(flatbuffers::FlatBufferBuilder& fbb, std::uint64_t guild, std::uint64_t user) {
  uoffset_t u = user_reference(fbb, user);
  auto start = fbb.StartTable();
  fbb.AddElement<std::uint64_t>(fb::Member::VT_GUILD_ID, guild);
  fbb.AddOffset(fb::Member::VT_USER, flatbuffers::Offset<void>(u));
  return fbb.EndTable(start);
}

bool is_reference_user(const Table& user) {
  return stored_fields(fb::UserTypeTable(), user) == (has_field(user, 0) ? 1u : 0u);
}

bool is_reference_member(const Table& member) {
  const Table* user = member_user(member);
  auto guild_field = static_cast<std::size_t>(object_fields<fb::Member>().guild_id);
  std::size_t expected = (has_field(member, guild_field) ? 1u : 0u) + (user ? 1u : 0u);
  return stored_fields(fb::MemberTypeTable(), member) == expected && (!user || is_reference_user(*user));
}

Status write_user(Txn& txn, const Table& user, UserWrite how, const FieldSet& cleared) {
  Snowflake id(user_id_of(user));
  std::string key = keys::id(id);
  if (how == UserWrite::kHeld) {
    txn.touch_user(id);
    if (is_reference_user(user)) {
      // Names a user: written only when nothing else is known of it.
      auto cached = txn.get(Cf::kUsers, key);
      if (!cached.ok()) return cached.status();
      if (*cached) return {};
    }
    txn.put(Cf::kUsers, key, user_value(fb::UserTypeTable(), user));
    return {};
  }
  if (is_reference_user(user) && cleared.none()) return {};
  auto cached = txn.get(Cf::kUsers, key);
  if (!cached.ok()) return cached.status();
  if (!*cached) return {};
  if (how == UserWrite::kIfCached) {
    txn.put(Cf::kUsers, key, user_value(fb::UserTypeTable(), user));
    return {};
  }
  auto old = Value<fb::User>::verify(*cached, "user " + id.to_string());
  if (!old.ok()) return old.status();
  flatbuffers::FlatBufferBuilder fbb(256);
  const auto& base = *reinterpret_cast<const Table*>(old->get());
  txn.put(Cf::kUsers, key, finish_bytes(fbb, merge_table(fbb, fb::UserTypeTable(), base, user, cleared)));
  return {};
}

Status write_own_user(Txn& txn, const fb::OwnUser& me) {
  const auto& t = *reinterpret_cast<const Table*>(&me);
  std::string key = keys::id(Snowflake(me.id()));
  auto cached = txn.get(Cf::kUsers, key);
  if (!cached.ok()) return cached.status();
  if (!*cached) return {};
  // OwnUser begins with every field of User, in the same order.
  flatbuffers::FlatBufferBuilder fbb(256);
  txn.put(Cf::kUsers, key, finish_bytes(fbb, copy_prefix(fbb, fb::OwnUserTypeTable(), t, fb::UserTypeTable())));
  return {};
}

Status write_member(Txn& txn, const Table& member, std::uint64_t guild, std::uint64_t owner, MemberWrite how) {
  SNOWCACHE_RETURN_IF_ERROR(check_member(member, guild, owner));
  std::uint64_t user = member_user_id(member, owner);
  auto rec = txn.member_record(Snowflake(guild), Snowflake(user));
  if (!rec.ok()) return rec.status();
  const Table* user_obj = member_user(member);
  if (!rec->alive() && how == MemberWrite::kRefresh) {
    return user_obj ? write_user(txn, *user_obj, UserWrite::kIfCached) : Status();
  }
  // The record holds the user (or will: the holder's reference, applied next).
  if (user_obj) SNOWCACHE_RETURN_IF_ERROR(write_user(txn, *user_obj, UserWrite::kHeld));
  std::string value = member_value(member, guild, user);
  if (rec->listed) return put_entity<fb::Member>(txn, value).status();
  txn.put_hidden_member(Snowflake(guild), Snowflake(user), value);
  // Written since the guild's last GUILD_CREATE: kept by a member-list sweep (R5).
  return txn.mark_written(keys::SweepMark::kMember, Snowflake(guild), Snowflake(user));
}

namespace {

// The member objects of `t`: checked, and written (kHold) or looked up.
// `held[i]` says whether member field i stays as a reference.
Status apply_members(Txn& txn, const ObjectFields& fields, const Table& t, std::vector<bool>& held) {
  std::uint64_t guild = guild_of(fields, t), owner = owner_of(fields, t);
  held.assign(fields.members.size(), false);
  for (std::size_t i = 0; i < fields.members.size(); ++i) {
    const Table* m = sub_table(t, fields.members[i]);
    if (!m) continue;
    SNOWCACHE_RETURN_IF_ERROR(check_member(*m, guild, owner));
    if (!is_reference_member(*m)) {
      SNOWCACHE_RETURN_IF_ERROR(write_member(txn, *m, guild, owner, MemberWrite::kHold));
      held[i] = true;
      continue;
    }
    auto rec = txn.member_record(Snowflake(guild), Snowflake(member_user_id(*m, owner)));
    if (!rec.ok()) return rec.status();
    held[i] = rec->alive();
  }
  return {};
}

std::string references_in_place(const flatbuffers::TypeTable* tt, const ObjectFields& fields, const Table& t,
                                const std::vector<bool>& held) {
  std::uint64_t guild = guild_of(fields, t), owner = owner_of(fields, t);
  flatbuffers::FlatBufferBuilder fbb(512);
  CopyEdits edits;
  edits.table = [&](flatbuffers::FlatBufferBuilder& b, std::size_t f, const Table& sub) -> std::optional<uoffset_t> {
    if (fields.is_user(f)) return user_reference(b, user_id_of(sub));
    for (std::size_t i = 0; i < fields.members.size(); ++i) {
      if (fields.members[i] == f) return held[i] ? member_reference(b, guild, member_user_id(sub, owner)) : 0;
    }
    return std::nullopt;
  };
  return finish_bytes(fbb, copy_table(fbb, tt, t, edits));
}

}  // namespace

Result<std::string> store_form(Txn& txn, const flatbuffers::TypeTable* tt, const ObjectFields& fields,
                               std::string_view bytes) {
  const auto& t = *flatbuffers::GetRoot<Table>(bytes.data());
  if (!fields.any()) return std::string(bytes);
  for (std::size_t f : fields.users) {
    SNOWCACHE_RETURN_IF_ERROR(each_user(t, f, tt, [&](const Table& u) { return write_user(txn, u, UserWrite::kHeld); }));
  }
  if (tt == fb::MemberTypeTable()) {
    const Table* user = member_user(t);
    if (!user) return Status::InvalidArgument("member: user is required");
    if (guild_of(fields, t) == 0) return Status::InvalidArgument("member: guild_id is required");
    return member_value(t, guild_of(fields, t), user_id_of(*user));
  }
  std::vector<bool> held;
  SNOWCACHE_RETURN_IF_ERROR(apply_members(txn, fields, t, held));
  return references_in_place(tt, fields, t, held);
}

Status refresh_objects(Txn& txn, const flatbuffers::TypeTable* tt, const ObjectFields& fields, std::string_view bytes) {
  const auto& t = *flatbuffers::GetRoot<Table>(bytes.data());
  if (tt == fb::MemberTypeTable()) {  // a member object itself (MEMBERS off, or not listed)
    return write_member(txn, t, guild_of(fields, t), 0, MemberWrite::kRefresh);
  }
  for (std::size_t f : fields.users) {
    SNOWCACHE_RETURN_IF_ERROR(
        each_user(t, f, tt, [&](const Table& u) { return write_user(txn, u, UserWrite::kIfCached); }));
  }
  std::uint64_t guild = guild_of(fields, t), owner = owner_of(fields, t);
  for (std::size_t f : fields.members) {
    const Table* m = sub_table(t, f);
    // A member object that names no user, in a payload that names none
    // (an update without its author), refreshes nothing it could identify.
    if (!m || (!member_user(*m) && owner == 0)) continue;
    SNOWCACHE_RETURN_IF_ERROR(check_member(*m, guild, owner));
    if (!is_reference_member(*m)) SNOWCACHE_RETURN_IF_ERROR(write_member(txn, *m, guild, owner, MemberWrite::kRefresh));
  }
  return {};
}

}  // namespace snowcache::detail
