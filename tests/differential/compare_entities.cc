// One entity against its model record: the fields the semantics govern.
#include <algorithm>

#include <fmt/format.h>

#include "compare_internal.h"

namespace model {

namespace fb = snowcache::fb;

void Diffs::add(const std::string& entity, std::string_view field, std::string expected, std::string actual) {
  if (full()) return;
  if (!ignore_.empty()) {
    std::string text = entity + ": " + std::string(field);
    for (const std::string& part : ignore_) {
      if (text.find(part) != std::string::npos) return;
    }
  }
  list.push_back(Difference{scope_, entity, std::string(field), std::move(expected), std::move(actual)});
}

std::string show(const std::string& s) { return "\"" + s + "\""; }
std::string show(const OptStr& s) { return s ? show(*s) : "null"; }
std::string show(bool b) { return b ? "true" : "false"; }
std::string show(const std::vector<Id>& v) { return fmt::format("[{}]", fmt::join(v, ",")); }
std::string show(const std::vector<std::string>& v) { return fmt::format("[{}]", fmt::join(v, ",")); }

std::string label_of(std::string_view kind, Id id) { return fmt::format("{} {}", kind, id); }
std::string label_of(std::string_view kind, const GU& key) {
  return fmt::format("{} {}/{}", kind, key.first, key.second);
}
std::string label_of(std::string_view kind, const std::string& code) { return fmt::format("{} {}", kind, code); }

void check(Diffs& d, const std::string& label, const Model&, const User& e, const fb::User& a) {
  d.eq(label, "id", e.id, a.id());
  d.eq(label, "user.username", e.username, fs(a.username()).value_or("<absent>"));
  d.eq(label, "user.global_name", e.global_name, fs(a.global_name()));
  d.eq(label, "user.avatar", e.avatar, fs(a.avatar()));
  d.eq(label, "user.bot", e.bot, a.bot());
}

void check_user_ref(Diffs& d, const std::string& label, const Model& m, Id id, const fb::User* a) {
  auto it = m.users.find(id);
  if (!a) return d.add(label, "present", fmt::format("user {}", id), "<absent>");
  if (it == m.users.end()) return d.add(label, "id", fmt::format("{} (not cached)", id), show(a->id()));
  check(d, label, m, it->second, *a);
}

void check_member_ref(Diffs& d, const std::string& label, const Model& m, const GU& key, const fb::Member* a) {
  auto it = m.members.find(key);
  if (it == m.members.end() || !a) {
    if (it != m.members.end() || a) d.eq(label, "present", it != m.members.end(), a != nullptr);
    return;
  }
  check(d, label, m, it->second, *a);
}

void check(Diffs& d, const std::string& label, const Model& m, const MemberRec& e, const fb::Member& a) {
  const Member& x = e.data;
  d.eq(label, "guild_id", x.guild_id, a.guild_id());
  check_user_ref(d, label + " user", m, x.user.id, a.user());
  d.eq(label, "member.nick", x.nick, fs(a.nick()));
  d.eq(label, "member.avatar", x.avatar, fs(a.avatar()));
  std::vector<Id> want = x.roles, got = fv(a.roles());
  want.push_back(x.guild_id);  // R4: always with @everyone
  for (auto* v : {&want, &got}) {
    std::sort(v->begin(), v->end());
    v->erase(std::unique(v->begin(), v->end()), v->end());
  }
  d.eq(label, "member.roles (as a set)", want, got);
  d.eq(label, "member.joined_at", OptStr(x.joined_at), fs(a.joined_at()));
  d.eq(label, "member.communication_disabled_until", x.communication_disabled_until,
       fs(a.communication_disabled_until()));
  d.eq(label, "member.deaf", std::optional<bool>(x.deaf), fo(a.deaf()));
  d.eq(label, "member.mute", std::optional<bool>(x.mute), fo(a.mute()));
}

void check(Diffs& d, const std::string& label, const Model&, const GuildRec& e, const fb::Guild& a) {
  const Guild& g = e.data;
  d.eq(label, "id", g.id, a.id());
  d.eq(label, "name", OptStr(g.name), fs(a.name()));
  d.eq(label, "icon", g.icon, fs(a.icon()));
  d.eq(label, "owner_id", g.owner_id, a.owner_id());
  d.eq(label, "description", g.description, fs(a.description()));
  d.eq(label, "verification_level", g.verification_level, a.verification_level());
  d.eq(label, "premium_tier", g.premium_tier, a.premium_tier());
  d.eq(label, "member_count", g.member_count, fo(a.member_count()));
  d.eq(label, "large", g.large, a.large());
  d.eq(label, "joined_at", g.joined_at, fs(a.joined_at()));
  d.eq(label, "unavailable", !e.available, a.unavailable());
}

void check(Diffs& d, const std::string& label, const Model&, const Channel& e, const fb::GuildChannel& a) {
  d.eq(label, "id", e.id, a.id());
  d.eq(label, "guild_id", e.guild_id, a.guild_id());
  d.eq(label, "type", e.type, a.type());
  d.eq(label, "name", OptStr(e.name), fs(a.name()));
  d.eq(label, "position", e.position, a.position());
  d.eq(label, "parent_id", e.parent_id, fo(a.parent_id()));
  d.eq(label, "topic", e.topic, fs(a.topic()));
  d.eq(label, "nsfw", e.nsfw, a.nsfw());
  d.eq(label, "bitrate", e.bitrate, fo(a.bitrate()));
  d.eq(label, "user_limit", e.user_limit, fo(a.user_limit()));
  d.eq(label, "rate_limit_per_user", e.rate_limit_per_user, a.rate_limit_per_user());
}

void check(Diffs& d, const std::string& label, const Model&, const Thread& e, const fb::Thread& a) {
  d.eq(label, "id", e.id, a.id());
  d.eq(label, "guild_id", e.guild_id, a.guild_id());
  d.eq(label, "parent_id", e.parent_id, a.parent_id());
  d.eq(label, "owner_id", std::optional<Id>(e.owner_id), fo(a.owner_id()));
  d.eq(label, "type", e.type, a.type());
  d.eq(label, "name", OptStr(e.name), fs(a.name()));
  d.eq(label, "message_count", e.message_count, a.message_count());
  d.eq(label, "member_count", e.member_count, a.member_count());
  const fb::ThreadMetadata* md = a.thread_metadata();
  if (!md) return d.add(label, "thread_metadata", "present", "<absent>");
  d.eq(label, "archived", e.archived, md->archived());
  d.eq(label, "locked", e.locked, md->locked());
  d.eq(label, "auto_archive_duration", e.auto_archive_duration, md->auto_archive_duration());
  d.eq(label, "archive_timestamp", OptStr(e.archive_timestamp), fs(md->archive_timestamp()));
}

void check(Diffs& d, const std::string& label, const Model&, const Role& e, const fb::Role& a) {
  d.eq(label, "id", e.id, a.id());
  d.eq(label, "guild_id", e.guild_id, a.guild_id());
  d.eq(label, "name", OptStr(e.name), fs(a.name()));
  d.eq(label, "color", e.color, a.color());
  d.eq(label, "hoist", e.hoist, a.hoist());
  d.eq(label, "position", e.position, a.position());
  d.eq(label, "permissions", e.permissions, a.permissions());
  d.eq(label, "mentionable", e.mentionable, a.mentionable());
}

void check(Diffs& d, const std::string& label, const Model& m, const Emoji& e, const fb::Emoji& a) {
  d.eq(label, "id", e.id, a.id());
  d.eq(label, "guild_id", e.guild_id, a.guild_id());
  d.eq(label, "name", OptStr(e.name), fs(a.name()));
  d.eq(label, "roles", e.roles, fv(a.roles()));
  d.eq(label, "animated", e.animated, a.animated());
  d.eq(label, "available", e.available, a.available());
  if (e.user) return check_user_ref(d, label + " user", m, e.user->id, a.user());
  d.eq(label, "user", std::string("<absent>"), a.user() ? show(a.user()->id()) : "<absent>");
}

void check(Diffs& d, const std::string& label, const Model& m, const Sticker& e, const fb::Sticker& a) {
  d.eq(label, "id", e.id, a.id());
  d.eq(label, "guild_id", e.guild_id, a.guild_id());
  d.eq(label, "name", OptStr(e.name), fs(a.name()));
  d.eq(label, "description", e.description, fs(a.description()));
  d.eq(label, "tags", OptStr(e.tags), fs(a.tags()));
  d.eq(label, "format_type", e.format_type, a.format_type());
  d.eq(label, "available", e.available, a.available());
  if (e.user) return check_user_ref(d, label + " user", m, e.user->id, a.user());
  d.eq(label, "user", std::string("<absent>"), a.user() ? show(a.user()->id()) : "<absent>");
}

void check(Diffs& d, const std::string& label, const Model& m, const Invite& e, const fb::Invite& a) {
  d.eq(label, "code", e.code, a.code()->str());
  d.eq(label, "guild_id", std::optional<Id>(e.guild_id), fo(a.guild_id()));
  d.eq(label, "channel_id", std::optional<Id>(e.channel_id), fo(a.channel_id()));
  d.eq(label, "uses", e.uses, a.uses());
  d.eq(label, "max_uses", e.max_uses, a.max_uses());
  d.eq(label, "max_age", e.max_age, a.max_age());
  d.eq(label, "temporary", e.temporary, a.temporary());
  d.eq(label, "created_at", OptStr(e.created_at), fs(a.created_at()));
  if (e.inviter) check_user_ref(d, label + " inviter", m, e.inviter->id, a.inviter());
  if (!e.inviter) d.eq(label, "inviter", false, a.inviter() != nullptr);
  if (e.target_user) check_user_ref(d, label + " target_user", m, e.target_user->id, a.target_user());
  if (!e.target_user) d.eq(label, "target_user", false, a.target_user() != nullptr);
}

void check(Diffs& d, const std::string& label, const Model&, const PresenceRec& e, const fb::Presence& a) {
  const Presence& p = e.data;
  d.eq(label, "guild_id", p.guild_id, a.guild_id());
  d.eq(label, "user_id", p.user.id, a.user_id());
  d.eq(label, "status", OptStr(p.status), fs(a.status()));
  std::vector<std::string> want, got;
  for (const Activity& x : p.activities) want.push_back(fmt::format("{}/{}/{}", x.name, x.type, show(x.state)));
  if (a.activities()) {
    for (const fb::Activity* x : *a.activities()) {
      got.push_back(fmt::format("{}/{}/{}", fs(x->name()).value_or(""), x->type(), show(fs(x->state()))));
    }
  }
  d.eq(label, "activities", want, got);
  const fb::ClientStatus* cs = a.client_status();
  d.eq(label, "client_status.desktop", p.desktop, cs ? fs(cs->desktop()) : std::nullopt);
  d.eq(label, "client_status.mobile", p.mobile, cs ? fs(cs->mobile()) : std::nullopt);
  d.eq(label, "client_status.web", p.web, cs ? fs(cs->web()) : std::nullopt);
}

void check(Diffs& d, const std::string& label, const Model& m, const VoiceRec& e, const fb::VoiceState& a) {
  const VoiceState& v = e.data;
  d.eq(label, "guild_id", v.guild_id, a.guild_id());
  d.eq(label, "user_id", v.user_id, a.user_id());
  d.eq(label, "channel_id", v.channel_id, fo(a.channel_id()));
  d.eq(label, "session_id", OptStr(v.session_id), fs(a.session_id()));
  d.eq(label, "self_mute", v.self_mute, a.self_mute());
  d.eq(label, "self_deaf", v.self_deaf, a.self_deaf());
  GU key{v.guild_id, v.user_id};
  if (e.holds_member) return check_member_ref(d, label + " member", m, key, a.member());
  d.eq(label, "member", false, a.member() != nullptr);
}

void check(Diffs& d, const std::string& label, const Model&, const DmRec& e, const fb::DmChannelId& a) {
  d.eq(label, "channel_id", e.channel, a.channel_id());
}

}  // namespace model
