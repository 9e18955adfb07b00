// snowcache/cache.h — Cache (read side) and MutableCache (write side): every
// method of hikari's Cache / MutableCache interface, one to one by name.
//
// Arguments that hikari calls "Snowflakeish" are Snowflake ids; invites are
// keyed by their code. Setters take the object-API type of the entity
// (fb::GuildT, ...); getters return Value<T> handles over the stored,
// verified FlatBuffer (see value.h) and views (see view.h).
//
// Returns:
//   get_x        Maybe<T>: a value, an empty optional on a miss, or an error
//                (Code::kCorruption for a value that fails verification,
//                Code::kIOError for the filesystem). A fault is never a miss.
//   get_x_view*  a CacheView snapshot (reading it may throw snowcache::Error on a
//                fault; so may taking one of the ordered views, see view.h).
//   set_x        Status.
//   update_x     Result<Update<T>>: the entity before and after.
//   delete_x     Maybe<T>: what was removed (nothing when it was absent).
//   clear_x      Result<CacheView>: a view of what was removed.
// Component gating (semantics.md R1): when the kind's component is disabled,
// getters miss, views are empty, setters do nothing (OK), update returns
// (none, none), delete returns nothing, clear returns an empty view. Users,
// get_guilds_view, get_threads_view, get_me and delete_me are ungated.
//
// Users and members inside entities (a member's user, a message's author,
// member and mentions, a voice state's member, an emoji's or sticker's
// creator, an invite's inviter and target) are records of their own, stored
// once: a setter writes the ones it carries (the newest object wins; a user
// object with nothing but its id changes no user), and every getter, view
// and update_x result shows them as they are now, not as the entity carried
// them (docs/SEMANTICS.md E1, E2, E5).
//
// Bad input: an entity missing its scope (a member without user, an emoji
// without guild id), or carrying a member object of another guild or user
// than its own, is Code::kInvalidArgument and writes nothing.
//
// Errors of every mutation (set_x, update_x, delete_x, clear_x, clear):
// Code::kInvalidArgument as above; Code::kIOError when RocksDB cannot write
// (nothing of the batch is applied); after such a failed write the handle
// refuses every later mutation with Code::kFailed until the cache is
// reopened. Getters and views: Code::kCorruption, Code::kIOError.
//
// Thread safety: every method may be called from any thread. Writes are
// serialised by one writer lock; reads never take it. Each mutation is one
// atomic RocksDB batch, reference counts and index entries included.
//
// Lifetimes: a Value<T> owns a copy of its bytes and outlives everything
// (value.h). A view keeps its snapshot, and so the open database, alive:
// destroying the handle closes the cache only once no view taken from it is
// left (until then, reopening the directory for writing gets Code::kInUse).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "dm_channel_id_generated.h"
#include "emoji_generated.h"
#include "guild_channel_generated.h"
#include "guild_generated.h"
#include "invite_generated.h"
#include "member_generated.h"
#include "message_generated.h"
#include "own_user_generated.h"
#include "presence_generated.h"
#include "role_generated.h"
#include "snowcache/settings.h"
#include "snowcache/snowflake.h"
#include "snowcache/status.h"
#include "snowcache/value.h"
#include "snowcache/view.h"
#include "sticker_generated.h"
#include "thread_generated.h"
#include "user_generated.h"
#include "voice_state_generated.h"

namespace snowcache {

namespace detail {
struct CacheState;
struct Access;
}

class MutableCache;

// Read side (hikari's Cache).
class Cache {
 public:
  // Opens a cache read-only (Options::read_only, or Options::secondary for the
  // live cache of another process). For writing use MutableCache::open.
  // read_only is implied unless secondary is set; Options::settings is not
  // applied (the stored settings are in force).
  // Errors: Code::kNotFound (no cache there), kNotACache, kFormatMismatch,
  // kIOError, kCorruption.
  static Result<std::unique_ptr<Cache>> open(const std::string& path, Options options);

  virtual ~Cache();
  Cache(const Cache&) = delete;
  Cache& operator=(const Cache&) = delete;

