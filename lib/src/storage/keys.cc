#include "storage/keys.h"

#include <algorithm>

namespace snowcache::keys {

void append_u64(std::string& out, std::uint64_t v) {
  for (int shift = 56; shift >= 0; shift -= 8) out.push_back(static_cast<char>((v >> shift) & 0xff));
}

void append_u32(std::string& out, std::uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<char>((v >> shift) & 0xff));
}

std::uint64_t read_u64(std::string_view b, std::size_t offset) {
  std::uint64_t v = 0;
  for (std::size_t i = 0; i < 8; ++i) v = (v << 8) | static_cast<unsigned char>(b[offset + i]);
  return v;
}

std::uint32_t read_u32(std::string_view b, std::size_t offset) {
  std::uint32_t v = 0;
  for (std::size_t i = 0; i < 4; ++i) v = (v << 8) | static_cast<unsigned char>(b[offset + i]);
  return v;
}

std::string id(Snowflake a) {
  std::string k;
  k.reserve(kIdSize);
  append_u64(k, a.value());
  return k;
}

std::string pair(Snowflake a, Snowflake b) {
  std::string k;
  k.reserve(2 * kIdSize);
  append_u64(k, a.value());
  append_u64(k, b.value());
  return k;
}

namespace {
void put_u64(char* p, std::uint64_t v) {
  for (int i = 0; i < 8; ++i) p[i] = static_cast<char>((v >> (56 - 8 * i)) & 0xff);
}
}  // namespace

InlineKey inline_id(Snowflake a) {
  InlineKey k{};
  put_u64(k.bytes, a.value());
  k.size = kIdSize;
  return k;
}

InlineKey inline_pair(Snowflake a, Snowflake b) {
  InlineKey k{};
  put_u64(k.bytes, a.value());
  put_u64(k.bytes + kIdSize, b.value());
  k.size = 2 * kIdSize;
  return k;
}

Snowflake last_id(std::string_view key) { return Snowflake(read_u64(key, key.size() - kIdSize)); }

Snowflake id_at(std::string_view key, std::size_t offset) { return Snowflake(read_u64(key, offset)); }

std::string successor(std::string_view prefix) {
  std::string s(prefix);
  while (!s.empty()) {
    auto c = static_cast<unsigned char>(s.back());
    if (c != 0xff) {
      s.back() = static_cast<char>(c + 1);
      return s;
    }
    s.pop_back();
  }
  return s;
}

std::string index_prefix(IndexTag tag) { return std::string(1, static_cast<char>(tag)); }

std::string index_prefix(IndexTag tag, Snowflake a) {
  std::string k = index_prefix(tag);
  append_u64(k, a.value());
  return k;
}

std::string index_prefix(IndexTag tag, Snowflake a, Snowflake b) {
  std::string k = index_prefix(tag, a);
  append_u64(k, b.value());
  return k;
}

std::string index_key(IndexTag tag, Snowflake a, std::string_view entity) {
  std::string k = index_prefix(tag, a);
  k.append(entity);
  return k;
}

std::string index_key(IndexTag tag, Snowflake a, Snowflake b, std::string_view entity) {
  std::string k = index_prefix(tag, a, b);
  k.append(entity);
  return k;
}

std::string voice_index_key(Snowflake guild, Snowflake channel, Snowflake user) {
  return index_key(IndexTag::kVoiceByChannel, guild, channel, id(user));
}

void indexed_entity(std::string_view index_key, std::string& out) {
  auto tag = static_cast<IndexTag>(index_key[0]);
  std::string_view entity = index_key.substr(entity_offset(tag));
  out.clear();
  if (tag == IndexTag::kVoiceByChannel) out.append(index_key.substr(1, kIdSize));  // the guild
  out.append(entity);
}

std::string indexed_entity(std::string_view index_key) {
  std::string out;
  indexed_entity(index_key, out);
  return out;
}

std::optional<IndexKey> parse_index_key(std::string_view key) {
  if (key.empty()) return std::nullopt;
  auto tag = static_cast<IndexTag>(key[0]);
  if (std::find(std::begin(kIndexTags), std::end(kIndexTags), tag) == std::end(kIndexTags)) return std::nullopt;
  const std::size_t at = entity_offset(tag);
  // The entity part: an id, or a non-empty invite code.
  if (tag == IndexTag::kInviteByGuild ? key.size() <= at : key.size() != at + kIdSize) return std::nullopt;
  IndexKey out{tag, {}, {}};
  for (std::size_t i = 0; i < scope_count(tag); ++i) out.scope[i] = id_at(key, 1 + i * kIdSize);
  out.entity = indexed_entity(key);
  return out;
}

