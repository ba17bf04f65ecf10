//! Write Quiver step modules in Rust.
//!
//! A module is a type implementing [`Module`]; [`module!`] declares it, and the crate's C part
//! (Quiver's C guest SDK, compiled by `build.rs`) provides the ABI 2 reactor exports and reads
//! and writes Arrow IPC (modules/sdk/ABI.md). Build with `cargo build --release --target
//! wasm32-wasi` and `crate-type = ["cdylib"]`.
//!
//! Why FFI over the C SDK rather than a native Rust Arrow: the C SDK's IPC reader is the one
//! the built-in modules use, validated and fuzzed; linking it keeps Rust modules byte-equal to
//! C ones and small (no arrow-rs, which also needs a newer compiler than the Rust that targets
//! wasm32-wasi offline here: Debian's rustc 1.63). The API is still Rust's: `Result`, `&str`,
//! slices, `Option` for nulls, owners that free themselves on drop.
//!
//! ```ignore
//! #[derive(Default)]
//! struct Scale { factor: f64, target: usize }
//! impl quiver_sdk::Module for Scale { /* begin, batch */ }
//! quiver_sdk::module!(Scale, id = "scale", inputs = ["in"], outputs = ["out"]);
//! ```
#[doc(hidden)]
pub mod ffi;

use std::ffi::{CStr, CString};
use std::fmt;
use std::marker::PhantomData;
use std::os::raw::{c_char, c_int};

/// A failure: an errno-style code and a message naming what went wrong and where.
#[derive(Debug, Clone)]
pub struct Error {
    pub code: i32,
    pub message: String,
}

impl Error {
    /// An invalid-argument error (EINVAL), e.g. a parameter naming no column.
    pub fn invalid(message: impl Into<String>) -> Error {
        Error {
            code: ffi::EINVAL,
            message: message.into(),
        }
    }
    fn from_c(rc: c_int, err: &ffi::qv_error) -> Error {
        let message = unsafe { CStr::from_ptr(err.message.as_ptr()) };
        Error {
            code: rc,
            message: message.to_string_lossy().into_owned(),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

/// `Result` with the SDK's [`Error`].
pub type Result<T> = std::result::Result<T, Error>;

/// Runs a C SDK call that fills a `qv_error`, turning a failure into an [`Error`].
fn check(call: impl FnOnce(*mut ffi::qv_error) -> c_int) -> Result<()> {
    let mut err = ffi::qv_error {
        code: 0,
        message: [0; 1024],
    };
    let rc = call(&mut err);
    if rc == ffi::QV_OK {
        Ok(())
    } else {
        Err(Error::from_c(rc, &err))
    }
}

fn c_string(s: &str) -> Result<CString> {
    CString::new(s).map_err(|_| Error::invalid(format!("'{}' contains a NUL byte", s)))
}

/// A column's value type, as the C SDK's `qv_type_id` (ABI.md §8).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TypeId(pub i32);

impl TypeId {
    pub const FLOAT64: TypeId = TypeId(ffi::QV_TYPE_FLOAT64);
    /// Integer or float.
    pub fn is_numeric(self) -> bool {
        unsafe { ffi::qv_type_id_is_numeric(self.0) }
    }
    /// Arrow's name: "int64", "utf8", "timestamp"...
    pub fn name(self) -> &'static str {
        unsafe { CStr::from_ptr(ffi::qv_type_id_name(self.0)) }
            .to_str()
            .unwrap_or("?")
    }
}

/// A column's full type (value type, unit, time zone, dictionary encoding).
#[derive(Clone, Copy)]
pub struct DataType(ffi::qv_type);

impl DataType {
    /// A plain type of `id` (no dictionary, no time zone).
    pub fn of(id: TypeId) -> DataType {
        DataType(unsafe { ffi::qv_type_make(id.0) })
    }
    pub fn id(&self) -> TypeId {
        TypeId(self.0.id)
    }
    pub fn is_dictionary(&self) -> bool {
        self.0.dictionary
    }
}

/// One field of a schema, borrowed.
pub struct Field<'a>(&'a ffi::qv_field);

impl<'a> Field<'a> {
    pub fn name(&self) -> &'a str {
        unsafe { CStr::from_ptr(self.0.name) }
            .to_str()
            .unwrap_or("")
    }
    pub fn data_type(&self) -> DataType {
        DataType(self.0.type_)
    }
}

