#include "model/rules.h"

#include <algorithm>

#include "model/fb_copy.h"

namespace snowcache::detail {

Maybe<fb::VoiceState> put_voice_state(Txn& txn, std::string bytes) {
  const auto* vs = flatbuffers::GetRoot<fb::VoiceState>(bytes.data());
  if (!vs->member()) {
    // No member in the payload: the voice state holds the cached one, listed
    // or hidden (R4, D13).
    auto rec = txn.member_record(sf(vs->guild_id()), sf(vs->user_id()));
    if (!rec.ok()) return rec.status();
    if (rec->alive()) {
      flatbuffers::FlatBufferBuilder fbb(256);
      CopyEdits edits;
      edits.add_offsets.emplace_back(object_fields<fb::VoiceState>().members.front(),
                                     member_reference(fbb, vs->guild_id(), vs->user_id()));
      const auto& t = *reinterpret_cast<const flatbuffers::Table*>(vs);
      bytes = finish_bytes(fbb, copy_table(fbb, fb::VoiceStateTypeTable(), t, edits));
    }
  }
  return put_entity<fb::VoiceState>(txn, bytes);
}

std::string with_member(std::string_view voice_state, std::string_view member) {
  flatbuffers::FlatBufferBuilder fbb(512);
  const auto& m = *flatbuffers::GetRoot<flatbuffers::Table>(member.data());
  CopyEdits edits;
  edits.add_offsets.emplace_back(object_fields<fb::VoiceState>().members.front(),
                                 copy_table(fbb, fb::MemberTypeTable(), m));
  const auto& vs = *flatbuffers::GetRoot<flatbuffers::Table>(voice_state.data());
  return finish_bytes(fbb, copy_table(fbb, fb::VoiceStateTypeTable(), vs, edits));
}

Status merge_guild_update(Txn& txn, fb::GuildT& guild, bool is_update) {
  if (!is_update && guild.member_count) return {};
  auto old = read_entity<fb::Guild>(txn, keys::id(Snowflake(guild.id)));
  if (!old.ok()) return old.status();
  if (!*old) return {};
  const fb::Guild& o = ***old;
  if (o.member_count()) guild.member_count = *o.member_count();
  guild.large = o.large();
  if (o.joined_at()) guild.joined_at = o.joined_at()->str();
  return {};
}

Maybe<fb::Message> put_message(Txn& txn, const std::string& bytes, std::uint32_t max_messages) {
  auto old = put_entity<fb::Message>(txn, bytes);
  if (!old.ok()) return old;
  SNOWCACHE_RETURN_IF_ERROR(enforce_message_limit(txn, max_messages));
  return old;
}

Maybe<fb::Message> patch_message(Txn& txn, fb::MessageT patched) {
  auto cached = read_entity<fb::Message>(txn, keys::id(Snowflake(patched.id)));
  if (!cached.ok() || !*cached) return cached;
  auto was = (*cached)->unpack();
  // As cached: references to the author and the author's member (their
  // records are refreshed by the objects a payload carries, not here).
  patched.author = std::move(was->author);
  patched.member = std::move(was->member);
  patched.guild_id = was->guild_id;
  patched.channel_id = was->channel_id;
  patched.referenced_message = std::move(was->referenced_message);
  patched.referenced_message_deleted = was->referenced_message_deleted;
  return put_entity<fb::Message>(txn, pack<fb::Message>(patched));
}

Status adjust_member_count(Txn& txn, Snowflake guild, int delta) {
  auto g = read_entity<fb::Guild>(txn, keys::id(guild));
  if (!g.ok()) return g.status();
  if (!*g) return {};
  auto native = (*g)->unpack();
  std::int64_t n = native->member_count.value_or(0) + delta;
  native->member_count = static_cast<std::int32_t>(n < 0 ? 0 : n);
  auto put = put_entity<fb::Guild>(txn, pack<fb::Guild>(*native));
  return put.status();
}

Status record_dm_channel(Txn& txn, Snowflake user, Snowflake channel, std::uint32_t max_dm_channel_ids) {
  auto old = read_entity<fb::DmChannelId>(txn, keys::id(user));
  if (!old.ok()) return old.status();
  std::uint64_t seq = 0;
  if (*old) {
    seq = (**old)->seq();  // re-recording keeps the original position
  } else {
    auto raw = txn.get(Cf::kMeta, keys::kMetaDmSeq);
    if (!raw.ok()) return raw.status();
    if (*raw) seq = static_cast<std::uint64_t>(keys::decode_count((*raw)->view()).value_or(0));
    txn.put(Cf::kMeta, keys::kMetaDmSeq, keys::encode_count(static_cast<std::int64_t>(seq + 1)));
  }
  fb::DmChannelIdT dm;
  dm.channel_id = channel.value();
  dm.seq = seq;
  auto put = put_entity<fb::DmChannelId>(txn, pack<fb::DmChannelId>(dm), keys::id(user));
  if (!put.ok()) return put.status();
  return enforce_dm_limit(txn, max_dm_channel_ids);
}

Status erase_keys(Txn& txn, Cf cf, const std::vector<std::string>& ks) {
  return for_kind(
      cf, [&]<class T>(std::type_identity<T>) { return erase_keys<T>(txn, ks); },
      Status::InvalidArgument(std::string(cf_name(cf)) + " is not an entity family"));
}

Status erase_all(Txn& txn, Cf cf) {
  auto ks = range_keys(txn, cf, "");
  if (!ks.ok()) return ks.status();
  return erase_keys(txn, cf, *ks);
}

Status enforce_message_limit(Txn& txn, std::uint32_t max_messages) {
  // The kept count says whether anything must go, without a scan.
  auto n = txn.current_count(Cf::kMessages);
  if (!n.ok()) return n.status();
  if (*n <= static_cast<std::int64_t>(max_messages)) return {};
  auto excess = static_cast<std::size_t>(*n - max_messages);
  std::vector<std::string> oldest;  // the smallest ids are the oldest
  // From the floor, not from the start: the evicted messages' tombstones
  // below it would make every eviction slower than the last.
  auto st = txn.scan(Cf::kMessages, txn.message_floor(), "", [&](std::string_view k, std::string_view) {
    oldest.emplace_back(k);
    return oldest.size() < excess;
  });
  if (!st.ok()) return st;
  if (!oldest.empty()) txn.raise_message_floor(oldest.back());
  return erase_keys<fb::Message>(txn, oldest);
}

namespace {

// DM entries (user key, seq) as the transaction sees them.
Result<std::vector<std::pair<std::uint64_t, std::string>>> dm_entries(Txn& txn) {
  std::vector<std::pair<std::uint64_t, std::string>> out;
  Status bad;
  auto st = txn.scan(Cf::kDmChannelIds, "", "", [&](std::string_view k, std::string_view v) {
    auto b = Bytes::copy_of(v);
    auto dm = Value<fb::DmChannelId>::verify(b, describe<fb::DmChannelId>(k));
    if (!dm.ok()) {
      bad = dm.status();
      return false;
    }
    out.emplace_back((*dm)->seq(), std::string(k));
    return true;
  });
  if (!st.ok()) return st;
  if (!bad.ok()) return bad;
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

Status enforce_dm_limit(Txn& txn, std::uint32_t max_dm_channel_ids) {
  auto n = txn.current_count(Cf::kDmChannelIds);
  if (!n.ok()) return n.status();
  if (*n <= static_cast<std::int64_t>(max_dm_channel_ids)) return {};
  auto es = dm_entries(txn);
  if (!es.ok()) return es.status();
  if (es->size() <= max_dm_channel_ids) return {};
  std::vector<std::string> ks;
  for (std::size_t i = 0; i < es->size() - max_dm_channel_ids; ++i) ks.push_back((*es)[i].second);
  return erase_keys<fb::DmChannelId>(txn, ks);
}

}  // namespace snowcache::detail
