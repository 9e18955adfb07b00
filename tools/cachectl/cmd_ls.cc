// cachectl ls KIND [--guild G] [--channel C] [--json]: a scoped listing in
// view order, through the Cache views.
#include <fmt/format.h>

#include "cachectl.h"
#include "snowcache/dump.h"

namespace cachectl {

namespace {

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
  Listing(const snowcache::Cache& cache, std::string kind, bool json, std::vector<std::string> header)
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
  const snowcache::Cache& cache_;
  std::string kind_;
  bool json_;
  Table table_;
  std::vector<std::vector<std::string>> keys_;
};

template <class View, class F>
void each(const View& view, F f) {
  for (auto it = view.begin(); it != view.end(); ++it) f(it.key(), it.value());
}
template <class V, class F>
void each_nested(const snowcache::NestedView<V>& view, F f) {
  for (const auto& [guild, inner] : view.items()) each(inner, f);
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

int run_ls(const Global& g, const LsArgs& a) {
  check_kind(a.kind);
  const std::string& k = a.kind;
  const bool scoped_guild = k == "guild_channel" || k == "thread" || k == "role" || k == "emoji" || k == "sticker" ||
                            k == "invite" || k == "member" || k == "presence" || k == "voice_state" || k == "message";
  const bool scoped_channel = k == "thread" || k == "invite" || k == "voice_state" || k == "message";
  if (a.guild_opt->count() && !scoped_guild) fail(kError, fmt::format("ls {} does not take --guild", k));
  if (a.channel_opt->count() && !scoped_channel) fail(kError, fmt::format("ls {} does not take --channel", k));
  if (a.channel_opt->count() && !a.guild_opt->count() && k != "message") {
    fail(kError, fmt::format("ls {} --channel needs --guild too", k));
  }
  std::optional<Snowflake> guild, channel;
  if (a.guild_opt->count()) guild = parse_snowflake(a.guild, "guild id");
  if (a.channel_opt->count()) channel = parse_snowflake(a.channel, "channel id");

  ReadHandle h(g.db);
  const snowcache::Cache& c = h.cache();
  auto listing = [&](std::vector<std::string> header) { return Listing(c, k, a.json, std::move(header)); };

  if (k == "me") {
    auto out = listing({"id", "username", "global_name"});
    auto me = c.get_me();
    check(me.status(), "get me");
    if (*me) out.add({}, {id((**me)->id()), cell((**me)->username()), cell((**me)->global_name())});
    out.print();
  } else if (k == "guild") {
    auto out = listing({"id", "name", "members", "unavailable"});
    each(c.get_guilds_view(), [&](Snowflake key, const auto& v) {
      out.add({key.to_string()}, {key.to_string(), cell(v->name()), opt(v->member_count()), yes(v->unavailable())});
    });
    out.print();
  } else if (k == "guild_channel") {
    auto out = listing({"guild", "id", "type", "position", "parent", "name"});
    auto row = [&](Snowflake key, const auto& v) {
      out.add({key.to_string()}, {id(v->guild_id()), key.to_string(), id(static_cast<std::uint64_t>(v->type())),
                                  std::to_string(v->position()), opt(v->parent_id()), cell(v->name())});
    };
    guild ? each(c.get_guild_channels_view_for_guild(*guild), row) : each(c.get_guild_channels_view(), row);
    out.print();
  } else if (k == "thread") {
    auto out = listing({"guild", "parent", "id", "name", "messages", "archived"});
    auto row = [&](Snowflake key, const auto& v) {
      bool archived = v->thread_metadata() && v->thread_metadata()->archived();
      out.add({key.to_string()}, {id(v->guild_id()), id(v->parent_id()), key.to_string(), cell(v->name()),
                                  std::to_string(v->message_count()), yes(archived)});
    };
    if (channel) {
      each(c.get_threads_view_for_channel(*guild, *channel), row);
    } else {
      guild ? each(c.get_threads_view_for_guild(*guild), row) : each(c.get_threads_view(), row);
    }
    out.print();
  } else if (k == "role") {
    auto out = listing({"guild", "id", "position", "name", "color"});
    auto row = [&](Snowflake key, const auto& v) {
      out.add({key.to_string()}, {id(v->guild_id()), key.to_string(), std::to_string(v->position()), cell(v->name()),
                                  fmt::format("#{:06x}", v->color())});
    };
    guild ? each(c.get_roles_view_for_guild(*guild), row) : each(c.get_roles_view(), row);
    out.print();
  } else if (k == "emoji") {
    auto out = listing({"guild", "id", "name", "animated", "creator"});
    auto row = [&](Snowflake key, const auto& v) {
      out.add({key.to_string()},
              {id(v->guild_id()), key.to_string(), cell(v->name()), yes(v->animated()), user_name(v->user())});
    };
    guild ? each(c.get_emojis_view_for_guild(*guild), row) : each(c.get_emojis_view(), row);
    out.print();
  } else if (k == "sticker") {
    auto out = listing({"guild", "id", "name", "format", "creator"});
    auto row = [&](Snowflake key, const auto& v) {
      out.add({key.to_string()}, {id(v->guild_id()), key.to_string(), cell(v->name()),
                                  std::to_string(v->format_type()), user_name(v->user())});
    };
    guild ? each(c.get_stickers_view_for_guild(*guild), row) : each(c.get_stickers_view(), row);
    out.print();
  } else if (k == "invite") {
    auto out = listing({"code", "guild", "channel", "inviter", "uses"});
    auto row = [&](const std::string& key, const auto& v) {
      std::string uses = std::to_string(v->uses()) + "/" + (v->max_uses() ? std::to_string(v->max_uses()) : "∞");
      out.add({key}, {cell(key), opt(v->guild_id()), opt(v->channel_id()), user_name(v->inviter()), uses});
    };
    if (channel) {
      each(c.get_invites_view_for_channel(*guild, *channel), row);
    } else {
      guild ? each(c.get_invites_view_for_guild(*guild), row) : each(c.get_invites_view(), row);
    }
    out.print();
  } else if (k == "member") {
    auto out = listing({"guild", "user", "username", "nick", "roles"});
    auto row = [&](Snowflake, const auto& v) {
      std::string user = id(v->user()->id());
      out.add({id(v->guild_id()), user}, {id(v->guild_id()), user, user_name(v->user()), cell(v->nick(), 24),
                                          std::to_string(v->roles() ? v->roles()->size() : 0)});
    };
    guild ? each(c.get_members_view_for_guild(*guild), row) : each_nested(c.get_members_view(), row);
    out.print();
  } else if (k == "user") {
    auto out = listing({"id", "username", "global_name", "bot"});
    each(c.get_users_view(), [&](Snowflake key, const auto& v) {
      out.add({key.to_string()}, {key.to_string(), cell(v->username()), cell(v->global_name()), yes(v->bot())});
    });
    out.print();
  } else if (k == "presence") {
    auto out = listing({"guild", "user", "status", "activities"});
    auto row = [&](Snowflake, const auto& v) {
      std::string acts = "-";
      if (v->activities() && v->activities()->size() > 0) {
        acts = std::to_string(v->activities()->size()) + " (" + cell(v->activities()->Get(0)->name(), 30) + ")";
      }
      out.add({id(v->guild_id()), id(v->user_id())}, {id(v->guild_id()), id(v->user_id()), cell(v->status()), acts});
    };
    guild ? each(c.get_presences_view_for_guild(*guild), row) : each_nested(c.get_presences_view(), row);
    out.print();
  } else if (k == "voice_state") {
    auto out = listing({"guild", "user", "channel", "session_id", "flags"});
    auto row = [&](Snowflake, const auto& v) {
      out.add({id(v->guild_id()), id(v->user_id())},
              {id(v->guild_id()), id(v->user_id()), opt(v->channel_id()), cell(v->session_id(), 32), voice_flags(*v)});
    };
    if (channel) {
      each(c.get_voice_states_view_for_channel(*guild, *channel), row);
    } else {
      guild ? each(c.get_voice_states_view_for_guild(*guild), row) : each_nested(c.get_voice_states_view(), row);
    }
    out.print();
  } else if (k == "message") {
    // There is no per-guild or per-channel message view: the (capped) store
    // is read in id order and filtered.
    auto out = listing({"id", "guild", "channel", "author", "content"});
    each(c.get_messages_view(), [&](Snowflake key, const auto& v) {
      if (guild && (!v->guild_id().has_value() || *v->guild_id() != guild->value())) return;
      if (channel && v->channel_id() != channel->value()) return;
      out.add({key.to_string()}, {key.to_string(), opt(v->guild_id()), id(v->channel_id()), user_name(v->author()),
                                  cell(v->content(), 50)});
    });
    out.print();
  } else if (k == "dm_channel_id") {
    auto out = listing({"user", "channel"});
    each(c.get_dm_channel_ids_view(), [&](Snowflake key, const auto& v) {
      out.add({key.to_string()}, {key.to_string(), id(v->channel_id())});
    });
    out.print();
  }
  return kOk;
}

}  // namespace

Command add_ls(CLI::App& app, const Global& g) {
  auto a = std::make_shared<LsArgs>();
  auto* sub = app.add_subcommand("ls", "List entities of a kind as a table (or --json), in view order");
  describe(sub,
      "List the entities of KIND, scoped by --guild (and --channel for thread, invite, voice_state,\n"
      "message), in the order of the cache's views: guild channels of a guild in Discord's client\n"
      "order, everything else by id. member, presence and voice_state without --guild list every\n"
      "guild, guild by guild. --json prints an array of the entities as Discord JSON.");
  sub->footer("\nExamples:\n  cachectl --db /tmp/demo ls member --guild 41771983423143937\n"
              "  cachectl --db /tmp/demo ls guild_channel --guild 41771983423143937 --json");
  sub->add_option("KIND", a->kind, "The kind (guild, guild_channel, member, ...)")->required();
  a->guild_opt = sub->add_option("--guild", a->guild, "Only this guild's entities")->type_name("G");
  a->channel_opt = sub->add_option("--channel", a->channel, "Only this channel's entities")->type_name("C");
  sub->add_flag("--json", a->json, "Print a JSON array of the entities");
  return {sub, [&g, a] { return run_ls(g, *a); }};
}

}  // namespace cachectl
