/** The text report of `quiver module test`. */
import type { ModuleManifest } from '../../modules/manifest';
import { formatTable } from '../table';
import type { ContractReport } from './contract';

/** The report: a header naming the module, one row per input, its problems, a verdict. */
export function formatReport(
  file: string,
  manifest: ModuleManifest,
  params: Record<string, unknown>,
  report: ContractReport,
): string {
  const kind = `ABI ${manifest.abi}${manifest.streamable ? ', streamable' : ''}`;
  const { timeoutMs, maxMemoryMiB } = manifest.limits;
  const lines = [
    `quiver module test ${file}: ${manifest.id} ${manifest.version} (${kind})`,
    `params ${JSON.stringify(params)}; limits ${timeoutMs} ms, ${maxMemoryMiB} MiB`,
    '',
  ];
  const rows = report.cases.map((c) => [
    c.problems.length === 0 ? 'ok' : 'FAIL',
    c.input,
    c.rowsIn,
    c.rowsOut === undefined ? null : Object.values(c.rowsOut).reduce((a, b) => a + b, 0),
    c.ms,
    c.about,
  ]);
  lines.push(formatTable(['', 'input', 'rows in', 'rows out', 'ms', 'exercises'], rows));
  for (const c of report.cases) {
    for (const p of c.problems) lines.push(`${c.input}: ${p}`);
    for (const n of c.notes) lines.push(`${c.input}: note: ${n}`);
  }
  for (const p of report.problems) lines.push(`error: ${p}`);
  const passed = report.cases.filter((c) => c.problems.length === 0).length;
  const failed = report.cases.length - passed;
  lines.push('', `${passed} passed, ${failed} failed`);
  lines.push(report.ok ? 'module test passed' : 'module test FAILED');
  return lines.join('\n');
}
