/** Plain-text tables for the terminal: columns padded to their widest cell, numbers right-aligned. */

/** A cell as text: floats to at most 6 decimals, null as an empty cell. */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number' && !Number.isInteger(value)) {
    return String(Number(value.toFixed(6)));
  }
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** Renders `rows` under `columns`, one line per row, with a rule under the header. */
export function formatTable(
  columns: readonly string[],
  rows: readonly (readonly unknown[])[],
): string {
  const texts = rows.map((row) => columns.map((_, i) => cellText(row[i])));
  const numeric = columns.map(
    (_, i) => rows.length > 0 && rows.every((row) => row[i] === null || typeof row[i] === 'number'),
  );
  const widths = columns.map((name, i) =>
    Math.max(name.length, ...texts.map((t) => t[i]?.length ?? 0)),
  );
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, i) => (numeric[i] ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(columns), widths.map((w) => '-'.repeat(w)).join('  '), ...texts.map(line)].join(
    '\n',
  );
}
