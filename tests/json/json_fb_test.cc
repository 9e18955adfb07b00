// json_fb (lib/src/json/json_fb.h): Discord JSON objects of every entity table
// built into FlatBuffers — snowflakes as strings or numbers, null as absent,
// unknown keys ignored, the renames of the header comment — and the context a
// caller injects (a guild id, a message member's user, keys to skip, nulls),
// the ExtraKey callback, the present set, required fields, error paths, the
// depth limit of validate_json and json_snowflake's edge cases.
#include "json/json_fb.h"

#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "emoji_generated.h"
#include "guild_channel_generated.h"
#include "guild_generated.h"
#include "invite_generated.h"
#include "member_generated.h"
#include "message_generated.h"
#include "own_user_generated.h"
#include "presence_generated.h"
#include "role_generated.h"
#include "sticker_generated.h"
#include "json_support.h"
#include "thread_generated.h"
#include "user_generated.h"
#include "voice_state_generated.h"

using namespace snowcache;
using namespace snowcache::testing;
using detail::JsonContext;
using detail::Present;
using flatbuffers::TypeTable;
namespace od = simdjson::ondemand;

namespace {

constexpr std::uint64_t kMax = UINT64_MAX;

template <class F>
auto with_element(std::string_view token, F&& fn) {
  return with_value("[" + std::string(token) + "]", [&](od::value arr) {
    od::value first;
    REQUIRE(arr.at(0).get(first) == simdjson::SUCCESS);
    return fn(first);
  });
}

// A verified table built from `json`.
template <class T>
struct Built {
  std::string bytes;
  const T* operator->() const { return flatbuffers::GetRoot<T>(bytes.data()); }
};

template <class T>
Built<T> parse(std::string_view json, const JsonContext& ctx = {}) {
  return {built_json<T>(json, ctx)};
}

// The message of the InvalidArgument that building `json` fails with.
template <class T>
std::string error_of(std::string_view json, const JsonContext& ctx = {}) {
  auto r = build_json(T::MiniReflectTypeTable(), json, ctx);
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().code() == Code::kInvalidArgument);
  return r.status().message();
}

std::string text(const flatbuffers::String* s) { return s ? s->str() : "<absent>"; }

Ids ulongs(const flatbuffers::Vector<std::uint64_t>* v) { return v ? Ids(v->begin(), v->end()) : Ids{999}; }

// The field indexes a set holds, as names of `tt`.
std::vector<std::string> names(const TypeTable* tt, const Present& set) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < tt->num_elems; ++i) {
    if (set.test(i)) out.emplace_back(tt->names[i]);
  }
  return out;
}

// A ulong field read generically (nullopt when not stored).
std::optional<std::uint64_t> ulong_field(const TypeTable* tt, const std::string& bytes, std::string_view name) {
  int i = detail::field_index(tt, name);
  REQUIRE(i >= 0);
  const auto* t = flatbuffers::GetRoot<flatbuffers::Table>(bytes.data());
  if (!detail::has_field(*t, static_cast<std::size_t>(i))) return std::nullopt;
  return t->GetField<std::uint64_t>(flatbuffers::FieldIndexToOffset(static_cast<flatbuffers::voffset_t>(i)), 0);
}

Result<std::uint64_t> snowflake_of(std::string_view token) {
  return with_element(token, [](od::value v) { return detail::json_snowflake(v, "d.id"); });
}

std::string nested(int depth) { return std::string(static_cast<std::size_t>(depth), '[') + std::string(static_cast<std::size_t>(depth), ']'); }

Status validate(std::string_view json) {
  return with_value(json, [](od::value v) { return detail::validate_json(v, "d"); });
}

JsonContext in_guild(std::uint64_t g) {
  JsonContext ctx;
  ctx.guild_id = g;
  return ctx;
}

// A context whose message member's user is a User{id} built on demand.
JsonContext with_member_user(std::uint64_t user) {
  JsonContext ctx;
  ctx.member_user = [user](flatbuffers::FlatBufferBuilder& fbb) {
    fb::UserT u;
    u.id = user;
    return fb::User::Pack(fbb, &u).o;
  };
  return ctx;
}

}  // namespace

// ---------------------------------------------------------------- each table