std::string describe_index(std::string_view key) {
  auto parsed = parse_index_key(key);
  if (!parsed) return hex(key);
  std::string out(1, key[0]);
  for (std::size_t i = 0; i < scope_count(parsed->tag); ++i) out += "|" + parsed->scope[i].to_string();
  std::string_view entity = key.substr(entity_offset(parsed->tag));
  out += "|";
  out += parsed->tag == IndexTag::kInviteByGuild ? std::string(entity) : id_at(entity, 0).to_string();
  return out;
}

bool well_formed(KeyShape shape, std::string_view key) {
  switch (shape) {
    case KeyShape::kId: return key.size() == kIdSize;
    case KeyShape::kPair: return key.size() == 2 * kIdSize;
    case KeyShape::kCode: return !key.empty();
  }
  return false;
}

std::optional<std::vector<std::string>> key_parts(KeyShape shape, std::string_view key) {
  if (!well_formed(shape, key)) return std::nullopt;
  if (shape == KeyShape::kCode) return std::vector<std::string>{std::string(key)};
  std::vector<std::string> out;
  for (std::size_t off = 0; off < key.size(); off += kIdSize) out.push_back(id_at(key, off).to_string());
  return out;
}

Result<std::string> key_from_parts(KeyShape shape, std::string_view kind, std::span<const std::string_view> names,
                                   const std::vector<std::string>& parts) {
  auto invalid = [&](const std::string& what) { return Status::InvalidArgument(std::string(kind) + " key" + what); };
  if (parts.size() != names.size()) {
    std::string all;
    for (auto n : names) all += (all.empty() ? "" : ", ") + std::string(n);
    return invalid(": expected " + std::to_string(names.size()) + (names.size() == 1 ? " part (" : " parts (") + all +
                   "), got " + std::to_string(parts.size()));
  }
  auto part = [&](std::size_t i) { return " part " + std::to_string(i + 1) + " (" + std::string(names[i]) + ")"; };
  if (shape == KeyShape::kCode) {
    if (parts[0].empty()) return invalid(part(0) + ": empty");
    return parts[0];
  }
  std::string key;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    auto v = Snowflake::parse(parts[i]);
    if (!v) return invalid(part(i) + ": not a snowflake: \"" + parts[i] + "\"");
    append_u64(key, v->value());
  }
  return key;
}

std::string describe(std::string_view kind, KeyShape shape, std::string_view key) {
  std::string out(kind);
  out += " ";
  auto parts = key_parts(shape, key);
  if (!parts) return out + hex(key);
  for (std::size_t i = 0; i < parts->size(); ++i) out += (i ? "/" : "") + (*parts)[i];
  return out;
}

std::string user_ref(Snowflake user) {
  std::string k(1, kUserRefTag);
  append_u64(k, user.value());
  return k;
}

std::string member_ref(Snowflake guild, Snowflake user) {
  std::string k(1, kMemberRefTag);
  append_u64(k, guild.value());
  append_u64(k, user.value());
  return k;
}

std::optional<RefKey> parse_ref_key(std::string_view key) {
  if (key.size() == 1 + kIdSize && key[0] == kUserRefTag) return RefKey{false, Snowflake(), id_at(key, 1)};
  if (key.size() == 1 + 2 * kIdSize && key[0] == kMemberRefTag) {
    return RefKey{true, id_at(key, 1), id_at(key, 1 + kIdSize)};
  }
  return std::nullopt;
}

std::string encode_count(std::int64_t n) {
  std::string s;
  append_u64(s, static_cast<std::uint64_t>(n));
  return s;
}

std::optional<std::int64_t> decode_count(std::string_view b) {
  if (b.size() != 8) return std::nullopt;
  return static_cast<std::int64_t>(read_u64(b));
}

std::string encode_member_record(const MemberRecord& r) {
  std::string s;
  append_u32(s, r.holders);
  s.push_back(r.listed ? 1 : 0);
  return s;
}

std::optional<MemberRecord> decode_member_record(std::string_view b) {
  if (b.size() != 5 || static_cast<unsigned char>(b[4]) > 1) return std::nullopt;
  return MemberRecord{read_u32(b), b[4] == 1};
}

std::string session_key(std::uint32_t shard) {
  std::string k(kMetaSessionPrefix);
  append_u32(k, shard);
  return k;
}

std::string count_key(std::string_view family) { return "count/" + std::string(family); }

