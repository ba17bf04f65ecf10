// The ABI 2 exports (modules/sdk/ABI.md §11.1). A module's entry file re-exports them:
//   export * from "<kit>/assembly/exports";
import { begin, finish, output, push } from "./step";

/** Host-owned blocks are plain heap memory, outside the garbage collector's reach. */
export function qv_alloc(size: u32): usize {
  return heap.alloc(max<usize>(<usize>size, 8));
}

export function qv_free(ptr: usize): void {
  heap.free(ptr);
}

export function qv_begin(ptr: usize, size: u32): i32 {
  const json = String.UTF8.decodeUnsafe(ptr, size);
  heap.free(ptr);
  return begin(json);
}

export function qv_push(port: i32, ptr: usize, size: u32): i32 {
  const st = push(port, ptr, size);
  heap.free(ptr);
  return st;
}

export function qv_finish(): i32 {
  return finish();
}

export function qv_output_ptr(port: i32): usize {
  const out = output(port);
  return out !== null ? out.ptr : 0;
}

export function qv_output_size(port: i32): u32 {
  const out = output(port);
  return out !== null ? <u32>out.size : 0;
}

export function qv_output_clear(port: i32): void {
  const out = output(port);
  if (out !== null) out.size = 0;
}
