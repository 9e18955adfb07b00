#include "events.h"

#include <utility>

#include <fmt/format.h>

#include "json.h"

namespace model {

using namespace json;

namespace {

using Named = std::pair<std::string, std::string>;  // dispatch name, `d`

std::string member_with_guild(const Member& m) {
  std::string body = to_json(m);
  return "{\"guild_id\":" + sf(m.guild_id) + "," + body.substr(1);
}

template <class T, class F>
std::string list_of(const std::vector<T>& items, F&& f) {
  std::vector<std::string> out;
  for (const auto& x : items) out.push_back(f(x));
  return arr(out);
}

// The guild's fields and the lists GUILD_CREATE and GUILD_UPDATE both carry.
template <class G>
Fields guild_with_lists(const G& g, bool is_create) {
  Fields f = guild_fields(g.guild, is_create);
  f.emplace_back("roles", list_json(g.roles));
  f.emplace_back("emojis", list_json(g.emojis));
  f.emplace_back("stickers", list_json(g.stickers));
  return f;
}

std::string guild_create_json(const GuildCreate& c) {
  Fields f = guild_with_lists(c, true);
  f.emplace_back("channels", list_json(c.channels));
  f.emplace_back("threads", list_json(c.threads));
  f.emplace_back("members", list_of(c.members, [](const Member& m) { return to_json(m); }));
  f.emplace_back("presences", list_of(c.presences, [](const Presence& p) { return to_json(p, false); }));
  f.emplace_back("voice_states", list_of(c.voice_states, [](const VoiceState& v) { return to_json(v, false); }));
  f.emplace_back("stage_instances", "[]");
  f.emplace_back("guild_scheduled_events", "[]");
  return obj(f);
}

std::string guild_update_json(const GuildUpdate& u) {
  return obj(guild_with_lists(u, false));
}

std::string ready_json(const Ready& r) {
  std::vector<std::string> guilds;
  for (Id g : r.guilds) guilds.push_back(obj({{"id", sf(g)}, {"unavailable", "true"}}));
  return obj({{"v", "10"}, {"user", to_json(r.user)}, {"guilds", arr(guilds)}, {"session_id", q(r.session_id)},
              {"resume_gateway_url", q(r.resume_gateway_url)},
              {"shard", fmt::format("[{},{}]", r.shard, r.shard_count)},
              {"application", obj({{"id", sf(r.user.user.id)}, {"flags", "0"}})}});
}

std::string chunk_json(const MembersChunk& c) {
  Fields f{{"guild_id", sf(c.guild_id)},
           {"members", list_of(c.members, [](const Member& m) { return to_json(m); })},
           {"chunk_index", num(c.chunk_index)},
           {"chunk_count", num(c.chunk_count)}};
  if (!c.presences.empty()) {
    f.emplace_back("presences", list_of(c.presences, [](const Presence& p) { return to_json(p, false); }));
  }
  if (!c.not_found.empty()) f.emplace_back("not_found", ids(c.not_found));
  f.emplace_back("nonce", q(c.nonce));
  return obj(f);
}

std::string thread_members_json(const ThreadMembersUpdate& u) {
  Fields f{{"id", sf(u.thread_id)}, {"guild_id", sf(u.guild_id)}, {"member_count", num(u.member_count)}};
  if (!u.added.empty()) {
    f.emplace_back("added_members", list_of(u.added, [&](const Member& m) {
                     return obj({{"id", sf(u.thread_id)}, {"user_id", sf(m.user.id)},
                                 {"join_timestamp", q("2023-01-20T15:00:00.000000+00:00")}, {"flags", "1"},
                                 {"member", to_json(m)}, {"presence", "null"}});
                   }));
  }
  if (!u.removed.empty()) f.emplace_back("removed_member_ids", ids(u.removed));
  return obj(f);
}

Fields scoped(OptId guild_id, Id channel_id) {
  Fields f{{"channel_id", sf(channel_id)}};
  if (guild_id) f.emplace_back("guild_id", sf(*guild_id));
  return f;
}

struct Render {
  Named operator()(const Ready& r) const { return {"READY", ready_json(r)}; }
  Named operator()(const GuildCreate& c) const { return {"GUILD_CREATE", guild_create_json(c)}; }
  Named operator()(const GuildCreateUnavailable& c) const {
    return {"GUILD_CREATE", obj({{"id", sf(c.guild_id)}, {"unavailable", "true"}})};
  }
  Named operator()(const GuildUpdate& u) const { return {"GUILD_UPDATE", guild_update_json(u)}; }
  Named operator()(const GuildDelete& d) const {
    Fields f{{"id", sf(d.guild_id)}};
    if (d.unavailable) f.emplace_back("unavailable", "true");
    return {"GUILD_DELETE", obj(f)};
  }
  Named operator()(const ChannelCreate& c) const { return {"CHANNEL_CREATE", to_json(c.channel)}; }
  Named operator()(const ChannelUpdate& c) const { return {"CHANNEL_UPDATE", to_json(c.channel)}; }
  Named operator()(const ChannelDelete& c) const { return {"CHANNEL_DELETE", to_json(c.channel)}; }
  Named operator()(const ThreadCreate& c) const {
    std::string t = to_json(c.thread);
    if (c.newly_created) t = "{\"newly_created\":true," + t.substr(1);
    return {"THREAD_CREATE", t};
  }
  Named operator()(const ThreadUpdate& c) const { return {"THREAD_UPDATE", to_json(c.thread)}; }
  Named operator()(const ThreadDelete& d) const {
    return {"THREAD_DELETE", obj({{"id", sf(d.id)},
                                  {"guild_id", sf(d.guild_id)},
                                  {"parent_id", sf(d.parent_id)},
                                  {"type", num(d.type)}})};
  }
  Named operator()(const ThreadListSync& s) const {
    Fields f{{"guild_id", sf(s.guild_id)}};
    if (s.channel_ids) f.emplace_back("channel_ids", ids(*s.channel_ids));
    f.emplace_back("threads", list_json(s.threads));
    f.emplace_back("members", "[]");
    return {"THREAD_LIST_SYNC", obj(f)};
  }
  Named operator()(const ThreadMembersUpdate& u) const { return {"THREAD_MEMBERS_UPDATE", thread_members_json(u)}; }
  Named operator()(const MemberAdd& a) const { return {"GUILD_MEMBER_ADD", member_with_guild(a.member)}; }
  Named operator()(const MemberUpdate& u) const { return {"GUILD_MEMBER_UPDATE", member_with_guild(u.member)}; }
  Named operator()(const MemberRemove& r) const {
    return {"GUILD_MEMBER_REMOVE", obj({{"guild_id", sf(r.guild_id)}, {"user", to_json(r.user)}})};
  }
  Named operator()(const MembersChunk& c) const { return {"GUILD_MEMBERS_CHUNK", chunk_json(c)}; }
  Named operator()(const RoleCreate& r) const {
    return {"GUILD_ROLE_CREATE", obj({{"guild_id", sf(r.role.guild_id)}, {"role", to_json(r.role)}})};
  }
  Named operator()(const RoleUpdate& r) const {
    return {"GUILD_ROLE_UPDATE", obj({{"guild_id", sf(r.role.guild_id)}, {"role", to_json(r.role)}})};
  }
  Named operator()(const RoleDelete& r) const {
    return {"GUILD_ROLE_DELETE", obj({{"guild_id", sf(r.guild_id)}, {"role_id", sf(r.role_id)}})};
  }
  Named operator()(const EmojisUpdate& e) const {
    return {"GUILD_EMOJIS_UPDATE", obj({{"guild_id", sf(e.guild_id)}, {"emojis", list_json(e.emojis)}})};
  }
  Named operator()(const StickersUpdate& s) const {
    return {"GUILD_STICKERS_UPDATE", obj({{"guild_id", sf(s.guild_id)}, {"stickers", list_json(s.stickers)}})};
  }
  Named operator()(const InviteCreate& i) const { return {"INVITE_CREATE", to_json(i.invite)}; }
  Named operator()(const InviteDelete& i) const {
    return {"INVITE_DELETE",
            obj({{"channel_id", sf(i.channel_id)}, {"guild_id", sf(i.guild_id)}, {"code", q(i.code)}})};
  }
  Named operator()(const MessageCreate& m) const { return {"MESSAGE_CREATE", to_json(m.message)}; }
  Named operator()(const MessageUpdate& m) const { return {"MESSAGE_UPDATE", to_json(m.patch)}; }
  Named operator()(const MessageDelete& d) const {
    Fields f{{"id", sf(d.id)}};
    for (auto& kv : scoped(d.guild_id, d.channel_id)) f.push_back(std::move(kv));
    return {"MESSAGE_DELETE", obj(f)};
  }
  Named operator()(const MessageDeleteBulk& d) const {
    Fields f{{"ids", ids(d.ids)}};
    for (auto& kv : scoped(d.guild_id, d.channel_id)) f.push_back(std::move(kv));
    return {"MESSAGE_DELETE_BULK", obj(f)};
  }
  Named operator()(const PresenceUpdate& p) const { return {"PRESENCE_UPDATE", to_json(p.presence, true)}; }
  Named operator()(const TypingStart& t) const {
    Fields f = scoped(t.guild_id, t.channel_id);
    f.emplace_back("user_id", sf(t.user_id));
    f.emplace_back("timestamp", "1672531200");
    if (t.member) f.emplace_back("member", to_json(*t.member));
    return {"TYPING_START", obj(f)};
  }
  Named operator()(const ReactionAdd& r) const {
    Fields f = scoped(r.guild_id, r.channel_id);
    f.emplace_back("user_id", sf(r.user_id));
    f.emplace_back("message_id", sf(r.message_id));
    if (r.member) f.emplace_back("member", to_json(*r.member));
    f.emplace_back("emoji", obj({{"id", "null"}, {"name", q(r.emoji)}}));
    f.emplace_back("burst", "false");
    f.emplace_back("type", "0");
    return {"MESSAGE_REACTION_ADD", obj(f)};
  }
  Named operator()(const InteractionCreate& i) const {
    Fields f{{"id", sf(i.id)}, {"application_id", sf(1)}, {"type", "2"}, {"token", q("token")},
             {"version", "1"}, {"channel_id", sf(i.channel_id)}};
    if (i.guild_id) f.emplace_back("guild_id", sf(*i.guild_id));
    if (i.member) f.emplace_back("member", to_json(*i.member));
    if (i.user) f.emplace_back("user", to_json(*i.user));
    f.emplace_back("data", obj({{"id", sf(2)}, {"name", q("ping")}, {"type", "1"}}));
    return {"INTERACTION_CREATE", obj(f)};
  }
  Named operator()(const VoiceStateUpdate& v) const { return {"VOICE_STATE_UPDATE", to_json(v.state, true)}; }
  Named operator()(const UserUpdate& u) const { return {"USER_UPDATE", to_json(u.user)}; }
  Named operator()(const BanAdd& b) const {
    return {"GUILD_BAN_ADD", obj({{"guild_id", sf(b.guild_id)}, {"user", to_json(b.user)}})};
  }
  Named operator()(const Resumed&) const { return {"RESUMED", obj({{"_trace", "[]"}})}; }
  Named operator()(const Unknown& u) const { return {u.name, obj({{"guild_id", sf(1)}, {"what", q("new")}})}; }
};

}  // namespace

std::string dispatch_name(const Payload& p) { return std::visit(Render{}, p).first; }
std::string payload_json(const Payload& p) { return std::visit(Render{}, p).second; }

std::string render_frame(const Event& e) {
  if (e.op != 0) {
    std::string d = e.op == 10 ? R"({"heartbeat_interval":41250})" : e.op == 9 ? "false" : "null";
    return fmt::format(R"({{"op":{},"d":{},"s":null,"t":null}})", e.op, d);
  }
  auto [name, d] = std::visit(Render{}, *e.payload);
  std::string s = e.seq ? std::to_string(*e.seq) : "null";
  return fmt::format(R"({{"op":0,"t":"{}","s":{},"d":{}}})", name, s, d);
}

std::string describe(const Event& e) {
  if (e.op != 0) return fmt::format("op {} (shard {})", e.op, e.shard);
  std::string s = e.seq ? std::to_string(*e.seq) : "null";
  std::string what = e.payload ? dispatch_name(*e.payload) : "frame";
  return fmt::format("{}{} s={} (shard {})", e.replay ? "replay of " : "", what, s, e.shard);
}

}  // namespace model
