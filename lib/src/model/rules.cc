#include "model/rules.h"

#include "model/fb_copy.h"
#include "model/settings_apply.h"

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

namespace {

template <class T>
Status erase_listed(Txn& txn, const std::vector<std::string>& ks) {
  for (const auto& k : ks) {
    auto r = erase_entity<T>(txn, k);
    if (!r.ok()) return r.status();
  }
  return {};
}

template <class T>
Status erase_by_index(Txn& txn, keys::IndexTag tag, Snowflake guild, std::size_t entity_offset) {
  auto ks = index_entities(txn, keys::index_prefix(tag, guild), entity_offset);
  if (!ks.ok()) return ks.status();
  return erase_listed<T>(txn, *ks);
}

template <class T>
Status erase_by_prefix(Txn& txn, Snowflake guild) {
  auto ks = range_keys(txn, Kind<T>::cf, keys::id(guild));
  if (!ks.ok()) return ks.status();
  return erase_listed<T>(txn, *ks);
}

}  // namespace

template <>
Status erase_for_guild<fb::GuildChannel>(Txn& txn, Snowflake g) {
  return erase_by_index<fb::GuildChannel>(txn, keys::IndexTag::kChannelByGuild, g, 1 + keys::kIdSize);
}
template <>
Status erase_for_guild<fb::Thread>(Txn& txn, Snowflake g) {
  return erase_by_index<fb::Thread>(txn, keys::IndexTag::kThreadByGuild, g, 1 + 2 * keys::kIdSize);
}
template <>
Status erase_for_guild<fb::Role>(Txn& txn, Snowflake g) {
  return erase_by_index<fb::Role>(txn, keys::IndexTag::kRoleByGuild, g, 1 + keys::kIdSize);
}
template <>
Status erase_for_guild<fb::Emoji>(Txn& txn, Snowflake g) {
  return erase_by_index<fb::Emoji>(txn, keys::IndexTag::kEmojiByGuild, g, 1 + keys::kIdSize);
}
template <>
Status erase_for_guild<fb::Sticker>(Txn& txn, Snowflake g) {
  return erase_by_index<fb::Sticker>(txn, keys::IndexTag::kStickerByGuild, g, 1 + keys::kIdSize);
}
template <>
Status erase_for_guild<fb::Invite>(Txn& txn, Snowflake g) {
  return erase_by_index<fb::Invite>(txn, keys::IndexTag::kInviteByGuild, g, 1 + 2 * keys::kIdSize);
}
template <>
Status erase_for_guild<fb::Message>(Txn& txn, Snowflake g) {
  return erase_by_index<fb::Message>(txn, keys::IndexTag::kMessageByGuild, g, 1 + keys::kIdSize);
}
template <>
Status erase_for_guild<fb::Member>(Txn& txn, Snowflake g) {
  return erase_by_prefix<fb::Member>(txn, g);
}
template <>
Status erase_for_guild<fb::Presence>(Txn& txn, Snowflake g) {
  return erase_by_prefix<fb::Presence>(txn, g);
}
template <>
Status erase_for_guild<fb::VoiceState>(Txn& txn, Snowflake g) {
  return erase_by_prefix<fb::VoiceState>(txn, g);
}

Status erase_guild_scope(Txn& txn, Snowflake guild, Components which) {
  auto on = [&](Components c) { return has_all(which, c); };
  // Holders before what they hold: voice states and messages release members.
  if (on(Components::kVoiceStates)) SNOWCACHE_RETURN_IF_ERROR(erase_for_guild<fb::VoiceState>(txn, guild));
  if (on(Components::kMessages)) SNOWCACHE_RETURN_IF_ERROR(erase_for_guild<fb::Message>(txn, guild));
  if (on(Components::kInvites)) SNOWCACHE_RETURN_IF_ERROR(erase_for_guild<fb::Invite>(txn, guild));
  if (on(Components::kMembers)) SNOWCACHE_RETURN_IF_ERROR(erase_for_guild<fb::Member>(txn, guild));
  if (on(Components::kPresences)) SNOWCACHE_RETURN_IF_ERROR(erase_for_guild<fb::Presence>(txn, guild));
  if (on(Components::kGuildChannels)) SNOWCACHE_RETURN_IF_ERROR(erase_for_guild<fb::GuildChannel>(txn, guild));
  if (on(Components::kGuildThreads)) SNOWCACHE_RETURN_IF_ERROR(erase_for_guild<fb::Thread>(txn, guild));
  if (on(Components::kEmojis)) SNOWCACHE_RETURN_IF_ERROR(erase_for_guild<fb::Emoji>(txn, guild));
  if (on(Components::kGuildStickers)) SNOWCACHE_RETURN_IF_ERROR(erase_for_guild<fb::Sticker>(txn, guild));
  if (on(Components::kRoles)) SNOWCACHE_RETURN_IF_ERROR(erase_for_guild<fb::Role>(txn, guild));
  if (on(Components::kMembers) || on(Components::kPresences)) return reset_sweep(txn, guild, false);
  return {};
}

