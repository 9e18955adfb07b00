// Messages: author, member and mentions as the current records (E1, E2),
// the patched fields (R4), replies (R3, E3).
#include <fmt/format.h>

#include "compare_internal.h"
#include "snowcache/dump.h"

namespace model {

namespace fb = snowcache::fb;

namespace {

void check_reference(Diffs& d, const std::string& label, const Message& e, const fb::Message& a) {
  const fb::MessageReference* r = a.message_reference();
  d.eq(label, "message_reference", e.reference.has_value(), r != nullptr);
  if (e.reference && r) {
    d.eq(label, "message_reference.message_id", std::optional<Id>(e.reference->message_id), fo(r->message_id()));
    d.eq(label, "message_reference.channel_id", std::optional<Id>(e.reference->channel_id), fo(r->channel_id()));
    d.eq(label, "message_reference.guild_id", e.reference->guild_id, fo(r->guild_id()));
  }
  // The parent as Discord embedded it (R3): never joined with current records.
  const fb::Message* p = a.referenced_message();
  d.eq(label, "referenced_message", e.reply == Reply::kEmbedded, p != nullptr);
  if (e.reply != Reply::kEmbedded || !p) return;
  const EmbeddedMessage& x = *e.parent;
  d.eq(label, "referenced_message.id", x.id, p->id());
  d.eq(label, "referenced_message.content", OptStr(x.content), fs(p->content()));
  d.eq(label, "referenced_message.edited_timestamp", x.edited_timestamp, fs(p->edited_timestamp()));
  d.eq(label, "referenced_message.pinned", x.pinned, p->pinned());
  d.eq(label, "referenced_message.author.id", x.author.id, p->author() ? p->author()->id() : 0);
  d.eq(label, "referenced_message.author.username (as embedded)", OptStr(x.author.username),
       p->author() ? fs(p->author()->username()) : std::nullopt);
}

void check_mentions(Diffs& d, const std::string& label, const Model& m, const Message& e, const fb::Message& a) {
  std::vector<Id> want, got;
  for (const User& u : e.mentions) want.push_back(u.id);
  if (a.mentions()) {
    for (const fb::User* u : *a.mentions()) got.push_back(u->id());
  }
  d.eq(label, "mentions", want, got);
  if (want != got) return;
  for (std::size_t i = 0; i < want.size(); ++i) {
    const fb::User* u = a.mentions()->Get(static_cast<flatbuffers::uoffset_t>(i));
    check_user_ref(d, fmt::format("{} mention {}", label, want[i]), m, want[i], u);
  }
}

}  // namespace

void check(Diffs& d, const std::string& label, const Model& m, const MessageRec& rec, const fb::Message& a) {
  const Message& e = rec.data;
  d.eq(label, "id", e.id, a.id());
  d.eq(label, "channel_id", e.channel_id, a.channel_id());
  d.eq(label, "guild_id", e.guild_id, fo(a.guild_id()));
  check_user_ref(d, label + " author", m, e.author.id, a.author());
  if (rec.holds_member) {
    check_member_ref(d, label + " member", m, {*e.guild_id, e.author.id}, a.member());
  } else {
    d.eq(label, "member", false, a.member() != nullptr);
  }
  d.eq(label, "content", OptStr(e.content), fs(a.content()));
  d.eq(label, "timestamp", OptStr(e.timestamp), fs(a.timestamp()));
  d.eq(label, "edited_timestamp", e.edited_timestamp, fs(a.edited_timestamp()));
  d.eq(label, "tts", e.tts, a.tts());
  d.eq(label, "mention_everyone", e.mention_everyone, a.mention_everyone());
  d.eq(label, "mention_roles", e.mention_roles, fv(a.mention_roles()));
  d.eq(label, "pinned", e.pinned, a.pinned());
  d.eq(label, "type", e.type, a.type());
  d.eq(label, "flags", e.flags, a.flags());
  check_mentions(d, label, m, e, a);
  check_reference(d, label, e, a);
}

std::optional<bool> reply_parent_deleted(const snowcache::Cache& c, Id id) {
  auto m = c.get_message(snowcache::Snowflake(id));
  if (!m.ok() || !*m) return std::nullopt;
  return (**m)->referenced_message_deleted();
}

}  // namespace model
