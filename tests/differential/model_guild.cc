// Guild-scoped lists: GUILD_CREATE / GUILD_UPDATE replacements (R5), channel
// deletion cascades, thread list syncs.
#include <map>
#include <set>

#include "model.h"

namespace model {

namespace {

template <class M, class V>
void replace_for_guild(M& map, Id g, const std::vector<V>& items) {
  std::erase_if(map, [&](auto& kv) { return kv.second.guild_id == g; });
  for (const V& x : items) map[x.id] = x;
}
}  // namespace

void Model::on_guild_create(const GuildCreate& c) {
  const Id g = c.guild.id;
  if (on(Components::kGuilds)) guilds[g] = GuildRec{c.guild, true};
  last_guild_create_[g] = event_no_;
  if (on(Components::kGuildChannels)) replace_for_guild(channels, g, c.channels);
  if (on(Components::kGuildThreads)) replace_for_guild(threads, g, c.threads);
  replace_roles(g, c.roles);
  replace_emojis(g, c.emojis);
  replace_stickers(g, c.stickers);
  guild_create_members(c);
  if (on(Components::kPresences) && !c.guild.large) {
    std::erase_if(presences, [&](auto& kv) { return kv.first.first == g; });
  }
  for (const Presence& p : c.presences) upsert_presence(p);
  guild_create_voice(c);
}

// Members: a small guild's list is complete and replaces; a large guild's is
// partial and upserts. only_my_member lists only the bot's (E4); every member
// object still refreshes a cached record (E2).
void Model::guild_create_members(const GuildCreate& c) {
  const Id g = c.guild.id;
  std::set<Id> listed;
  for (const Member& mem : c.members) {
    if (settings_.only_my_member && mem.user.id != bot_id) {
      refresh_member(mem);
      continue;
    }
    list_member(mem);
    listed.insert(mem.user.id);
  }
  if (c.guild.large) return;
  for (auto& [k, rec] : members) {
    if (k.first == g && !listed.count(k.second)) rec.listed = false;
  }
}

// Voice states replace the guild's; each holds the member the payload's
// `members` list gives for it (E4: also under only_my_member).
void Model::guild_create_voice(const GuildCreate& c) {
  const Id g = c.guild.id;
  if (!on(Components::kVoiceStates)) return;
  std::erase_if(voice_states, [&](auto& kv) { return kv.first.first == g; });
  for (VoiceState v : c.voice_states) {
    v.guild_id = g;
    VoiceRec rec{v, false};
    for (const Member& mem : c.members) {
      if (mem.user.id != v.user_id) continue;
      rec.data.member = mem;
      rec.holds_member = true;
      hold_member(mem);
    }
    if (!rec.holds_member && members.count({g, v.user_id})) rec.holds_member = true;
    voice_states[{g, v.user_id}] = rec;
  }
}

void Model::on_guild_update(const GuildUpdate& u) {
  const Id g = u.guild.id;
  if (on(Components::kGuilds)) {
    auto it = guilds.find(g);
    Guild data = u.guild;
    if (it != guilds.end()) {
      data.member_count = it->second.data.member_count;
      data.large = it->second.data.large;
      data.joined_at = it->second.data.joined_at;
      it->second.data = data;
    } else {
      guilds[g] = GuildRec{data, true};
    }
  }
  replace_roles(g, u.roles);
  replace_emojis(g, u.emojis);
  replace_stickers(g, u.stickers);
}

void Model::replace_roles(Id g, const std::vector<Role>& items) {
  if (on(Components::kRoles)) replace_for_guild(roles, g, items);
}

void Model::replace_emojis(Id g, const std::vector<Emoji>& items) {
  for (const Emoji& e : items) {
    if (e.user) write_user(*e.user);
  }
  if (on(Components::kEmojis)) replace_for_guild(emojis, g, items);
}

void Model::replace_stickers(Id g, const std::vector<Sticker>& items) {
  for (const Sticker& s : items) {
    if (s.user) write_user(*s.user);
  }
  if (on(Components::kGuildStickers)) replace_for_guild(stickers, g, items);
}

// R5: the channel, its threads, its invites and the messages sent in it (not
// those sent in its threads).
void Model::on_channel_delete(const Channel& c) {
  channels.erase(c.id);
  std::erase_if(threads, [&](auto& kv) { return kv.second.parent_id == c.id; });
  std::erase_if(invites, [&](auto& kv) { return kv.second.channel_id == c.id; });
  std::erase_if(messages, [&](auto& kv) { return kv.second.data.channel_id == c.id; });
}

void Model::on_thread_list_sync(const ThreadListSync& s) {
  if (!on(Components::kGuildThreads)) return;
  std::set<Id> parents;
  if (s.channel_ids) parents.insert(s.channel_ids->begin(), s.channel_ids->end());
  std::erase_if(threads, [&](auto& kv) {
    return kv.second.guild_id == s.guild_id && (parents.empty() || parents.count(kv.second.parent_id));
  });
  for (const Thread& t : s.threads) threads[t.id] = t;
}

}  // namespace model
