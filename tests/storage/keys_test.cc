// keys: byte layouts. Randomized order checks (memcmp order of encoded keys
// equals tuple order), boundaries (0, 1, 2^63, max snowflake), prefix
// successors, and the fixed-width records (counts, member records, settings,
// session keys) with their rejection of malformed bytes.
#include "storage/keys.h"

#include <array>
#include <cstdint>
#include <cstring>
#include <limits>
#include <random>
#include <string>
#include <tuple>
#include <vector>

#include <doctest/doctest.h>

namespace snowcache::keys {
namespace {

constexpr std::uint64_t kMax = std::numeric_limits<std::uint64_t>::max();
constexpr std::array<std::uint64_t, 8> kBoundaries = {
    0, 1, 2, (std::uint64_t{1} << 63) - 1, std::uint64_t{1} << 63, (std::uint64_t{1} << 63) + 1, kMax - 1, kMax};

// -1, 0, 1 like memcmp, over unsigned bytes, shorter-is-smaller on a tie.
int bytes_cmp(const std::string& a, const std::string& b) {
  int c = std::memcmp(a.data(), b.data(), std::min(a.size(), b.size()));
  if (c != 0) return c < 0 ? -1 : 1;
  if (a.size() == b.size()) return 0;
  return a.size() < b.size() ? -1 : 1;
}

template <class T>
int tuple_cmp(const T& a, const T& b) {
  if (a < b) return -1;
  if (b < a) return 1;
  return 0;
}

// Snowflakes biased towards the boundaries and towards shared high bytes,
// so that ties in the leading bytes are exercised too.
class Ids {
 public:
  explicit Ids(std::uint64_t seed) : rng_(seed) {}
  std::uint64_t next() {
    switch (rng_() % 4) {
      case 0: return kBoundaries[rng_() % kBoundaries.size()];
      case 1: return rng_() & 0xff;                             // small
      case 2: return (kBoundaries[rng_() % kBoundaries.size()] & ~std::uint64_t{0xff}) | (rng_() & 0xff);
      default: return rng_();
    }
  }
  std::mt19937_64& rng() { return rng_; }

