#include "json/json_fb.h"

#include <algorithm>
#include <charconv>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <unordered_map>
#include <vector>

#include "model/kinds.h"
#include "own_user_generated.h"
#include "snowcache/snowflake.h"

namespace snowcache::detail {

namespace {

using flatbuffers::ElementaryType;
using flatbuffers::TypeTable;

// How a JSON key maps to a field.
enum class Map : std::uint8_t {
  kSame,        // same name, same shape
  kObjectId,    // {"id": ...} object -> the id, into a ulong field
  kPresentFlag, // Discord's "key present (value null) means true"
  kOverwriteType, // 0 / 1, or API v6's "role" / "member"
};

struct Rename {
  const TypeTable* (*table)();
  std::string_view json;
  std::string_view field;
  Map map;
};

// Where Discord's JSON and the schemas differ.
const Rename kRenames[] = {
    {fb::PresenceTypeTable, "user", "user_id", Map::kObjectId},
    {fb::InviteTypeTable, "guild", "guild_id", Map::kObjectId},
    {fb::InviteTypeTable, "channel", "channel_id", Map::kObjectId},
    {fb::InviteTypeTable, "target_application", "target_application_id", Map::kObjectId},
    {fb::EmbedFieldTypeTable, "inline", "inline_", Map::kSame},
    {fb::RoleTagsTypeTable, "premium_subscriber", "premium_subscriber", Map::kPresentFlag},
    {fb::RoleTagsTypeTable, "available_for_purchase", "available_for_purchase", Map::kPresentFlag},
    {fb::RoleTagsTypeTable, "guild_connections", "guild_connections", Map::kPresentFlag},
    {fb::PermissionOverwriteTypeTable, "type", "type", Map::kOverwriteType},
};

// Keys whose explicit null Discord gives a meaning of its own, kept in a bool
// field: a reply's "referenced_message": null says its parent was deleted.
struct NullFlag {
  const TypeTable* (*table)();
  std::string_view json;
  std::string_view field;
};
const NullFlag kNullFlags[] = {
    {fb::MessageTypeTable, "referenced_message", "referenced_message_deleted"},
};

struct FieldRef {
  int index = -1;
  Map map = Map::kSame;
  int null_flag = -1;  // the field set to true when the JSON value is null
};

// Per table: JSON key -> field, built once.
class FieldIndex {
 public:
  explicit FieldIndex(const TypeTable* tt) {
    for (std::size_t i = 0; i < tt->num_elems; ++i) by_name_.emplace(tt->names[i], FieldRef{static_cast<int>(i), Map::kSame});
    for (const auto& r : kRenames) {
      if (r.table() != tt) continue;
      int i = -1;
      for (std::size_t j = 0; j < tt->num_elems; ++j) {
        if (r.field == tt->names[j]) i = static_cast<int>(j);
      }
      // The field's own name stays mapped too: Discord sends both shapes
      // (INVITE_CREATE has a flat `guild_id`, a REST invite `guild: {id}`).
      by_name_[std::string(r.json)] = FieldRef{i, r.map};
    }
    for (const auto& n : kNullFlags) {
      if (n.table() != tt) continue;
      auto it = by_name_.find(n.json);
      if (it != by_name_.end()) it->second.null_flag = find_field(n.field, tt);
    }
  }
  FieldRef find(std::string_view key) const {
    auto it = by_name_.find(key);
    return it == by_name_.end() ? FieldRef{} : it->second;
  }
  int find_field(std::string_view name, const TypeTable* tt) const {
    for (std::size_t j = 0; j < tt->num_elems; ++j) {
      if (name == tt->names[j]) return static_cast<int>(j);
    }
    return -1;
  }

