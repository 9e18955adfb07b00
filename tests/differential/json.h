// Discord JSON for the model test's entities (entities.h), written by hand
// with a few string helpers: the frames the product ingests.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "entities.h"

namespace model::json {

std::string q(std::string_view s);  // a quoted, escaped JSON string
std::string sf(Id id);              // a snowflake: "123"
std::string opt(const OptStr& s);   // null or a quoted string
std::string opt_id(const OptId& id);
inline std::string b(bool v) { return v ? "true" : "false"; }
template <class N>
std::string num(N n) { return std::to_string(n); }
std::string arr(const std::vector<std::string>& items);
std::string ids(const std::vector<Id>& v);

using Fields = std::vector<std::pair<std::string_view, std::string>>;
std::string obj(const Fields& fields);

}  // namespace model::json

namespace model {

std::string to_json(const User& u);
std::string to_json(const PartialUser& u);
std::string to_json(const OwnUser& u);
// with_user false: a message's member, whose user is the message's author.
std::string to_json(const Member& m, bool with_user = true);
// The guild's own fields; `create` adds member_count, large, joined_at.
json::Fields guild_fields(const Guild& g, bool create);
std::string to_json(const Channel& c);
std::string to_json(const Thread& t);
std::string to_json(const Role& r);
std::string to_json(const Emoji& e);
std::string to_json(const Sticker& s);
std::string to_json(const Invite& i);
// with_guild false inside GUILD_CREATE / GUILD_MEMBERS_CHUNK lists.
std::string to_json(const Presence& p, bool with_guild);
std::string to_json(const VoiceState& v, bool with_guild);
std::string to_json(const Message& m);
std::string to_json(const EmbeddedMessage& m, OptId guild_id);
std::string to_json(const MessagePatch& p);

template <class T>
std::string list_json(const std::vector<T>& items) {
  std::vector<std::string> out;
  out.reserve(items.size());
  for (const auto& x : items) out.push_back(to_json(x));
  return json::arr(out);
}

}  // namespace model
