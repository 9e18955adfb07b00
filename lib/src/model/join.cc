#include "model/join.h"

#include "model/fb_copy.h"

namespace snowcache::detail {

namespace {

using flatbuffers::Table;
using flatbuffers::uoffset_t;

// A listed member, else a hidden one.
template <class Read>
Maybe<fb::Member> listed_or_hidden(Read&& read) {
  auto listed = read(Cf::kMembers);
  if (!listed.ok() || *listed) return listed;
  return read(Cf::kHiddenMembers);
}

const Table& table_of(const Value<fb::User>& v) { return *reinterpret_cast<const Table*>(v.get()); }
const Table& table_of(const Value<fb::Member>& v) { return *reinterpret_cast<const Table*>(v.get()); }

// Copies the user record `id` into `fbb`.
Result<uoffset_t> user_record(flatbuffers::FlatBufferBuilder& fbb, Homes& homes, std::uint64_t id) {
  auto u = homes.user(id);
  if (!u.ok()) return u.status();
  if (!*u) return Status::Corruption("references user " + std::to_string(id) + ", which is not cached");
  return copy_table(fbb, fb::UserTypeTable(), table_of(**u));
}

// Copies the member record (guild, user) into `fbb`, its user record joined in.
Result<uoffset_t> member_record(flatbuffers::FlatBufferBuilder& fbb, Homes& homes, std::uint64_t guild,
                                std::uint64_t user) {
  auto m = homes.member(guild, user);
  if (!m.ok()) return m.status();
  if (!*m) {
    return Status::Corruption("references member " + std::to_string(guild) + "/" +
                              std::to_string(user) + ", which is not cached");
  }
  auto u = user_record(fbb, homes, user);
  if (!u.ok()) return u.status();
  const ObjectFields& mf = object_fields<fb::Member>();
  CopyEdits edits;
  uoffset_t uo = *u;
  edits.table = [&](flatbuffers::FlatBufferBuilder&, std::size_t f, const Table&) -> std::optional<uoffset_t> {
    if (mf.is_user(f)) return uo;
    return std::nullopt;
  };
  return copy_table(fbb, fb::MemberTypeTable(), table_of(**m), edits);
}


// A front cache entry that holds at snapshot sequence `seq`, else the store at `snap`.
template <class T>
Maybe<T> at_snapshot(const Store& store, Cf cf, std::string_view key, const rocksdb::Snapshot* snap,
                     std::uint64_t seq) {
  std::shared_ptr<const Bytes> hit;
  if (store.front().lookup_at(cf, key, seq, &hit)) {
    return std::optional<Value<T>>(ValueAccess::adopt_verified<T>(std::move(hit)));
  }
  return to_value<T>(store.get(cf, key, snap), key);
}

}  // namespace

Maybe<fb::User> SnapshotHomes::user(std::uint64_t id) {
  return at_snapshot<fb::User>(store_, Cf::kUsers, keys::id(Snowflake(id)), snap_, seq_);
}

Maybe<fb::Member> SnapshotHomes::member(std::uint64_t guild, std::uint64_t user) {
  std::string key = keys::pair(Snowflake(guild), Snowflake(user));
  return listed_or_hidden([&](Cf cf) { return at_snapshot<fb::Member>(store_, cf, key, snap_, seq_); });
}

void FrontHomes::stamp(Cf cf, std::string_view key) {
  FrontCache::Stamp s = store_.front().stamp(cf, key);
  for (const auto& have : stamps_) {
    if (have.slot == s.slot) return;
  }
  stamps_.push_back(s);
}

Maybe<fb::User> FrontHomes::user(std::uint64_t id) {
  std::string key = keys::id(Snowflake(id));
  stamp(Cf::kUsers, key);
  return read_front<fb::User>(store_, key);
}

Maybe<fb::Member> FrontHomes::member(std::uint64_t guild, std::uint64_t user) {
  std::string key = keys::pair(Snowflake(guild), Snowflake(user));
  // The member may move between listed and hidden, and its user record
  // changes what is joined in: all three are dependencies.
  stamp(Cf::kMembers, key);
  stamp(Cf::kHiddenMembers, key);
  stamp(Cf::kUsers, keys::id(Snowflake(user)));
  return listed_or_hidden([&](Cf cf) { return read_front<fb::Member>(store_, key, cf); });
}



Maybe<fb::User> TxnHomes::user(std::uint64_t id) { return read_entity<fb::User>(txn_, keys::id(Snowflake(id))); }

Maybe<fb::Member> TxnHomes::member(std::uint64_t guild, std::uint64_t user) {
  std::string key = keys::pair(Snowflake(guild), Snowflake(user));
  return listed_or_hidden([&](Cf cf) { return to_value<fb::Member>(txn_.get(cf, key), key); });
}

Result<std::shared_ptr<const Bytes>> join_bytes(Homes& homes, const flatbuffers::TypeTable* tt,
                                                const ObjectFields& fields, const Bytes& stored) {
  const auto& t = *flatbuffers::GetRoot<Table>(stored.data());
  const std::uint64_t guild = guild_of(fields, t), owner = owner_of(fields, t);
  Status failed;
  flatbuffers::FlatBufferBuilder fbb(1024);
  CopyEdits edits;
  edits.table = [&](flatbuffers::FlatBufferBuilder& b, std::size_t f, const Table& sub) -> std::optional<uoffset_t> {
    if (!failed.ok()) return std::nullopt;
    Result<uoffset_t> r = uoffset_t{0};
    if (fields.is_user(f)) {
      r = user_record(b, homes, user_id_of(sub));
    } else if (fields.is_member(f)) {
      // A reference names its guild; a format-1 copy may not (the holder's).
      std::uint64_t g = sub.GetField<std::uint64_t>(fb::Member::VT_GUILD_ID, 0);
      const Table* u = member_user(sub);
      r = member_record(b, homes, g ? g : guild, u ? user_id_of(*u) : owner);
    } else {
      return std::nullopt;
    }
    if (!r.ok()) {
      failed = r.status();
      return std::nullopt;
    }
    return *r;
  };
  uoffset_t root = copy_table(fbb, tt, t, edits);
  if (!failed.ok()) return failed;
  fbb.Finish(flatbuffers::Offset<void>(root));
  return Bytes::copy_of(std::string_view(reinterpret_cast<const char*>(fbb.GetBufferPointer()), fbb.GetSize()));
}

}  // namespace snowcache::detail
