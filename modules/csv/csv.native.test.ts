/**
 * The csv parser under AddressSanitizer and UndefinedBehaviorSanitizer (clang-19, native):
 * the replay harness (csv_replay_test.c + fuzz_csv.c) runs every file of
 * ../shared/conformance/csv/fuzz/ (inputs that once crashed Arrow C++'s CSV reader), the
 * csv-spectrum corpus and aggregate_test_100.csv, each with five option sets, and checks the
 * Arrow layout of every batch. Any sanitizer report aborts the harness.
 *
 * Expected outcomes with the default options were checked against Python's csv module (field
 * counts per record): the three "ragged" files have records with other field counts.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from './csv-harness';

const fuzzDir = join(repoRoot, '..', 'shared', 'conformance', 'csv', 'fuzz');
const fuzzFiles = readdirSync(fuzzDir)
  .filter((f) => f.startsWith('clusterfuzz'))
  .sort()
  .map((f) => join(fuzzDir, f));
const spectrumDir = join(repoRoot, 'node_modules', 'csv-spectrum', 'csvs');
const spectrumFiles = readdirSync(spectrumDir).map((f) => join(spectrumDir, f));
const aggregate = join(repoRoot, '..', 'shared', 'conformance', 'csv', 'aggregate_test_100.csv');

/** Default-options outcome per fuzz file (suffix of its name). */
const expectedDefault: Record<string, RegExp> = {
  '4523557272223744': /^ok rows=2 columns=1 /,
  '5003506164760576': /^ok rows=1 columns=5 /,
  '5085419734892544': /^error 22: line 2, column \d+: expected 65 fields, found 57/,
  '5279410447253504': /^ok rows=6949 columns=1 /,
  '5308706540814336': /^error 22: line 2, column 9: expected 8 fields, found 5823/,
  '5600990083743744': /^ok rows=176 columns=1 /,
  '6261070185693184': /^error 22: line 5, column \d+: expected 2 fields, found 3/,
};

describe('csv parser under ASan + UBSan', () => {
  let dir: string;
  let harness: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'quiver-csv-native-'));
    harness = join(dir, 'csv_replay');
    execFileSync(
      'clang-19',
      [
        '-std=c11',
        '-O1',
        '-g',
        '-Wall',
        '-Wextra',
        '-Werror',
        '-fsanitize=address,undefined',
        '-fno-sanitize-recover=all',
        '-fno-omit-frame-pointer',
        'modules/csv/fuzz_csv.c',
        'modules/csv/csv_replay_test.c',
        '-lm',
        '-o',
        harness,
      ],
      { cwd: repoRoot, stdio: ['ignore', 'ignore', 'pipe'] },
    );
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('parses or rejects every file without a crash or sanitizer report', () => {
    expect(fuzzFiles).toHaveLength(7);
    const run = spawnSync(harness, [...fuzzFiles, ...spectrumFiles, aggregate], {
      encoding: 'utf8',
      env: {
        ...process.env,
        ASAN_OPTIONS: 'detect_leaks=1:abort_on_error=1',
        UBSAN_OPTIONS: 'print_stacktrace=1',
      },
      maxBuffer: 16 * 1024 * 1024,
    });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines).toHaveLength((fuzzFiles.length + spectrumFiles.length + 1) * 5);
    for (const line of lines) {
      const [file, flags, summary] = line.split('\t');
      expect(summary, `${file} ${flags}`).toMatch(
        /^(ok rows=\d+ columns=\d+ |error 22: line \d+, column \d+)/,
      );
      const key = Object.keys(expectedDefault).find((k) => file?.endsWith(k));
      if (key && flags === '0x00') expect(summary).toMatch(expectedDefault[key]!);
      if (file === aggregate && flags === '0x00')
        expect(summary).toMatch(/^ok rows=100 columns=13 /);
      if (file?.startsWith(spectrumDir) && flags === '0x00') expect(summary).toMatch(/^ok /);
    }
  });
});
