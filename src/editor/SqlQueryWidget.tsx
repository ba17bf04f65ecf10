/**
 * The SQL step's query field: a monospace `<textarea>`. As the user types (debounced), the
 * query is parsed by DuckDB-Wasm in a worker of its own (`sql-check.worker.ts`) and a syntax
 * error shows with its line and column. The engine is fetched on the first check; until it is
 * ready the field says so, with its size.
 */
import { useEffect, useState } from 'react';
import type { WidgetProps } from '@rjsf/utils';
import { SQL_ENGINE_URL } from '../runtime/sql/engine-browser';
import type { SqlCheckReply, SqlCheckRequest } from './sql-check.worker';

/** Milliseconds after the last keystroke before the query is checked. */
const CHECK_DELAY_MS = 200;

type Problem = { message: string; line?: number; column?: number };
type CheckState = { status: 'loading' } | { status: 'ok' } | { status: 'error'; problem: Problem };

let worker: Worker | undefined;
let ready: Promise<void> | undefined;
let nextId = 0;
const waiting = new Map<number, (problem: Problem | undefined) => void>();

/** The check worker, started on first use; `ready` resolves once DuckDB has loaded in it. */
function checker(): { worker: Worker; ready: Promise<void> } {
  if (worker === undefined || ready === undefined) {
    const w = new Worker(new URL('./sql-check.worker.ts', import.meta.url), { type: 'module' });
    ready = new Promise((resolve) => {
      w.onmessage = (event: MessageEvent<SqlCheckReply>) => {
        const reply = event.data;
        if (reply.type === 'ready') return resolve();
        waiting.get(reply.id)?.(reply.error);
        waiting.delete(reply.id);
      };
    });
    worker = w;
  }
  return { worker, ready };
}

/** Parses `query` in the check worker; resolves with its syntax error, if any. */
function checkQuery(query: string): Promise<Problem | undefined> {
  const id = nextId++;
  const request: SqlCheckRequest = { id, query };
  return new Promise((resolve) => {
    waiting.set(id, resolve);
    checker().worker.postMessage(request);
  });
}

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
  useEffect(() => {
    let current = true;
    void engineMegabytes().then((mb) => current && setSize(mb));
    void checker().ready.then(() => current && setSize(undefined));
    return () => {
      current = false;
    };
  }, []);
  useEffect(() => {
    let current = true;
    const timer = setTimeout(() => {
      void checkQuery(query).then((problem) => {
        if (current) setState(problem ? { status: 'error', problem } : { status: 'ok' });
      });
    }, CHECK_DELAY_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [query]);
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
        ) : (
          <span className="expr-ok">✓ valid syntax</span>
        )}
      </div>
    </div>
  );
}