TEST_CASE("json_fb: a user: snowflakes as strings, null as absent, unknown keys ignored, nested tables") {
  auto u = parse<fb::User>(R"({"id":"80351110224678912","username":"Nelly","discriminator":"1337",
    "global_name":null,"avatar":"8342729096ea3675442027381ff50dfe","bot":true,"public_flags":64,"accent_color":null,
    "avatar_decoration_data":{"asset":"a_1","sku_id":"1144058844004233369"},"verified":true,"clan":{"tag":"x"}})");
  CHECK(u->id() == 80351110224678912u);
  CHECK(text(u->username()) == "Nelly");
  CHECK(text(u->discriminator()) == "1337");
  CHECK(text(u->global_name()) == "<absent>");
  CHECK(text(u->avatar()) == "8342729096ea3675442027381ff50dfe");
  CHECK(u->bot());
  CHECK(u->public_flags() == 64);
  CHECK_FALSE(u->accent_color().has_value());
  REQUIRE(u->avatar_decoration_data());
  CHECK(text(u->avatar_decoration_data()->asset()) == "a_1");
  CHECK(u->avatar_decoration_data()->sku_id() == 1144058844004233369u);
}

TEST_CASE("json_fb: snowflakes may be JSON numbers, bitfields and integers may be strings") {
  auto u = parse<fb::User>(R"({"id":80351110224678912,"public_flags":"131072","accent_color":"16711680"})");
  CHECK(u->id() == 80351110224678912u);
  CHECK(u->public_flags() == 131072);
  CHECK(u->accent_color() == 16711680);
}

TEST_CASE("json_fb: an own user keeps the fields only the current user has") {
  auto me = parse<fb::OwnUser>(
      R"({"id":"80351110224678912","username":"Nelly","mfa_enabled":true,"locale":"en-US","verified":true,
          "email":"nelly@discord.com","premium_type":1,"flags":64})");
  CHECK(me->mfa_enabled());
  CHECK(text(me->locale()) == "en-US");
  CHECK(text(me->email()) == "nelly@discord.com");
  CHECK(me->premium_type() == 1);
  CHECK(me->flags() == 64);
}

TEST_CASE("json_fb: a guild with its GUILD_CREATE extras, lists of strings and an optional nested table") {
  auto g = parse<fb::Guild>(R"({"id":"41771983423143937","name":"Discord Developers","unavailable":false,
    "member_count":3,"large":true,"joined_at":"2020-01-01T00:00:00+00:00","features":["NEWS","COMMUNITY"],
    "afk_channel_id":null,"afk_timeout":300,"system_channel_flags":"8","roles":[{"id":"1"}],"channels":[],
    "incidents_data":{"invites_disabled_until":null,"raid_detected_at":"2024-01-01T00:00:00+00:00"}})");
  CHECK(g->id() == 41771983423143937u);
  CHECK(g->member_count() == 3);
  CHECK(g->large());
  CHECK(text(g->joined_at()) == "2020-01-01T00:00:00+00:00");
  REQUIRE(g->features());
  REQUIRE(g->features()->size() == 2);
  CHECK(g->features()->Get(1)->str() == "COMMUNITY");
  CHECK_FALSE(g->afk_channel_id().has_value());
  CHECK(g->afk_timeout() == 300);
  CHECK(g->system_channel_flags() == 8);
  REQUIRE(g->incidents_data());
  CHECK(text(g->incidents_data()->invites_disabled_until()) == "<absent>");
  CHECK(text(g->incidents_data()->raid_detected_at()) == "2024-01-01T00:00:00+00:00");
}

