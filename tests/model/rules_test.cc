// rules (lib/src/model/rules.h): the multi-entity rules, each run in a Txn of
// an in-memory cache's own writer and checked through the public getters: a
// voice state holds the cached member; a guild update keeps what only
// GUILD_CREATE brings; the message cap; message patches; a guild's scope
// erased per component; DM channel ids; the guild ids anything is cached for;
// the member-list sweep; member_count.
#include "model/guild_scope.h"
#include "model/rules.h"

#include <functional>
#include <ostream>
#include <set>
#include <string>
#include <vector>

#include "whitebox.h"

using namespace snowcache;
using namespace snowcache::testing;
using detail::Cf;
using detail::Txn;
using keys::MemberRecord;

namespace {

constexpr std::uint64_t kG = 1, kOther = 2;

struct Rig {
  std::unique_ptr<MutableCache> c = memory_cache();

  Txn txn() const { return Txn(*Peek::state(*c).writer); }
  // Runs `fn` in one Txn and commits it.
  void apply(const std::function<Status(Txn&)>& fn) {
    auto t = txn();
    ok(fn(t));
    ok(t.commit());
  }
  // Runs a rule that returns the previous value in one Txn, commits it, and returns that value.
  template <class T>
  std::optional<Value<T>> apply(const std::function<Maybe<T>(Txn&)>& fn) {
    std::optional<Value<T>> out;
    apply([&](Txn& t) {
      auto m = fn(t);
      if (m.ok()) out = *m;
      return m.status();
    });
    return out;
  }
  // What a Txn started now reads.
  template <class R>
  R read(const std::function<Result<R>(Txn&)>& fn) const {
    auto t = txn();
    return ok(fn(t));
  }
  MemberRecord record(std::uint64_t g, std::uint64_t u) const {
    return read<MemberRecord>([&](Txn& t) { return t.member_record(S(g), S(u)); });
  }
  // The meta keys of a guild's sweep: its window, marks and chunk progress.
  std::size_t sweep_keys(std::uint64_t g) const {
    return read<std::vector<std::string>>([&](Txn& t) { return detail::range_keys(t, Cf::kMeta, keys::sweep_prefix(S(g))); })
        .size();
  }
  std::set<std::uint64_t> cached_guilds() const {
    std::set<std::uint64_t> out;
    auto t = txn();
    ok(detail::cached_guild_ids(t, out));
    return out;
  }
  MutableCache* operator->() const { return c.get(); }
  const MutableCache& operator*() const { return *c; }
};

template <class T>
std::string bytes(const typename T::NativeTableType& v) {
  return detail::pack<T>(v);
}

// ---- a guild's scope: one entity of every scoped kind ----------------------------

// Ids are g * 1000 + n. Users: 11 (member, presence), 12 (member in voice), 13
// (a message's author: a hidden member), 41 / 51 creators, 61 inviter.
std::uint64_t id(std::uint64_t g, std::uint64_t n) { return g * 1000 + n; }

void populate(MutableCache& c, std::uint64_t g) {
  ok(c.set_guild(guild(g)));
  ok(c.set_guild_channel(channel(id(g, 10), g)));
  ok(c.set_thread(thread(id(g, 20), g, id(g, 10))));
  ok(c.set_role(role(id(g, 30), g)));
  ok(c.set_emoji(emoji(id(g, 40), g, id(g, 41))));
  ok(c.set_sticker(sticker(id(g, 50), g, id(g, 51))));
  ok(c.set_invite(invite("inv" + std::to_string(g), g, id(g, 10), id(g, 61))));
  ok(c.set_member(member(g, id(g, 11))));
  ok(c.set_presence(presence(g, id(g, 11))));
  ok(c.set_member(member(g, id(g, 12))));
  ok(c.set_voice_state(voice_state(g, id(g, 12), id(g, 10))));
  ok(c.set_message(message(id(g, 100), id(g, 10), g, id(g, 13))));
}

// How many entities of each scoped kind a guild has.
struct Scope {
  std::size_t channels = 0, threads = 0, roles = 0, emojis = 0, stickers = 0, invites = 0, members = 0,
              presences = 0, voice_states = 0, messages = 0;
  friend bool operator==(const Scope&, const Scope&) = default;
  friend std::ostream& operator<<(std::ostream& os, const Scope& s) {
    return os << "{channels " << s.channels << ", threads " << s.threads << ", roles " << s.roles << ", emojis "
              << s.emojis << ", stickers " << s.stickers << ", invites " << s.invites << ", members " << s.members
              << ", presences " << s.presences << ", voice_states " << s.voice_states << ", messages "
              << s.messages << "}";
  }
};

Scope scope_of(const Rig& r, std::uint64_t g) {
  const Cache& c = *r;
  Scope s;
  s.channels = c.get_guild_channels_view_for_guild(S(g)).size();
  s.threads = c.get_threads_view_for_guild(S(g)).size();
  s.roles = c.get_roles_view_for_guild(S(g)).size();
  s.emojis = c.get_emojis_view_for_guild(S(g)).size();
  s.stickers = c.get_stickers_view_for_guild(S(g)).size();
  s.invites = c.get_invites_view_for_guild(S(g)).size();
  s.members = c.get_members_view_for_guild(S(g)).size();
  s.presences = c.get_presences_view_for_guild(S(g)).size();
  s.voice_states = c.get_voice_states_view_for_guild(S(g)).size();
  s.messages = r.read<std::vector<std::string>>([&](Txn& t) {
                  return detail::index_entities(t, keys::index_prefix(keys::IndexTag::kMessageByGuild, S(g)));
                }).size();
  return s;
}

const Scope kFullScope{1, 1, 1, 1, 1, 1, 2, 1, 1, 1};

// ---- the member-list sweep -------------------------------------------------------

// Guild kG (member_count 3) with members 11, 12, 13 and presences 11, 13 cached
// before a large GUILD_CREATE opened its window; then chunk 0 of 2 (nonce "n")
// rewrote members 11, 12 and presence 11.
Rig half_listed() {
  Rig r;
  auto g = guild(kG);
  g.member_count = 3;
  ok(r->set_guild(g));
  for (std::uint64_t u : {11, 12, 13}) ok(r->set_member(member(kG, u)));
  for (std::uint64_t u : {11, 13}) ok(r->set_presence(presence(kG, u)));
  r.apply([](Txn& t) { return detail::reset_sweep(t, S(kG), true); });
  ok(r->set_member(member(kG, 11, "listed")));
  ok(r->set_member(member(kG, 12, "listed")));
  ok(r->set_presence(presence(kG, 11)));
  r.apply([](Txn& t) { return detail::record_chunk(t, S(kG), "n", 0, 2, 2, false); });
  return r;
}

// Puts a voice state of user u in kG through the rule, without a member or with `with`.
std::optional<Value<fb::VoiceState>> put_voice(Rig& r, fb::VoiceStateT v) {
  return r.apply<fb::VoiceState>([&](Txn& t) { return detail::put_voice_state(t, bytes<fb::VoiceState>(v)); });
}

// The nick of the member a voice state holds, as the getter joins it.
std::string voice_member_nick(const Rig& r, std::uint64_t u) {
  auto vs = ok(r->get_voice_state(S(kG), S(u)));
  if (!vs) return "<no voice state>";
  if (!(*vs)->member()) return "<no member>";
  return (*vs)->member()->nick() ? (*vs)->member()->nick()->str() : "<no nick>";
}

Ids member_ids(const Rig& r) { return ids(r->get_members_view_for_guild(S(kG))); }
Ids presence_ids(const Rig& r) { return ids(r->get_presences_view_for_guild(S(kG))); }

}  // namespace

