#include "model/fb_copy.h"

#include <cassert>
#include <cstring>
#include <iterator>
#include <vector>

namespace snowcache::detail {

namespace {

using flatbuffers::ElementaryType;
using flatbuffers::TypeTable;
using flatbuffers::uoffset_t;
using flatbuffers::voffset_t;

const TypeTable* table_ref(const TypeTable* tt, std::size_t i) { return table_type_of(tt, i); }

// A field of the copy: its offset (strings, vectors, tables), built before
// the table starts, or its scalar value.
struct Staged {
  voffset_t vo;
  std::size_t size;     // scalar size; 0 for an offset
  std::uint64_t value;  // the scalar's bits
  uoffset_t off;
};

uoffset_t copy_sub(flatbuffers::FlatBufferBuilder& fbb, const TypeTable* sub_tt, std::size_t field,
                   const flatbuffers::Table& sub, const CopyEdits& edits, bool may_drop) {
  if (edits.table) {
    if (auto r = edits.table(fbb, field, sub); r && (*r != 0 || may_drop)) return *r;
  }
  return copy_table(fbb, sub_tt, sub);
}

uoffset_t copy_vector(flatbuffers::FlatBufferBuilder& fbb, const TypeTable* tt, std::size_t i,
                      const flatbuffers::Table& table, voffset_t vo, const CopyEdits& edits) {
  auto et = static_cast<ElementaryType>(tt->type_codes[i].base_type);
  const auto* raw = table.GetPointer<const flatbuffers::Vector<uoffset_t>*>(vo);
  uoffset_t n = raw->size();
  if (et == ElementaryType::ET_STRING) {
    const auto* v = reinterpret_cast<const flatbuffers::Vector<flatbuffers::Offset<flatbuffers::String>>*>(raw);
    std::vector<flatbuffers::Offset<flatbuffers::String>> offs;
    offs.reserve(n);
    for (uoffset_t k = 0; k < n; ++k) offs.push_back(fbb.CreateString(v->Get(k)));
    return fbb.CreateVector(offs).o;
  }
  if (const TypeTable* sub = table_ref(tt, i)) {
    const auto* v = reinterpret_cast<const flatbuffers::Vector<flatbuffers::Offset<flatbuffers::Table>>*>(raw);
    std::vector<flatbuffers::Offset<void>> offs;
    offs.reserve(n);
    for (uoffset_t k = 0; k < n; ++k) offs.emplace_back(copy_sub(fbb, sub, i, *v->Get(k), edits, false));
    return fbb.CreateVector(offs).o;
  }
  std::size_t size = scalar_size(et);
  if (size == 0) return 0;
  if (edits.scalars) {
    if (auto r = edits.scalars(fbb, i, table)) return *r;
  }
  std::uint8_t* dst = nullptr;
  uoffset_t off = fbb.CreateUninitializedVector(n, size, &dst);
  if (n > 0) std::memcpy(dst, raw->Data(), n * size);
  return off;
}

std::uint64_t read_bits(const std::uint8_t* p, std::size_t size) {
  switch (size) {
    case 1: return flatbuffers::ReadScalar<std::uint8_t>(p);
    case 2: return flatbuffers::ReadScalar<std::uint16_t>(p);
    case 4: return flatbuffers::ReadScalar<std::uint32_t>(p);
    default: return flatbuffers::ReadScalar<std::uint64_t>(p);
  }
}

void add_scalar(flatbuffers::FlatBufferBuilder& fbb, const Staged& s) {
  // The two-argument AddElement stores the value whatever it is: presence
  // is copied, not re-derived from defaults.
  switch (s.size) {
    case 1: fbb.AddElement<std::uint8_t>(s.vo, static_cast<std::uint8_t>(s.value)); break;
    case 2: fbb.AddElement<std::uint16_t>(s.vo, static_cast<std::uint16_t>(s.value)); break;
    case 4: fbb.AddElement<std::uint32_t>(s.vo, static_cast<std::uint32_t>(s.value)); break;
    case 8: fbb.AddElement<std::uint64_t>(s.vo, s.value); break;
    default: break;
  }
}

// The field as the copy stores it; false when it is left out.
bool stage(flatbuffers::FlatBufferBuilder& fbb, const TypeTable* tt, const flatbuffers::Table& table, std::size_t i,
           const CopyEdits& edits, Staged& s) {
  auto vo = flatbuffers::FieldIndexToOffset(static_cast<voffset_t>(i));
  s = Staged{vo, 0, 0, 0};
  for (const auto& [field, value] : edits.set_u64) {
    if (field == i) {
      s.size = 8;
      s.value = value;
      return true;
    }
  }
  voffset_t at = table.GetOptionalFieldOffset(vo);
  if (at == 0) {
    for (const auto& [field, off] : edits.add_offsets) {
      if (field == i) s.off = off;
    }
    return s.off != 0;
  }
  auto code = tt->type_codes[i];
  auto et = static_cast<ElementaryType>(code.base_type);
  if (code.is_repeating) {
    s.off = copy_vector(fbb, tt, i, table, vo, edits);
  } else if (et == ElementaryType::ET_STRING) {
    s.off = fbb.CreateString(table.GetPointer<const flatbuffers::String*>(vo)).o;
  } else if (const TypeTable* sub = table_ref(tt, i)) {
    s.off = copy_sub(fbb, sub, i, *table.GetPointer<const flatbuffers::Table*>(vo), edits, true);
  } else if ((s.size = scalar_size(et)) != 0) {
    s.value = read_bits(reinterpret_cast<const std::uint8_t*>(&table) + at, s.size);
    return true;
  }
  return s.off != 0;
}

// The most fields a table of the schemas has (Guild: 38), with room to grow.
constexpr std::size_t kMaxFields = 64;

uoffset_t add_staged(flatbuffers::FlatBufferBuilder& fbb, const Staged* staged, std::size_t n);

uoffset_t copy_fields(flatbuffers::FlatBufferBuilder& fbb, const TypeTable* tt, const flatbuffers::Table& table,
                      std::size_t fields, const CopyEdits& edits) {
  assert(fields <= kMaxFields);
  Staged staged[kMaxFields];
  std::size_t n = 0;
  for (std::size_t i = 0; i < fields && i < kMaxFields; ++i) {
    if (stage(fbb, tt, table, i, edits, staged[n])) ++n;
  }
  return add_staged(fbb, staged, n);
}

uoffset_t add_staged(flatbuffers::FlatBufferBuilder& fbb, const Staged* staged, std::size_t n) {
  auto start = fbb.StartTable();
  // Largest scalars first, as flatc's generated builders do: less padding.
  for (std::size_t size : {8, 4, 2, 1}) {
    for (std::size_t k = 0; k < n; ++k) {
      if (staged[k].size == size) add_scalar(fbb, staged[k]);
    }
  }
  for (std::size_t k = 0; k < n; ++k) {
    if (staged[k].size == 0) fbb.AddOffset(staged[k].vo, flatbuffers::Offset<void>(staged[k].off));
  }
  return fbb.EndTable(start);
}

}  // namespace

const TypeTable* table_type_of(const TypeTable* tt, std::size_t field) {
  auto code = tt->type_codes[field];
  if (static_cast<ElementaryType>(code.base_type) != ElementaryType::ET_SEQUENCE || code.sequence_ref < 0) {
    return nullptr;
  }
  const TypeTable* sub = tt->type_refs[code.sequence_ref]();
  return sub->st == flatbuffers::ST_TABLE ? sub : nullptr;
}

int field_index(const TypeTable* tt, std::string_view name) {
  for (std::size_t j = 0; j < tt->num_elems; ++j) {
    if (name == tt->names[j]) return static_cast<int>(j);
  }
  return -1;
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

uoffset_t copy_table(flatbuffers::FlatBufferBuilder& fbb, const TypeTable* tt, const flatbuffers::Table& table,
                     const CopyEdits& edits) {
  return copy_fields(fbb, tt, table, tt->num_elems, edits);
}

std::string finish_bytes(flatbuffers::FlatBufferBuilder& fbb, uoffset_t root) {
  fbb.Finish(flatbuffers::Offset<void>(root));
  return std::string(reinterpret_cast<const char*>(fbb.GetBufferPointer()), fbb.GetSize());
}

uoffset_t merge_table(flatbuffers::FlatBufferBuilder& fbb, const TypeTable* tt, const flatbuffers::Table& base,
                      const flatbuffers::Table& over, const FieldSet& cleared) {
  assert(tt->num_elems <= kMaxFields);
  Staged staged[kMaxFields];
  std::size_t n = 0;
  for (std::size_t i = 0; i < tt->num_elems && i < kMaxFields; ++i) {
    if (cleared.test(i) && !has_field(over, i)) continue;
    if (stage(fbb, tt, has_field(over, i) ? over : base, i, {}, staged[n])) ++n;
  }
  return add_staged(fbb, staged, n);
}

uoffset_t copy_prefix(flatbuffers::FlatBufferBuilder& fbb, const TypeTable* tt, const flatbuffers::Table& table,
                      const TypeTable* as) {
  std::size_t n = as->num_elems < tt->num_elems ? as->num_elems : tt->num_elems;
  return copy_fields(fbb, tt, table, n, {});
}

std::size_t stored_fields(const TypeTable* tt, const flatbuffers::Table& table) {
  std::size_t n = 0;
  for (std::size_t i = 0; i < tt->num_elems; ++i) n += has_field(table, i) ? 1 : 0;
  return n;
}

}  // namespace snowcache::detail