TEST_CASE("json_fb: a channel's permission overwrites take the type as 0/1 or API v6's \"role\"/\"member\"") {
  auto c = parse<fb::GuildChannel>(R"({"id":"41771983423143937","guild_id":"41771983423143937","type":0,
    "name":"general","position":6,"parent_id":null,"last_message_id":"155117677105512449","nsfw":true,
    "permission_overwrites":[{"id":"1","type":"role","allow":"1024","deny":"0"},
                             {"id":"2","type":1,"allow":"0","deny":"2048"},
                             {"id":"3","type":"member","allow":"0","deny":"0"}]})");
  CHECK(text(c->name()) == "general");
  CHECK(c->position() == 6);
  CHECK_FALSE(c->parent_id().has_value());
  CHECK(c->last_message_id() == 155117677105512449u);
  CHECK(c->nsfw());
  auto* ow = c->permission_overwrites();
  REQUIRE(ow);
  REQUIRE(ow->size() == 3);
  CHECK(ow->Get(0)->type() == 0);
  CHECK(ow->Get(0)->allow() == 1024);
  CHECK(ow->Get(1)->type() == 1);
  CHECK(ow->Get(1)->deny() == 2048);
  CHECK(ow->Get(2)->type() == 1);
  CHECK(error_of<fb::GuildChannel>(R"({"id":"1","type":0,"permission_overwrites":[{"id":"1","type":"everyone"}]})") ==
        R"(d.permission_overwrites[0].type: expected 0, 1, "role" or "member")");
}

TEST_CASE("json_fb: a thread with its metadata, member and applied tags") {
  auto t = parse<fb::Thread>(R"({"id":"41771983423143937","guild_id":"41771983423143937","parent_id":"41771983423143937",
    "owner_id":"41771983423143937","name":"don't buy dota-2","type":11,"last_message_id":"41771983423143937",
    "message_count":1,"member_count":5,"rate_limit_per_user":2,"applied_tags":["1","2"],
    "thread_metadata":{"archived":false,"auto_archive_duration":1440,"archive_timestamp":"2021-04-12T23:40:39.855793+00:00","locked":false},
    "member":{"join_timestamp":"2021-04-12T23:40:39+00:00","flags":0}})");
  CHECK(t->type() == 11);
  CHECK(t->member_count() == 5);
  CHECK(ulongs(t->applied_tags()) == Ids{1, 2});
  REQUIRE(t->thread_metadata());
  CHECK(t->thread_metadata()->auto_archive_duration() == 1440);
  CHECK(t->thread_metadata()->invitable());  // the schema's default when absent
  REQUIRE(t->member());
  CHECK(text(t->member()->join_timestamp()) == "2021-04-12T23:40:39+00:00");
}

TEST_CASE("json_fb: a role's tags: a key present with null means true, an absent key false") {
  auto r = parse<fb::Role>(R"({"id":"41771983423143936","name":"WE DEM BOYZZ!!!!!!","color":3447003,"hoist":true,
    "position":1,"permissions":"66321471","managed":false,"mentionable":false,"flags":0,
    "tags":{"bot_id":"5","premium_subscriber":null,"guild_connections":null}})");
  CHECK(r->color() == 3447003);
  CHECK(r->permissions() == 66321471);
  REQUIRE(r->tags());
  CHECK(r->tags()->bot_id() == 5);
  CHECK(r->tags()->premium_subscriber());
  CHECK(r->tags()->guild_connections());
  CHECK_FALSE(r->tags()->available_for_purchase());
}

TEST_CASE("json_fb: an emoji and a sticker with their creators") {
  auto e = parse<fb::Emoji>(R"({"id":"41771983429993937","name":"LUL","roles":["41771983429993000","41771983429993111"],
    "user":{"id":"96008815106887111","username":"Luigi"},"require_colons":true,"managed":false,"animated":false})");
  CHECK(ulongs(e->roles()) == Ids{41771983429993000u, 41771983429993111u});
  REQUIRE(e->user());
  CHECK(text(e->user()->username()) == "Luigi");
  CHECK(e->require_colons());
  auto s = parse<fb::Sticker>(R"({"id":"749054660769218631","name":"Wave","tags":"wumpus, hello, sup","type":2,
    "format_type":3,"description":"Wumpus waves hello","available":true,"guild_id":"1","user":{"id":"2"}})");
  CHECK(text(s->tags()) == "wumpus, hello, sup");
  CHECK(s->format_type() == 3);
  CHECK(s->user()->id() == 2);
}

