// json_out (lib/src/json/json_out.h): the JSON a stored value turns into —
// the fields the dump contract (docs/DUMP.md) writes even when not stored,
// Discord's null flags, snowflakes as strings, string escaping, the compact
// and pretty styles — and the round trip json_fb -> json_out -> json_fb over
// every kind of object in the fixture streams of tests/fixtures/.
#include "json/json_out.h"

#include <cmath>
#include <functional>
#include <limits>
#include <map>
#include <string>
#include <vector>

#include "dm_channel_id_generated.h"
#include "emoji_generated.h"
#include "gateway_support.h"
#include "guild_channel_generated.h"
#include "guild_generated.h"
#include "invite_generated.h"
#include "json_support.h"
#include "member_generated.h"
#include "message_generated.h"
#include "own_user_generated.h"
#include "presence_generated.h"
#include "role_generated.h"
#include "sticker_generated.h"
#include "thread_generated.h"
#include "user_generated.h"
#include "voice_state_generated.h"

using namespace snowcache;
using namespace snowcache::testing;
using detail::JsonContext;
using flatbuffers::TypeTable;
namespace od = simdjson::ondemand;

namespace {

std::string escaped(std::string_view s) {
  std::string out;
  detail::append_json_string(out, s);
  return out;
}

template <class T>
std::string packed(const typename T::NativeTableType& v) {
  flatbuffers::FlatBufferBuilder fbb;
  fbb.Finish(T::Pack(fbb, &v));
  return std::string(reinterpret_cast<const char*>(fbb.GetBufferPointer()), fbb.GetSize());
}

// The compact JSON of an object-API value.
template <class T>
std::string json_of(const typename T::NativeTableType& v) {
  auto bytes = packed<T>(v);
  return detail::to_json(*flatbuffers::GetRoot<T>(bytes.data()), false);
}

// The compact JSON of a table of type `tt` that stores no field at all.
std::string empty_table_json(const TypeTable* tt) {
  flatbuffers::FlatBufferBuilder fbb;
  auto start = fbb.StartTable();
  fbb.Finish(flatbuffers::Offset<void>(fbb.EndTable(start)));
  return detail::table_json(tt, flatbuffers::GetRoot<void>(fbb.GetBufferPointer()), false);
}

// ---- the round trip ------------------------------------------------------------

template <class T>
std::string to_json(const std::string& bytes) {
  return detail::to_json(*flatbuffers::GetRoot<T>(bytes.data()), false);
}

// The buffer the object API packs from the table's values: the same bytes
// whatever order the fields were built in.
template <class T>
std::string canonical(const std::string& bytes) {
  std::unique_ptr<typename T::NativeTableType> native(flatbuffers::GetRoot<T>(bytes.data())->UnPack());
  return packed<T>(*native);
}

// json_fb -> json_out -> json_fb: the second buffer holds the same values as
// the first (the first is built in the source's key order, json_out writes
// schema order), its JSON is the same text, and from there the round trip is
// byte for byte.
template <class T>
void round_trip(const std::string& json, const JsonContext& ctx) {
  auto first = built_json<T>(json, ctx);
  auto text = to_json<T>(first);
  INFO("json_out: " << text);
  auto second = built_json<T>(text, ctx);
  CHECK(canonical<T>(second) == canonical<T>(first));
  CHECK(to_json<T>(second) == text);
  CHECK(built_json<T>(to_json<T>(second), ctx) == second);
}

// Where the fixture streams carry objects of each kind: an event's `d` (key
// empty) or a list or object under a key of it.
struct Source {
  const char* kind;
  const char* event;
  const char* key;
  void (*check)(const std::string&, const JsonContext&);
};

const Source kSources[] = {
    {"own user", "READY", "user", round_trip<fb::OwnUser>},
    {"user", "USER_UPDATE", "", round_trip<fb::User>},
    {"guild", "GUILD_CREATE", "", round_trip<fb::Guild>},
    {"guild", "GUILD_UPDATE", "", round_trip<fb::Guild>},
    {"channel", "GUILD_CREATE", "channels", round_trip<fb::GuildChannel>},
    {"channel", "CHANNEL_CREATE", "", round_trip<fb::GuildChannel>},
    {"thread", "GUILD_CREATE", "threads", round_trip<fb::Thread>},
    {"thread", "THREAD_CREATE", "", round_trip<fb::Thread>},
    {"role", "GUILD_CREATE", "roles", round_trip<fb::Role>},
    {"role", "GUILD_ROLE_UPDATE", "role", round_trip<fb::Role>},
    {"emoji", "GUILD_CREATE", "emojis", round_trip<fb::Emoji>},
    {"sticker", "GUILD_CREATE", "stickers", round_trip<fb::Sticker>},
    {"invite", "INVITE_CREATE", "", round_trip<fb::Invite>},
    {"member", "GUILD_CREATE", "members", round_trip<fb::Member>},
    {"member", "GUILD_MEMBER_ADD", "", round_trip<fb::Member>},
    {"presence", "GUILD_CREATE", "presences", round_trip<fb::Presence>},
    {"presence", "PRESENCE_UPDATE", "", round_trip<fb::Presence>},
    {"voice state", "GUILD_CREATE", "voice_states", round_trip<fb::VoiceState>},
    {"voice state", "VOICE_STATE_UPDATE", "", round_trip<fb::VoiceState>},
    {"message", "MESSAGE_CREATE", "", round_trip<fb::Message>},
};

// The context the gateway gives an object of this event: the event's guild,
// and for a message's member the author's user.
JsonContext context_of(std::string_view event, simdjson::dom::element d) {
  JsonContext ctx;
  std::string_view g;
  const bool is_guild = event == "GUILD_CREATE" || event == "GUILD_UPDATE";
  if (d[is_guild ? "id" : "guild_id"].get(g) == simdjson::SUCCESS) {
    if (auto id = Snowflake::parse(g)) ctx.guild_id = id->value();
  }
  std::string_view author;
  if (d["author"]["id"].get(author) == simdjson::SUCCESS) {
    std::uint64_t user = Snowflake::parse(author).value_or(Snowflake(0)).value();
    ctx.member_user = [user](flatbuffers::FlatBufferBuilder& fbb) {
      fb::UserT u;
      u.id = user;
      return fb::User::Pack(fbb, &u).o;
    };
  }
  return ctx;
}

// Runs every source over the frames of `file`; counts the objects per kind.
void round_trip_stream(const std::string& file, std::map<std::string, int>& checked) {
  simdjson::dom::parser parser;
  for (const auto& frame : frames_of(fixture_path(file))) {
    simdjson::dom::element f;
    REQUIRE(parser.parse(frame).get(f) == simdjson::SUCCESS);
    std::string_view t;
    if (f["t"].get(t) != simdjson::SUCCESS) continue;
    simdjson::dom::element d = f["d"];
    for (const auto& src : kSources) {
      if (t != src.event) continue;
      simdjson::dom::element at = d;
      if (*src.key && d[src.key].get(at) != simdjson::SUCCESS) continue;
      if (at.is_null()) continue;
      simdjson::dom::array list;
      std::vector<simdjson::dom::element> objects;
      if (at.get(list) == simdjson::SUCCESS) {
        for (auto e : list) objects.push_back(e);
      } else {
        objects.push_back(at);
      }
      for (auto o : objects) {
        std::string json = simdjson::to_string(o);
        INFO(file << " " << t << " " << src.key << ": " << json);
        src.check(json, context_of(t, d));
        ++checked[src.kind];
      }
    }
  }
}

}  // namespace

