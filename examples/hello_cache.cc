// hello_cache: opens a cache directory, writes a guild, a channel and a
// member, reads them back, closes, reopens and prints what survived.
//   hello_cache DIR
#include <cstdio>
#include <memory>

#include <fmt/core.h>

#include "snowcache/cache.h"

using snowcache::MutableCache;
using snowcache::Snowflake;

namespace {

int fail(const snowcache::Status& s) {
  fmt::print(stderr, "hello_cache: {}\n", s.to_string());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    fmt::print(stderr, "usage: hello_cache DIR\n");
    return 2;
  }
  const std::string dir = argv[1];
  const Snowflake guild_id(41771983423143937), channel_id(41771983423143938), user_id(80351110224678912);
  {
    auto cache = MutableCache::open(dir);
    if (!cache.ok()) return fail(cache.status());
    snowcache::fb::GuildT guild;
    guild.id = guild_id.value();
    guild.name = "Discord Developers";
    guild.member_count = 1;
    if (auto s = (*cache)->set_guild(guild); !s.ok()) return fail(s);
    snowcache::fb::GuildChannelT channel;
    channel.id = channel_id.value();
    channel.guild_id = guild_id.value();
    channel.name = "general";
    if (auto s = (*cache)->set_guild_channel(channel); !s.ok()) return fail(s);
    snowcache::fb::MemberT member;
    member.guild_id = guild_id.value();
    member.user = std::make_unique<snowcache::fb::UserT>();
    member.user->id = user_id.value();
    member.user->username = "Nelly";
    member.nick = "nelly";
    if (auto s = (*cache)->set_member(member); !s.ok()) return fail(s);
    auto g = (*cache)->get_guild(guild_id);
    if (!g.ok()) return fail(g.status());
    fmt::print("wrote guild {} \"{}\"\n", guild_id.value(), (**g)->name()->str());
  }  // closed (memtables flushed)
  auto cache = MutableCache::open(dir);
  if (!cache.ok()) return fail(cache.status());
  fmt::print("after reopen of {}:\n", dir);
  for (const auto& [id, g] : (*cache)->get_guilds_view()) {
    fmt::print("  guild {} \"{}\" available={}\n", id.value(), g->name()->str(), !g->unavailable());
    for (const auto& [cid, ch] : (*cache)->get_guild_channels_view_for_guild(id)) {
      fmt::print("    channel {} #{}\n", cid.value(), ch->name()->str());
    }
    for (const auto& [uid, m] : (*cache)->get_members_view_for_guild(id)) {
      fmt::print("    member {} {} (nick {})\n", uid.value(), m->user()->username()->str(),
                 m->nick() ? m->nick()->str() : "-");
    }
  }
  auto user = (*cache)->get_user(user_id);
  if (!user.ok()) return fail(user.status());
  fmt::print("  user {} cached: {}\n", user_id.value(), user->has_value() ? "yes" : "no");
  return 0;
}