TEST_CASE("json_fb: an invite's guild, channel and target application objects are their ids") {
  auto i = parse<fb::Invite>(R"({"code":"0vCdhLbwjZZTWZLD","type":0,"target_type":1,
    "guild":{"id":"165176875973476352","name":"CS:GO Fraggers Only"},
    "channel":{"id":"165176875973476353","name":"illuminati","type":0},
    "inviter":{"id":"115590097100865541","username":"speed"},"target_user":{"id":"165176875973476354","username":"bob"},
    "target_application":{"id":"7"},"uses":1,"max_uses":0,"max_age":0,"temporary":false,"expires_at":null})");
  CHECK(text(i->code()) == "0vCdhLbwjZZTWZLD");
  CHECK(i->guild_id() == 165176875973476352u);
  CHECK(i->channel_id() == 165176875973476353u);
  CHECK(i->target_application_id() == 7);
  CHECK(i->inviter()->id() == 115590097100865541u);
  CHECK(text(i->target_user()->username()) == "bob");
  CHECK(i->uses() == 1);
  CHECK(text(i->expires_at()) == "<absent>");
}

TEST_CASE("json_fb: an invite also takes flat guild_id and channel_id; an object without its id keeps nothing") {
  auto flat = parse<fb::Invite>(R"({"code":"x","guild_id":"5","channel_id":"6"})");
  CHECK(flat->guild_id() == 5);
  CHECK(flat->channel_id() == 6);
  auto partial = parse<fb::Invite>(R"({"code":"x","guild":{"name":"no id"}})");
  CHECK_FALSE(partial->guild_id().has_value());
  CHECK(error_of<fb::Invite>(R"({"code":"x","guild":{"id":"x1"}})") == R"(d.guild.id: not a snowflake: "x1")");
}

// The guild id among a member's role ids (R4) is the write path's rule
// (model/objects.cc member_value, tested through the API): json_fb keeps the
// role ids as Discord sent them.
TEST_CASE("json_fb: a member's fields, role ids as sent") {
  auto m = parse<fb::Member>(R"({"user":{"id":"11","username":"u"},"guild_id":"1","nick":null,"roles":["30","31"],
    "joined_at":"2015-04-26T06:26:56.936000+00:00","deaf":false,"mute":true})");
  CHECK(m->guild_id() == 1);
  CHECK(m->user()->id() == 11);
  CHECK(text(m->nick()) == "<absent>");
  CHECK(ulongs(m->roles()) == Ids{30, 31});
  CHECK(m->deaf() == false);  // stored: not UNDEFINED
  CHECK(m->mute() == true);
  CHECK_FALSE(m->pending().has_value());
  CHECK(ulongs(parse<fb::Member>(R"({"user":{"id":"11"},"roles":["1","30"]})", in_guild(1))->roles()) == Ids{1, 30});
  CHECK(parse<fb::Member>(R"({"user":{"id":"11"}})", in_guild(1))->roles() == nullptr);
  CHECK(parse<fb::Member>(R"({"user":{"id":"11"}})")->roles() == nullptr);
}

TEST_CASE("json_fb: a presence's user object is its user_id; activities and client status are kept") {
  auto p = parse<fb::Presence>(R"({"user":{"id":"11","username":"not kept"},"guild_id":"1","status":"online",
    "activities":[{"name":"Rocket League","type":0,"created_at":1507665886,"timestamps":{"start":"1507665886"},
                   "party":{"id":"p","size":[1,4]},"buttons":["Join"],"emoji":null}],
    "client_status":{"desktop":"online"}})");
  CHECK(p->user_id() == 11);
  CHECK(text(p->status()) == "online");
  REQUIRE(p->activities());
  const auto* a = p->activities()->Get(0);
  CHECK(text(a->name()) == "Rocket League");
  CHECK(a->created_at() == 1507665886u);
  CHECK(a->timestamps()->start() == 1507665886u);
  REQUIRE(a->party()->size());
  CHECK(std::vector<int>(a->party()->size()->begin(), a->party()->size()->end()) == std::vector<int>{1, 4});
  CHECK(a->buttons()->Get(0)->str() == "Join");
  CHECK(a->emoji() == nullptr);
  CHECK(text(p->client_status()->desktop()) == "online");
}

