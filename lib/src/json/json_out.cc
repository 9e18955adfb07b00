#include "json/json_out.h"

#include <algorithm>
#include <cmath>
#include <iterator>
#include <memory>
#include <mutex>

#include <fmt/format.h>

#include "model/fb_copy.h"
#include "model/kinds.h"

namespace snowcache::detail {

namespace {

using flatbuffers::ElementaryType;
using flatbuffers::TypeTable;

// ---- strings ----------------------------------------------------------------

// Length of the valid UTF-8 sequence starting at s[i], or 0.
std::size_t utf8_length(std::string_view s, std::size_t i) {
  auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  auto cont = [&](std::size_t k) { return k < s.size() && (b(k) & 0xC0) == 0x80; };
  unsigned char c = b(i);
  if (c < 0x80) return 1;
  if (c >= 0xC2 && c <= 0xDF) return cont(i + 1) ? 2 : 0;
  if (c >= 0xE0 && c <= 0xEF) {
    if (!cont(i + 1) || !cont(i + 2)) return 0;
    unsigned char c1 = b(i + 1);
    if (c == 0xE0 && c1 < 0xA0) return 0;   // overlong
    if (c == 0xED && c1 >= 0xA0) return 0;  // surrogate
    return 3;
  }
  if (c >= 0xF0 && c <= 0xF4) {
    if (!cont(i + 1) || !cont(i + 2) || !cont(i + 3)) return 0;
    unsigned char c1 = b(i + 1);
    if (c == 0xF0 && c1 < 0x90) return 0;  // overlong
    if (c == 0xF4 && c1 >= 0x90) return 0;  // above U+10FFFF
    return 4;
  }
  return 0;
}

// ---- the Discord mapping ------------------------------------------------------

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// A ulong field written as a decimal string.
bool is_snowflake_name(std::string_view name) {
  static constexpr std::string_view kNames[] = {"roles", "applied_tags", "mention_roles", "permissions", "allow", "deny"};
  return name == "id" || ends_with(name, "_id") || ends_with(name, "_ids") ||
         std::find(std::begin(kNames), std::end(kNames), name) != std::end(kNames);
}

// What a contract field reads as when the buffer does not store it: the
// dump_always fields of kinds.h.
using Default = JsonDefault;

enum class Special : std::uint8_t {
  kNone,
  kSkip,         // internal, not Discord's
  kObjectId,     // ulong written as {"id": "..."} under another name
  kPresentFlag,  // bool: true is Discord's null, false is absent
};

struct Mapping {
  const TypeTable* (*table)();
  std::string_view field;
  std::string_view json;  // Discord's name
  Special special;
};

const Mapping kMappings[] = {
    {fb::EmbedFieldTypeTable, "inline_", "inline", Special::kNone},
    {fb::PresenceTypeTable, "user_id", "user", Special::kObjectId},
    {fb::DmChannelIdTypeTable, "seq", "seq", Special::kSkip},
    {fb::RoleTagsTypeTable, "premium_subscriber", "premium_subscriber", Special::kPresentFlag},
    {fb::RoleTagsTypeTable, "available_for_purchase", "available_for_purchase", Special::kPresentFlag},
    {fb::RoleTagsTypeTable, "guild_connections", "guild_connections", Special::kPresentFlag},
    // A reply whose parent was deleted: Discord's "referenced_message": null.
    {fb::MessageTypeTable, "referenced_message_deleted", "referenced_message", Special::kPresentFlag},
};

struct FieldPlan {
  std::string_view json;
  Special special = Special::kNone;
  bool always = false;
  Default fallback = Default::kNull;
  bool snowflake = false;
};

// Per table, per field: how it is written. Built on first use; the type
// tables are static, so the plans are too.
struct TablePlan {
  std::vector<FieldPlan> fields;
};

TablePlan make_plan(const TypeTable* tt) {
  TablePlan p;
  p.fields.resize(tt->num_elems);
  for (std::size_t i = 0; i < tt->num_elems; ++i) {
    FieldPlan& f = p.fields[i];
    std::string_view name = tt->names[i];
    f.json = name;
    f.snowflake = static_cast<ElementaryType>(tt->type_codes[i].base_type) == ElementaryType::ET_ULONG &&
                  is_snowflake_name(name);
    for (const auto& m : kMappings) {
      if (m.table() == tt && m.field == name) {
        f.json = m.json;
        f.special = m.special;
      }
    }
    for_each_kind([&]<class T>(std::type_identity<T>) {
      if (T::MiniReflectTypeTable() != tt) return;
      for (const AlwaysField& a : Kind<T>::dump_always) {
        if (a.field == name) {
          f.always = true;
          f.fallback = a.value;
        }
      }
    });
  }
  return p;
}

const TablePlan& plan_of(const TypeTable* tt) {
  // Few tables, looked up by pointer: a static list, filled under a lock.
  struct Entry {
    const TypeTable* tt;
    TablePlan plan;
  };
  static std::mutex mu;
  static std::vector<std::unique_ptr<Entry>> all;
  std::lock_guard lock(mu);
  for (const auto& e : all) {
    if (e->tt == tt) return e->plan;
  }
  all.push_back(std::make_unique<Entry>(Entry{tt, make_plan(tt)}));
  return all.back()->plan;
}

std::string integer_text(ElementaryType et, const std::uint8_t* p) {
  switch (et) {
    case ElementaryType::ET_BOOL: return flatbuffers::ReadScalar<std::uint8_t>(p) ? "true" : "false";
    case ElementaryType::ET_CHAR: return std::to_string(flatbuffers::ReadScalar<std::int8_t>(p));
    case ElementaryType::ET_UCHAR: return std::to_string(flatbuffers::ReadScalar<std::uint8_t>(p));
    case ElementaryType::ET_SHORT: return std::to_string(flatbuffers::ReadScalar<std::int16_t>(p));
    case ElementaryType::ET_USHORT: return std::to_string(flatbuffers::ReadScalar<std::uint16_t>(p));
    case ElementaryType::ET_INT: return std::to_string(flatbuffers::ReadScalar<std::int32_t>(p));
    case ElementaryType::ET_UINT: return std::to_string(flatbuffers::ReadScalar<std::uint32_t>(p));
    case ElementaryType::ET_LONG: return std::to_string(flatbuffers::ReadScalar<std::int64_t>(p));
    case ElementaryType::ET_ULONG: return std::to_string(flatbuffers::ReadScalar<std::uint64_t>(p));
    case ElementaryType::ET_FLOAT: return json_double(static_cast<double>(flatbuffers::ReadScalar<float>(p)));
    case ElementaryType::ET_DOUBLE: return json_double(flatbuffers::ReadScalar<double>(p));
    default: return "null";
  }
}

// Writes one scalar stored at `p`.
void write_scalar(JsonWriter& w, ElementaryType et, const std::uint8_t* p, bool snowflake) {
  if (snowflake && et == ElementaryType::ET_ULONG) {
    w.string(std::to_string(flatbuffers::ReadScalar<std::uint64_t>(p)));
  } else {
    w.raw(integer_text(et, p));
  }
}

std::string_view string_at(const std::uint8_t* p) {
  auto* s = reinterpret_cast<const flatbuffers::String*>(p);
  return std::string_view(s->c_str(), s->size());
}

// The target of the offset stored at `p`.
const std::uint8_t* follow(const std::uint8_t* p) { return p + flatbuffers::ReadScalar<flatbuffers::uoffset_t>(p); }

void write_default(JsonWriter& w, Default d) {
  switch (d) {
    case Default::kFalse: w.boolean(false); break;
    case Default::kNull: w.null(); break;
    case Default::kEmptyArray:
      w.begin_array();
      w.end_array();
      break;
    case Default::kEmptyString: w.string(""); break;
    case Default::kZeroId: w.string("0"); break;
  }
}

void write_nested(JsonWriter& w, const TypeTable* tt, const std::uint8_t* p) {
  if (tt->st == flatbuffers::ST_TABLE) {
    write_table(w, tt, reinterpret_cast<const flatbuffers::Table*>(p));
  } else {
    w.null();  // structs and unions: not in the schemas
  }
}

void write_vector(JsonWriter& w, const TypeTable* tt, std::size_t i, const std::uint8_t* vec, bool snowflake) {
  auto code = tt->type_codes[i];
  auto et = static_cast<ElementaryType>(code.base_type);
  auto n = flatbuffers::ReadScalar<flatbuffers::uoffset_t>(vec);
  const std::uint8_t* data = vec + sizeof(flatbuffers::uoffset_t);
  w.begin_array();
  for (flatbuffers::uoffset_t k = 0; k < n; ++k) {
    if (et == ElementaryType::ET_STRING) {
      const std::uint8_t* at = data + k * sizeof(flatbuffers::uoffset_t);
      w.string(string_at(follow(at)));
    } else if (et == ElementaryType::ET_SEQUENCE) {
      const TypeTable* sub = tt->type_refs[code.sequence_ref]();
      if (sub->st == flatbuffers::ST_TABLE) {
        const std::uint8_t* at = data + k * sizeof(flatbuffers::uoffset_t);
        write_nested(w, sub, follow(at));
      } else {
        w.null();
      }
    } else if (std::size_t sz = scalar_size(et); sz > 0) {
      write_scalar(w, et, data + k * sz, snowflake);
    } else {
      w.null();
    }
  }
  w.end_array();
}

}  // namespace

// ---- JsonWriter -------------------------------------------------------------

void append_json_string(std::string& out, std::string_view s) {
  out.push_back('"');
  for (std::size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x80) {
      std::size_t n = utf8_length(s, i);
      if (n == 0) {
        out += "\xEF\xBF\xBD";  // U+FFFD for a byte that is not UTF-8
        ++i;
      } else {
        out.append(s.substr(i, n));
        i += n;
      }
      continue;
    }
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      default:
        if (c < 0x20) {
          out += fmt::format("\\u{:04x}", static_cast<unsigned>(c));
        } else {
          out.push_back(static_cast<char>(c));
        }
    }
    ++i;
  }
  out.push_back('"');
}