 private:
  std::mt19937_64 rng_;
};

std::string bytes(std::initializer_list<int> bs) {
  std::string s;
  for (int b : bs) s.push_back(static_cast<char>(b));
  return s;
}

TEST_CASE("append_u64 / read_u64 round trip, big-endian") {
  SUBCASE("boundaries") {
    for (std::uint64_t x : kBoundaries) {
      std::string s;
      append_u64(s, x);
      REQUIRE(s.size() == 8);
      CHECK(read_u64(s) == x);
      CHECK(id(Snowflake(x)) == s);
    }
  }
  SUBCASE("byte layout is big-endian") {
    std::string s;
    append_u64(s, 0x0102030405060708ULL);
    CHECK(s == bytes({1, 2, 3, 4, 5, 6, 7, 8}));
    std::string t;
    append_u32(t, 0x0a0b0c0dU);
    CHECK(t == bytes({0x0a, 0x0b, 0x0c, 0x0d}));
    CHECK(read_u32(t) == 0x0a0b0c0dU);
  }
  SUBCASE("random values, at an offset") {
    Ids ids(1);
    for (int i = 0; i < 5000; ++i) {
      std::uint64_t x = ids.next();
      std::uint32_t y = static_cast<std::uint32_t>(ids.rng()());
      std::string s = "pre";
      append_u64(s, x);
      append_u32(s, y);
      REQUIRE(s.size() == 3 + 8 + 4);
      REQUIRE(read_u64(s, 3) == x);
      REQUIRE(read_u32(s, 11) == y);
    }
  }
}

TEST_CASE("id and pair: memcmp order equals numeric / tuple order") {
  Ids ids(0x5eed);
  SUBCASE("all boundary pairs") {
    for (auto a : kBoundaries) {
      for (auto b : kBoundaries) {
        CHECK(bytes_cmp(id(Snowflake(a)), id(Snowflake(b))) == tuple_cmp(a, b));
        for (auto c : kBoundaries) {
          for (auto d : kBoundaries) {
            REQUIRE(bytes_cmp(pair(Snowflake(a), Snowflake(b)), pair(Snowflake(c), Snowflake(d))) ==
                    tuple_cmp(std::tuple(a, b), std::tuple(c, d)));
          }
        }
      }
    }
  }
  SUBCASE("random ids") {
    for (int i = 0; i < 20000; ++i) {
      std::uint64_t a = ids.next(), b = ids.next();
      REQUIRE(bytes_cmp(id(Snowflake(a)), id(Snowflake(b))) == tuple_cmp(a, b));
    }
  }
  SUBCASE("random pairs") {
    for (int i = 0; i < 20000; ++i) {
      std::uint64_t a = ids.next(), b = ids.next(), c = ids.next(), d = ids.next();
      if (i % 3 == 0) c = a;  // equal first component: order decided by the second
      std::string k1 = pair(Snowflake(a), Snowflake(b)), k2 = pair(Snowflake(c), Snowflake(d));
      REQUIRE(k1.size() == 16);
      REQUIRE(bytes_cmp(k1, k2) == tuple_cmp(std::tuple(a, b), std::tuple(c, d)));
      REQUIRE(id_at(k1, 0) == Snowflake(a));
      REQUIRE(id_at(k1, 8) == Snowflake(b));
      REQUIRE(last_id(k1) == Snowflake(b));
    }
  }
}

TEST_CASE("last_id / id_at") {
  CHECK(last_id(id(Snowflake(0))) == Snowflake(0));
  CHECK(last_id(id(Snowflake(kMax))) == Snowflake(kMax));
  std::string k = index_key(IndexTag::kThreadByGuild, Snowflake(7), Snowflake(kMax), id(Snowflake(1ULL << 63)));
  REQUIRE(k.size() == 1 + 3 * kIdSize);
  CHECK(k[0] == 't');
  CHECK(id_at(k, 1) == Snowflake(7));
  CHECK(id_at(k, 1 + kIdSize) == Snowflake(kMax));
  CHECK(id_at(k, 1 + 2 * kIdSize) == Snowflake(1ULL << 63));
  CHECK(last_id(k) == Snowflake(1ULL << 63));
  // An invite code as the entity: the scope ids are still where they were.
  std::string inv = index_key(IndexTag::kInviteByGuild, Snowflake(3), Snowflake(4), "abc");
  CHECK(inv.size() == 1 + 2 * kIdSize + 3);
  CHECK(id_at(inv, 1) == Snowflake(3));
  CHECK(id_at(inv, 1 + kIdSize) == Snowflake(4));
  CHECK(inv.substr(1 + 2 * kIdSize) == "abc");
}

TEST_CASE("index keys: memcmp order equals (tag, scope..., entity) order") {
  constexpr std::array<IndexTag, 9> kTags = {
      IndexTag::kChannelByGuild, IndexTag::kThreadByGuild,  IndexTag::kRoleByGuild,
      IndexTag::kEmojiByGuild,   IndexTag::kStickerByGuild, IndexTag::kInviteByGuild,
      IndexTag::kVoiceByChannel, IndexTag::kMessageByGuild, IndexTag::kMessageByChannel};
  Ids ids(42);
  auto tag = [&] { return kTags[ids.rng()() % kTags.size()]; };
  auto tagc = [](IndexTag t) { return static_cast<unsigned char>(t); };

  SUBCASE("one scope id") {
    for (int i = 0; i < 20000; ++i) {
      IndexTag t1 = tag(), t2 = i % 2 ? t1 : tag();
      std::uint64_t a = ids.next(), b = ids.next(), c = i % 3 ? a : ids.next(), d = ids.next();
      std::string k1 = index_key(t1, Snowflake(a), id(Snowflake(b)));
      std::string k2 = index_key(t2, Snowflake(c), id(Snowflake(d)));
      REQUIRE(k1.size() == 1 + 2 * kIdSize);
      REQUIRE(bytes_cmp(k1, k2) == tuple_cmp(std::tuple(tagc(t1), a, b), std::tuple(tagc(t2), c, d)));
      REQUIRE(k1.starts_with(index_prefix(t1, Snowflake(a))));
      REQUIRE(k1.starts_with(index_prefix(t1)));
      REQUIRE(index_prefix(t1, Snowflake(a)).size() == kIndexPrefixLen);
    }
  }
  SUBCASE("two scope ids") {
    for (int i = 0; i < 20000; ++i) {
      IndexTag t1 = tag(), t2 = i % 2 ? t1 : tag();
      std::uint64_t a = ids.next(), b = ids.next(), e = ids.next();
      std::uint64_t c = i % 3 ? a : ids.next(), d = i % 5 ? b : ids.next(), f = ids.next();
      std::string k1 = index_key(t1, Snowflake(a), Snowflake(b), id(Snowflake(e)));
      std::string k2 = index_key(t2, Snowflake(c), Snowflake(d), id(Snowflake(f)));
      REQUIRE(bytes_cmp(k1, k2) == tuple_cmp(std::tuple(tagc(t1), a, b, e), std::tuple(tagc(t2), c, d, f)));
      REQUIRE(k1.starts_with(index_prefix(t1, Snowflake(a), Snowflake(b))));
      REQUIRE(index_key(t1, Snowflake(a), Snowflake(b), id(Snowflake(e))) ==
              index_key(t1, Snowflake(a), pair(Snowflake(b), Snowflake(e))));
    }
  }
  SUBCASE("keys of one scope lie in [prefix, successor(prefix)), no other key does") {
    for (int i = 0; i < 5000; ++i) {
      IndexTag t = tag();
      std::uint64_t g = ids.next(), other = ids.next(), e = ids.next();
      std::string p = index_prefix(t, Snowflake(g));
      std::string hi = successor(p);
      REQUIRE(!hi.empty());  // the tag byte is never 0xff
      std::string in = index_key(t, Snowflake(g), id(Snowflake(e)));
      REQUIRE(bytes_cmp(p, in) <= 0);
      REQUIRE(bytes_cmp(in, hi) < 0);
      std::string out = index_key(t, Snowflake(other), id(Snowflake(e)));
      bool inside = bytes_cmp(p, out) <= 0 && bytes_cmp(out, hi) < 0;
      REQUIRE(inside == (other == g));
    }
  }
  SUBCASE("tags are distinct") {
    for (std::size_t i = 0; i < kTags.size(); ++i) {
      for (std::size_t j = i + 1; j < kTags.size(); ++j) CHECK(tagc(kTags[i]) != tagc(kTags[j]));
    }
  }
}

TEST_CASE("ref keys") {
  Ids ids(7);
  for (int i = 0; i < 5000; ++i) {
    std::uint64_t a = ids.next(), b = ids.next(), c = ids.next(), d = ids.next();
    std::string u = user_ref(Snowflake(a));
    REQUIRE(u.size() == 1 + kIdSize);
    REQUIRE(u[0] == kUserRefTag);
    REQUIRE(last_id(u) == Snowflake(a));
    REQUIRE(bytes_cmp(u, user_ref(Snowflake(b))) == tuple_cmp(a, b));
    std::string m = member_ref(Snowflake(a), Snowflake(b));
    REQUIRE(m.size() == 1 + 2 * kIdSize);
    REQUIRE(m[0] == kMemberRefTag);
    REQUIRE(id_at(m, 1) == Snowflake(a));
    REQUIRE(last_id(m) == Snowflake(b));
    REQUIRE(bytes_cmp(m, member_ref(Snowflake(c), Snowflake(d))) == tuple_cmp(std::tuple(a, b), std::tuple(c, d)));
    // The two record kinds never interleave: every user ref sorts on one side
    // of every member ref.
    REQUIRE(bytes_cmp(u, member_ref(Snowflake(c), Snowflake(d))) ==
            tuple_cmp(static_cast<unsigned char>(kUserRefTag), static_cast<unsigned char>(kMemberRefTag)));
  }
}

TEST_CASE("successor") {
  SUBCASE("fixed cases") {
    CHECK(successor("") == "");
    CHECK(successor("\xff") == "");
    CHECK(successor("\xff\xff") == "");
    CHECK(successor("a") == "b");
    CHECK(successor("a\xff") == "b");
    CHECK(successor("ab\xff\xff") == "ac");
    CHECK(successor(bytes({0})) == bytes({1}));
    CHECK(successor(bytes({0x12, 0xfe})) == bytes({0x12, 0xff}));
    CHECK(successor(bytes({0x12, 0xfe, 0xff})) == bytes({0x12, 0xff}));
    CHECK(successor(id(Snowflake(kMax))) == "");
    CHECK(successor(id(Snowflake(0))) == bytes({0, 0, 0, 0, 0, 0, 0, 1}));
    CHECK(successor(id(Snowflake(0xffULL))) == bytes({0, 0, 0, 0, 0, 0, 1}));
  }
  SUBCASE("every key with the prefix sorts below the successor, including prefix + 0xff...") {
    for (std::string p : {std::string("a"), std::string("a\xff"), bytes({0x00}), bytes({0x7f, 0xff}),
                          id(Snowflake(1ULL << 63)), id(Snowflake(kMax - 1))}) {
      std::string hi = successor(p);
      REQUIRE(!hi.empty());
      CHECK(bytes_cmp(p, hi) < 0);
      for (std::size_t n : {1, 2, 8, 64}) {
        std::string k = p + std::string(n, '\xff');
        CHECK(bytes_cmp(k, hi) < 0);
      }
    }
  }
  SUBCASE("random: k starts with p iff p <= k < successor(p)") {
    // A small alphabet with both extremes makes shared prefixes and 0xff
    // runs common.
    constexpr std::array<unsigned char, 5> kAlphabet = {0x00, 0x01, 0x61, 0xfe, 0xff};
    std::mt19937_64 rng(99);
    auto random_string = [&](std::size_t max_len) {
      std::string s(rng() % (max_len + 1), '\0');
      for (auto& c : s) c = static_cast<char>(kAlphabet[rng() % kAlphabet.size()]);
      return s;
    };
    for (int i = 0; i < 20000; ++i) {
      std::string p = random_string(4);
      std::string k = i % 2 ? p + random_string(5) : random_string(8);
      std::string hi = successor(p);
      bool all_ff = p.find_first_not_of('\xff') == std::string::npos;  // true for "" too
      REQUIRE(hi.empty() == all_ff);
      bool in_range = bytes_cmp(p, k) <= 0 && (hi.empty() || bytes_cmp(k, hi) < 0);
      REQUIRE_MESSAGE(in_range == k.starts_with(p), "p.size()=" << p.size() << " k.size()=" << k.size());
      if (!hi.empty()) {
        // The successor itself is outside the prefix and above it.
        REQUIRE(!hi.starts_with(p));
        REQUIRE(bytes_cmp(p, hi) < 0);
        REQUIRE(hi.size() <= p.size());
      }
    }
  }
}

TEST_CASE("counts: 8 bytes, two's complement") {
  for (std::int64_t n : {std::int64_t{0}, std::int64_t{1}, std::int64_t{-1}, std::int64_t{255}, std::int64_t{256},
                         std::numeric_limits<std::int64_t>::max(), std::numeric_limits<std::int64_t>::min()}) {
    std::string e = encode_count(n);
    REQUIRE(e.size() == 8);
    auto d = decode_count(e);
    REQUIRE(d.has_value());
    CHECK(*d == n);
  }
  CHECK(encode_count(-1) == std::string(8, '\xff'));
  CHECK(encode_count(1) == bytes({0, 0, 0, 0, 0, 0, 0, 1}));
  std::mt19937_64 rng(3);
  for (int i = 0; i < 5000; ++i) {
    auto n = static_cast<std::int64_t>(rng());
    REQUIRE(decode_count(encode_count(n)) == n);
  }
  SUBCASE("wrong length is rejected") {
    CHECK_FALSE(decode_count("").has_value());
    CHECK_FALSE(decode_count(std::string(7, '\0')).has_value());
    CHECK_FALSE(decode_count(std::string(9, '\0')).has_value());
    CHECK_FALSE(decode_count(encode_count(5) + "x").has_value());
  }
}

TEST_CASE("member records") {
  for (std::uint32_t holders : {0u, 1u, 2u, 0x01020304u, std::numeric_limits<std::uint32_t>::max()}) {
    for (bool listed : {false, true}) {
      MemberRecord r{holders, listed};
      std::string e = encode_member_record(r);
      REQUIRE(e.size() == 5);
      auto d = decode_member_record(e);
      REQUIRE(d.has_value());
      CHECK(*d == r);
      CHECK(d->alive() == (listed || holders > 0));
    }
  }
  CHECK(encode_member_record({0x01020304u, true}) == bytes({1, 2, 3, 4, 1}));
  SUBCASE("malformed records are rejected") {
    CHECK_FALSE(decode_member_record("").has_value());
    CHECK_FALSE(decode_member_record(bytes({0, 0, 0, 1})).has_value());           // too short
    CHECK_FALSE(decode_member_record(bytes({0, 0, 0, 1, 1, 0})).has_value());     // too long
    CHECK_FALSE(decode_member_record(bytes({0, 0, 0, 1, 2})).has_value());        // bad flag
    CHECK_FALSE(decode_member_record(bytes({0, 0, 0, 1, 0xff})).has_value());     // bad flag
    CHECK(decode_member_record(bytes({0, 0, 0, 0, 0})) == MemberRecord{0, false});
  }
}

TEST_CASE("settings round trip and malformed settings") {
  SUBCASE("defaults and extremes") {
    Settings d;
    auto e = encode_settings(d);
    CHECK(e.size() == 13);
    CHECK(decode_settings(e) == d);
    Settings x;
    x.components = Components::kNone;
    x.max_messages = 0;
    x.max_dm_channel_ids = std::numeric_limits<std::uint32_t>::max();
    x.only_my_member = true;
    CHECK(decode_settings(encode_settings(x)) == x);
    x.components = Components::kAll;
    x.max_messages = std::numeric_limits<std::uint32_t>::max();
    x.max_dm_channel_ids = 0;
    CHECK(decode_settings(encode_settings(x)) == x);
  }
  SUBCASE("random settings") {
    std::mt19937_64 rng(11);
    for (int i = 0; i < 5000; ++i) {
      Settings s;
      s.components = static_cast<Components>(rng() % 8192);
      s.max_messages = static_cast<std::uint32_t>(rng());
      s.max_dm_channel_ids = static_cast<std::uint32_t>(rng());
      s.only_my_member = rng() % 2;
      auto d = decode_settings(encode_settings(s));
      REQUIRE(d.has_value());
      REQUIRE(*d == s);
    }
  }
  SUBCASE("malformed settings are rejected") {
    std::string good = encode_settings(Settings{});
    CHECK_FALSE(decode_settings("").has_value());
    CHECK_FALSE(decode_settings(good.substr(0, 12)).has_value());
    CHECK_FALSE(decode_settings(good + '\0').has_value());
    std::string bad_flag = good;
    bad_flag[12] = 2;
    CHECK_FALSE(decode_settings(bad_flag).has_value());
    // A component bit above ALL (8191) is not a setting this build knows.
    std::string bad_components = good;
    bad_components.replace(0, 4, bytes({0, 0, 0x20, 0}));  // 8192
    CHECK_FALSE(decode_settings(bad_components).has_value());
    bad_components.replace(0, 4, bytes({0xff, 0xff, 0xff, 0xff}));
    CHECK_FALSE(decode_settings(bad_components).has_value());
  }
}

TEST_CASE("session keys") {
  for (std::uint32_t shard : {0u, 1u, 255u, 256u, 0x7fffffffu, std::numeric_limits<std::uint32_t>::max()}) {
    std::string k = session_key(shard);
    CHECK(k.starts_with(kMetaSessionPrefix));
    CHECK(k.size() == kMetaSessionPrefix.size() + 4);
    CHECK(session_shard(k) == shard);
  }
  std::mt19937_64 rng(5);
  for (int i = 0; i < 5000; ++i) {
    auto a = static_cast<std::uint32_t>(rng()), b = static_cast<std::uint32_t>(rng());
    REQUIRE(session_shard(session_key(a)) == a);
    // Sessions sort by shard number.
    REQUIRE(bytes_cmp(session_key(a), session_key(b)) == tuple_cmp(a, b));
  }
  SUBCASE("foreign keys are rejected") {
    CHECK_FALSE(session_shard("").has_value());
    CHECK_FALSE(session_shard(kMetaSessionPrefix).has_value());
    CHECK_FALSE(session_shard(std::string(kMetaSessionPrefix) + "abc").has_value());    // too short
    CHECK_FALSE(session_shard(session_key(1) + "x").has_value());                        // too long
    CHECK_FALSE(session_shard(std::string("sessionX") + bytes({0, 0, 0, 1})).has_value());  // wrong prefix
    CHECK_FALSE(session_shard(std::string("Session/") + bytes({0, 0, 0, 1})).has_value());
    CHECK_FALSE(session_shard(kMetaSettings).has_value());
    CHECK_FALSE(session_shard(kMetaFormatVersion).has_value());
    CHECK_FALSE(session_shard(count_key("guilds")).has_value());
    CHECK_FALSE(session_shard("count/abcdef").has_value());  // 12 bytes like a session key, other prefix
  }
  CHECK(count_key("guilds") == "count/guilds");
}

TEST_CASE("index keys parse back into tag, scope ids and entity key; entity_offset says where the entity starts") {
  Ids ids(11);
  for (int i = 0; i < 5000; ++i) {
    for (IndexTag t : kIndexTags) {
      Snowflake a(ids.next()), b(ids.next()), e(ids.next());
      const bool two = scope_count(t) == 2;
      std::string entity = t == IndexTag::kInviteByGuild ? "code" + std::to_string(i) : id(e);
      std::string k = t == IndexTag::kVoiceByChannel ? voice_index_key(a, b, e)
                      : two                          ? index_key(t, a, b, entity)
                                                     : index_key(t, a, entity);
      if (t == IndexTag::kVoiceByChannel) entity = pair(a, e);  // a voice state's key is guild | user
      auto parsed = parse_index_key(k);
      REQUIRE(parsed.has_value());
      REQUIRE(parsed->tag == t);
      REQUIRE(parsed->scope[0] == a);
      if (two) REQUIRE(parsed->scope[1] == b);
      REQUIRE(parsed->entity == entity);
      REQUIRE(indexed_entity(k) == entity);
      REQUIRE(first_scope(k) == a);
      REQUIRE(k.size() >= entity_offset(t));
      REQUIRE(k.starts_with(two ? index_prefix(t, a, b) : index_prefix(t, a)));
    }
  }
  SUBCASE("describe_index: tag, scope ids and entity as text") {
    CHECK(describe_index(index_key(IndexTag::kRoleByGuild, Snowflake(1), id(Snowflake(2)))) == "r|1|2");
    CHECK(describe_index(index_key(IndexTag::kInviteByGuild, Snowflake(1), Snowflake(2), "abc")) == "i|1|2|abc");
    CHECK(describe_index(voice_index_key(Snowflake(1), Snowflake(2), Snowflake(3))) == "v|1|2|3");
  }
  SUBCASE("malformed index keys are rejected, and described in hex") {
    std::string good = index_key(IndexTag::kRoleByGuild, Snowflake(1), id(Snowflake(2)));
    CHECK_FALSE(parse_index_key("").has_value());
    CHECK_FALSE(parse_index_key(good.substr(0, good.size() - 1)).has_value());  // short
    CHECK_FALSE(parse_index_key(good + "x").has_value());                        // long
    CHECK_FALSE(parse_index_key("z" + good.substr(1)).has_value());              // unknown tag
    CHECK_FALSE(parse_index_key(index_prefix(IndexTag::kInviteByGuild, Snowflake(1), Snowflake(2))).has_value());
    CHECK(describe_index("z") == hex("z"));
  }
}

TEST_CASE("entity keys as text parts and back, for every shape; one describe") {
  Ids ids(13);
  constexpr std::array<std::string_view, 1> kOne = {"id"};
  constexpr std::array<std::string_view, 2> kTwo = {"guild id", "user id"};
  constexpr std::array<std::string_view, 1> kCodeName = {"code"};
  for (int i = 0; i < 5000; ++i) {
    Snowflake a(ids.next()), b(ids.next());
    auto one = key_parts(KeyShape::kId, id(a));
    REQUIRE(one == std::vector<std::string>{a.to_string()});
    REQUIRE(key_from_parts(KeyShape::kId, "guild", kOne, *one).value() == id(a));
    auto two = key_parts(KeyShape::kPair, pair(a, b));
    REQUIRE(two == std::vector<std::string>{a.to_string(), b.to_string()});
    REQUIRE(key_from_parts(KeyShape::kPair, "member", kTwo, *two).value() == pair(a, b));
    REQUIRE(describe("member", KeyShape::kPair, pair(a, b)) == "member " + a.to_string() + "/" + b.to_string());
  }
  auto code = key_parts(KeyShape::kCode, "Zed-1");
  REQUIRE(code == std::vector<std::string>{"Zed-1"});
  CHECK(key_from_parts(KeyShape::kCode, "invite", kCodeName, *code).value() == "Zed-1");
  CHECK(describe("invite", KeyShape::kCode, "abc") == "invite abc");

  SUBCASE("malformed keys and parts") {
    CHECK_FALSE(well_formed(KeyShape::kId, pair(Snowflake(1), Snowflake(2))));
    CHECK_FALSE(well_formed(KeyShape::kPair, id(Snowflake(1))));
    CHECK_FALSE(well_formed(KeyShape::kCode, ""));
    CHECK_FALSE(key_parts(KeyShape::kId, "abc").has_value());
    CHECK(describe("guild", KeyShape::kId, "abc") == "guild " + hex("abc"));
    auto wrong_count = key_from_parts(KeyShape::kPair, "member", kTwo, {"1"});
    REQUIRE_FALSE(wrong_count.ok());
    CHECK(wrong_count.status().message() == "member key: expected 2 parts (guild id, user id), got 1");
    auto not_id = key_from_parts(KeyShape::kId, "guild", kOne, {"x1"});
    REQUIRE_FALSE(not_id.ok());
    CHECK(not_id.status().message() == "guild key part 1 (id): not a snowflake: \"x1\"");
    CHECK_FALSE(key_from_parts(KeyShape::kCode, "invite", kCodeName, {""}).ok());
  }
}

TEST_CASE("ref keys parse back") {
  Ids ids(17);
  for (int i = 0; i < 5000; ++i) {
    Snowflake a(ids.next()), b(ids.next());
    auto u = parse_ref_key(user_ref(a));
    REQUIRE(u.has_value());
    REQUIRE_FALSE(u->member);
    REQUIRE(u->user == a);
    auto m = parse_ref_key(member_ref(a, b));
    REQUIRE(m.has_value());
    REQUIRE(m->member);
    REQUIRE(m->guild == a);
    REQUIRE(m->user == b);
  }
  CHECK_FALSE(parse_ref_key("").has_value());
  CHECK_FALSE(parse_ref_key(user_ref(Snowflake(1)) + "x").has_value());
  CHECK_FALSE(parse_ref_key("x" + id(Snowflake(1))).has_value());
}

}  // namespace
}  // namespace snowcache::keys