// ---------------------------------------------------------------- voice states

TEST_CASE("rules: a voice state without a member holds the cached listed member") {
  Rig r;
  ok(r->set_member(member(kG, 11, "nick")));
  CHECK_FALSE(put_voice(r, voice_state(kG, 11, 10, false)));
  CHECK(voice_member_nick(r, 11) == "nick");
  CHECK(r.record(kG, 11) == MemberRecord{1, true});
}

TEST_CASE("rules: a voice state without a member holds the cached hidden member") {
  Rig r;
  ok(r->set_member(member(kG, 11, "hidden one")));
  auto holder = message(500, 10, kG, 11);
  holder.member->nick = "hidden one";
  ok(r->set_message(holder));  // holds it
  CHECK_FALSE(ok(r->delete_member(S(kG), S(11))));  // hidden
  CHECK_FALSE(put_voice(r, voice_state(kG, 11, 10, false)));
  CHECK(voice_member_nick(r, 11) == "hidden one");
  CHECK(r.record(kG, 11) == MemberRecord{2, false});
}

TEST_CASE("rules: a voice state without a member and none cached holds nothing; one with a member holds that") {
  Rig r;
  CHECK_FALSE(put_voice(r, voice_state(kG, 11, 10, false)));
  CHECK(voice_member_nick(r, 11) == "<no member>");
  CHECK(r.record(kG, 11) == MemberRecord{});

  auto with = voice_state(kG, 12, 10);
  with.member->nick = "from the payload";
  CHECK_FALSE(put_voice(r, with));
  CHECK(voice_member_nick(r, 12) == "from the payload");
  CHECK(r.record(kG, 12) == MemberRecord{1, false});
  auto previous = put_voice(r, voice_state(kG, 12, 20, false));  // moves: returns the voice state it replaced
  REQUIRE(previous);
  CHECK((*previous)->channel_id() == 10);
  CHECK(voice_member_nick(r, 12) == "from the payload");  // the cached member, held now without a payload
}

