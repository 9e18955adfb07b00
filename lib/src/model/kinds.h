// kinds — the one table of entity kinds. For each generated table type T,
// Kind<T> says everything the layers above need to know about the kind:
//
//   cf, component, name      its column family (storage/families.h), the
//                            Components bit that enables it (kNone: always
//                            on), its name in the dump and in messages;
//   shape, key_names, key()  its primary key: shape (storage/keys.h), what
//                            each part is called, how a value gives its key;
//   index_tags, implied()    the index keys and references a value implies
//                            (semantics.md R3, below);
//   scope, guild_index       how a guild's entities of the kind are found
//                            (erase_guild_scope, cached_guild_ids, dump
//                            --guild);
//   required, context_guild, JSON hints: the fields without which a payload
//   dump_always              is not one (json_fb), whether a payload inside
//                            a guild's event takes that guild's id, and the
//                            fields the dump writes even when absent
//                            (json_out).
//
// AllKinds lists the kinds in dump order; for_each_kind, for_kind and
// kKindTable are derived from it, and the static_asserts at the end check
// that the table agrees with families.h, keys.h and settings.h. Adding a kind
// is: its schema, its Kind<T> here and its place in AllKinds, its family in
// families.h (and Components bit), and the handlers and API methods that
// write and read it (docs/ARCHITECTURE.md, "Adding a kind").
//
// Reference rules (semantics.md R3): a member holds its user (through its
// member record, see txn.h); an emoji's or sticker's creator, an invite's
// inviter and target user, a message's author and every user it mentions are
// held by that entity; a voice state or a message carrying a member holds
// that member. Presences and a reply's embedded parent hold nothing.
#pragma once

#include <array>
#include <span>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "dm_channel_id_generated.h"
#include "emoji_generated.h"
#include "guild_channel_generated.h"
#include "guild_generated.h"
#include "invite_generated.h"
#include "member_generated.h"
#include "message_generated.h"
#include "presence_generated.h"
#include "role_generated.h"
#include "snowcache/settings.h"
#include "sticker_generated.h"
#include "storage/families.h"
#include "storage/keys.h"
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

// How a guild's entities of a kind are found.
enum class GuildScope : std::uint8_t {
  kNone,       // not scoped to a guild (users, DM channel ids)
  kSelf,       // the guild itself
  kKeyPrefix,  // keys are guild | user
  kIndex,      // through the index tag Kind<T>::guild_index
};

// What the dump writes for a field the buffer does not store (json_out).
enum class JsonDefault : std::uint8_t { kFalse, kNull, kEmptyArray, kEmptyString, kZeroId };
struct AlwaysField {
  std::string_view field;
  JsonDefault value;
};

// What most kinds share; a Kind<T> states what differs.
struct KindDefaults {
  static constexpr keys::KeyShape shape = keys::KeyShape::kId;
  static constexpr std::array<std::string_view, 1> key_names = {"id"};
  static constexpr std::array<keys::IndexTag, 0> index_tags = {};
  static constexpr GuildScope scope = GuildScope::kNone;
  static constexpr std::array<std::string_view, 1> required = {"id"};
  static constexpr bool context_guild = false;
  static constexpr std::array<AlwaysField, 0> dump_always = {};
};

// The defaults of a kind keyed guild|user and scoped to its guild by that
// key prefix (members, presences, voice states).
struct GuildUserKind : KindDefaults {
  static constexpr keys::KeyShape shape = keys::KeyShape::kPair;
  static constexpr std::array<std::string_view, 2> key_names = {"guild id", "user id"};
  static constexpr GuildScope scope = GuildScope::kKeyPrefix;
  static constexpr bool context_guild = true;
};

template <class T>
struct Kind;

template <>
struct Kind<fb::Guild> : KindDefaults {
  static constexpr Cf cf = Cf::kGuilds;
  static constexpr Components component = Components::kGuilds;
  static constexpr std::string_view name = "guild";
  static constexpr GuildScope scope = GuildScope::kSelf;
  static constexpr std::array<AlwaysField, 3> dump_always = {{
      {"unavailable", JsonDefault::kFalse}, {"member_count", JsonDefault::kNull}, {"large", JsonDefault::kFalse}}};
  static std::string key(const fb::Guild& v) { return keys::id(sf(v.id())); }
  static void implied(const fb::Guild&, std::string_view, Implied&) {}
};

