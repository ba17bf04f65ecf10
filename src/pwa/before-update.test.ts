import { describe, expect, it } from 'vitest';
import { runBeforeUpdate, setBeforeUpdate } from './before-update';

describe('before-update hooks', () => {
  it('waits for every registered hook', async () => {
    const saved: string[] = [];
    const offA = setBeforeUpdate(async () => {
      await new Promise((r) => setTimeout(r, 5));
      saved.push('a');
    });
    const offB = setBeforeUpdate(async () => {
      saved.push('b');
    });
    await runBeforeUpdate();
    expect(saved.sort()).toEqual(['a', 'b']);
    offA();
    offB();
  });

  it('rejects, naming the failure, when a hook fails, so the page is not reloaded', async () => {
    const off = setBeforeUpdate(async () => {
      throw new Error('disk full');
    });
    await expect(runBeforeUpdate()).rejects.toThrow(/1 of 1 save hooks failed\): disk full/);
    off();
  });

  it('no longer runs a hook after it is unregistered', async () => {
    let calls = 0;
    const off = setBeforeUpdate(async () => {
      calls++;
    });
    off();
    await runBeforeUpdate();
    expect(calls).toBe(0);
  });
});
