/**
 * Format versions of the pipeline document and the named migrations between them, in the
 * style of tldraw's migration sequences: every change of format gets a name and a version
 * number, and a function that upgrades a document of the previous version. Documents are
 * migrated on load (`parsePipeline`), before their structure is checked.
 *
 * To change the format: add a name to {@link PipelineVersions} with the next number, bump
 * `PIPELINE_FORMAT_VERSION` in `types.ts` and the document schema, append a migration to
 * {@link pipelineMigrations}, and add a test that upgrades a saved document of the old version.
 */
import { PIPELINE_FORMAT_VERSION } from './types';

/** A JSON object of any version, as read from a file. */
export type JsonObject = Record<string, unknown>;

/** One named change of format. */
export interface Migration {
  /** PascalCase, says what changed, e.g. `RenameNodesToSteps`. */
  name: string;
  /** The version this migration produces; it applies to documents of version `to - 1`. */
  to: number;
  /** Upgrade a document of version `to - 1` (its `version` field is set by the runner). */
  up(doc: JsonObject): JsonObject;
}

/** All migrations of one document type, oldest first. */
export interface MigrationSequence {
  /** The oldest version this app can still read. */
  oldestVersion: number;
  migrations: readonly Migration[];
}

/** Every format version, by name. */
export const PipelineVersions = {
  Initial: 1,
  /**
   * A step may pin its installed module (`pin: { version, sha256 }`) and a document may carry
   * modules (`modules: [{ manifest, sha256, wasmBase64 }]`).
   */
  PinInstalledModules: 2,
  /** A step may be switched off (`bypass: true`): passed through, or skipped with its downstream. */
  BypassSteps: 3,
  /**
   * A document may carry `groups` (titled frames around steps, possibly collapsed) and `notes`
   * (sticky notes with text, position, size and colour). Both only organise the canvas.
   */
  GroupsAndNotes: 4,
} as const;

/** The production sequence. */
export const pipelineMigrations: MigrationSequence = {
  oldestVersion: PipelineVersions.Initial,
  migrations: [
    {
      name: 'PinInstalledModules',
      to: PipelineVersions.PinInstalledModules,
      // A version 1 document can only use built-in modules (nothing could be installed before
      // version 2), and built-ins are not pinned: the fields are new and optional, and every
      // step stays as it was. A step that names a module unknown here is flagged when opened.
      up: (doc) => doc,
    },
    {
      name: 'BypassSteps',
      to: PipelineVersions.BypassSteps,
      // The field is new and optional: every step of an older document runs, as it did. The
      // version still changes so that an older app refuses a document with a bypassed step
      // instead of silently running it.
      up: (doc) => doc,
    },
    {
      name: 'GroupsAndNotes',
      to: PipelineVersions.GroupsAndNotes,
      // Both fields are new and optional: an older document has no group and no note. The
      // version changes so that an older app refuses (rather than drops, when it saves again)
      // the groups and notes of a newer document.
      up: (doc) => doc,
    },
  ],
};

/** A document whose version this app cannot read. */
export class UnsupportedVersionError extends Error {
  override name = 'UnsupportedVersionError';
  constructor(
    message: string,
    readonly version: unknown,
  ) {
    super(message);
  }
}

/**
 * Check that a sequence is well formed: versions contiguous from `oldestVersion + 1` up to
 * `currentVersion`, names unique and non-empty. Throws an Error naming the first problem.
 */
export function checkMigrationSequence(seq: MigrationSequence, currentVersion: number): void {
  const names = new Set<string>();
  let expected = seq.oldestVersion + 1;
  for (const m of seq.migrations) {
    if (!/^[A-Z][A-Za-z0-9]*$/.test(m.name)) {
      throw new Error(`migration to version ${m.to}: name "${m.name}" is not PascalCase`);
    }
    if (names.has(m.name)) throw new Error(`migration "${m.name}" is defined twice`);
    names.add(m.name);
    if (m.to !== expected) {
      throw new Error(`migration "${m.name}" goes to version ${m.to}, expected ${expected}`);
    }
    expected++;
  }
  if (expected - 1 !== currentVersion) {
    throw new Error(
      `migrations end at version ${expected - 1}, but the current version is ${currentVersion}`,
    );
  }
}

/**
 * Upgrade `doc` (any version from `seq.oldestVersion` to `currentVersion`) to `currentVersion`.
 * Returns the upgraded document (a new object; `doc` is not modified) and the names of the
 * migrations applied, in order. Throws {@link UnsupportedVersionError} for a version that is
 * not an integer, older than the oldest readable one, or newer than this app.
 */
export function migrateDocument(
  doc: JsonObject,
  seq: MigrationSequence = pipelineMigrations,
  currentVersion: number = PIPELINE_FORMAT_VERSION,
): { doc: JsonObject; applied: string[] } {
  const version = doc.version;
  if (typeof version !== 'number' || !Number.isInteger(version)) {
    throw new UnsupportedVersionError(
      `unknown format version ${JSON.stringify(version) ?? 'undefined'}: expected an integer from ${seq.oldestVersion} to ${currentVersion}`,
      version,
    );
  }
  if (version > currentVersion) {
    throw new UnsupportedVersionError(
      `format version ${version} is newer than this app reads (up to ${currentVersion}); update Quiver to open it`,
      version,
    );
  }
  if (version < seq.oldestVersion) {
    throw new UnsupportedVersionError(
      `unknown format version ${version}: this app reads versions ${seq.oldestVersion} to ${currentVersion}`,
      version,
    );
  }
  let current: JsonObject = structuredClone(doc);
  const applied: string[] = [];
  for (const m of seq.migrations) {
    if (m.to <= version) continue;
    current = { ...m.up(current), version: m.to };
    applied.push(m.name);
  }
  return { doc: current, applied };
}
