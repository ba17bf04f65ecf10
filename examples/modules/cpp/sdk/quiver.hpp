/*
 * quiver.hpp — the C++17 kit for Quiver step modules: a header over the C SDK
 * (modules/sdk/quiver.h), so a module is a class with `begin` and `batch` members and the C SDK
 * does the Arrow IPC and the ABI (modules/sdk/ABI.md, v2 reactor or v1 command).
 *
 * What it adds over the C header:
 * - RAII owners: Schema, Column, Batch and Builder free what they own when they go out of scope
 *   and are move-only, so nothing leaks on an early return.
 * - Views: ColumnView and BatchView borrow the SDK's structs; `values<T>()` gives a Span over a
 *   column's fixed-width values, `str(i)` a std::string_view, `number(i)` a std::optional.
 * - Errors: every fallible call returns a [[nodiscard]] Status (or Result<T>); QUIVER_TRY and
 *   QUIVER_ASSIGN return early on failure. At the module boundary (QUIVER_MODULE) a failed Status — and any
 *   C++ exception, where the toolchain supports them — becomes the step's error message.
 *
 * Why Status and not exceptions: Debian's libc++abi-19-dev-wasm32 is built without exception
 * support (linking a `throw` fails on __cxa_throw, and -fwasm-exceptions on __cxa_begin_catch),
 * so the kit builds with -fno-exceptions. The boundary still catches exceptions when a
 * toolchain with wasm exception handling compiles it with exceptions on (__cpp_exceptions).
 *
 * Ownership follows the C SDK's rules (quiver.h): batches passed to `batch` are borrowed for the
 * call; a column borrowed into an output Batch must outlive the write.
 */
#ifndef QUIVER_HPP
#define QUIVER_HPP

#include <cstddef>
#include <cstdint>
#include <exception>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "quiver.h"

namespace quiver {

/** The outcome of a fallible call: ok, or an errno-style code with a message naming what and
 * where (e.g. `scale: no column 'x' in the input`). */
class [[nodiscard]] Status {
 public:
  static Status ok() { return Status(); }
  static Status error(int code, std::string message) { return Status(code, std::move(message)); }
  /** The status of a C SDK call that returned `rc` and filled `err`. */
  static Status from(int rc, const qv_error &err) {
    return rc == QV_OK ? ok() : error(rc, err.message);
  }
  bool is_ok() const { return code_ == QV_OK; }
  int code() const { return code_; }
  const std::string &message() const { return message_; }

 private:
  Status() = default;
  Status(int code, std::string message) : code_(code), message_(std::move(message)) {}
  int code_ = QV_OK;
  std::string message_;
};

/** Returns the enclosing function's Status early when `expr` fails. */
#define QUIVER_TRY(expr)                               \
  do {                                                 \
    ::quiver::Status quiver_status_ = (expr);          \
    if (!quiver_status_.is_ok()) return quiver_status_; \
  } while (0)

/** Declares or assigns `lhs` from the Result `expr`, returning its Status early on failure:
 * `QUIVER_ASSIGN(double factor, params.number_or("factor", 2));` */
#define QUIVER_ASSIGN(lhs, expr) QUIVER_ASSIGN_(QUIVER_CAT_(quiver_result_, __LINE__), lhs, expr)
#define QUIVER_ASSIGN_(tmp, lhs, expr)          \
  auto tmp = (expr);                            \
  if (!tmp.is_ok()) return tmp.status();        \
  lhs = tmp.take()
#define QUIVER_CAT_(a, b) QUIVER_CAT2_(a, b)
#define QUIVER_CAT2_(a, b) a##b

/** A value or the Status saying why there is none. */
template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)), status_(Status::ok()) {}  // NOLINT: implicit
  Result(Status status) : status_(std::move(status)) {}                 // NOLINT: implicit
  bool is_ok() const { return status_.is_ok(); }
  const Status &status() const { return status_; }
  /** The value; only when is_ok(). */
  const T &value() const { return *value_; }
  /** Moves the value out; only when is_ok(). */
  T take() { return std::move(*value_); }

 private:
  std::optional<T> value_;
  Status status_;
};