 private:
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  std::unordered_map<std::string, FieldRef, Hash, std::equal_to<>> by_name_;
};

const FieldIndex& index_of(const TypeTable* tt) {
  static std::shared_mutex mu;
  static std::unordered_map<const TypeTable*, std::unique_ptr<FieldIndex>> all;
  {
    std::shared_lock lock(mu);
    if (auto it = all.find(tt); it != all.end()) return *it->second;
  }
  std::unique_lock lock(mu);
  auto& slot = all[tt];
  if (!slot) slot = std::make_unique<FieldIndex>(tt);
  return *slot;
}

Status bad(const std::string& path, std::string_view what) {
  return Status::InvalidArgument(path + ": " + std::string(what));
}

// One parsed field, added once the table starts.
struct Pending {
  std::uint16_t field;
  ElementaryType type;
  bool is_offset;
  std::uint64_t bits;  // scalar value (integers, bools) or offset
  double real;
};

Result<std::int64_t> json_int(od::value v, const std::string& path) {
  od::json_type t;
  if (auto e = v.type().get(t)) return json_error(e, path);
  if (t == od::json_type::number) {
    std::int64_t i;
    if (v.get_int64().get(i) == simdjson::SUCCESS) return i;
    double d;
    if (auto e = v.get_double().get(d)) return json_error(e, path);
    if (d != static_cast<double>(static_cast<std::int64_t>(d))) return bad(path, "expected an integer");
    return static_cast<std::int64_t>(d);
  }
  if (t == od::json_type::string) {
    // Some integers arrive as strings (permissions in old API versions).
    std::string_view s;
    if (auto e = v.get_string().get(s)) return json_error(e, path);
    std::int64_t i = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), i);
    if (ec != std::errc() || p != s.data() + s.size()) return bad(path, "expected an integer, got \"" + std::string(s) + "\"");
    return i;
  }
  return bad(path, "expected an integer");
}

Result<Pending> scalar(ElementaryType et, std::uint16_t field, od::value v, const std::string& path) {
  Pending p{field, et, false, 0, 0};
  switch (et) {
    case ElementaryType::ET_BOOL: {
      bool b;
      if (auto e = v.get_bool().get(b)) return json_error(e, path);
      p.bits = b ? 1 : 0;
      return p;
    }
    case ElementaryType::ET_ULONG: {
      auto s = json_snowflake(v, path);
      if (!s.ok()) return s.status();
      p.bits = *s;
      return p;
    }
    case ElementaryType::ET_FLOAT:
    case ElementaryType::ET_DOUBLE: {
      if (auto e = v.get_double().get(p.real)) return json_error(e, path);
      return p;
    }
    case ElementaryType::ET_CHAR:
    case ElementaryType::ET_UCHAR:
    case ElementaryType::ET_SHORT:
    case ElementaryType::ET_USHORT:
    case ElementaryType::ET_INT:
    case ElementaryType::ET_UINT:
    case ElementaryType::ET_LONG: {
      auto i = json_int(v, path);
      if (!i.ok()) return i.status();
      std::int64_t x = *i;
      std::int64_t lo = 0, hi = 0;
      switch (et) {
        case ElementaryType::ET_CHAR: lo = INT8_MIN, hi = INT8_MAX; break;
        case ElementaryType::ET_UCHAR: lo = 0, hi = UINT8_MAX; break;
        case ElementaryType::ET_SHORT: lo = INT16_MIN, hi = INT16_MAX; break;
        case ElementaryType::ET_USHORT: lo = 0, hi = UINT16_MAX; break;
        case ElementaryType::ET_INT: lo = INT32_MIN, hi = INT32_MAX; break;
        case ElementaryType::ET_UINT: lo = 0, hi = UINT32_MAX; break;
        default: lo = INT64_MIN, hi = INT64_MAX; break;
      }
      if (x < lo || x > hi) return bad(path, "integer out of range");
      p.bits = static_cast<std::uint64_t>(x);
      return p;
    }
    default:
      return bad(path, "unsupported field type");
  }
}

void add_scalar(flatbuffers::FlatBufferBuilder& fbb, const Pending& p) {
  auto off = flatbuffers::FieldIndexToOffset(p.field);
  switch (p.type) {
    case ElementaryType::ET_BOOL: fbb.AddElement<std::uint8_t>(off, static_cast<std::uint8_t>(p.bits)); break;
    case ElementaryType::ET_CHAR: fbb.AddElement<std::int8_t>(off, static_cast<std::int8_t>(p.bits)); break;
    case ElementaryType::ET_UCHAR: fbb.AddElement<std::uint8_t>(off, static_cast<std::uint8_t>(p.bits)); break;
    case ElementaryType::ET_SHORT: fbb.AddElement<std::int16_t>(off, static_cast<std::int16_t>(p.bits)); break;
    case ElementaryType::ET_USHORT: fbb.AddElement<std::uint16_t>(off, static_cast<std::uint16_t>(p.bits)); break;
    case ElementaryType::ET_INT: fbb.AddElement<std::int32_t>(off, static_cast<std::int32_t>(p.bits)); break;
    case ElementaryType::ET_UINT: fbb.AddElement<std::uint32_t>(off, static_cast<std::uint32_t>(p.bits)); break;
    case ElementaryType::ET_LONG: fbb.AddElement<std::int64_t>(off, static_cast<std::int64_t>(p.bits)); break;
    case ElementaryType::ET_ULONG: fbb.AddElement<std::uint64_t>(off, p.bits); break;
    case ElementaryType::ET_FLOAT: fbb.AddElement<float>(off, static_cast<float>(p.real)); break;
    case ElementaryType::ET_DOUBLE: fbb.AddElement<double>(off, p.real); break;
    default: break;
  }
}