  // The settings in force (stored with the cache). The reference is valid as
  // long as the handle.
  const Settings& settings() const;
  // The path given to open. Valid as long as the handle.
  const std::string& path() const;

  // Secondary instances only: read what the writing process committed since
  // open or the last catch_up(). A no-op elsewhere.
  // Errors: Code::kIOError, kCorruption.
  Status catch_up();

  // --- guilds (GUILDS) ---
  Maybe<fb::Guild> get_available_guild(Snowflake guild) const;
  CacheView<Snowflake, fb::Guild> get_available_guilds_view() const;
  Maybe<fb::Guild> get_guild(Snowflake guild) const;
  CacheView<Snowflake, fb::Guild> get_guilds_view() const;  // ungated
  Maybe<fb::Guild> get_unavailable_guild(Snowflake guild) const;
  CacheView<Snowflake, fb::Guild> get_unavailable_guilds_view() const;

  // --- guild channels (GUILD_CHANNELS) ---
  Maybe<fb::GuildChannel> get_guild_channel(Snowflake channel) const;
  CacheView<Snowflake, fb::GuildChannel> get_guild_channels_view() const;
  // In Discord's client order (semantics.md R2); throws Error on a fault.
  CacheView<Snowflake, fb::GuildChannel> get_guild_channels_view_for_guild(Snowflake guild) const;

  // --- threads (GUILD_THREADS) ---
  Maybe<fb::Thread> get_thread(Snowflake thread) const;
  CacheView<Snowflake, fb::Thread> get_threads_view() const;  // ungated
  CacheView<Snowflake, fb::Thread> get_threads_view_for_channel(Snowflake guild, Snowflake channel) const;
  CacheView<Snowflake, fb::Thread> get_threads_view_for_guild(Snowflake guild) const;

  // --- roles (ROLES) ---
  Maybe<fb::Role> get_role(Snowflake role) const;
  CacheView<Snowflake, fb::Role> get_roles_view() const;
  CacheView<Snowflake, fb::Role> get_roles_view_for_guild(Snowflake guild) const;

  // --- emojis (EMOJIS) ---
  Maybe<fb::Emoji> get_emoji(Snowflake emoji) const;
  CacheView<Snowflake, fb::Emoji> get_emojis_view() const;
  CacheView<Snowflake, fb::Emoji> get_emojis_view_for_guild(Snowflake guild) const;

  // --- stickers (GUILD_STICKERS) ---
  Maybe<fb::Sticker> get_sticker(Snowflake sticker) const;
  CacheView<Snowflake, fb::Sticker> get_stickers_view() const;
  CacheView<Snowflake, fb::Sticker> get_stickers_view_for_guild(Snowflake guild) const;

  // --- invites (INVITES), keyed by code ---
  Maybe<fb::Invite> get_invite(const std::string& code) const;
  CacheView<std::string, fb::Invite> get_invites_view() const;
  CacheView<std::string, fb::Invite> get_invites_view_for_channel(Snowflake guild, Snowflake channel) const;
  CacheView<std::string, fb::Invite> get_invites_view_for_guild(Snowflake guild) const;

  // --- members (MEMBERS); members kept only as references are hidden ---
  Maybe<fb::Member> get_member(Snowflake guild, Snowflake user) const;
  NestedView<fb::Member> get_members_view() const;
  CacheView<Snowflake, fb::Member> get_members_view_for_guild(Snowflake guild) const;

  // --- users (ungated) ---
  Maybe<fb::User> get_user(Snowflake user) const;
  CacheView<Snowflake, fb::User> get_users_view() const;

  // --- presences (PRESENCES) ---
  Maybe<fb::Presence> get_presence(Snowflake guild, Snowflake user) const;
  NestedView<fb::Presence> get_presences_view() const;
  CacheView<Snowflake, fb::Presence> get_presences_view_for_guild(Snowflake guild) const;