TEST_CASE("json_fb: a voice state's member takes the context guild as the voice state does") {
  auto v = parse<fb::VoiceState>(R"({"channel_id":"157733188964188161","user_id":"80351110224678912",
    "session_id":"90326bd25d71d39b9ef95b299e3872ff","deaf":false,"mute":false,"self_deaf":false,"self_mute":true,
    "suppress":false,"request_to_speak_timestamp":null,"member":{"user":{"id":"80351110224678912"},"roles":[]}})",
                                 in_guild(41771983423143937));
  CHECK(v->guild_id() == 41771983423143937u);
  CHECK(v->channel_id() == 157733188964188161u);
  CHECK(v->self_mute());
  CHECK(text(v->request_to_speak_timestamp()) == "<absent>");
  REQUIRE(v->member());
  CHECK(v->member()->guild_id() == 41771983423143937u);
  CHECK(ulongs(v->member()->roles()).empty());  // as sent; the write path adds the guild id
  CHECK_FALSE(parse<fb::VoiceState>(R"({"user_id":"1","channel_id":null})")->channel_id().has_value());
}

TEST_CASE("json_fb: a message: embeds' inline, an integer nonce kept as text, nested users and lists") {
  auto m = parse<fb::Message>(R"({"id":"334385199974967042","channel_id":"290926798999357250",
    "author":{"id":"53908099506183680","username":"Mason"},"content":"Supa Hot",
    "timestamp":"2017-07-11T17:27:07.299000+00:00","edited_timestamp":null,"tts":false,"mention_everyone":false,
    "mentions":[{"id":"1","username":"a"}],"mention_roles":["2"],"reactions":[{"count":1}],
    "attachments":[{"id":"3","filename":"f.ogg","size":1024,"url":"u","proxy_url":"p","duration_secs":2.5}],
    "embeds":[{"title":"t","color":0,"fields":[{"name":"n","value":"v","inline":true}],"author":{"name":"embed author"}}],
    "nonce":1234567890123,"pinned":false,"type":0,"message_reference":{"message_id":"9","fail_if_not_exists":false}})");
  CHECK(m->id() == 334385199974967042u);
  CHECK(m->author()->id() == 53908099506183680u);
  CHECK(text(m->edited_timestamp()) == "<absent>");
  CHECK(m->mentions()->Get(0)->id() == 1);
  CHECK(ulongs(m->mention_roles()) == Ids{2});
  CHECK(m->attachments()->Get(0)->size() == 1024);
  CHECK(m->attachments()->Get(0)->duration_secs() == 2.5);
  const auto* e = m->embeds()->Get(0);
  CHECK(e->color() == 0u);  // 0 stored, not absent
  CHECK(e->fields()->Get(0)->inline_());
  CHECK(text(e->author()->name()) == "embed author");
  CHECK(text(m->nonce()) == "1234567890123");
  CHECK(m->message_reference()->message_id() == 9);
  CHECK(m->message_reference()->fail_if_not_exists() == false);
  CHECK_FALSE(m->referenced_message_deleted());
  CHECK(m->referenced_message() == nullptr);
}

TEST_CASE("json_fb: a message's \"referenced_message\": null is referenced_message_deleted; an object is the parent") {
  auto deleted = parse<fb::Message>(R"({"id":"1","channel_id":"2","referenced_message":null})");
  CHECK(deleted->referenced_message_deleted());
  CHECK(deleted->referenced_message() == nullptr);
  auto reply = parse<fb::Message>(R"({"id":"1","channel_id":"2","referenced_message":{"id":"3","channel_id":"2"}})");
  CHECK_FALSE(reply->referenced_message_deleted());
  CHECK(reply->referenced_message()->id() == 3);
}

// ---------------------------------------------------------------- context

