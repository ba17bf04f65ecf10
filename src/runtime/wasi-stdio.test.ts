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
  it('forwards 200 lines, then only counts, and summarizes what it did not show', () => {
    const shown: string[] = [];
    const hooks = withLogCap({
      invokeStart: () => undefined,
      invokeEnd: () => undefined,
      log: (_stream, line) => shown.push(line),
    });
    const capture = new StdioCapture(1024, (line) => hooks.log('stderr', line));
    let text = '';
    for (let i = 0; i < 1000; i++) text += `line ${String(i).padStart(3, '0')}\n`;
    capture.write(bytes(text.slice(0, 5000)));
    capture.write(bytes(text.slice(5000)));
    capture.flush();
    const { lines, bytes: counted } = capture.takeUnreported();
    hooks.unreported?.(lines, counted);
    hooks.summarize();
    expect(shown).toHaveLength(201);
    expect(shown[199]).toBe('line 199');
    // 800 lines not shown: "line 200".."line 999", 9 bytes each with their "\n".
    expect(shown[200]).toBe(
      '[log capped: 800 more lines (7200 bytes, 0.0 MiB) not shown; 200 shown]',
    );
    expect(capture.takeUnreported()).toEqual({ lines: 0, bytes: 0 });
  });
});
