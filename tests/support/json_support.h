// Support for the json suites (json_fb, json_out): JSON text as a simdjson
// On-Demand value, and json_fb's table built from it.
#pragma once

#include <string>
#include <string_view>

#include <doctest/doctest.h>

#include "json/json_fb.h"
#include "support.h"

namespace snowcache::testing {

// Runs `fn` on `json` parsed as an On-Demand value (an object or an array:
// a scalar cannot be a document's value).
template <class F>
auto with_value(std::string_view json, F&& fn) {
  simdjson::padded_string padded(json);
  simdjson::ondemand::parser parser;
  simdjson::ondemand::document doc;
  REQUIRE(parser.iterate(padded).get(doc) == simdjson::SUCCESS);
  simdjson::ondemand::value v;
  REQUIRE(doc.get_value().get(v) == simdjson::SUCCESS);
  return fn(v);
}

// The finished buffer of json_fb's table of type `tt` built from `json` (its path "d").
inline Result<std::string> build_json(const flatbuffers::TypeTable* tt, std::string_view json,
                                      const detail::JsonContext& ctx = {}, const detail::ExtraKey& extra = {},
                                      detail::Present* present = nullptr) {
  return with_value(json, [&](simdjson::ondemand::value v) -> Result<std::string> {
    flatbuffers::FlatBufferBuilder fbb;
    auto off = detail::build_table(fbb, tt, v, "d", ctx, extra, present);
    if (!off.ok()) return off.status();
    fbb.Finish(flatbuffers::Offset<void>(*off));
    return std::string(reinterpret_cast<const char*>(fbb.GetBufferPointer()), fbb.GetSize());
  });
}

// The same for a table type T, which must build and verify.
template <class T>
std::string built_json(std::string_view json, const detail::JsonContext& ctx = {}) {
  auto bytes = ok(build_json(T::MiniReflectTypeTable(), json, ctx));
  flatbuffers::Verifier verifier(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
  REQUIRE(verifier.VerifyBuffer<T>(nullptr));
  return bytes;
}

}  // namespace snowcache::testing