TEST_CASE("json_fb: the context guild id goes only into tables that belong to a guild, and never over the JSON's") {
  struct Case {
    const TypeTable* tt;
    const char* json;
    bool takes_guild;
  };
  const Case cases[] = {
      {fb::GuildChannelTypeTable(), R"({"id":"1","type":0})", true},
      {fb::ThreadTypeTable(), R"({"id":"1"})", true},
      {fb::RoleTypeTable(), R"({"id":"1"})", true},
      {fb::EmojiTypeTable(), R"({"id":"1"})", true},
      {fb::StickerTypeTable(), R"({"id":"1"})", true},
      {fb::MemberTypeTable(), R"({"user":{"id":"1"}})", true},
      {fb::PresenceTypeTable(), R"({"user":{"id":"1"}})", true},
      {fb::VoiceStateTypeTable(), R"({"user_id":"1"})", true},
      {fb::MessageTypeTable(), R"({"id":"1","channel_id":"2"})", false},
      {fb::InviteTypeTable(), R"({"code":"c"})", false},
  };
  for (const auto& c : cases) {
    CAPTURE(c.tt->names[0]);
    CAPTURE(c.json);
    auto injected = ok(build_json(c.tt, c.json, in_guild(77)));
    CHECK(ulong_field(c.tt, injected, "guild_id") == (c.takes_guild ? std::optional<std::uint64_t>(77) : std::nullopt));
    std::string with_own = std::string(c.json);
    with_own.insert(1, R"("guild_id":"5",)");
    CHECK(ulong_field(c.tt, ok(build_json(c.tt, with_own, in_guild(77))), "guild_id") == 5);
  }
}

TEST_CASE("json_fb: member_user gives a member without its own user the author's; the JSON's user wins") {
  auto ctx = with_member_user(53908099506183680);
  ctx.guild_id = 5;
  auto m = parse<fb::Message>(R"({"id":"1","channel_id":"2","member":{"roles":[],"nick":"n"}})", ctx);
  CHECK_FALSE(m->guild_id().has_value());  // a message does not take the context guild...
  REQUIRE(m->member());
  CHECK(m->member()->guild_id() == 5);  // ...its member does
  CHECK(m->member()->user()->id() == 53908099506183680u);
  CHECK(text(m->member()->nick()) == "n");
  auto own = parse<fb::Member>(R"({"user":{"id":"9"}})", ctx);
  CHECK(own->user()->id() == 9);

  JsonContext none;
  none.member_user = [](flatbuffers::FlatBufferBuilder&) { return flatbuffers::uoffset_t{0}; };
  CHECK(error_of<fb::Message>(R"({"id":"1","channel_id":"2","member":{"nick":"n"}})", none) ==
        "d.member.user: missing (required)");
}

TEST_CASE("json_fb: skip leaves the top-level object's keys unread, not the same keys of nested objects") {
  JsonContext ctx;
  ctx.skip = {"author", "content"};
  auto m = parse<fb::Message>(R"({"id":"1","channel_id":"2","author":{"id":"3"},"content":"skipped",
    "embeds":[{"author":{"name":"kept"}}],"tts":true})",
                              ctx);
  CHECK(m->author() == nullptr);
  CHECK(text(m->content()) == "<absent>");
  CHECK(text(m->embeds()->Get(0)->author()->name()) == "kept");
  CHECK(m->tts());
}

TEST_CASE("json_fb: nulls receives the top-level fields whose value was null, not nested ones") {
  Present nulls;
  JsonContext ctx;
  ctx.nulls = &nulls;
  auto u = parse<fb::User>(R"({"id":"1","username":"u","global_name":null,"avatar":null,
    "avatar_decoration_data":{"sku_id":null},"unknown":null})",
                           ctx);
  CHECK(names(fb::UserTypeTable(), nulls) == std::vector<std::string>{"global_name", "avatar"});
  CHECK(text(u->global_name()) == "<absent>");
}

TEST_CASE("json_fb: the present set holds the fields the object carried, not the null or absent ones") {
  Present present;
  auto bytes = ok(build_json(fb::UserTypeTable(), R"({"id":"1","username":"u","global_name":null,"bot":false,"x":1})", {},
                        {}, &present));
  CHECK(names(fb::UserTypeTable(), present) == std::vector<std::string>{"id", "username", "bot"});
  Present flags;
  (void)ok(build_json(fb::RoleTagsTypeTable(), R"({"premium_subscriber":null})", {}, {}, &flags));
  CHECK(names(fb::RoleTagsTypeTable(), flags) == std::vector<std::string>{"premium_subscriber"});
}

