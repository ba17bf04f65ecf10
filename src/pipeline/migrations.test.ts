import { describe, expect, it } from 'vitest';
import {
  checkMigrationSequence,
  migrateDocument,
  pipelineMigrations,
  PipelineVersions,
  UnsupportedVersionError,
  type JsonObject,
  type MigrationSequence,
} from './migrations';
import { parsePipeline } from './serialize';
import { PIPELINE_FORMAT_VERSION } from './types';

/**
 * A synthetic history for testing the machinery: "version 0" stored `nodes` (with `module`,
 * flat `x`/`y`) and `links` (`source`/`sourcePort`/`target`/`targetPort`); version 1 is the
 * real current format. A genuine change of shape, not a no-op.
 */
const renameNodesAndLinks = {
  name: 'RenameNodesAndLinksToStepsAndEdges',
  to: 1,
  up(doc: JsonObject): JsonObject {
    const { nodes, links, ...rest } = doc as {
      nodes: { id: string; module: string; params: object; x: number; y: number }[];
      links: {
        id: string;
        source: string;
        sourcePort: string;
        target: string;
        targetPort: string;
      }[];
    } & JsonObject;
    return {
      ...rest,
      steps: nodes.map((n) => ({
        id: n.id,
        moduleId: n.module,
        params: n.params,
        permissions: { storage: 'none', clock: 'none', random: 'none' },
        limits: { timeoutMs: 60000, maxMemoryMiB: 512 },
        position: { x: n.x, y: n.y },
      })),
      edges: links.map((l) => ({
        id: l.id,
        from: { step: l.source, port: l.sourcePort },
        to: { step: l.target, port: l.targetPort },
      })),
    };
  },
};
const syntheticHistory: MigrationSequence = { oldestVersion: 0, migrations: [renameNodesAndLinks] };

const v0 = {
  format: 'quiver-pipeline',
  version: 0,
  id: 'p-old',
  name: 'from version 0',
  nodes: [
    { id: 'source-1', module: 'source', params: { uri: 'sample:cars.json' }, x: 0, y: 10 },
    { id: 'limit-1', module: 'limit', params: { count: 5 }, x: 200, y: 10 },
  ],
  links: [{ id: 'l1', source: 'source-1', sourcePort: 'out', target: 'limit-1', targetPort: 'in' }],
};

describe('production migrations', () => {
  it('are well formed and end at the current format version', () => {
    expect(() => checkMigrationSequence(pipelineMigrations, PIPELINE_FORMAT_VERSION)).not.toThrow();
    expect(Math.max(...Object.values(PipelineVersions))).toBe(PIPELINE_FORMAT_VERSION);
  });
});

describe('migration machinery (synthetic v0 → v1)', () => {
  it('upgrades a v0 document to a valid v1 document, naming the migration applied', () => {
    const frozen = structuredClone(v0);
    const { doc, applied } = migrateDocument(v0, syntheticHistory, 1);
    expect(applied).toEqual(['RenameNodesAndLinksToStepsAndEdges']);
    expect(v0).toEqual(frozen); // input untouched
    // Parsing checks against the current format, so the real migrations follow the synthetic one.
    const toCurrent: MigrationSequence = {
      oldestVersion: 0,
      migrations: [renameNodesAndLinks, ...pipelineMigrations.migrations],
    };
    const parsed = parsePipeline(JSON.stringify(v0), { migrations: toCurrent });
    expect(parsed).toEqual({ ...doc, version: PIPELINE_FORMAT_VERSION });
    expect(parsed.steps.map((s) => [s.id, s.moduleId, s.position])).toEqual([
      ['source-1', 'source', { x: 0, y: 10 }],
      ['limit-1', 'limit', { x: 200, y: 10 }],
    ]);
    expect(parsed.edges).toEqual([
      { id: 'l1', from: { step: 'source-1', port: 'out' }, to: { step: 'limit-1', port: 'in' } },
    ]);
  });

  it('leaves a current document alone', () => {
    const v1 = migrateDocument(v0, syntheticHistory, 1).doc;
    expect(migrateDocument(v1, syntheticHistory, 1)).toEqual({ doc: v1, applied: [] });
  });

  it('refuses versions outside what it reads, naming the version', () => {
    const at = (version: unknown) => () => migrateDocument({ ...v0, version }, syntheticHistory, 1);
    expect(at(2)).toThrow(
      'format version 2 is newer than this app reads (up to 1); update Quiver to open it',
    );
    expect(at(-1)).toThrow('unknown format version -1: this app reads versions 0 to 1');
    expect(at('1')).toThrow('unknown format version "1": expected an integer from 0 to 1');
    expect(at(1.5)).toThrow(UnsupportedVersionError);
  });

  it('rejects malformed sequences', () => {
    const m = renameNodesAndLinks;
    expect(() => checkMigrationSequence({ oldestVersion: 0, migrations: [m, m] }, 2)).toThrow(
      'migration "RenameNodesAndLinksToStepsAndEdges" is defined twice',
    );
    expect(() =>
      checkMigrationSequence({ oldestVersion: 0, migrations: [{ ...m, to: 2 }] }, 2),
    ).toThrow('goes to version 2, expected 1');
    expect(() => checkMigrationSequence({ oldestVersion: 0, migrations: [m] }, 2)).toThrow(
      'migrations end at version 1, but the current version is 2',
    );
    expect(() =>
      checkMigrationSequence({ oldestVersion: 0, migrations: [{ ...m, name: 'add thing' }] }, 1),
    ).toThrow('is not PascalCase');
  });
});

