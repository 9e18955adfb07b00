// python/src/views.h — CacheView and NestedView as Python objects.
//
// One Python class for every CacheView<K, V> (`_View`) and one for every
// NestedView<V> (`_NestedView`), type-erased behind AnyView / AnyNested. A
// view is the library's snapshot: keys and values from the moment it was
// taken. Keys are ints (snowflakes) or strs (invite codes); values are dicts
// (convert.h). Reads release the GIL; iteration reads entries in batches
// without the GIL and converts each batch with it.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <pybind11/pybind11.h>

#include "convert.h"
#include "errors.h"
#include "snowcache/view.h"

namespace snowcache_py {

namespace py = pybind11;

inline py::object key_obj(snowcache::Snowflake k) { return py::int_(k.value()); }
inline py::object key_obj(const std::string& k) { return py::str(k); }

// A Python key as K; nullopt when it cannot name an entry (wrong type, out of range).
template <class K>
std::optional<K> key_from(py::handle o);
template <>
inline std::optional<snowcache::Snowflake> key_from(py::handle o) {
  if (!PyLong_Check(o.ptr()) || PyBool_Check(o.ptr())) return std::nullopt;
  unsigned long long v = PyLong_AsUnsignedLongLong(o.ptr());
  if (PyErr_Occurred()) {
    PyErr_Clear();
    return std::nullopt;
  }
  return snowcache::Snowflake(v);
}
template <>
inline std::optional<std::string> key_from(py::handle o) {
  if (!PyUnicode_Check(o.ptr())) return std::nullopt;
  return py::reinterpret_borrow<py::str>(o).cast<std::string>();
}

enum class IterMode { kKeys, kValues, kItems };

class AnyIter {
 public:
  virtual ~AnyIter() = default;
  // The next key, value or (key, value); nullptr-object at the end.
  virtual py::object next() = 0;
};

class AnyView {
 public:
  virtual ~AnyView() = default;
  virtual std::size_t size() const = 0;
  virtual py::object get(py::handle key) const = 0;  // the dict, or None
  virtual py::list keys() const = 0;
  virtual py::object item_at(py::ssize_t i) const = 0;
  virtual py::list slice(py::ssize_t start, std::optional<py::ssize_t> stop, py::ssize_t step) const = 0;
  virtual std::unique_ptr<AnyIter> iter(IterMode mode) const = 0;
};

template <class K, class V>
class ViewIter final : public AnyIter {
 public:
  ViewIter(snowcache::CacheView<K, V> view, IterMode mode) : view_(std::move(view)), mode_(mode) {}

  py::object next() override {
    if (pos_ == keys_.size()) {
      refill();
      if (keys_.empty()) return py::object();
    }
    std::size_t i = pos_++;
    switch (mode_) {
      case IterMode::kKeys: return key_obj(keys_[i]);
      case IterMode::kValues: return to_dict(*values_[i]);
      case IterMode::kItems: return py::make_tuple(key_obj(keys_[i]), to_dict(*values_[i]));
    }
    return py::object();
  }

 private:
  static constexpr std::size_t kBatch = 256;

  void refill() {
    keys_.clear();
    values_.clear();
    pos_ = 0;
    if (done_) return;
    py::gil_scoped_release nogil;
    if (!started_) {
      it_ = view_.begin();
      started_ = true;
    } else {
      ++it_;
    }
    while (it_ != view_.end()) {
      keys_.push_back(it_.key());
      if (mode_ != IterMode::kKeys) values_.emplace_back(it_.value());
      if (keys_.size() == kBatch) return;  // it_ stays on the last entry taken
      ++it_;
    }
    done_ = true;
  }

  snowcache::CacheView<K, V> view_;
  IterMode mode_;
  typename snowcache::CacheView<K, V>::iterator it_;
  bool started_ = false, done_ = false;
  std::vector<K> keys_;
  std::vector<std::optional<snowcache::Value<V>>> values_;
  std::size_t pos_ = 0;
};

template <class K, class V>
class ViewImpl final : public AnyView {
 public:
  explicit ViewImpl(snowcache::CacheView<K, V> v) : v_(std::move(v)) {}