/// A borrowed schema (an input's).
#[derive(Clone, Copy)]
pub struct SchemaRef<'a>(&'a ffi::qv_schema);

impl<'a> SchemaRef<'a> {
    pub fn len(&self) -> usize {
        self.0.n_fields as usize
    }
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
    pub fn field(&self, i: usize) -> Field<'a> {
        assert!(i < self.len(), "field {} of {}", i, self.len());
        Field(unsafe { &*self.0.fields.add(i) })
    }
    /// Index of the first field named `name`.
    pub fn index_of(&self, name: &str) -> Option<usize> {
        (0..self.len()).find(|&i| self.field(i).name() == name)
    }
}

/// An owned schema, e.g. an input's copied to become an output's; freed on drop.
pub struct Schema(ffi::qv_schema);

impl Schema {
    /// A copy of `source`.
    pub fn copy_of(source: SchemaRef<'_>) -> Result<Schema> {
        let mut out = Schema(ffi::qv_schema {
            n_fields: 0,
            fields: std::ptr::null_mut(),
        });
        check(|err| unsafe { ffi::qv_schema_copy(source.0, &mut out.0, err) })?;
        Ok(out)
    }
    /// Changes the type of field `i`.
    pub fn set_type(&mut self, i: usize, data_type: DataType) {
        assert!(
            i < self.0.n_fields as usize,
            "field {} of {}",
            i,
            self.0.n_fields
        );
        unsafe { (*self.0.fields.add(i)).type_ = data_type.0 };
    }
    pub fn as_ref(&self) -> SchemaRef<'_> {
        SchemaRef(&self.0)
    }
}

impl Drop for Schema {
    fn drop(&mut self) {
        unsafe { ffi::qv_schema_release(&mut self.0) }
    }
}

/// A borrowed column of an input batch.
#[derive(Clone, Copy)]
pub struct ColumnRef<'a>(&'a ffi::qv_column);

impl<'a> ColumnRef<'a> {
    pub fn len(&self) -> usize {
        self.0.length as usize
    }
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
    pub fn data_type(&self) -> DataType {
        DataType(self.0.type_)
    }
    pub fn null_count(&self) -> usize {
        self.0.null_count as usize
    }
    pub fn is_null(&self, row: usize) -> bool {
        unsafe { ffi::qv_column_is_null(self.0, row as i64) }
    }
    /// Row `row` of a numeric, bool or temporal column as f64; `None` when null.
    pub fn f64(&self, row: usize) -> Option<f64> {
        if self.is_null(row) {
            None
        } else {
            Some(unsafe { ffi::qv_column_double_at(self.0, row as i64) })
        }
    }
    /// Row `row` of an integer or temporal column; `None` when null.
    pub fn i64(&self, row: usize) -> Option<i64> {
        if self.is_null(row) {
            None
        } else {
            Some(unsafe { ffi::qv_column_int64_at(self.0, row as i64) })
        }
    }
    /// Row `row` of a string or binary column (borrowed); `None` when null.
    pub fn bytes(&self, row: usize) -> Option<&'a [u8]> {
        if self.is_null(row) {
            return None;
        }
        let s = unsafe { ffi::qv_column_str_at(self.0, row as i64) };
        if s.size_bytes == 0 {
            return Some(&[]);
        }
        Some(unsafe { std::slice::from_raw_parts(s.data as *const u8, s.size_bytes as usize) })
    }
    /// Row `row` of a utf8 column; `None` when null.
    pub fn str(&self, row: usize) -> Option<&'a str> {
        self.bytes(row)
            .map(|b| std::str::from_utf8(b).unwrap_or("\u{fffd}"))
    }
    /// The fixed-width values as `T` (for a dictionary column, its indices). `T` must have the
    /// type's width; null rows hold unspecified values.
    ///
    /// # Safety
    /// `T` must be the column's physical type (e.g. `f64` for float64, `i32` for date32).
    pub unsafe fn values<T: Copy>(&self) -> &'a [T] {
        if self.len() == 0 || self.0.values.is_null() {
            return &[];
        }
        std::slice::from_raw_parts(self.0.values as *const T, self.len())
    }
}