TEST_CASE("json_fb: ExtraKey sees the top-level keys the table has no field for, and may read or reject them") {
  std::vector<std::string> seen;
  std::int64_t x = 0;
  detail::ExtraKey extra = [&](std::string_view key, od::value v) -> Status {
    seen.emplace_back(key);
    if (key == "x" && v.get_int64().get(x) != simdjson::SUCCESS) return Status::InvalidArgument("d.x: not read");
    if (key == "reject") return Status::InvalidArgument("d.reject: not here");
    return {};
  };
  auto bytes = ok(build_json(fb::UserTypeTable(), R"({"id":"1","x":42,"avatar_decoration_data":{"nested_unknown":1},"y":[1]})",
                        {}, extra));
  CHECK(seen == std::vector<std::string>{"x", "y"});
  CHECK(x == 42);
  CHECK(flatbuffers::GetRoot<fb::User>(bytes.data())->id() == 1);
  auto rejected = build_json(fb::UserTypeTable(), R"({"id":"1","reject":true})", {}, extra);
  CHECK(rejected.status().message() == "d.reject: not here");
}

// ---------------------------------------------------------------- errors

TEST_CASE("json_fb: each entity's required fields are \"missing (required)\" errors") {
  CHECK(error_of<fb::User>(R"({"username":"u"})") == "d.id: missing (required)");
  CHECK(error_of<fb::OwnUser>(R"({"username":"u"})") == "d.id: missing (required)");
  CHECK(error_of<fb::Guild>(R"({"name":"g"})") == "d.id: missing (required)");
  CHECK(error_of<fb::GuildChannel>(R"({"id":"1"})") == "d.type: missing (required)");
  CHECK(error_of<fb::Thread>(R"({"name":"t"})") == "d.id: missing (required)");
  CHECK(error_of<fb::Role>(R"({"name":"r"})") == "d.id: missing (required)");
  CHECK(error_of<fb::Emoji>(R"({"id":null,"name":"e"})") == "d.id: missing (required)");
  CHECK(error_of<fb::Sticker>(R"({"name":"s"})") == "d.id: missing (required)");
  CHECK(error_of<fb::Invite>(R"({"guild_id":"1"})") == "d.code: missing (required)");
  CHECK(error_of<fb::Member>(R"({"nick":"n"})") == "d.user: missing (required)");
  CHECK(error_of<fb::Presence>(R"({"user":{"username":"no id"}})") == "d.user_id: missing (required)");
  CHECK(error_of<fb::VoiceState>(R"({"channel_id":"1"})") == "d.user_id: missing (required)");
  CHECK(error_of<fb::Message>(R"({"channel_id":"2"})") == "d.id: missing (required)");
  CHECK(error_of<fb::Message>(R"({"id":"1"})") == "d.channel_id: missing (required)");
  CHECK(error_of<fb::GuildChannel>(R"({"id":"1","type":0,"permission_overwrites":[{"type":0}]})") ==
        "d.permission_overwrites[0].id: missing (required)");
}

TEST_CASE("json_fb: an error names the path of the bad value") {
  CHECK(error_of<fb::Message>(R"({"id":"1","channel_id":"2","mentions":[{"id":"3"},{"id":"4"},{"id":"x5"}]})") ==
        R"(d.mentions[2].id: not a snowflake: "x5")");
  CHECK(error_of<fb::Message>(R"({"id":"1","channel_id":"2","member":{"user":{"id":true}}})") ==
        "d.member.user.id: not a snowflake");
  CHECK(error_of<fb::Message>(R"({"id":"1","channel_id":"2","embeds":[{"fields":[{"inline":"yes"}]}]})") ==
        "d.embeds[0].fields[0].inline: wrong type");
  CHECK(error_of<fb::Member>(R"({"user":{"id":"1"},"roles":["2","-3"]})") == R"(d.roles[1]: not a snowflake: "-3")");
  CHECK(error_of<fb::Guild>(R"({"id":"1","incidents_data":[]})") == "d.incidents_data: wrong type");
  CHECK(error_of<fb::Guild>(R"({"id":"1","features":"NEWS"})") == "d.features: wrong type");
  CHECK(error_of<fb::User>(R"({"id":"1","bot":"yes"})") == "d.bot: wrong type");
  CHECK(error_of<fb::User>(R"({"id":"1","username":true})") == "d.username: wrong type");
  CHECK(error_of<fb::Presence>(R"({"user":"11"})") == "d.user: wrong type");
}