  // --- voice states (VOICE_STATES) ---
  Maybe<fb::VoiceState> get_voice_state(Snowflake guild, Snowflake user) const;
  NestedView<fb::VoiceState> get_voice_states_view() const;
  CacheView<Snowflake, fb::VoiceState> get_voice_states_view_for_channel(Snowflake guild, Snowflake channel) const;
  CacheView<Snowflake, fb::VoiceState> get_voice_states_view_for_guild(Snowflake guild) const;

  // --- messages (MESSAGES), oldest (smallest id) first ---
  Maybe<fb::Message> get_message(Snowflake message) const;
  CacheView<Snowflake, fb::Message> get_messages_view() const;

  // --- me (ungated getter) ---
  Maybe<fb::OwnUser> get_me() const;

  // --- DM channel ids (DM_CHANNEL_IDS): user id -> channel id, oldest first ---
  Result<std::optional<Snowflake>> get_dm_channel_id(Snowflake user) const;
  CacheView<Snowflake, fb::DmChannelId> get_dm_channel_ids_view() const;

 protected:
  explicit Cache(std::shared_ptr<detail::CacheState> state);
  std::shared_ptr<detail::CacheState> state_;

 private:
  friend struct detail::Access;  // the gateway ingest and tools share the state
};

// Write side (hikari's MutableCache). Every call is one atomic batch through
// the single write path.
class MutableCache : public Cache {
 public:
  // Opens or creates the cache at `path` for writing. Only one writer may
  // hold a directory: a second open (in this or another process) fails with
  // Code::kInUse. Graceful destruction flushes memtables so the next open
  // is fast. See Options for settings and durability (Options::read_only and
  // Options::secondary are ignored here). Options::settings, when given and
  // different from the stored ones, are applied before this returns.
  // Errors: Code::kInUse; Code::kNotFound (nothing at `path` and
  // create_if_missing false); Code::kNotACache (a directory that is not a
  // cache, or a file); Code::kFormatMismatch (another format version);
  // Code::kIOError; Code::kCorruption.
  static Result<std::unique_ptr<MutableCache>> open(const std::string& path, Options options = {});

  // Removes every entity (reference counts included); keeps settings and
  // gateway sessions. No-op when components == kNone.
  Status clear();

  Result<CacheView<Snowflake, fb::DmChannelId>> clear_dm_channel_ids();
  Result<CacheView<Snowflake, fb::Emoji>> clear_emojis();
  Result<CacheView<Snowflake, fb::Emoji>> clear_emojis_for_guild(Snowflake guild);
  Result<CacheView<Snowflake, fb::GuildChannel>> clear_guild_channels();
  Result<CacheView<Snowflake, fb::GuildChannel>> clear_guild_channels_for_guild(Snowflake guild);
  Result<CacheView<Snowflake, fb::Guild>> clear_guilds();
  Result<CacheView<std::string, fb::Invite>> clear_invites();
  Result<CacheView<std::string, fb::Invite>> clear_invites_for_channel(Snowflake guild, Snowflake channel);
  Result<CacheView<std::string, fb::Invite>> clear_invites_for_guild(Snowflake guild);
  Result<NestedView<fb::Member>> clear_members();
  Result<CacheView<Snowflake, fb::Member>> clear_members_for_guild(Snowflake guild);
  Result<CacheView<Snowflake, fb::Message>> clear_messages();
  Result<NestedView<fb::Presence>> clear_presences();
  Result<CacheView<Snowflake, fb::Presence>> clear_presences_for_guild(Snowflake guild);
  Result<CacheView<Snowflake, fb::Role>> clear_roles();
  Result<CacheView<Snowflake, fb::Role>> clear_roles_for_guild(Snowflake guild);
  Result<CacheView<Snowflake, fb::Sticker>> clear_stickers();
  Result<CacheView<Snowflake, fb::Sticker>> clear_stickers_for_guild(Snowflake guild);
  Result<CacheView<Snowflake, fb::Thread>> clear_threads();
  Result<CacheView<Snowflake, fb::Thread>> clear_threads_for_channel(Snowflake guild, Snowflake channel);
  Result<CacheView<Snowflake, fb::Thread>> clear_threads_for_guild(Snowflake guild);
  Result<NestedView<fb::VoiceState>> clear_voice_states();
  Result<CacheView<Snowflake, fb::VoiceState>> clear_voice_states_for_channel(Snowflake guild, Snowflake channel);
  Result<CacheView<Snowflake, fb::VoiceState>> clear_voice_states_for_guild(Snowflake guild);