TEST_CASE("rules: with_member puts the member into a voice state and keeps the voice state's fields") {
  auto member_bytes = bytes<fb::Member>(member(kG, 11, "nick"));
  auto joined = detail::with_member(bytes<fb::VoiceState>(voice_state(kG, 11, 10, false)), member_bytes);
  flatbuffers::Verifier v(reinterpret_cast<const std::uint8_t*>(joined.data()), joined.size());
  REQUIRE(fb::VerifyVoiceStateBuffer(v));
  const auto* vs = fb::GetVoiceState(joined.data());
  CHECK(vs->guild_id() == kG);
  CHECK(vs->user_id() == 11);
  CHECK(vs->channel_id() == 10);
  CHECK(vs->session_id()->str() == "session");
  REQUIRE(vs->member());
  CHECK(vs->member()->nick()->str() == "nick");
  CHECK(vs->member()->user()->id() == 11);
  CHECK(vs->member()->user()->username()->str() == "user11");
}

// ---------------------------------------------------------------- guild updates

TEST_CASE("rules: a guild update keeps the cached member_count, large and joined_at") {
  Rig r;
  auto cached = guild(kG, "before");
  cached.member_count = 5;
  cached.large = true;
  cached.joined_at = "2021-01-01T00:00:00+00:00";
  ok(r->set_guild(cached));

  auto update = guild(kG, "after");
  update.member_count = 9;  // an update's count is not Discord's: the cached one stays
  r.apply([&](Txn& t) { return detail::merge_guild_update(t, update, true); });
  CHECK(update.name == "after");
  CHECK(update.member_count == 5);
  CHECK(update.large);
  CHECK(update.joined_at == "2021-01-01T00:00:00+00:00");

  auto shaped = guild(kG, "api update");  // not an update, but without member_count
  shaped.member_count.reset();
  r.apply([&](Txn& t) { return detail::merge_guild_update(t, shaped, false); });
  CHECK(shaped.member_count == 5);
  CHECK(shaped.large);
  CHECK(shaped.joined_at == "2021-01-01T00:00:00+00:00");
}

TEST_CASE("rules: a guild update merges nothing when the guild is not cached") {
  Rig r;
  auto update = guild(kG, "after");
  update.member_count.reset();
  r.apply([&](Txn& t) { return detail::merge_guild_update(t, update, true); });
  CHECK_FALSE(update.member_count.has_value());
  CHECK_FALSE(update.large);
  CHECK(update.joined_at.empty());
}

TEST_CASE("rules: a guild that is not an update and has a member_count is left untouched") {
  Rig r;
  auto cached = guild(kG);
  cached.member_count = 5;
  cached.large = true;
  cached.joined_at = "2021-01-01T00:00:00+00:00";
  ok(r->set_guild(cached));
  auto created = guild(kG);
  created.member_count = 7;
  r.apply([&](Txn& t) { return detail::merge_guild_update(t, created, false); });
  CHECK(created.member_count == 7);
  CHECK_FALSE(created.large);
  CHECK(created.joined_at.empty());
}

// ---------------------------------------------------------------- messages

