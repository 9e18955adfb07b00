#include "json.h"

#include <fmt/format.h>

namespace model::json {

std::string q(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      out += fmt::format("\\u{:04x}", static_cast<unsigned>(c));
    } else {
      out += c;
    }
  }
  return out + "\"";
}

std::string sf(Id id) { return "\"" + std::to_string(id) + "\""; }
std::string opt(const OptStr& s) { return s ? q(*s) : "null"; }
std::string opt_id(const OptId& id) { return id ? sf(*id) : "null"; }

std::string arr(const std::vector<std::string>& items) {
  std::string out = "[";
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i) out += ',';
    out += items[i];
  }
  return out + "]";
}

std::string ids(const std::vector<Id>& v) {
  std::vector<std::string> out;
  for (Id id : v) out.push_back(sf(id));
  return arr(out);
}

std::string obj(const Fields& fields) {
  std::string out = "{";
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i) out += ',';
    out += q(fields[i].first);
    out += ':';
    out += fields[i].second;
  }
  return out + "}";
}

}  // namespace model::json

namespace model {

using namespace json;

std::string to_json(const User& u) {
  return obj({{"id", sf(u.id)}, {"username", q(u.username)}, {"discriminator", q("0")},
              {"global_name", opt(u.global_name)}, {"avatar", opt(u.avatar)}, {"bot", b(u.bot)},
              {"public_flags", "0"}});
}

std::string to_json(const PartialUser& u) {
  Fields f{{"id", sf(u.id)}};
  if (u.username) f.emplace_back("username", q(*u.username));
  if (u.global_name) f.emplace_back("global_name", opt(*u.global_name));
  if (u.avatar) f.emplace_back("avatar", opt(*u.avatar));
  return obj(f);
}

std::string to_json(const OwnUser& o) {
  const User& u = o.user;
  return obj({{"id", sf(u.id)}, {"username", q(u.username)}, {"discriminator", q("0")},
              {"global_name", opt(u.global_name)}, {"avatar", opt(u.avatar)}, {"bot", b(u.bot)},
              {"public_flags", "0"}, {"flags", "0"}, {"mfa_enabled", b(o.mfa_enabled)},
              {"verified", b(o.verified)}, {"locale", q(o.locale)}});
}

std::string to_json(const Member& m, bool with_user) {
  Fields f;
  if (with_user) f.emplace_back("user", to_json(m.user));
  f.insert(f.end(), {{"nick", opt(m.nick)}, {"avatar", opt(m.avatar)}, {"roles", ids(m.roles)},
                     {"joined_at", q(m.joined_at)}, {"premium_since", "null"}, {"deaf", b(m.deaf)},
                     {"mute", b(m.mute)}, {"flags", "0"}, {"pending", "false"},
                     {"communication_disabled_until", opt(m.communication_disabled_until)}});
  return obj(f);
}

Fields guild_fields(const Guild& g, bool create) {
  Fields f{{"id", sf(g.id)},
           {"name", q(g.name)},
           {"icon", opt(g.icon)},
           {"description", opt(g.description)},
           {"splash", "null"},
           {"banner", "null"},
           {"owner_id", sf(g.owner_id)},
           {"afk_channel_id", "null"},
           {"afk_timeout", "300"},
           {"verification_level", num(g.verification_level)},
           {"default_message_notifications", "1"},
           {"explicit_content_filter", "0"},
           {"mfa_level", "0"},
           {"application_id", "null"},
           {"system_channel_id", "null"},
           {"system_channel_flags", "0"},
           {"rules_channel_id", "null"},
           {"vanity_url_code", "null"},
           {"premium_tier", num(g.premium_tier)},
           {"preferred_locale", q("en-US")},
           {"public_updates_channel_id", "null"},
           {"nsfw_level", "0"},
           {"features", "[]"}};
  if (create) {
    f.emplace_back("member_count", num(g.member_count.value_or(0)));
    f.emplace_back("large", b(g.large));
    f.emplace_back("joined_at", opt(g.joined_at));
    f.emplace_back("unavailable", "false");
  }
  return f;
}

std::string to_json(const Channel& c) {
  Fields f{{"id", sf(c.id)},       {"guild_id", sf(c.guild_id)}, {"type", num(c.type)},
           {"name", q(c.name)},    {"position", num(c.position)}, {"parent_id", opt_id(c.parent_id)},
           {"nsfw", b(c.nsfw)},    {"permission_overwrites", "[]"}};
  if (c.type == 0 || c.type == 5) {
    f.emplace_back("topic", opt(c.topic));
    f.emplace_back("last_message_id", "null");
    f.emplace_back("rate_limit_per_user", num(c.rate_limit_per_user));
  }
  if (c.bitrate) f.emplace_back("bitrate", num(*c.bitrate));
  if (c.user_limit) f.emplace_back("user_limit", num(*c.user_limit));
  if (c.type == 2 || c.type == 13) f.emplace_back("rtc_region", "null");
  return obj(f);
}

std::string to_json(const Thread& t) {
  std::string meta = obj({{"archived", b(t.archived)},
                          {"auto_archive_duration", num(t.auto_archive_duration)},
                          {"archive_timestamp", q(t.archive_timestamp)},
                          {"locked", b(t.locked)}});
  return obj({{"id", sf(t.id)}, {"guild_id", sf(t.guild_id)}, {"parent_id", sf(t.parent_id)},
              {"owner_id", sf(t.owner_id)}, {"name", q(t.name)}, {"type", num(t.type)},
              {"last_message_id", "null"}, {"message_count", num(t.message_count)},
              {"member_count", num(t.member_count)}, {"rate_limit_per_user", "0"}, {"thread_metadata", meta},
              {"total_message_sent", num(t.message_count)}, {"flags", "0"}});
}

std::string to_json(const Role& r) {
  return obj({{"id", sf(r.id)}, {"name", q(r.name)}, {"color", num(r.color)}, {"hoist", b(r.hoist)},
              {"icon", "null"}, {"unicode_emoji", "null"}, {"position", num(r.position)},
              {"permissions", q(std::to_string(r.permissions))}, {"managed", "false"},
              {"mentionable", b(r.mentionable)}, {"flags", "0"}});
}

std::string to_json(const Emoji& e) {
  Fields f{{"id", sf(e.id)},         {"name", q(e.name)},           {"roles", ids(e.roles)},
           {"require_colons", "true"}, {"managed", "false"},          {"animated", b(e.animated)},
           {"available", b(e.available)}};
  if (e.user) f.emplace_back("user", to_json(*e.user));
  return obj(f);
}

std::string to_json(const Sticker& s) {
  Fields f{{"id", sf(s.id)},          {"name", q(s.name)},       {"description", opt(s.description)},
           {"tags", q(s.tags)},        {"type", "2"},             {"format_type", num(s.format_type)},
           {"available", b(s.available)}, {"guild_id", sf(s.guild_id)}};
  if (s.user) f.emplace_back("user", to_json(*s.user));
  return obj(f);
}

std::string to_json(const Invite& i) {
  Fields f{{"channel_id", sf(i.channel_id)}, {"code", q(i.code)},         {"created_at", q(i.created_at)},
           {"guild_id", sf(i.guild_id)},     {"max_age", num(i.max_age)}, {"max_uses", num(i.max_uses)},
           {"temporary", b(i.temporary)},    {"uses", num(i.uses)},       {"type", "0"}};
  if (i.inviter) f.emplace_back("inviter", to_json(*i.inviter));
  if (i.target_user) {
    f.emplace_back("target_type", "1");
    f.emplace_back("target_user", to_json(*i.target_user));
  }
  return obj(f);
}

std::string to_json(const Presence& p, bool with_guild) {
  std::vector<std::string> acts;
  for (const auto& a : p.activities) {
    acts.push_back(obj({{"name", q(a.name)}, {"type", num(a.type)}, {"state", opt(a.state)},
                        {"created_at", "1672531200000"}}));
  }
  Fields cs;
  if (p.desktop) cs.emplace_back("desktop", q(*p.desktop));
  if (p.mobile) cs.emplace_back("mobile", q(*p.mobile));
  if (p.web) cs.emplace_back("web", q(*p.web));
  Fields f{{"user", to_json(p.user)}};
  if (with_guild) f.emplace_back("guild_id", sf(p.guild_id));
  f.insert(f.end(), {{"status", q(p.status)}, {"activities", arr(acts)}, {"client_status", obj(cs)}});
  return obj(f);
}

std::string to_json(const VoiceState& v, bool with_guild) {
  Fields f;
  if (with_guild) f.emplace_back("guild_id", sf(v.guild_id));
  f.insert(f.end(), {{"channel_id", opt_id(v.channel_id)}, {"user_id", sf(v.user_id)},
                     {"session_id", q(v.session_id)}, {"deaf", b(v.deaf)}, {"mute", b(v.mute)},
                     {"self_deaf", b(v.self_deaf)}, {"self_mute", b(v.self_mute)}, {"self_video", "false"},
                     {"suppress", "false"}, {"request_to_speak_timestamp", "null"}});
  if (v.member) f.emplace_back("member", to_json(*v.member));
  return obj(f);
}

std::string to_json(const EmbeddedMessage& m, OptId guild_id) {
  Fields f{{"id", sf(m.id)}, {"channel_id", sf(m.channel_id)}};
  if (guild_id) f.emplace_back("guild_id", sf(*guild_id));
  f.insert(f.end(), {{"author", to_json(m.author)}, {"content", q(m.content)}, {"timestamp", q(m.timestamp)},
                     {"edited_timestamp", opt(m.edited_timestamp)}, {"tts", "false"},
                     {"mention_everyone", "false"}, {"mentions", "[]"}, {"mention_roles", "[]"},
                     {"attachments", "[]"}, {"embeds", "[]"}, {"pinned", b(m.pinned)}, {"type", "0"},
                     {"flags", "0"}});
  return obj(f);
}

namespace {
json::Fields message_reference_fields(const Message& m) {
  json::Fields f;
  if (!m.reference) return f;
  Fields r{{"type", "0"}, {"message_id", sf(m.reference->message_id)}, {"channel_id", sf(m.reference->channel_id)}};
  if (m.reference->guild_id) r.emplace_back("guild_id", sf(*m.reference->guild_id));
  f.emplace_back("message_reference", obj(r));
  if (m.reply == Reply::kEmbedded) f.emplace_back("referenced_message", to_json(*m.parent, m.guild_id));
  if (m.reply == Reply::kDeleted) f.emplace_back("referenced_message", "null");
  return f;
}
}  // namespace

std::string to_json(const Message& m) {
  Fields f{{"id", sf(m.id)}, {"channel_id", sf(m.channel_id)}};
  if (m.guild_id) f.emplace_back("guild_id", sf(*m.guild_id));
  f.emplace_back("author", to_json(m.author));
  if (m.member) f.emplace_back("member", to_json(*m.member, false));
  f.insert(f.end(), {{"content", q(m.content)}, {"timestamp", q(m.timestamp)},
                     {"edited_timestamp", opt(m.edited_timestamp)}, {"tts", b(m.tts)},
                     {"mention_everyone", b(m.mention_everyone)}, {"mentions", list_json(m.mentions)},
                     {"mention_roles", ids(m.mention_roles)}, {"attachments", "[]"}, {"embeds", "[]"},
                     {"pinned", b(m.pinned)}, {"type", num(m.type)}, {"flags", num(m.flags)}});
  for (auto& kv : message_reference_fields(m)) f.push_back(std::move(kv));
  return obj(f);
}

std::string to_json(const MessagePatch& p) {
  Fields f{{"id", sf(p.id)}, {"channel_id", sf(p.channel_id)}};
  if (p.guild_id) f.emplace_back("guild_id", sf(*p.guild_id));
  if (p.author) f.emplace_back("author", to_json(*p.author));
  if (p.member) f.emplace_back("member", to_json(*p.member, false));
  if (p.content) f.emplace_back("content", q(*p.content));
  if (p.edited_timestamp) f.emplace_back("edited_timestamp", opt(*p.edited_timestamp));
  if (p.pinned) f.emplace_back("pinned", b(*p.pinned));
  if (p.mentions) f.emplace_back("mentions", list_json(*p.mentions));
  if (p.mention_roles) f.emplace_back("mention_roles", ids(*p.mention_roles));
  if (p.mention_everyone) f.emplace_back("mention_everyone", b(*p.mention_everyone));
  if (p.flags) f.emplace_back("flags", num(*p.flags));
  return obj(f);
}

}  // namespace model