Result<flatbuffers::uoffset_t> string_of(flatbuffers::FlatBufferBuilder& fbb, od::value v, const std::string& path) {
  od::json_type t;
  if (auto e = v.type().get(t)) return json_error(e, path);
  std::string_view s;
  if (t == od::json_type::number) {
    // A nonce may be an integer: keep its text.
    s = v.raw_json_token();
    while (!s.empty() && (s.back() == ' ' || s.back() == '\n' || s.back() == '\r' || s.back() == '\t')) s.remove_suffix(1);
  } else if (auto e = v.get_string().get(s)) {
    return json_error(e, path);
  }
  return fbb.CreateString(s.data(), s.size()).o;
}

// Calls fn(element, its path) for each element of the JSON array `v`; stops
// at the first error.
template <class Fn>
Status for_each_element(od::value v, const std::string& path, Fn&& fn) {
  od::array arr;
  if (auto e = v.get_array().get(arr)) return json_error(e, path);
  std::size_t n = 0;
  for (auto elem : arr) {
    std::string p = path + "[" + std::to_string(n++) + "]";
    od::value ev;
    if (auto e = elem.get(ev)) return json_error(e, p);
    SNOWCACHE_RETURN_IF_ERROR(fn(ev, p));
  }
  return {};
}

Result<flatbuffers::uoffset_t> vector_of(flatbuffers::FlatBufferBuilder& fbb, const TypeTable* tt, std::size_t i,
                                         od::value v, const std::string& path, const JsonContext& ctx) {
  auto code = tt->type_codes[i];
  auto et = static_cast<ElementaryType>(code.base_type);
  if (et == ElementaryType::ET_STRING || et == ElementaryType::ET_SEQUENCE) {
    std::vector<flatbuffers::Offset<void>> offs;
    SNOWCACHE_RETURN_IF_ERROR(for_each_element(v, path, [&](od::value ev, const std::string& p) -> Status {
      Result<flatbuffers::uoffset_t> r = et == ElementaryType::ET_STRING
                                             ? string_of(fbb, ev, p)
                                             : build_table(fbb, tt->type_refs[code.sequence_ref](), ev, p, ctx);
      if (!r.ok()) return r.status();
      offs.emplace_back(*r);
      return {};
    }));
    return fbb.CreateVector(offs).o;
  }
  std::vector<Pending> vals;
  SNOWCACHE_RETURN_IF_ERROR(for_each_element(v, path, [&](od::value ev, const std::string& p) -> Status {
    auto s = scalar(et, 0, ev, p);
    if (!s.ok()) return s.status();
    vals.push_back(*s);
    return {};
  }));
  auto make = [&]<class T>(T) {
    std::vector<T> out;
    out.reserve(vals.size());
    for (const auto& x : vals) {
      if constexpr (std::is_floating_point_v<T>) {
        out.push_back(static_cast<T>(x.real));
      } else {
        out.push_back(static_cast<T>(x.bits));
      }
    }
    return fbb.CreateVector(out).o;
  };
  switch (et) {
    case ElementaryType::ET_BOOL:
    case ElementaryType::ET_UCHAR: return make(std::uint8_t{});
    case ElementaryType::ET_CHAR: return make(std::int8_t{});
    case ElementaryType::ET_SHORT: return make(std::int16_t{});
    case ElementaryType::ET_USHORT: return make(std::uint16_t{});
    case ElementaryType::ET_INT: return make(std::int32_t{});
    case ElementaryType::ET_UINT: return make(std::uint32_t{});
    case ElementaryType::ET_LONG: return make(std::int64_t{});
    case ElementaryType::ET_ULONG: return make(std::uint64_t{});
    case ElementaryType::ET_FLOAT: return make(float{});
    case ElementaryType::ET_DOUBLE: return make(double{});
    default: return bad(path, "unsupported vector type");
  }
}

