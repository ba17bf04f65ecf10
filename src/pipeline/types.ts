/**
 * The pipeline document: pure, versioned JSON that the editor edits, storage saves, and the
 * runtime runs. Changing its shape means a new `version` and a named migration
 * (see `migrations.ts`).
 */
import type { EmbeddedModule } from '../modules/embedded';
import type { GrantedPermissions, StepLimits } from '../modules/manifest';

/** What the user granted a step; defined with the manifest's permissions (`src/modules`). */
export type { GrantedPermissions };
/** A module carried in the document; defined beside the package reader (`src/modules`). */
export type { EmbeddedModule };

/** Current format version of {@link PipelineDocument}. */
export const PIPELINE_FORMAT_VERSION = 4;

/**
 * The exact binary a step of an installed module was built with. Built-in modules are part of
 * the app and change with it, so their steps carry no pin; a step whose module is installed
 * runs only that module's binary with this sha256.
 */
export interface ModulePin {
  /** The manifest's `version` when the step was pinned. */
  version: string;
  /** SHA-256 of the `.wasm` bytes, lowercase hex (64 characters). */
  sha256: string;
}

/** A node on the canvas: one module, its parameters, what it was granted and its limits. */
export interface Step {
  /** Unique within the pipeline, stable across edits (e.g. `"filter-1"`). */
  id: string;
  /** The manifest id of the module the step runs (e.g. `"filter"`, or host `"source"`). */
  moduleId: string;
  /** Optional user label shown on the node instead of the module name. */
  label?: string;
  /** Parameters, valid against the module's params JSON Schema. */
  params: Record<string, unknown>;
  permissions: GrantedPermissions;
  limits: StepLimits;
  /** Canvas position in React Flow coordinates (px at zoom 1). */
  position: { x: number; y: number };
  /** Installed modules only: the binary this step runs (see {@link ModulePin}). */
  pin?: ModulePin;
  /**
   * Switched off: a step with one input and one output of the same type passes its input
   * through; any other step is skipped with its downstream. Absent: false.
   */
  bypass?: boolean;
}

/** One end of an edge: a step and one of its ports. */
export interface PortRef {
  step: string;
  port: string;
}

/** A connection from an output port to an input port. */
export interface Edge {
  id: string;
  from: PortRef;
  to: PortRef;
}

/** A whole pipeline, as saved in IndexedDB and in `.quiver.json` files. */
export interface PipelineDocument {
  format: 'quiver-pipeline';
  version: typeof PIPELINE_FORMAT_VERSION;
  id: string;
  name: string;
  description?: string;
  steps: Step[];
  edges: Edge[];
  /** Installed modules the steps use, carried along by an export "with modules". */
  modules?: EmbeddedModule[];
  /** Titled frames around steps (canvas organisation only: runs ignore them). */
  groups?: StepGroup[];
  /** Sticky notes on the canvas (canvas organisation only: runs ignore them). */
  notes?: Note[];
}

/**
 * A titled frame around some steps. It has no position of its own: the frame is drawn around
 * its steps, so it moves when they move and moving it moves them. A step is in at most one
 * group; a group has at least one step.
 */
export interface StepGroup {
  /** Unique among step, group and note ids; the editor makes `group:<n>`. */
  id: string;
  title: string;
  /** Ids of the steps inside, in the order they were grouped. */
  steps: string[];
  /** Drawn as one compact box (its steps hidden, outside links attached to it). Absent: false. */
  collapsed?: boolean;
}

/** The colours a note can have (the editor maps each to a light and a dark shade). */
export const NOTE_COLORS = ['yellow', 'blue', 'green', 'pink', 'grey'] as const;
export type NoteColor = (typeof NOTE_COLORS)[number];

/** A sticky note: plain text in a resizable, coloured box. */
export interface Note {
  /** Unique among step, group and note ids; the editor makes `note:<n>`. */
  id: string;
  /** Plain text; line breaks kept. */
  text: string;
  /** Top-left corner in React Flow coordinates (px at zoom 1). */
  position: { x: number; y: number };
  /** Size in px at zoom 1. */
  size: { width: number; height: number };
  color: NoteColor;
}
