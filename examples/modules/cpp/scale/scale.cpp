/*
 * scale, in C++ with the kit's quiver.hpp: replaces numeric column `column` by
 * `column * factor` as float64 (nulls stay null) and keeps every other column, borrowed.
 * Params: {"column": "distance", "factor": 2}.
 * Every kit's example implements this same transform (scripts/kits.test.ts compares them).
 */
#include <string>

#include "quiver.hpp"

using quiver::BatchView;
using quiver::Params;
using quiver::Status;
using quiver::Step;

class Scale {
 public:
  Status begin(Step step, const Params &params) {
    QUIVER_ASSIGN(std::string_view column, params.string("column"));
    QUIVER_ASSIGN(factor_, params.number_or("factor", 2.0));
    const qv_schema &in = step.input_schema(0);
    std::optional<int64_t> found = quiver::find_field(in, column);
    std::string name(column);
    if (!found) return Status::error(EINVAL, "scale: no column '" + name + "' in the input");
    target_ = *found;
    const qv_type &type = in.fields[target_].type;
    if (!qv_type_id_is_numeric(type.id) || type.dictionary)
      return Status::error(EINVAL, "scale: column '" + name + "' is " +
                                       (type.dictionary ? "a dictionary of " : "") +
                                       qv_type_id_name(type.id) + ", not a number");
    QUIVER_ASSIGN(quiver::Schema out, quiver::Schema::copy_of(in));
    out.field(target_).type = qv_type_make(QV_TYPE_FLOAT64);
    return step.open_output(0, out);
  }

  Status batch(Step step, int /*port*/, const BatchView &in) {
    QUIVER_ASSIGN(quiver::Batch out, quiver::Batch::make(in.columns(), in.rows()));
    for (int64_t c = 0; c < in.columns(); c++)
      if (c != target_) out.borrow(c, in.column(c));
    quiver::Column scaled;
    QUIVER_TRY(scale(in.column(target_), scaled));
    out.adopt(target_, std::move(scaled));
    return step.write(0, out);
  }

 private:
  /** `x * factor_` for every row of `x`, as a float64 column. */
  Status scale(const quiver::ColumnView &x, quiver::Column &out) const {
    QUIVER_ASSIGN(quiver::Builder b, quiver::Builder::make(qv_type_make(QV_TYPE_FLOAT64), x.length()));
    for (int64_t i = 0; i < x.length(); i++) {
      std::optional<double> v = x.number(i);
      QUIVER_TRY(v ? b.append(*v * factor_) : b.append_null());
    }
    return b.finish(out);
  }

  double factor_ = 2.0;
  int64_t target_ = 0;
};

QUIVER_MODULE(Scale, "scale", {"in"}, {"out"})