template <>
struct Kind<fb::GuildChannel> : KindDefaults {
  static constexpr Cf cf = Cf::kGuildChannels;
  static constexpr Components component = Components::kGuildChannels;
  static constexpr std::string_view name = "guild_channel";
  static constexpr std::array<std::string_view, 1> key_names = {"channel id"};
  static constexpr std::array index_tags = {keys::IndexTag::kChannelByGuild};
  static constexpr GuildScope scope = GuildScope::kIndex;
  static constexpr keys::IndexTag guild_index = keys::IndexTag::kChannelByGuild;
  static constexpr std::array<std::string_view, 2> required = {"id", "type"};
  static constexpr bool context_guild = true;
  static std::string key(const fb::GuildChannel& v) { return keys::id(sf(v.id())); }
  static void implied(const fb::GuildChannel& v, std::string_view key, Implied& out) {
    out.index_keys.push_back(keys::index_key(keys::IndexTag::kChannelByGuild, sf(v.guild_id()), key));
  }
};

template <>
struct Kind<fb::Thread> : KindDefaults {
  static constexpr Cf cf = Cf::kThreads;
  static constexpr Components component = Components::kGuildThreads;
  static constexpr std::string_view name = "thread";
  static constexpr std::array index_tags = {keys::IndexTag::kThreadByGuild};
  static constexpr GuildScope scope = GuildScope::kIndex;
  static constexpr keys::IndexTag guild_index = keys::IndexTag::kThreadByGuild;
  static constexpr bool context_guild = true;
  static std::string key(const fb::Thread& v) { return keys::id(sf(v.id())); }
  static void implied(const fb::Thread& v, std::string_view key, Implied& out) {
    out.index_keys.push_back(
        keys::index_key(keys::IndexTag::kThreadByGuild, sf(v.guild_id()), sf(v.parent_id()), key));
  }
};

template <>
struct Kind<fb::Role> : KindDefaults {
  static constexpr Cf cf = Cf::kRoles;
  static constexpr Components component = Components::kRoles;
  static constexpr std::string_view name = "role";
  static constexpr std::array index_tags = {keys::IndexTag::kRoleByGuild};
  static constexpr GuildScope scope = GuildScope::kIndex;
  static constexpr keys::IndexTag guild_index = keys::IndexTag::kRoleByGuild;
  static constexpr bool context_guild = true;
  static constexpr std::array<AlwaysField, 1> dump_always = {{{"guild_id", JsonDefault::kZeroId}}};
  static std::string key(const fb::Role& v) { return keys::id(sf(v.id())); }
  static void implied(const fb::Role& v, std::string_view key, Implied& out) {
    out.index_keys.push_back(keys::index_key(keys::IndexTag::kRoleByGuild, sf(v.guild_id()), key));
  }
};

template <>
struct Kind<fb::Emoji> : KindDefaults {
  static constexpr Cf cf = Cf::kEmojis;
  static constexpr Components component = Components::kEmojis;
  static constexpr std::string_view name = "emoji";
  static constexpr std::array index_tags = {keys::IndexTag::kEmojiByGuild};
  static constexpr GuildScope scope = GuildScope::kIndex;
  static constexpr keys::IndexTag guild_index = keys::IndexTag::kEmojiByGuild;
  static constexpr bool context_guild = true;
  static constexpr std::array<AlwaysField, 1> dump_always = {{{"guild_id", JsonDefault::kZeroId}}};
  static std::string key(const fb::Emoji& v) { return keys::id(sf(v.id())); }
  static void implied(const fb::Emoji& v, std::string_view key, Implied& out) {
    out.index_keys.push_back(keys::index_key(keys::IndexTag::kEmojiByGuild, sf(v.guild_id()), key));
    if (v.user()) out.user_refs.push_back(sf(v.user()->id()));
  }
};

