// Members, presences and voice states: member counts (R4), removal, the
// GUILD_MEMBERS_CHUNK sweep (R5), presences with partial users (E1), voice
// states holding their member (E2, E4).
#include "model.h"

namespace model {

void Model::on_member_count(Id g, int delta) {
  if (!on(Components::kGuilds)) return;
  auto it = guilds.find(g);
  if (it == guilds.end() || !it->second.data.member_count) return;
  *it->second.data.member_count += delta;
}

void Model::on_member_remove(const MemberRemove& r) {
  write_user(r.user);
  auto it = members.find({r.guild_id, r.user.id});
  if (it != members.end()) it->second.listed = false;  // hidden if held, else collected
  on_member_count(r.guild_id, -1);
}

// A full member list (all chunks of one nonce, no not_found, at least the
// cached member_count members) removes what was not written since the
// guild's last GUILD_CREATE.
void Model::on_chunk(const MembersChunk& c) {
  for (const Member& mem : c.members) list_member(mem);
  for (const Presence& p : c.presences) upsert_presence(p);
  ChunkProgress& prog = chunks_[{c.guild_id, c.nonce}];
  prog.count = c.chunk_count;
  prog.seen.insert(c.chunk_index);
  prog.listed += c.members.size();
  prog.not_found = prog.not_found || !c.not_found.empty();
  if (static_cast<int>(prog.seen.size()) < prog.count) return;
  ChunkProgress done = prog;
  chunks_.erase({c.guild_id, c.nonce});
  if (done.not_found) return;
  auto g = guilds.find(c.guild_id);
  auto since = last_guild_create_.find(c.guild_id);
  if (g == guilds.end() || !g->second.data.member_count || since == last_guild_create_.end()) return;
  if (done.listed < static_cast<std::size_t>(*g->second.data.member_count)) return;
  sweep(c.guild_id, since->second);
}

// Removed "as by GUILD_MEMBER_REMOVE": unlisted (kept hidden when held). The
// guild's member_count is not changed: it came with the GUILD_CREATE and
// counts the members the list just gave.
void Model::sweep(Id g, std::uint64_t since) {
  ++stats.sweeps;
  for (auto& [k, rec] : members) {
    if (k.first != g || !rec.listed || rec.written >= since) continue;
    rec.listed = false;
    ++stats.members_swept;
  }
  for (auto it = presences.begin(); it != presences.end();) {
    bool stale = it->first.first == g && it->second.written < since;
    stats.presences_swept += stale;
    it = stale ? presences.erase(it) : std::next(it);
  }
}

// PRESENCE_UPDATE (offline deletes) and the presences of GUILD_CREATE and
// chunks (stored whatever their status, as hikari). Only a PRESENCE_UPDATE's
// partial user changes the user (E1, model.cc): those of GUILD_CREATE and
// chunk presences carry only the id from Discord.
void Model::upsert_presence(const Presence& p) {
  if (!on(Components::kPresences)) return;
  presences[{p.guild_id, p.user.id}] = PresenceRec{p, event_no_};
}

void Model::on_voice_state(const VoiceState& v) {
  const GU key{v.guild_id, v.user_id};
  if (!v.channel_id || !on(Components::kVoiceStates)) {
    if (v.member) refresh_member(*v.member);
    if (!v.channel_id) voice_states.erase(key);
    return;
  }
  VoiceRec rec{v, false};
  if (v.member) {
    hold_member(*v.member);
    rec.holds_member = true;
  } else {
    rec.holds_member = members.count(key) > 0;
  }
  voice_states[key] = rec;
}

}  // namespace model
