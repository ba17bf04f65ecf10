/**
 * The Parquet sink: an output collected as an Arrow IPC stream, written as Parquet by
 * parquet-wasm's writer (Snappy-compressed). Apart from sinks.ts so that code writing CSV does
 * not load parquet-wasm's glue (the editor imports this file on demand).
 */
import {
  Compression,
  initSync,
  Table as WasmTable,
  WriterPropertiesBuilder,
  writeParquet as wasmWriteParquet,
} from 'parquet-wasm/esm';
let parquetReady = false;

/**
 * Parquet bytes of an Arrow IPC stream, written by parquet-wasm (initialised on first use from
 * `loadWasm`, the bytes of parquet_wasm_bg.wasm). Throws naming the column type parquet-wasm
 * refuses, if any.
 */
export async function writeParquet(
  ipcStream: Uint8Array,
  loadWasm: () => Promise<Uint8Array> | Uint8Array,
): Promise<Uint8Array> {
  if (!parquetReady) {
    initSync({ module: new WebAssembly.Module(new Uint8Array(await loadWasm())) });
    parquetReady = true;
  }
  const table = WasmTable.fromIPCStream(ipcStream);
  const props = new WriterPropertiesBuilder().setCompression(Compression.SNAPPY).build();
  try {
    return wasmWriteParquet(table, props);
  } catch (e) {
    throw new Error(`cannot write Parquet: ${e instanceof Error ? e.message : String(e)}`, {
      cause: e,
    });
  }
}