// ---------------------------------------------------------------- the dump contract

TEST_CASE("json_out: the fields the dump contract wants are written with their defaults when not stored") {
  const std::vector<std::pair<const TypeTable*, const char*>> empty = {
      {fb::GuildTypeTable(), R"({"unavailable": false, "member_count": null, "large": false})"},
      {fb::MemberTypeTable(), R"({"guild_id": "0", "user": null, "nick": null, "roles": []})"},
      {fb::RoleTypeTable(), R"({"guild_id": "0"})"},
      {fb::EmojiTypeTable(), R"({"guild_id": "0"})"},
      {fb::StickerTypeTable(), R"({"guild_id": "0"})"},
      {fb::PresenceTypeTable(), R"({"guild_id": "0", "user": {"id": "0"}, "status": "", "activities": []})"},
      {fb::VoiceStateTypeTable(),
       R"({"channel_id": null, "session_id": "", "deaf": false, "mute": false, "self_deaf": false, "self_mute": false})"},
      {fb::MessageTypeTable(), R"({"channel_id": "0", "author": null, "content": "", "mentions": []})"},
      {fb::DmChannelIdTypeTable(), R"({"channel_id": "0"})"},
      {fb::UserTypeTable(), "{}"},
      {fb::OwnUserTypeTable(), "{}"},
      {fb::GuildChannelTypeTable(), "{}"},
      {fb::ThreadTypeTable(), "{}"},
      {fb::InviteTypeTable(), "{}"},
  };
  for (auto [tt, expected] : empty) {
    CAPTURE(tt->names[0]);
    CHECK(empty_table_json(tt) == expected);
  }
}

