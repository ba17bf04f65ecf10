// The AssemblyScript kit for Quiver step modules: Arrow IPC in and out over module memory, the
// step's params, and the ABI 2 reactor (modules/sdk/ABI.md). See docs/modules/assemblyscript.md.
export { Column, Float64Builder } from "./column";
export { Params } from "./params";
export { Batch, Module, Step, register } from "./step";
export { DataType, Field, Schema, TimeUnit, TypeId, isNumeric, typeName } from "./types";