/// An owned column (from a [`Builder`]); freed on drop.
pub struct Column(ffi::qv_column);

impl Column {
    pub fn as_ref(&self) -> ColumnRef<'_> {
        ColumnRef(&self.0)
    }
}

impl Drop for Column {
    fn drop(&mut self) {
        unsafe { ffi::qv_column_release(&mut self.0) }
    }
}

/// Builds one column value by value.
pub struct Builder(*mut ffi::qv_builder);

impl Builder {
    /// A builder of `data_type`, with room for `capacity` rows (it grows past it).
    pub fn new(data_type: DataType, capacity: usize) -> Result<Builder> {
        let mut b = std::ptr::null_mut();
        check(|err| unsafe { ffi::qv_builder_new(data_type.0, capacity as i64, &mut b, err) })?;
        Ok(Builder(b))
    }
    pub fn push_f64(&mut self, value: f64) -> Result<()> {
        check(|err| unsafe { ffi::qv_builder_append_double(self.0, value, err) })
    }
    pub fn push_i64(&mut self, value: i64) -> Result<()> {
        check(|err| unsafe { ffi::qv_builder_append_int64(self.0, value, err) })
    }
    pub fn push_bytes(&mut self, value: &[u8]) -> Result<()> {
        let (ptr, len) = (value.as_ptr() as *const _, value.len() as i64);
        check(|err| unsafe { ffi::qv_builder_append_bytes(self.0, ptr, len, err) })
    }
    pub fn push_null(&mut self) -> Result<()> {
        check(|err| unsafe { ffi::qv_builder_append_null(self.0, err) })
    }
    /// The built column.
    pub fn finish(mut self) -> Result<Column> {
        let mut column: ffi::qv_column = unsafe { std::mem::zeroed() };
        let b = std::mem::replace(&mut self.0, std::ptr::null_mut());
        check(|err| unsafe { ffi::qv_builder_finish(b, &mut column, err) })?;
        Ok(Column(column))
    }
}

impl Drop for Builder {
    fn drop(&mut self) {
        unsafe { ffi::qv_builder_free(self.0) }
    }
}

/// A borrowed input record batch, valid during the `batch` call.
#[derive(Clone, Copy)]
pub struct BatchRef<'a>(&'a ffi::qv_batch);

impl<'a> BatchRef<'a> {
    pub fn num_rows(&self) -> usize {
        self.0.n_rows as usize
    }
    pub fn num_columns(&self) -> usize {
        self.0.n_columns as usize
    }
    pub fn column(&self, i: usize) -> ColumnRef<'a> {
        assert!(
            i < self.num_columns(),
            "column {} of {}",
            i,
            self.num_columns()
        );
        ColumnRef(unsafe { &*self.0.columns.add(i) })
    }
}

/// An output batch being assembled; columns are borrowed from inputs (lifetime `'a`) or owned.
pub struct Batch<'a> {
    raw: ffi::qv_batch,
    borrows: PhantomData<&'a ()>,
}

impl<'a> Batch<'a> {
    pub fn new(num_columns: usize, num_rows: usize) -> Result<Batch<'a>> {
        let mut raw = ffi::qv_batch {
            n_rows: 0,
            n_columns: 0,
            columns: std::ptr::null_mut(),
        };
        check(|err| unsafe {
            ffi::qv_batch_init(&mut raw, num_columns as i64, num_rows as i64, err)
        })?;
        Ok(Batch {
            raw,
            borrows: PhantomData,
        })
    }
    fn slot(&mut self, i: usize) -> *mut ffi::qv_column {
        assert!(
            i < self.raw.n_columns as usize,
            "column {} of {}",
            i,
            self.raw.n_columns
        );
        unsafe { self.raw.columns.add(i) }
    }
    /// Column `i` shares `source`'s buffers (no copy).
    pub fn borrow(&mut self, i: usize, source: ColumnRef<'a>) {
        let slot = self.slot(i);
        unsafe {
            ffi::qv_column_release(slot);
            ffi::qv_column_borrow(source.0, slot);
        }
    }
    /// Column `i` takes `column` over.
    pub fn set(&mut self, i: usize, column: Column) {
        let slot = self.slot(i);
        let column = std::mem::ManuallyDrop::new(column);
        unsafe {
            ffi::qv_column_release(slot);
            std::ptr::copy_nonoverlapping(&column.0, slot, 1);
        }
    }
}

