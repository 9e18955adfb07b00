// Messages (R3, R4, E1-E3) and DM channel ids (R4).
#include "model.h"

namespace model {

namespace {
// The message's member object with the author as its user (E2).
Member author_member(const Member& m, const User& author, Id guild) {
  Member out = m;
  out.user = author;
  out.guild_id = guild;
  return out;
}
}  // namespace

void Model::on_message_create(const Message& msg) {
  write_user(msg.author);
  for (const User& u : msg.mentions) write_user(u);
  std::optional<Member> mem;
  if (msg.guild_id && msg.member) mem = author_member(*msg.member, msg.author, *msg.guild_id);
  if (!msg.guild_id && msg.author.id != bot_id && on(Components::kDmChannelIds)) {
    record_dm_channel(msg.author.id, msg.channel_id);
  }
  if (!on(Components::kMessages)) {
    if (mem) refresh_member(*mem);
    return;
  }
  if (mem) hold_member(*mem);
  messages[msg.id] = MessageRec{msg, mem.has_value()};
  stats.replies_to_deleted += msg.reply == Reply::kDeleted;
  stats.replies_embedded += msg.reply == Reply::kEmbedded;
  while (messages.size() > settings_.max_messages) {
    messages.erase(messages.begin());
    ++stats.messages_evicted;
  }
}

// Patches exactly the fields present (R4); the author's user and member are
// refreshed from the payload (E1, E2) but never created by it.
void Model::on_message_update(const MessagePatch& p) {
  if (p.author) write_user(*p.author);
  if (p.mentions) {
    for (const User& u : *p.mentions) write_user(u);
  }
  if (p.member && p.author && p.guild_id) refresh_member(author_member(*p.member, *p.author, *p.guild_id));
  auto it = messages.find(p.id);
  if (it == messages.end()) return;
  Message& m = it->second.data;
  if (p.content) m.content = *p.content;
  if (p.edited_timestamp) m.edited_timestamp = *p.edited_timestamp;
  if (p.pinned) m.pinned = *p.pinned;
  if (p.mentions) m.mentions = *p.mentions;
  if (p.mention_roles) m.mention_roles = *p.mention_roles;
  if (p.mention_everyone) m.mention_everyone = *p.mention_everyone;
  if (p.flags) m.flags = *p.flags;
}

// Oldest inserted goes first; recording a user again keeps its place.
void Model::record_dm_channel(Id user, Id channel) {
  auto it = dm_channel_ids.find(user);
  if (it != dm_channel_ids.end()) {
    it->second.channel = channel;
    return;
  }
  dm_channel_ids[user] = DmRec{channel, ++dm_order_};
  while (dm_channel_ids.size() > settings_.max_dm_channel_ids) {
    auto oldest = dm_channel_ids.begin();
    for (auto j = dm_channel_ids.begin(); j != dm_channel_ids.end(); ++j) {
      if (j->second.order < oldest->second.order) oldest = j;
    }
    dm_channel_ids.erase(oldest);
    ++stats.dm_ids_evicted;
  }
}

}  // namespace model
