/**
 * The SQL step's query field: a monospace `<textarea>`. As the user types (debounced), the
 * query is checked by DuckDB-Wasm in a worker of its own (`sql-check.worker.ts`): an error shows
 * with its line and column; with the inputs' columns known, the output columns DuckDB describes
 * are listed. The engine is fetched on the first check; until it is ready the field says so,
 * with its size.
 */
import { useContext, useEffect, useMemo, useState } from 'react';
import type { WidgetProps } from '@rjsf/utils';
import { SQL_ENGINE_URL } from '../runtime/sql/engine-browser';
import type { SqlColumn } from '../runtime/sql/check';
import { checkSqlQuery, sqlChecker, type SqlProblem } from './sqlChecker';
import { columnDefinitions } from '../runtime/sql/column-definitions';
import { UpstreamPortsContext } from './widgets';

/** Milliseconds after the last keystroke before the query is checked. */
const CHECK_DELAY_MS = 200;

type Problem = SqlProblem;
type CheckState =
  | { status: 'loading' }
  | { status: 'ok'; columns?: SqlColumn[] }
  | { status: 'error'; problem: Problem };

/** The engine's download size in MB (one decimal), from a HEAD request; undefined if unknown. */
async function engineMegabytes(): Promise<string | undefined> {
  const response = await fetch(SQL_ENGINE_URL, { method: 'HEAD' }).catch(() => undefined);
  const bytes = Number(response?.headers.get('content-length') ?? NaN);
  return Number.isFinite(bytes) && bytes > 0 ? (bytes / 1e6).toFixed(1) : undefined;
}

function where(p: Problem): string {
  return p.line === undefined ? '' : `Line ${p.line}, column ${p.column ?? 1}: `;
}

/** Query editor with syntax errors (line and column) as you type. */
export function SqlQueryWidget(props: WidgetProps) {
  const { id, value, onChange, onBlur, onFocus, label, disabled, readonly } = props;
  const query = typeof value === 'string' ? value : '';
  const [state, setState] = useState<CheckState>({ status: 'loading' });
  const [size, setSize] = useState<string | undefined>();
  const ports = useContext(UpstreamPortsContext);
  const tables = useMemo(() => {
    const entries = Object.entries(ports).map(([port, schema]) => [
      port,
      columnDefinitions(schema),
    ]);
    return entries.length > 0 ? Object.fromEntries(entries) : undefined;
  }, [ports]);
  useEffect(() => {
    let current = true;
    void engineMegabytes().then((mb) => current && setSize(mb));
    void sqlChecker().ready.then(() => current && setSize(undefined));
    return () => {
      current = false;
    };
  }, []);
  useEffect(() => {
    let current = true;
    const timer = setTimeout(() => {
      void checkSqlQuery(query, tables).then(({ problem, columns }) => {
        if (current) setState(problem ? { status: 'error', problem } : { status: 'ok', columns });
      });
    }, CHECK_DELAY_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [query, tables]);
  const lines = Math.max(1, query.split('\n').length);
  const statusId = `${id}-status`;
  return (
    <div className="js-code-widget">
      <textarea
        id={id}
        value={query}
        rows={Math.min(20, Math.max(6, lines + 1))}
        wrap="off"
        spellCheck={false}
        disabled={disabled || readonly}
        aria-label={label || 'Query'}
        aria-invalid={state.status === 'error'}
        aria-describedby={statusId}
        onChange={(e) => onChange(e.target.value === '' ? undefined : e.target.value)}
        onBlur={(e) => onBlur(id, e.target.value)}
        onFocus={(e) => onFocus(id, e.target.value)}
      />
      <div id={statusId} className="js-status" role="status" aria-live="polite">
        {state.status === 'loading' ? (
          <span className="js-checking">{`loading SQL engine${size ? ` (${size} MB)` : ''}…`}</span>
        ) : state.status === 'error' ? (
          <p className="js-error">{`${where(state.problem)}${state.problem.message}`}</p>
        ) : state.columns ? (
          <span className="expr-ok">
            ✓ gives: {state.columns.map((c) => `${c.name}: ${c.type}`).join(', ') || 'no columns'}
          </span>
        ) : (
          <span className="expr-ok">✓ valid syntax</span>
        )}
      </div>
    </div>
  );
}
