/**
 * The CLI runs a step with two inputs: `--input` replaces the file of each source step, and
 * the join's result table is printed (checked by hand: two flights match LAX, one SEA; the
 * flight from nowhere matches nothing).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from './main';

const dir = mkdtempSync(join(tmpdir(), 'quiver-cli-join-'));

/** A pipeline reading two CSV source steps into a join. */
function joinPipeline(): string {
  const permissions = { storage: 'none', clock: 'none', random: 'none' };
  const limits = { timeoutMs: 60000, maxMemoryMiB: 256 };
  const step = (id: string, moduleId: string, params: Record<string, unknown>) => ({
    id,
    moduleId,
    params,
    permissions,
    limits,
    position: { x: 0, y: 0 },
  });
  const edge = (id: string, from: string, fromPort: string, to: string, toPort: string) => ({
    id,
    from: { step: from, port: fromPort },
    to: { step: to, port: toPort },
  });
  return JSON.stringify({
    format: 'quiver-pipeline',
    version: 1,
    id: 'cli-join',
    name: 'cli join',
    steps: [
      step('flights', 'source', { uri: 'replaced.csv' }),
      step('flightsCsv', 'csv', {}),
      step('airports', 'source', { uri: 'replaced.csv' }),
      step('airportsCsv', 'csv', {}),
      step('join', 'join', { how: 'inner', keys: [{ left: 'origin', right: 'iata' }] }),
    ],
    edges: [
      edge('e1', 'flights', 'bytes', 'flightsCsv', 'csv'),
      edge('e2', 'airports', 'bytes', 'airportsCsv', 'csv'),
      edge('e3', 'flightsCsv', 'out', 'join', 'left'),
      edge('e4', 'airportsCsv', 'out', 'join', 'right'),
    ],
  });
}

describe('quiver CLI, a step with two inputs', () => {
  it('joins two files given with --input and prints the result', async () => {
    const pipeline = join(dir, 'join.quiver.json');
    const flights = join(dir, 'flights.csv');
    const airports = join(dir, 'airports.csv');
    writeFileSync(pipeline, joinPipeline());
    writeFileSync(flights, 'origin,delay\nLAX,5\nSEA,-3\nLAX,12\nXXX,1\n');
    writeFileSync(airports, 'iata,city\nSEA,Seattle\nLAX,Los Angeles\nSFO,San Francisco\n');
    const out: string[] = [];
    const err: string[] = [];
    const io = { out: (t: string) => out.push(t), err: (t: string) => err.push(t) };
    const args = [
      'run',
      pipeline,
      '--input',
      `flights=${flights}`,
      '--input',
      `airports=${airports}`,
    ];
    expect(await main(args, io), err.join('\n')).toBe(0);
    const text = out.join('\n');
    expect(text).toContain('Result of step "join" (3 of 3 rows):');
    expect(text).toMatch(/^origin\s+delay\s+iata\s+city$/m);
    expect(text).toMatch(/^LAX\s+5\s+LAX\s+Los Angeles$/m);
    expect(text).toMatch(/^SEA\s+-3\s+SEA\s+Seattle$/m);
    expect(text).toMatch(/^LAX\s+12\s+LAX\s+Los Angeles$/m);
  });
});