std::string hex(std::string_view b) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out = "0x";
  for (unsigned char c : b) {
    out.push_back(kDigits[c >> 4]);
    out.push_back(kDigits[c & 15]);
  }
  return out;
}

std::string sweep_prefix(Snowflake guild) {
  std::string k(kMetaSweepPrefix);
  append_u64(k, guild.value());
  return k;
}

std::string sweep_mark(Snowflake guild, SweepMark kind, Snowflake user) {
  std::string k = sweep_prefix(guild);
  k.push_back(static_cast<char>(kind));
  append_u64(k, user.value());
  return k;
}

std::string chunk_progress_key(Snowflake guild, std::string_view nonce) {
  std::string k = sweep_prefix(guild);
  k.push_back('c');
  k.append(nonce);
  return k;
}

bool ChunkProgress::complete() const {
  for (std::uint32_t i = 0; i < chunk_count; ++i) {
    if (!has(i)) return false;
  }
  return true;
}

ChunkProgress new_chunk_progress(std::uint32_t chunk_count) {
  ChunkProgress p;
  p.chunk_count = chunk_count;
  p.received.assign((chunk_count + 7) / 8, '\0');
  return p;
}

std::string encode_chunk_progress(const ChunkProgress& p) {
  std::string out;
  append_u32(out, p.chunk_count);
  append_u64(out, p.members);
  out.push_back(p.not_found ? 1 : 0);
  out += p.received;
  return out;
}

std::optional<ChunkProgress> decode_chunk_progress(std::string_view b) {
  if (b.size() < 13) return std::nullopt;
  ChunkProgress p;
  p.chunk_count = read_u32(b, 0);
  p.members = read_u64(b, 4);
  if (static_cast<unsigned char>(b[12]) > 1) return std::nullopt;
  p.not_found = b[12] == 1;
  p.received = std::string(b.substr(13));
  if (p.received.size() != (static_cast<std::size_t>(p.chunk_count) + 7) / 8) return std::nullopt;
  return p;
}

std::string encode_session(const SessionRecord& s) {
  std::string out;
  append_u32(out, s.shard_count);
  out.push_back(s.seq ? 1 : 0);
  append_u64(out, static_cast<std::uint64_t>(s.seq.value_or(0)));
  append_u64(out, s.user_id);
  append_u32(out, static_cast<std::uint32_t>(s.session_id.size()));
  out += s.session_id;
  append_u32(out, static_cast<std::uint32_t>(s.resume_gateway_url.size()));
  out += s.resume_gateway_url;
  return out;
}

std::optional<SessionRecord> decode_session(std::string_view b) {
  SessionRecord s;
  if (b.size() < 4 + 1 + 8 + 8 + 4 || static_cast<unsigned char>(b[4]) > 1) return std::nullopt;
  s.shard_count = read_u32(b, 0);
  if (b[4] == 1) s.seq = static_cast<std::int64_t>(read_u64(b, 5));
  s.user_id = read_u64(b, 13);
  std::size_t pos = 21;
  for (std::string* str : {&s.session_id, &s.resume_gateway_url}) {
    if (b.size() < pos + 4) return std::nullopt;
    std::uint32_t n = read_u32(b, pos);
    pos += 4;
    if (b.size() < pos + n) return std::nullopt;
    str->assign(b.substr(pos, n));
    pos += n;
  }
  if (pos != b.size()) return std::nullopt;
  return s;
}

std::optional<std::uint32_t> session_shard(std::string_view key) {
  if (key.size() != kMetaSessionPrefix.size() + 4 || !key.starts_with(kMetaSessionPrefix)) return std::nullopt;
  return read_u32(key, kMetaSessionPrefix.size());
}

}  // namespace snowcache::keys

namespace snowcache::keys {

std::string encode_settings(const Settings& s) {
  std::string out;
  append_u32(out, static_cast<std::uint32_t>(s.components));
  append_u32(out, s.max_messages);
  append_u32(out, s.max_dm_channel_ids);
  out.push_back(s.only_my_member ? 1 : 0);
  return out;
}

std::optional<Settings> decode_settings(std::string_view b) {
  if (b.size() != 13 || static_cast<unsigned char>(b[12]) > 1) return std::nullopt;
  Settings s;
  std::uint32_t comps = read_u32(b, 0);
  if (comps > static_cast<std::uint32_t>(Components::kAll)) return std::nullopt;
  s.components = static_cast<Components>(comps);
  s.max_messages = read_u32(b, 4);
  s.max_dm_channel_ids = read_u32(b, 8);
  s.only_my_member = b[12] == 1;
  return s;
}

}  // namespace snowcache::keys
