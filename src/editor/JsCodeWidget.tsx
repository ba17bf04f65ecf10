/**
 * The JavaScript step's code field: a monospace `<textarea>` with line numbers. As the user
 * types (debounced), QuickJS compiles the code in the page and the field shows a syntax error
 * with its line and column; once it compiles, the function is run on a one-row sample of the
 * input's columns and the output columns it gives are listed (`runtime/javascript/check.ts`).
 * QuickJS is imported on first use, so the editor's first load does not carry it.
 */
import { createContext, useContext, useEffect, useRef, useState } from 'react';
import type { WidgetProps } from '@rjsf/utils';
import { formatColumnType, type TableSchema } from '../pipeline/table-schema';
import type { CodeProblem } from '../runtime/javascript/check';
import { UpstreamColumnsContext } from './widgets';

/** The selected JavaScript step's form (`rows` or `batch`), which the check runs the code in. */
export const JsModeContext = createContext<'rows' | 'batch'>('rows');

/** Milliseconds after the last keystroke before the code is checked. */
const CHECK_DELAY_MS = 150;

type CheckState =
  | { status: 'checking' }
  | { status: 'error'; problem: CodeProblem }
  | { status: 'ok'; output: TableSchema | null; sampleProblem?: CodeProblem };

/** Checks `code` (syntax, then the output on a sample when the input is known). */
async function check(
  code: string,
  mode: 'rows' | 'batch',
  input: TableSchema | null,
): Promise<CheckState> {
  const { checkSyntax, inferOutput } = await import('../runtime/javascript/check');
  const problem = await checkSyntax(code);
  if (problem !== null) return { status: 'error', problem };
  if (input === null) return { status: 'ok', output: null };
  const inferred = await inferOutput(code, mode, input);
  if ('schema' in inferred) return { status: 'ok', output: inferred.schema };
  return { status: 'ok', output: null, sampleProblem: inferred.problem };
}

function where(p: CodeProblem): string {
  return p.line === undefined ? '' : `Line ${p.line}, column ${p.column ?? 1}: `;
}

function Status({ state, hasInput }: { state: CheckState; hasInput: boolean }) {
  if (state.status === 'checking') return <span className="js-checking">Checking…</span>;
  if (state.status === 'error')
    return <p className="js-error">{`${where(state.problem)}${state.problem.message}`}</p>;
  if (state.sampleProblem)
    return (
      <p className="field-warning">{`Valid syntax; on a sample row: ${where(state.sampleProblem)}${state.sampleProblem.message}`}</p>
    );
  if (state.output === null)
    return (
      <span className="expr-ok">
        ✓ valid syntax{hasInput ? '' : '; output columns unknown until the input’s are known'}
      </span>
    );
  return (
    <span className="expr-ok">
      ✓ gives (inferred on a sample row):{' '}
      {state.output.fields.map((f) => `${f.name}: ${formatColumnType(f.type)}`).join(', ') ||
        'no columns'}
    </span>
  );
}

/** Code editor with line numbers, syntax errors and the inferred output columns. */
export function JsCodeWidget(props: WidgetProps) {
  const { id, value, onChange, onBlur, onFocus, label, disabled, readonly } = props;
  const input = useContext(UpstreamColumnsContext);
  const mode = useContext(JsModeContext);
  const code = typeof value === 'string' ? value : '';
  const [state, setState] = useState<CheckState>({ status: 'checking' });
  const gutter = useRef<HTMLPreElement>(null);
  useEffect(() => {
    let current = true;
    const timer = setTimeout(() => {
      check(code, mode, input).then(
        (next) => current && setState(next),
        (error: Error) =>
          current && setState({ status: 'error', problem: { message: error.message } }),
      );
    }, CHECK_DELAY_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [code, mode, input]);
  const lines = Math.max(1, code.split('\n').length);
  const statusId = `${id}-status`;
  return (
    <div className="js-code-widget">
      <div className="js-code-editor">
        <pre className="js-gutter" ref={gutter} aria-hidden>
          {Array.from({ length: lines }, (_, i) => i + 1).join('\n')}
        </pre>
        <textarea
          id={id}
          value={code}
          rows={Math.min(20, Math.max(6, lines + 1))}
          wrap="off"
          spellCheck={false}
          disabled={disabled || readonly}
          aria-label={label || 'Code'}
          aria-invalid={state.status === 'error'}
          aria-describedby={statusId}
          onScroll={(e) => {
            if (gutter.current) gutter.current.scrollTop = e.currentTarget.scrollTop;
          }}
          onChange={(e) => onChange(e.target.value === '' ? undefined : e.target.value)}
          onBlur={(e) => onBlur(id, e.target.value)}
          onFocus={(e) => onFocus(id, e.target.value)}
        />
      </div>
      <div id={statusId} className="js-status" role="status" aria-live="polite">
        <Status state={state} hasInput={input !== null} />
      </div>
    </div>
  );
}
