import { File } from '@bjorn3/browser_wasi_shim';
import { describe, expect, it } from 'vitest';
import {
  isSafeDataPath,
  setDataStore,
  StepData,
  type DataChanges,
  type DataFiles,
} from './module-data';

/** An in-memory store that records what was saved. */
function memoryStore(files: DataFiles) {
  const saved: DataChanges[] = [];
  setDataStore({
    load: async () => new Map(files),
    save: async (_root, _key, changes) => {
      saved.push(changes);
    },
  });
  return saved;
}

const spec = { root: 'r', key: 'm', writable: true, maxBytes: 100 };
const text = (s: string) => new TextEncoder().encode(s);

describe('StepData', () => {
  it('saves only what changed: a rewritten file, a new one, a removed one', async () => {
    const saved = memoryStore(
      new Map([
        ['same.txt', text('same')],
        ['changed.txt', text('old')],
        ['gone.txt', text('bye')],
      ]),
    );
    const data = await StepData.open(spec);
    const changed = data.dir.contents.get('changed.txt') as File;
    changed.data.set(text('new')); // in place, same length
    data.dir.contents.delete('gone.txt');
    data.dir.contents.set('added.txt', new File(text('hi')));
    await data.commit();
    expect(saved).toHaveLength(1);
    expect([...(saved[0]?.written.keys() ?? [])].sort()).toEqual(['added.txt', 'changed.txt']);
    expect(saved[0]?.removed).toEqual(['gone.txt']);
  });

  it('leaves room for the cap minus what is stored, and saves nothing for a read grant', async () => {
    const saved = memoryStore(new Map([['a.bin', new Uint8Array(60)]]));
    const data = await StepData.open(spec);
    expect(data.budget.leftBytes).toBe(40);
    expect(data.capMessage()).toBe('storage limit of 0 MiB reached: a write to /data was refused');
    const readOnly = await StepData.open({ ...spec, writable: false });
    readOnly.dir.contents.delete('a.bin');
    await readOnly.commit();
    expect(saved).toEqual([]);
  });

  it('refuses unsafe paths', () => {
    expect(isSafeDataPath('a/b.txt')).toBe(true);
    for (const bad of ['', '..', 'a/../b', '/abs', 'a//b', 'a\\b', './a']) {
      expect(isSafeDataPath(bad), bad).toBe(false);
    }
  });
});
