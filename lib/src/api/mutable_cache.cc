// The write side: every MutableCache method, each one Txn through the single
// write path (entity_ops.h, txn.h).
#include <algorithm>
#include <set>

#include "api/cache_state.h"
#include "model/entity_ops.h"
#include "model/join.h"
#include "model/rules.h"
#include "api/settings_apply.h"
#include "model/upgrade.h"
#include "snowcache/cache.h"

namespace snowcache {

using detail::Cf;
using detail::Kind;
using detail::Txn;

namespace {

template <class T>
using Native = typename T::NativeTableType;

// The entity under `key` as readers see it (joined, join.h), through `txn`.
template <class T>
Maybe<T> joined_in(Txn& txn, std::string_view key) {
  detail::TxnHomes homes(txn);
  return detail::joined<T>(homes, detail::read_entity<T>(txn, key), detail::describe<T>(key));
}

// Puts a T in one Txn and returns the entity before and after, as readers
// see them. `make` runs inside the Txn (under the writer lock, so a value
// made from what the cache holds loses no concurrent update) and returns the
// packed T.
template <class T, class Make>
Result<Update<T>> put_made(detail::CacheState& s, Make&& make) {
  Txn txn(*s.writer);
  SNOWCACHE_RETURN_IF_ERROR(txn.usable());
  Result<std::string> bytes = make(txn);
  if (!bytes.ok()) return bytes.status();
  std::string key = Kind<T>::key(*flatbuffers::GetRoot<T>(bytes->data()));
  auto old = joined_in<T>(txn, key);
  if (!old.ok()) return old.status();
  auto put = detail::put_entity<T>(txn, *bytes, key);
  if (!put.ok()) return put.status();
  auto now = joined_in<T>(txn, key);
  if (!now.ok()) return now.status();
  SNOWCACHE_RETURN_IF_ERROR(txn.commit());
  return Update<T>{std::move(*old), std::move(*now)};
}

template <class T>
Result<Update<T>> put_one(detail::CacheState& s, const std::string& bytes) {
  return put_made<T>(s, [&](Txn&) -> Result<std::string> { return bytes; });
}

template <class T>
Maybe<T> erase_one(detail::CacheState& s, const std::string& key) {
  if (!s.enabled(Kind<T>::component)) return std::optional<Value<T>>();
  Txn txn(*s.writer);
  SNOWCACHE_RETURN_IF_ERROR(txn.usable());
  auto old = joined_in<T>(txn, key);
  if (!old.ok() || !*old) return old;
  auto gone = detail::erase_entity<T>(txn, key);
  if (!gone.ok()) return gone.status();
  SNOWCACHE_RETURN_IF_ERROR(txn.commit());
  return old;
}

// Erases the given entity keys in one Txn; returns the view of them as they
// were before (the pre-commit snapshot) built by `make_view`.
template <class T, class V, class MakeView>
Result<V> erase_many(detail::CacheState& s, MakeView&& make_view,
                     const std::function<Result<std::vector<std::string>>(Txn&)>& list) {
  Txn txn(*s.writer);
  SNOWCACHE_RETURN_IF_ERROR(txn.usable());
  auto before = txn.before();
  auto ks = list(txn);
  if (!ks.ok()) return ks.status();
  for (const auto& k : *ks) {
    auto r = detail::erase_entity<T>(txn, k);
    if (!r.ok()) return r.status();
  }
  SNOWCACHE_RETURN_IF_ERROR(txn.commit());
  return make_view(before, *ks);
}

// A view over `ks` (entity keys, in this order) at `snap`.
template <class K, class T>
CacheView<K, T> listed_view(std::shared_ptr<const detail::SnapshotHandle> snap, std::vector<std::string> ks,
                            std::size_t key_offset = 0, std::string entity_prefix = {}) {
  auto spec = detail::range_spec<T>(std::move(snap), "", key_offset);
  spec->ordered = std::make_shared<std::vector<std::string>>(std::move(ks));
  spec->entity_prefix = std::move(entity_prefix);
  return detail::make_view<K, T>(std::move(spec));
}

// clear_x for a family keyed by id, optionally restricted to an index prefix.
template <class T>
Result<CacheView<Snowflake, T>> clear_ids(detail::CacheState& s, std::optional<std::string> index_prefix = std::nullopt) {
  if (!s.enabled(Kind<T>::component)) return CacheView<Snowflake, T>();
  return erase_many<T, CacheView<Snowflake, T>>(
      s,
      [](auto snap, const std::vector<std::string>& ks) {
        std::vector<std::string> sorted = ks;
        std::sort(sorted.begin(), sorted.end());
        return listed_view<Snowflake, T>(snap, std::move(sorted));
      },
      [&](Txn& txn) {
        return index_prefix ? detail::index_entities(txn, *index_prefix)
                            : detail::range_keys(txn, Kind<T>::cf, "");
      });
}

template <class T>
Result<CacheView<std::string, fb::Invite>> clear_invite_range(detail::CacheState& s, std::optional<std::string> prefix) {
  if (!s.enabled(Components::kInvites)) return CacheView<std::string, fb::Invite>();
  return erase_many<fb::Invite, CacheView<std::string, fb::Invite>>(
      s, [](auto snap, const std::vector<std::string>& ks) { return listed_view<std::string, fb::Invite>(snap, ks); },
      [&](Txn& txn) {
        return prefix ? detail::index_entities(txn, *prefix)
                      : detail::range_keys(txn, Cf::kInvites, "");
      });
}

// clear for guild|user families within one guild.
template <class T>
Result<CacheView<Snowflake, T>> clear_guild_scoped(detail::CacheState& s, Snowflake guild) {
  if (!s.enabled(Kind<T>::component)) return CacheView<Snowflake, T>();
  return erase_many<T, CacheView<Snowflake, T>>(
      s,
      [guild](auto snap, const std::vector<std::string>& ks) {
        return listed_view<Snowflake, T>(snap, ks, keys::kPairSecond, keys::id(guild));
      },
      [&](Txn& txn) { return detail::range_keys(txn, Kind<T>::cf, keys::id(guild)); });
}

template <class T>
Result<NestedView<T>> clear_nested(detail::CacheState& s) {
  if (!s.enabled(Kind<T>::component)) return NestedView<T>();
  return erase_many<T, NestedView<T>>(
      s,
      [](auto snap, const std::vector<std::string>&) {
        return detail::make_nested_view<T>(detail::range_spec<T>(snap));
      },
      [&](Txn& txn) { return detail::range_keys(txn, Kind<T>::cf, ""); });
}

Status invalid(std::string_view kind, std::string_view what) {
  return Status::InvalidArgument(std::string(kind) + ": " + std::string(what));
}

// Erases the member keys `ks` (guild|user) in one Txn and returns the keys
// really removed: a member still held by a voice state or cached message is
// hidden, not removed, and left out (as delete_member; hikari-reference §3.8).
Result<std::vector<std::string>> erase_members(Txn& txn, const std::vector<std::string>& ks) {
  std::vector<std::string> removed;
  for (const auto& k : ks) {
    auto r = detail::erase_entity<fb::Member>(txn, k);
    if (!r.ok()) return r.status();
    auto rec = txn.member_record(keys::pair_first(k), keys::pair_second(k));
    if (!rec.ok()) return rec.status();
    if (rec->holders == 0) removed.push_back(k);
  }
  return removed;
}

}  // namespace

Result<std::unique_ptr<MutableCache>> MutableCache::open(const std::string& path, Options options) {
  options.read_only = false;
  options.secondary = false;
  auto store = detail::Store::open(path, options);
  if (!store.ok()) return store.status();
  auto state = std::make_shared<detail::CacheState>();
  state->store = std::move(*store);
  state->writer = std::make_unique<detail::Writer>(state->store);
  SNOWCACHE_RETURN_IF_ERROR(detail::upgrade_format(*state));
  auto raw = state->store->get(Cf::kMeta, keys::kMetaSettings);
  if (!raw.ok()) return raw.status();
  auto stored = detail::load_settings(*state->store);
  if (!stored.ok()) return stored.status();
  state->settings = *stored;
  SNOWCACHE_RETURN_IF_ERROR(detail::apply_settings(*state, options.settings.value_or(*stored), *raw != nullptr));
  return std::unique_ptr<MutableCache>(new MutableCache(std::move(state)));
}

Status MutableCache::clear() {
  auto& s = *state_;
  if (s.settings.components == Components::kNone) return {};
  Txn txn(*s.writer);
  SNOWCACHE_RETURN_IF_ERROR(txn.usable());
  for (const auto& family : detail::kFamilies) {
    const Cf cf = family.cf;
    if (cf == Cf::kMeta) continue;
    auto ks = detail::range_keys(txn, cf, "");
    if (!ks.ok()) return ks.status();
    for (const auto& k : *ks) txn.del(cf, k);
  }
  txn.del(Cf::kMeta, keys::kMetaMe);
  txn.reset_counts();
  return txn.commit();
}

// --- guilds ---
Status MutableCache::set_guild(const fb::GuildT& guild) { return update_guild(guild).status(); }

Result<Update<fb::Guild>> MutableCache::update_guild(const fb::GuildT& guild) {
  auto& s = *state_;
  if (!s.enabled(Components::kGuilds)) return Update<fb::Guild>{};
  fb::GuildT g(guild);
  g.unavailable = false;
  // Read under the writer lock: a concurrent member add's member_count is not lost.
  return put_made<fb::Guild>(s, [&](Txn& txn) -> Result<std::string> {
    SNOWCACHE_RETURN_IF_ERROR(detail::merge_guild_update(txn, g, false));
    return detail::pack<fb::Guild>(g);
  });
}

Status MutableCache::set_guild_availability(Snowflake guild, bool is_available) {
  auto& s = *state_;
  if (!s.enabled(Components::kGuilds)) return {};
  Txn txn(*s.writer);
  SNOWCACHE_RETURN_IF_ERROR(txn.usable());
  auto old = detail::read_entity<fb::Guild>(txn, keys::id(guild));
  if (!old.ok()) return old.status();
  if (!*old) return {};
  auto g = (*old)->unpack();
  g->unavailable = !is_available;
  auto put = detail::put_entity<fb::Guild>(txn, detail::pack<fb::Guild>(*g));
  if (!put.ok()) return put.status();
  return txn.commit();
}

Maybe<fb::Guild> MutableCache::delete_guild(Snowflake guild) { return erase_one<fb::Guild>(*state_, keys::id(guild)); }

Result<CacheView<Snowflake, fb::Guild>> MutableCache::clear_guilds() { return clear_ids<fb::Guild>(*state_); }

// --- guild channels ---
Status MutableCache::set_guild_channel(const fb::GuildChannelT& channel) { return update_guild_channel(channel).status(); }

Result<Update<fb::GuildChannel>> MutableCache::update_guild_channel(const fb::GuildChannelT& channel) {
  if (!state_->enabled(Components::kGuildChannels)) return Update<fb::GuildChannel>{};
  if (channel.guild_id == 0) return invalid("guild_channel", "guild_id is required");
  return put_one<fb::GuildChannel>(*state_, detail::pack<fb::GuildChannel>(channel));
}

Maybe<fb::GuildChannel> MutableCache::delete_guild_channel(Snowflake channel) {
  return erase_one<fb::GuildChannel>(*state_, keys::id(channel));
}

Result<CacheView<Snowflake, fb::GuildChannel>> MutableCache::clear_guild_channels() {
  return clear_ids<fb::GuildChannel>(*state_);
}

Result<CacheView<Snowflake, fb::GuildChannel>> MutableCache::clear_guild_channels_for_guild(Snowflake guild) {
  return clear_ids<fb::GuildChannel>(*state_, keys::index_prefix(keys::IndexTag::kChannelByGuild, guild));
}

// --- threads ---
Status MutableCache::set_thread(const fb::ThreadT& thread) { return update_thread(thread).status(); }

Result<Update<fb::Thread>> MutableCache::update_thread(const fb::ThreadT& thread) {
  if (!state_->enabled(Components::kGuildThreads)) return Update<fb::Thread>{};
  if (thread.guild_id == 0) return invalid("thread", "guild_id is required");
  return put_one<fb::Thread>(*state_, detail::pack<fb::Thread>(thread));
}

Maybe<fb::Thread> MutableCache::delete_thread(Snowflake thread) { return erase_one<fb::Thread>(*state_, keys::id(thread)); }

Result<CacheView<Snowflake, fb::Thread>> MutableCache::clear_threads() { return clear_ids<fb::Thread>(*state_); }

Result<CacheView<Snowflake, fb::Thread>> MutableCache::clear_threads_for_guild(Snowflake guild) {
  return clear_ids<fb::Thread>(*state_, keys::index_prefix(keys::IndexTag::kThreadByGuild, guild));
}

Result<CacheView<Snowflake, fb::Thread>> MutableCache::clear_threads_for_channel(Snowflake guild, Snowflake channel) {
  return clear_ids<fb::Thread>(*state_, keys::index_prefix(keys::IndexTag::kThreadByGuild, guild, channel));
}

// --- roles ---
Status MutableCache::set_role(const fb::RoleT& role) { return update_role(role).status(); }

Result<Update<fb::Role>> MutableCache::update_role(const fb::RoleT& role) {
  if (!state_->enabled(Components::kRoles)) return Update<fb::Role>{};
  if (role.guild_id == 0) return invalid("role", "guild_id is required");
  return put_one<fb::Role>(*state_, detail::pack<fb::Role>(role));
}

Maybe<fb::Role> MutableCache::delete_role(Snowflake role) { return erase_one<fb::Role>(*state_, keys::id(role)); }

Result<CacheView<Snowflake, fb::Role>> MutableCache::clear_roles() { return clear_ids<fb::Role>(*state_); }

Result<CacheView<Snowflake, fb::Role>> MutableCache::clear_roles_for_guild(Snowflake guild) {
  return clear_ids<fb::Role>(*state_, keys::index_prefix(keys::IndexTag::kRoleByGuild, guild));
}

// --- emojis ---
Status MutableCache::set_emoji(const fb::EmojiT& emoji) { return update_emoji(emoji).status(); }

Result<Update<fb::Emoji>> MutableCache::update_emoji(const fb::EmojiT& emoji) {
  if (!state_->enabled(Components::kEmojis)) return Update<fb::Emoji>{};
  if (emoji.guild_id == 0) return invalid("emoji", "guild_id is required");
  return put_one<fb::Emoji>(*state_, detail::pack<fb::Emoji>(emoji));
}

Maybe<fb::Emoji> MutableCache::delete_emoji(Snowflake emoji) { return erase_one<fb::Emoji>(*state_, keys::id(emoji)); }

Result<CacheView<Snowflake, fb::Emoji>> MutableCache::clear_emojis() { return clear_ids<fb::Emoji>(*state_); }

Result<CacheView<Snowflake, fb::Emoji>> MutableCache::clear_emojis_for_guild(Snowflake guild) {
  return clear_ids<fb::Emoji>(*state_, keys::index_prefix(keys::IndexTag::kEmojiByGuild, guild));
}

// --- stickers ---
Status MutableCache::set_sticker(const fb::StickerT& sticker) {
  if (!state_->enabled(Components::kGuildStickers)) return {};
  if (sticker.guild_id == 0) return invalid("sticker", "guild_id is required");
  return put_one<fb::Sticker>(*state_, detail::pack<fb::Sticker>(sticker)).status();
}

Maybe<fb::Sticker> MutableCache::delete_sticker(Snowflake sticker) {
  return erase_one<fb::Sticker>(*state_, keys::id(sticker));
}

Result<CacheView<Snowflake, fb::Sticker>> MutableCache::clear_stickers() { return clear_ids<fb::Sticker>(*state_); }

Result<CacheView<Snowflake, fb::Sticker>> MutableCache::clear_stickers_for_guild(Snowflake guild) {
  return clear_ids<fb::Sticker>(*state_, keys::index_prefix(keys::IndexTag::kStickerByGuild, guild));
}

// --- invites ---
Status MutableCache::set_invite(const fb::InviteT& invite) { return update_invite(invite).status(); }

Result<Update<fb::Invite>> MutableCache::update_invite(const fb::InviteT& invite) {
  if (!state_->enabled(Components::kInvites)) return Update<fb::Invite>{};
  if (invite.code.empty()) return invalid("invite", "code is required");
  return put_one<fb::Invite>(*state_, detail::pack<fb::Invite>(invite));
}

Maybe<fb::Invite> MutableCache::delete_invite(const std::string& code) { return erase_one<fb::Invite>(*state_, code); }

Result<CacheView<std::string, fb::Invite>> MutableCache::clear_invites() {
  return clear_invite_range<fb::Invite>(*state_, std::nullopt);
}

Result<CacheView<std::string, fb::Invite>> MutableCache::clear_invites_for_guild(Snowflake guild) {
  return clear_invite_range<fb::Invite>(*state_, keys::index_prefix(keys::IndexTag::kInviteByGuild, guild));
}

Result<CacheView<std::string, fb::Invite>> MutableCache::clear_invites_for_channel(Snowflake guild, Snowflake channel) {
  return clear_invite_range<fb::Invite>(*state_, keys::index_prefix(keys::IndexTag::kInviteByGuild, guild, channel));
}

// --- members ---
Status MutableCache::set_member(const fb::MemberT& member) { return update_member(member).status(); }

Result<Update<fb::Member>> MutableCache::update_member(const fb::MemberT& member) {
  if (!state_->enabled(Components::kMembers)) return Update<fb::Member>{};
  if (!member.user) return invalid("member", "user is required");
  if (member.guild_id == 0) return invalid("member", "guild_id is required");
  return put_one<fb::Member>(*state_, detail::pack<fb::Member>(member));
}

Maybe<fb::Member> MutableCache::delete_member(Snowflake guild, Snowflake user) {
  auto& s = *state_;
  if (!s.enabled(Components::kMembers)) return std::optional<Value<fb::Member>>();
  Txn txn(*s.writer);
  SNOWCACHE_RETURN_IF_ERROR(txn.usable());
  std::string key = keys::pair(guild, user);
  auto old = joined_in<fb::Member>(txn, key);
  if (!old.ok() || !*old) return old;
  auto gone = detail::erase_entity<fb::Member>(txn, key);
  if (!gone.ok()) return gone.status();
  auto rec = txn.member_record(guild, user);
  if (!rec.ok()) return rec.status();
  SNOWCACHE_RETURN_IF_ERROR(txn.commit());
  // Still held by a voice state or message: hidden, not removed (hikari returns None).
  if (rec->holders > 0) return std::optional<Value<fb::Member>>();
  return old;
}

Result<NestedView<fb::Member>> MutableCache::clear_members() {
  auto& s = *state_;
  if (!s.enabled(Components::kMembers)) return NestedView<fb::Member>();
  Txn txn(*s.writer);
  SNOWCACHE_RETURN_IF_ERROR(txn.usable());
  auto before = txn.before();
  auto ks = detail::range_keys(txn, Cf::kMembers, "");
  if (!ks.ok()) return ks.status();
  auto removed = erase_members(txn, *ks);
  if (!removed.ok()) return removed.status();
  SNOWCACHE_RETURN_IF_ERROR(txn.commit());
  auto spec = detail::range_spec<fb::Member>(before);
  auto gone = std::make_shared<const std::set<std::string>>(removed->begin(), removed->end());
  spec->filter_on_scan = true;
  spec->accept = [gone](std::string_view ek, const detail::Bytes&) { return gone->count(std::string(ek)) > 0; };
  return detail::make_nested_view<fb::Member>(std::move(spec));
}

Result<CacheView<Snowflake, fb::Member>> MutableCache::clear_members_for_guild(Snowflake guild) {
  auto& s = *state_;
  if (!s.enabled(Components::kMembers)) return CacheView<Snowflake, fb::Member>();
  Txn txn(*s.writer);
  SNOWCACHE_RETURN_IF_ERROR(txn.usable());
  auto before = txn.before();
  auto ks = detail::range_keys(txn, Cf::kMembers, keys::id(guild));
  if (!ks.ok()) return ks.status();
  auto removed = erase_members(txn, *ks);
  if (!removed.ok()) return removed.status();
  SNOWCACHE_RETURN_IF_ERROR(txn.commit());
  return listed_view<Snowflake, fb::Member>(before, std::move(*removed), keys::kPairSecond, keys::id(guild));
}

// --- presences ---
Status MutableCache::set_presence(const fb::PresenceT& presence) { return update_presence(presence).status(); }

Result<Update<fb::Presence>> MutableCache::update_presence(const fb::PresenceT& presence) {
  if (!state_->enabled(Components::kPresences)) return Update<fb::Presence>{};
  if (presence.guild_id == 0) return invalid("presence", "guild_id is required");
  return put_one<fb::Presence>(*state_, detail::pack<fb::Presence>(presence));
}

Maybe<fb::Presence> MutableCache::delete_presence(Snowflake guild, Snowflake user) {
  return erase_one<fb::Presence>(*state_, keys::pair(guild, user));
}

Result<NestedView<fb::Presence>> MutableCache::clear_presences() { return clear_nested<fb::Presence>(*state_); }

Result<CacheView<Snowflake, fb::Presence>> MutableCache::clear_presences_for_guild(Snowflake guild) {
  return clear_guild_scoped<fb::Presence>(*state_, guild);
}

// --- voice states ---
Status MutableCache::set_voice_state(const fb::VoiceStateT& voice_state) {
  return update_voice_state(voice_state).status();
}

Result<Update<fb::VoiceState>> MutableCache::update_voice_state(const fb::VoiceStateT& voice_state) {
  auto& s = *state_;
  if (!s.enabled(Components::kVoiceStates)) return Update<fb::VoiceState>{};
  if (voice_state.guild_id == 0) return invalid("voice_state", "guild_id is required");
  if (voice_state.member && !voice_state.member->user) return invalid("voice_state", "member.user is required");
  Txn txn(*s.writer);
  SNOWCACHE_RETURN_IF_ERROR(txn.usable());
  std::string key = keys::pair(Snowflake(voice_state.guild_id), Snowflake(voice_state.user_id));
  auto old = joined_in<fb::VoiceState>(txn, key);
  if (!old.ok()) return old.status();
  auto put = detail::put_voice_state(txn, detail::pack<fb::VoiceState>(voice_state));
  if (!put.ok()) return put.status();
  auto now = joined_in<fb::VoiceState>(txn, key);
  if (!now.ok()) return now.status();
  SNOWCACHE_RETURN_IF_ERROR(txn.commit());
  return Update<fb::VoiceState>{std::move(*old), std::move(*now)};
}

Maybe<fb::VoiceState> MutableCache::delete_voice_state(Snowflake guild, Snowflake user) {
  return erase_one<fb::VoiceState>(*state_, keys::pair(guild, user));
}

Result<NestedView<fb::VoiceState>> MutableCache::clear_voice_states() { return clear_nested<fb::VoiceState>(*state_); }

Result<CacheView<Snowflake, fb::VoiceState>> MutableCache::clear_voice_states_for_guild(Snowflake guild) {
  return clear_guild_scoped<fb::VoiceState>(*state_, guild);
}

Result<CacheView<Snowflake, fb::VoiceState>> MutableCache::clear_voice_states_for_channel(Snowflake guild,
                                                                                          Snowflake channel) {
  if (!state_->enabled(Components::kVoiceStates)) return CacheView<Snowflake, fb::VoiceState>();
  return erase_many<fb::VoiceState, CacheView<Snowflake, fb::VoiceState>>(
      *state_,
      [guild](auto snap, const std::vector<std::string>& ks) {
        return listed_view<Snowflake, fb::VoiceState>(snap, ks, keys::kPairSecond, keys::id(guild));
      },
      [&](Txn& txn) {
        return detail::index_entities(txn, keys::index_prefix(keys::IndexTag::kVoiceByChannel, guild, channel));
      });
}

// --- messages ---
Status MutableCache::set_message(const fb::MessageT& message) {
  auto& s = *state_;
  if (!s.enabled(Components::kMessages)) return {};
  if (message.channel_id == 0) return invalid("message", "channel_id is required");
  if (message.member && !message.member->user) return invalid("message", "member.user is required");
  Txn txn(*s.writer);
  SNOWCACHE_RETURN_IF_ERROR(txn.usable());
  SNOWCACHE_RETURN_IF_ERROR(detail::put_message(txn, detail::pack<fb::Message>(message), s.settings.max_messages).status());
  return txn.commit();
}

Result<Update<fb::Message>> MutableCache::update_message(const fb::MessageT& message) {
  auto& s = *state_;
  if (!s.enabled(Components::kMessages)) return Update<fb::Message>{};
  Txn txn(*s.writer);
  SNOWCACHE_RETURN_IF_ERROR(txn.usable());
  std::string key = keys::id(Snowflake(message.id));
  auto old = joined_in<fb::Message>(txn, key);
  if (!old.ok()) return old.status();
  if (!*old) return Update<fb::Message>{};  // an update never creates a message (R4)
  auto r = detail::patch_message(txn, message);
  if (!r.ok()) return r.status();
  auto now = joined_in<fb::Message>(txn, key);
  if (!now.ok()) return now.status();
  SNOWCACHE_RETURN_IF_ERROR(txn.commit());
  return Update<fb::Message>{std::move(*old), std::move(*now)};
}

Maybe<fb::Message> MutableCache::delete_message(Snowflake message) {
  return erase_one<fb::Message>(*state_, keys::id(message));
}

Result<CacheView<Snowflake, fb::Message>> MutableCache::clear_messages() { return clear_ids<fb::Message>(*state_); }

// --- me ---
Status MutableCache::set_me(const fb::OwnUserT& user) { return update_me(user).status(); }

Result<Update<fb::OwnUser>> MutableCache::update_me(const fb::OwnUserT& user) {
  auto& s = *state_;
  if (!s.enabled(Components::kMe)) return Update<fb::OwnUser>{};
  std::string bytes = detail::pack<fb::OwnUser>(user);
  Txn txn(*s.writer);
  SNOWCACHE_RETURN_IF_ERROR(txn.usable());
  auto raw = txn.get(Cf::kMeta, keys::kMetaMe);  // read under the writer lock: no update lost
  if (!raw.ok()) return raw.status();
  std::optional<Value<fb::OwnUser>> old;
  if (*raw) {
    auto v = Value<fb::OwnUser>::verify(*raw, "me");
    if (!v.ok()) return v.status();
    old = std::move(*v);
  }
  txn.put(Cf::kMeta, keys::kMetaMe, bytes);
  // The bot's own user record, when cached, is refreshed too (SEMANTICS.md E1).
  SNOWCACHE_RETURN_IF_ERROR(detail::write_own_user(txn, *flatbuffers::GetRoot<fb::OwnUser>(bytes.data())));
  SNOWCACHE_RETURN_IF_ERROR(txn.commit());
  auto now = Value<fb::OwnUser>::verify(detail::Bytes::copy_of(bytes), "me");
  if (!now.ok()) return now.status();
  return Update<fb::OwnUser>{std::move(old), std::move(*now)};
}

Maybe<fb::OwnUser> MutableCache::delete_me() {
  auto& s = *state_;
  Txn txn(*s.writer);
  SNOWCACHE_RETURN_IF_ERROR(txn.usable());
  auto raw = txn.get(Cf::kMeta, keys::kMetaMe);
  if (!raw.ok()) return raw.status();
  if (!*raw) return std::optional<Value<fb::OwnUser>>();
  auto old = Value<fb::OwnUser>::verify(*raw, "me");
  if (!old.ok()) return old.status();
  txn.del(Cf::kMeta, keys::kMetaMe);
  SNOWCACHE_RETURN_IF_ERROR(txn.commit());
  return std::optional<Value<fb::OwnUser>>(std::move(*old));
}

// --- DM channel ids ---
Status MutableCache::set_dm_channel_id(Snowflake user, Snowflake channel) {
  auto& s = *state_;
  if (!s.enabled(Components::kDmChannelIds)) return {};
  Txn txn(*s.writer);
  SNOWCACHE_RETURN_IF_ERROR(txn.usable());
  SNOWCACHE_RETURN_IF_ERROR(detail::record_dm_channel(txn, user, channel, s.settings.max_dm_channel_ids));
  return txn.commit();
}

Result<std::optional<Snowflake>> MutableCache::delete_dm_channel_id(Snowflake user) {
  auto old = erase_one<fb::DmChannelId>(*state_, keys::id(user));
  if (!old.ok()) return old.status();
  if (!*old) return std::optional<Snowflake>();
  return std::optional<Snowflake>(Snowflake((**old)->channel_id()));
}

Result<CacheView<Snowflake, fb::DmChannelId>> MutableCache::clear_dm_channel_ids() {
  auto& s = *state_;
  if (!s.enabled(Components::kDmChannelIds)) return CacheView<Snowflake, fb::DmChannelId>();
  Txn txn(*s.writer);
  SNOWCACHE_RETURN_IF_ERROR(txn.usable());
  auto before = txn.before();
  SNOWCACHE_RETURN_IF_ERROR(detail::erase_all(txn, Cf::kDmChannelIds));
  SNOWCACHE_RETURN_IF_ERROR(txn.commit());
  return detail::dm_channel_ids_in_order(before);
}

}  // namespace snowcache
