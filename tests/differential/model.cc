// The model's event loop: duplicates and sequences (R6), the per-event
// write rules for users and members (E1, E2) and the end-of-event collection
// of what nothing holds any more (R3).
#include "model.h"

#include <map>
#include <variant>

namespace model {

// One visitor for every dispatch; the longer rules live in the model_*.cc.
struct Apply {
  Model& m;
  std::uint32_t shard;
  std::optional<std::int64_t> seq;

  void operator()(const Ready& r) { m.on_ready(r, shard, seq); }
  void operator()(const GuildCreate& c) { m.on_guild_create(c); }
  void operator()(const GuildCreateUnavailable&) {}
  void operator()(const GuildUpdate& u) { m.on_guild_update(u); }
  void operator()(const GuildDelete& d) {
    if (!d.unavailable) {
      ++m.stats.guilds_left;
      return m.drop_guild(d.guild_id);
    }
    auto it = m.guilds.find(d.guild_id);
    if (it != m.guilds.end()) it->second.available = false;
  }
  void operator()(const ChannelCreate& c) { set(Components::kGuildChannels, m.channels, c.channel.id, c.channel); }
  void operator()(const ChannelUpdate& c) { set(Components::kGuildChannels, m.channels, c.channel.id, c.channel); }
  void operator()(const ChannelDelete& c) { m.on_channel_delete(c.channel); }
  void operator()(const ThreadCreate& c) { set(Components::kGuildThreads, m.threads, c.thread.id, c.thread); }
  void operator()(const ThreadUpdate& c) { set(Components::kGuildThreads, m.threads, c.thread.id, c.thread); }
  void operator()(const ThreadDelete& d) { m.threads.erase(d.id); }
  void operator()(const ThreadListSync& s) { m.on_thread_list_sync(s); }
  void operator()(const ThreadMembersUpdate& u) {
    for (const Member& mem : u.added) m.refresh_member(mem);
    for (Id removed : u.removed) {
      if (removed == m.bot_id) m.threads.erase(u.thread_id);
    }
  }
  void operator()(const MemberAdd& a) {
    m.list_member(a.member);
    m.on_member_count(a.member.guild_id, +1);
  }
  void operator()(const MemberUpdate& u) { m.list_member(u.member); }
  void operator()(const MemberRemove& r) { m.on_member_remove(r); }
  void operator()(const MembersChunk& c) { m.on_chunk(c); }
  void operator()(const RoleCreate& r) { set(Components::kRoles, m.roles, r.role.id, r.role); }
  void operator()(const RoleUpdate& r) { set(Components::kRoles, m.roles, r.role.id, r.role); }
  void operator()(const RoleDelete& r) { m.roles.erase(r.role_id); }
  void operator()(const EmojisUpdate& e) { m.replace_emojis(e.guild_id, e.emojis); }
  void operator()(const StickersUpdate& s) { m.replace_stickers(s.guild_id, s.stickers); }
  void operator()(const InviteCreate& i) {
    if (i.invite.inviter) m.write_user(*i.invite.inviter);
    if (i.invite.target_user) m.write_user(*i.invite.target_user);
    set(Components::kInvites, m.invites, i.invite.code, i.invite);
  }
  void operator()(const InviteDelete& i) { m.invites.erase(i.code); }
  void operator()(const MessageCreate& c) { m.on_message_create(c.message); }
  void operator()(const MessageUpdate& u) { m.on_message_update(u.patch); }
  void operator()(const MessageDelete& d) { m.messages.erase(d.id); }
  void operator()(const MessageDeleteBulk& d) {
    for (Id id : d.ids) m.messages.erase(id);
  }
  void operator()(const PresenceUpdate& p) {
    m.write_partial(p.presence.user);
    if (p.presence.status != "offline") return m.upsert_presence(p.presence);
    m.presences.erase({p.presence.guild_id, p.presence.user.id});
  }
  void operator()(const TypingStart& t) {
    if (t.member) m.refresh_member(*t.member);
  }
  void operator()(const ReactionAdd& r) {
    if (r.member) m.refresh_member(*r.member);
  }
  void operator()(const InteractionCreate& i) {
    if (i.member) m.refresh_member(*i.member);
    if (i.user) m.write_user(*i.user);
  }
  void operator()(const VoiceStateUpdate& v) { m.on_voice_state(v.state); }
  void operator()(const UserUpdate& u) {
    if (m.on(Components::kMe)) m.me = u.user;
    m.write_user(u.user.user);
  }
  void operator()(const BanAdd& b) { m.write_user(b.user); }
  void operator()(const Resumed&) {}
  void operator()(const Unknown&) {}

