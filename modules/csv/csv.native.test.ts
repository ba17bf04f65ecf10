/**
 * The csv parser under AddressSanitizer and UndefinedBehaviorSanitizer (clang-19, native):
 * the replay harness (csv_replay_test.c + fuzz_csv.c) runs every file of
 * ../shared/conformance/csv/fuzz/ (inputs that once crashed Arrow C++'s CSV reader), the
 * csv-spectrum corpus and aggregate_test_100.csv, each with five option sets, and checks the
 * Arrow layout of every batch. Any sanitizer report aborts the harness.
 *
 * Expected outcomes with the default options were checked against Python's csv module (field
 * counts per record): the three "ragged" files have records with other field counts.
 *
 * The chunk harness (csv_chunks_test.c + fuzz_csv.c) feeds the same files, real vega
 * datasets and a few made-up ones with the hard cases (a BOM, CRLF and lone-CR line ends,
 * doubled quotes, multi-byte UTF-8, a quoted field longer than many chunks, a value that does
 * not fit the inferred type) in chunks cut everywhere, and requires the table (or the error)
 * of the whole-buffer parse.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conformanceDir, repoRoot } from './csv-harness';

const fuzzDir = join(conformanceDir, 'fuzz');
const fuzzFiles = readdirSync(fuzzDir)
  .filter((f) => f.startsWith('clusterfuzz'))
  .sort()
  .map((f) => join(fuzzDir, f));
const spectrumDir = join(repoRoot, 'node_modules', 'csv-spectrum', 'csvs');
const spectrumFiles = readdirSync(spectrumDir).map((f) => join(spectrumDir, f));
const aggregate = join(conformanceDir, 'aggregate_test_100.csv');

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

const vegaFiles = ['seattle-weather.csv', 'github.csv', 'unemployment.tsv'].map((f) =>
  join(repoRoot, 'node_modules', 'vega-datasets', 'data', f),
);

/** Made-up files with what chunk boundaries make hard (name → content). */
function trickyFiles(): Record<string, string> {
  const long = `"${'x'.repeat(50_000)}\r\n""${'é'.repeat(40_000)}"""`;
  return {
    'bom-crlf.csv':
      '\uFEFFid,name,when\r\n1,"a ""quoted"" name",2020-01-01\r\n\r\n2,"two\r\nlines",2020-01-02T03:04\r\n3,ünïcödé 😀,\r\n',
    'cr-only.csv': 'a,b\r1,x\r\r2,"y\rz"\r3,\r',
    'long-field.csv': `a,b\n1,${long}\n2,short\n`,
    'late-misfit.csv': `n,s\n${Array.from({ length: 1500 }, (_, i) => `${i},s${i}`).join('\n')}\n1.5,x\n7,y\n`,
    'no-final-newline.csv': 'a,b\n1,"q"',
    // Empty input: the fuzzer found pointer arithmetic on the still-NULL pending buffer.
    'empty.csv': '',
  };
}

function sanitizerBuild(output: string, sources: string[]): void {
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
      ...sources,
      '-lm',
      '-o',
      output,
    ],
    { cwd: repoRoot, stdio: ['ignore', 'ignore', 'pipe'] },
  );
}

const sanitizerEnv = {
  ...process.env,
  ASAN_OPTIONS: 'detect_leaks=1:abort_on_error=1',
  UBSAN_OPTIONS: 'print_stacktrace=1',
};

describe('csv parser under ASan + UBSan', () => {
  let dir: string;
  let harness: string;
  let chunks: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'quiver-csv-native-'));
    harness = join(dir, 'csv_replay');
    chunks = join(dir, 'csv_chunks');
    sanitizerBuild(harness, ['modules/csv/fuzz_csv.c', 'modules/csv/csv_replay_test.c']);
    sanitizerBuild(chunks, ['modules/csv/fuzz_csv.c', 'modules/csv/csv_chunks_test.c']);
    for (const [name, text] of Object.entries(trickyFiles())) writeFileSync(join(dir, name), text);
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('parses or rejects every file without a crash or sanitizer report', () => {
    expect(fuzzFiles).toHaveLength(7);
    const run = spawnSync(harness, [...fuzzFiles, ...spectrumFiles, aggregate], {
      encoding: 'utf8',
      env: sanitizerEnv,
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

  it('gives the whole-buffer table (or error) for input fed in chunks cut anywhere', () => {
    const tricky = Object.keys(trickyFiles()).map((f) => join(dir, f));
    const files = [...spectrumFiles, aggregate, ...fuzzFiles, ...vegaFiles, ...tricky];
    const run = spawnSync(chunks, files, {
      encoding: 'utf8',
      env: sanitizerEnv,
      maxBuffer: 16 * 1024 * 1024,
    });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines).toHaveLength(files.length * 5);
    for (const line of lines) expect(line).toMatch(/\t0x[0-9a-f]{2}\t\d+ splits agree$/);
    // Every byte position of a small file is a cut: 2,019 bytes give 2,020 two-chunk splits,
    // one-byte chunks and 8 random splits (4 MiB budget: every position up to 2,047 bytes).
    const small = fuzzFiles.find((f) => f.endsWith('5085419734892544'))!;
    expect(lines.find((l) => l.startsWith(`${small}\t0x00`))).toMatch(/\t2029 splits agree$/);
  }, 300_000);
});
