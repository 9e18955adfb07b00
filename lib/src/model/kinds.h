// kinds — the one table of entity kinds: for each generated table type, its
// column family, component flag, name, primary key, secondary (index) keys,
// and the references it holds. Adding a kind is adding a specialisation here
// (and its row in kind_table() for cachectl and verify).
//
// Reference rules (semantics.md R3): a member holds its user (through its
// member record, see txn.h); an emoji's or sticker's creator, an invite's
// inviter and target user, a message's author and every user it mentions are
// held by that entity; a voice state or a message carrying a member holds
// that member. Presences and a reply's embedded parent hold nothing.
#pragma once

#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "dm_channel_id_generated.h"
#include "emoji_generated.h"
#include "guild_channel_generated.h"
#include "guild_generated.h"
#include "invite_generated.h"
#include "storage/keys.h"
#include "member_generated.h"
#include "message_generated.h"
#include "own_user_generated.h"
#include "presence_generated.h"
#include "role_generated.h"
#include "snowcache/settings.h"
#include "sticker_generated.h"
#include "storage/store.h"
#include "thread_generated.h"
#include "user_generated.h"
#include "voice_state_generated.h"

namespace snowcache::detail {

inline Snowflake sf(std::uint64_t v) { return Snowflake(v); }

// What an entity value implies beyond its own key.
struct Implied {
  std::vector<std::string> index_keys;
  std::vector<Snowflake> user_refs;                      // +1 on each (deduplicated)
  std::vector<std::pair<Snowflake, Snowflake>> member_refs;  // (guild, user): +1 holder each
};

template <class T>
struct Kind;

template <>
struct Kind<fb::Guild> {
  static constexpr Cf cf = Cf::kGuilds;
  static constexpr Components component = Components::kGuilds;
  static constexpr std::string_view name = "guild";
  static std::string key(const fb::Guild& v) { return keys::id(sf(v.id())); }
  static void implied(const fb::Guild&, std::string_view, Implied&) {}
};

template <>
struct Kind<fb::GuildChannel> {
  static constexpr Cf cf = Cf::kGuildChannels;
  static constexpr Components component = Components::kGuildChannels;
  static constexpr std::string_view name = "guild_channel";
  static std::string key(const fb::GuildChannel& v) { return keys::id(sf(v.id())); }
  static void implied(const fb::GuildChannel& v, std::string_view key, Implied& out) {
    out.index_keys.push_back(keys::index_key(keys::IndexTag::kChannelByGuild, sf(v.guild_id()), key));
  }
};

template <>
struct Kind<fb::Thread> {
  static constexpr Cf cf = Cf::kThreads;
  static constexpr Components component = Components::kGuildThreads;
  static constexpr std::string_view name = "thread";
  static std::string key(const fb::Thread& v) { return keys::id(sf(v.id())); }
  static void implied(const fb::Thread& v, std::string_view key, Implied& out) {
    out.index_keys.push_back(
        keys::index_key(keys::IndexTag::kThreadByGuild, sf(v.guild_id()), sf(v.parent_id()), key));
  }
};

template <>
struct Kind<fb::Role> {
  static constexpr Cf cf = Cf::kRoles;
  static constexpr Components component = Components::kRoles;
  static constexpr std::string_view name = "role";
  static std::string key(const fb::Role& v) { return keys::id(sf(v.id())); }
  static void implied(const fb::Role& v, std::string_view key, Implied& out) {
    out.index_keys.push_back(keys::index_key(keys::IndexTag::kRoleByGuild, sf(v.guild_id()), key));
  }
};

template <>
struct Kind<fb::Emoji> {
  static constexpr Cf cf = Cf::kEmojis;
  static constexpr Components component = Components::kEmojis;
  static constexpr std::string_view name = "emoji";
  static std::string key(const fb::Emoji& v) { return keys::id(sf(v.id())); }
  static void implied(const fb::Emoji& v, std::string_view key, Implied& out) {
    out.index_keys.push_back(keys::index_key(keys::IndexTag::kEmojiByGuild, sf(v.guild_id()), key));
    if (v.user()) out.user_refs.push_back(sf(v.user()->id()));
  }
};

template <>
struct Kind<fb::Sticker> {
  static constexpr Cf cf = Cf::kStickers;
  static constexpr Components component = Components::kGuildStickers;
  static constexpr std::string_view name = "sticker";
  static std::string key(const fb::Sticker& v) { return keys::id(sf(v.id())); }
  static void implied(const fb::Sticker& v, std::string_view key, Implied& out) {
    out.index_keys.push_back(keys::index_key(keys::IndexTag::kStickerByGuild, sf(v.guild_id()), key));
    if (v.user()) out.user_refs.push_back(sf(v.user()->id()));
  }
};

template <>
struct Kind<fb::Invite> {
  static constexpr Cf cf = Cf::kInvites;
  static constexpr Components component = Components::kInvites;
  static constexpr std::string_view name = "invite";
  static std::string key(const fb::Invite& v) { return v.code() ? v.code()->str() : std::string(); }
  static void implied(const fb::Invite& v, std::string_view key, Implied& out) {
    if (v.guild_id()) {
      out.index_keys.push_back(keys::index_key(keys::IndexTag::kInviteByGuild, sf(*v.guild_id()),
                                               sf(v.channel_id().value_or(0)), key));
    }
    for (const fb::User* u : {v.inviter(), v.target_user()}) {
      if (u) out.user_refs.push_back(sf(u->id()));
    }
  }
};

template <>
struct Kind<fb::Member> {
  static constexpr Cf cf = Cf::kMembers;
  static constexpr Components component = Components::kMembers;
  static constexpr std::string_view name = "member";
  static std::string key(const fb::Member& v) { return keys::pair(sf(v.guild_id()), sf(v.user()->id())); }
  // The member's hold on its user goes through its member record (txn.h).
  static void implied(const fb::Member&, std::string_view, Implied&) {}
};

template <>
struct Kind<fb::User> {
  static constexpr Cf cf = Cf::kUsers;
  static constexpr std::string_view name = "user";
  static std::string key(const fb::User& v) { return keys::id(sf(v.id())); }
  static void implied(const fb::User&, std::string_view, Implied&) {}
};

template <>
struct Kind<fb::Presence> {
  static constexpr Cf cf = Cf::kPresences;
  static constexpr Components component = Components::kPresences;
  static constexpr std::string_view name = "presence";
  static std::string key(const fb::Presence& v) { return keys::pair(sf(v.guild_id()), sf(v.user_id())); }
  static void implied(const fb::Presence&, std::string_view, Implied&) {}
};

template <>
struct Kind<fb::VoiceState> {
  static constexpr Cf cf = Cf::kVoiceStates;
  static constexpr Components component = Components::kVoiceStates;
  static constexpr std::string_view name = "voice_state";
  static std::string key(const fb::VoiceState& v) { return keys::pair(sf(v.guild_id()), sf(v.user_id())); }
  static void implied(const fb::VoiceState& v, std::string_view key, Implied& out) {
    out.index_keys.push_back(keys::index_key(keys::IndexTag::kVoiceByChannel, sf(v.guild_id()),
                                             sf(v.channel_id().value_or(0)), key.substr(keys::kIdSize)));
    // The embedded member holds the member record of the voice state's own
    // user only; a member of another user (malformed input) holds nothing, or
    // the record of user_id would keep a user that is never written.
    if (v.member() && v.member()->user() && v.member()->user()->id() == v.user_id()) {
      out.member_refs.emplace_back(sf(v.guild_id()), sf(v.user_id()));
    }
  }
};

template <>
struct Kind<fb::Message> {
  static constexpr Cf cf = Cf::kMessages;
  static constexpr Components component = Components::kMessages;
  static constexpr std::string_view name = "message";
  static std::string key(const fb::Message& v) { return keys::id(sf(v.id())); }
  static void implied(const fb::Message& v, std::string_view key, Implied& out) {
    if (v.guild_id()) {
      out.index_keys.push_back(keys::index_key(keys::IndexTag::kMessageByGuild, sf(*v.guild_id()), key));
    }
    out.index_keys.push_back(keys::index_key(keys::IndexTag::kMessageByChannel, sf(v.channel_id()), key));
    if (v.author()) {
      out.user_refs.push_back(sf(v.author()->id()));
      if (v.guild_id() && v.member()) out.member_refs.emplace_back(sf(*v.guild_id()), sf(v.author()->id()));
    }
    if (v.mentions()) {
      for (const fb::User* u : *v.mentions()) out.user_refs.push_back(sf(u->id()));
    }
  }
};

template <>
struct Kind<fb::DmChannelId> {
  static constexpr Cf cf = Cf::kDmChannelIds;
  static constexpr Components component = Components::kDmChannelIds;
  static constexpr std::string_view name = "dm_channel_id";
  static void implied(const fb::DmChannelId&, std::string_view, Implied&) {}
};

// The kinds as data, for cachectl, verify and stats.
struct KindInfo {
  std::string_view name;  // dump name: "guild", "guild_channel", ...
  Cf cf;
  Components component;  // kNone for users
};
inline constexpr KindInfo kKindTable[] = {
    {"guild", Cf::kGuilds, Components::kGuilds},
    {"guild_channel", Cf::kGuildChannels, Components::kGuildChannels},
    {"thread", Cf::kThreads, Components::kGuildThreads},
    {"role", Cf::kRoles, Components::kRoles},
    {"emoji", Cf::kEmojis, Components::kEmojis},
    {"sticker", Cf::kStickers, Components::kGuildStickers},
    {"invite", Cf::kInvites, Components::kInvites},
    {"member", Cf::kMembers, Components::kMembers},
    {"user", Cf::kUsers, Components::kNone},
    {"presence", Cf::kPresences, Components::kPresences},
    {"voice_state", Cf::kVoiceStates, Components::kVoiceStates},
    {"message", Cf::kMessages, Components::kMessages},
    {"dm_channel_id", Cf::kDmChannelIds, Components::kDmChannelIds},
};

// Calls f(std::type_identity<T>{}) for every entity kind kept in a family of
// its own, in the order of the dump: the one list dump and verify walk.
template <class F>
void for_each_kind(F&& f) {
  f(std::type_identity<fb::Guild>{});
  f(std::type_identity<fb::GuildChannel>{});
  f(std::type_identity<fb::Thread>{});
  f(std::type_identity<fb::Role>{});
  f(std::type_identity<fb::Emoji>{});
  f(std::type_identity<fb::Sticker>{});
  f(std::type_identity<fb::Invite>{});
  f(std::type_identity<fb::Member>{});
  f(std::type_identity<fb::User>{});
  f(std::type_identity<fb::Presence>{});
  f(std::type_identity<fb::VoiceState>{});
  f(std::type_identity<fb::Message>{});
  f(std::type_identity<fb::DmChannelId>{});
}

// Calls f(std::type_identity<T>{}) with the table type stored in entity
// family `cf` (members for kHiddenMembers) and returns what it returns;
// `fallback` for the families that hold no entities (index, refs, meta).
template <class F, class R>
R for_kind(Cf cf, F&& f, R fallback) {
  switch (cf) {
    case Cf::kGuilds: return f(std::type_identity<fb::Guild>{});
    case Cf::kGuildChannels: return f(std::type_identity<fb::GuildChannel>{});
    case Cf::kThreads: return f(std::type_identity<fb::Thread>{});
    case Cf::kRoles: return f(std::type_identity<fb::Role>{});
    case Cf::kEmojis: return f(std::type_identity<fb::Emoji>{});
    case Cf::kStickers: return f(std::type_identity<fb::Sticker>{});
    case Cf::kInvites: return f(std::type_identity<fb::Invite>{});
    case Cf::kMembers:
    case Cf::kHiddenMembers: return f(std::type_identity<fb::Member>{});
    case Cf::kUsers: return f(std::type_identity<fb::User>{});
    case Cf::kPresences: return f(std::type_identity<fb::Presence>{});
    case Cf::kVoiceStates: return f(std::type_identity<fb::VoiceState>{});
    case Cf::kMessages: return f(std::type_identity<fb::Message>{});
    case Cf::kDmChannelIds: return f(std::type_identity<fb::DmChannelId>{});
    case Cf::kIndex:
    case Cf::kRefs:
    case Cf::kMeta: return fallback;
  }
  return fallback;
}

}  // namespace snowcache::detail