TEST_CASE("rules: put_message evicts the smallest ids above the cap and releases what they held") {
  Rig r;
  auto put = [&](std::uint64_t msg, std::optional<std::uint64_t> g, std::uint64_t author, Ids mentions) {
    r.apply([&](Txn& t) { return detail::put_message(t, bytes<fb::Message>(message(msg, 10, g, author, mentions)), 2).status(); });
  };
  put(102, std::nullopt, 12, {});
  put(100, kG, 11, {21});  // smaller id, put later
  CHECK(ids(r->get_messages_view()) == Ids{100, 102});
  CHECK(r.record(kG, 11) == MemberRecord{1, false});
  put(101, std::nullopt, 13, {});
  CHECK(ids(r->get_messages_view()) == Ids{101, 102});
  CHECK_FALSE(has_user(*r, 11));
  CHECK_FALSE(has_user(*r, 21));
  CHECK(r.record(kG, 11) == MemberRecord{});
  CHECK(raw_size(*r, Cf::kHiddenMembers) == 0);
  CHECK(has_user(*r, 12));
  CHECK(has_user(*r, 13));
  require_verifies(*r);
}

TEST_CASE("rules: patch_message keeps author, member, guild, channel and the referenced message as cached") {
  Rig r;
  auto cached = message(100, 10, kG, 11, {21});
  cached.member->nick = "author's nick";
  cached.referenced_message = std::make_unique<fb::MessageT>(message(90, 10, kG, 12));
  ok(r->set_message(cached));

  auto patched = message(100, 66, 99, 98, {22});
  patched.content = "edited";
  patched.referenced_message = std::make_unique<fb::MessageT>(message(80, 66, 99, 98));
  auto was = r.apply<fb::Message>([&](Txn& t) { return detail::patch_message(t, std::move(patched)); });
  REQUIRE(was);
  CHECK((*was)->content()->str() == "message 100");
  auto now = ok(r->get_message(S(100)));
  REQUIRE(now);
  const fb::Message& m = **now;
  CHECK(m.content()->str() == "edited");
  CHECK(m.author()->id() == 11);
  CHECK(m.member()->user()->id() == 11);
  CHECK(m.member()->nick()->str() == "author's nick");
  CHECK(m.guild_id() == kG);
  CHECK(m.channel_id() == 10);
  CHECK(m.referenced_message()->id() == 90);
  REQUIRE(m.mentions()->size() == 1);
  CHECK(m.mentions()->Get(0)->id() == 22);  // the rest is the patch's
  CHECK_FALSE(has_user(*r, 98));
  CHECK_FALSE(has_user(*r, 21));
  require_verifies(*r);
}

TEST_CASE("rules: patch_message keeps referenced_message_deleted, and does nothing for a message not cached") {
  Rig r;
  auto cached = message(100, 10, std::nullopt, 11);
  cached.referenced_message_deleted = true;
  ok(r->set_message(cached));
  auto patched = message(100, 10, std::nullopt, 11);
  r.apply([&](Txn& t) { return detail::patch_message(t, std::move(patched)).status(); });
  CHECK(ok(r->get_message(S(100))).value()->referenced_message_deleted());

  CHECK_FALSE(r.apply<fb::Message>([](Txn& t) { return detail::patch_message(t, message(200, 10, std::nullopt, 12)); }));
  CHECK_FALSE(ok(r->get_message(S(200))));
  CHECK_FALSE(has_user(*r, 12));
}

// ---------------------------------------------------------------- a guild's scope

TEST_CASE("rules: erase_guild_scope with every component removes the guild's scope and what only it held") {
  Rig r;
  populate(*r.c, kG);
  populate(*r.c, kOther);
  REQUIRE(scope_of(r, kG) == kFullScope);
  r.apply([](Txn& t) { return detail::erase_guild_scope(t, S(kG), Components::kAll); });
  CHECK(scope_of(r, kG) == Scope{});
  CHECK(scope_of(r, kOther) == kFullScope);
  CHECK(ok(r->get_guild(S(kG))));  // the guild object is the caller's
  for (std::uint64_t u : {11, 12, 13, 41, 51, 61}) {
    CAPTURE(u);
    CHECK_FALSE(has_user(*r, id(kG, u)));
    CHECK(has_user(*r, id(kOther, u)));
  }
  require_verifies(*r);
}

