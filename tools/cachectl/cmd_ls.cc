// cachectl ls KIND [--guild G] [--channel C] [--json]: a scoped listing in
// view order, through the Cache views.
#include <fmt/format.h>

#include "cachectl.h"
#include "snowcache/admin.h"
#include "snowcache/dump.h"

namespace cachectl {

// cachectl --help and cachectl ls --help.
constexpr Help kHelp = {
    "ls", "List entities of a kind as a table (or --json), in view order",
    R"(List the entities of KIND, scoped by --guild (and --channel for thread, invite, voice_state,
message), in the order of the cache's views: guild channels of a guild in Discord's client
order, everything else by id. member, presence and voice_state without --guild list every
guild, guild by guild. --json prints an array of the entities as Discord JSON.)",
    "\nExamples:\n"
    "  cachectl --db /tmp/demo ls member --guild 41771983423143937\n"
    "  cachectl --db /tmp/demo ls guild_channel --guild 41771983423143937 --json",
};

namespace {

using snowcache::Cache;
using snowcache::Snowflake;
namespace fb = snowcache::fb;

struct LsArgs {
  std::string kind;
  std::string guild;
  std::string channel;
  bool json = false;
  CLI::Option* guild_opt = nullptr;
  CLI::Option* channel_opt = nullptr;
};

std::string id(std::uint64_t v) { return std::to_string(v); }
template <class T>
std::string opt(const flatbuffers::Optional<T>& v) {
  return v.has_value() ? std::to_string(*v) : std::string("-");
}
std::string yes(bool b) { return b ? "yes" : "no"; }
std::string user_name(const fb::User* u) { return u ? cell(u->username(), 24) : std::string("-"); }

// Rows of a table, or keys whose entity JSON is printed as an array.
class Listing {
 public:
  Listing(const Cache& cache, std::string kind, bool json, std::vector<std::string> header)
      : cache_(cache), kind_(std::move(kind)), json_(json), table_(std::move(header)) {}

  void add(std::vector<std::string> key, std::vector<std::string> cells) {
    if (json_) {
      keys_.push_back(std::move(key));
    } else {
      for (auto& c : cells) {
        if (c.empty()) c = "-";  // absent (a null nick, no name): keeps columns splittable
      }
      table_.add(std::move(cells));
    }
  }

  void print() {
    if (!json_) {
      table_.print(stdout);
      if (stdout_is_terminal()) fmt::print("({} {})\n", table_.size(), table_.size() == 1 ? "row" : "rows");
      return;
    }
    fmt::print("[");
    bool first = true;
    for (const auto& k : keys_) {
      auto r = snowcache::entity_json(cache_, kind_, k, false);
      check(r.status(), "read " + kind_);
      if (!*r) continue;  // removed since the view was taken (a live cache)
      fmt::print("{}\n  {}", first ? "" : ",", **r);
      first = false;
    }
    fmt::print("{}]\n", first ? "" : "\n");
  }

