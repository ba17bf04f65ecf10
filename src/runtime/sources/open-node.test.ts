import { openAsBlob } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openFileBlob } from './open-node';

const FILE = 'node_modules/vega-datasets/data/seattle-weather.csv';

describe('openFileBlob', () => {
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
