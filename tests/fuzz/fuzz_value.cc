// fuzz_value — arbitrary bytes as a stored value of every entity kind.
//
// What a reader does with a value read from RocksDB: Value<T>::verify (an
// aligned copy, FlatBuffers verification), then, when it verifies, every
// field read: the dump's JSON writer (json_out, generic over the type
// tables: every stored field, nested tables, vectors, unions, strings) and
// the object API (unpack). Verified bytes must never crash a reader, and
// bytes that fail verification must be refused, not read.
//
// Built as a libFuzzer target (-Dfuzz=true) or with replay_main.cc.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>

#include "json/json_out.h"
#include "snowcache/cache.h"
#include "snowcache/value.h"

namespace {

using snowcache::Value;
using snowcache::detail::Bytes;

template <class T>
void read_as(const std::shared_ptr<const Bytes>& bytes, std::string_view kind) {
  auto v = Value<T>::verify(bytes, kind);
  if (!v.ok()) {
    if (v.status().code() != snowcache::Code::kCorruption) {
      std::fprintf(stderr, "fuzz_value: %.*s: verify failed with a status that is not kCorruption: %s\n",
                   static_cast<int>(kind.size()), kind.data(), v.status().to_string().c_str());
      std::abort();
    }
    return;
  }
  const Value<T>& value = v.value();
  std::string compact = snowcache::detail::to_json(*value, false);
  std::string pretty = snowcache::detail::to_json(*value, true);
  if (compact.empty() || compact.front() != '{' || pretty.empty() || pretty.front() != '{') {
    std::fprintf(stderr, "fuzz_value: %.*s: the JSON writer wrote no object\n", static_cast<int>(kind.size()),
                 kind.data());
    std::abort();
  }
  auto native = value.unpack();
  if (!native) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto bytes = Bytes::copy_of(std::string_view(reinterpret_cast<const char*>(data), size));
  namespace fb = snowcache::fb;
  read_as<fb::Guild>(bytes, "guild");
  read_as<fb::GuildChannel>(bytes, "guild_channel");
  read_as<fb::Thread>(bytes, "thread");
  read_as<fb::Role>(bytes, "role");
  read_as<fb::Emoji>(bytes, "emoji");
  read_as<fb::Sticker>(bytes, "sticker");
  read_as<fb::Invite>(bytes, "invite");
  read_as<fb::Member>(bytes, "member");
  read_as<fb::User>(bytes, "user");
  read_as<fb::Presence>(bytes, "presence");
  read_as<fb::VoiceState>(bytes, "voice_state");
  read_as<fb::Message>(bytes, "message");
  read_as<fb::DmChannelId>(bytes, "dm_channel_id");
  read_as<fb::OwnUser>(bytes, "me");
  return 0;
}