 private:
  const Cache& cache_;
  std::string kind_;
  bool json_;
  Table table_;
  std::vector<std::vector<std::string>> keys_;
};

template <class View, class F>
void each(const View& view, F f) {
  for (auto it = view.begin(); it != view.end(); ++it) f(it.key(), it.value());
}
// Members, presences and voice states of every guild, guild by guild.
template <class V, class F>
void each(const snowcache::NestedView<V>& view, F f) {
  for (const auto& [guild, inner] : view.items()) each(inner, f);
}

// What --guild and --channel ask for (validated against the kind).
struct Scope {
  std::optional<Snowflake> guild, channel;
};

// Visits the view the scope selects: `in_channel` (when the kind has one)
// with --channel, `in_guild` with --guild alone, else `all`.
template <class F, class All, class InGuild, class InChannel = std::nullptr_t>
void each_in(const Cache& c, const Scope& s, F f, All all, InGuild in_guild, InChannel in_channel = nullptr) {
  if constexpr (!std::is_null_pointer_v<InChannel>) {
    if (s.channel) return each((c.*in_channel)(*s.guild, *s.channel), f);
  }
  s.guild ? each((c.*in_guild)(*s.guild), f) : each((c.*all)(), f);
}

std::string voice_flags(const fb::VoiceState& v) {
  std::string out;
  auto add = [&](bool on, const char* name) {
    if (on) out += (out.empty() ? "" : ",") + std::string(name);
  };
  add(v.mute(), "mute");
  add(v.deaf(), "deaf");
  add(v.self_mute(), "self_mute");
  add(v.self_deaf(), "self_deaf");
  add(v.self_stream(), "stream");
  add(v.self_video(), "video");
  add(v.suppress(), "suppress");
  return out.empty() ? "-" : out;
}

// One function a kind: the rows of its listing, in view order.

void ls_me(const Cache& c, const Scope&, Listing& out) {
  auto me = c.get_me();
  check(me.status(), "get me");
  if (*me) out.add({}, {id((**me)->id()), cell((**me)->username()), cell((**me)->global_name())});
}

void ls_guild(const Cache& c, const Scope&, Listing& out) {
  each(c.get_guilds_view(), [&](Snowflake key, const auto& v) {
    out.add({key.to_string()}, {key.to_string(), cell(v->name()), opt(v->member_count()), yes(v->unavailable())});
  });
}

void ls_guild_channel(const Cache& c, const Scope& s, Listing& out) {
  auto row = [&](Snowflake key, const auto& v) {
    out.add({key.to_string()}, {id(v->guild_id()), key.to_string(), id(static_cast<std::uint64_t>(v->type())),
                                std::to_string(v->position()), opt(v->parent_id()), cell(v->name())});
  };
  each_in(c, s, row, &Cache::get_guild_channels_view, &Cache::get_guild_channels_view_for_guild);
}

void ls_thread(const Cache& c, const Scope& s, Listing& out) {
  auto row = [&](Snowflake key, const auto& v) {
    bool archived = v->thread_metadata() && v->thread_metadata()->archived();
    out.add({key.to_string()}, {id(v->guild_id()), id(v->parent_id()), key.to_string(), cell(v->name()),
                                std::to_string(v->message_count()), yes(archived)});
  };
  each_in(c, s, row, &Cache::get_threads_view, &Cache::get_threads_view_for_guild,
          &Cache::get_threads_view_for_channel);
}

void ls_role(const Cache& c, const Scope& s, Listing& out) {
  auto row = [&](Snowflake key, const auto& v) {
    out.add({key.to_string()}, {id(v->guild_id()), key.to_string(), std::to_string(v->position()), cell(v->name()),
                                fmt::format("#{:06x}", v->color())});
  };
  each_in(c, s, row, &Cache::get_roles_view, &Cache::get_roles_view_for_guild);
}

void ls_emoji(const Cache& c, const Scope& s, Listing& out) {
  auto row = [&](Snowflake key, const auto& v) {
    out.add({key.to_string()},
            {id(v->guild_id()), key.to_string(), cell(v->name()), yes(v->animated()), user_name(v->user())});
  };
  each_in(c, s, row, &Cache::get_emojis_view, &Cache::get_emojis_view_for_guild);
}

void ls_sticker(const Cache& c, const Scope& s, Listing& out) {
  auto row = [&](Snowflake key, const auto& v) {
    out.add({key.to_string()}, {id(v->guild_id()), key.to_string(), cell(v->name()),
                                std::to_string(v->format_type()), user_name(v->user())});
  };
  each_in(c, s, row, &Cache::get_stickers_view, &Cache::get_stickers_view_for_guild);
}

void ls_invite(const Cache& c, const Scope& s, Listing& out) {
  auto row = [&](const std::string& key, const auto& v) {
    std::string uses = std::to_string(v->uses()) + "/" + (v->max_uses() ? std::to_string(v->max_uses()) : "∞");
    out.add({key}, {cell(key), opt(v->guild_id()), opt(v->channel_id()), user_name(v->inviter()), uses});
  };
  each_in(c, s, row, &Cache::get_invites_view, &Cache::get_invites_view_for_guild,
          &Cache::get_invites_view_for_channel);
}

void ls_member(const Cache& c, const Scope& s, Listing& out) {
  auto row = [&](Snowflake, const auto& v) {
    std::string user = id(v->user()->id());
    out.add({id(v->guild_id()), user}, {id(v->guild_id()), user, user_name(v->user()), cell(v->nick(), 24),
                                        std::to_string(v->roles() ? v->roles()->size() : 0)});
  };
  each_in(c, s, row, &Cache::get_members_view, &Cache::get_members_view_for_guild);
}

void ls_user(const Cache& c, const Scope&, Listing& out) {
  each(c.get_users_view(), [&](Snowflake key, const auto& v) {
    out.add({key.to_string()}, {key.to_string(), cell(v->username()), cell(v->global_name()), yes(v->bot())});
  });
}

void ls_presence(const Cache& c, const Scope& s, Listing& out) {
  auto row = [&](Snowflake, const auto& v) {
    std::string acts = "-";
    if (v->activities() && v->activities()->size() > 0) {
      acts = std::to_string(v->activities()->size()) + " (" + cell(v->activities()->Get(0)->name(), 30) + ")";
    }
    out.add({id(v->guild_id()), id(v->user_id())}, {id(v->guild_id()), id(v->user_id()), cell(v->status()), acts});
  };
  each_in(c, s, row, &Cache::get_presences_view, &Cache::get_presences_view_for_guild);
}

void ls_voice_state(const Cache& c, const Scope& s, Listing& out) {
  auto row = [&](Snowflake, const auto& v) {
    out.add({id(v->guild_id()), id(v->user_id())},
            {id(v->guild_id()), id(v->user_id()), opt(v->channel_id()), cell(v->session_id(), 32), voice_flags(*v)});
  };
  each_in(c, s, row, &Cache::get_voice_states_view, &Cache::get_voice_states_view_for_guild,
          &Cache::get_voice_states_view_for_channel);
}

// There is no per-guild or per-channel message view: the (capped) store is
// read in id order and filtered.
void ls_message(const Cache& c, const Scope& s, Listing& out) {
  each(c.get_messages_view(), [&](Snowflake key, const auto& v) {
    if (s.guild && (!v->guild_id().has_value() || *v->guild_id() != s.guild->value())) return;
    if (s.channel && v->channel_id() != s.channel->value()) return;
    out.add({key.to_string()}, {key.to_string(), opt(v->guild_id()), id(v->channel_id()), user_name(v->author()),
                                cell(v->content(), 50)});
  });
}

void ls_dm_channel_id(const Cache& c, const Scope&, Listing& out) {
  each(c.get_dm_channel_ids_view(),
       [&](Snowflake key, const auto& v) { out.add({key.to_string()}, {key.to_string(), id(v->channel_id())}); });
}

struct KindListing {
  std::string_view kind;
  std::vector<std::string> header;
  void (*rows)(const Cache&, const Scope&, Listing&);
  bool by_channel = false;  // takes --channel
};

const KindListing kListings[] = {
    {"me", {"id", "username", "global_name"}, ls_me},
    {"guild", {"id", "name", "members", "unavailable"}, ls_guild},
    {"guild_channel", {"guild", "id", "type", "position", "parent", "name"}, ls_guild_channel},
    {"thread", {"guild", "parent", "id", "name", "messages", "archived"}, ls_thread, true},
    {"role", {"guild", "id", "position", "name", "color"}, ls_role},
    {"emoji", {"guild", "id", "name", "animated", "creator"}, ls_emoji},
    {"sticker", {"guild", "id", "name", "format", "creator"}, ls_sticker},
    {"invite", {"code", "guild", "channel", "inviter", "uses"}, ls_invite, true},
    {"member", {"guild", "user", "username", "nick", "roles"}, ls_member},
    {"user", {"id", "username", "global_name", "bot"}, ls_user},
    {"presence", {"guild", "user", "status", "activities"}, ls_presence},
    {"voice_state", {"guild", "user", "channel", "session_id", "flags"}, ls_voice_state, true},
    {"message", {"id", "guild", "channel", "author", "content"}, ls_message, true},
    {"dm_channel_id", {"user", "channel"}, ls_dm_channel_id},
};

// The scope --guild and --channel give, after checking that `k` takes them.
Scope scope_of(const LsArgs& a, const KindListing& k) {
  const auto* kind = snowcache::find_kind(k.kind);
  const bool scoped_guild = kind && kind->guild_scoped;
  if (a.guild_opt->count() && !scoped_guild) fail(kError, fmt::format("ls {} does not take --guild", k.kind));
  if (a.channel_opt->count() && !k.by_channel) fail(kError, fmt::format("ls {} does not take --channel", k.kind));
  if (a.channel_opt->count() && !a.guild_opt->count() && k.kind != "message") {
    fail(kError, fmt::format("ls {} --channel needs --guild too", k.kind));
  }
  Scope s;
  if (a.guild_opt->count()) s.guild = parse_snowflake(a.guild, "guild id");
  if (a.channel_opt->count()) s.channel = parse_snowflake(a.channel, "channel id");
  return s;
}

int run_ls(const Global& g, const LsArgs& a) {
  check_kind(a.kind);
  const auto& k = *std::find_if(std::begin(kListings), std::end(kListings),
                                [&](const KindListing& l) { return l.kind == a.kind; });
  Scope scope = scope_of(a, k);
  ReadHandle h(g.db);
  Listing out(h.cache(), a.kind, a.json, k.header);
  k.rows(h.cache(), scope, out);
  out.print();
  return kOk;
}

void ls_options(CLI::App& sub, LsArgs& a) {
  sub.add_option("KIND", a.kind, "The kind (guild, guild_channel, member, ...)")->required();
  a.guild_opt = sub.add_option("--guild", a.guild, "Only this guild's entities")->type_name("G");
  a.channel_opt = sub.add_option("--channel", a.channel, "Only this channel's entities")->type_name("C");
  sub.add_flag("--json", a.json, "Print a JSON array of the entities");
}

}  // namespace

Command add_ls(CLI::App& app, const Global& g) {
  return add_command<LsArgs>(app, g, kHelp, ls_options, run_ls);
}

}  // namespace cachectl
