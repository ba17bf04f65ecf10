//! Raw bindings to the C SDK (modules/sdk/quiver.h), written by hand for the few functions the
//! safe API uses. Layouts mirror the C structs (`#[repr(C)]`, C enums as `c_int`).
#![allow(non_camel_case_types)]
use std::os::raw::{c_char, c_int, c_void};

pub const QV_OK: c_int = 0;
pub const QV_TYPE_FLOAT64: c_int = 11;
pub const EINVAL: c_int = 28; // wasi-libc's errno value

#[repr(C)]
pub struct qv_error {
    pub code: c_int,
    pub message: [c_char; 1024],
}

#[repr(C)]
#[derive(Clone, Copy)]
pub struct qv_type {
    pub id: c_int,
    pub unit: c_int,
    pub timezone: [c_char; 64],
    pub dictionary: bool,
    pub index_type: c_int,
    pub dictionary_ordered: bool,
}

#[repr(C)]
pub struct qv_field {
    pub name: *mut c_char,
    pub type_: qv_type,
    pub nullable: bool,
}

#[repr(C)]
pub struct qv_schema {
    pub n_fields: i64,
    pub fields: *mut qv_field,
}

#[repr(C)]
pub struct qv_column {
    pub type_: qv_type,
    pub length: i64,
    pub null_count: i64,
    pub validity: *const u8,
    pub values: *const c_void,
    pub offsets: *const c_void,
    pub data: *const u8,
    pub data_size_bytes: i64,
    pub dictionary: *const qv_column,
    pub owned_: *mut c_void,
}

#[repr(C)]
pub struct qv_batch {
    pub n_rows: i64,
    pub n_columns: i64,
    pub columns: *mut qv_column,
}

#[repr(C)]
pub struct qv_str {
    pub data: *const c_char,
    pub size_bytes: i64,
}

/// Opaque C types.
pub enum qv_json {}
pub enum qv_step {}
pub enum qv_builder {}

pub type BeginFn = extern "C" fn(*mut qv_step, *const qv_json, *mut qv_error) -> c_int;
pub type BatchFn = extern "C" fn(*mut qv_step, c_int, *const qv_batch, *mut qv_error) -> c_int;
pub type BytesFn = extern "C" fn(*mut qv_step, c_int, *const u8, i64, *mut qv_error) -> c_int;
pub type FinishFn = extern "C" fn(*mut qv_step, *mut qv_error) -> c_int;

#[repr(C)]
pub struct qv_module {
    pub id: *const c_char,
    pub inputs: *const *const c_char,
    pub n_inputs: c_int,
    pub bytes_inputs: u32,
    pub outputs: *const *const c_char,
    pub n_outputs: c_int,
    pub holds_input: bool,
    pub begin: Option<BeginFn>,
    pub batch: Option<BatchFn>,
    pub bytes: Option<BytesFn>,
    pub finish: Option<FinishFn>,
}

extern "C" {
    /// An export of the ABI 2 driver (step_v2.c): referenced by `module!` so that the linker
    /// takes the driver, and with it every reactor export, out of the static library.
    pub fn qv_alloc(size_bytes: u32) -> *mut c_void;
    pub fn qv_type_make(id: c_int) -> qv_type;
    pub fn qv_type_id_name(id: c_int) -> *const c_char;
    pub fn qv_type_id_is_numeric(id: c_int) -> bool;
    pub fn qv_schema_copy(src: *const qv_schema, dst: *mut qv_schema, err: *mut qv_error) -> c_int;
    pub fn qv_schema_release(schema: *mut qv_schema);
    pub fn qv_column_is_null(col: *const qv_column, i: i64) -> bool;
    pub fn qv_column_double_at(col: *const qv_column, i: i64) -> f64;
    pub fn qv_column_int64_at(col: *const qv_column, i: i64) -> i64;
    pub fn qv_column_str_at(col: *const qv_column, i: i64) -> qv_str;
    pub fn qv_column_borrow(src: *const qv_column, dst: *mut qv_column);
    pub fn qv_column_release(col: *mut qv_column);
    pub fn qv_batch_init(
        batch: *mut qv_batch,
        n_columns: i64,
        n_rows: i64,
        err: *mut qv_error,
    ) -> c_int;
    pub fn qv_batch_release(batch: *mut qv_batch);
    pub fn qv_builder_new(
        t: qv_type,
        capacity_rows: i64,
        out: *mut *mut qv_builder,
        err: *mut qv_error,
    ) -> c_int;
    pub fn qv_builder_append_null(b: *mut qv_builder, err: *mut qv_error) -> c_int;
    pub fn qv_builder_append_double(b: *mut qv_builder, v: f64, err: *mut qv_error) -> c_int;
    pub fn qv_builder_append_int64(b: *mut qv_builder, v: i64, err: *mut qv_error) -> c_int;
    pub fn qv_builder_append_bytes(
        b: *mut qv_builder,
        data: *const c_void,
        size_bytes: i64,
        err: *mut qv_error,
    ) -> c_int;
    pub fn qv_builder_finish(b: *mut qv_builder, out: *mut qv_column, err: *mut qv_error) -> c_int;
    pub fn qv_builder_free(b: *mut qv_builder);
    pub fn qv_json_get(object: *const qv_json, key: *const c_char) -> *const qv_json;
    pub fn qv_json_get_string(
        object: *const qv_json,
        key: *const c_char,
        out: *mut *const c_char,
        err: *mut qv_error,
    ) -> c_int;
    pub fn qv_json_get_double_or(
        object: *const qv_json,
        key: *const c_char,
        fallback: f64,
        out: *mut f64,
        err: *mut qv_error,
    ) -> c_int;
    pub fn qv_json_get_int64_or(
        object: *const qv_json,
        key: *const c_char,
        fallback: i64,
        out: *mut i64,
        err: *mut qv_error,
    ) -> c_int;
    pub fn qv_json_get_bool_or(
        object: *const qv_json,
        key: *const c_char,
        fallback: bool,
        out: *mut bool,
        err: *mut qv_error,
    ) -> c_int;
    pub fn qv_step_input_schema(step: *const qv_step, port: c_int) -> *const qv_schema;
    pub fn qv_step_open_output(
        step: *mut qv_step,
        port: c_int,
        schema: *const qv_schema,
        err: *mut qv_error,
    ) -> c_int;
    pub fn qv_step_write(
        step: *mut qv_step,
        port: c_int,
        batch: *const qv_batch,
        err: *mut qv_error,
    ) -> c_int;
    pub fn qv_error_set(err: *mut qv_error, code: c_int, fmt: *const c_char, ...) -> c_int;
}