/** A read-only view of `size` contiguous values (std::span arrives in C++20). */
template <class T>
class Span {
 public:
  Span(const T *data, std::size_t size) : data_(data), size_(size) {}
  const T *begin() const { return data_; }
  const T *end() const { return data_ + size_; }
  std::size_t size() const { return size_; }
  const T &operator[](std::size_t i) const { return data_[i]; }

 private:
  const T *data_;
  std::size_t size_;
};

/** A borrowed column (from an input batch): valid while the batch is. */
class ColumnView {
 public:
  explicit ColumnView(const qv_column &column) : column_(&column) {}
  const qv_type &type() const { return column_->type; }
  int64_t length() const { return column_->length; }
  int64_t null_count() const { return column_->null_count; }
  bool is_null(int64_t row) const { return qv_column_is_null(column_, row); }
  /** Row `row` of a numeric, bool or temporal column as a double; nullopt when null. */
  std::optional<double> number(int64_t row) const {
    if (is_null(row)) return std::nullopt;
    return qv_column_double_at(column_, row);
  }
  /** Row `row` of an integer or temporal column; nullopt when null. */
  std::optional<int64_t> integer(int64_t row) const {
    if (is_null(row)) return std::nullopt;
    return qv_column_int64_at(column_, row);
  }
  /** Row `row` of a string or binary column (borrowed); nullopt when null. */
  std::optional<std::string_view> str(int64_t row) const {
    if (is_null(row)) return std::nullopt;
    qv_str s = qv_column_str_at(column_, row);
    return std::string_view(s.data, static_cast<std::size_t>(s.size_bytes));
  }
  /** The fixed-width values (or, for a dictionary column, its indices) as `T`, which must
   * match the type's width; null rows hold unspecified values. */
  template <class T>
  Span<T> values() const {
    return Span<T>(static_cast<const T *>(column_->values), static_cast<std::size_t>(length()));
  }
  const qv_column &raw() const { return *column_; }

 private:
  const qv_column *column_;
};

/** An owned column (built by a Builder); released when destroyed. Move-only. */
class Column {
 public:
  Column() = default;
  Column(Column &&other) noexcept : column_(other.column_) { other.column_ = qv_column{}; }
  Column &operator=(Column &&other) noexcept {
    std::swap(column_, other.column_);
    return *this;
  }
  Column(const Column &) = delete;
  Column &operator=(const Column &) = delete;
  ~Column() { qv_column_release(&column_); }
  ColumnView view() const { return ColumnView(column_); }
  /** The C column, for the C SDK; a `release()` moves ownership out. */
  qv_column *raw() { return &column_; }
  qv_column release() {
    qv_column out = column_;
    column_ = qv_column{};
    return out;
  }

 private:
  qv_column column_{};
};

/** Builds one column of `type`, value by value. Move-only; frees itself if never finished. */
class Builder {
 public:
  static Result<Builder> make(qv_type type, int64_t capacity_rows) {
    qv_error err;
    qv_builder *b = nullptr;
    int rc = qv_builder_new(type, capacity_rows, &b, &err);
    if (rc != QV_OK) return Status::from(rc, err);
    return Builder(b);
  }
  Builder(Builder &&other) noexcept : builder_(std::exchange(other.builder_, nullptr)) {}
  Builder(const Builder &) = delete;
  Builder &operator=(const Builder &) = delete;
  ~Builder() { qv_builder_free(builder_); }

