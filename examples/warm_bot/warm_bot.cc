// warm_bot: the gateway loop of a bot that keeps its cache in snowcache, fed
// from a recorded stream instead of a websocket.
//
//   warm_bot CACHE_DIR STREAM.ndjson [--stop-after N | --exit-after N]
//
// At start it opens its cache directory and says what it would send after
// the gateway's HELLO: RESUME with the stored session when shard 0 has one,
// IDENTIFY otherwise. Then it applies frames, one at a time, each through
// snowcache::Gateway (one atomic batch with the shard's new sequence), and
// answers questions from the cache as a command handler would: for each new
// message, the channel's name and the author's roles. It prints what it
// applied and exits.
//
//   --exit-after N   shut down cleanly after the frame with sequence N (a
//                    restart: the next run RESUMEs from N).
//   --stop-after N   after the frame with sequence N, print "PAUSED at s=N"
//                    and wait forever: lets a test kill -9 it at a known point.
// Exit status: 0; 1 when the cache cannot be opened or the stream read; 3
// when a frame was rejected (a bot logs it and goes on, so does this one).
//
// The stream plays Discord's part. After IDENTIFY it sends every frame. After
// RESUME Discord sends no READY, and replays what the bot missed; here the
// recording is replayed from its start (without READY) and the frames the
// cache has already applied come back as Outcome::kDuplicate: nothing is
// applied twice, whether the last run ended cleanly or was killed.
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <optional>
#include <string>
#include <string_view>

#include <fmt/core.h>

#include "snowcache/cache.h"
#include "snowcache/gateway.h"

namespace {

using snowcache::Snowflake;

// The recorded stream: a stand-in for the websocket, one frame per line.
class RecordedGateway {
 public:
  explicit RecordedGateway(const std::string& path) : in_(path, std::ios::binary) {}
  bool ok() const { return static_cast<bool>(in_); }

  // What the bot sends after HELLO decides what comes back.
  void identify() { resumed_ = false; }
  void resume() { resumed_ = true; }

  // The next frame, or nullopt at the end of the recording.
  std::optional<std::string> receive() {
    std::string line;
    while (std::getline(in_, line)) {
      if (!line.empty() && line.back() == '\r') line.pop_back();
      auto first = line.find_first_not_of(" \t");
      if (first == std::string::npos || line[first] == '#') continue;
      if (resumed_ && is_ready(line)) continue;  // a RESUME is answered without READY
      return line;
    }
    return std::nullopt;
  }

 private:
  // Whether the frame's "t" is "READY" (the recording is compact JSON).
  static bool is_ready(std::string_view frame) {
    return frame.find(R"("t":"READY")") != std::string_view::npos;
  }

  std::ifstream in_;
  bool resumed_ = false;
};

// "lobby" for a cached channel, its id otherwise.
std::string channel_name(const snowcache::Cache& cache, std::uint64_t id) {
  auto ch = cache.get_guild_channel(Snowflake(id));
  if (ch.ok() && *ch && (**ch)->name()) return (**ch)->name()->str();
  return std::to_string(id);
}

// "mods, helpers": the names of a member's roles, without @everyone.
std::string role_names(const snowcache::Cache& cache, Snowflake guild, Snowflake user) {
  auto member = cache.get_member(guild, user);
  if (!member.ok()) return "(error: " + member.status().to_string() + ")";
  if (!*member) return "(not a member)";
  std::string out;
  if (const auto* roles = (**member)->roles()) {
    for (std::uint64_t id : *roles) {
      if (id == guild.value()) continue;  // @everyone's id is the guild's
      auto role = cache.get_role(Snowflake(id));
      std::string name = role.ok() && *role && (**role)->name() ? (**role)->name()->str() : std::to_string(id);
      out += (out.empty() ? "" : ", ") + name;
    }
  }
  return out.empty() ? "(none)" : out;
}

// A command handler's view of a new message: where, who, with which roles.
void on_message_create(const snowcache::Cache& cache, std::int64_t seq) {
  // The message just created is the newest one (the view is oldest first).
  // A real bot has its id from its own parse of the event; get_message(id).
  auto messages = cache.get_messages_view();
  if (messages.empty()) return;
  auto msg = messages.get_item_at(static_cast<std::ptrdiff_t>(messages.size() - 1));
  Snowflake guild(msg->guild_id().value_or(0)), author(msg->author() ? msg->author()->id() : 0);
  fmt::print("  s={} #{} <{}> \"{}\" (roles: {})\n", seq, channel_name(cache, msg->channel_id()),
             msg->author() && msg->author()->username() ? msg->author()->username()->str() : author.to_string(),
             msg->content() ? msg->content()->str() : "", role_names(cache, guild, author));
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3 && argc != 5) {
    fmt::print(stderr, "usage: warm_bot CACHE_DIR STREAM.ndjson [--stop-after N | --exit-after N]\n");
    return 2;
  }
  std::optional<std::int64_t> stop_after, exit_after;
  if (argc == 5) {
    std::string flag = argv[3];
    char* end = nullptr;
    long long n = std::strtoll(argv[4], &end, 10);
    if (*end != '\0' || (flag != "--stop-after" && flag != "--exit-after")) {
      fmt::print(stderr, "warm_bot: expected --stop-after N or --exit-after N\n");
      return 2;
    }
    (flag == "--stop-after" ? stop_after : exit_after) = n;
  }

