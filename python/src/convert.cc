#include "convert.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <iterator>
#include <limits>
#include <mutex>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "dm_channel_id_generated.h"
#include "emoji_generated.h"
#include "guild_generated.h"
#include "member_generated.h"
#include "message_generated.h"
#include "presence_generated.h"
#include "role_generated.h"
#include "sticker_generated.h"
#include "snowcache/snowflake.h"
#include "voice_state_generated.h"

namespace py = pybind11;
namespace fb = snowcache::fb;
using flatbuffers::ElementaryType;
using flatbuffers::TypeTable;

namespace snowcache_py {

namespace {

// ---- the Discord mapping --------------------------------------------------------------------------------
// FALLBACK (see convert.h): the same rules as the library's JSON writer (lib/src/json/json_out.cc, internal):
// which ulong fields are snowflakes, the fields every value shows, and the four special fields. When the
// library's dump contract changes, test_binding.py's comparison with entity_json fails and these follow.

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

bool is_snowflake_name(std::string_view name) {
  static constexpr std::string_view kNames[] = {"roles", "applied_tags", "mention_roles", "permissions", "allow", "deny"};
  return name == "id" || ends_with(name, "_id") || ends_with(name, "_ids") ||
         std::find(std::begin(kNames), std::end(kNames), name) != std::end(kNames);
}

enum class Default : std::uint8_t { kFalse, kNull, kEmptyArray, kEmptyString, kZeroId };

struct Always {
  const TypeTable* (*table)();
  std::string_view field;
  Default value;
};

const Always kAlways[] = {
    {fb::GuildTypeTable, "unavailable", Default::kFalse},
    {fb::GuildTypeTable, "member_count", Default::kNull},
    {fb::GuildTypeTable, "large", Default::kFalse},
    {fb::MemberTypeTable, "guild_id", Default::kZeroId},
    {fb::MemberTypeTable, "user", Default::kNull},
    {fb::MemberTypeTable, "nick", Default::kNull},
    {fb::MemberTypeTable, "roles", Default::kEmptyArray},
    {fb::VoiceStateTypeTable, "channel_id", Default::kNull},
    {fb::VoiceStateTypeTable, "session_id", Default::kEmptyString},
    {fb::VoiceStateTypeTable, "deaf", Default::kFalse},
    {fb::VoiceStateTypeTable, "mute", Default::kFalse},
    {fb::VoiceStateTypeTable, "self_deaf", Default::kFalse},
    {fb::VoiceStateTypeTable, "self_mute", Default::kFalse},
    {fb::PresenceTypeTable, "guild_id", Default::kZeroId},
    {fb::PresenceTypeTable, "user_id", Default::kZeroId},
    {fb::PresenceTypeTable, "status", Default::kEmptyString},
    {fb::PresenceTypeTable, "activities", Default::kEmptyArray},
    {fb::MessageTypeTable, "channel_id", Default::kZeroId},
    {fb::MessageTypeTable, "author", Default::kNull},
    {fb::MessageTypeTable, "content", Default::kEmptyString},
    {fb::MessageTypeTable, "mentions", Default::kEmptyArray},
    {fb::RoleTypeTable, "guild_id", Default::kZeroId},
    {fb::EmojiTypeTable, "guild_id", Default::kZeroId},
    {fb::StickerTypeTable, "guild_id", Default::kZeroId},
    {fb::DmChannelIdTypeTable, "channel_id", Default::kZeroId},
};

enum class Special : std::uint8_t {
  kNone,
  kSkip,         // internal, not Discord's
  kObjectId,     // ulong written as {"id": "..."} under another name
  kPresentFlag,  // bool: true is Discord's null, false is absent
};

struct Mapping {
  const TypeTable* (*table)();
  std::string_view field;
  std::string_view json;
  Special special;
};

const Mapping kMappings[] = {
    {fb::EmbedFieldTypeTable, "inline_", "inline", Special::kNone},
    {fb::PresenceTypeTable, "user_id", "user", Special::kObjectId},
    {fb::DmChannelIdTypeTable, "seq", "seq", Special::kSkip},
    {fb::RoleTagsTypeTable, "premium_subscriber", "premium_subscriber", Special::kPresentFlag},
    {fb::RoleTagsTypeTable, "available_for_purchase", "available_for_purchase", Special::kPresentFlag},
    {fb::RoleTagsTypeTable, "guild_connections", "guild_connections", Special::kPresentFlag},
};

struct FieldPlan {
  std::string json;
  PyObject* key = nullptr;  // interned str of `json`, owned by the plan (never released)
  Special special = Special::kNone;
  bool always = false;
  Default fallback = Default::kNull;
  bool snowflake = false;
  bool nonce = false;  // a string field Discord may send as an integer
};

struct TablePlan {
  const TypeTable* tt = nullptr;
  std::vector<FieldPlan> fields;
};

TablePlan make_plan(const TypeTable* tt) {
  TablePlan p;
  p.tt = tt;
  p.fields.resize(tt->num_elems);
  for (std::size_t i = 0; i < tt->num_elems; ++i) {
    FieldPlan& f = p.fields[i];
    std::string_view name = tt->names[i];
    f.json = std::string(name);
    f.snowflake = static_cast<ElementaryType>(tt->type_codes[i].base_type) == ElementaryType::ET_ULONG &&
                  is_snowflake_name(name);
    f.nonce = name == "nonce";
    for (const auto& m : kMappings) {
      if (m.table() == tt && m.field == name) {
        f.json = std::string(m.json);
        f.special = m.special;
      }
    }
    for (const auto& a : kAlways) {
      if (a.table() == tt && a.field == name) {
        f.always = true;
        f.fallback = a.value;
      }
    }
    f.key = PyUnicode_InternFromString(f.json.c_str());
  }
  return p;
}

// Plans are built with the GIL held, which also serialises this map.
const TablePlan& plan_of(const TypeTable* tt) {
  static auto* plans = new std::unordered_map<const TypeTable*, TablePlan>();
  auto it = plans->find(tt);
  if (it == plans->end()) it = plans->emplace(tt, make_plan(tt)).first;
  return it->second;
}

std::size_t scalar_size(ElementaryType et) {
  switch (et) {
    case ElementaryType::ET_UTYPE:
    case ElementaryType::ET_BOOL:
    case ElementaryType::ET_CHAR:
    case ElementaryType::ET_UCHAR: return 1;
    case ElementaryType::ET_SHORT:
    case ElementaryType::ET_USHORT: return 2;
    case ElementaryType::ET_INT:
    case ElementaryType::ET_UINT:
    case ElementaryType::ET_FLOAT: return 4;
    case ElementaryType::ET_LONG:
    case ElementaryType::ET_ULONG:
    case ElementaryType::ET_DOUBLE: return 8;
    default: return 0;
  }
}

// ---- FlatBuffer -> dict ---------------------------------------------------------------------------------

py::object steal(PyObject* o) {
  if (!o) throw py::error_already_set();
  return py::reinterpret_steal<py::object>(o);
}

py::object snowflake_str(std::uint64_t v) {
  char buf[24];
  char* end = buf + sizeof buf;
  char* p = end;
  do {
    *--p = static_cast<char>('0' + v % 10);
    v /= 10;
  } while (v);
  return steal(PyUnicode_FromStringAndSize(p, end - p));
}

py::object string_obj(const std::uint8_t* p) {
  auto* s = reinterpret_cast<const flatbuffers::String*>(p);
  // Bytes that are not UTF-8 read as U+FFFD, as in the library's JSON.
  return steal(PyUnicode_DecodeUTF8(s->c_str(), static_cast<Py_ssize_t>(s->size()), "replace"));
}

py::object scalar_obj(ElementaryType et, const std::uint8_t* p, bool snowflake) {
  switch (et) {
    case ElementaryType::ET_BOOL: return py::bool_(flatbuffers::ReadScalar<std::uint8_t>(p) != 0);
    case ElementaryType::ET_CHAR: return steal(PyLong_FromLong(flatbuffers::ReadScalar<std::int8_t>(p)));
    case ElementaryType::ET_UCHAR: return steal(PyLong_FromLong(flatbuffers::ReadScalar<std::uint8_t>(p)));
    case ElementaryType::ET_SHORT: return steal(PyLong_FromLong(flatbuffers::ReadScalar<std::int16_t>(p)));
    case ElementaryType::ET_USHORT: return steal(PyLong_FromLong(flatbuffers::ReadScalar<std::uint16_t>(p)));
    case ElementaryType::ET_INT: return steal(PyLong_FromLong(flatbuffers::ReadScalar<std::int32_t>(p)));
    case ElementaryType::ET_UINT:
      return steal(PyLong_FromUnsignedLong(flatbuffers::ReadScalar<std::uint32_t>(p)));
    case ElementaryType::ET_LONG: return steal(PyLong_FromLongLong(flatbuffers::ReadScalar<std::int64_t>(p)));
    case ElementaryType::ET_ULONG: {
      auto v = flatbuffers::ReadScalar<std::uint64_t>(p);
      return snowflake ? snowflake_str(v) : steal(PyLong_FromUnsignedLongLong(v));
    }
    case ElementaryType::ET_FLOAT:
    case ElementaryType::ET_DOUBLE: {
      double d = et == ElementaryType::ET_FLOAT ? static_cast<double>(flatbuffers::ReadScalar<float>(p))
                                                : flatbuffers::ReadScalar<double>(p);
      if (!std::isfinite(d)) return py::none();
      return steal(PyFloat_FromDouble(d));
    }
    default: return py::none();
  }
}

const std::uint8_t* follow(const std::uint8_t* p) { return p + flatbuffers::ReadScalar<flatbuffers::uoffset_t>(p); }

py::object nested_obj(const TypeTable* tt, const std::uint8_t* p) {
  if (tt->st == flatbuffers::ST_TABLE) return table_to_dict(tt, p);
  return py::none();  // structs and unions: not in the schemas
}

py::object vector_obj(const TypeTable* tt, std::size_t i, const std::uint8_t* vec, bool snowflake) {
  auto code = tt->type_codes[i];
  auto et = static_cast<ElementaryType>(code.base_type);
  auto n = flatbuffers::ReadScalar<flatbuffers::uoffset_t>(vec);
  const std::uint8_t* data = vec + sizeof(flatbuffers::uoffset_t);
  py::object list = steal(PyList_New(static_cast<Py_ssize_t>(n)));
  for (flatbuffers::uoffset_t k = 0; k < n; ++k) {
    py::object item;
    if (et == ElementaryType::ET_STRING) {
      item = string_obj(follow(data + k * sizeof(flatbuffers::uoffset_t)));
    } else if (et == ElementaryType::ET_SEQUENCE) {
      item = nested_obj(tt->type_refs[code.sequence_ref](), follow(data + k * sizeof(flatbuffers::uoffset_t)));
    } else if (std::size_t sz = scalar_size(et); sz > 0) {
      item = scalar_obj(et, data + k * sz, snowflake);
    } else {
      item = py::none();
    }
    PyList_SET_ITEM(list.ptr(), static_cast<Py_ssize_t>(k), item.release().ptr());
  }
  return list;
}

py::object default_obj(Default d) {
  switch (d) {
    case Default::kFalse: return py::bool_(false);
    case Default::kNull: return py::none();
    case Default::kEmptyArray: return steal(PyList_New(0));
    case Default::kEmptyString: return py::str("");
    case Default::kZeroId: return py::str("0");
  }
  return py::none();
}

void set_item(PyObject* dict, PyObject* key, py::object value) {
  if (PyDict_SetItem(dict, key, value.ptr()) != 0) throw py::error_already_set();
}

}  // namespace

py::object table_to_dict(const TypeTable* tt, const void* raw) {
  const auto* table = reinterpret_cast<const flatbuffers::Table*>(raw);
  const TablePlan& plan = plan_of(tt);
  py::object dict = steal(PyDict_New());
  for (std::size_t i = 0; i < tt->num_elems; ++i) {
    const FieldPlan& f = plan.fields[i];
    if (f.special == Special::kSkip) continue;
    auto vt = flatbuffers::FieldIndexToOffset(static_cast<flatbuffers::voffset_t>(i));
    auto code = tt->type_codes[i];
    auto et = static_cast<ElementaryType>(code.base_type);
    const bool stored = table->GetOptionalFieldOffset(vt) != 0;
    if (f.special == Special::kPresentFlag) {
      if (stored && table->GetField<std::uint8_t>(vt, 0) != 0) set_item(dict.ptr(), f.key, py::none());
      continue;
    }
    if (!stored) {
      if (!f.always) continue;
      if (f.special == Special::kObjectId) {
        py::dict obj;
        obj["id"] = default_obj(f.fallback);
        set_item(dict.ptr(), f.key, std::move(obj));
      } else {
        set_item(dict.ptr(), f.key, default_obj(f.fallback));
      }
      continue;
    }
    py::object value;
    if (f.special == Special::kObjectId) {
      py::dict obj;
      obj["id"] = snowflake_str(table->GetField<std::uint64_t>(vt, 0));
      value = std::move(obj);
    } else if (code.is_repeating) {
      value = vector_obj(tt, i, table->GetPointer<const std::uint8_t*>(vt), f.snowflake);
    } else if (et == ElementaryType::ET_STRING) {
      value = string_obj(table->GetPointer<const std::uint8_t*>(vt));
    } else if (et == ElementaryType::ET_SEQUENCE) {
      value = nested_obj(tt->type_refs[code.sequence_ref](), table->GetPointer<const std::uint8_t*>(vt));
    } else if (scalar_size(et) > 0) {
      value = scalar_obj(et, reinterpret_cast<const std::uint8_t*>(table) + table->GetOptionalFieldOffset(vt),
                         f.snowflake);
    } else {
      value = py::none();
    }
    set_item(dict.ptr(), f.key, std::move(value));
  }
  return dict;
}

// ---- dict -> FlatBuffer ---------------------------------------------------------------------------------

namespace {

[[noreturn]] void bad(const std::string& path, const std::string& what) {
  throw StatusError(snowcache::Status::InvalidArgument(path + ": " + what));
}

std::string type_name(py::handle o) { return Py_TYPE(o.ptr())->tp_name; }

// A Python int (or, for snowflakes, a decimal string) as an integer in [lo, hi].
template <class I>
I integer_of(py::handle o, const std::string& path, bool snowflake) {
  if (PyBool_Check(o.ptr())) bad(path, "expected an integer, got bool");
  if (PyLong_Check(o.ptr())) {
    if constexpr (std::is_unsigned_v<I>) {
      unsigned long long v = PyLong_AsUnsignedLongLong(o.ptr());
      if (PyErr_Occurred()) {
        PyErr_Clear();
        bad(path, "integer out of range");
      }
      if (v > std::numeric_limits<I>::max()) bad(path, "integer out of range");
      return static_cast<I>(v);
    } else {
      long long v = PyLong_AsLongLong(o.ptr());
      if (PyErr_Occurred()) {
        PyErr_Clear();
        bad(path, "integer out of range");
      }
      if (v < std::numeric_limits<I>::min() || v > std::numeric_limits<I>::max()) bad(path, "integer out of range");
      return static_cast<I>(v);
    }
  }
  if (snowflake && PyUnicode_Check(o.ptr())) {
    Py_ssize_t n = 0;
    const char* s = PyUnicode_AsUTF8AndSize(o.ptr(), &n);
    if (!s) {
      PyErr_Clear();
      bad(path, "not a snowflake");
    }
    auto parsed = snowcache::Snowflake::parse(std::string_view(s, static_cast<std::size_t>(n)));
    if (!parsed) bad(path, "not a snowflake: '" + std::string(s, static_cast<std::size_t>(n)) + "'");
    return static_cast<I>(parsed->value());
  }
  bad(path, std::string(snowflake ? "expected a snowflake (int or decimal str)" : "expected an integer") +
                ", got " + type_name(o));
}

bool bool_of(py::handle o, const std::string& path) {
  if (!PyBool_Check(o.ptr())) bad(path, "expected a bool, got " + type_name(o));
  return o.ptr() == Py_True;
}

double double_of(py::handle o, const std::string& path) {
  if (PyBool_Check(o.ptr()) || !(PyFloat_Check(o.ptr()) || PyLong_Check(o.ptr())))
    bad(path, "expected a number, got " + type_name(o));
  double d = PyFloat_AsDouble(o.ptr());
  if (PyErr_Occurred()) {
    PyErr_Clear();
    bad(path, "number out of range");
  }
  return d;
}

std::string_view str_of(py::handle o, const std::string& path, bool allow_int) {
  if (allow_int && PyLong_Check(o.ptr()) && !PyBool_Check(o.ptr())) {
    thread_local std::string text;
    text = py::str(o).cast<std::string>();
    return text;
  }
  if (!PyUnicode_Check(o.ptr())) bad(path, "expected a str, got " + type_name(o));
  Py_ssize_t n = 0;
  const char* s = PyUnicode_AsUTF8AndSize(o.ptr(), &n);
  if (!s) {
    PyErr_Clear();
    bad(path, "a str that is not valid UTF-8");
  }
  return std::string_view(s, static_cast<std::size_t>(n));
}

flatbuffers::uoffset_t build_table(flatbuffers::FlatBufferBuilder& b, const TypeTable* tt, py::handle obj,
                                   const std::string& path);

// Writes a scalar of type `et` read from `o` at field offset `vt`, or pushes it into a vector.
struct Scalar {
  ElementaryType et;
  union {
    std::uint64_t u;
    std::int64_t i;
    double d;
  };
};

Scalar scalar_of(ElementaryType et, py::handle o, const std::string& path, bool snowflake) {
  Scalar s{};
  s.et = et;
  switch (et) {
    case ElementaryType::ET_BOOL: s.u = bool_of(o, path) ? 1 : 0; break;
    case ElementaryType::ET_CHAR: s.i = integer_of<std::int8_t>(o, path, false); break;
    case ElementaryType::ET_UCHAR: s.u = integer_of<std::uint8_t>(o, path, false); break;
    case ElementaryType::ET_SHORT: s.i = integer_of<std::int16_t>(o, path, false); break;
    case ElementaryType::ET_USHORT: s.u = integer_of<std::uint16_t>(o, path, false); break;
    case ElementaryType::ET_INT: s.i = integer_of<std::int32_t>(o, path, false); break;
    case ElementaryType::ET_UINT: s.u = integer_of<std::uint32_t>(o, path, false); break;
    case ElementaryType::ET_LONG: s.i = integer_of<std::int64_t>(o, path, false); break;
    case ElementaryType::ET_ULONG: s.u = integer_of<std::uint64_t>(o, path, snowflake); break;
    case ElementaryType::ET_FLOAT:
    case ElementaryType::ET_DOUBLE: s.d = double_of(o, path); break;
    default: bad(path, "unsupported field type");
  }
  return s;
}

void add_scalar(flatbuffers::FlatBufferBuilder& b, flatbuffers::voffset_t vt, const Scalar& s) {
  switch (s.et) {
    case ElementaryType::ET_BOOL: b.AddElement<std::uint8_t>(vt, static_cast<std::uint8_t>(s.u), 0); break;
    case ElementaryType::ET_CHAR: b.AddElement<std::int8_t>(vt, static_cast<std::int8_t>(s.i), 0); break;
    case ElementaryType::ET_UCHAR: b.AddElement<std::uint8_t>(vt, static_cast<std::uint8_t>(s.u), 0); break;
    case ElementaryType::ET_SHORT: b.AddElement<std::int16_t>(vt, static_cast<std::int16_t>(s.i), 0); break;
    case ElementaryType::ET_USHORT: b.AddElement<std::uint16_t>(vt, static_cast<std::uint16_t>(s.u), 0); break;
    case ElementaryType::ET_INT: b.AddElement<std::int32_t>(vt, static_cast<std::int32_t>(s.i), 0); break;
    case ElementaryType::ET_UINT: b.AddElement<std::uint32_t>(vt, static_cast<std::uint32_t>(s.u), 0); break;
    case ElementaryType::ET_LONG: b.AddElement<std::int64_t>(vt, s.i, 0); break;
    case ElementaryType::ET_ULONG: b.AddElement<std::uint64_t>(vt, s.u, 0); break;
    case ElementaryType::ET_FLOAT: b.AddElement<float>(vt, static_cast<float>(s.d), 0); break;
    case ElementaryType::ET_DOUBLE: b.AddElement<double>(vt, s.d, 0); break;
    default: break;
  }
}

template <class I>
void push_all(flatbuffers::FlatBufferBuilder& b, const std::vector<Scalar>& items, bool is_signed) {
  for (auto it = items.rbegin(); it != items.rend(); ++it) {
    if constexpr (std::is_floating_point_v<I>) {
      b.PushElement(static_cast<I>(it->d));
    } else {
      b.PushElement(is_signed ? static_cast<I>(it->i) : static_cast<I>(it->u));
    }
  }
}

flatbuffers::uoffset_t build_vector(flatbuffers::FlatBufferBuilder& b, const TypeTable* tt, std::size_t i,
                                    py::handle obj, const std::string& path, bool snowflake) {
  if (!PyList_Check(obj.ptr()) && !PyTuple_Check(obj.ptr())) bad(path, "expected a list, got " + type_name(obj));
  py::sequence seq = py::reinterpret_borrow<py::sequence>(obj);
  const std::size_t n = seq.size();
  auto code = tt->type_codes[i];
  auto et = static_cast<ElementaryType>(code.base_type);
  auto item_path = [&](std::size_t k) { return path + "[" + std::to_string(k) + "]"; };
  if (et == ElementaryType::ET_STRING || et == ElementaryType::ET_SEQUENCE) {
    std::vector<flatbuffers::Offset<void>> offs;
    offs.reserve(n);
    for (std::size_t k = 0; k < n; ++k) {
      py::handle item = seq[k];
      if (et == ElementaryType::ET_STRING) {
        auto s = str_of(item, item_path(k), false);
        offs.emplace_back(b.CreateString(s.data(), s.size()).o);
      } else {
        const TypeTable* sub = tt->type_refs[code.sequence_ref]();
        if (sub->st != flatbuffers::ST_TABLE) bad(path, "unsupported vector type");
        offs.emplace_back(build_table(b, sub, item, item_path(k)));
      }
    }
    return b.CreateVector(offs).o;
  }
  std::vector<Scalar> items;
  items.reserve(n);
  for (std::size_t k = 0; k < n; ++k) items.push_back(scalar_of(et, seq[k], item_path(k), snowflake));
  const std::size_t sz = scalar_size(et);
  if (sz == 0) bad(path, "unsupported vector type");
  b.StartVector(n, sz);
  switch (et) {
    case ElementaryType::ET_BOOL:
    case ElementaryType::ET_UCHAR: push_all<std::uint8_t>(b, items, false); break;
    case ElementaryType::ET_CHAR: push_all<std::int8_t>(b, items, true); break;
    case ElementaryType::ET_SHORT: push_all<std::int16_t>(b, items, true); break;
    case ElementaryType::ET_USHORT: push_all<std::uint16_t>(b, items, false); break;
    case ElementaryType::ET_INT: push_all<std::int32_t>(b, items, true); break;
    case ElementaryType::ET_UINT: push_all<std::uint32_t>(b, items, false); break;
    case ElementaryType::ET_LONG: push_all<std::int64_t>(b, items, true); break;
    case ElementaryType::ET_ULONG: push_all<std::uint64_t>(b, items, false); break;
    case ElementaryType::ET_FLOAT: push_all<float>(b, items, false); break;
    case ElementaryType::ET_DOUBLE: push_all<double>(b, items, false); break;
    default: break;
  }
  return b.EndVector(n);
}

flatbuffers::uoffset_t build_table(flatbuffers::FlatBufferBuilder& b, const TypeTable* tt, py::handle obj,
                                   const std::string& path) {
  if (!PyDict_Check(obj.ptr())) bad(path, "expected a dict, got " + type_name(obj));
  const TablePlan& plan = plan_of(tt);
  // Keys that name no field are ignored, as the gateway ingest ignores fields the cache does not keep
  // (Discord adds fields over time; a REST object carries more than the cache stores).
  struct Pending {
    flatbuffers::voffset_t vt;
    bool is_offset;
    flatbuffers::uoffset_t off;
    Scalar scalar;
  };
  std::vector<Pending> pending;
  pending.reserve(tt->num_elems);
  for (std::size_t i = 0; i < tt->num_elems; ++i) {
    const FieldPlan& f = plan.fields[i];
    if (f.special == Special::kSkip) continue;
    PyObject* raw = PyDict_GetItemWithError(obj.ptr(), f.key);
    if (!raw) {
      if (PyErr_Occurred()) throw py::error_already_set();
      continue;
    }
    py::handle value(raw);
    const std::string fpath = path + "." + f.json;
    auto vt = flatbuffers::FieldIndexToOffset(static_cast<flatbuffers::voffset_t>(i));
    auto code = tt->type_codes[i];
    auto et = static_cast<ElementaryType>(code.base_type);
    if (f.special == Special::kPresentFlag) {  // Discord: present (null) means true
      Scalar s{};
      s.et = ElementaryType::ET_BOOL;
      s.u = 1;
      pending.push_back({vt, false, 0, s});
      continue;
    }
    if (value.is_none()) continue;  // null = absent
    if (f.special == Special::kObjectId) {
      if (!PyDict_Check(value.ptr())) bad(fpath, "expected an object with an id, got " + type_name(value));
      PyObject* id = PyDict_GetItemString(value.ptr(), "id");
      if (!id) bad(fpath + ".id", "missing");
      Scalar s{};
      s.et = ElementaryType::ET_ULONG;
      s.u = integer_of<std::uint64_t>(id, fpath + ".id", true);
      pending.push_back({vt, false, 0, s});
      continue;
    }
    if (code.is_repeating) {
      pending.push_back({vt, true, build_vector(b, tt, i, value, fpath, f.snowflake), {}});
    } else if (et == ElementaryType::ET_STRING) {
      auto s = str_of(value, fpath, f.nonce);
      pending.push_back({vt, true, b.CreateString(s.data(), s.size()).o, {}});
    } else if (et == ElementaryType::ET_SEQUENCE) {
      const TypeTable* sub = tt->type_refs[code.sequence_ref]();
      if (sub->st != flatbuffers::ST_TABLE) bad(fpath, "unsupported field type");
      pending.push_back({vt, true, build_table(b, sub, value, fpath), {}});
    } else {
      pending.push_back({vt, false, 0, scalar_of(et, value, fpath, f.snowflake)});
    }
  }
  auto start = b.StartTable();
  for (const auto& p : pending) {
    if (p.is_offset) {
      b.AddOffset(p.vt, flatbuffers::Offset<void>(p.off));
    } else {
      add_scalar(b, p.vt, p.scalar);
    }
  }
  return b.EndTable(start);
}

}  // namespace

flatbuffers::DetachedBuffer dict_to_buffer(const TypeTable* tt, py::handle obj, const std::string& what,
                                           bool (*verify)(const std::uint8_t*, std::size_t)) {
  flatbuffers::FlatBufferBuilder b(512);
  b.ForceDefaults(true);  // a value the dict gives is stored, even when it equals the schema default
  auto root = build_table(b, tt, obj, what);
  b.Finish(flatbuffers::Offset<void>(root));
  auto buf = b.Release();
  if (!verify(buf.data(), buf.size())) bad(what, "does not make a valid entity (a required field is missing)");
  return buf;
}

}  // namespace snowcache_py
