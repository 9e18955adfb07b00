// fb_copy — copies a FlatBuffers table into a builder, field by field,
// driven by the generated type tables (flatc --reflect-names), with chosen
// sub-tables replaced on the way.
//
// The write path stores references instead of copies of users and members
// (a member's `user` is a table holding only the user's id), and reads join
// the current records back in. Both are this copy: a table with some of its
// sub-tables (a field, or an element of a vector of tables) swapped for
// another table built in the same builder.
//
// Presence is kept exactly: a field the source stores is stored in the copy,
// also when it equals its default (an optional scalar that is 0 stays 0, not
// null); a field the source lacks stays absent. The schemas have tables,
// vectors, strings and scalars only (no structs, unions or enums); anything
// else is not copied.
#pragma once

#include <bitset>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <flatbuffers/flatbuffers.h>
#include <flatbuffers/minireflect.h>

namespace snowcache::detail {

// What a copy changes. Every hook applies at the top level only: the
// sub-tables of a copied sub-table are copied as they are.
struct CopyEdits {
  // For a sub-table of field `field` (a table field, or an element of a
  // vector of tables): the offset of the table to store instead, built in
  // `fbb` by the callee; std::nullopt to copy it as it is; 0 to leave a table
  // field out (an element of a vector cannot be left out: 0 copies it).
  std::function<std::optional<flatbuffers::uoffset_t>(flatbuffers::FlatBufferBuilder& fbb, std::size_t field,
                                                      const flatbuffers::Table& sub)>
      table;
  // For a stored field that is a vector of scalars: the vector to store
  // instead (std::nullopt: copy it).
  std::function<std::optional<flatbuffers::uoffset_t>(flatbuffers::FlatBufferBuilder& fbb, std::size_t field,
                                                      const flatbuffers::Table& parent)>
      scalars;
  // 64-bit scalar fields to store with these values, stored or not.
  std::vector<std::pair<std::size_t, std::uint64_t>> set_u64;
  // Offset fields (tables, vectors, strings) to store when the source does
  // not: the offsets, built in `fbb` before the copy.
  std::vector<std::pair<std::size_t, flatbuffers::uoffset_t>> add_offsets;
};

// Copies `table` (of type `tt`) into `fbb` and returns the new table's offset.
flatbuffers::uoffset_t copy_table(flatbuffers::FlatBufferBuilder& fbb, const flatbuffers::TypeTable* tt,
                                  const flatbuffers::Table& table, const CopyEdits& edits = {});

// A set of fields of a table, by index (no schema table has more than 64).
using FieldSet = std::bitset<64>;

// A copy of `base` with every field `over` stores taken from `over` instead,
// and the fields in `cleared` left out (both of type `tt`): a partial object
// written over a whole one, its nulls unsetting fields.
flatbuffers::uoffset_t merge_table(flatbuffers::FlatBufferBuilder& fbb, const flatbuffers::TypeTable* tt,
                                   const flatbuffers::Table& base, const flatbuffers::Table& over,
                                   const FieldSet& cleared = {});

// Finishes `root` as the buffer's root and returns the buffer's bytes.
std::string finish_bytes(flatbuffers::FlatBufferBuilder& fbb, flatbuffers::uoffset_t root);

// Copies the fields of `table` (type `tt`) that `as` also has, by index:
// `as` must be `tt`'s leading fields in the same order (OwnUser begins with
// every field of User). Returns the offset of a table of type `as`.
flatbuffers::uoffset_t copy_prefix(flatbuffers::FlatBufferBuilder& fbb, const flatbuffers::TypeTable* tt,
                                   const flatbuffers::Table& table, const flatbuffers::TypeTable* as);

// Whether `table` stores field `field`.
inline bool has_field(const flatbuffers::Table& table, std::size_t field) {
  return table.GetOptionalFieldOffset(flatbuffers::FieldIndexToOffset(static_cast<flatbuffers::voffset_t>(field))) != 0;
}

// The table type of field `field` of `tt` (also for a vector of tables), or
// nullptr when the field is not a table.
const flatbuffers::TypeTable* table_type_of(const flatbuffers::TypeTable* tt, std::size_t field);

// The index of field `name` in `tt`, or -1.
int field_index(const flatbuffers::TypeTable* tt, std::string_view name);

// The size of a scalar of elementary type `et` (0 for strings, vectors,
// tables).
std::size_t scalar_size(flatbuffers::ElementaryType et);

// The number of fields `table` stores.
std::size_t stored_fields(const flatbuffers::TypeTable* tt, const flatbuffers::Table& table);

}  // namespace snowcache::detail
