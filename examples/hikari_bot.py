"""A hikari bot whose cache survives restarts: snowcache.hikari in three lines.

    DISCORD_TOKEN=... python3 examples/hikari_bot.py [--cache DIR]
        connects to Discord. Stop it (Ctrl-C, or kill -9) and start it again: it is warm at once and
        RESUMEs its gateway session instead of IDENTIFYing.

    python3 examples/hikari_bot.py --replay tests/fixtures/guild_life.ndjson [--cache DIR] [--stop-after S]
        no network, no token: a recorded gateway stream played to the same bot (what the C++ example
        examples/warm_bot does). Run it twice with --stop-after on the first run to see the RESUME.

The bot answers "!whois" with what the cache knows of the author: their member (nickname, roles by
name), read from the cache, not from Discord.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys

import hikari

import snowcache.hikari


def make_bot(token: str, cache_dir: str) -> hikari.GatewayBot:
    bot = hikari.GatewayBot(token, intents=hikari.Intents.ALL_UNPRIVILEGED | hikari.Intents.MESSAGE_CONTENT)
    snowcache.hikari.attach(bot, cache_dir)  # the cache is on disk now; start() RESUMEs a stored session

    @bot.listen()
    async def on_message(event: hikari.GuildMessageCreateEvent) -> None:
        if event.content != "!whois" or event.is_bot:
            return
        member = bot.cache.get_member(event.guild_id, event.author_id)  # from the cache, no request
        if member is None:
            return
        roles = [r.name for r in (bot.cache.get_role(i) for i in member.role_ids) if r is not None]
        await event.message.respond(f"{member.display_name}: {', '.join(roles)}")

    @bot.listen()
    async def on_member_update(event: hikari.MemberUpdateEvent) -> None:
        # old_member is the member as the cache had it before this event, as with hikari's own cache
        if event.old_member is not None and event.old_member.nickname != event.member.nickname:
            print(f"{event.member.username}: nickname {event.old_member.nickname!r} -> {event.member.nickname!r}")

    return bot


def describe(cache: snowcache.hikari.PersistentCache) -> str:
    sessions = cache.sessions()
    where = ", ".join(f"shard {s.shard} session {s.session_id} at s={s.sequence}" for s in sessions) or "no session"
    return f"{len(cache.get_guilds_view())} guilds, {len(cache.get_users_view())} users cached; {where}"


async def replay(stream: str, cache_dir: str, stop_after: int | None) -> None:
    from snowcache.hikari import testing

    token = "ODE1OTE2Mjc5OTE0NDMwNDY0.replay.token"  # the fixtures' bot user; never sent anywhere
    bot = make_bot(token, cache_dir)
    print("before connecting:", describe(bot.cache))
    with testing.RecordedGateway(testing.load_frames(stream), pause_after=stop_after) as gateway:
        await bot.start(check_for_updates=False)
        await gateway.drained()
        print("connected with", "RESUME" if gateway.resumes else "IDENTIFY", "to", gateway.urls[-1].split("?")[0])
        print("after the stream:", describe(bot.cache))
        await bot.close()  # the data stays on disk
    bot.cache.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cache", default=os.path.join(os.getcwd(), "hikari-bot-cache"), help="the cache directory")
    parser.add_argument("--replay", metavar="NDJSON", help="play a recorded gateway stream instead of connecting")
    parser.add_argument("--stop-after", type=int, metavar="S", help="with --replay: stop after the dispatch s=S")
    args = parser.parse_args()
    if args.replay:
        asyncio.run(replay(args.replay, args.cache, args.stop_after))
        return 0
    token = os.environ.get("DISCORD_TOKEN")
    if not token:
        print("hikari_bot: set DISCORD_TOKEN, or use --replay FILE to run offline", file=sys.stderr)
        return 2
    bot = make_bot(token, args.cache)
    print("before connecting:", describe(bot.cache))
    bot.run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
