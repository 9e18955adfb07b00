#include "views.h"

#include <pybind11/stl.h>

namespace snowcache_py {

void bind_views(py::module_& m) {
  py::class_<PyViewIter>(m, "ViewIterator", "An iterator over a view's keys, values or items.")
      .def("__iter__", [](py::object self) { return self; })
      .def("__next__", [](PyViewIter& it) {
        py::object next = it.impl->next();
        if (!next) throw py::stop_iteration();
        return next;
      });

  py::class_<PyView>(m, "View",
                     "A snapshot of part of the cache: a read-only mapping of key (int snowflake, or str invite "
                     "code) to entity (dict, Discord's JSON shape). Keys and values are those of the moment the "
                     "view was taken. Reading it may raise snowcache.CorruptionError or IOFailureError.")
      .def("__len__", [](const PyView& v) { return v.impl->size(); })
      .def("__bool__", [](const PyView& v) { return v.impl->size() != 0; })
      .def("__contains__", [](const PyView& v, py::handle key) { return !v.impl->get(key).is_none(); })
      .def("__getitem__",
           [](const PyView& v, py::handle key) {
             py::object got = v.impl->get(key);
             if (got.is_none()) throw py::key_error(py::repr(key).cast<std::string>());
             return got;
           })
      .def(
          "get", [](const PyView& v, py::handle key, py::object dflt) {
            py::object got = v.impl->get(key);
            return got.is_none() ? dflt : got;
          },
          py::arg("key"), py::arg("default") = py::none(), "The entity under `key`, or `default`.")
      .def("__iter__", [](const PyView& v) { return PyViewIter{v.impl->iter(IterMode::kKeys)}; })
      .def("keys", [](const PyView& v) { return v.impl->keys(); }, "All keys, in view order (a list).")
      .def("values", [](const PyView& v) { return PyViewIter{v.impl->iter(IterMode::kValues)}; },
           "An iterator over the values, in view order (one walk of the snapshot).")
      .def("items", [](const PyView& v) { return PyViewIter{v.impl->iter(IterMode::kItems)}; },
           "An iterator over (key, value) pairs, in view order (one walk of the snapshot).")
      .def(
          "get_item_at",
          [](const PyView& v, py::object index) -> py::object {
            if (PySlice_Check(index.ptr())) {
              py::slice s = py::reinterpret_borrow<py::slice>(index);
              auto part = [](py::object o, py::ssize_t dflt) -> std::optional<py::ssize_t> {
                if (o.is_none()) return dflt < 0 ? std::nullopt : std::optional<py::ssize_t>(dflt);
                return o.cast<py::ssize_t>();
              };
              auto start = part(s.attr("start"), 0);
              auto stop = part(s.attr("stop"), -1);
              auto step = part(s.attr("step"), 1);
              return v.impl->slice(*start, stop, *step);
            }
            return v.impl->item_at(index.cast<py::ssize_t>());
          },
          py::arg("index"),
          "The value at `index` in view order, or a list of values for a slice. IndexError when out of "
          "range (negative indexes and steps are not supported).");
  py::class_<PyNestedView>(m, "NestedView",
                           "guild id -> view of that guild's entries (members, presences, voice states). Only "
                           "guilds with at least one entry appear, in ascending id order; every inner view reads "
                           "the same snapshot.")
      .def("__len__", [](const PyNestedView& v) { return v.impl->keys().size(); })
      .def("__bool__", [](const PyNestedView& v) { return !v.impl->keys().empty(); })
      .def("keys",
           [](const PyNestedView& v) {
             py::list out;
             for (auto g : v.impl->keys()) out.append(py::int_(g.value()));
             return out;
           })
      .def("__iter__",
           [](const PyNestedView& v) {
             py::list out;
             for (auto g : v.impl->keys()) out.append(py::int_(g.value()));
             return py::iter(out);
           })
      .def("__contains__",
           [](const PyNestedView& v, py::handle key) {
             auto k = key_from<snowcache::Snowflake>(key);
             return k && v.impl->get(*k).has_value();
           })
      .def("__getitem__",
           [](const PyNestedView& v, py::handle key) -> PyView {
             auto k = key_from<snowcache::Snowflake>(key);
             std::optional<PyView> got;
             if (k) got = v.impl->get(*k);
             if (!got) throw py::key_error(py::repr(key).cast<std::string>());
             return *got;
           })
      .def(
          "get",
          [](const PyNestedView& v, py::handle key, py::object dflt) -> py::object {
            auto k = key_from<snowcache::Snowflake>(key);
            if (!k) return dflt;
            auto got = v.impl->get(*k);
            return got ? py::cast(*got) : dflt;
          },
          py::arg("key"), py::arg("default") = py::none())
      .def("items",
           [](const PyNestedView& v) {
             py::list out;
             for (auto& [g, inner] : v.impl->items()) out.append(py::make_tuple(py::int_(g.value()), inner));
             return out;
           })
      .def("values",
           [](const PyNestedView& v) {
             py::list out;
             for (auto& [g, inner] : v.impl->items()) out.append(py::cast(inner));
             return out;
           })
      .def(
          "get_item_at",
          [](const PyNestedView& v, py::object index) -> py::object {
            if (PySlice_Check(index.ptr())) {
              py::list keys;
              for (auto g : v.impl->keys()) keys.append(py::int_(g.value()));
              py::list out;
              for (auto g : keys[py::reinterpret_borrow<py::slice>(index)]) {
                auto inner = v.impl->get(snowcache::Snowflake(g.cast<std::uint64_t>()));
                if (inner) out.append(py::cast(*inner));
              }
              return out;
            }
            return py::cast(v.impl->item_at(index.cast<py::ssize_t>()));
          },
          py::arg("index"));
}

}  // namespace snowcache_py
