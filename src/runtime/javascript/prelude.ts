/**
 * The JavaScript evaluated inside QuickJS before the user's code (file name
 * {@link PRELUDE_FILE}). It defines one function, `(fn, mode, desc, buffer) → {desc, buffer}`,
 * that turns a transferred batch ({@link TransferBatch}, `transfer.ts`) into what the user's
 * function sees, calls it (once per batch, or once per row), and turns its result back into a
 * transferred batch. Numeric columns cross as one ArrayBuffer, strings and booleans in the
 * JSON descriptor: two values per direction per batch, whatever the number of rows.
 *
 * What the user's function sees (docs/modules/javascript.md):
 * - batch form: `{ length, columns: { name: Float64Array | Int32Array | … | string[] |
 *   boolean[] }, nulls: { name: Uint8Array } }`; `nulls[name]` exists only for a column with
 *   nulls, 1 marking a null row (its typed-array slot holds 0 or NaN, its array slot null);
 * - rows form: `{ name: value }` with `null` for a null.
 * Dates and timestamps are numbers, milliseconds since 1970-01-01 UTC.
 */

/** The prelude's file name, as it appears in QuickJS stacks (never the user's `step.js`). */
export const PRELUDE_FILE = 'quiver-prelude.js';

/** The user's code's file name in QuickJS stacks; errors name its line and column. */
export const USER_FILE = 'step.js';