TEST_CASE("json_fb: integers: range checked per field type, whole doubles and decimal strings accepted") {
  CHECK(parse<fb::Guild>(R"({"id":"1","afk_timeout":300.0})")->afk_timeout() == 300);
  CHECK(parse<fb::Guild>(R"({"id":"1","afk_timeout":"300"})")->afk_timeout() == 300);
  CHECK(parse<fb::Guild>(R"({"id":"1","afk_timeout":-2147483648})")->afk_timeout() == INT32_MIN);
  CHECK(error_of<fb::Guild>(R"({"id":"1","afk_timeout":2147483648})") == "d.afk_timeout: integer out of range");
  CHECK(error_of<fb::Guild>(R"({"id":"1","afk_timeout":1.5})") == "d.afk_timeout: expected an integer");
  CHECK(error_of<fb::Guild>(R"({"id":"1","afk_timeout":"3x"})") == R"(d.afk_timeout: expected an integer, got "3x")");
  CHECK(error_of<fb::Guild>(R"({"id":"1","afk_timeout":[]})") == "d.afk_timeout: expected an integer");
  CHECK(error_of<fb::Role>(R"({"id":"1","color":-1})") == "d.color: integer out of range");  // uint
}

TEST_CASE("json_fb: a key given twice sets its field once, to the last value") {
  auto u = parse<fb::User>(R"({"id":"1","username":"first","username":"second"})");
  CHECK(text(u->username()) == "second");
}

TEST_CASE("json_fb: values of unknown keys must still be well-formed JSON") {
  auto r = build_json(fb::UserTypeTable(), R"({"id":"1","unknown":{"a":[1,tru]}})");
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().message() == "d.unknown.a[1]: malformed JSON (not true or false)");
}

// ---------------------------------------------------------------- validate_json, json_snowflake

TEST_CASE("json_fb: validate_json accepts 65 levels of nesting and rejects the 66th, naming its path") {
  ok(validate(nested(65)));
  auto st = validate(nested(66));
  CHECK(st.code() == Code::kInvalidArgument);
  std::string path = "d";
  for (int i = 0; i < 65; ++i) path += "[0]";
  CHECK(st.message() == path + ": nested too deeply");
  ok(validate(R"({"a":[1,2.5,"s",true,false,null,{"b":{}}]})"));
}

TEST_CASE("json_fb: json_snowflake takes decimal strings and non-negative integers up to 2^64-1") {
  CHECK(ok(snowflake_of(R"("80351110224678912")")) == 80351110224678912u);
  CHECK(ok(snowflake_of("80351110224678912")) == 80351110224678912u);
  CHECK(ok(snowflake_of(R"("0")")) == 0);
  CHECK(ok(snowflake_of(R"("18446744073709551615")")) == kMax);
  CHECK(ok(snowflake_of("18446744073709551615")) == kMax);
}

TEST_CASE("json_fb: json_snowflake rejects signs, non-digits, overflow, fractions and other types") {
  const std::vector<std::pair<const char*, const char*>> bad = {
      {R"("18446744073709551616")", R"(d.id: not a snowflake: "18446744073709551616")"},
      {R"("-1")", R"(d.id: not a snowflake: "-1")"},
      {R"("+1")", R"(d.id: not a snowflake: "+1")"},
      {R"("12a")", R"(d.id: not a snowflake: "12a")"},
      {R"(" 1")", R"(d.id: not a snowflake: " 1")"},
      {R"("")", R"(d.id: not a snowflake: "")"},
      {"-1", "d.id: not a snowflake (negative or fractional number)"},
      {"1.5", "d.id: not a snowflake (negative or fractional number)"},
      {"true", "d.id: not a snowflake"},
      {"null", "d.id: not a snowflake"},
      {"{}", "d.id: not a snowflake"},
  };
  for (auto [token, message] : bad) {
    CAPTURE(token);
    auto r = snowflake_of(token);
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().code() == Code::kInvalidArgument);
    CHECK(r.status().message() == message);
  }
  auto overflow = snowflake_of("18446744073709551616");
  CHECK_FALSE(overflow.ok());
  CHECK(overflow.status().message().starts_with("d.id: not a snowflake"));
}