TEST_CASE("rules: erase_guild_scope removes only the kinds enabled in the mask") {
  const std::vector<std::pair<Components, std::size_t Scope::*>> kinds = {
      {Components::kGuildChannels, &Scope::channels}, {Components::kGuildThreads, &Scope::threads},
      {Components::kRoles, &Scope::roles},             {Components::kEmojis, &Scope::emojis},
      {Components::kGuildStickers, &Scope::stickers},  {Components::kInvites, &Scope::invites},
      {Components::kMembers, &Scope::members},         {Components::kPresences, &Scope::presences},
      {Components::kVoiceStates, &Scope::voice_states}, {Components::kMessages, &Scope::messages},
  };
  for (auto [component, field] : kinds) {
    CAPTURE(static_cast<std::uint32_t>(component));
    Rig r;
    populate(*r.c, kG);
    r.apply([&](Txn& t) { return detail::erase_guild_scope(t, S(kG), component); });
    Scope expected = kFullScope;
    expected.*field = 0;
    CHECK(scope_of(r, kG) == expected);
    require_verifies(*r);
  }
}

TEST_CASE("rules: erasing members with their holders leaves no member record, hidden member or user behind") {
  Rig r;
  populate(*r.c, kG);
  r.apply([](Txn& t) {
    return detail::erase_guild_scope(t, S(kG), Components::kMembers | Components::kVoiceStates | Components::kMessages);
  });
  auto member_records = r.read<std::vector<std::string>>(
      [](Txn& t) { return detail::range_keys(t, Cf::kRefs, std::string(1, keys::kMemberRefTag) + keys::id(S(kG))); });
  CHECK(member_records.empty());
  CHECK(raw_size(*r, Cf::kHiddenMembers) == 0);
  for (std::uint64_t u : {11, 12, 13}) CHECK_FALSE(has_user(*r, id(kG, u)));
  require_verifies(*r);
}

// ---------------------------------------------------------------- DM channel ids

TEST_CASE("rules: record_dm_channel keeps a user's original position and evicts the oldest above the limit") {
  Rig r;
  auto record = [&](std::uint64_t user, std::uint64_t channel) {
    r.apply([&](Txn& t) { return detail::record_dm_channel(t, S(user), S(channel), 2); });
  };
  record(1, 101);
  record(2, 102);
  record(1, 111);  // a new channel, the old place
  CHECK(ids(r->get_dm_channel_ids_view()) == Ids{1, 2});
  CHECK(dm(*r, 1) == 111);
  record(3, 103);
  CHECK(ids(r->get_dm_channel_ids_view()) == Ids{2, 3});
  CHECK(dm(*r, 1) == std::nullopt);
  CHECK(dm(*r, 3) == 103);
}

// ---------------------------------------------------------------- cached guild ids

TEST_CASE("rules: cached_guild_ids finds a guild from the guild itself and from every scoped kind alone") {
  static constexpr std::uint64_t g = 7;
  auto no_member = [](fb::MessageT m) {
    m.member.reset();
    return m;
  };
  const std::vector<std::pair<const char*, std::function<void(Cache&)>>> alone = {
      {"guild", [](Cache& c) { raw_put<fb::Guild>(c, guild(g)); }},
      {"member", [](Cache& c) { raw_put<fb::Member>(c, member(g, 11)); }},
      {"presence", [](Cache& c) { raw_put<fb::Presence>(c, presence(g, 11)); }},
      {"voice state", [](Cache& c) { raw_put<fb::VoiceState>(c, voice_state(g, 11, 70, false)); }},
      {"channel", [](Cache& c) { raw_put<fb::GuildChannel>(c, channel(70, g)); }},
      {"thread", [](Cache& c) { raw_put<fb::Thread>(c, thread(71, g, 70)); }},
      {"role", [](Cache& c) { raw_put<fb::Role>(c, role(72, g)); }},
      {"emoji", [](Cache& c) { raw_put<fb::Emoji>(c, emoji(73, g)); }},
      {"sticker", [](Cache& c) { raw_put<fb::Sticker>(c, sticker(74, g)); }},
      {"invite", [](Cache& c) { raw_put<fb::Invite>(c, invite("code", g, 70)); }},
      {"message", [&](Cache& c) { raw_put<fb::Message>(c, no_member(message(75, 70, g, 11))); }},
  };
  CHECK(Rig().cached_guilds().empty());
  for (const auto& [kind, put] : alone) {
    CAPTURE(kind);
    Rig r;
    put(*r.c);
    CHECK(r.cached_guilds() == std::set<std::uint64_t>{g});
  }
  Rig both;
  populate(*both.c, kG);
  populate(*both.c, kOther);
  CHECK(both.cached_guilds() == std::set<std::uint64_t>{kG, kOther});
}

// ---------------------------------------------------------------- the member-list sweep