impl Drop for Batch<'_> {
    fn drop(&mut self) {
        unsafe { ffi::qv_batch_release(&mut self.raw) }
    }
}

/// The step's parameters, valid against the manifest's params schema.
pub struct Params<'a>(&'a ffi::qv_json);

impl<'a> Params<'a> {
    /// Required string member `key`.
    pub fn str(&self, key: &str) -> Result<&'a str> {
        let key = c_string(key)?;
        let mut out: *const c_char = std::ptr::null();
        check(|err| unsafe { ffi::qv_json_get_string(self.0, key.as_ptr(), &mut out, err) })?;
        Ok(unsafe { CStr::from_ptr(out) }.to_str().unwrap_or(""))
    }
    /// Number member `key`, or `fallback` when absent or null.
    pub fn f64_or(&self, key: &str, fallback: f64) -> Result<f64> {
        let key = c_string(key)?;
        let mut out = fallback;
        check(|err| unsafe {
            ffi::qv_json_get_double_or(self.0, key.as_ptr(), fallback, &mut out, err)
        })?;
        Ok(out)
    }
    /// Integer member `key`, or `fallback` when absent or null.
    pub fn i64_or(&self, key: &str, fallback: i64) -> Result<i64> {
        let key = c_string(key)?;
        let mut out = fallback;
        check(|err| unsafe {
            ffi::qv_json_get_int64_or(self.0, key.as_ptr(), fallback, &mut out, err)
        })?;
        Ok(out)
    }
    /// Boolean member `key`, or `fallback` when absent or null.
    pub fn bool_or(&self, key: &str, fallback: bool) -> Result<bool> {
        let key = c_string(key)?;
        let mut out = fallback;
        check(|err| unsafe {
            ffi::qv_json_get_bool_or(self.0, key.as_ptr(), fallback, &mut out, err)
        })?;
        Ok(out)
    }
}

/// The running step: input schemas and outputs.
pub struct Step(*mut ffi::qv_step);

impl Step {
    /// The schema of arrow input `port` (manifest order).
    pub fn input_schema(&self, port: usize) -> SchemaRef<'_> {
        let schema = unsafe { ffi::qv_step_input_schema(self.0, port as c_int) };
        assert!(!schema.is_null(), "input {} is not an arrow input", port);
        SchemaRef(unsafe { &*schema })
    }
    /// Opens output `port` with `schema` (copied).
    pub fn open_output(&mut self, port: usize, schema: &Schema) -> Result<()> {
        check(|err| unsafe { ffi::qv_step_open_output(self.0, port as c_int, &schema.0, err) })
    }
    /// Writes one batch to open output `port`.
    pub fn write(&mut self, port: usize, batch: &Batch<'_>) -> Result<()> {
        check(|err| unsafe { ffi::qv_step_write(self.0, port as c_int, &batch.raw, err) })
    }
}