TEST_CASE("json_out: stored values replace the defaults, in schema order") {
  auto g = guild(5, "g");
  g.unavailable = true;
  g.member_count = 0;
  g.joined_at = "2020-01-01T00:00:00+00:00";
  CHECK(json_of<fb::Guild>(g) ==
        R"({"id": "5", "name": "g", "unavailable": true, "member_count": 0, "large": false, "joined_at": "2020-01-01T00:00:00+00:00"})");
  auto m = member(1, 11, "nick");
  m.roles = {1, 30};
  CHECK(json_of<fb::Member>(m) ==
        R"({"guild_id": "1", "user": {"id": "11", "username": "user11"}, "nick": "nick", "roles": ["1", "30"]})");
}

TEST_CASE("json_out: Discord's null flags: a deleted reply's referenced_message, true role tag flags") {
  auto reply = message(1, 2, std::nullopt, 3);
  reply.author.reset();
  reply.content.clear();
  reply.referenced_message_deleted = true;
  CHECK(json_of<fb::Message>(reply) ==
        R"({"id": "1", "channel_id": "2", "author": null, "content": "", "mentions": [], "referenced_message": null})");
  reply.referenced_message_deleted = false;
  CHECK(json_of<fb::Message>(reply).find("referenced_message") == std::string::npos);

  fb::RoleT r = role(1, 2);
  r.tags = std::make_unique<fb::RoleTagsT>();
  r.tags->premium_subscriber = true;
  r.tags->bot_id = 7;
  CHECK(json_of<fb::Role>(r) ==
        R"({"id": "1", "guild_id": "2", "name": "role", "tags": {"bot_id": "7", "premium_subscriber": null}})");
}

TEST_CASE("json_out: the schema's renames map back to Discord's names; a DM channel id's seq is left out") {
  fb::PresenceT p = presence(1, 11);
  CHECK(json_of<fb::Presence>(p) == R"({"guild_id": "1", "user": {"id": "11"}, "status": "online", "activities": []})");
  fb::EmbedFieldT field;
  field.name = "n";
  field.inline_ = true;
  CHECK(json_of<fb::EmbedField>(field) == R"({"name": "n", "inline": true})");
  fb::DmChannelIdT dm;
  dm.channel_id = 5;
  dm.seq = 9;
  CHECK(json_of<fb::DmChannelId>(dm) == R"({"channel_id": "5"})");
}

