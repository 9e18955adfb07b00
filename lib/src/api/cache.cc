// The read side: open, and every getter and view of hikari's Cache.
#include "snowcache/cache.h"

#include <algorithm>
#include <tuple>

#include "api/cache_state.h"
#include "model/entity_ops.h"
#include "api/settings_apply.h"

namespace snowcache {

using detail::Cf;
using detail::Kind;
using detail::ViewSpec;


namespace {

template <class K, class V>
CacheView<K, V> view_of(std::shared_ptr<ViewSpec> spec) {
  return detail::make_view<K, V>(std::move(spec));
}

// The index view `spec` in ascending entity key instead of index order (the
// index sorts by a scope first: a thread's parent, an invite's channel).
template <class K, class V>
CacheView<K, V> by_entity_key(std::shared_ptr<ViewSpec> spec) {
  auto ks = std::make_shared<std::vector<std::string>>();
  for (detail::ViewCursor c(spec); c.valid(); c.next()) ks->emplace_back(c.entity_key());
  std::sort(ks->begin(), ks->end());
  spec->ordered = std::move(ks);
  return view_of<K, V>(std::move(spec));
}

template <class T>
CacheView<Snowflake, T> whole(const detail::CacheState& s) {
  return view_of<Snowflake, T>(detail::range_spec<T>(s.snapshot()));
}

template <class T>
CacheView<Snowflake, T> by_index(const detail::CacheState& s, std::string prefix) {
  return view_of<Snowflake, T>(detail::index_spec<T>(s.snapshot(), std::move(prefix)));
}

template <class T>
CacheView<Snowflake, T> guild_scoped(const detail::CacheState& s, Snowflake guild) {
  return view_of<Snowflake, T>(detail::range_spec<T>(s.snapshot(), keys::id(guild), keys::kPairSecond));
}

template <class T>
NestedView<T> nested(const detail::CacheState& s) {
  return detail::make_nested_view<T>(detail::range_spec<T>(s.snapshot()));
}

template <class T>
Maybe<T> get_by_key(const detail::CacheState& s, std::string_view key) {
  if (!s.enabled(Kind<T>::component)) return std::optional<Value<T>>();
  return detail::read_front<T>(*s.store, key);
}

// Guild views filtered on availability.
CacheView<Snowflake, fb::Guild> guilds_where(const detail::CacheState& s, bool unavailable) {
  auto spec = detail::range_spec<fb::Guild>(s.snapshot());
  spec->filter_on_scan = true;
  spec->accept = [unavailable](std::string_view key, const detail::Bytes& b) {
    auto v = Value<fb::Guild>::verify(detail::Bytes::copy_of(b.view()), detail::describe<fb::Guild>(key));
    if (!v.ok()) throw Error(v.status());
    return (*v)->unavailable() == unavailable;
  };
  return view_of<Snowflake, fb::Guild>(std::move(spec));
}

}  // namespace

Cache::Cache(std::shared_ptr<detail::CacheState> state) : state_(std::move(state)) {}
Cache::~Cache() = default;

Result<std::unique_ptr<Cache>> Cache::open(const std::string& path, Options options) {
  if (!options.secondary) options.read_only = true;
  auto store = detail::Store::open(path, options);
  if (!store.ok()) return store.status();
  auto state = std::make_shared<detail::CacheState>();
  state->store = std::move(*store);
  state->writer = std::make_unique<detail::Writer>(state->store);
  auto settings = detail::load_settings(*state->store);
  if (!settings.ok()) return settings.status();
  state->settings = *settings;
  return std::unique_ptr<Cache>(new Cache(std::move(state)));
}

const Settings& Cache::settings() const { return state_->settings; }
const std::string& Cache::path() const { return state_->store->path(); }
Status Cache::catch_up() { return state_->store->catch_up(); }

// --- guilds ---
Maybe<fb::Guild> Cache::get_guild(Snowflake guild) const { return get_by_key<fb::Guild>(*state_, keys::inline_id(guild).view()); }

Maybe<fb::Guild> Cache::get_available_guild(Snowflake guild) const {
  auto g = get_guild(guild);
  if (g.ok() && *g && (**g)->unavailable()) return std::optional<Value<fb::Guild>>();
  return g;
}

Maybe<fb::Guild> Cache::get_unavailable_guild(Snowflake guild) const {
  auto g = get_guild(guild);
  if (g.ok() && *g && !(**g)->unavailable()) return std::optional<Value<fb::Guild>>();
  return g;
}

CacheView<Snowflake, fb::Guild> Cache::get_guilds_view() const { return whole<fb::Guild>(*state_); }

CacheView<Snowflake, fb::Guild> Cache::get_available_guilds_view() const {
  if (!state_->enabled(Components::kGuilds)) return {};
  return guilds_where(*state_, false);
}

CacheView<Snowflake, fb::Guild> Cache::get_unavailable_guilds_view() const {
  if (!state_->enabled(Components::kGuilds)) return {};
  return guilds_where(*state_, true);
}

// --- guild channels ---
Maybe<fb::GuildChannel> Cache::get_guild_channel(Snowflake channel) const {
  return get_by_key<fb::GuildChannel>(*state_, keys::inline_id(channel).view());
}

CacheView<Snowflake, fb::GuildChannel> Cache::get_guild_channels_view() const {
  if (!state_->enabled(Components::kGuildChannels)) return {};
  return whole<fb::GuildChannel>(*state_);
}

CacheView<Snowflake, fb::GuildChannel> Cache::get_guild_channels_view_for_guild(Snowflake guild) const {
  if (!state_->enabled(Components::kGuildChannels)) return {};
  // Discord's client order (hikari-reference §3.2): a category sorts as
  // (position, -1, 0); any other channel as (parent's position or -1, 1 for
  // a voice channel else 0, position); ties by id. A parent that is not
  // cached counts as no parent (semantics.md R2, fixes D10).
  auto spec = detail::index_spec<fb::GuildChannel>(state_->snapshot(),
                                                   keys::index_prefix(keys::IndexTag::kChannelByGuild, guild));
  struct Row {
    std::string key;
    std::uint64_t id;
    std::int64_t parent;
    int type;
    std::int64_t position;
    std::optional<std::uint64_t> parent_id;
  };
  std::vector<Row> rows;
  for (detail::ViewCursor c(spec); c.valid(); c.next()) {
    auto v = Value<fb::GuildChannel>::verify(c.value(), c.describe());
    if (!v.ok()) throw Error(v.status());
    const auto& ch = **v;
    std::optional<std::uint64_t> parent_id;
    if (ch.parent_id()) parent_id = *ch.parent_id();
    rows.push_back({std::string(c.entity_key()), ch.id(), 0, ch.type(), ch.position(), parent_id});
  }
  constexpr int kCategory = 4, kVoice = 2;
  auto position_of = [&](std::uint64_t id) -> std::optional<std::int64_t> {
    for (const auto& r : rows) {
      if (r.id == id && r.type == kCategory) return r.position;
    }
    return std::nullopt;
  };
  using SortKey = std::tuple<std::int64_t, int, std::int64_t>;
  std::vector<std::pair<SortKey, std::size_t>> order;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const Row& r = rows[i];
    SortKey k;
    if (r.type == kCategory) {
      k = {r.position, -1, 0};
    } else {
      std::int64_t pp = -1;
      if (r.parent_id) pp = position_of(*r.parent_id).value_or(-1);
      k = {pp, r.type == kVoice ? 1 : 0, r.position};
    }
    order.emplace_back(k, i);
  }
  std::stable_sort(order.begin(), order.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  auto keys_in_order = std::make_shared<std::vector<std::string>>();
  for (auto& [k, i] : order) keys_in_order->push_back(rows[i].key);
  spec->ordered = std::move(keys_in_order);
  return view_of<Snowflake, fb::GuildChannel>(std::move(spec));
}

// --- threads ---
Maybe<fb::Thread> Cache::get_thread(Snowflake thread) const { return get_by_key<fb::Thread>(*state_, keys::inline_id(thread).view()); }

CacheView<Snowflake, fb::Thread> Cache::get_threads_view() const { return whole<fb::Thread>(*state_); }

CacheView<Snowflake, fb::Thread> Cache::get_threads_view_for_guild(Snowflake guild) const {
  if (!state_->enabled(Components::kGuildThreads)) return {};
  // Index order is guild|parent|thread; the per-guild view is ascending id.
  return by_entity_key<Snowflake, fb::Thread>(detail::index_spec<fb::Thread>(
      state_->snapshot(), keys::index_prefix(keys::IndexTag::kThreadByGuild, guild)));
}

CacheView<Snowflake, fb::Thread> Cache::get_threads_view_for_channel(Snowflake guild, Snowflake channel) const {
  if (!state_->enabled(Components::kGuildThreads)) return {};
  return by_index<fb::Thread>(*state_, keys::index_prefix(keys::IndexTag::kThreadByGuild, guild, channel));
}

// --- roles ---
Maybe<fb::Role> Cache::get_role(Snowflake role) const { return get_by_key<fb::Role>(*state_, keys::inline_id(role).view()); }

CacheView<Snowflake, fb::Role> Cache::get_roles_view() const {
  if (!state_->enabled(Components::kRoles)) return {};
  return whole<fb::Role>(*state_);
}

CacheView<Snowflake, fb::Role> Cache::get_roles_view_for_guild(Snowflake guild) const {
  if (!state_->enabled(Components::kRoles)) return {};
  return by_index<fb::Role>(*state_, keys::index_prefix(keys::IndexTag::kRoleByGuild, guild));
}

// --- emojis ---
Maybe<fb::Emoji> Cache::get_emoji(Snowflake emoji) const { return get_by_key<fb::Emoji>(*state_, keys::inline_id(emoji).view()); }

CacheView<Snowflake, fb::Emoji> Cache::get_emojis_view() const {
  if (!state_->enabled(Components::kEmojis)) return {};
  return whole<fb::Emoji>(*state_);
}

CacheView<Snowflake, fb::Emoji> Cache::get_emojis_view_for_guild(Snowflake guild) const {
  if (!state_->enabled(Components::kEmojis)) return {};
  return by_index<fb::Emoji>(*state_, keys::index_prefix(keys::IndexTag::kEmojiByGuild, guild));
}

// --- stickers ---
Maybe<fb::Sticker> Cache::get_sticker(Snowflake sticker) const {
  return get_by_key<fb::Sticker>(*state_, keys::inline_id(sticker).view());
}

CacheView<Snowflake, fb::Sticker> Cache::get_stickers_view() const {
  if (!state_->enabled(Components::kGuildStickers)) return {};
  return whole<fb::Sticker>(*state_);
}

CacheView<Snowflake, fb::Sticker> Cache::get_stickers_view_for_guild(Snowflake guild) const {
  if (!state_->enabled(Components::kGuildStickers)) return {};
  return by_index<fb::Sticker>(*state_, keys::index_prefix(keys::IndexTag::kStickerByGuild, guild));
}

// --- invites ---
Maybe<fb::Invite> Cache::get_invite(const std::string& code) const { return get_by_key<fb::Invite>(*state_, code); }

CacheView<std::string, fb::Invite> Cache::get_invites_view() const {
  if (!state_->enabled(Components::kInvites)) return {};
  return view_of<std::string, fb::Invite>(detail::range_spec<fb::Invite>(state_->snapshot()));
}

CacheView<std::string, fb::Invite> Cache::get_invites_view_for_guild(Snowflake guild) const {
  if (!state_->enabled(Components::kInvites)) return {};
  // Index order is guild|channel|code; the per-guild view is ascending code (R2).
  return by_entity_key<std::string, fb::Invite>(detail::index_spec<fb::Invite>(
      state_->snapshot(), keys::index_prefix(keys::IndexTag::kInviteByGuild, guild)));
}

CacheView<std::string, fb::Invite> Cache::get_invites_view_for_channel(Snowflake guild, Snowflake channel) const {
  if (!state_->enabled(Components::kInvites)) return {};
  return view_of<std::string, fb::Invite>(detail::index_spec<fb::Invite>(
      state_->snapshot(), keys::index_prefix(keys::IndexTag::kInviteByGuild, guild, channel)));
}

// --- members ---
Maybe<fb::Member> Cache::get_member(Snowflake guild, Snowflake user) const {
  return get_by_key<fb::Member>(*state_, keys::inline_pair(guild, user).view());
}

NestedView<fb::Member> Cache::get_members_view() const {
  if (!state_->enabled(Components::kMembers)) return {};
  return nested<fb::Member>(*state_);
}

CacheView<Snowflake, fb::Member> Cache::get_members_view_for_guild(Snowflake guild) const {
  if (!state_->enabled(Components::kMembers)) return {};
  return guild_scoped<fb::Member>(*state_, guild);
}

// --- users ---
Maybe<fb::User> Cache::get_user(Snowflake user) const { return get_by_key<fb::User>(*state_, keys::inline_id(user).view()); }

CacheView<Snowflake, fb::User> Cache::get_users_view() const { return whole<fb::User>(*state_); }

// --- presences ---
Maybe<fb::Presence> Cache::get_presence(Snowflake guild, Snowflake user) const {
  return get_by_key<fb::Presence>(*state_, keys::inline_pair(guild, user).view());
}

NestedView<fb::Presence> Cache::get_presences_view() const {
  if (!state_->enabled(Components::kPresences)) return {};
  return nested<fb::Presence>(*state_);
}

CacheView<Snowflake, fb::Presence> Cache::get_presences_view_for_guild(Snowflake guild) const {
  if (!state_->enabled(Components::kPresences)) return {};
  return guild_scoped<fb::Presence>(*state_, guild);
}

// --- voice states ---
Maybe<fb::VoiceState> Cache::get_voice_state(Snowflake guild, Snowflake user) const {
  return get_by_key<fb::VoiceState>(*state_, keys::inline_pair(guild, user).view());
}

NestedView<fb::VoiceState> Cache::get_voice_states_view() const {
  if (!state_->enabled(Components::kVoiceStates)) return {};
  return nested<fb::VoiceState>(*state_);
}

CacheView<Snowflake, fb::VoiceState> Cache::get_voice_states_view_for_guild(Snowflake guild) const {
  if (!state_->enabled(Components::kVoiceStates)) return {};
  return guild_scoped<fb::VoiceState>(*state_, guild);
}

CacheView<Snowflake, fb::VoiceState> Cache::get_voice_states_view_for_channel(Snowflake guild, Snowflake channel) const {
  if (!state_->enabled(Components::kVoiceStates)) return {};
  // Index entries end in the user id; the view key is the user, the entity guild|user.
  auto spec = detail::index_spec<fb::VoiceState>(state_->snapshot(),
                                                 keys::index_prefix(keys::IndexTag::kVoiceByChannel, guild, channel));
  spec->key_offset = keys::kPairSecond;
  spec->entity_prefix = keys::id(guild);
  return view_of<Snowflake, fb::VoiceState>(std::move(spec));
}

// --- messages ---
Maybe<fb::Message> Cache::get_message(Snowflake message) const {
  return get_by_key<fb::Message>(*state_, keys::inline_id(message).view());
}

CacheView<Snowflake, fb::Message> Cache::get_messages_view() const {
  if (!state_->enabled(Components::kMessages)) return {};
  return whole<fb::Message>(*state_);
}

// --- me ---
Maybe<fb::OwnUser> Cache::get_me() const {
  auto raw = state_->store->get(Cf::kMeta, keys::kMetaMe);
  if (!raw.ok()) return raw.status();
  if (!*raw) return std::optional<Value<fb::OwnUser>>();
  auto v = Value<fb::OwnUser>::verify(std::move(*raw), "me");
  if (!v.ok()) return v.status();
  return std::optional<Value<fb::OwnUser>>(std::move(v).value());
}

// --- DM channel ids ---
Result<std::optional<Snowflake>> Cache::get_dm_channel_id(Snowflake user) const {
  if (!state_->enabled(Components::kDmChannelIds)) return std::optional<Snowflake>();
  auto v = detail::read_entity<fb::DmChannelId>(*state_->store, keys::id(user));
  if (!v.ok()) return v.status();
  if (!*v) return std::optional<Snowflake>();
  return std::optional<Snowflake>(Snowflake((**v)->channel_id()));
}

CacheView<Snowflake, fb::DmChannelId> Cache::get_dm_channel_ids_view() const {
  if (!state_->enabled(Components::kDmChannelIds)) return {};
  return detail::dm_channel_ids_in_order(state_->snapshot());
}

}  // namespace snowcache
