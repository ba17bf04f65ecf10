import { mkdtempSync, openAsBlob, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openFileBlob } from './open-node';

const FILE = 'node_modules/vega-datasets/data/seattle-weather.csv';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true });
});

/** A file holding `text` in a directory of its own. */
function file(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'open-node-'));
  dirs.push(dir);
  const path = join(dir, 'data.txt');
  writeFileSync(path, text);
  return path;
}

describe('openFileBlob', () => {
  it('reads slices as Blob.slice does (nested, negative and clamped positions)', async () => {
    const blob = await openFileBlob(file('0123456789'));
    expect(blob).toBeInstanceOf(Blob);
    expect(blob.size).toBe(10);
    expect(await blob.text()).toBe('0123456789');
    expect(await blob.slice(2, 5).text()).toBe('234');
    expect(await blob.slice(2, 8).slice(1, 3).text()).toBe('34');
    expect(await blob.slice(-3).text()).toBe('789');
    expect(await blob.slice(8, 100).text()).toBe('89');
    expect(await blob.slice(6, 4).text()).toBe('');
    expect(new Uint8Array(await blob.slice(0, 2).arrayBuffer())).toEqual(new Uint8Array([48, 49]));
  });

  it('refuses to read a file changed since it was opened', async () => {
    const path = file('0123456789');
    const blob = await openFileBlob(path);
    writeFileSync(path, 'abc');
    utimesSync(path, new Date(), new Date(Date.now() + 5000));
    await expect(blob.slice(0, 4).arrayBuffer()).rejects.toThrow(/changed since it was opened/);
  });

  it("reads the same bytes as Node's file Blob, for any slice of a slice", async () => {
    const ours = await openFileBlob(FILE);
    const node = await openAsBlob(FILE);
    expect(ours.size).toBe(node.size);
    const bytes = async (blob: Blob) => new Uint8Array(await blob.arrayBuffer());
    expect(await bytes(ours)).toEqual(await bytes(node));
    const ranges: [number, number | undefined][] = [
      [0, 10],
      [100, 5000],
      [-300, undefined],
      [-300, -100],
      [40_000, 10 ** 9],
      [500, 100],
    ];
    for (const [start, end] of ranges) {
      expect(await bytes(ours.slice(start, end)), `slice(${start}, ${end})`).toEqual(
        await bytes(node.slice(start, end)),
      );
      expect(await bytes(ours.slice(7, 9000).slice(start, end))).toEqual(
        await bytes(node.slice(7, 9000).slice(start, end)),
      );
    }
  });

  it('names the system error of a missing file', async () => {
    await expect(openFileBlob('no/such/file.csv')).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
