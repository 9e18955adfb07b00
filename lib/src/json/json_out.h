// json_out — FlatBuffers tables back to Discord JSON, driven by the generated
// type tables (flatc --reflect-names): the opposite direction of json_fb.
//
// One generic walker writes any table: its fields in schema order, each under
// its schema name (= Discord's name), only the fields the buffer stores, plus
// the few the dump contract (docs/DUMP.md) wants even when not stored,
// written with their defaults (a guild's `unavailable`, a member's `roles`,
// ...). Snowflakes (ulong fields named `id`, `*_id`, `*_ids`, and the id and
// bitfield lists `roles`, `applied_tags`, `mention_roles`, `permissions`,
// `allow`, `deny`) are decimal strings as Discord writes them; other numbers
// are JSON numbers, doubles printed round-trip exact. Where the schema
// departs from Discord's JSON the walker maps back (EmbedField `inline_` is
// `inline`, a presence's `user_id` is `user: {id}`, a role tag flag that is
// true is Discord's `null`, so is a message's `referenced_message_deleted`
// (`"referenced_message": null`), a DM channel id's internal `seq` is left out).
//
// Output styles: compact is one line with Python's json.dumps separators
// (", " and ": "); pretty is a 2-space indent like `python3 -m json.tool
// --indent 2`, keys in field order. Strings are escaped as JSON requires
// (quotes, backslash, control characters); UTF-8 passes through, bytes that
// are not UTF-8 become U+FFFD.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <flatbuffers/flatbuffers.h>
#include <flatbuffers/minireflect.h>

namespace snowcache::detail {

// Appends `s` as a JSON string literal (with its quotes).
void append_json_string(std::string& out, std::string_view s);

// A streaming JSON writer: separators and indentation, nothing else.
class JsonWriter {
 public:
  JsonWriter(std::string& out, bool pretty) : out_(out), pretty_(pretty) {}

  void begin_object();
  void end_object();
  void begin_array();
  void end_array();
  // An object key; the next call writes its value.
  void key(std::string_view k);
  void string(std::string_view s);
  // A literal token: a number, true, false, null.
  void raw(std::string_view token);
  void null() { raw("null"); }
  void boolean(bool b) { raw(b ? "true" : "false"); }

 private:
  void before_value();
  void newline_indent(std::size_t depth);
  void open(char bracket);   // begins an object or array
  void close(char bracket);  // ends the innermost one

  std::string& out_;
  bool pretty_;
  std::vector<std::size_t> counts_;  // per open container: elements written
  bool after_key_ = false;
};

// Writes the table `table` of type `tt` as Discord JSON.
void write_table(JsonWriter& w, const flatbuffers::TypeTable* tt, const flatbuffers::Table* table);

// The table as a JSON document.
std::string table_json(const flatbuffers::TypeTable* tt, const void* table, bool pretty);

template <class T>
std::string to_json(const T& table, bool pretty) {
  return table_json(T::MiniReflectTypeTable(), &table, pretty);
}

// A double as JSON: shortest round-trip form, always with a fraction or an
// exponent ("2.0", "0.1", "1e+20"); NaN and infinities as null.
std::string json_double(double d);

}  // namespace snowcache::detail
