import { describe, expect, it } from 'vitest';
import { fixtureModule } from '../../test-fixtures/runtime/build';
import { runWasiCommand } from './wasi-host';

const encode = (text: string): Uint8Array => new TextEncoder().encode(text);

describe('runWasiCommand', () => {
  const echo = fixtureModule('echo');

  it('reads /in and /params.json, writes /out, captures stdout and stderr', () => {
    const input = encode('a'.repeat(100_000));
    const result = runWasiCommand({
      module: echo,
      files: { '/in/in.bytes': input, '/params.json': encode('{"x":1}') },
    });
    expect(result.failure).toBeUndefined();
    expect(result.exitCode).toBe(0);
    const out = result.outputs['/out/out.arrow'];
    expect(new TextDecoder().decode(out)).toBe('a'.repeat(100_000) + '{"x":1}');
    expect(result.stdout).toBe('echo: done\n');
    expect(result.stderr).toBe('echo: to stderr\n');
  });

  it('stops a command writing past maxOutputBytes during the run, naming the cap', () => {
    const result = runWasiCommand({
      module: echo,
      files: { '/in/in.bytes': encode('c'.repeat(3 * 1024 * 1024)), '/params.json': encode('') },
      maxOutputBytes: 1024 * 1024,
    });
    expect(result.failure).toEqual({
      kind: 'output-limit',
      message: 'output limit of 1 MiB exceeded',
    });
    // The write that would pass the cap was refused: the file never held more than the cap.
    expect(result.outputs['/out/out.arrow']?.byteLength).toBeLessThanOrEqual(1024 * 1024);
  });

  it('grows output files by doubling, not by the size of each write', () => {
    const input = encode('b'.repeat(70_000));
    const result = runWasiCommand({
      module: echo,
      files: { '/in/in.bytes': input, '/params.json': encode('') },
    });
    const out = result.outputs['/out/out.arrow'];
    expect(out?.byteLength).toBe(70_000);
    // 10,000 writes of 7 bytes: one doubling from 64 KiB, so capacity is 128 KiB.
    expect(out?.buffer.byteLength).toBe(128 * 1024);
  });

  it('does not copy inputs given as views', () => {
    const backing = new ArrayBuffer(16);
    const view = new Uint8Array(backing, 4, 8).fill(0x41);
    const result = runWasiCommand({
      module: echo,
      files: { '/in/in.bytes': view, '/params.json': encode('') },
    });
    expect(new TextDecoder().decode(result.outputs['/out/out.arrow'])).toBe('AAAAAAAA');
  });

  it('reports a non-zero exit code as an exit failure', () => {
    const result = runWasiCommand({
      module: echo,
      args: ['echo', '7'],
      files: { '/in/in.bytes': encode('x'), '/params.json': encode('') },
    });
    expect(result.exitCode).toBe(7);
    expect(result.failure).toEqual({ kind: 'exit', message: 'exited with code 7' });
  });

  it('reports a missing input as the module reports it', () => {
    const result = runWasiCommand({ module: echo, files: { '/params.json': encode('') } });
    expect(result.exitCode).toBe(3);
    expect(result.stderr).toContain('cannot open a file');
  });

  it('turns a trap into a trap failure and keeps stderr', () => {
    const result = runWasiCommand({ module: fixtureModule('trap') });
    expect(result.exitCode).toBe(-1);
    expect(result.failure?.kind).toBe('trap');
    expect(result.failure?.message).toMatch(/^trap: unreachable/);
    expect(result.stderr).toBe('trap: about to trap\n');
  });

  it('stops a module whose memory passes the cap', () => {
    const lines: string[] = [];
    const result = runWasiCommand({
      module: fixtureModule('grow'),
      maxMemoryMiB: 16,
      onLine: (_stream, line) => lines.push(line),
    });
    expect(result.failure).toEqual({
      kind: 'memory-limit',
      message: 'memory limit of 16 MiB exceeded',
    });
    expect(lines).toContain('grow: 8 MiB');
    expect(result.memoryBytes).toBeGreaterThan(16 * 1024 * 1024);
  });

  it('refuses writes outside /out', () => {
    const result = runWasiCommand({ module: echo, files: { '/in/in.bytes': encode('x') } });
    // No /params.json: the module cannot create it either, the root is read-only.
    expect(result.exitCode).toBe(3);
  });
});

describe('runWasiCommand with a chunked input', () => {
  it('reads the chunks as one file, across chunk boundaries, without joining them', () => {
    const chunks = ['abc', '', 'defghij', 'k'].map(encode);
    const result = runWasiCommand({
      module: fixtureModule('echo'),
      files: { '/in/in.bytes': chunks, '/params.json': encode('') },
    });
    expect(result.exitCode).toBe(0);
    expect(new TextDecoder().decode(result.outputs['/out/out.arrow'])).toBe('abcdefghijk');
  });
});

describe('runWasiCommand clock and random', () => {
  const clock = fixtureModule('clock');
  const read = (opts: { clock?: 'real' | 'deterministic'; random?: 'real' | 'deterministic' }) => {
    const result = runWasiCommand({ module: clock, ...opts });
    expect(result.exitCode).toBe(0);
    const [ns, hex] = result.stdout.trim().split(' ');
    return { ns: BigInt(ns ?? '0'), hex: hex ?? '' };
  };

  it('gives the same clock and random values on every deterministic run', () => {
    const a = read({});
    expect(read({})).toEqual(a);
    // Starts at 2000-01-01T00:00:00Z.
    expect(a.ns / 1_000_000_000n).toBe(946_684_800n);
  });

  it('passes the host clock and crypto randomness when granted real', () => {
    const real = read({ clock: 'real', random: 'real' });
    const nowSeconds = BigInt(Math.floor(Date.now() / 1000));
    expect(real.ns / 1_000_000_000n - nowSeconds).toBeLessThanOrEqual(2n);
    expect(read({ clock: 'real', random: 'real' }).hex).not.toBe(real.hex);
  });
});
