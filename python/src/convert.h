// python/src/convert.h — stored entities as Python dicts in Discord's JSON
// shape, and dicts back into entities for the setters.
//
// to_dict walks a verified FlatBuffer with its generated mini-reflection
// table (flatc --reflect-names, so it follows the schemas without per-field
// code) and builds the dict json.loads(snowcache::entity_json(...)) would
// give: Discord's field names, snowflakes as decimal strings, the same
// always-present fields. It exists because the public API has no
// "JSON of a Value" call (only entity_json, which looks the entity up again
// by key, outside any view's snapshot); the Discord-specific rules it shares
// with the library's JSON writer are listed in convert.cc and checked
// against entity_json by python/tests/test_binding.py.
//
// from_dict is the inverse: a dict in that shape (snowflakes as strings or
// ints) is built into a FlatBuffer of the table, verified, and unpacked into
// flatc's object-API type that the MutableCache setters take. A value of the
// wrong type or a missing required field is StatusError(kInvalidArgument)
// naming the field path; keys that name no stored field are ignored (as the
// gateway ingest ignores fields the cache does not keep); None = absent.
//
// Both need the GIL.
#pragma once

#include <memory>
#include <string>

#include <flatbuffers/flatbuffers.h>
#include <pybind11/pybind11.h>

#include "errors.h"
#include "snowcache/value.h"

namespace snowcache_py {

// The dict of the table at `table` (a flatbuffers::Table of type `tt`).
pybind11::object table_to_dict(const flatbuffers::TypeTable* tt, const void* table);

template <class T>
pybind11::object to_dict(const snowcache::Value<T>& v) {
  return table_to_dict(T::MiniReflectTypeTable(), v.get());
}

// A finished, verified FlatBuffer of `tt` built from `obj` (a dict).
// `what` names the root in errors ("member"). Throws StatusError.
flatbuffers::DetachedBuffer dict_to_buffer(const flatbuffers::TypeTable* tt, pybind11::handle obj,
                                           const std::string& what,
                                           bool (*verify)(const std::uint8_t*, std::size_t));

template <class T>
std::unique_ptr<typename T::NativeTableType> from_dict(pybind11::handle obj, const std::string& what) {
  auto buf = dict_to_buffer(T::MiniReflectTypeTable(), obj, what, [](const std::uint8_t* p, std::size_t n) {
    flatbuffers::Verifier v(p, n);
    return v.VerifyBuffer<T>(nullptr);
  });
  return std::unique_ptr<typename T::NativeTableType>(flatbuffers::GetRoot<T>(buf.data())->UnPack());
}

}  // namespace snowcache_py