Status reset_sweep(Txn& txn, Snowflake guild, bool open) {
  std::string prefix = keys::sweep_prefix(guild);
  auto all = range_keys(txn, Cf::kMeta, prefix);  // the window key, marks, chunk progress
  if (!all.ok()) return all.status();
  for (const auto& k : *all) txn.del(Cf::kMeta, k);
  txn.set_sweep_open(guild, open);
  return {};
}

Result<bool> has_members_or_presences(Txn& txn, Snowflake guild) {
  std::string prefix = keys::id(guild), upper = keys::successor(prefix);
  for (Cf cf : {Cf::kMembers, Cf::kPresences}) {
    bool any = false;
    auto st = txn.scan(cf, prefix, upper, [&](std::string_view, std::string_view) { return !(any = true); });
    if (!st.ok()) return st;
    if (any) return true;
  }
  return false;
}

namespace {

// Removes the guild's entities of T whose sweep mark is missing.
template <class T>
Status sweep_unmarked(Txn& txn, Snowflake guild, keys::SweepMark kind) {
  auto all = range_keys(txn, Kind<T>::cf, keys::id(guild));
  if (!all.ok()) return all.status();
  for (const auto& k : *all) {
    auto mark = txn.get(Cf::kMeta, keys::sweep_mark(guild, kind, keys::last_id(k)));
    if (!mark.ok()) return mark.status();
    if (*mark) continue;
    if (auto gone = erase_entity<T>(txn, k); !gone.ok()) return gone.status();
  }
  return {};
}

}  // namespace

Status record_chunk(Txn& txn, Snowflake guild, std::string_view nonce, std::uint32_t index, std::uint32_t count,
                    std::uint64_t members, bool not_found) {
  if (index >= count) {
    return Status::InvalidArgument("d.chunk_index: " + std::to_string(index) + " is not below chunk_count " +
                                   std::to_string(count));
  }
  auto open = txn.sweep_open(guild);
  if (!open.ok()) return open.status();
  if (!*open) return {};
  std::string key = keys::chunk_progress_key(guild, nonce);
  auto raw = txn.get(Cf::kMeta, key);
  if (!raw.ok()) return raw.status();
  std::optional<keys::ChunkProgress> p;
  if (*raw) p = keys::decode_chunk_progress((*raw)->view());
  // A sequence of another length under the same nonce starts over.
  if (!p || p->chunk_count != count) p = keys::new_chunk_progress(count);
  if (!p->has(index)) {
    p->set(index);
    p->members += members;
  }
  p->not_found = p->not_found || not_found;
  if (!p->complete()) {
    txn.put(Cf::kMeta, key, keys::encode_chunk_progress(*p));
    return {};
  }
  txn.del(Cf::kMeta, key);
  if (p->not_found) return {};  // a query's answer: never a full list
  auto g = read_entity<fb::Guild>(txn, keys::id(guild));
  if (!g.ok()) return g.status();
  if (!*g || !(**g)->member_count() || p->members < static_cast<std::uint64_t>(*(**g)->member_count())) return {};
  SNOWCACHE_RETURN_IF_ERROR(sweep_unmarked<fb::Member>(txn, guild, keys::SweepMark::kMember));
  SNOWCACHE_RETURN_IF_ERROR(sweep_unmarked<fb::Presence>(txn, guild, keys::SweepMark::kPresence));
  // Everything left was written since the GUILD_CREATE: a later list would sweep nothing.
  return reset_sweep(txn, guild, false);
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

}  // namespace snowcache::detail

namespace snowcache::detail {

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

Status cached_guild_ids(Txn& txn, std::set<std::uint64_t>& out) {
  auto add_at = [&](std::size_t offset) {
    return [&out, offset](std::string_view group) {
      out.insert(keys::id_at(group, offset).value());
      return true;
    };
  };
  SNOWCACHE_RETURN_IF_ERROR(txn.scan_groups(Cf::kGuilds, "", keys::kIdSize, add_at(0)));
  for (Cf cf : {Cf::kMembers, Cf::kPresences, Cf::kVoiceStates}) {
    SNOWCACHE_RETURN_IF_ERROR(txn.scan_groups(cf, "", keys::kIdSize, add_at(0)));
  }
  for (auto tag : {keys::IndexTag::kChannelByGuild, keys::IndexTag::kThreadByGuild, keys::IndexTag::kRoleByGuild,
                   keys::IndexTag::kEmojiByGuild, keys::IndexTag::kStickerByGuild, keys::IndexTag::kInviteByGuild,
                   keys::IndexTag::kVoiceByChannel, keys::IndexTag::kMessageByGuild}) {
    SNOWCACHE_RETURN_IF_ERROR(txn.scan_groups(Cf::kIndex, keys::index_prefix(tag), 1 + keys::kIdSize, add_at(1)));
  }
  return {};
}

}  // namespace snowcache::detail