TEST_CASE("json_out: snowflakes and id lists are strings, other integers numbers") {
  auto u = user(UINT64_MAX, "max");
  u->public_flags = 64;
  u->accent_color = -1;
  CHECK(json_of<fb::User>(*u) == R"({"id": "18446744073709551615", "username": "max", "public_flags": 64, "accent_color": -1})");
  fb::RoleT r = role(1, 2);
  r.permissions = 2147483647;
  r.color = 3447003;
  CHECK(json_of<fb::Role>(r) ==
        R"({"id": "1", "guild_id": "2", "name": "role", "color": 3447003, "permissions": "2147483647"})");
  fb::PermissionOverwriteT ow;
  ow.id = 3;
  ow.type = 1;
  ow.allow = 1024;
  ow.deny = 2048;
  CHECK(json_of<fb::PermissionOverwrite>(ow) == R"({"id": "3", "type": 1, "allow": "1024", "deny": "2048"})");
  fb::ThreadT t = thread(4, 1, 2);
  t.applied_tags = {5, 6};
  t.flags = 2;
  CHECK(json_of<fb::Thread>(t) ==
        R"({"id": "4", "guild_id": "1", "parent_id": "2", "type": 11, "name": "thread", "applied_tags": ["5", "6"], "flags": 2})");
  fb::AttachmentT a;
  a.id = 7;
  a.size = 1024;
  a.duration_secs = 2.5;
  CHECK(json_of<fb::Attachment>(a) == R"({"id": "7", "size": 1024, "duration_secs": 2.5})");
}

// ---------------------------------------------------------------- strings and numbers

TEST_CASE("json_out: strings escape quotes, backslashes and control characters as Python's json.dumps does") {
  CHECK(escaped("plain") == R"("plain")");
  CHECK(escaped("a\"b\\c/") == R"("a\"b\\c/")");
  CHECK(escaped("\n\r\t\b\f") == R"("\n\r\t\b\f")");
  CHECK(escaped(std::string("\x00\x01\x1f", 3)) == R"("\u0000\u0001\u001f")");
  CHECK(escaped("\x7f") == "\"\x7f\"");  // DEL needs no escape
  CHECK(escaped("") == R"("")");
}

