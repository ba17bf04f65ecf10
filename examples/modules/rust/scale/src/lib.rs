//! scale, in Rust with the `quiver-sdk` crate: replaces numeric column `column` by
//! `column * factor` as float64 (nulls stay null) and keeps every other column, borrowed.
//! Params: `{"column": "distance", "factor": 2}`.
//! Every kit's example implements this same transform (scripts/kits.test.ts compares them).
use quiver_sdk::{
    Batch, BatchRef, Builder, DataType, Error, Module, Params, Result, Schema, Step, TypeId,
};

#[derive(Default)]
struct Scale {
    factor: f64,
    target: usize,
}

impl Module for Scale {
    fn begin(&mut self, step: &mut Step, params: &Params<'_>) -> Result<()> {
        let column = params.str("column")?;
        self.factor = params.f64_or("factor", 2.0)?;
        let input = step.input_schema(0);
        self.target = input
            .index_of(column)
            .ok_or_else(|| Error::invalid(format!("scale: no column '{}' in the input", column)))?;
        let data_type = input.field(self.target).data_type();
        if !data_type.id().is_numeric() || data_type.is_dictionary() {
            let dictionary = if data_type.is_dictionary() {
                "a dictionary of "
            } else {
                ""
            };
            let name = data_type.id().name();
            return Err(Error::invalid(format!(
                "scale: column '{}' is {}{}, not a number",
                column, dictionary, name
            )));
        }
        let mut output = Schema::copy_of(input)?;
        output.set_type(self.target, DataType::of(TypeId::FLOAT64));
        step.open_output(0, &output)
    }

    fn batch(&mut self, step: &mut Step, _port: usize, input: BatchRef<'_>) -> Result<()> {
        let mut output = Batch::new(input.num_columns(), input.num_rows())?;
        for c in (0..input.num_columns()).filter(|&c| c != self.target) {
            output.borrow(c, input.column(c));
        }
        let x = input.column(self.target);
        let mut scaled = Builder::new(DataType::of(TypeId::FLOAT64), x.len())?;
        for row in 0..x.len() {
            match x.f64(row) {
                Some(v) => scaled.push_f64(v * self.factor)?,
                None => scaled.push_null()?,
            }
        }
        output.set(self.target, scaled.finish()?);
        step.write(0, &output)
    }
}

quiver_sdk::module!(Scale, id = "scale", inputs = ["in"], outputs = ["out"]);
