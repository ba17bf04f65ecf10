// A step's transform as an AssemblyScript class, and the ABI 2 reactor that runs it
// (modules/sdk/ABI.md §11): the entry file re-exports `exports.ts` and calls `register`.
import { Column } from "./column";
import { HEADER_DICTIONARY, HEADER_RECORD_BATCH, HEADER_SCHEMA, Message, Output, dictionaryMessage, freeCopy, ownedCopy, readColumns, readMessage, readSchema, recordBatchMessage, schemaMessage } from "./ipc";
import { i64Field, ref, u8Field } from "./flatbuffers";
import { Params } from "./params";
import { DataType, Schema } from "./types";
import { logLine } from "./wasi";

/** A record batch: `rows` rows of `columns` in schema order. */
export class Batch {
  constructor(public rows: i32, public columns: Column[]) {}
}

/**
 * A step's transform. Return null from a callback on success, or the error message: the step
 * fails with it (AssemblyScript has no exceptions to catch).
 */
export abstract class Module {
  /** Once, with the parameters and every input's schema known; opens the outputs. */
  abstract begin(step: Step, params: Params): string | null;
  /** Every record batch of input `port`; its columns are valid during the call. */
  abstract batch(step: Step, port: i32, batch: Batch): string | null;
  /** Once every input has ended. */
  finish(step: Step): string | null {
    return null;
  }
}

class InputPort {
  schema: Schema | null = null;
  types: DataType[] = [];
  dictionaries: Map<i64, Column> = new Map();
}

class OutputPort {
  pending: Output = new Output();
  schema: Schema | null = null;
  written: Map<i64, Column> = new Map();
}

/** The running step: its input schemas and its outputs. */
export class Step {
  inputs: InputPort[] = [];
  outputs: OutputPort[] = [];

  constructor(nInputs: i32, nOutputs: i32) {
    for (let i = 0; i < nInputs; i++) this.inputs.push(new InputPort());
    for (let i = 0; i < nOutputs; i++) this.outputs.push(new OutputPort());
  }

  inputSchema(port: i32): Schema {
    return changetype<Schema>(this.inputs[port].schema);
  }

  /** Opens output `port` with `schema` and writes its schema message. */
  openOutput(port: i32, schema: Schema): string | null {
    if (port < 0 || port >= this.outputs.length) return `no output port ${port}`;
    const out = this.outputs[port];
    if (out.schema !== null) return `output ${port} is already open`;
    out.schema = schema;
    out.pending.message(schemaMessage(schema), []);
    return null;
  }

  /** Writes `batch` to open output `port`, with a dictionary batch before it for each
   * dictionary column whose dictionary changed since the last write. */
  write(port: i32, batch: Batch): string | null {
    if (port < 0 || port >= this.outputs.length || this.outputs[port].schema === null)
      return `output ${port} is not open`;
    const out = this.outputs[port];
    for (let i = 0; i < batch.columns.length; i++) {
      const column = batch.columns[i];
      const dictionary = column.dictionary;
      if (dictionary === null) continue;
      const id = column.type.dictionaryId;
      if (out.written.has(id) && out.written.get(id) === dictionary) continue;
      out.written.set(id, dictionary);
      out.pending.message(dictionaryMessage(id, dictionary), [dictionary]);
    }
    out.pending.message(recordBatchMessage(batch.rows, batch.columns), batch.columns);
    return null;
  }
}

let module: Module | null = null;
let step: Step | null = null;
let params: Params | null = null;
let schemasSeen = 0;
let failed = false;

/** Makes `m` the module this binary runs, with `nInputs` arrow inputs and `nOutputs` outputs. */
export function register(m: Module, nInputs: i32, nOutputs: i32): void {
  module = m;
  step = new Step(nInputs, nOutputs);
}

/** A callback's result as a status (0 continue, 2 failed), logging the error line. */
function status(error: string | null): i32 {
  if (error === null) return failed ? 2 : 0;
  failed = true;
  logLine(`error: ${error}`);
  return 2;
}

export function begin(json: string): i32 {
  params = new Params(json);
  const s = changetype<Step>(step);
  if (s.inputs.length == 0) return status(changetype<Module>(module).begin(s, changetype<Params>(params)));
  return 0;
}

/** One pushed block of input `port`: whole IPC messages (the schema alone first). */
export function push(port: i32, ptr: usize, size: usize): i32 {
  if (failed) return 2;
  const s = changetype<Step>(step);
  if (port < 0 || port >= s.inputs.length) return status(`no input port ${port}`);
  const input = s.inputs[port];
  const end = ptr + size;
  let at = ptr;
  while (at < end) {
    const m = readMessage(at, end);
    if (m === null) return status(`input ${port}: malformed Arrow IPC message at byte ${at - ptr} of a block`);
    const error = message(s, port, input, m);
    if (error !== null) return status(error);
    at += <usize>m.size;
  }
  return 0;
}

/** Handles one input message: schema, dictionary batch or record batch. */
function message(s: Step, port: i32, input: InputPort, m: Message): string | null {
  if (m.kind == HEADER_SCHEMA) {
    if (input.schema !== null) return `input ${port}: a second schema message`;
    const schema = readSchema(m.header);
    input.schema = schema;
    input.types = schema.fields.map<DataType>((f) => f.type);
    schemasSeen++;
    if (schemasSeen < s.inputs.length) return null;
    return changetype<Module>(module).begin(s, changetype<Params>(params));
  }
  if (input.schema === null) return `input ${port}: data before the schema`;
  if (m.kind == HEADER_DICTIONARY) return dictionary(input, m);
  if (m.kind != HEADER_RECORD_BATCH) return `input ${port}: unexpected message type ${m.kind}`;
  const rows = <i32>i64Field(m.header, 0, 0);
  const columns = readColumns(m.header, m.body, input.types);
  for (let i = 0; i < columns.length; i++) {
    const id = columns[i].type.dictionaryId;
    if (id < 0) continue;
    if (!input.dictionaries.has(id)) return `input ${port}: no dictionary ${id} before its batch`;
    columns[i].dictionary = input.dictionaries.get(id);
  }
  return changetype<Module>(module).batch(s, port, new Batch(rows, columns));
}

/** Keeps a dictionary batch (a copy: its block is freed after the push). */
function dictionary(input: InputPort, m: Message): string | null {
  const id = i64Field(m.header, 0, 0);
  if (u8Field(m.header, 2, 0) != 0) return "dictionary deltas are not supported by the AssemblyScript kit";
  let type: DataType | null = null;
  const fields = changetype<Schema>(input.schema).fields;
  for (let i = 0; i < fields.length; i++)
    if (fields[i].type.dictionaryId == id) type = fields[i].type.valueType();
  if (type === null) return `a dictionary batch for unknown dictionary ${id}`;
  const data = ref(m.header, 1);
  const values = ownedCopy(readColumns(data, m.body, [type])[0]);
  if (input.dictionaries.has(id)) freeCopy(input.dictionaries.get(id));
  input.dictionaries.set(id, values);
  return null;
}

export function finish(): i32 {
  if (failed) return 2;
  const s = changetype<Step>(step);
  const error = changetype<Module>(module).finish(s);
  if (error !== null) return status(error);
  for (let i = 0; i < s.outputs.length; i++)
    if (s.outputs[i].schema === null) return status(`output ${i} was never opened`);
  return 0;
}

export function output(port: i32): Output | null {
  const s = changetype<Step>(step);
  return port >= 0 && port < s.outputs.length ? s.outputs[port].pending : null;
}
