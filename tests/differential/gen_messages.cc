// Messages: guild messages with member objects (carrying silent member
// changes), mentions, replies (parent embedded, or null when deleted), DMs
// from users and from the bot, partial updates, single and bulk deletes.
#include "generator.h"

namespace model {

std::vector<User> Generator::mentions(const WGuild& g) {
  std::vector<User> out;
  if (rng_.chance(55)) return out;
  for (Id u : rng_.sample(w_.member_ids(g, true), rng_.range(1, 2))) out.push_back(w_.user(u));
  if (rng_.chance(15)) out.push_back(w_.user(rng_.pick(w_.users).first));  // maybe no member here
  std::sort(out.begin(), out.end(), [](const User& a, const User& b) { return a.id < b.id; });
  out.erase(std::unique(out.begin(), out.end(), [](const User& a, const User& b) { return a.id == b.id; }), out.end());
  return out;
}

// A reply to a message of the same channel: embedded as Discord has it, or
// `"referenced_message": null` when that message was deleted (E3).
void Generator::reply_to(Message& m, Id channel) {
  std::vector<Id> parents;
  for (auto& [id, wm] : w_.messages) {
    if (wm.msg.channel_id == channel) parents.push_back(id);
  }
  auto& deleted = w_.deleted_in_channel[channel];
  bool to_deleted = !deleted.empty() && (parents.empty() || rng_.chance(50));
  if (!to_deleted && parents.empty()) return;
  m.type = 19;
  if (to_deleted) {
    m.reference = MessageReference{rng_.pick(deleted), channel, m.guild_id};
    m.reply = Reply::kDeleted;
    return;
  }
  const WMessage& p = w_.messages.at(rng_.pick(parents));
  m.reference = MessageReference{p.msg.id, channel, m.guild_id};
  m.reply = Reply::kEmbedded;
  m.parent = EmbeddedMessage{p.msg.id, channel, p.author_then, p.msg.content, p.msg.timestamp,
                             p.msg.edited_timestamp, p.msg.pinned};
}

void Generator::message_create(WGuild& g) {
  auto channels = w_.message_channels(g);
  if (channels.empty()) return channel_event(g);
  Id author = rng_.chance(15) ? w_.bot.user.id : rng_.pick(g.members).first;
  Message m;
  m.id = w_.new_id();
  m.channel_id = rng_.pick(channels);
  m.guild_id = g.info.id;
  m.author = w_.user(author);
  m.member = w_.current_member(g, author);
  m.content = w_.word();
  m.content += " " + w_.word() + " " + std::to_string(m.id % 1000);
  m.timestamp = w_.now_iso();
  m.mentions = mentions(g);
  if (rng_.chance(20)) m.mention_roles.push_back(rng_.pick(g.roles).first);
  m.mention_everyone = rng_.chance(5);
  m.tts = rng_.chance(3);
  if (rng_.chance(30)) reply_to(m, m.channel_id);
  w_.add_message(m);
  emit_guild(g.info.id, MessageCreate{m});
}

// A DM from a user (known or a stranger) or from the bot; now and then an
// interaction in a DM instead, carrying `user`.
void Generator::dm_create() {
  Id u = rng_.chance(40) ? w_.new_user().id : rng_.pick(w_.users).first;
  if (u == w_.bot.user.id) return;
  if (!w_.dm_channels.count(u)) w_.dm_channels[u] = w_.new_id();
  Id channel = w_.dm_channels.at(u);
  if (rng_.chance(10)) return emit(0, InteractionCreate{w_.new_id(), channel, std::nullopt, std::nullopt, w_.user(u)});
  Message m;
  m.id = w_.new_id();
  m.channel_id = channel;
  m.author = rng_.chance(30) ? w_.bot.user : w_.user(u);
  m.content = "dm " + w_.word();
  m.timestamp = w_.now_iso();
  if (rng_.chance(15)) reply_to(m, channel);
  w_.add_message(m);
  emit(0, MessageCreate{m});
}

void Generator::message_update(std::optional<Id> guild) {
  auto id = w_.recent_message(guild);
  if (!id) return guild ? message_create(w_.guilds.at(*guild)) : dm_create();
  Message& m = w_.messages.at(*id).msg;
  MessagePatch p;
  p.id = m.id;
  p.channel_id = m.channel_id;
  p.guild_id = m.guild_id;
  if (rng_.chance(60)) {
    m.content = "edited " + w_.word();
    m.edited_timestamp = w_.now_iso();
    p.content = m.content;
    if (rng_.chance(90)) p.edited_timestamp = m.edited_timestamp;
  }
  if (rng_.chance(20)) p.pinned = m.pinned = !m.pinned;
  if (guild && rng_.chance(25)) {
    m.mentions = rng_.chance(25) ? std::vector<User>{} : mentions(w_.guilds.at(*guild));
    p.mentions = m.mentions;
  }
  if (guild && rng_.chance(10)) p.mention_roles = m.mention_roles = {};
  if (rng_.chance(5)) p.mention_everyone = m.mention_everyone = !m.mention_everyone;
  if (rng_.chance(10)) p.flags = m.flags = (m.flags ? 0 : 4);
  if (rng_.chance(50)) {
    p.author = w_.user(m.author.id);
    const WGuild* g = guild ? &w_.guilds.at(*guild) : nullptr;
    if (g && g->members.count(m.author.id)) p.member = w_.current_member(*g, m.author.id);
  }
  guild ? emit_guild(*guild, MessageUpdate{p}) : emit(0, MessageUpdate{p});
}

void Generator::message_delete(std::optional<Id> guild) {
  auto id = w_.recent_message(guild);
  if (!id) return;
  const Message first = w_.messages.at(*id).msg;
  std::vector<Id> ids{first.id};
  if (guild && rng_.chance(30)) {
    for (auto& [other, wm] : w_.messages) {
      if (other != first.id && wm.msg.channel_id == first.channel_id && ids.size() < 4) ids.push_back(other);
    }
  }
  for (Id m : ids) {
    w_.messages.erase(m);
    w_.deleted_in_channel[first.channel_id].insert(m);
  }
  Payload p = ids.size() == 1 ? Payload(MessageDelete{first.id, first.channel_id, guild})
                              : Payload(MessageDeleteBulk{ids, first.channel_id, guild});
  guild ? emit_guild(*guild, std::move(p)) : emit(0, std::move(p));
}

}  // namespace model
