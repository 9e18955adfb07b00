// Gateway (ingest of raw gateway frames, atomically with the shard's
// sequence), the fixture helpers, and the outcome types.
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include <pybind11/stl.h>

#include "handle.h"
#include "snowcache/fixture.h"

namespace snowcache_py {

namespace py = pybind11;

namespace {

// A Gateway for Python: one thread at a time (the library's rule), enforced by mu_.
class PyGateway {
 public:
  explicit PyGateway(const PyMutableCache& cache) : h_(cache.handle()) {
    std::unique_lock lock(h_->mu);
    if (!h_->cache) throw ClosedError("the cache is closed");
    h_->gateways.push_back(std::make_unique<snowcache::Gateway>(*h_->writer));
    gw_ = h_->gateways.back().get();
  }

  // f(Gateway&) without the GIL.
  template <class F>
  auto run(F&& f) {
    py::gil_scoped_release nogil;
    std::lock_guard own(mu_);
    std::shared_lock lock(h_->mu);
    if (!h_->cache) throw ClosedError("the cache is closed");
    return f(*gw_);
  }

 private:
  std::shared_ptr<CacheHandle> h_;
  snowcache::Gateway* gw_ = nullptr;  // owned by h_ (destroyed by close())
  std::mutex mu_;
};

// bytes, bytearray, memoryview or str as a view of its UTF-8 bytes (valid while `o` lives).
std::string_view bytes_of(py::handle o, py::buffer_info* keep) {
  if (PyUnicode_Check(o.ptr())) {
    Py_ssize_t n = 0;
    const char* s = PyUnicode_AsUTF8AndSize(o.ptr(), &n);
    if (!s) throw py::error_already_set();
    return {s, static_cast<std::size_t>(n)};
  }
  if (PyBytes_Check(o.ptr())) {
    return {PyBytes_AS_STRING(o.ptr()), static_cast<std::size_t>(PyBytes_GET_SIZE(o.ptr()))};
  }
  if (PyObject_CheckBuffer(o.ptr())) {
    *keep = py::reinterpret_borrow<py::buffer>(o).request();
    if (keep->ndim != 1 || keep->itemsize != 1) throw py::type_error("expected a contiguous byte buffer");
    return {static_cast<const char*>(keep->ptr), static_cast<std::size_t>(keep->size)};
  }
  throw py::type_error(std::string("expected bytes or str, got ") + Py_TYPE(o.ptr())->tp_name);
}

struct PyIngestResult {
  snowcache::Outcome outcome;
  std::string event;
  std::optional<std::int64_t> sequence;
  std::string code;     // "ok", or the Code name when rejected
  std::string message;  // why, when rejected
};

PyIngestResult result_of(snowcache::IngestResult&& r) {
  return {r.outcome, std::move(r.event), r.sequence, code_id(r.status.code()), r.status.message()};
}

// snowcache.Outcome (a Python enum.Enum, so members compare with `is`), its members looked up once.
py::object outcome_obj(snowcache::Outcome o) {
  static PyObject* members[4] = {};
  auto i = static_cast<std::size_t>(o);
  if (!members[i]) {
    py::object cls = py::module_::import("snowcache._types").attr("Outcome");
    members[i] = py::object(cls(py::str(snowcache::outcome_name(o)))).release().ptr();
  }
  return py::reinterpret_borrow<py::object>(members[i]);
}

py::object report_obj(const snowcache::FixtureReport& r) {
  py::object cls = py::module_::import("snowcache._types").attr("FixtureReport");
  return cls(r.applied, r.duplicate, r.ignored, r.rejected, r.rejections);
}

}  // namespace

void bind_gateway(py::module_& m) {
  py::class_<PyIngestResult>(m, "IngestResult", "The outcome of one ingested frame.")
      .def_property_readonly("outcome", [](const PyIngestResult& r) { return outcome_obj(r.outcome); },
                             "A snowcache.Outcome.")
      .def_readonly("event", &PyIngestResult::event, "The dispatch name, '' for control frames.")
      .def_readonly("sequence", &PyIngestResult::sequence, "The frame's `s`, or None.")
      .def_readonly("code", &PyIngestResult::code, "'ok', or the error code name when rejected.")
      .def_readonly("message", &PyIngestResult::message, "Why it was rejected (event, sequence, field).")
      .def_property_readonly("ok", [](const PyIngestResult& r) { return r.outcome != snowcache::Outcome::kRejected; })
      .def("__repr__", [](const PyIngestResult& r) {
        std::string s = "<IngestResult " + std::string(snowcache::outcome_name(r.outcome));
        if (!r.event.empty()) s += " " + r.event;
        if (r.sequence) s += " s=" + std::to_string(*r.sequence);
        if (r.outcome == snowcache::Outcome::kRejected) s += ": " + r.code + ": " + r.message;
        return s + ">";
      });

  py::class_<PyGateway>(m, "Gateway", R"doc(
Applies Discord gateway dispatches to a MutableCache: each one in one atomic batch together with the
shard's new sequence number, so after any restart (clean or SIGKILL) the cache is exactly the state
after the last applied event and Cache.session(shard) says which one that was (RESUME). One thread
at a time per Gateway (calls from other threads wait); readers run meanwhile. The GIL is released
while a frame is applied. Closing the cache closes its Gateways.
)doc")
      .def(py::init<const PyMutableCache&>(), py::arg("cache"), py::keep_alive<1, 2>())
      .def(
          "ingest_frame",
          [](PyGateway& g, std::uint32_t shard, py::handle frame) {
            py::buffer_info keep;
            std::string_view text = bytes_of(frame, &keep);
            return result_of(g.run([&](snowcache::Gateway& gw) { return gw.ingest_frame(shard, text); }));
          },
          py::arg("shard"), py::arg("frame"),
          "Ingests a whole frame as received ({\"op\":0,\"t\":...,\"s\":N,\"d\":{...}}, bytes or str). Never "
          "raises for bad input: the IngestResult says what happened.")
      .def(
          "ingest",
          [](PyGateway& g, std::uint32_t shard, const std::string& event, std::optional<std::int64_t> sequence,
             py::handle payload) {
            py::buffer_info keep;
            std::string_view text = bytes_of(payload, &keep);
            return result_of(
                g.run([&](snowcache::Gateway& gw) { return gw.ingest(shard, event, sequence, text); }));
          },
          py::arg("shard"), py::arg("event"), py::arg("sequence"), py::arg("payload"),
          "The split form: the dispatch name, its `s` (None for null) and the JSON text of `d` (bytes or str).")
      .def(
          "set_max_frame_bytes",
          [](PyGateway& g, std::size_t n) { g.run([&](snowcache::Gateway& gw) { gw.set_max_frame_bytes(n); }); },
          py::arg("n"), "Frames larger than this are rejected. Default: 64 MiB.")
      .def(
          "ingest_file",
          [](PyGateway& g, const std::string& path, std::uint32_t shard) {
            auto r = g.run([&](snowcache::Gateway& gw) { return snowcache::ingest_file(gw, path, shard); });
            check(r.status());
            return report_obj(*r);
          },
          py::arg("path"), py::arg("shard") = 0,
          "Ingests every frame of an NDJSON file (blank lines and lines starting with '#' skipped); returns a "
          "FixtureReport (rejections do not stop it). Raises NotFoundError, IOFailureError.");

  m.def(
      "cache_from_fixture",
      [](const std::string& ndjson_path, std::optional<std::string> directory, py::object settings,
         std::uint32_t shard, bool fail_on_rejection) {
        snowcache::FixtureOptions fo;
        if (directory) fo.directory = *directory;
        if (!settings.is_none()) {
          fo.options.settings = settings_from(settings);
        }
        fo.shard = shard;
        fo.fail_on_rejection = fail_on_rejection;
        snowcache::FixtureReport report;
        auto h = std::make_shared<CacheHandle>();
        h->path = fo.directory;
        {
          py::gil_scoped_release nogil;
          auto r = snowcache::cache_from_fixture(ndjson_path, fo, &report);
          if (!r.ok()) throw StatusError(r.status());
          h->writer = r->get();
          h->cache = std::move(*r);
        }
        return py::make_tuple(std::make_shared<PyMutableCache>(h), report_obj(report));
      },
      py::arg("ndjson_path"), py::kw_only(), py::arg("directory") = py::none(), py::arg("settings") = py::none(),
      py::arg("shard") = 0, py::arg("fail_on_rejection") = true,
      "A fresh cache (in memory unless `directory` is given) with every frame of an NDJSON gateway stream "
      "ingested as `shard`. Returns (MutableCache, FixtureReport). Raises InvalidArgumentError for a rejected "
      "frame (with fail_on_rejection), NotFoundError for an unreadable file, and the errors of "
      "MutableCache.open.");
}

}  // namespace snowcache_py
