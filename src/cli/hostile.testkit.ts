/**
 * For tests and the bench: pipelines that run one module from `--modules` beside a sibling
 * branch, and the CLI's answers captured.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { baseManifest, HOSTILE_MODULES, NOTES_MODULE } from '../../test-fixtures/hostile/build';
import type { GrantedPermissions, PipelineDocument, Step } from '../pipeline/types';
import { PIPELINE_FORMAT_VERSION } from '../pipeline/types';

const NONE: GrantedPermissions = { storage: 'none', clock: 'none', random: 'none' };

/** Where each step sits on the canvas (px), so that the editor shows them apart. */
const POSITIONS: Record<string, { x: number; y: number }> = {
  source: { x: 0, y: 0 },
  csv: { x: 250, y: 0 },
  guest: { x: 500, y: -120 },
  warm: { x: 500, y: 160 },
};

function step(id: string, moduleId: string, params: Record<string, unknown> = {}): Step {
  return {
    id,
    moduleId,
    params,
    permissions: NONE,
    limits: { timeoutMs: 60000, maxMemoryMiB: 512 },
    position: POSITIONS[id] ?? { x: 0, y: 0 },
  };
}

/**
 * seattle-weather.csv → csv → `moduleId` (step `guest`, with `limits` and `permissions`), and
 * csv → filter `temp_max > 15` (step `warm`, the sibling branch).
 */
export function guestDocument(
  moduleId: string,
  permissions: GrantedPermissions = NONE,
  limits = limitsOf(moduleId),
): PipelineDocument {
  return {
    format: 'quiver-pipeline',
    version: PIPELINE_FORMAT_VERSION,
    id: `guest-${moduleId}`,
    name: `guest ${moduleId}`,
    steps: [
      step('source', 'source', { uri: 'sample:seattle-weather.csv' }),
      step('csv', 'csv'),
      { ...step('guest', moduleId), permissions, limits },
      step('warm', 'filter', { expression: 'temp_max > 15' }),
    ],
    edges: [
      { id: 'e1', from: { step: 'source', port: 'bytes' }, to: { step: 'csv', port: 'csv' } },
      { id: 'e2', from: { step: 'csv', port: 'out' }, to: { step: 'guest', port: 'in' } },
      { id: 'e3', from: { step: 'csv', port: 'out' }, to: { step: 'warm', port: 'in' } },
    ],
  };
}

/** The default limits of fixture `moduleId` (its manifest's). */
function limitsOf(moduleId: string) {
  const fixture = [...HOSTILE_MODULES, NOTES_MODULE].find((m) => m.id === moduleId);
  return fixture?.manifest?.limits ?? baseManifest(moduleId, '').limits;
}

/** {@link guestDocument} written to `<dir>/<moduleId>.quiver.json`; returns the path. */
export function guestPipeline(
  dir: string,
  moduleId: string,
  permissions: GrantedPermissions = NONE,
): string {
  const path = join(dir, `${moduleId}.quiver.json`);
  writeFileSync(path, JSON.stringify(guestDocument(moduleId, permissions)));
  return path;
}

/** A CLI io that keeps what it is given. */
export function captureIo() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (t: string) => out.push(t), err: (t: string) => err.push(t) }, out, err };
}