// Fields without which an object is not one: the kinds' required fields
// (kinds.h) and those of the tables that are not kinds of their own.
struct Required {
  const TypeTable* table;
  std::string_view field;
};
const std::vector<Required>& required_fields() {
  static const std::vector<Required> all = [] {
    std::vector<Required> out = {{fb::OwnUserTypeTable(), "id"}, {fb::PermissionOverwriteTypeTable(), "id"}};
    for_each_kind([&]<class T>(std::type_identity<T>) {
      for (std::string_view f : Kind<T>::required) out.push_back({T::MiniReflectTypeTable(), f});
    });
    return out;
  }();
  return all;
}

// Tables that belong to the guild they arrive in when they do not say so.
bool takes_context_guild(const TypeTable* tt) {
  static const std::vector<const TypeTable*> tables = [] {
    std::vector<const TypeTable*> out;
    for_each_kind([&]<class T>(std::type_identity<T>) {
      if (Kind<T>::context_guild) out.push_back(T::MiniReflectTypeTable());
    });
    return out;
  }();
  return std::find(tables.begin(), tables.end(), tt) != tables.end();
}

}  // namespace

Status json_error(simdjson::error_code e, const std::string& path) {
  switch (e) {
    case simdjson::INCORRECT_TYPE: return bad(path, "wrong type");
    case simdjson::NUMBER_OUT_OF_RANGE: return bad(path, "number out of range");
    case simdjson::NO_SUCH_FIELD: return bad(path, "missing");
    default: return bad(path, std::string("malformed JSON (") + simdjson::error_message(e) + ")");
  }
}

Status validate_json(od::value v, const std::string& path, int depth) {
  if (depth > 64) return bad(path, "nested too deeply");
  od::json_type t;
  if (auto e = v.type().get(t)) return json_error(e, path);
  switch (t) {
    case od::json_type::object: {
      od::object obj;
      if (auto e = v.get_object().get(obj)) return json_error(e, path);
      for (auto f : obj) {
        std::string_view key;
        if (auto e = f.unescaped_key().get(key)) return json_error(e, path);
        SNOWCACHE_RETURN_IF_ERROR(validate_json(f.value(), path + "." + std::string(key), depth + 1));
      }
      return {};
    }
    case od::json_type::array:
      return for_each_element(v, path, [&](od::value ev, const std::string& p) {
        return validate_json(ev, p, depth + 1);
      });
    case od::json_type::number: {
      double d;
      if (auto e = v.get_double().get(d)) return json_error(e, path);
      return {};
    }
    case od::json_type::string: {
      std::string_view s;
      if (auto e = v.get_string().get(s)) return json_error(e, path);
      return {};
    }
    case od::json_type::boolean: {
      bool b;
      // Typed as a boolean by its first letter: anything but true/false is a bad literal.
      if (v.get_bool().get(b)) return bad(path, "malformed JSON (not true or false)");
      return {};
    }
    case od::json_type::null: {
      bool is_null = false;
      if (auto e = v.is_null().get(is_null)) return json_error(e, path);
      if (!is_null) return bad(path, "malformed JSON");
      return {};
    }
  }
  return bad(path, "malformed JSON");
}

Result<std::uint64_t> json_snowflake(od::value v, const std::string& path) {
  od::json_type t;
  if (auto e = v.type().get(t)) return json_error(e, path);
  if (t == od::json_type::string) {
    std::string_view s;
    if (auto e = v.get_string().get(s)) return json_error(e, path);
    auto id = Snowflake::parse(s);
    if (!id) return bad(path, "not a snowflake: \"" + std::string(s) + "\"");
    return id->value();
  }
  if (t == od::json_type::number) {
    std::uint64_t u;
    if (v.get_uint64().get(u) == simdjson::SUCCESS) return u;
    return bad(path, "not a snowflake (negative or fractional number)");
  }
  return bad(path, "not a snowflake");
}