/** Source of the prelude; its completion value is the run function. */
export const PRELUDE_SOURCE = String.raw`(() => {
  const ARRAYS = { f64: Float64Array, f32: Float32Array, i32: Int32Array, i16: Int16Array,
    i8: Int8Array, u8: Uint8Array, u16: Uint16Array, u32: Uint32Array };
  const KIND_OF = new Map(Object.entries(ARRAYS).map(([k, T]) => [T, k]));

  function decode(desc, buffer) {
    const columns = {};
    const nulls = {};
    for (const c of desc.columns) {
      const T = ARRAYS[c.kind];
      columns[c.name] = T ? new T(buffer, c.offset, desc.length) : c.values;
      if (c.nullOffset !== undefined) nulls[c.name] = new Uint8Array(buffer, c.nullOffset, desc.length);
    }
    return { length: desc.length, columns, nulls };
  }

  function rowsOf(batch) {
    const names = Object.keys(batch.columns);
    const rows = new Array(batch.length);
    for (let i = 0; i < batch.length; i++) {
      const row = {};
      for (const name of names) {
        const mask = batch.nulls[name];
        row[name] = mask !== undefined && mask[i] === 1 ? null : batch.columns[name][i];
      }
      rows[i] = row;
    }
    return rows;
  }

  function mapRows(fn, batch) {
    const out = [];
    const rows = rowsOf(batch);
    for (let i = 0; i < rows.length; i++) {
      let result;
      try {
        result = fn(rows[i], i);
      } catch (error) {
        if (error !== null && typeof error === 'object') error.quiverRow = i;
        throw error;
      }
      if (result === null || result === undefined) continue;
      if (typeof result !== 'object' || Array.isArray(result))
        throw new TypeError('row ' + i + ': the function returned ' + describe(result) + ', expected an object (or null to drop the row)');
      out.push(result);
    }
    const columns = {};
    for (const row of out) for (const name of Object.keys(row)) columns[name] = true;
    for (const name of Object.keys(columns)) columns[name] = out.map((row) => row[name]);
    return { length: out.length, columns, nulls: {} };
  }

  function describe(value) {
    if (value === null) return 'null';
    if (Array.isArray(value)) return 'an array';
    if (value instanceof Date) return 'a Date';
    return 'a ' + typeof value;
  }

  function kindOfArray(name, values) {
    let kind = null;
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (v === null || v === undefined) continue;
      const k = typeof v === 'number' ? 'f64' : typeof v === 'string' ? 'string'
        : typeof v === 'boolean' ? 'bool' : v instanceof Date ? 'date' : null;
      if (k === null) throw new TypeError('column "' + name + '", row ' + i + ': ' + describe(v) + ' is not a number, string, boolean, Date or null');
      if (kind !== null && k !== kind && !(kind === 'date' && k === 'f64') && !(kind === 'f64' && k === 'date'))
        throw new TypeError('column "' + name + '", row ' + i + ': ' + describe(v) + ' among earlier ' + (kind === 'f64' ? 'numbers' : kind === 'bool' ? 'booleans' : kind + 's'));
      kind = kind === 'date' || k === 'date' ? 'date' : k;
    }
    return kind === null ? 'none' : kind;
  }

  function encode(result, inputLength) {
    if (result === null || typeof result !== 'object' || result.columns === null || typeof result.columns !== 'object')
      throw new TypeError('the function returned ' + describe(result) + ', expected { columns, nulls? }');
    const names = Object.keys(result.columns);
    const explicitNulls = result.nulls && typeof result.nulls === 'object' ? result.nulls : {};
    let length = typeof result.length === 'number' ? result.length : undefined;
    for (const name of names) {
      const values = result.columns[name];
      if (!(ArrayBuffer.isView(values) || Array.isArray(values)))
        throw new TypeError('column "' + name + '" is ' + describe(values) + ', expected a typed array or an array');
      if (length === undefined) length = values.length;
      if (values.length !== length)
        throw new RangeError('column "' + name + '" has ' + values.length + ' values, expected ' + length);
    }
    if (length === undefined) length = names.length === 0 ? 0 : inputLength;
    const columns = [];
    const parts = [];
    let size = 0;
    const reserve = (bytes) => { const at = size; size += Math.ceil(bytes / 8) * 8; return at; };
    for (const name of names) {
      const values = result.columns[name];
      const mask = explicitNulls[name];
      const column = { name };
      let data = null;
      let nulls = null;
      if (ArrayBuffer.isView(values)) {
        column.kind = KIND_OF.get(values.constructor);
        if (column.kind === undefined) throw new TypeError('column "' + name + '": ' + values.constructor.name + ' is not supported (use Float64Array, Float32Array or an 8 to 32 bit integer array)');
        data = values;
      } else {
        column.kind = kindOfArray(name, values);
        if (column.kind === 'string' || column.kind === 'bool') {
          column.values = values.map((v) => (v === undefined ? null : v));
        } else {
          data = new Float64Array(length);
          for (let i = 0; i < length; i++) {
            const v = values[i];
            if (v === null || v === undefined) { nulls ??= new Uint8Array(length); nulls[i] = 1; }
            else data[i] = typeof v === 'number' ? v : v.getTime();
          }
          if (column.kind === 'none') column.kind = 'f64';
          if (column.kind === 'date') column.date = true, column.kind = 'f64';
        }
      }
      if (mask !== undefined) {
        if (mask.length !== length) throw new RangeError('nulls of column "' + name + '" has ' + mask.length + ' entries, expected ' + length);
        nulls ??= new Uint8Array(length);
        for (let i = 0; i < length; i++) if (mask[i]) nulls[i] = 1;
        if (column.values) column.values = column.values.map((v, i) => (nulls[i] ? null : v));
      }
      if (data !== null) { column.offset = reserve(data.byteLength); parts.push([column.offset, data]); }
      if (nulls !== null && !column.values) { column.nullOffset = reserve(length); parts.push([column.nullOffset, nulls]); }
      columns.push(column);
    }
    const bytes = new Uint8Array(size);
    for (const [at, view] of parts) bytes.set(new Uint8Array(view.buffer, view.byteOffset, view.byteLength), at);
    return { desc: JSON.stringify({ length, columns }), buffer: bytes.buffer };
  }

  return (fn, mode, descJson, buffer) => {
    const batch = decode(JSON.parse(descJson), buffer);
    const result = mode === 'rows' ? mapRows(fn, batch) : fn(batch);
    return encode(result, batch.length);
  };
})()`;
