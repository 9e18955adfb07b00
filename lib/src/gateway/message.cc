// Message events: MESSAGE_CREATE / UPDATE / DELETE / DELETE_BULK, MESSAGE_REACTION_ADD.
#include "gateway/event.h"

namespace snowcache::gw {

namespace {

// The payload as a Message table. A guild message's member comes without its
// user: it is the author's, so the author is built first and shared.
// `present`, when given, receives which fields the payload carried.
Result<std::string> message_table(Event& ev, const detail::JsonContext& base, detail::Present* present) {
  auto author_off = std::make_shared<flatbuffers::uoffset_t>(0);
  detail::JsonContext ctx = base;
  auto& fbb = ev.impl.fbb;
  fbb.Clear();
  ev.doc.rewind();
  od::value av;
  // Absent is the caller's to judge; any other error is malformed JSON, after
  // which simdjson has abandoned the document: rewinding it would crash.
  if (auto found = ev.doc.find_field_unordered("author").get(av); found == simdjson::SUCCESS) {
    auto off = detail::build_table(fbb, fb::UserTypeTable(), av, "d.author", {});
    if (!off.ok()) return off.status();
    *author_off = *off;
  } else if (found != simdjson::NO_SUCH_FIELD) {
    return detail::json_error(found, "d.author");
  }
  ev.doc.rewind();
  ctx.member_user = [author_off](flatbuffers::FlatBufferBuilder&) { return *author_off; };
  auto guild_id = d_snowflake(ev, "guild_id");
  if (!guild_id.ok()) return guild_id.status();
  if (*guild_id) ctx.guild_id = **guild_id;
  auto v = root(ev);
  if (!v.ok()) return v.status();
  auto off = detail::build_table(fbb, fb::MessageTypeTable(), *v, "d", ctx, {}, present);
  if (!off.ok()) return off.status();
  fbb.Finish(flatbuffers::Offset<fb::Message>(*off));
  std::string bytes(reinterpret_cast<const char*>(fbb.GetBufferPointer()), fbb.GetSize());
  flatbuffers::Verifier verifier(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
  if (!verifier.VerifyBuffer<fb::Message>(nullptr)) return Status::InvalidArgument("d: a required field is missing");
  return bytes;
}

// Exactly the fields the payload carries go over the cached message; an
// empty array clears (R4). Whose message it is never changes (rules.h).
void patch_fields(fb::MessageT& patched, fb::MessageT& partial, const detail::Present& present) {
  auto has = [&](const char* name) {
    int i = detail::field_index(fb::MessageTypeTable(), name);
    return i >= 0 && present.test(static_cast<std::size_t>(i));
  };
  if (has("content")) patched.content = partial.content;
  if (has("edited_timestamp")) patched.edited_timestamp = partial.edited_timestamp;
  if (has("pinned")) patched.pinned = partial.pinned;
  if (has("attachments")) patched.attachments = std::move(partial.attachments);
  if (has("embeds")) patched.embeds = std::move(partial.embeds);
  if (has("mentions")) patched.mentions = std::move(partial.mentions);
  if (has("mention_roles")) patched.mention_roles = partial.mention_roles;
  if (has("mention_channels")) patched.mention_channels = std::move(partial.mention_channels);
  if (has("mention_everyone")) patched.mention_everyone = partial.mention_everyone;
  if (has("flags")) patched.flags = partial.flags;
}

}  // namespace

Status on_message_create(Event& ev) {
  auto bytes = message_table(ev, {}, nullptr);
  if (!bytes.ok()) return bytes.status();
  const auto* m = flatbuffers::GetRoot<fb::Message>(bytes->data());
  if (!m->author()) return Status::InvalidArgument("d.author: missing");
  if (m->id() == 0) return Status::InvalidArgument("d.id: missing");
  if (ev.on(Components::kMessages)) {
    SNOWCACHE_RETURN_IF_ERROR(detail::put_message(ev.txn, *bytes, ev.st.settings.max_messages).status());
  } else {
    // Not stored; its author, mentions and member still refresh cached records (E1, E2).
    SNOWCACHE_RETURN_IF_ERROR(detail::refresh_objects<fb::Message>(ev.txn, *bytes));
  }
  // A DM from someone else records that user's DM channel (R4).
  if (!m->guild_id() && ev.on(Components::kDmChannelIds) && m->author()->id() != bot_id(ev)) {
    SNOWCACHE_RETURN_IF_ERROR(detail::record_dm_channel(ev.txn, Snowflake(m->author()->id()), Snowflake(m->channel_id()),
                                                        ev.st.settings.max_dm_channel_ids));
  }
  return {};
}

Status on_message_update(Event& ev) {
  detail::JsonContext ctx;
  ctx.skip = {"referenced_message"};  // never patched: whose reply it is does not change
  detail::Present present;
  auto bytes = message_table(ev, ctx, &present);
  if (!bytes.ok()) return bytes.status();
  // The author, mentions and member an update carries are the newest (E1, E2).
  SNOWCACHE_RETURN_IF_ERROR(detail::refresh_objects<fb::Message>(ev.txn, *bytes));
  if (!ev.on(Components::kMessages)) return {};
  const auto* update = flatbuffers::GetRoot<fb::Message>(bytes->data());
  auto cached = detail::read_entity<fb::Message>(ev.txn, keys::id(Snowflake(update->id())));
  if (!cached.ok()) return cached.status();
  if (!*cached) return {};  // an update never creates a message
  std::unique_ptr<fb::MessageT> partial(update->UnPack());
  auto patched = (*cached)->unpack();
  patch_fields(*patched, *partial, present);
  return detail::patch_message(ev.txn, std::move(*patched)).status();
}

Status on_message_delete(Event& ev) {
  return erase_by_d_id<fb::Message>(ev, "id");
}

Status on_message_delete_bulk(Event& ev) {
  if (!ev.on(Components::kMessages)) return {};
  auto v = d_field(ev, "ids");
  if (!v.ok()) return v.status();
  if (!*v) return Status::InvalidArgument("d.ids: missing");
  auto ids = snowflake_array(**v, "d.ids");
  if (!ids.ok()) return ids.status();
  for (auto id : *ids) SNOWCACHE_RETURN_IF_ERROR(detail::erase_entity<fb::Message>(ev.txn, keys::id(Snowflake(id))).status());
  return {};
}

// Its member (guild reactions) is the newest member object (E2).
Status on_reaction_add(Event& ev) { return refresh_event_member(ev); }

}  // namespace snowcache::gw