template <>
struct Kind<fb::Sticker> : KindDefaults {
  static constexpr Cf cf = Cf::kStickers;
  static constexpr Components component = Components::kGuildStickers;
  static constexpr std::string_view name = "sticker";
  static constexpr std::array index_tags = {keys::IndexTag::kStickerByGuild};
  static constexpr GuildScope scope = GuildScope::kIndex;
  static constexpr keys::IndexTag guild_index = keys::IndexTag::kStickerByGuild;
  static constexpr bool context_guild = true;
  static constexpr std::array<AlwaysField, 1> dump_always = {{{"guild_id", JsonDefault::kZeroId}}};
  static std::string key(const fb::Sticker& v) { return keys::id(sf(v.id())); }
  static void implied(const fb::Sticker& v, std::string_view key, Implied& out) {
    out.index_keys.push_back(keys::index_key(keys::IndexTag::kStickerByGuild, sf(v.guild_id()), key));
    if (v.user()) out.user_refs.push_back(sf(v.user()->id()));
  }
};

template <>
struct Kind<fb::Invite> : KindDefaults {
  static constexpr Cf cf = Cf::kInvites;
  static constexpr Components component = Components::kInvites;
  static constexpr std::string_view name = "invite";
  static constexpr keys::KeyShape shape = keys::KeyShape::kCode;
  static constexpr std::array<std::string_view, 1> key_names = {"code"};
  static constexpr std::array index_tags = {keys::IndexTag::kInviteByGuild};
  static constexpr GuildScope scope = GuildScope::kIndex;
  static constexpr keys::IndexTag guild_index = keys::IndexTag::kInviteByGuild;
  static constexpr std::array<std::string_view, 1> required = {"code"};
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
struct Kind<fb::Member> : GuildUserKind {
  static constexpr Cf cf = Cf::kMembers;
  static constexpr Components component = Components::kMembers;
  static constexpr std::string_view name = "member";
  static constexpr std::array<std::string_view, 1> required = {"user"};
  static constexpr std::array<AlwaysField, 4> dump_always = {{{"guild_id", JsonDefault::kZeroId},
                                                              {"user", JsonDefault::kNull},
                                                              {"nick", JsonDefault::kNull},
                                                              {"roles", JsonDefault::kEmptyArray}}};
  static std::string key(const fb::Member& v) { return keys::pair(sf(v.guild_id()), sf(v.user()->id())); }
  // The member's hold on its user goes through its member record (txn.h).
  static void implied(const fb::Member&, std::string_view, Implied&) {}
};

template <>
struct Kind<fb::User> : KindDefaults {
  static constexpr Cf cf = Cf::kUsers;
  static constexpr Components component = Components::kNone;  // always kept (semantics.md R1)
  static constexpr std::string_view name = "user";
  static std::string key(const fb::User& v) { return keys::id(sf(v.id())); }
  static void implied(const fb::User&, std::string_view, Implied&) {}
};

template <>
struct Kind<fb::Presence> : GuildUserKind {
  static constexpr Cf cf = Cf::kPresences;
  static constexpr Components component = Components::kPresences;
  static constexpr std::string_view name = "presence";
  static constexpr std::array<std::string_view, 1> required = {"user_id"};
  static constexpr std::array<AlwaysField, 4> dump_always = {{{"guild_id", JsonDefault::kZeroId},
                                                              {"user_id", JsonDefault::kZeroId},
                                                              {"status", JsonDefault::kEmptyString},
                                                              {"activities", JsonDefault::kEmptyArray}}};
  static std::string key(const fb::Presence& v) { return keys::pair(sf(v.guild_id()), sf(v.user_id())); }
  static void implied(const fb::Presence&, std::string_view, Implied&) {}
};

template <>
struct Kind<fb::VoiceState> : GuildUserKind {
  static constexpr Cf cf = Cf::kVoiceStates;
  static constexpr Components component = Components::kVoiceStates;
  static constexpr std::string_view name = "voice_state";
  static constexpr std::array index_tags = {keys::IndexTag::kVoiceByChannel};
  static constexpr std::array<std::string_view, 1> required = {"user_id"};
  static constexpr std::array<AlwaysField, 6> dump_always = {{{"channel_id", JsonDefault::kNull},
                                                              {"session_id", JsonDefault::kEmptyString},
                                                              {"deaf", JsonDefault::kFalse},
                                                              {"mute", JsonDefault::kFalse},
                                                              {"self_deaf", JsonDefault::kFalse},
                                                              {"self_mute", JsonDefault::kFalse}}};
  static std::string key(const fb::VoiceState& v) { return keys::pair(sf(v.guild_id()), sf(v.user_id())); }
  static void implied(const fb::VoiceState& v, std::string_view, Implied& out) {
    out.index_keys.push_back(keys::voice_index_key(sf(v.guild_id()), sf(v.channel_id().value_or(0)), sf(v.user_id())));
    // The embedded member holds the member record of the voice state's own
    // user only; a member of another user (malformed input) holds nothing, or
    // the record of user_id would keep a user that is never written.
    if (v.member() && v.member()->user() && v.member()->user()->id() == v.user_id()) {
      out.member_refs.emplace_back(sf(v.guild_id()), sf(v.user_id()));
    }
  }
};

template <>
struct Kind<fb::Message> : KindDefaults {
  static constexpr Cf cf = Cf::kMessages;
  static constexpr Components component = Components::kMessages;
  static constexpr std::string_view name = "message";
  static constexpr std::array index_tags = {keys::IndexTag::kMessageByGuild, keys::IndexTag::kMessageByChannel};
  static constexpr GuildScope scope = GuildScope::kIndex;
  static constexpr keys::IndexTag guild_index = keys::IndexTag::kMessageByGuild;
  static constexpr std::array<std::string_view, 2> required = {"id", "channel_id"};
  static constexpr std::array<AlwaysField, 4> dump_always = {{{"channel_id", JsonDefault::kZeroId},
                                                              {"author", JsonDefault::kNull},
                                                              {"content", JsonDefault::kEmptyString},
                                                              {"mentions", JsonDefault::kEmptyArray}}};
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
struct Kind<fb::DmChannelId> : KindDefaults {
  static constexpr Cf cf = Cf::kDmChannelIds;
  static constexpr Components component = Components::kDmChannelIds;
  static constexpr std::string_view name = "dm_channel_id";
  static constexpr std::array<std::string_view, 1> key_names = {"user id"};
  static constexpr std::array<std::string_view, 0> required = {};
  static constexpr std::array<AlwaysField, 1> dump_always = {{{"channel_id", JsonDefault::kZeroId}}};
  // Keyed by the user, which the value does not hold (rules.h record_dm_channel).
  static void implied(const fb::DmChannelId&, std::string_view, Implied&) {}
};

template <class... Ts>
struct KindList {};
// Every entity kind kept in a family of its own, in dump order. Kinds listed
// later may hold kinds listed earlier (a message holds a member), never the
// reverse: removing a guild's entities walks this list backwards.
using AllKinds = KindList<fb::Guild, fb::GuildChannel, fb::Thread, fb::Role, fb::Emoji, fb::Sticker, fb::Invite,
                          fb::Member, fb::User, fb::Presence, fb::VoiceState, fb::Message, fb::DmChannelId>;

// Calls f(std::type_identity<T>{}) for every kind, in AllKinds order.
template <class F>
void for_each_kind(F&& f) {
  [&]<class... Ts>(KindList<Ts...>) { (f(std::type_identity<Ts>{}), ...); }(AllKinds{});
}

// The same, backwards: holders before what they hold.
template <class F>
void for_each_kind_reversed(F&& f) {
  [&]<class... Ts>(KindList<Ts...>) {
    constexpr std::size_t n = sizeof...(Ts);
    [&]<std::size_t... I>(std::index_sequence<I...>) {
      (f(std::type_identity<std::tuple_element_t<n - 1 - I, std::tuple<Ts...>>>{}), ...);
    }(std::make_index_sequence<n>{});
  }(AllKinds{});
}

// Calls f(std::type_identity<T>{}) with the kind stored in family `cf`
// (members for kHiddenMembers) and returns what it returns; `fallback` for
// the families that hold no entities (index, refs, meta).
template <class F, class R>
R for_kind(Cf cf, F&& f, R fallback) {
  if (cf == Cf::kHiddenMembers) cf = Cf::kMembers;
  R out = std::move(fallback);
  for_each_kind([&]<class T>(std::type_identity<T> t) {
    if (Kind<T>::cf == cf) out = f(t);
  });
  return out;
}

// The kinds as data, for verify, stats and settings.
struct KindInfo {
  std::string_view name;
  Cf cf;
  Components component;  // kNone: always kept
  keys::KeyShape shape;
  std::span<const std::string_view> key_names;
  GuildScope scope;
};
template <class T>
constexpr KindInfo kind_info() {
  return {Kind<T>::name, Kind<T>::cf, Kind<T>::component, Kind<T>::shape, Kind<T>::key_names, Kind<T>::scope};
}
inline constexpr auto kKindTable = []<class... Ts>(KindList<Ts...>) {
  return std::array<KindInfo, sizeof...(Ts)>{kind_info<Ts>()...};
}(AllKinds{});

// The position in kKindTable of the kind an index tag belongs to;
// kKindTable.size() for none. (An index, not a pointer, so that static_asserts
// can test it: GCC's -fsanitize=undefined makes a pointer's comparison with
// null non-constant.)
constexpr std::size_t kind_index_of_tag(keys::IndexTag tag) {
  std::size_t out = kKindTable.size(), i = 0;
  [&]<class... Ts>(KindList<Ts...>) {
    auto visit = [&]<class T>() {
      for (auto t : Kind<T>::index_tags) {
        if (t == tag) out = i;
      }
      ++i;
    };
    (visit.template operator()<Ts>(), ...);
  }(AllKinds{});
  return out;
}

// The kind an index tag belongs to; nullptr for none.
inline const KindInfo* kind_of_tag(keys::IndexTag tag) {
  std::size_t i = kind_index_of_tag(tag);
  return i < kKindTable.size() ? &kKindTable[i] : nullptr;
}

// --- what must agree -----------------------------------------------------------

namespace kinds_check {

constexpr bool one_kind_per_entity_family() {
  for (const Family& f : kFamilies) {
    std::size_t n = 0;
    for (const KindInfo& k : kKindTable) n += k.cf == f.cf;
    const bool want = f.entities && f.cf != Cf::kHiddenMembers;  // hidden members are members
    if (n != (want ? 1u : 0u)) return false;
  }
  return true;
}

constexpr bool components_cover_all() {
  auto all = Components::kMe;  // `me` lives in meta, not in a kind of its own
  for (const KindInfo& k : kKindTable) {
    if (has_all(all, k.component) && k.component != Components::kNone) return false;  // two kinds, one bit
    all = all | k.component;
  }
  return all == Components::kAll;
}

constexpr bool key_names_match_shapes() {
  for (const KindInfo& k : kKindTable) {
    if (k.key_names.size() != keys::part_count(k.shape)) return false;
  }
  return true;
}

constexpr bool every_index_tag_has_one_kind() {
  for (auto tag : keys::kIndexTags) {
    if (kind_index_of_tag(tag) == kKindTable.size()) return false;
  }
  return true;
}

template <class T>
constexpr bool guild_scope_consistent() {
  if constexpr (Kind<T>::scope == GuildScope::kIndex) {
    // the guild index is one of the kind's own, scoped by the guild first
    for (auto t : Kind<T>::index_tags) {
      if (t == Kind<T>::guild_index) return true;
    }
    return false;
  } else if constexpr (Kind<T>::scope == GuildScope::kKeyPrefix) {
    return Kind<T>::shape == keys::KeyShape::kPair && family(Kind<T>::cf).prefix == KeyPrefix::kGuild;
  } else {
    return true;
  }
}
constexpr bool guild_scopes_consistent() {
  return []<class... Ts>(KindList<Ts...>) { return (guild_scope_consistent<Ts>() && ...); }(AllKinds{});
}

}  // namespace kinds_check

static_assert(kinds_check::one_kind_per_entity_family(), "each entity family of families.h holds exactly one kind");
static_assert(kinds_check::components_cover_all(), "each Components bit but kMe enables exactly one kind");
static_assert(kinds_check::key_names_match_shapes(), "a kind names every part of its key shape");
static_assert(kinds_check::every_index_tag_has_one_kind(), "every keys::IndexTag belongs to a kind");
static_assert(kinds_check::guild_scopes_consistent(), "a kind's guild scope matches its index tags or key shape");

}  // namespace snowcache::detail
