import { describe, expect, it } from 'vitest';
import { MAX_LINE_CHARS, StdioCapture } from './wasi-stdio';
import { withLogCap } from './wasm-step';

const bytes = (text: string) => new TextEncoder().encode(text);

describe('StdioCapture', () => {
  it('reports lines split across writes, and the last partial line on flush', () => {
    const lines: string[] = [];
    const capture = new StdioCapture(1024, (line) => lines.push(line));
    for (const part of ['hel', 'lo\nwor', 'ld\n', 'tail']) capture.write(bytes(part));
    capture.flush();
    expect(lines).toEqual(['hello', 'world', 'tail']);
    expect(capture.text()).toBe('hello\nworld\ntail');
  });

  it('keeps the last limitBytes bytes and says how many were dropped', () => {
    const capture = new StdioCapture(8);
    capture.write(bytes('0123456789'));
    capture.write(bytes('abc'));
    expect(capture.text()).toBe('[5 earlier bytes dropped]\n56789abc');
  });

  it('cuts a line longer than MAX_LINE_CHARS and counts the rest', () => {
    const lines: string[] = [];
    const capture = new StdioCapture(1024, (line) => lines.push(line));
    const long = 'x'.repeat(MAX_LINE_CHARS + 100);
    for (let i = 0; i < long.length; i += 1000) capture.write(bytes(long.slice(i, i + 1000)));
    capture.write(bytes('\nnext\n'));
    expect(lines).toEqual([
      `${'x'.repeat(MAX_LINE_CHARS)} [line cut: 100 more characters]`,
      'next',
    ]);
  });
});

describe('withLogCap', () => {
  it('forwards 200 lines, then a note, and summarizes what it dropped', () => {
    const shown: string[] = [];
    const hooks = withLogCap({
      invokeStart: () => undefined,
      invokeEnd: () => undefined,
      log: (_stream, line) => shown.push(line),
    });
    for (let i = 0; i < 1000; i++) hooks.log('stderr', `line ${i}`);
    hooks.summarize();
    expect(shown).toHaveLength(202);
    expect(shown[199]).toBe('line 199');
    expect(shown[200]).toMatch(/^\[log capped at 200 lines/);
    // 800 dropped lines: "line 200".."line 999", 8 characters each plus "\n".
    expect(shown[201]).toBe(
      '[log capped: 800 more lines (7200 characters, 0.0 MiB) dropped; 200 shown]',
    );
  });
});