  Status append(double value) { return call(qv_builder_append_double(builder_, value, &err_)); }
  Status append(int64_t value) { return call(qv_builder_append_int64(builder_, value, &err_)); }
  Status append(std::string_view s) {
    return call(qv_builder_append_bytes(builder_, s.data(), static_cast<int64_t>(s.size()), &err_));
  }
  Status append_null() { return call(qv_builder_append_null(builder_, &err_)); }
  /** Appends `value`, or a null when it is nullopt. */
  template <class T>
  Status append(const std::optional<T> &value) {
    return value ? append(*value) : append_null();
  }
  /** Moves the built column into `out`; the builder is spent either way. */
  Status finish(Column &out) {
    int rc = qv_builder_finish(std::exchange(builder_, nullptr), out.raw(), &err_);
    return call(rc);
  }

 private:
  explicit Builder(qv_builder *builder) : builder_(builder) {}
  Status call(int rc) { return Status::from(rc, err_); }
  qv_builder *builder_;
  qv_error err_{};
};

/** An owned copy of a schema, e.g. an input's schema to change into an output's. Move-only. */
class Schema {
 public:
  static Result<Schema> copy_of(const qv_schema &source) {
    Schema out;
    qv_error err;
    int rc = qv_schema_copy(&source, &out.schema_, &err);
    if (rc != QV_OK) return Status::from(rc, err);
    return out;
  }
  Schema() = default;
  Schema(Schema &&other) noexcept : schema_(other.schema_) { other.schema_ = qv_schema{}; }
  Schema(const Schema &) = delete;
  Schema &operator=(const Schema &) = delete;
  ~Schema() { qv_schema_release(&schema_); }
  int64_t size() const { return schema_.n_fields; }
  const qv_field &field(int64_t i) const { return schema_.fields[i]; }
  qv_field &field(int64_t i) { return schema_.fields[i]; }
  const qv_schema &raw() const { return schema_; }

 private:
  qv_schema schema_{};
};

/** Index of the field named `name` in `schema`, or nullopt. */
inline std::optional<int64_t> find_field(const qv_schema &schema, std::string_view name) {
  for (int64_t i = 0; i < schema.n_fields; i++)
    if (name == schema.fields[i].name) return i;
  return std::nullopt;
}

/** A borrowed input batch: valid during the `batch` call. */
class BatchView {
 public:
  explicit BatchView(const qv_batch &batch) : batch_(&batch) {}
  int64_t rows() const { return batch_->n_rows; }
  int64_t columns() const { return batch_->n_columns; }
  ColumnView column(int64_t i) const { return ColumnView(batch_->columns[i]); }

 private:
  const qv_batch *batch_;
};

/** An output batch under construction: each column borrowed or owned. Move-only. */
class Batch {
 public:
  static Result<Batch> make(int64_t n_columns, int64_t n_rows) {
    Batch out;
    qv_error err;
    int rc = qv_batch_init(&out.batch_, n_columns, n_rows, &err);
    if (rc != QV_OK) return Status::from(rc, err);
    return out;
  }
  Batch(Batch &&other) noexcept : batch_(other.batch_) { other.batch_ = qv_batch{}; }
  Batch(const Batch &) = delete;
  Batch &operator=(const Batch &) = delete;
  ~Batch() { qv_batch_release(&batch_); }
  /** Column `i` borrows `source`'s buffers (no copy). */
  void borrow(int64_t i, const ColumnView &source) {
    qv_column_borrow(&source.raw(), &batch_.columns[i]);
  }
  /** Column `i` takes `column` over. */
  void adopt(int64_t i, Column &&column) { batch_.columns[i] = column.release(); }
  const qv_batch &raw() const { return batch_; }

 private:
  Batch() = default;
  qv_batch batch_{};
};

/** The step's parameters (borrowed JSON, valid until the step ends). */
class Params {
 public:
  explicit Params(const qv_json &json) : json_(&json) {}
  /** Required string member `key`. */
  Result<std::string_view> string(const char *key) const {
    const char *out = nullptr;
    qv_error err;
    int rc = qv_json_get_string(json_, key, &out, &err);
    if (rc != QV_OK) return Status::from(rc, err);
    return std::string_view(out);
  }
  /** Number member `key`, or `fallback` when absent or null. */
  Result<double> number_or(const char *key, double fallback) const {
    double out = 0;
    qv_error err;
    int rc = qv_json_get_double_or(json_, key, fallback, &out, &err);
    if (rc != QV_OK) return Status::from(rc, err);
    return out;
  }
  const qv_json &raw() const { return *json_; }

