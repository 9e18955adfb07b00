#include "errors.h"

#include <array>
#include <utility>

namespace py = pybind11;

namespace snowcache_py {

namespace {

struct ErrorClass {
  snowcache::Code code;
  const char* name;
  const char* doc;
};

// One Python class per Code (kOk has none). ReadOnlyError, NotFoundError and
// IOFailureError avoid shadowing Python's builtins of similar names.
constexpr std::array kClasses = {
    ErrorClass{snowcache::Code::kInvalidArgument, "InvalidArgumentError",
               "Bad input: a malformed entity or event, a missing scope, a bad key."},
    ErrorClass{snowcache::Code::kCorruption, "CorruptionError", "A stored value or file failed verification."},
    ErrorClass{snowcache::Code::kIOError, "IOFailureError", "The filesystem failed (full disk, permissions, ...)."},
    ErrorClass{snowcache::Code::kNotACache, "NotACacheError", "The directory exists but is not a snowcache cache."},
    ErrorClass{snowcache::Code::kFormatMismatch, "FormatMismatchError",
               "The cache was written by an incompatible format version."},
    ErrorClass{snowcache::Code::kInUse, "InUseError", "Another process (or handle) holds the cache for writing."},
    ErrorClass{snowcache::Code::kReadOnly, "ReadOnlyError", "A write on a read-only or secondary handle."},
    ErrorClass{snowcache::Code::kNotFound, "NotFoundError", "A required thing (directory, file) does not exist."},
    ErrorClass{snowcache::Code::kFailed, "FailedError",
               "An earlier write failed: the handle refuses writes until the cache is reopened."},
};

// The classes, kept for the lifetime of the interpreter (never released).
PyObject* g_base = nullptr;
PyObject* g_closed = nullptr;
std::array<PyObject*, kClasses.size()> g_classes{};

PyObject* class_for(snowcache::Code code) {
  for (std::size_t i = 0; i < kClasses.size(); ++i) {
    if (kClasses[i].code == code) return g_classes[i];
  }
  return g_base;
}

// Raises an instance of `cls` with `message`, `code` set on it.
void raise(PyObject* cls, const std::string& text, const char* code, const std::string& message) {
  py::object exc = py::reinterpret_steal<py::object>(PyObject_CallFunction(cls, "s", text.c_str()));
  if (!exc) return;  // the call set a Python error already
  exc.attr("code") = py::str(code);
  exc.attr("message") = py::str(message);
  PyErr_SetObject(cls, exc.ptr());
}

void raise_status(const snowcache::Status& s) {
  raise(class_for(s.code()), s.to_string(), code_id(s.code()).c_str(), s.message());
}

}  // namespace

std::string code_id(snowcache::Code code) {
  std::string id = snowcache::code_name(code);
  for (char& c : id) {
    if (c == ' ') c = '_';
  }
  return id;
}

void register_errors(py::module_& m) {
  py::object base = py::reinterpret_steal<py::object>(
      PyErr_NewExceptionWithDoc("snowcache.Error",
                                "Base class of every snowcache error. `code` is the library's code name "
                                "(\"corruption\", \"in_use\", ...), `message` its message.",
                                PyExc_RuntimeError, nullptr));
  m.add_object("Error", base);
  g_base = base.release().ptr();
  for (std::size_t i = 0; i < kClasses.size(); ++i) {
    std::string qual = std::string("snowcache.") + kClasses[i].name;
    py::object cls = py::reinterpret_steal<py::object>(
        PyErr_NewExceptionWithDoc(qual.c_str(), kClasses[i].doc, g_base, nullptr));
    m.add_object(kClasses[i].name, cls);
    g_classes[i] = cls.release().ptr();
  }
  py::object closed = py::reinterpret_steal<py::object>(PyErr_NewExceptionWithDoc(
      "snowcache.ClosedError", "The cache handle was closed.", g_base, nullptr));
  m.add_object("ClosedError", closed);
  g_closed = closed.release().ptr();

  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const StatusError& e) {
      raise_status(e.status());
    } catch (const snowcache::Error& e) {  // a view hitting a fault while read
      raise_status(e.status());
    } catch (const ClosedError& e) {
      raise(g_closed, e.what(), "closed", e.what());
    }
  });
}

}  // namespace snowcache_py