  Result<std::optional<Snowflake>> delete_dm_channel_id(Snowflake user);
  Maybe<fb::Emoji> delete_emoji(Snowflake emoji);
  Maybe<fb::Guild> delete_guild(Snowflake guild);
  Maybe<fb::GuildChannel> delete_guild_channel(Snowflake channel);
  Maybe<fb::Invite> delete_invite(const std::string& code);
  Maybe<fb::OwnUser> delete_me();  // ungated
  // A member still held by a voice state or cached message is hidden (kept
  // for them) and nothing is returned, as in hikari.
  Maybe<fb::Member> delete_member(Snowflake guild, Snowflake user);
  Maybe<fb::Message> delete_message(Snowflake message);
  Maybe<fb::Presence> delete_presence(Snowflake guild, Snowflake user);
  Maybe<fb::Role> delete_role(Snowflake role);
  Maybe<fb::Sticker> delete_sticker(Snowflake sticker);
  Maybe<fb::Thread> delete_thread(Snowflake thread);
  Maybe<fb::VoiceState> delete_voice_state(Snowflake guild, Snowflake user);

  Status set_dm_channel_id(Snowflake user, Snowflake channel);
  Status set_emoji(const fb::EmojiT& emoji);
  Status set_guild(const fb::GuildT& guild);  // makes it available
  // Only when the guild is cached; otherwise nothing happens.
  Status set_guild_availability(Snowflake guild, bool is_available);
  Status set_guild_channel(const fb::GuildChannelT& channel);
  Status set_invite(const fb::InviteT& invite);
  Status set_me(const fb::OwnUserT& user);
  Status set_member(const fb::MemberT& member);
  Status set_message(const fb::MessageT& message);
  Status set_presence(const fb::PresenceT& presence);
  Status set_role(const fb::RoleT& role);
  Status set_sticker(const fb::StickerT& sticker);
  Status set_thread(const fb::ThreadT& thread);
  Status set_voice_state(const fb::VoiceStateT& voice_state);

  Result<Update<fb::Emoji>> update_emoji(const fb::EmojiT& emoji);
  // Keeps the cached member_count, large and joined_at when the update lacks
  // them (member_count null: a GUILD_UPDATE).
  Result<Update<fb::Guild>> update_guild(const fb::GuildT& guild);
  Result<Update<fb::GuildChannel>> update_guild_channel(const fb::GuildChannelT& channel);
  Result<Update<fb::Invite>> update_invite(const fb::InviteT& invite);
  Result<Update<fb::OwnUser>> update_me(const fb::OwnUserT& user);
  Result<Update<fb::Member>> update_member(const fb::MemberT& member);
  // Replaces a cached message by `message`, except its author, member, guild,
  // channel and referenced message, which stay as cached; the author and
  // member objects in `message` are not written (semantics.md R4; the
  // gateway's MESSAGE_UPDATE does write those its payload carries,
  // docs/SEMANTICS.md E1-E2). Mentions it adds are counted and written,
  // mentions it drops released. An uncached message is not created (both
  // sides absent).
  Result<Update<fb::Message>> update_message(const fb::MessageT& message);
  Result<Update<fb::Presence>> update_presence(const fb::PresenceT& presence);
  Result<Update<fb::Role>> update_role(const fb::RoleT& role);
  Result<Update<fb::Thread>> update_thread(const fb::ThreadT& thread);
  Result<Update<fb::VoiceState>> update_voice_state(const fb::VoiceStateT& voice_state);

 private:
  explicit MutableCache(std::shared_ptr<detail::CacheState> state) : Cache(std::move(state)) {}
  friend class Cache;
};

}  // namespace snowcache
