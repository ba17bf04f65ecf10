// scale, in AssemblyScript with the Quiver kit: replaces numeric column `column` by
// `column * factor` as float64 (nulls stay null) and keeps every other column.
// Params: {"column": "distance", "factor": 2}.
// Every kit's example implements this same transform (scripts/kits.test.ts compares them).
import { Batch, DataType, Float64Builder, Module, Params, Schema, Step, TypeId, isNumeric, register, typeName } from "../quiver-sdk/assembly/index";

export * from "../quiver-sdk/assembly/exports";

class Scale extends Module {
  factor: f64 = 2;
  target: i32 = -1;

  begin(step: Step, params: Params): string | null {
    const column = params.string("column");
    if (column === null) return "scale: parameter 'column' must be a string";
    this.factor = params.number("factor", 2);
    const input = step.inputSchema(0);
    this.target = input.indexOf(column);
    if (this.target < 0) return `scale: no column '${column}' in the input`;
    const type = input.fields[this.target].type;
    if (!isNumeric(type.id) || type.isDictionary)
      return `scale: column '${column}' is ${type.isDictionary ? "a dictionary of " : ""}${typeName(type.id)}, not a number`;
    const output: Schema = input.copy();
    output.fields[this.target].type = new DataType(TypeId.Float64);
    return step.openOutput(0, output);
  }

  batch(step: Step, port: i32, input: Batch): string | null {
    const x = input.columns[this.target];
    const scaled = new Float64Builder(x.length);
    for (let row = 0; row < x.length; row++) {
      if (x.isNull(row)) scaled.appendNull();
      else scaled.append(x.f64(row) * this.factor);
    }
    const columns = input.columns.slice(0);
    columns[this.target] = scaled.finish();
    const error = step.write(0, new Batch(input.rows, columns));
    scaled.release();
    return error;
  }
}

register(new Scale(), 1, 1);
