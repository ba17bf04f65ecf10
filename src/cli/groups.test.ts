import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from './main';

const dir = mkdtempSync(join(tmpdir(), 'quiver-cli-groups-'));

/** The Seattle example at format version 4 with a group and a note, written to a file. */
function organisedExample(change: (doc: Record<string, unknown>) => void = () => {}): string {
  const doc = JSON.parse(readFileSync('examples/seattle-weather.quiver.json', 'utf8')) as Record<
    string,
    unknown
  >;
  doc.version = 4;
  doc.groups = [{ id: 'group:1', title: 'Warm days', steps: ['filter', 'sort'], collapsed: true }];
  doc.notes = [
    {
      id: 'note:1',
      text: 'Grouped for the CLI test',
      position: { x: 0, y: -200 },
      size: { width: 200, height: 120 },
      color: 'green',
    },
  ];
  change(doc);
  const file = join(dir, `${Math.random().toString(36).slice(2)}.quiver.json`);
  writeFileSync(file, JSON.stringify(doc));
  return file;
}

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (t: string) => out.push(t), err: (t: string) => err.push(t) }, out, err };
}

describe('quiver run with groups and notes', () => {
  it('runs every step as without them (groups and notes only organise the canvas)', async () => {
    const { io, out } = capture();
    expect(await main(['run', organisedExample()], io)).toBe(0);
    expect(out.join('\n')).toMatch(/^sun\s+466\s/m);
  });

  it('still checks them: a group naming a missing step is refused with its path', async () => {
    const file = organisedExample((doc) => {
      doc.groups = [{ id: 'group:1', title: 'x', steps: ['filter', 'no-such-step'] }];
    });
    const { io, err } = capture();
    expect(await main(['run', file], io)).not.toBe(0);
    expect(err.join('\n')).toContain(
      'invalid pipeline: groups[0].steps[1]: no step "no-such-step"',
    );
  });
});
