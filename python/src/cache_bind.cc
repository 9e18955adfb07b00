// The Cache / MutableCache methods: every method of hikari's Cache and
// MutableCache under its own name (../shared/seed/hikari-api-cache.txt),
// each a thin call of the C++ method of the same name (cache.h) plus the
// conversions of results.h.
#include <cstdint>
#include <optional>
#include <string>

#include <pybind11/stl.h>

#include "convert.h"
#include "handle.h"
#include "snowcache/dump.h"
#include "snowcache/verify.h"
#include "views.h"

namespace snowcache_py {

namespace py = pybind11;
namespace fb = snowcache::fb;
using snowcache::Snowflake;

namespace {

// ---- results as Python objects (GIL held) -----------------------------------------------------------------

template <class T>
py::object to_py(snowcache::Maybe<T>&& r) {
  check(r.status());
  if (!*r) return py::none();
  return to_dict(**r);
}
py::object to_py(snowcache::Status&& s) {
  check(s);
  return py::none();
}
template <class T>
py::object to_py(snowcache::Result<snowcache::Update<T>>&& r) {
  check(r.status());
  py::object old_v = r->old_value ? to_dict(*r->old_value) : py::none();
  py::object new_v = r->new_value ? to_dict(*r->new_value) : py::none();
  return py::make_tuple(old_v, new_v);
}
template <class K, class V>
py::object to_py(snowcache::CacheView<K, V>&& v) {
  return py::cast(make_view(std::move(v)));
}
template <class K, class V>
py::object to_py(snowcache::Result<snowcache::CacheView<K, V>>&& r) {
  check(r.status());
  return py::cast(make_view(std::move(*r)));
}
template <class V>
py::object to_py(snowcache::NestedView<V>&& v) {
  return py::cast(make_nested(std::move(v)));
}
template <class V>
py::object to_py(snowcache::Result<snowcache::NestedView<V>>&& r) {
  check(r.status());
  return py::cast(make_nested(std::move(*r)));
}
py::object to_py(snowcache::Result<std::optional<Snowflake>>&& r) {
  check(r.status());
  if (!*r) return py::none();
  return py::int_((*r)->value());
}

using C = PyCache;
using M = PyMutableCache;
using S = std::uint64_t;  // a snowflake argument (pybind11 rejects negatives and overflow with TypeError)

// ---- settings and options -----------------------------------------------------------------------------------

py::object settings_obj(const snowcache::Settings& s) {
  py::object cls = py::module_::import("snowcache._types").attr("Settings");
  return cls(py::arg("components") = static_cast<std::uint32_t>(s.components),
             py::arg("max_messages") = s.max_messages, py::arg("max_dm_channel_ids") = s.max_dm_channel_ids,
             py::arg("only_my_member") = s.only_my_member);
}

void apply_sizes(snowcache::Options& o, std::optional<std::size_t> block, std::optional<std::size_t> front,
                 std::optional<std::size_t> write_buffer) {
  if (block) o.block_cache_bytes = *block;
  if (front) o.front_cache_bytes = *front;
  if (write_buffer) o.write_buffer_bytes = *write_buffer;
}

std::shared_ptr<CacheHandle> open_handle(const std::string& path, const snowcache::Options& options, bool writable) {
  auto h = std::make_shared<CacheHandle>();
  h->path = path;
  py::gil_scoped_release nogil;
  if (writable) {
    auto r = snowcache::MutableCache::open(path, options);
    if (!r.ok()) throw StatusError(r.status());
    h->writer = r->get();
    h->cache = std::move(*r);
  } else {
    auto r = snowcache::Cache::open(path, options);
    if (!r.ok()) throw StatusError(r.status());
    h->cache = std::move(*r);
  }
  return h;
}

py::object session_obj(const snowcache::Session& s) {
  py::object cls = py::module_::import("snowcache._types").attr("Session");
  return cls(py::arg("shard") = s.shard, py::arg("shard_count") = s.shard_count,
             py::arg("session_id") = s.session_id, py::arg("resume_gateway_url") = s.resume_gateway_url,
             py::arg("sequence") = s.sequence ? py::object(py::int_(*s.sequence)) : py::object(py::none()),
             py::arg("user_id") = s.user_id);
}

std::vector<std::string> key_parts(py::handle key) {
  std::vector<std::string> out;
  if (PyUnicode_Check(key.ptr()) || PyLong_Check(key.ptr())) {
    out.push_back(py::str(key).cast<std::string>());
    return out;
  }
  for (py::handle part : key) out.push_back(py::str(part).cast<std::string>());
  return out;
}

// ---- method tables ------------------------------------------------------------------------------------------

// Read-side getters and views: name, then how the arguments reach the C++ call.
#define SC_GET1(NAME, DOC) \
  .def(#NAME, [](const C& c, S id) { return to_py(c.read([&](const snowcache::Cache& k) { return k.NAME(Snowflake(id)); })); }, py::arg("id"), DOC)
#define SC_GET_GU(NAME, DOC)                                                                                   \
  .def(#NAME, [](const C& c, S guild, S user) { return to_py(c.read([&](const snowcache::Cache& k) { return k.NAME(Snowflake(guild), Snowflake(user)); })); }, \
       py::arg("guild"), py::arg("user"), DOC)
#define SC_VIEW0(NAME, DOC) \
  .def(#NAME, [](const C& c) { return to_py(c.read([&](const snowcache::Cache& k) { return k.NAME(); })); }, DOC)
#define SC_VIEW_G(NAME, DOC) \
  .def(#NAME, [](const C& c, S guild) { return to_py(c.read([&](const snowcache::Cache& k) { return k.NAME(Snowflake(guild)); })); }, py::arg("guild"), DOC)
#define SC_VIEW_GC(NAME, DOC)                                                                                   \
  .def(#NAME, [](const C& c, S guild, S channel) { return to_py(c.read([&](const snowcache::Cache& k) { return k.NAME(Snowflake(guild), Snowflake(channel)); })); }, \
       py::arg("guild"), py::arg("channel"), DOC)

// Write side.
#define SC_CLEAR0(NAME, DOC) \
  .def(#NAME, [](const M& c) { return to_py(c.write([&](snowcache::MutableCache& k) { return k.NAME(); })); }, DOC)
#define SC_CLEAR_G(NAME, DOC) \
  .def(#NAME, [](const M& c, S guild) { return to_py(c.write([&](snowcache::MutableCache& k) { return k.NAME(Snowflake(guild)); })); }, py::arg("guild"), DOC)
#define SC_CLEAR_GC(NAME, DOC)                                                                                    \
  .def(#NAME, [](const M& c, S guild, S channel) { return to_py(c.write([&](snowcache::MutableCache& k) { return k.NAME(Snowflake(guild), Snowflake(channel)); })); }, \
       py::arg("guild"), py::arg("channel"), DOC)
#define SC_DEL1(NAME, DOC) \
  .def(#NAME, [](const M& c, S id) { return to_py(c.write([&](snowcache::MutableCache& k) { return k.NAME(Snowflake(id)); })); }, py::arg("id"), DOC)
#define SC_DEL_GU(NAME, DOC)                                                                                     \
  .def(#NAME, [](const M& c, S guild, S user) { return to_py(c.write([&](snowcache::MutableCache& k) { return k.NAME(Snowflake(guild), Snowflake(user)); })); }, \
       py::arg("guild"), py::arg("user"), DOC)
// set_x / update_x take the entity as a dict of Discord's JSON shape.
#define SC_SET(NAME, T, WHAT, DOC)                                                       \
  .def(#NAME, [](const M& c, py::handle entity) {                                        \
    auto native = from_dict<T>(entity, WHAT);                                            \
    return to_py(c.write([&](snowcache::MutableCache& k) { return k.NAME(*native); }));  \
  }, py::arg("entity"), DOC)

}  // namespace

snowcache::Settings settings_from(py::handle o) {
  snowcache::Settings s;
  auto u32 = [&](const char* name, std::uint32_t dflt) -> std::uint32_t {
    if (!py::hasattr(o, name)) return dflt;
    long long v = py::int_(o.attr(name)).cast<long long>();
    if (v < 0 || v > 0xFFFFFFFFLL) throw py::value_error(std::string("settings.") + name + " out of range");
    return static_cast<std::uint32_t>(v);
  };
  std::uint32_t comps = u32("components", 8191);
  if (comps > 8191) throw py::value_error("settings.components has unknown bits");
  s.components = static_cast<snowcache::Components>(comps);
  s.max_messages = u32("max_messages", 300);
  s.max_dm_channel_ids = u32("max_dm_channel_ids", 50);
  if (py::hasattr(o, "only_my_member")) s.only_my_member = py::bool_(o.attr("only_my_member"));
  return s;
}

void bind_cache(py::module_& m) {
  py::class_<C, std::shared_ptr<C>> cache(m, "Cache", R"doc(
A snowcache cache, read side: every read method of hikari's Cache interface under the same name.

Getters return the entity as a dict in Discord's JSON shape (snowflakes as decimal strings), or None
on a miss; a fault (I/O error, a value failing verification) raises snowcache.Error, never a miss.
Views (get_x_view*) are read-only mappings over a snapshot. Every call releases the GIL while the
library works. Open one with Cache.open (read-only or as a secondary beside a live writer) or
MutableCache.open; close with close() or a `with` block.
)doc");
  cache
      .def_static(
          "open",
          [](const std::string& path, bool secondary, const std::string& secondary_path,
             std::optional<std::size_t> block_cache_bytes, std::optional<std::size_t> front_cache_bytes) {
            snowcache::Options o;
            o.read_only = !secondary;
            o.secondary = secondary;
            o.secondary_path = secondary_path;
            o.create_if_missing = false;
            apply_sizes(o, block_cache_bytes, front_cache_bytes, std::nullopt);
            return std::make_shared<C>(open_handle(path, o, false));
          },
          py::arg("path"), py::kw_only(), py::arg("secondary") = false, py::arg("secondary_path") = "",
          py::arg("block_cache_bytes") = py::none(), py::arg("front_cache_bytes") = py::none(),
          "Opens an existing cache read-only, or with secondary=True as a RocksDB secondary beside the live "
          "writer of another process (catch_up() reads what it committed since). Raises NotFoundError, "
          "NotACacheError, FormatMismatchError, IOFailureError, CorruptionError.")
      .def_property_readonly(
          "settings", [](const C& c) { return settings_obj(c.read([](const snowcache::Cache& k) { return k.settings(); })); },
          "The settings in force (a snowcache.Settings), stored with the cache.")
      .def_property_readonly("path", [](const C& c) { return c.handle()->path; }, "The path given to open.")
      .def_property_readonly("closed", &C::closed, "True once close() was called.")
      .def("close", &C::close,
           "Closes the cache (gracefully: memtables are flushed, so the next open is fast). Later calls raise "
           "snowcache.ClosedError. Views taken before keep their snapshot readable. Idempotent.")
      .def("__enter__", [](py::object self) { return self; })
      .def("__exit__", [](C& c, py::args) {
        c.close();
        return false;
      })
      .def("catch_up", [](const C& c) { return to_py(c.read([](snowcache::Cache& k) { return k.catch_up(); })); },
           "Secondary handles: read what the writing process committed since open or the last catch_up(). "
           "A no-op elsewhere.")
      .def(
          "sessions",
          [](const C& c) {
            auto r = c.read([](const snowcache::Cache& k) { return snowcache::sessions(k); });
            check(r.status());
            py::list out;
            for (const auto& s : *r) out.append(session_obj(s));
            return out;
          },
          "The stored gateway sessions, one per shard, ascending (a list of snowcache.Session).")
      .def(
          "session",
          [](const C& c, std::uint32_t shard) -> py::object {
            auto r = c.read([&](const snowcache::Cache& k) { return snowcache::session(k, shard); });
            check(r.status());
            if (!*r) return py::none();
            return session_obj(**r);
          },
          py::arg("shard"),
          "The stored session of `shard`, or None when that shard never received READY or a dispatch. A "
          "session with an empty session_id cannot be resumed.")
      .def(
          "entity_json",
          [](const C& c, const std::string& kind, py::handle key, bool pretty) -> py::object {
            auto parts = key_parts(key);
            auto r = c.read([&](const snowcache::Cache& k) { return snowcache::entity_json(k, kind, parts, pretty); });
            check(r.status());
            if (!*r) return py::none();
            return py::str(**r);
          },
          py::arg("kind"), py::arg("key") = py::tuple(), py::arg("pretty") = false,
          "One entity as Discord JSON text, addressed as in the dump: kind (\"member\", ...) and its key parts "
          "(an id, (guild, user), an invite code, () for me). None when absent. Reads the stored record "
          "directly (no component gating).")
      .def(
          "dump",
          [](const C& c, std::optional<std::string> kind, std::optional<S> guild) {
            snowcache::DumpFilter f;
            f.kind = kind;
            if (guild) f.guild = Snowflake(*guild);
            std::vector<std::string> lines;
            auto st = c.read([&](const snowcache::Cache& k) {
              return snowcache::dump(k, f, [&](std::string_view line) { lines.emplace_back(line); });
            });
            check(st);
            return lines;
          },
          py::kw_only(), py::arg("kind") = py::none(), py::arg("guild") = py::none(),
          "Every entity as dump lines (NDJSON text, sorted by kind then key), optionally one kind or one "
          "guild's entities.")
      .def(
          "verify",
          [](const C& c) {
            auto r = c.read([](const snowcache::Cache& k) { return snowcache::verify(k); });
            check(r.status());
            py::object cls = py::module_::import("snowcache._types").attr("VerifyReport");
            return cls(r->entities, r->index_entries, r->problems);
          },
          "A full consistency check (values, index entries, reference counts, entity counts, file checksums). "
          "Returns a snowcache.VerifyReport; raises only for I/O failures.")
      // --- guilds ---
      SC_GET1(get_available_guild, "The guild if cached and available, else None.")
      SC_VIEW0(get_available_guilds_view, "View of available guilds, by id.")
      SC_GET1(get_guild, "The guild (available or not), or None.")
      SC_VIEW0(get_guilds_view, "View of every cached guild (ungated).")
      SC_GET1(get_unavailable_guild, "The guild if cached and unavailable, else None.")
      SC_VIEW0(get_unavailable_guilds_view, "View of unavailable guilds.")
      // --- guild channels ---
      SC_GET1(get_guild_channel, "The guild channel, or None.")
      SC_VIEW0(get_guild_channels_view, "View of every guild channel.")
      SC_VIEW_G(get_guild_channels_view_for_guild, "View of a guild's channels, in Discord's client order.")
      // --- threads ---
      SC_GET1(get_thread, "The thread, or None.")
      SC_VIEW0(get_threads_view, "View of every thread (ungated).")
      SC_VIEW_GC(get_threads_view_for_channel, "View of the threads of a channel.")
      SC_VIEW_G(get_threads_view_for_guild, "View of a guild's threads.")
      // --- roles ---
      SC_GET1(get_role, "The role, or None.")
      SC_VIEW0(get_roles_view, "View of every role.")
      SC_VIEW_G(get_roles_view_for_guild, "View of a guild's roles.")
      // --- emojis ---
      SC_GET1(get_emoji, "The custom emoji, or None.")
      SC_VIEW0(get_emojis_view, "View of every custom emoji.")
      SC_VIEW_G(get_emojis_view_for_guild, "View of a guild's custom emojis.")
      // --- stickers ---
      SC_GET1(get_sticker, "The guild sticker, or None.")
      SC_VIEW0(get_stickers_view, "View of every guild sticker.")
      SC_VIEW_G(get_stickers_view_for_guild, "View of a guild's stickers.")
      // --- invites ---
      .def("get_invite",
           [](const C& c, const std::string& code) {
             return to_py(c.read([&](const snowcache::Cache& k) { return k.get_invite(code); }));
           },
           py::arg("code"), "The invite with this code, or None.")
      SC_VIEW0(get_invites_view, "View of every invite, by code.")
      SC_VIEW_GC(get_invites_view_for_channel, "View of a channel's invites.")
      SC_VIEW_G(get_invites_view_for_guild, "View of a guild's invites.")
      // --- members ---
      SC_GET_GU(get_member, "The member, or None (members kept only as references are hidden).")
      SC_VIEW0(get_members_view, "guild id -> view of that guild's members.")
      SC_VIEW_G(get_members_view_for_guild, "View of a guild's members, by user id.")
      // --- users ---
      SC_GET1(get_user, "The user, or None (ungated).")
      SC_VIEW0(get_users_view, "View of every user.")
      // --- presences ---
      SC_GET_GU(get_presence, "The member's presence, or None.")
      SC_VIEW0(get_presences_view, "guild id -> view of that guild's presences.")
      SC_VIEW_G(get_presences_view_for_guild, "View of a guild's presences, by user id.")
      // --- voice states ---
      SC_GET_GU(get_voice_state, "The member's voice state, or None.")
      SC_VIEW0(get_voice_states_view, "guild id -> view of that guild's voice states.")
      SC_VIEW_GC(get_voice_states_view_for_channel, "View of a voice channel's voice states, by user id.")
      SC_VIEW_G(get_voice_states_view_for_guild, "View of a guild's voice states, by user id.")
      // --- messages ---
      SC_GET1(get_message, "The message, or None.")
      SC_VIEW0(get_messages_view, "View of the cached messages, oldest first.")
      // --- me, DM channel ids ---
      .def("get_me", [](const C& c) { return to_py(c.read([](const snowcache::Cache& k) { return k.get_me(); })); },
           "The bot's own user, or None (ungated).")
      SC_GET1(get_dm_channel_id, "The DM channel id (an int) of a user, or None.")
      SC_VIEW0(get_dm_channel_ids_view, "View of user id -> {\"channel_id\": ...}, oldest first.");

  py::class_<M, C, std::shared_ptr<M>> mut(m, "MutableCache", R"doc(
A snowcache cache opened for writing: Cache plus every write method of hikari's MutableCache.

Setters take the entity as a dict in Discord's JSON shape (snowflakes as str or int; fields the
cache does not keep are ignored); each call is one atomic batch. update_x returns (old, new),
delete_x what was removed (or None), clear_x a view of what was removed. Only one writer may hold a
directory: a second open raises InUseError.
)doc");
  mut.def_static(
         "open",
         [](const std::string& path, py::object settings, bool create_if_missing, bool in_memory, bool sync,
            std::optional<std::size_t> block_cache_bytes, std::optional<std::size_t> front_cache_bytes,
            std::optional<std::size_t> write_buffer_bytes) {
           snowcache::Options o;
           if (!settings.is_none()) o.settings = settings_from(settings);
           o.create_if_missing = create_if_missing;
           o.in_memory = in_memory;
           o.sync = sync;
           apply_sizes(o, block_cache_bytes, front_cache_bytes, write_buffer_bytes);
           return std::make_shared<M>(open_handle(path, o, true));
         },
         py::arg("path"), py::kw_only(), py::arg("settings") = py::none(), py::arg("create_if_missing") = true,
         py::arg("in_memory") = false, py::arg("sync") = false, py::arg("block_cache_bytes") = py::none(),
         py::arg("front_cache_bytes") = py::none(), py::arg("write_buffer_bytes") = py::none(),
         "Opens or creates the cache at `path` for writing. `settings` (a snowcache.Settings, or anything with "
         "components / max_messages / max_dm_channel_ids / only_my_member, such as hikari's CacheSettings): "
         "None keeps the stored ones; different ones are applied at open (kinds no longer kept are cleared, "
         "lower limits evict). in_memory=True keeps everything in memory; sync=True fsyncs every commit. "
         "Raises InUseError, NotFoundError, NotACacheError, FormatMismatchError, IOFailureError, "
         "CorruptionError.")
      .def("clear", [](const M& c) { return to_py(c.write([](snowcache::MutableCache& k) { return k.clear(); })); },
           "Removes every entity; keeps settings and gateway sessions.")
      SC_CLEAR0(clear_dm_channel_ids, "Removes every DM channel id; returns a view of them.")
      SC_CLEAR0(clear_emojis, "Removes every emoji.")
      SC_CLEAR_G(clear_emojis_for_guild, "Removes a guild's emojis.")
      SC_CLEAR0(clear_guild_channels, "Removes every guild channel.")
      SC_CLEAR_G(clear_guild_channels_for_guild, "Removes a guild's channels.")
      SC_CLEAR0(clear_guilds, "Removes every guild.")
      SC_CLEAR0(clear_invites, "Removes every invite.")
      SC_CLEAR_GC(clear_invites_for_channel, "Removes a channel's invites.")
      SC_CLEAR_G(clear_invites_for_guild, "Removes a guild's invites.")
      SC_CLEAR0(clear_members, "Removes every member (referenced ones stay hidden); a nested view of those removed.")
      SC_CLEAR_G(clear_members_for_guild, "Removes a guild's members.")
      SC_CLEAR0(clear_messages, "Removes every message.")
      SC_CLEAR0(clear_presences, "Removes every presence.")
      SC_CLEAR_G(clear_presences_for_guild, "Removes a guild's presences.")
      SC_CLEAR0(clear_roles, "Removes every role.")
      SC_CLEAR_G(clear_roles_for_guild, "Removes a guild's roles.")
      SC_CLEAR0(clear_stickers, "Removes every sticker.")
      SC_CLEAR_G(clear_stickers_for_guild, "Removes a guild's stickers.")
      SC_CLEAR0(clear_threads, "Removes every thread.")
      SC_CLEAR_GC(clear_threads_for_channel, "Removes a channel's threads.")
      SC_CLEAR_G(clear_threads_for_guild, "Removes a guild's threads.")
      SC_CLEAR0(clear_voice_states, "Removes every voice state.")
      SC_CLEAR_GC(clear_voice_states_for_channel, "Removes a voice channel's voice states.")
      SC_CLEAR_G(clear_voice_states_for_guild, "Removes a guild's voice states.")
      SC_DEL1(delete_dm_channel_id, "Removes a user's DM channel id; returns it (an int) or None.")
      SC_DEL1(delete_emoji, "Removes an emoji; returns it or None.")
      SC_DEL1(delete_guild, "Removes a guild (not its scoped entities); returns it or None.")
      SC_DEL1(delete_guild_channel, "Removes a guild channel; returns it or None.")
      .def("delete_invite",
           [](const M& c, const std::string& code) {
             return to_py(c.write([&](snowcache::MutableCache& k) { return k.delete_invite(code); }));
           },
           py::arg("code"), "Removes an invite; returns it or None.")
      .def("delete_me", [](const M& c) { return to_py(c.write([](snowcache::MutableCache& k) { return k.delete_me(); })); },
           "Removes the bot's own user; returns it or None (ungated).")
      SC_DEL_GU(delete_member,
                "Removes a member; returns it, or None when absent or still held by a voice state or cached "
                "message (then it is hidden, as in hikari).")
      SC_DEL1(delete_message, "Removes a message; returns it or None.")
      SC_DEL_GU(delete_presence, "Removes a presence; returns it or None.")
      SC_DEL1(delete_role, "Removes a role; returns it or None.")
      SC_DEL1(delete_sticker, "Removes a sticker; returns it or None.")
      SC_DEL1(delete_thread, "Removes a thread; returns it or None.")
      SC_DEL_GU(delete_voice_state, "Removes a voice state; returns it or None.")
      .def("set_dm_channel_id",
           [](const M& c, S user, S channel) {
             return to_py(c.write([&](snowcache::MutableCache& k) { return k.set_dm_channel_id(Snowflake(user), Snowflake(channel)); }));
           },
           py::arg("user"), py::arg("channel"), "Records a user's DM channel id.")
      SC_SET(set_emoji, fb::Emoji, "emoji", "Stores a custom emoji (needs guild_id).")
      SC_SET(set_guild, fb::Guild, "guild", "Stores a guild and makes it available.")
      .def("set_guild_availability",
           [](const M& c, S guild, bool available) {
             return to_py(c.write([&](snowcache::MutableCache& k) { return k.set_guild_availability(Snowflake(guild), available); }));
           },
           py::arg("guild"), py::arg("is_available"), "Marks a cached guild (un)available; nothing when uncached.")
      SC_SET(set_guild_channel, fb::GuildChannel, "guild_channel", "Stores a guild channel.")
      SC_SET(set_invite, fb::Invite, "invite", "Stores an invite.")
      SC_SET(set_me, fb::OwnUser, "me", "Stores the bot's own user.")
      SC_SET(set_member, fb::Member, "member", "Stores a member (needs guild_id and user).")
      SC_SET(set_message, fb::Message, "message", "Stores a message.")
      SC_SET(set_presence, fb::Presence, "presence", "Stores a presence.")
      SC_SET(set_role, fb::Role, "role", "Stores a role.")
      SC_SET(set_sticker, fb::Sticker, "sticker", "Stores a guild sticker.")
      SC_SET(set_thread, fb::Thread, "thread", "Stores a thread.")
      SC_SET(set_voice_state, fb::VoiceState, "voice_state", "Stores a voice state.")
      SC_SET(update_emoji, fb::Emoji, "emoji", "Replaces an emoji; returns (old, new).")
      SC_SET(update_guild, fb::Guild, "guild",
             "Replaces a guild, keeping the cached member_count, large and joined_at when the update lacks "
             "them; returns (old, new).")
      SC_SET(update_guild_channel, fb::GuildChannel, "guild_channel", "Replaces a guild channel; returns (old, new).")
      SC_SET(update_invite, fb::Invite, "invite", "Replaces an invite; returns (old, new).")
      SC_SET(update_me, fb::OwnUser, "me", "Replaces the bot's own user; returns (old, new).")
      SC_SET(update_member, fb::Member, "member", "Replaces a member; returns (old, new).")
      SC_SET(update_message, fb::Message, "message",
             "Replaces a cached message except its author, member, guild and channel; an uncached message is "
             "not created. Returns (old, new).")
      SC_SET(update_presence, fb::Presence, "presence", "Replaces a presence; returns (old, new).")
      SC_SET(update_role, fb::Role, "role", "Replaces a role; returns (old, new).")
      SC_SET(update_thread, fb::Thread, "thread", "Replaces a thread; returns (old, new).")
      SC_SET(update_voice_state, fb::VoiceState, "voice_state", "Replaces a voice state; returns (old, new).");
}

}  // namespace snowcache_py