  std::size_t size() const override {
    py::gil_scoped_release nogil;
    return v_.size();
  }
  py::object get(py::handle key) const override {
    auto k = key_from<K>(key);
    if (!k) return py::none();
    snowcache::Maybe<V> got = [&] {
      py::gil_scoped_release nogil;
      return v_.get(*k);
    }();
    check(got.status());
    if (!*got) return py::none();
    return to_dict(**got);
  }
  py::list keys() const override {
    std::vector<K> ks = [&] {
      py::gil_scoped_release nogil;
      return v_.keys();
    }();
    py::list out(ks.size());
    for (std::size_t i = 0; i < ks.size(); ++i) out[i] = key_obj(ks[i]);
    return out;
  }
  py::object item_at(py::ssize_t i) const override {
    if (i < 0) throw py::index_error("view index out of range: negative indexes are not supported");
    snowcache::Value<V> v = [&] {
      py::gil_scoped_release nogil;
      return v_.get_item_at(static_cast<std::ptrdiff_t>(i));
    }();
    return to_dict(v);
  }
  py::list slice(py::ssize_t start, std::optional<py::ssize_t> stop, py::ssize_t step) const override {
    if (start < 0 || step < 0 || (stop && *stop < 0))
      throw py::index_error("view slice: negative bounds and steps are not supported");
    if (step == 0) throw py::value_error("slice step cannot be zero");
    snowcache::Slice s;
    s.start = start;
    if (stop) s.stop = *stop;
    s.step = step;
    std::vector<snowcache::Value<V>> vs = [&] {
      py::gil_scoped_release nogil;
      return v_.get_item_at(s);
    }();
    py::list out(vs.size());
    for (std::size_t i = 0; i < vs.size(); ++i) out[i] = to_dict(vs[i]);
    return out;
  }
  std::unique_ptr<AnyIter> iter(IterMode mode) const override { return std::make_unique<ViewIter<K, V>>(v_, mode); }

 private:
  snowcache::CacheView<K, V> v_;
};

// A view object for Python.
struct PyView {
  std::shared_ptr<AnyView> impl;
};
struct PyViewIter {
  std::unique_ptr<AnyIter> impl;
};

template <class K, class V>
PyView make_view(snowcache::CacheView<K, V> v) {
  return PyView{std::make_shared<ViewImpl<K, V>>(std::move(v))};
}

class AnyNested {
 public:
  virtual ~AnyNested() = default;
  virtual std::vector<snowcache::Snowflake> keys() const = 0;
  virtual std::optional<PyView> get(snowcache::Snowflake guild) const = 0;
  virtual PyView item_at(py::ssize_t i) const = 0;
  virtual std::vector<std::pair<snowcache::Snowflake, PyView>> items() const = 0;
};

template <class V>
class NestedImpl final : public AnyNested {
 public:
  explicit NestedImpl(snowcache::NestedView<V> v) : v_(std::move(v)) {}
  std::vector<snowcache::Snowflake> keys() const override {
    py::gil_scoped_release nogil;
    return v_.keys();
  }
  std::optional<PyView> get(snowcache::Snowflake guild) const override {
    auto inner = [&] {
      py::gil_scoped_release nogil;
      return v_.get(guild);
    }();
    if (!inner) return std::nullopt;
    return make_view(std::move(*inner));
  }
  PyView item_at(py::ssize_t i) const override {
    if (i < 0) throw py::index_error("view index out of range: negative indexes are not supported");
    auto inner = [&] {
      py::gil_scoped_release nogil;
      return v_.get_item_at(static_cast<std::ptrdiff_t>(i));
    }();
    return make_view(std::move(inner));
  }
  std::vector<std::pair<snowcache::Snowflake, PyView>> items() const override {
    auto all = [&] {
      py::gil_scoped_release nogil;
      return v_.items();
    }();
    std::vector<std::pair<snowcache::Snowflake, PyView>> out;
    out.reserve(all.size());
    for (auto& [g, inner] : all) out.emplace_back(g, make_view(std::move(inner)));
    return out;
  }

 private:
  snowcache::NestedView<V> v_;
};

struct PyNestedView {
  std::shared_ptr<AnyNested> impl;
};

template <class V>
PyNestedView make_nested(snowcache::NestedView<V> v) {
  return PyNestedView{std::make_shared<NestedImpl<V>>(std::move(v))};
}

}  // namespace snowcache_py