std::string json_double(double d) {
  if (!std::isfinite(d)) return "null";
  std::string s = fmt::format("{}", d);
  if (s.find_first_of(".eE") == std::string::npos) s += ".0";
  return s;
}

void JsonWriter::newline_indent(std::size_t depth) {
  out_.push_back('\n');
  out_.append(2 * depth, ' ');
}

void JsonWriter::before_value() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (counts_.empty()) return;
  if (counts_.back()++ > 0) out_ += pretty_ ? "," : ", ";
  if (pretty_) newline_indent(counts_.size());
}

void JsonWriter::key(std::string_view k) {
  before_value();
  append_json_string(out_, k);
  out_ += ": ";
  after_key_ = true;
}

void JsonWriter::open(char bracket) {
  before_value();
  out_.push_back(bracket);
  counts_.push_back(0);
}

void JsonWriter::close(char bracket) {
  std::size_t n = counts_.back();
  counts_.pop_back();
  if (pretty_ && n > 0) newline_indent(counts_.size());
  out_.push_back(bracket);
}

void JsonWriter::begin_object() { open('{'); }

void JsonWriter::end_object() { close('}'); }

void JsonWriter::begin_array() { open('['); }

void JsonWriter::end_array() { close(']'); }

void JsonWriter::string(std::string_view s) {
  before_value();
  append_json_string(out_, s);
}