TEST_CASE("rules: has_members_or_presences sees members and presences, staged ones included") {
  Rig r;
  ok(r->set_member(member(1, 11)));
  ok(r->set_presence(presence(3, 11)));
  auto has = [&](std::uint64_t g) { return r.read<bool>([&](Txn& t) { return detail::has_members_or_presences(t, S(g)); }); };
  CHECK(has(1));
  CHECK_FALSE(has(2));
  CHECK(has(3));
  auto t = r.txn();
  CHECK(ok(detail::put_entity<fb::Member>(t, bytes<fb::Member>(member(2, 11)))) == std::nullopt);
  CHECK(ok(detail::has_members_or_presences(t, S(2))));
}

TEST_CASE("rules: reset_sweep forgets marks and chunk progress, and opens the window or leaves it closed") {
  Rig r = half_listed();
  CHECK(r.sweep_keys(kG) == 5);  // window, marks m11 m12 p11, progress of "n"
  r.apply([](Txn& t) { return detail::reset_sweep(t, S(kG), true); });
  CHECK(r.sweep_keys(kG) == 1);
  CHECK(r.read<bool>([](Txn& t) { return t.sweep_open(S(kG)); }));
  r.apply([](Txn& t) { return detail::reset_sweep(t, S(kG), false); });
  CHECK(r.sweep_keys(kG) == 0);
}

TEST_CASE("rules: the chunk that completes a sequence sweeps unmarked members and presences and closes the window") {
  Rig r = half_listed();
  CHECK(member_ids(r) == Ids{11, 12, 13});  // chunk 0 of 2 alone sweeps nothing
  ok(r->set_member(member(kG, 14)));
  r.apply([](Txn& t) { return detail::record_chunk(t, S(kG), "n", 1, 2, 1, false); });
  CHECK(member_ids(r) == Ids{11, 12, 14});
  CHECK(presence_ids(r) == Ids{11});
  CHECK(r.sweep_keys(kG) == 0);
  require_verifies(*r);
}

TEST_CASE("rules: a completed sequence with not_found, or with fewer members than member_count, sweeps nothing") {
  for (bool not_found : {true, false}) {
    CAPTURE(not_found);
    Rig r = half_listed();
    const std::uint64_t last_chunk_members = not_found ? 1 : 0;  // 2 + 0 < member_count 3
    r.apply([&](Txn& t) { return detail::record_chunk(t, S(kG), "n", 1, 2, last_chunk_members, not_found); });
    CHECK(member_ids(r) == Ids{11, 12, 13});
    CHECK(presence_ids(r) == Ids{11, 13});
    CHECK(r.read<bool>([](Txn& t) { return t.sweep_open(S(kG)); }));
  }
}

TEST_CASE("rules: a chunk received twice counts its members once") {
  Rig r = half_listed();
  r.apply([](Txn& t) { return detail::record_chunk(t, S(kG), "n", 0, 2, 2, false); });
  r.apply([](Txn& t) { return detail::record_chunk(t, S(kG), "n", 1, 2, 0, false); });  // 2 + 0 < 3
  CHECK(member_ids(r) == Ids{11, 12, 13});
}

TEST_CASE("rules: record_chunk rejects an index not below the count, and records nothing while the window is closed") {
  Rig r;
  auto t = r.txn();
  auto st = detail::record_chunk(t, S(kG), "n", 2, 2, 1, false);
  CHECK(st.code() == Code::kInvalidArgument);
  CHECK(st.message() == "d.chunk_index: 2 is not below chunk_count 2");
  ok(detail::record_chunk(t, S(kG), "n", 0, 2, 1, false));
  CHECK(ok(detail::range_keys(t, Cf::kMeta, keys::sweep_prefix(S(kG)))).empty());
}

// ---------------------------------------------------------------- member_count

TEST_CASE("rules: adjust_member_count adds to a cached guild's count, never below zero, and creates no guild") {
  Rig r;
  auto g = guild(kG);
  g.member_count = 5;
  ok(r->set_guild(g));
  auto count = [&] { return ok(r->get_guild(S(kG))).value()->member_count(); };
  r.apply([](Txn& t) { return detail::adjust_member_count(t, S(kG), +1); });
  CHECK(count() == 6);
  r.apply([](Txn& t) { return detail::adjust_member_count(t, S(kG), -10); });
  CHECK(count() == 0);
  r.apply([](Txn& t) { return detail::adjust_member_count(t, S(kOther), +1); });
  CHECK_FALSE(ok(r->get_guild(S(kOther))));
}
