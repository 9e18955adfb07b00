// Message events: MESSAGE_CREATE / UPDATE / DELETE / DELETE_BULK.
#include "gateway/event.h"

namespace snowcache::gw {

Status on_message_create(Event& ev) {
  auto d = root(ev);
  if (!d.ok()) return d.status();
  // The member of a guild message comes without its user: it is the author.
  auto author_off = std::make_shared<flatbuffers::uoffset_t>(0);
  detail::JsonContext ctx;
  auto& fbb = ev.impl.fbb;
  fbb.Clear();
  // First the author, so the member can share it.
  {
    ev.doc.rewind();
    od::value av;
    // Absent is checked below; any other error is malformed JSON, after which
    // simdjson has abandoned the document: rewinding it would crash.
    if (auto found = ev.doc.find_field_unordered("author").get(av); found == simdjson::SUCCESS) {
      auto off = detail::build_table(fbb, fb::UserTypeTable(), av, "d.author", {});
      if (!off.ok()) return off.status();
      *author_off = *off;
    } else if (found != simdjson::NO_SUCH_FIELD) {
      return detail::json_error(found, "d.author");
    }
    ev.doc.rewind();
  }
  ctx.member_user = [author_off](flatbuffers::FlatBufferBuilder&) { return *author_off; };
  auto guild_id = d_snowflake(ev, "guild_id");
  if (!guild_id.ok()) return guild_id.status();
  if (*guild_id) ctx.guild_id = **guild_id;
  auto v = root(ev);
  if (!v.ok()) return v.status();
  auto off = detail::build_table(fbb, fb::MessageTypeTable(), *v, "d", ctx);
  if (!off.ok()) return off.status();
  fbb.Finish(flatbuffers::Offset<fb::Message>(*off));
  std::string bytes(reinterpret_cast<const char*>(fbb.GetBufferPointer()), fbb.GetSize());
  {
    flatbuffers::Verifier verifier(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
    if (!verifier.VerifyBuffer<fb::Message>(nullptr)) return Status::InvalidArgument("d: a required field is missing");
  }
  const auto* m = flatbuffers::GetRoot<fb::Message>(bytes.data());
  if (!m->author()) return Status::InvalidArgument("d.author: missing");
  if (m->id() == 0) return Status::InvalidArgument("d.id: missing");
  if (ev.on(Components::kMessages)) {
    SNOWCACHE_RETURN_IF_ERROR(detail::put_message(ev.txn, bytes, ev.st.settings.max_messages).status());
  }
  // A DM from someone else records that user's DM channel (R4).
  if (!m->guild_id() && ev.on(Components::kDmChannelIds) && m->author()->id() != bot_id(ev)) {
    SNOWCACHE_RETURN_IF_ERROR(detail::record_dm_channel(ev.txn, Snowflake(m->author()->id()), Snowflake(m->channel_id()),
                                                        ev.st.settings.max_dm_channel_ids));
  }
  return {};
}

Status on_message_update(Event& ev) {
  if (!ev.on(Components::kMessages)) return {};
  auto id = d_required_snowflake(ev, "id");
  if (!id.ok()) return id.status();
  auto cached = detail::read_entity<fb::Message>(ev.txn, keys::id(Snowflake(*id)));
  if (!cached.ok()) return cached.status();
  if (!*cached) return {};  // an update never creates a message
  auto v = root(ev);
  if (!v.ok()) return v.status();
  detail::Present present;
  auto& fbb = ev.impl.fbb;
  fbb.Clear();
  detail::JsonContext ctx;
  ctx.skip = {"author", "member", "referenced_message"};  // never patched (R4)
  auto off = detail::build_table(fbb, fb::MessageTypeTable(), *v, "d", ctx, {}, &present);
  if (!off.ok()) return off.status();
  fbb.Finish(flatbuffers::Offset<fb::Message>(*off));
  std::unique_ptr<fb::MessageT> partial(flatbuffers::GetRoot<fb::Message>(fbb.GetBufferPointer())->UnPack());
  auto patched = (*cached)->unpack();
  auto has = [&](const char* name) {
    int i = detail::field_index(fb::MessageTypeTable(), name);
    return i >= 0 && present.test(static_cast<std::size_t>(i));
  };
  // Exactly the fields the payload carries; an empty array clears (R4).
  if (has("content")) patched->content = partial->content;
  if (has("edited_timestamp")) patched->edited_timestamp = partial->edited_timestamp;
  if (has("pinned")) patched->pinned = partial->pinned;
  if (has("attachments")) patched->attachments = std::move(partial->attachments);
  if (has("embeds")) patched->embeds = std::move(partial->embeds);
  if (has("mentions")) patched->mentions = std::move(partial->mentions);
  if (has("mention_roles")) patched->mention_roles = partial->mention_roles;
  if (has("mention_channels")) patched->mention_channels = std::move(partial->mention_channels);
  if (has("mention_everyone")) patched->mention_everyone = partial->mention_everyone;
  if (has("flags")) patched->flags = partial->flags;
  return detail::patch_message(ev.txn, std::move(*patched)).status();
}

Status on_message_delete(Event& ev) {
  if (!ev.on(Components::kMessages)) return {};
  auto id = d_required_snowflake(ev, "id");
  if (!id.ok()) return id.status();
  return detail::erase_entity<fb::Message>(ev.txn, keys::id(Snowflake(*id))).status();
}

Status on_message_delete_bulk(Event& ev) {
  if (!ev.on(Components::kMessages)) return {};
  od::value v;
  if (auto e = ev.doc.find_field_unordered("ids").get(v)) return detail::json_error(e, "d.ids");
  od::array arr;
  if (auto e = v.get_array().get(arr)) return detail::json_error(e, "d.ids");
  std::vector<std::uint64_t> ids;
  std::size_t n = 0;
  for (auto x : arr) {
    od::value xv;
    std::string p = "d.ids[" + std::to_string(n++) + "]";
    if (auto e = x.get(xv)) return detail::json_error(e, p);
    auto id = detail::json_snowflake(xv, p);
    if (!id.ok()) return id.status();
    ids.push_back(*id);
  }
  for (auto id : ids) SNOWCACHE_RETURN_IF_ERROR(detail::erase_entity<fb::Message>(ev.txn, keys::id(Snowflake(id))).status());
  return {};
}

}  // namespace snowcache::gw