void JsonWriter::raw(std::string_view token) {
  before_value();
  out_.append(token);
}

// ---- tables -----------------------------------------------------------------

void write_table(JsonWriter& w, const TypeTable* tt, const flatbuffers::Table* table) {
  const TablePlan& plan = plan_of(tt);
  w.begin_object();
  for (std::size_t i = 0; i < tt->num_elems; ++i) {
    const FieldPlan& f = plan.fields[i];
    if (f.special == Special::kSkip) continue;
    auto vt = flatbuffers::FieldIndexToOffset(static_cast<flatbuffers::voffset_t>(i));
    auto code = tt->type_codes[i];
    auto et = static_cast<ElementaryType>(code.base_type);
    const bool stored = table->GetOptionalFieldOffset(vt) != 0;
    if (f.special == Special::kPresentFlag) {
      // Discord: the key with null when true, no key when false.
      if (stored && table->GetField<std::uint8_t>(vt, 0) != 0) {
        w.key(f.json);
        w.null();
      }
      continue;
    }
    if (!stored) {
      if (!f.always) continue;
      w.key(f.json);
      if (f.special == Special::kObjectId) {
        w.begin_object();
        w.key("id");
        write_default(w, f.fallback);
        w.end_object();
      } else {
        write_default(w, f.fallback);
      }
      continue;
    }
    w.key(f.json);
    if (f.special == Special::kObjectId) {
      w.begin_object();
      w.key("id");
      w.string(std::to_string(table->GetField<std::uint64_t>(vt, 0)));
      w.end_object();
    } else if (code.is_repeating) {
      write_vector(w, tt, i, table->GetPointer<const std::uint8_t*>(vt), f.snowflake);
    } else if (et == ElementaryType::ET_STRING) {
      w.string(string_at(table->GetPointer<const std::uint8_t*>(vt)));
    } else if (et == ElementaryType::ET_SEQUENCE) {
      write_nested(w, tt->type_refs[code.sequence_ref](), table->GetPointer<const std::uint8_t*>(vt));
    } else if (scalar_size(et) > 0) {
      const std::uint8_t* p = reinterpret_cast<const std::uint8_t*>(table) + table->GetOptionalFieldOffset(vt);
      write_scalar(w, et, p, f.snowflake);
    } else {
      w.null();
    }
  }
  w.end_object();
}

std::string table_json(const TypeTable* tt, const void* table, bool pretty) {
  std::string out;
  JsonWriter w(out, pretty);
  write_table(w, tt, reinterpret_cast<const flatbuffers::Table*>(table));
  return out;
}

}  // namespace snowcache::detail