namespace {

// One build_table call: the fields read so far, added to the builder once the
// table starts (FlatBuffers builds no other object inside an open table).
class TableBuilder {
 public:
  TableBuilder(flatbuffers::FlatBufferBuilder& fbb, const TypeTable* tt, const std::string& path,
               const JsonContext& ctx)
      : fbb_(fbb), tt_(tt), path_(path), ctx_(ctx), fi_(index_of(tt)), is_member_(tt == fb::MemberTypeTable()) {
    // `skip` names keys of this (top-level) object only: nested objects have
    // keys of the same names (an embed's `author`) that must be read.
    if (!ctx.skip.empty() || ctx.nulls) {
      nested_storage_ = ctx;
      nested_storage_.skip.clear();
      nested_storage_.nulls = nullptr;
      nested_ = &nested_storage_;
    }
  }
  TableBuilder(const TableBuilder&) = delete;
  TableBuilder& operator=(const TableBuilder&) = delete;

  // Reads one key of the object.
  Status read_field(std::string_view key, od::value val, const ExtraKey& extra);
  // Adds what the JSON left out and the context supplies.
  void add_context() {
    add_context_guild();
    add_member_user();
  }
  Status check_required() const;
  const Present& seen() const { return seen_; }
  flatbuffers::uoffset_t finish();

 private:
  Status read_overwrite_name(std::uint16_t i, od::value val, const std::string& fpath);
  Status read_object_id(std::uint16_t i, od::value val, const std::string& fpath);
  Status read_value(std::uint16_t i, od::value val, const std::string& fpath);
  void add_context_guild();
  void add_member_user();
  void push(const Pending& p);
  // Adds a field the JSON did not set.
  void add(const Pending& p) {
    pending_.push_back(p);
    seen_.set(p.field);
  }

