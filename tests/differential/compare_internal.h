// Field checks of one entity against its model record, shared by the
// getters' and the views' comparisons (compare_entities.cc).
#pragma once

#include <string>

#include "compare.h"

namespace model {

// Whatever shows a user shows the current record (E1): `id` is looked up in
// the model's users.
void check_user_ref(Diffs& d, const std::string& label, const Model& m, Id id, const snowcache::fb::User* a);
// A member as shown anywhere (E2): the record of (guild, user), or none.
void check_member_ref(Diffs& d, const std::string& label, const Model& m, const GU& key,
                      const snowcache::fb::Member* a);

void check(Diffs& d, const std::string& label, const Model& m, const User& e, const snowcache::fb::User& a);
void check(Diffs& d, const std::string& label, const Model& m, const GuildRec& e, const snowcache::fb::Guild& a);
void check(Diffs& d, const std::string& label, const Model& m, const Channel& e,
           const snowcache::fb::GuildChannel& a);
void check(Diffs& d, const std::string& label, const Model& m, const Thread& e, const snowcache::fb::Thread& a);
void check(Diffs& d, const std::string& label, const Model& m, const Role& e, const snowcache::fb::Role& a);
void check(Diffs& d, const std::string& label, const Model& m, const Emoji& e, const snowcache::fb::Emoji& a);
void check(Diffs& d, const std::string& label, const Model& m, const Sticker& e, const snowcache::fb::Sticker& a);
void check(Diffs& d, const std::string& label, const Model& m, const Invite& e, const snowcache::fb::Invite& a);
void check(Diffs& d, const std::string& label, const Model& m, const MemberRec& e, const snowcache::fb::Member& a);
void check(Diffs& d, const std::string& label, const Model& m, const PresenceRec& e,
           const snowcache::fb::Presence& a);
void check(Diffs& d, const std::string& label, const Model& m, const VoiceRec& e,
           const snowcache::fb::VoiceState& a);
void check(Diffs& d, const std::string& label, const Model& m, const MessageRec& e,
           const snowcache::fb::Message& a);
void check(Diffs& d, const std::string& label, const Model& m, const DmRec& e,
           const snowcache::fb::DmChannelId& a);

// Labels: "member 1/2", "invite abc".
std::string label_of(std::string_view kind, Id id);
std::string label_of(std::string_view kind, const GU& key);
std::string label_of(std::string_view kind, const std::string& code);

}  // namespace model