 private:
  const qv_json *json_;
};

/** The running step: its input schemas and its outputs. */
class Step {
 public:
  explicit Step(qv_step *step) : step_(step) {}
  /** The schema of arrow input `port` (borrowed from the step). */
  const qv_schema &input_schema(int port) const { return *qv_step_input_schema(step_, port); }
  Status open_output(int port, const Schema &schema) {
    qv_error err;
    return Status::from(qv_step_open_output(step_, port, &schema.raw(), &err), err);
  }
  Status write(int port, const Batch &batch) {
    qv_error err;
    return Status::from(qv_step_write(step_, port, &batch.raw(), &err), err);
  }

 private:
  qv_step *step_;
};

namespace detail {

/** Turns a Status into the C SDK's return code and message. */
inline int report(const Status &status, qv_error *err) {
  if (status.is_ok()) return QV_OK;
  return qv_error_set(err, status.code(), "%s", status.message().c_str());
}

/** Runs `body`, turning a failed Status (and, with exceptions on, any exception) into an error. */
template <class F>
int boundary(qv_error *err, F &&body) {
#if defined(__cpp_exceptions)
  try {
    return report(body(), err);
  } catch (const std::exception &e) {
    return qv_error_set(err, EINVAL, "%s", e.what());
  } catch (...) {
    return qv_error_set(err, EINVAL, "unknown C++ exception");
  }
#else
  return report(body(), err);
#endif
}

/** The C callbacks of module class `M`: one instance per step (a function-local static). */
template <class M>
struct Adapter {
  static M &module() {
    static M instance;
    return instance;
  }
  static int begin(qv_step *step, const qv_json *params, qv_error *err) {
    return boundary(err, [&] { return module().begin(Step(step), Params(*params)); });
  }
  static int batch(qv_step *step, int port, const qv_batch *batch, qv_error *err) {
    return boundary(err, [&] { return module().batch(Step(step), port, BatchView(*batch)); });
  }
};

}  // namespace detail

/**
 * Declares the module at file scope: `QUIVER_MODULE(Scale, "scale", {"in"}, {"out"})` where
 * `Scale` has `Status begin(Step, const Params &)` and `Status batch(Step, int port,
 * const BatchView &)`, and the port lists are the manifest's arrow ports in order.
 */
#define QUIVER_MODULE(Class, module_id, ...)                                       \
  namespace quiver_module_ {                                                       \
  const char *const ports_[][8] = {__VA_ARGS__};                                   \
  }                                                                                \
  extern "C" const qv_module *qv_module_definition_(void) {                        \
    static const qv_module definition = [] {                                       \
      qv_module m{};                                                               \
      m.id = module_id;                                                            \
      m.inputs = quiver_module_::ports_[0];                                        \
      m.n_inputs = ::quiver::detail::count(quiver_module_::ports_[0]);             \
      m.outputs = quiver_module_::ports_[1];                                       \
      m.n_outputs = ::quiver::detail::count(quiver_module_::ports_[1]);            \
      m.begin = &::quiver::detail::Adapter<Class>::begin;                          \
      m.batch = &::quiver::detail::Adapter<Class>::batch;                          \
      return m;                                                                    \
    }();                                                                           \
    return &definition;                                                            \
  }

namespace detail {
/** Number of non-null names in a port list of QUIVER_MODULE (at most 8). */
inline int count(const char *const (&ports)[8]) {
  int n = 0;
  while (n < 8 && ports[n] != nullptr) n++;
  return n;
}
}  // namespace detail

}  // namespace quiver

#endif  // QUIVER_HPP