  flatbuffers::FlatBufferBuilder& fbb_;
  const TypeTable* tt_;
  const std::string& path_;
  const JsonContext& ctx_;
  const FieldIndex& fi_;
  const bool is_member_;
  JsonContext nested_storage_;
  const JsonContext* nested_ = &ctx_;
  std::vector<Pending> pending_;
  Present seen_;
};

Pending true_flag(std::uint16_t field) { return {field, ElementaryType::ET_BOOL, false, 1, 0}; }

// A key given twice (valid JSON) sets its field once: the last value wins
// (FlatBuffers must not see a field added twice).
void TableBuilder::push(const Pending& p) {
  if (p.field < seen_.size()) seen_.set(p.field);
  for (auto& q : pending_) {
    if (q.field == p.field) {
      q = p;
      return;
    }
  }
  pending_.push_back(p);
}

Status TableBuilder::read_field(std::string_view key, od::value val, const ExtraKey& extra) {
  if (!ctx_.skip.empty() && std::find(ctx_.skip.begin(), ctx_.skip.end(), key) != ctx_.skip.end()) return {};
  FieldRef ref = fi_.find(key);
  if (ref.index < 0) {
    if (!extra) return validate_json(val, path_ + "." + std::string(key));
    std::string k(key);  // the key's storage is reused by the parser
    return extra(k, val);
  }
  std::string fpath = path_ + "." + std::string(key);
  bool is_null = false;
  if (auto e = val.is_null().get(is_null)) return json_error(e, fpath);
  auto i = static_cast<std::uint16_t>(ref.index);
  if (ref.map == Map::kPresentFlag) {
    push(true_flag(i));
    return {};
  }
  if (is_null) {
    if (ref.null_flag >= 0) push(true_flag(static_cast<std::uint16_t>(ref.null_flag)));
    if (ctx_.nulls) ctx_.nulls->set(i);
    return {};
  }
  if (ref.map == Map::kOverwriteType) {
    od::json_type jt;
    if (auto e = val.type().get(jt)) return json_error(e, fpath);
    if (jt == od::json_type::string) return read_overwrite_name(i, val, fpath);
    // Numbers go the usual way.
  }
  if (ref.map == Map::kObjectId) return read_object_id(i, val, fpath);
  return read_value(i, val, fpath);
}

Status TableBuilder::read_overwrite_name(std::uint16_t i, od::value val, const std::string& fpath) {
  std::string_view sv;
  if (auto e = val.get_string().get(sv)) return json_error(e, fpath);
  if (sv != "role" && sv != "member") return bad(fpath, "expected 0, 1, \"role\" or \"member\"");
  auto et = static_cast<ElementaryType>(tt_->type_codes[i].base_type);
  push({i, et, false, sv == "member" ? 1u : 0u, 0});
  return {};
}

Status TableBuilder::read_object_id(std::uint16_t i, od::value val, const std::string& fpath) {
  od::object sub;
  if (auto e = val.get_object().get(sub)) return json_error(e, fpath);
  od::value idv;
  auto e = sub.find_field_unordered("id").get(idv);
  if (e == simdjson::NO_SUCH_FIELD) return {};  // a partial object without its id: nothing to keep
  if (e) return json_error(e, fpath + ".id");
  auto id = json_snowflake(idv, fpath + ".id");
  if (!id.ok()) return id.status();
  push({i, ElementaryType::ET_ULONG, false, *id, 0});
  return {};
}

Status TableBuilder::read_value(std::uint16_t i, od::value val, const std::string& fpath) {
  auto code = tt_->type_codes[i];
  auto et = static_cast<ElementaryType>(code.base_type);
  if (!code.is_repeating && et != ElementaryType::ET_STRING && et != ElementaryType::ET_SEQUENCE) {
    auto r = scalar(et, i, val, fpath);
    if (!r.ok()) return r.status();
    push(*r);
    return {};
  }
  Result<flatbuffers::uoffset_t> r = code.is_repeating            ? vector_of(fbb_, tt_, i, val, fpath, *nested_)
                                     : et == ElementaryType::ET_STRING ? string_of(fbb_, val, fpath)
                                     : build_table(fbb_, tt_->type_refs[code.sequence_ref](), val, fpath, *nested_);
  if (!r.ok()) return r.status();
  push({i, et, true, *r, 0});
  return {};
}

void TableBuilder::add_context_guild() {
  if (!ctx_.guild_id || !takes_context_guild(tt_)) return;
  int g = fi_.find_field("guild_id", tt_);
  if (g >= 0 && !seen_.test(static_cast<std::size_t>(g)) &&
      static_cast<ElementaryType>(tt_->type_codes[g].base_type) == ElementaryType::ET_ULONG &&
      !tt_->type_codes[g].is_repeating) {
    add({static_cast<std::uint16_t>(g), ElementaryType::ET_ULONG, false, *ctx_.guild_id, 0});
  }
}

void TableBuilder::add_member_user() {
  if (!is_member_ || !ctx_.member_user) return;
  int u = fi_.find_field("user", tt_);
  if (u < 0 || seen_.test(static_cast<std::size_t>(u))) return;
  flatbuffers::uoffset_t off = ctx_.member_user(fbb_);
  if (off) add({static_cast<std::uint16_t>(u), ElementaryType::ET_SEQUENCE, true, off, 0});
}

Status TableBuilder::check_required() const {
  for (const auto& req : required_fields()) {
    if (req.table != tt_) continue;
    int f = fi_.find_field(req.field, tt_);
    if (f >= 0 && !seen_.test(static_cast<std::size_t>(f))) {
      return bad(path_ + "." + std::string(req.field), "missing (required)");
    }
  }
  return {};
}

flatbuffers::uoffset_t TableBuilder::finish() {
  auto start = fbb_.StartTable();
  for (const auto& p : pending_) {
    if (p.is_offset) {
      fbb_.AddOffset(flatbuffers::FieldIndexToOffset(p.field),
                     flatbuffers::Offset<void>(static_cast<flatbuffers::uoffset_t>(p.bits)));
    } else {
      add_scalar(fbb_, p);
    }
  }
  return fbb_.EndTable(start);
}

}  // namespace

Result<flatbuffers::uoffset_t> build_table(flatbuffers::FlatBufferBuilder& fbb, const TypeTable* tt, od::value v,
                                           const std::string& path, const JsonContext& ctx, const ExtraKey& extra,
                                           Present* present) {
  od::object obj;
  if (auto e = v.get_object().get(obj)) return json_error(e, path);
  TableBuilder table(fbb, tt, path, ctx);
  for (auto field : obj) {
    std::string_view key;
    if (auto e = field.unescaped_key().get(key)) return json_error(e, path);
    SNOWCACHE_RETURN_IF_ERROR(table.read_field(key, field.value(), extra));
  }
  table.add_context();
  SNOWCACHE_RETURN_IF_ERROR(table.check_required());
  if (present) *present = table.seen();
  return table.finish();
}

}  // namespace snowcache::detail
