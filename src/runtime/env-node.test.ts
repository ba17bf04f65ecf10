import { describe, expect, it } from 'vitest';
import { workerExecArgv } from './env-node';

describe('workerExecArgv', () => {
  it("drops tsx's preflight and loader, with their values, and keeps other flags", () => {
    const parent = [
      '--require',
      '/x/node_modules/tsx/dist/preflight.cjs',
      '--import',
      'file:///x/node_modules/tsx/dist/loader.mjs',
      '--cpu-prof',
      '--max-old-space-size=512',
    ];
    expect(workerExecArgv(parent)).toEqual(['--cpu-prof', '--max-old-space-size=512']);
  });

  it('drops the --flag=value spellings and -r', () => {
    const parent = ['--import=tsx', '--loader=tsx', '-r', 'pre.cjs', '--enable-source-maps'];
    expect(workerExecArgv(parent)).toEqual(['--enable-source-maps']);
  });
});