describe('PinInstalledModules (1 → 2)', () => {
  const v1 = {
    format: 'quiver-pipeline',
    version: 1,
    id: 'p-v1',
    name: 'saved before installed modules',
    steps: [
      {
        id: 'limit-1',
        moduleId: 'limit',
        params: { count: 5 },
        permissions: { storage: 'none', clock: 'none', random: 'none' },
        limits: { timeoutMs: 60000, maxMemoryMiB: 512 },
        position: { x: 0, y: 0 },
      },
    ],
    edges: [],
  };

  it('reads a version 1 document as the current version, its built-in steps unpinned', () => {
    const { doc, applied } = migrateDocument(v1);
    expect(applied).toEqual(['PinInstalledModules', 'BypassSteps', 'GroupsAndNotes']);
    const parsed = parsePipeline(JSON.stringify(v1));
    expect(parsed).toEqual(doc);
    expect(parsed.version).toBe(PipelineVersions.GroupsAndNotes);
    expect(parsed.steps[0]).toEqual(v1.steps[0]);
    expect(parsed.steps[0]?.pin).toBeUndefined();
  });

  it('checks the new fields: a pin needs a 64-digit hex sha256', () => {
    const v2 = { ...v1, version: 2 };
    const pinned = (sha256: string) =>
      JSON.stringify({ ...v2, steps: [{ ...v1.steps[0], pin: { version: '1.0.0', sha256 } }] });
    expect(parsePipeline(pinned('0'.repeat(64))).steps[0]?.pin?.sha256).toBe('0'.repeat(64));
    expect(() => parsePipeline(pinned('XYZ'))).toThrow(/steps\[0\]\.pin\.sha256: must match/);
    const carrying = {
      ...v2,
      modules: [{ manifest: {}, sha256: '0'.repeat(64), wasmBase64: '!' }],
    };
    expect(() => parsePipeline(JSON.stringify(carrying))).toThrow(/modules\[0\]\.wasmBase64/);
  });

  it('reads a version 2 document with every step on (BypassSteps), and checks the switch', () => {
    const v2 = { ...v1, version: 2 };
    const { doc, applied } = migrateDocument(v2);
    expect(applied).toEqual(['BypassSteps', 'GroupsAndNotes']);
    const parsed = parsePipeline(JSON.stringify(v2));
    expect(parsed).toEqual(doc);
    expect(parsed.steps[0]?.bypass).toBeUndefined();
    const v3 = { ...v1, version: 3 };
    const switched = (bypass: unknown) =>
      JSON.stringify({ ...v3, steps: [{ ...v1.steps[0], bypass }] });
    expect(parsePipeline(switched(true)).steps[0]?.bypass).toBe(true);
    expect(() => parsePipeline(switched('yes'))).toThrow(/steps\[0\]\.bypass: must be boolean/);
  });
});

describe('GroupsAndNotes (3 → 4)', () => {
  const v3 = {
    format: 'quiver-pipeline',
    version: 3,
    id: 'p-v3',
    name: 'saved before groups and notes',
    steps: [
      {
        id: 'limit-1',
        moduleId: 'limit',
        params: { count: 5 },
        permissions: { storage: 'none', clock: 'none', random: 'none' },
        limits: { timeoutMs: 60000, maxMemoryMiB: 512 },
        position: { x: 0, y: 0 },
        bypass: true,
      },
    ],
    edges: [],
  };

  it('reads a version 3 document unchanged, with no group and no note', () => {
    const { doc, applied } = migrateDocument(v3);
    expect(applied).toEqual(['GroupsAndNotes']);
    const parsed = parsePipeline(JSON.stringify(v3));
    expect(parsed).toEqual({ ...v3, version: 4 });
    expect(parsed).toEqual(doc);
    expect(parsed.groups).toBeUndefined();
    expect(parsed.notes).toBeUndefined();
  });

  it('checks the new fields, naming the path of each problem', () => {
    const v4 = {
      ...v3,
      version: 4,
      groups: [{ id: 'group:1', title: 'Tidy', steps: [], open: true }],
      notes: [
        { id: 'note:1', text: 'hi', position: { x: 0, y: 0 }, size: { width: 10, height: 50 } },
      ],
    };
    const e = (() => {
      try {
        parsePipeline(JSON.stringify(v4));
      } catch (err) {
        return err as Error;
      }
      throw new Error('expected an error');
    })();
    expect(e.message.split('\n')).toEqual([
      'invalid pipeline: groups[0].open: unknown field',
      'invalid pipeline: groups[0].steps: must NOT have fewer than 1 items',
      'invalid pipeline: notes[0].color: missing required field',
      'invalid pipeline: notes[0].size.width: must be >= 40',
    ]);
  });
});