TEST_CASE("json_out: UTF-8 passes through; each byte that is not UTF-8 becomes U+FFFD") {
  CHECK(escaped("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80") == "\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"");
  const std::string fffd = "\xef\xbf\xbd";
  CHECK(escaped("a\xff" "b") == "\"a" + fffd + "b\"");
  CHECK(escaped("\xc3") == "\"" + fffd + "\"");                              // truncated
  CHECK(escaped("\xc0\xaf") == "\"" + fffd + fffd + "\"");                   // overlong
  CHECK(escaped("\xe0\x80\xaf") == "\"" + fffd + fffd + fffd + "\"");        // overlong
  CHECK(escaped("\xed\xa0\x80") == "\"" + fffd + fffd + fffd + "\"");        // a surrogate
  CHECK(escaped("\xf4\x90\x80\x80") == "\"" + fffd + fffd + fffd + fffd + "\"");  // above U+10FFFF
  CHECK(escaped("\xf4\x8f\xbf\xbf") == "\"\xf4\x8f\xbf\xbf\"");              // U+10FFFF itself
}

TEST_CASE("json_out: a string field with every kind of character reads back through json_fb unchanged") {
  std::string name = "q\"b\\s\n\x01 caf\xc3\xa9 \xf0\x9f\x98\x80 ";
  name.push_back('\0');
  name += " end";
  auto u = user(1, name);
  auto text = json_of<fb::User>(*u);
  auto back = built_json<fb::User>(text, {});
  CHECK(flatbuffers::GetRoot<fb::User>(back.data())->username()->str() == name);
}

TEST_CASE("json_out: doubles are shortest round-trip, always with a fraction or exponent; NaN and infinities null") {
  CHECK(detail::json_double(2.0) == "2.0");
  CHECK(detail::json_double(0.1) == "0.1");
  CHECK(detail::json_double(2.5) == "2.5");
  CHECK(detail::json_double(-0.0) == "-0.0");
  CHECK(detail::json_double(1e20) == "1e+20");
  CHECK(detail::json_double(1.5e-7) == "1.5e-07");
  CHECK(detail::json_double(std::nan("")) == "null");
  CHECK(detail::json_double(std::numeric_limits<double>::infinity()) == "null");
  CHECK(detail::json_double(-std::numeric_limits<double>::infinity()) == "null");
}

TEST_CASE("json_out: JsonWriter's compact and pretty styles") {
  auto write = [](bool pretty) {
    std::string out;
    detail::JsonWriter w(out, pretty);
    w.begin_object();
    w.key("a");
    w.raw("1");
    w.key("b");
    w.begin_array();
    w.boolean(true);
    w.null();
    w.end_array();
    w.key("c");
    w.begin_object();
    w.end_object();
    w.key("d");
    w.begin_array();
    w.end_array();
    w.key("e");
    w.string("x");
    w.end_object();
    return out;
  };
  CHECK(write(false) == R"({"a": 1, "b": [true, null], "c": {}, "d": [], "e": "x"})");
  CHECK(write(true) == "{\n  \"a\": 1,\n  \"b\": [\n    true,\n    null\n  ],\n  \"c\": {},\n  \"d\": [],\n  \"e\": \"x\"\n}");
  CHECK(detail::to_json(*flatbuffers::GetRoot<fb::DmChannelId>(packed<fb::DmChannelId>(fb::DmChannelIdT{}).data()),
                        true) == "{\n  \"channel_id\": \"0\"\n}");
}

// ---------------------------------------------------------------- round trip

TEST_CASE("json_out: json_fb -> json_out -> json_fb keeps every value of every kind in the fixture streams") {
  std::map<std::string, int> checked;
  for (const char* file : {"docs-examples.ndjson", "guild_life.ndjson", "dm_messages.ndjson", "large_guild_chunks.ndjson"}) {
    round_trip_stream(file, checked);
  }
  for (const auto& src : kSources) {
    CAPTURE(src.kind);
    CHECK(checked[src.kind] > 0);
  }
  MESSAGE("objects round-tripped per kind: " << [&] {
    std::string s;
    for (auto& [k, n] : checked) s += k + " " + std::to_string(n) + ", ";
    return s;
  }());
}

TEST_CASE("json_out: the round trip keeps what the streams lack: replies, embeds, overwrites, role tags, nulls") {
  round_trip<fb::Message>(R"({"id":"1","channel_id":"2","guild_id":"3","author":{"id":"4","username":"a"},
    "member":{"roles":["5"],"nick":"n"},"content":"c\u00e9\n","referenced_message":null,"nonce":123,
    "embeds":[{"title":"t","color":0,"fields":[{"name":"n","value":"v","inline":false}],"footer":{"text":"f"}}],
    "attachments":[{"id":"6","filename":"a.ogg","size":10,"duration_secs":1.25,"height":null}],
    "message_reference":{"message_id":"7","channel_id":"2","fail_if_not_exists":false}})",
                          [] {
                            JsonContext ctx;
                            ctx.guild_id = 3;
                            ctx.member_user = [](flatbuffers::FlatBufferBuilder& fbb) {
                              fb::UserT u;
                              u.id = 4;
                              return fb::User::Pack(fbb, &u).o;
                            };
                            return ctx;
                          }());
  round_trip<fb::Message>(R"({"id":"1","channel_id":"2","author":{"id":"4"},"referenced_message":{"id":"0","channel_id":"2",
    "author":{"id":"8"},"content":"parent"}})",
                          {});
  round_trip<fb::GuildChannel>(R"({"id":"1","guild_id":"2","type":0,"permission_overwrites":[{"id":"3","type":"member",
    "allow":"1024","deny":"18446744073709551615"}],"available_tags":[{"id":"4","name":"t","emoji_id":null}]})",
                               {});
  round_trip<fb::Role>(R"({"id":"1","guild_id":"2","permissions":"8","tags":{"premium_subscriber":null,"bot_id":"9"},
    "colors":{"primary_color":1,"secondary_color":null}})",
                       {});
  round_trip<fb::Invite>(R"({"code":"c","guild":{"id":"1"},"channel":{"id":"2"},"target_application":{"id":"3"},
    "inviter":{"id":"4"},"expires_at":null})",
                         {});
}
