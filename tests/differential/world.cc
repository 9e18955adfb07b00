#include "world.h"

#include <fmt/format.h>

namespace model {

namespace {
constexpr std::int64_t kDiscordEpochMs = 1420070400000;

// Howard Hinnant's civil_from_days.
void civil(std::int64_t days, int& y, unsigned& m, unsigned& d) {
  days += 719468;
  std::int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  auto doe = static_cast<unsigned>(days - era * 146097);
  unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y = static_cast<int>(yoe) + static_cast<int>(era) * 400 + (m <= 2 ? 1 : 0);
}

const char* const kWords[] = {"snow", "flake", "rocket", "lab", "chess", "knit", "orbit", "pixel", "maple",
                              "cobalt", "ember", "delta", "lumen", "quartz", "tundra", "zephyr"};
}  // namespace

World::World(Rng& r) : rng(r) {
  bot.user = User{new_id(), "snowbot", std::nullopt, std::nullopt, true};
  users[bot.user.id] = bot.user;
}

Id World::new_id() {
  clock_ms += rng.range(1, 4000);
  return (static_cast<Id>(clock_ms) << 22) | (id_counter++ & 0x3FFFFF);
}

Id World::new_guild_id(std::uint32_t shard, std::uint32_t shard_count) {
  for (;;) {
    Id id = new_id();
    if ((id >> 22) % shard_count == shard) return id;
  }
}

std::string World::now_iso() const {
  std::int64_t ms = clock_ms + kDiscordEpochMs;
  std::int64_t days = ms / 86400000, rem = ms % 86400000;
  int y;
  unsigned mo, d;
  civil(days, y, mo, d);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}000+00:00", y, mo, d, rem / 3600000,
                     rem / 60000 % 60, rem / 1000 % 60, rem % 1000);
}

std::string World::word() { return rng.pick(kWords); }
std::string World::hash() {
  std::uint64_t high = rng.next();  // two statements: argument order is unspecified
  return fmt::format("{:016x}{:016x}", high, rng.next());
}

// Names draw from the random stream one call per statement: the order of
// two calls in one expression is unspecified, and a seed must give the same
// stream with any compiler.
std::string World::username() {
  std::string w = word();
  return w + std::to_string(rng.below(1000));
}

User& World::new_user() {
  Id id = new_id();
  User u{id, username(), std::nullopt, std::nullopt, false};
  if (rng.chance(60)) u.global_name = "The " + word();
  if (rng.chance(50)) u.avatar = hash();
  return users[u.id] = u;
}

void World::change_user(User& u) {
  switch (rng.below(3)) {
    case 0: u.username = username(); break;
    case 1: u.global_name = rng.chance(80) ? OptStr("The " + word()) : std::nullopt; break;
    default: u.avatar = rng.chance(85) ? OptStr(hash()) : std::nullopt; break;
  }
}

Member World::current_member(const WGuild& g, Id user) const {
  Member m = g.members.at(user);
  m.user = users.at(user);
  return m;
}

Member World::new_member(Id guild, Id user) {
  Member m;
  m.guild_id = guild;
  m.user = users.at(user);
  m.joined_at = now_iso();
  if (rng.chance(30)) m.nick = "nick-" + word();
  return m;
}

Presence World::new_presence(Id guild, Id user) {
  Presence p;
  p.guild_id = guild;
  p.user.id = user;
  static const char* const kStatus[] = {"online", "idle", "dnd"};
  p.status = rng.pick(kStatus);
  if (rng.chance(50)) p.activities.push_back(Activity{"playing " + word(), 0, std::nullopt});
  if (rng.chance(20)) p.activities.push_back(Activity{"Custom Status", 4, OptStr(word())});
  (rng.chance(70) ? p.desktop : p.mobile) = p.status;
  return p;
}

std::vector<Id> World::available_guilds() const {
  std::vector<Id> out;
  for (auto& [id, g] : guilds) {
    if (g.available) out.push_back(id);
  }
  return out;
}

std::vector<Id> World::channels_of(const WGuild& g, std::initializer_list<int> types) const {
  std::vector<Id> out;
  for (auto& [id, c] : g.channels) {
    for (int t : types) {
      if (c.type == t) out.push_back(id);
    }
  }
  return out;
}

std::vector<Id> World::message_channels(const WGuild& g) const {
  std::vector<Id> out = channels_of(g, {0, 5});
  for (auto& [id, t] : g.threads) {
    if (!t.archived) out.push_back(id);
  }
  return out;
}

std::vector<Id> World::member_ids(const WGuild& g, bool with_bot) const {
  std::vector<Id> out;
  for (auto& [id, _] : g.members) {
    if (with_bot || id != bot.user.id) out.push_back(id);
  }
  return out;
}

namespace {

// The items (emojis, stickers) with their creators as the users are now.
template <class T>
std::vector<T> with_users_now(const std::map<Id, T>& items, const std::map<Id, User>& users) {
  std::vector<T> out;
  for (auto [_, x] : items) {
    if (x.user) x.user = users.at(x.user->id);
    out.push_back(x);
  }
  return out;
}

}  // namespace

std::vector<Emoji> World::emojis_now(const WGuild& g) const { return with_users_now(g.emojis, users); }

std::vector<Sticker> World::stickers_now(const WGuild& g) const { return with_users_now(g.stickers, users); }

std::vector<Role> World::roles_of(const WGuild& g) const {
  std::vector<Role> out;
  for (auto& [_, r] : g.roles) out.push_back(r);
  return out;
}

void World::add_message(const Message& m) {
  messages[m.id] = WMessage{m, m.author};
  message_order.push_back(m.id);
  while (message_order.size() > 400) {
    messages.erase(message_order.front());
    message_order.pop_front();
  }
}

void World::forget_messages_where(const std::function<bool(const WMessage&)>& pred) {
  for (auto it = messages.begin(); it != messages.end();) {
    it = pred(it->second) ? messages.erase(it) : std::next(it);
  }
}

std::optional<Id> World::recent_message(std::optional<Id> guild) {
  for (int tries = 0; tries < 8 && !message_order.empty(); ++tries) {
    std::size_t back = std::min<std::size_t>(message_order.size(), 60);
    Id id = message_order[message_order.size() - 1 - rng.below(back)];
    auto it = messages.find(id);
    if (it == messages.end()) continue;
    if (it->second.msg.guild_id != guild) continue;
    if (guild && (!guilds.count(*guild) || !guilds.at(*guild).available)) continue;
    return id;
  }
  return std::nullopt;
}

}  // namespace model