  auto cache = snowcache::MutableCache::open(argv[1]);
  if (!cache.ok()) {
    fmt::print(stderr, "warm_bot: cannot open {}: {}\n", argv[1], cache.status().to_string());
    return 1;
  }
  RecordedGateway socket(argv[2]);
  if (!socket.ok()) {
    fmt::print(stderr, "warm_bot: cannot read {}\n", argv[2]);
    return 1;
  }

  // HELLO received: RESUME when the cache holds a session for shard 0.
  auto stored = snowcache::session(**cache, 0);
  if (!stored.ok()) {
    fmt::print(stderr, "warm_bot: {}\n", stored.status().to_string());
    return 1;
  }
  if (*stored && !(*stored)->session_id.empty() && (*stored)->sequence) {
    const snowcache::Session& s = **stored;
    fmt::print("RESUME session_id={} seq={} url={}\n", s.session_id, *s.sequence, s.resume_gateway_url);
    socket.resume();
  } else {
    fmt::print("IDENTIFY\n");
    socket.identify();
  }
  std::fflush(stdout);

  snowcache::Gateway gateway(**cache);
  std::size_t applied = 0, ignored = 0, duplicate = 0, rejected = 0, control = 0;
  while (auto frame = socket.receive()) {
    snowcache::IngestResult r = gateway.ingest_frame(0, *frame);
    switch (r.outcome) {
      case snowcache::Outcome::kApplied: ++applied; break;
      case snowcache::Outcome::kDuplicate: ++duplicate; break;
      case snowcache::Outcome::kIgnored: ++(r.sequence ? ignored : control); break;
      case snowcache::Outcome::kRejected:
        ++rejected;
        fmt::print(stderr, "warm_bot: rejected: {}\n", r.status.to_string());
        break;
    }
    if (r.outcome == snowcache::Outcome::kApplied && r.event == "MESSAGE_CREATE") {
      on_message_create(**cache, r.sequence.value_or(0));
    }
    if (r.sequence && stop_after && *r.sequence == *stop_after) {
      fmt::print("PAUSED at s={}\n", *r.sequence);
      std::fflush(stdout);
      for (;;) pause();  // until a signal ends the process
    }
    if (r.sequence && exit_after && *r.sequence == *exit_after) break;
  }

  fmt::print("frames: applied={} ignored={} duplicate={} rejected={} control={}\n", applied, ignored, duplicate,
             rejected, control);
  auto now = snowcache::session(**cache, 0);
  if (now.ok() && *now && (*now)->sequence) fmt::print("session: seq={}\n", *(*now)->sequence);
  // A few questions a bot asks its cache, answered from disk.
  for (const auto& [id, guild] : (*cache)->get_guilds_view()) {
    fmt::print("guild {} \"{}\": {} channels, {} roles, {} members, {} messages cached\n", id.value(),
               guild->name() ? guild->name()->str() : "", (*cache)->get_guild_channels_view_for_guild(id).size(),
               (*cache)->get_roles_view_for_guild(id).size(), (*cache)->get_members_view_for_guild(id).size(),
               (*cache)->get_messages_view().size());
    for (const auto& [user_id, member] : (*cache)->get_members_view_for_guild(id)) {
      fmt::print("  member {}: {}\n", member->user()->username() ? member->user()->username()->str() : "",
                 role_names(**cache, id, user_id));
    }
    for (const auto& [channel_id, channel] : (*cache)->get_guild_channels_view_for_guild(id)) {
      fmt::print("  channel {}: #{}\n", channel_id.value(), channel->name() ? channel->name()->str() : "");
    }
  }
  return rejected ? 3 : 0;
}