  template <class Map, class K, class V>
  void set(Components c, Map& map, const K& key, const V& value) {
    if (m.on(c)) map[key] = value;
  }
};

Expect Model::apply(const Event& e) {
  if (e.op != 0) return Expect::kControl;
  if (is_duplicate(e)) return Expect::kDuplicate;
  ++event_no_;
  dispatch(*e.payload, e.shard, e.seq);
  finish_event();
  if (e.seq && !std::holds_alternative<Ready>(*e.payload)) {
    SessionRec& s = sessions[e.shard];
    s.shard = e.shard;
    s.sequence = e.seq;
  }
  return Expect::kApplied;
}

bool Model::is_duplicate(const Event& e) const {
  if (!e.seq || std::holds_alternative<Ready>(*e.payload)) return false;
  auto it = sessions.find(e.shard);
  return it != sessions.end() && it->second.sequence && *e.seq <= *it->second.sequence;
}

void Model::dispatch(const Payload& p, std::uint32_t shard, std::optional<std::int64_t> seq) {
  std::visit(Apply{*this, shard, seq}, p);
}

// --- READY (R6) ----------------------------------------------------------------

void Model::on_ready(const Ready& r, std::uint32_t shard, std::optional<std::int64_t> seq) {
  sessions[shard] = SessionRec{r.shard, r.shard_count, r.session_id, r.resume_gateway_url, seq, r.user.user.id};
  bot_id = r.user.user.id;
  if (on(Components::kMe)) me = r.user;
  write_user(r.user.user);
  std::set<Id> listed(r.guilds.begin(), r.guilds.end());
  for (Id g : guilds_with_data()) {
    if ((g >> 22) % r.shard_count != r.shard || listed.count(g)) continue;
    drop_guild(g);
    ++stats.guilds_dropped_by_ready;
  }
  for (Id g : listed) {
    auto it = guilds.find(g);
    if (it != guilds.end()) it->second.available = false;
  }
}

std::set<Id> Model::guilds_with_data() const {
  std::set<Id> out;
  for (auto& [g, _] : guilds) out.insert(g);
  for (auto& [_, c] : channels) out.insert(c.guild_id);
  for (auto& [_, t] : threads) out.insert(t.guild_id);
  for (auto& [_, r] : roles) out.insert(r.guild_id);
  for (auto& [_, e] : emojis) out.insert(e.guild_id);
  for (auto& [_, s] : stickers) out.insert(s.guild_id);
  for (auto& [_, i] : invites) out.insert(i.guild_id);
  for (auto& [k, _] : members) out.insert(k.first);
  for (auto& [k, _] : presences) out.insert(k.first);
  for (auto& [k, _] : voice_states) out.insert(k.first);
  for (auto& [_, msg] : messages) {
    if (msg.data.guild_id) out.insert(*msg.data.guild_id);
  }
  return out;
}

void Model::drop_guild(Id g) {
  guilds.erase(g);
  std::erase_if(channels, [&](auto& kv) { return kv.second.guild_id == g; });
  std::erase_if(threads, [&](auto& kv) { return kv.second.guild_id == g; });
  std::erase_if(roles, [&](auto& kv) { return kv.second.guild_id == g; });
  std::erase_if(emojis, [&](auto& kv) { return kv.second.guild_id == g; });
  std::erase_if(stickers, [&](auto& kv) { return kv.second.guild_id == g; });
  std::erase_if(invites, [&](auto& kv) { return kv.second.guild_id == g; });
  std::erase_if(members, [&](auto& kv) { return kv.first.first == g; });
  std::erase_if(presences, [&](auto& kv) { return kv.first.first == g; });
  std::erase_if(voice_states, [&](auto& kv) { return kv.first.first == g; });
  std::erase_if(messages, [&](auto& kv) { return kv.second.data.guild_id == g; });
  last_guild_create_.erase(g);
  std::erase_if(chunks_, [&](auto& kv) { return kv.first.first == g; });
}

// --- users and members (E1, E2) -----------------------------------------------------

void Model::write_user(const User& u) { touched_[u.id] = u; }

void Model::write_partial(const PartialUser& p) {
  auto t = touched_.find(p.id);
  User base;
  if (t != touched_.end()) {
    base = t->second;
  } else if (auto c = users.find(p.id); c != users.end()) {
    base = c->second;
  } else {
    return;  // an uncached user is not created by a partial one
  }
  if (p.username) base.username = *p.username;
  if (p.global_name) base.global_name = *p.global_name;
  if (p.avatar) base.avatar = *p.avatar;
  touched_[p.id] = base;
  ++stats.partial_user_writes;
}

void Model::list_member(const Member& mem) {
  if (!on(Components::kMembers)) return refresh_member(mem);
  MemberRec& rec = members[{mem.guild_id, mem.user.id}];
  rec.data = mem;
  rec.listed = true;
  rec.written = event_no_;
  write_user(mem.user);
}

void Model::hold_member(const Member& mem) {
  MemberRec& rec = members[{mem.guild_id, mem.user.id}];  // hidden when new
  rec.data = mem;
  rec.written = event_no_;
  write_user(mem.user);
}

void Model::refresh_member(const Member& mem) {
  write_user(mem.user);
  auto it = members.find({mem.guild_id, mem.user.id});
  if (it == members.end()) return;
  it->second.data = mem;
  it->second.written = event_no_;
  ++stats.member_refreshes;
}

// --- end of event: what nothing holds goes (R3) ------------------------------------

void Model::finish_event() {
  collect_members();
  collect_users();
  touched_.clear();
}

void Model::collect_members() {
  std::set<GU> held;
  for (auto& [k, v] : voice_states) {
    if (v.holds_member) held.insert(k);
  }
  for (auto& [_, msg] : messages) {
    if (msg.holds_member) held.insert({*msg.data.guild_id, msg.data.author.id});
  }
  std::erase_if(members, [&](auto& kv) {
    bool gone = !kv.second.listed && !held.count(kv.first);
    stats.members_collected += gone;
    stats.hidden_members_seen += !kv.second.listed && !gone;
    return gone;
  });
}

void Model::collect_users() {
  std::set<Id> held;
  for (auto& [k, _] : members) held.insert(k.second);
  for (auto& [_, e] : emojis) {
    if (e.user) held.insert(e.user->id);
  }
  for (auto& [_, s] : stickers) {
    if (s.user) held.insert(s.user->id);
  }
  for (auto& [_, i] : invites) {
    if (i.inviter) held.insert(i.inviter->id);
    if (i.target_user) held.insert(i.target_user->id);
  }
  for (auto& [_, msg] : messages) {
    held.insert(msg.data.author.id);
    for (const User& u : msg.data.mentions) held.insert(u.id);
  }
  for (auto& [id, u] : touched_) {
    if (held.count(id) || users.count(id)) users[id] = u;
  }
  for (auto it = users.begin(); it != users.end();) {
    if (held.count(it->first)) {
      ++it;
      continue;
    }
    stats.dm_ids_collected += dm_channel_ids.erase(it->first);
    ++stats.users_collected;
    it = users.erase(it);
  }
}

}  // namespace model
