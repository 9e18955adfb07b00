// keys — the only module that knows byte layouts.
//
// Every RocksDB key and every fixed-width stored number is built and parsed
// here. Snowflakes are 8 bytes big-endian, so memcmp order = numeric order =
// creation order, and a tuple of them sorts like the tuple.
//
// Column family keys (see docs/ARCHITECTURE.md for the full table):
//   guilds, guild_channels, threads, roles, emojis, stickers, users,
//   messages, dm_channel_ids:     id
//   invites:                      code bytes
//   members, presences, voice_states: guild | user
//   index:  tag | scope ids | entity key  (IndexTag below)
//   refs:   'u' | user  -> user count;  'm' | guild | user -> member record
//   meta:   ascii names; "session/" | shard (4 bytes BE)
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "snowcache/snowflake.h"
#include "snowcache/status.h"

namespace snowcache::keys {

constexpr std::size_t kIdSize = 8;

void append_u64(std::string& out, std::uint64_t v);
void append_u32(std::string& out, std::uint32_t v);
std::uint64_t read_u64(std::string_view b, std::size_t offset = 0);
std::uint32_t read_u32(std::string_view b, std::size_t offset = 0);

std::string id(Snowflake a);
std::string pair(Snowflake a, Snowflake b);
// The same keys held inline, for the getters' hot path (a 16-byte std::string
// is one allocation more than its small-string buffer holds).
struct InlineKey {
  char bytes[2 * kIdSize];
  std::size_t size;
  std::string_view view() const { return {bytes, size}; }
};
InlineKey inline_id(Snowflake a);
InlineKey inline_pair(Snowflake a, Snowflake b);
// A pair key's parts (guild | user), and where its second part starts.
constexpr std::size_t kPairSecond = kIdSize;
inline Snowflake pair_first(std::string_view key);
inline Snowflake pair_second(std::string_view key);
// The id stored in the last 8 bytes of `key`.
Snowflake last_id(std::string_view key);
// The id stored at `offset`.
Snowflake id_at(std::string_view key, std::size_t offset);

inline Snowflake pair_first(std::string_view key) { return id_at(key, 0); }
inline Snowflake pair_second(std::string_view key) { return id_at(key, kPairSecond); }

// `b` as "0x" and two lowercase hex digits a byte (keys in problem reports).
std::string hex(std::string_view b);

// The smallest key greater than every key starting with `prefix`;
// empty when there is none (prefix is all 0xff or empty).
std::string successor(std::string_view prefix);

// The shape of an entity's primary key.
enum class KeyShape : std::uint8_t {
  kId,    // id
  kPair,  // guild | user
  kCode,  // the invite code's bytes (not empty)
};
constexpr std::size_t part_count(KeyShape shape) { return shape == KeyShape::kPair ? 2 : 1; }
bool well_formed(KeyShape shape, std::string_view key);
// The key as text parts, as the dump writes them: decimal ids, or the code.
// nullopt for a malformed key.
std::optional<std::vector<std::string>> key_parts(KeyShape shape, std::string_view key);
// The inverse: the key that text parts name. `names` names each part in
// errors ("guild id"); `kind` prefixes them. InvalidArgument on a wrong count
// or a part that is not a snowflake (or an empty code).
Result<std::string> key_from_parts(KeyShape shape, std::string_view kind, std::span<const std::string_view> names,
                                   const std::vector<std::string>& parts);
// The one text form of an entity key in messages: "member 1/2",
// "invite abc", and the key in hex when it is malformed.
std::string describe(std::string_view kind, KeyShape shape, std::string_view key);

// Secondary keys in the index column family: tag | scope ids | entity part.
enum class IndexTag : char {
  kChannelByGuild = 'c',  // c | guild | channel
  kThreadByGuild = 't',   // t | guild | parent | thread
  kRoleByGuild = 'r',     // r | guild | role
  kEmojiByGuild = 'e',    // e | guild | emoji
  kStickerByGuild = 's',  // s | guild | sticker
  kInviteByGuild = 'i',   // i | guild | channel | code
  kVoiceByChannel = 'v',  // v | guild | channel | user  (the entity key is guild | user)
  kMessageByGuild = 'g',  // g | guild | message
  kMessageByChannel = 'h',// h | channel | message
};
inline constexpr IndexTag kIndexTags[] = {
    IndexTag::kChannelByGuild, IndexTag::kThreadByGuild,  IndexTag::kRoleByGuild,
    IndexTag::kEmojiByGuild,   IndexTag::kStickerByGuild, IndexTag::kInviteByGuild,
    IndexTag::kVoiceByChannel, IndexTag::kMessageByGuild, IndexTag::kMessageByChannel,
};
// How many scope ids follow the tag.
constexpr std::size_t scope_count(IndexTag tag) {
  switch (tag) {
    case IndexTag::kThreadByGuild:
    case IndexTag::kInviteByGuild:
    case IndexTag::kVoiceByChannel: return 2;
    default: return 1;
  }
}
// Where the entity part of an index key of `tag` starts.
constexpr std::size_t entity_offset(IndexTag tag) { return 1 + scope_count(tag) * kIdSize; }

// The prefix that all index keys of `tag` scoped by the given ids share.
std::string index_prefix(IndexTag tag);
std::string index_prefix(IndexTag tag, Snowflake a);
std::string index_prefix(IndexTag tag, Snowflake a, Snowflake b);
// The index key of the entity with key `entity` (one or two scope ids).
std::string index_key(IndexTag tag, Snowflake a, std::string_view entity);
std::string index_key(IndexTag tag, Snowflake a, Snowflake b, std::string_view entity);
// A voice state's channel index key (its entity part is the user alone).
std::string voice_index_key(Snowflake guild, Snowflake channel, Snowflake user);
// The entity key an index key of this build points at (no checks); the
// second form reuses `out`'s buffer.
std::string indexed_entity(std::string_view index_key);
void indexed_entity(std::string_view index_key, std::string& out);

struct IndexKey {
  IndexTag tag;
  std::array<Snowflake, 2> scope{};  // scope_count(tag) of them
  std::string entity;                // the key of the entity it points at
};
// nullopt for an unknown tag or a key of the wrong length.
std::optional<IndexKey> parse_index_key(std::string_view key);
// The first scope id of an index key, or of a prefix of kIndexPrefixLen bytes.
inline Snowflake first_scope(std::string_view index_key) { return id_at(index_key, 1); }
// An index key in messages: "r|1|2", "i|1|2|code"; hex when malformed.
std::string describe_index(std::string_view key);
// Length of the fixed prefix the index column family's prefix extractor uses
// (tag + first scope id).
constexpr std::size_t kIndexPrefixLen = 1 + kIdSize;

// Reference records in the refs column family.
std::string user_ref(Snowflake user);
std::string member_ref(Snowflake guild, Snowflake user);
constexpr char kUserRefTag = 'u';
constexpr char kMemberRefTag = 'm';
struct RefKey {
  bool member;      // a member record; else a user's count
  Snowflake guild;  // members only
  Snowflake user;
};
// nullopt for a key that is neither.
std::optional<RefKey> parse_ref_key(std::string_view key);

// A user's count: 8 bytes, two's complement big-endian.
std::string encode_count(std::int64_t n);
std::optional<std::int64_t> decode_count(std::string_view b);

// A member record: how many voice states and messages hold the member, and
// whether the member is listed (in the guild, visible). 4 + 1 bytes.
struct MemberRecord {
  std::uint32_t holders = 0;
  bool listed = false;
  bool alive() const { return listed || holders > 0; }
  friend bool operator==(const MemberRecord&, const MemberRecord&) = default;
};
std::string encode_member_record(const MemberRecord& r);
std::optional<MemberRecord> decode_member_record(std::string_view b);

// meta column family.
inline constexpr std::string_view kMetaFormatVersion = "format_version";
inline constexpr std::string_view kMetaSettings = "settings";
inline constexpr std::string_view kMetaMe = "me";
inline constexpr std::string_view kMetaDmSeq = "dm_seq";  // next DM insertion number
inline constexpr std::string_view kMetaSessionPrefix = "session/";
std::string session_key(std::uint32_t shard);
// A shard's gateway session in meta: shard_count (4), has_seq (1), seq (8),
// user id (8), then session_id and resume_gateway_url, each as a 4-byte
// length and its bytes.
struct SessionRecord {
  std::uint32_t shard_count = 1;
  std::optional<std::int64_t> seq;
  std::uint64_t user_id = 0;
  std::string session_id;
  std::string resume_gateway_url;
};
std::string encode_session(const SessionRecord& s);
std::optional<SessionRecord> decode_session(std::string_view b);
// "count/<family>": how many entities the family holds (8-byte count).
std::string count_key(std::string_view family);
std::optional<std::uint32_t> session_shard(std::string_view key);

// The member-list sweep (semantics.md R5), all in meta under "sweep/" | guild:
//   "sweep/" | guild                       the guild's sweep window is open
//                                          (empty value): a large GUILD_CREATE
//                                          opened it, the members and presences
//                                          written since then are marked;
//   "sweep/" | guild | 'm'|'p' | user      such a mark (empty value);
//   "sweep/" | guild | 'c' | nonce         a GUILD_MEMBERS_CHUNK sequence in
//                                          progress (ChunkProgress).
inline constexpr std::string_view kMetaSweepPrefix = "sweep/";
std::string sweep_prefix(Snowflake guild);  // the window key, and prefix of all the rest
enum class SweepMark : char { kMember = 'm', kPresence = 'p' };
std::string sweep_mark(Snowflake guild, SweepMark kind, Snowflake user);
std::string chunk_progress_key(Snowflake guild, std::string_view nonce);
// chunk_count (4), members listed so far (8), not_found seen (1), then one
// bit per chunk index received.
struct ChunkProgress {
  std::uint32_t chunk_count = 0;
  std::uint64_t members = 0;
  bool not_found = false;
  std::string received;  // bitmap, (chunk_count + 7) / 8 bytes
  bool has(std::uint32_t i) const { return (static_cast<unsigned char>(received[i / 8]) >> (i % 8)) & 1U; }
  void set(std::uint32_t i) { received[i / 8] = static_cast<char>(received[i / 8] | (1 << (i % 8))); }
  bool complete() const;
};
ChunkProgress new_chunk_progress(std::uint32_t chunk_count);
std::string encode_chunk_progress(const ChunkProgress& p);
std::optional<ChunkProgress> decode_chunk_progress(std::string_view b);

}  // namespace snowcache::keys

#include "snowcache/settings.h"
namespace snowcache::keys {
// Settings as stored in meta: components, max_messages, max_dm_channel_ids
// (4 bytes BE each), only_my_member (1 byte).
std::string encode_settings(const Settings& s);
std::optional<Settings> decode_settings(std::string_view b);
}  // namespace snowcache::keys
