/**
 * Custom @rjsf widgets: a column picker filled from the upstream schema, and an expression
 * field that checks the expression as you type and shows each error with its position.
 */
import { createContext, useContext, useId, useMemo } from 'react';
import type { WidgetProps } from '@rjsf/utils';
import { formatColumnType, type TableSchema } from '../pipeline/table-schema';
import { checkExpressionText, type ExpressionProblem } from './expressionCheck';

/** Schema of the selected step's input, or null when unknown (nothing ran, no inference). */
export const UpstreamColumnsContext = createContext<TableSchema | null>(null);

/** Schemas of the selected step's input ports by name (a join's `left` and `right`). */
export const UpstreamPortsContext = createContext<Readonly<Record<string, TableSchema>>>({});

/**
 * Text input with the upstream column names as suggestions (a combobox via `<datalist>`): those
 * of input port `options.port` when the step has one of that name, else of its first input.
 */
export function ColumnWidget(props: WidgetProps) {
  const { id, value, onChange, onBlur, onFocus, label, required, disabled, readonly } = props;
  const first = useContext(UpstreamColumnsContext);
  const ports = useContext(UpstreamPortsContext);
  const port = props.options.port;
  const schema = (typeof port === 'string' ? ports[port] : undefined) ?? first;
  const listId = useId();
  // A new column's name (derive) need not exist in the input. An unknown one is only marked
  // here: the pipeline's issue about it (with a suggestion) is shown at the field by the form.
  const known =
    props.options.newColumn === true || (schema?.fields.some((c) => c.name === value) ?? true);
  return (
    <div className="column-widget">
      <input
        id={id}
        type="text"
        list={listId}
        value={typeof value === 'string' ? value : ''}
        required={required}
        disabled={disabled || readonly}
        aria-label={label || 'Column'}
        aria-invalid={!known}
        onChange={(e) => onChange(e.target.value === '' ? undefined : e.target.value)}
        onBlur={(e) => onBlur(id, e.target.value)}
        onFocus={(e) => onFocus(id, e.target.value)}
      />
      <datalist id={listId}>
        {(schema?.fields ?? []).map((c) => (
          <option key={c.name} value={c.name}>
            {formatColumnType(c.type)}
          </option>
        ))}
      </datalist>
    </div>
  );
}

function ErrorMarks({ source, problems }: { source: string; problems: ExpressionProblem[] }) {
  // Underline the first error's span in a copy of the source under the field.
  const first = problems[0];
  if (!first) return null;
  const end = Math.min(source.length, first.offset + Math.max(first.length, 1));
  return (
    <pre className="expr-marks" aria-hidden>
      {source.slice(0, first.offset)}
      <mark>{source.slice(first.offset, end) || ' '}</mark>
      {source.slice(end)}
    </pre>
  );
}

/** Expression editor: parse and type errors with line:column, updated on every keystroke. */
export function ExpressionWidget(props: WidgetProps) {
  const { id, value, onChange, onBlur, onFocus, label, required, disabled, readonly } = props;
  const schema = useContext(UpstreamColumnsContext);
  const source = typeof value === 'string' ? value : '';
  const check = useMemo(() => checkExpressionText(source, schema), [source, schema]);
  const errorId = `${id}-errors`;
  return (
    <div className="expression-widget">
      <textarea
        id={id}
        value={source}
        rows={2}
        spellCheck={false}
        required={required}
        disabled={disabled || readonly}
        aria-label={label || 'Expression'}
        aria-invalid={check.problems.length > 0}
        aria-describedby={errorId}
        onChange={(e) => onChange(e.target.value === '' ? undefined : e.target.value)}
        onBlur={(e) => onBlur(id, e.target.value)}
        onFocus={(e) => onFocus(id, e.target.value)}
      />
      <ErrorMarks source={source} problems={check.problems} />
      <div id={errorId} className="expr-status" role="status" aria-live="polite">
        {check.problems.length > 0 ? (
          <ul className="expr-errors">
            {check.problems.map((p, i) => (
              <li key={i}>{p.message}</li>
            ))}
          </ul>
        ) : source ? (
          <span className="expr-ok">
            ✓ {check.resultType ? `valid, gives ${check.resultType}` : 'valid syntax'}
          </span>
        ) : null}
      </div>
    </div>
  );
}