/// A step's transform. One value runs one step (created with `Default`).
pub trait Module: Default + 'static {
    /// Called once with the parameters and every arrow input's schema; opens the outputs.
    fn begin(&mut self, step: &mut Step, params: &Params<'_>) -> Result<()>;
    /// Called for every record batch of arrow input `port`.
    fn batch(&mut self, step: &mut Step, port: usize, batch: BatchRef<'_>) -> Result<()>;
    /// Called once every input has ended.
    fn finish(&mut self, _step: &mut Step) -> Result<()> {
        Ok(())
    }
}

#[doc(hidden)]
pub mod adapter {
    //! The C callbacks of a [`Module`]: its value lives in one static per binary.
    use super::*;
    use std::any::Any;
    use std::cell::RefCell;

    thread_local! {
        static INSTANCE: RefCell<Option<Box<dyn Any>>> = RefCell::new(None);
    }

    fn with<M: Module>(f: impl FnOnce(&mut M) -> Result<()>) -> Result<()> {
        INSTANCE.with(|cell| {
            let mut slot = cell.borrow_mut();
            let module = slot.get_or_insert_with(|| Box::new(M::default()));
            f(module.downcast_mut::<M>().expect("one module per binary"))
        })
    }

    fn answer(result: Result<()>, err: *mut ffi::qv_error) -> c_int {
        match result {
            Ok(()) => ffi::QV_OK,
            Err(e) => {
                let message = CString::new(e.message.replace('\0', " ")).unwrap_or_default();
                unsafe {
                    ffi::qv_error_set(
                        err,
                        e.code,
                        b"%s\0".as_ptr() as *const c_char,
                        message.as_ptr(),
                    )
                }
            }
        }
    }

    /// Makes a panic's message the step's error line (panics abort on wasm32-wasi).
    fn report_panics() {
        std::panic::set_hook(Box::new(|info| eprintln!("error: {}", info)));
    }

    pub extern "C" fn begin<M: Module>(
        step: *mut ffi::qv_step,
        params: *const ffi::qv_json,
        err: *mut ffi::qv_error,
    ) -> c_int {
        report_panics();
        let params = Params(unsafe { &*params });
        answer(with::<M>(|m| m.begin(&mut Step(step), &params)), err)
    }

    pub extern "C" fn batch<M: Module>(
        step: *mut ffi::qv_step,
        port: c_int,
        batch: *const ffi::qv_batch,
        err: *mut ffi::qv_error,
    ) -> c_int {
        let batch = BatchRef(unsafe { &*batch });
        answer(
            with::<M>(|m| m.batch(&mut Step(step), port as usize, batch)),
            err,
        )
    }

    pub extern "C" fn finish<M: Module>(step: *mut ffi::qv_step, err: *mut ffi::qv_error) -> c_int {
        answer(with::<M>(|m| m.finish(&mut Step(step))), err)
    }

    /// A NUL-terminated port list that can live in a static.
    pub struct Names(pub [*const c_char; 8]);
    unsafe impl Sync for Names {}
    /// The definition the C SDK reads; lives in a static.
    pub struct Definition(pub ffi::qv_module);
    unsafe impl Sync for Definition {}
}

/// Declares the module: `module!(Scale, id = "scale", inputs = ["in"], outputs = ["out"]);`
/// with the manifest's arrow ports in order (at most 8 each).
#[macro_export]
macro_rules! module {
    ($module:ty, id = $id:literal, inputs = [$($input:literal),*], outputs = [$($output:literal),*]) => {
        static QUIVER_INPUTS: $crate::adapter::Names = $crate::adapter::Names({
            let mut names = [::std::ptr::null(); 8];
            let given: &[&str] = &[$(concat!($input, "\0")),*];
            let mut i = 0;
            while i < given.len() { names[i] = given[i].as_ptr() as *const _; i += 1; }
            names
        });
        static QUIVER_OUTPUTS: $crate::adapter::Names = $crate::adapter::Names({
            let mut names = [::std::ptr::null(); 8];
            let given: &[&str] = &[$(concat!($output, "\0")),*];
            let mut i = 0;
            while i < given.len() { names[i] = given[i].as_ptr() as *const _; i += 1; }
            names
        });
        static QUIVER_MODULE: $crate::adapter::Definition = $crate::adapter::Definition($crate::ffi::qv_module {
            id: concat!($id, "\0").as_ptr() as *const _,
            inputs: QUIVER_INPUTS.0.as_ptr(),
            n_inputs: [$($input),*].len() as _,
            bytes_inputs: 0,
            outputs: QUIVER_OUTPUTS.0.as_ptr(),
            n_outputs: [$($output),*].len() as _,
            holds_input: false,
            begin: Some($crate::adapter::begin::<$module>),
            batch: Some($crate::adapter::batch::<$module>),
            bytes: None,
            finish: Some($crate::adapter::finish::<$module>),
        });
        #[used]
        static QUIVER_DRIVER: unsafe extern "C" fn(u32) -> *mut ::std::os::raw::c_void = $crate::ffi::qv_alloc;
        #[no_mangle]
        pub extern "C" fn qv_module_definition_() -> *const $crate::ffi::qv_module {
            &QUIVER_MODULE.0
        }
    };
}
