/**
 * The CLI's `--modules`, `--allow` and `--data` (issue 10, items 2 and 3), with the storage
 * fixture `notes` (counts its runs in /data/runs.txt).
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { embedManifest } from '../modules/package';
import {
  baseManifest,
  HOARD_MODULE,
  moduleBytes,
  NOTES_MODULE,
  writeModules,
} from '../../test-fixtures/hostile/build';
import { captureIo, guestPipeline } from './hostile.testkit';
import { main } from './main';

const dir = mkdtempSync(join(tmpdir(), 'quiver-modules-'));
const READ_WRITE = { storage: 'readwrite', clock: 'none', random: 'none' } as const;
let modulesDir: string;

beforeAll(() => {
  modulesDir = writeModules(join(dir, 'modules'), [NOTES_MODULE, HOARD_MODULE]);
}, 60_000);

/** Runs the `notes` pipeline with `args`; returns the status and what was printed. */
async function runNotes(pipeline: string, ...args: string[]) {
  const { io, out, err } = captureIo();
  const status = await main(['run', pipeline, '--modules', modulesDir, ...args], io);
  return { status, out: out.join('\n'), err: err.join('\n') };
}

describe('quiver run --modules --allow --data', () => {
  it('keeps /data between runs when storage is granted and confirmed', async () => {
    const data = join(dir, 'data-rw');
    const pipeline = guestPipeline(dir, 'notes', READ_WRITE);
    for (const run of [1, 2, 3]) {
      const result = await runNotes(pipeline, '--allow', 'storage', '--data', data);
      expect(result.status, result.err).toBe(0);
      expect(result.out).toMatch(/^guest\s+notes\s+finished\s+1461\s/m);
      expect(readFileSync(join(data, 'notes', 'runs.txt'), 'utf8')).toBe(`${run}\n`);
    }
  }, 60_000);

  it('denies a grant that --allow does not confirm, naming the step and the permission', async () => {
    const data = join(dir, 'data-unconfirmed');
    const result = await runNotes(guestPipeline(dir, 'notes', READ_WRITE), '--data', data);
    expect(result.err).toContain(
      'quiver: step "guest": the document grants storage (readwrite), not confirmed with --allow storage: denied',
    );
    // Without /data the module cannot save its count; nothing was written on the host.
    expect(result.status).toBe(0);
    expect(existsSync(join(data, 'notes'))).toBe(false);
  }, 60_000);

  it('gives a read-only /data to a read grant: the module reads, its write is refused', async () => {
    const data = join(dir, 'data-ro');
    mkdirSync(join(data, 'notes'), { recursive: true });
    writeFileSync(join(data, 'notes', 'runs.txt'), '41\n');
    const readOnly = { ...READ_WRITE, storage: 'read' } as const;
    const result = await runNotes(
      guestPipeline(dir, 'notes', readOnly),
      '--allow',
      'storage',
      '--data',
      data,
    );
    expect(result.status).toBe(0);
    expect(readFileSync(join(data, 'notes', 'runs.txt'), 'utf8')).toBe('41\n');
  }, 60_000);

  it('fails a module that writes past the storage cap, and keeps none of it', async () => {
    const data = join(dir, 'data-hoard');
    const { io, out, err } = captureIo();
    const pipeline = guestPipeline(dir, 'hoard', READ_WRITE);
    const args = ['run', pipeline, '--modules', modulesDir, '--allow', 'storage', '--data', data];
    expect(await main(args, io)).toBe(1);
    expect(err.join('\n')).toContain(
      'step "guest" failed: storage limit of 64 MiB reached: a write to /data was refused',
    );
    expect(out.join('\n')).toMatch(/^warm\s+filter\s+finished\s/m);
    expect(existsSync(join(data, 'hoard'))).toBe(false);
  }, 60_000);

  it('fails a step granted storage when no --data was given, saying so', async () => {
    const result = await runNotes(guestPipeline(dir, 'notes', READ_WRITE), '--allow', 'storage');
    expect(result.status).toBe(1);
    expect(result.err).toContain(
      'step "guest" failed: storage (/data) was granted, but this host keeps no module data (the CLI needs --data <dir>)',
    );
  }, 60_000);

  it('reads a .wasm whose manifest is embedded, and refuses --allow of an unknown permission', async () => {
    const embedded = join(dir, 'embedded');
    mkdirSync(embedded, { recursive: true });
    const manifest = { ...baseManifest('echo-embedded', 'passes its input through') };
    const liar = { ...NOTES_MODULE, id: 'echo-embedded' };
    writeFileSync(
      join(embedded, 'echo-embedded.wasm'),
      embedManifest(moduleBytes(liar), JSON.stringify(manifest)),
    );
    const { io, out, err } = captureIo();
    const pipeline = guestPipeline(dir, 'echo-embedded');
    expect(await main(['run', pipeline, '--modules', embedded], io), err.join('\n')).toBe(0);
    expect(out.join('\n')).toMatch(/^guest\s+echo-embedded\s+finished\s+1461\s/m);
    const refused = captureIo();
    expect(await main(['run', pipeline, '--allow', 'network'], refused.io)).toBe(2);
    expect(refused.err.join('\n')).toContain(
      '--allow network: expected one of storage, clock, random',
    );
  }, 60_000);
});
