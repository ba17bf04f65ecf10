/**
 * The step inspector: label, parameters form (from the module's JSON Schema, via @rjsf/core),
 * permissions (grant or deny each one the module asks for), what a module granted storage
 * keeps, and limits.
 */
import { useMemo } from 'react';
import Form from '@rjsf/core';
import { formValidator as validator } from './form-validator';
import { getDefaultFormState } from '@rjsf/utils';
import type { RJSFSchema, UiSchema, RegistryWidgetsType } from '@rjsf/utils';
import { DEFAULT_MAX_OUTPUT_MIB, type ModuleManifest } from '../modules/manifest';
import type { GrantedPermissions, Step } from '../pipeline/types';
import type { ValidationIssue } from '../pipeline/validate';
import { updateParams, updateStep } from '../pipeline/edit';
import { canonicalJson } from '../pipeline/fingerprint';
import { stepDisplayName } from '../pipeline/step-name';
import { ConnectionsSection } from './ConnectionsSection';
import { StoredDataSection } from './StoredDataSection';
import { useEditorContext } from './context';
import { useEditor, type EditorState } from './store';
import type { TableSchema } from '../pipeline/table-schema';
import { PivotValuesButton } from './PivotValues';
import {
  ColumnWidget,
  ExpressionWidget,
  UpstreamColumnsContext,
  UpstreamPortsContext,
} from './widgets';
import { JsCodeWidget, JsStepContext } from './JsCodeWidget';
import { SqlQueryWidget } from './SqlQueryWidget';
import { listUi, paramErrorSchema, stepLevelIssues } from './formWords';
import { formTemplates } from './formTemplates';

const widgets: RegistryWidgetsType = {
  column: ColumnWidget,
  expression: ExpressionWidget,
  javascript: JsCodeWidget,
  sql: SqlQueryWidget,
};

/** Params the host fills in itself (compiled expressions); never shown in the form. */
const HOST_FILLED = new Set(['compiled']);
/** Fields whose widget shows its own problems (with positions), so the form does not repeat them. */
const SELF_REPORTING: ReadonlySet<string> = new Set(['/expression', '/code', '/query']);
const selectDoc = (s: EditorState) => s.doc;

type JsonSchema = {
  type?: string;
  title?: string;
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  [k: string]: unknown;
};

/** Is this string property a column name? (By name or title: the manifests' own words.) */
function isColumnField(key: string, schema: JsonSchema, parentKey: string | null): boolean {
  if (schema.type !== 'string') return false;
  // A column the step creates (window's window columns) is named freely, not picked.
  if (/\bnew column\b/i.test(String(schema.description ?? ''))) return false;
  if (key === 'column') return true;
  if (/input column/i.test(schema.title ?? '')) return true;
  return parentKey === 'groupBy' || parentKey === 'drop' || parentKey === 'columns';
}

/**
 * Column fields that name a column the step creates (it may also replace an existing one), so
 * a name not in the input is fine: module id → top-level param.
 */
const NEW_COLUMN_FIELDS: Readonly<Record<string, string>> = { derive: 'column' };

/** Build the uiSchema: column pickers, expression fields, no submit button. */
function uiSchemaFor(schema: JsonSchema, parentKey: string | null = null): UiSchema {
  const ui: UiSchema = {};
  for (const [key, prop] of Object.entries(schema.properties ?? {})) {
    if (key === 'expression' && prop.type === 'string') {
      ui[key] = { 'ui:widget': 'expression' };
    } else if (key === 'spec' && prop.type === 'string') {
      ui[key] = { 'ui:widget': 'textarea', 'ui:options': { rows: 12 } };
    } else if (key === 'code' && prop.type === 'string') {
      ui[key] = { 'ui:widget': 'javascript' };
    } else if (key === 'query' && prop.type === 'string') {
      ui[key] = { 'ui:widget': 'sql' };
    } else if (isColumnField(key, prop, parentKey)) {
      // A field named after an input port (a join key's `left`, `right`) picks its columns.
      ui[key] = { 'ui:widget': 'column', 'ui:options': { port: key } };
    } else if (prop.type === 'array' && prop.items) {
      const title = prop.title ?? key;
      if (prop.items.type === 'object') {
        ui[key] = listUi(title, prop.items, uiSchemaFor(prop.items, key));
      } else if (isColumnField(key, prop.items, key)) {
        ui[key] = listUi(title, prop.items, { 'ui:widget': 'column' });
      } else {
        ui[key] = listUi(title, prop.items);
      }
    } else if (prop.type === 'object') {
      ui[key] = uiSchemaFor(prop, key);
    }
  }
  return ui;
}

/** The params schema without host-filled fields. */
function editableSchema(params: Record<string, unknown>): JsonSchema {
  const s = params as JsonSchema;
  if (!s.properties) return s;
  const properties = Object.fromEntries(
    Object.entries(s.properties).filter(([k]) => !HOST_FILLED.has(k)),
  );
  return { ...s, properties };
}

function withoutHostFilled(params: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(params).filter(([k]) => !HOST_FILLED.has(k)));
}

function PermissionsSection({
  step,
  manifest,
  onChange,
}: {
  step: Step;
  manifest: ModuleManifest;
  onChange: (p: GrantedPermissions) => void;
}) {
  const asked = manifest.permissions;
  const rows: { key: keyof GrantedPermissions; label: string; options: string[] }[] = [];
  if (asked.storage) {
    rows.push({
      key: 'storage',
      label: `Storage (/data, asks ${asked.storage === 'readwrite' ? 'read-write' : 'read-only'})`,
      options: asked.storage === 'readwrite' ? ['none', 'read', 'readwrite'] : ['none', 'read'],
    });
  }
  if (asked.clock)
    rows.push({ key: 'clock', label: 'Clock', options: ['none', 'real', 'deterministic'] });
  if (asked.random) {
    rows.push({ key: 'random', label: 'Randomness', options: ['none', 'real', 'deterministic'] });
  }
  return (
    <fieldset className="inspector-section">
      <legend>Permissions</legend>
      {rows.length === 0 ? (
        <p className="muted">This module asks for no permissions: it sees only its inputs.</p>
      ) : (
        rows.map((r) => (
          <label key={r.key} className="field-row">
            <span>{r.label}</span>
            <select
              value={step.permissions[r.key]}
              aria-label={`Permission ${r.label}`}
              onChange={(e) => onChange({ ...step.permissions, [r.key]: e.target.value })}
            >
              {r.options.map((o) => (
                <option key={o} value={o}>
                  {o === 'none' ? 'denied' : `granted: ${o}`}
                </option>
              ))}
            </select>
          </label>
        ))
      )}
    </fieldset>
  );
}

/** A number input that reports only values inside `min`..`max` (whole ones if `integer`). */
function NumberField({
  label,
  value,
  min,
  max = Infinity,
  integer,
  onValue,
}: {
  label: string;
  value: number;
  min: number;
  max?: number;
  integer: boolean;
  onValue: (value: number) => void;
}) {
  return (
    <label className="field-row">
      <span>{label}</span>
      <input
        type="number"
        min={min}
        max={Number.isFinite(max) ? max : undefined}
        step={1}
        value={value}
        onChange={(e) => {
          const n = Number(e.target.value);
          const whole = !integer || Number.isInteger(n);
          if (Number.isFinite(n) && whole && n >= min && n <= max) onValue(n);
        }}
      />
    </label>
  );
}

function LimitsSection({
  step,
  onChange,
}: {
  step: Step;
  onChange: (limits: Step['limits']) => void;
}) {
  const limits = step.limits;
  return (
    <fieldset className="inspector-section">
      <legend>Limits</legend>
      <NumberField
        label="Time limit (s)"
        value={Math.round(limits.timeoutMs / 1000)}
        min={1}
        integer={false}
        onValue={(s) => onChange({ ...limits, timeoutMs: Math.round(s * 1000) })}
      />
      <NumberField
        label="Memory limit (MiB)"
        value={limits.maxMemoryMiB}
        min={1}
        max={4096}
        integer
        onValue={(mib) => onChange({ ...limits, maxMemoryMiB: mib })}
      />
      <NumberField
        label="Output limit (MiB)"
        value={limits.maxOutputMiB ?? DEFAULT_MAX_OUTPUT_MIB}
        min={1}
        max={65536}
        integer
        onValue={(mib) => onChange({ ...limits, maxOutputMiB: mib })}
      />
    </fieldset>
  );
}

export interface InspectorProps {
  step: Step;
  manifest: ModuleManifest | undefined;
  upstreamColumns: TableSchema | null;
  /** Known schemas of the step's input ports, by name. */
  upstreamPorts?: Readonly<Record<string, TableSchema>>;
  /** Validation issues of this step (src/pipeline/validate). */
  issues: readonly ValidationIssue[];
}

export function Inspector({
  step,
  manifest,
  upstreamColumns,
  upstreamPorts = {},
  issues,
}: InspectorProps) {
  const { store } = useEditorContext();
  const doc = useEditor(store, selectDoc);
  const schema = useMemo(() => (manifest ? editableSchema(manifest.params) : null), [manifest]);
  const uiSchema = useMemo<UiSchema>(
    () => ({
      ...(schema ? uiSchemaFor(schema) : {}),
      ...(manifest && NEW_COLUMN_FIELDS[manifest.id]
        ? {
            [NEW_COLUMN_FIELDS[manifest.id] as string]: {
              'ui:widget': 'column',
              'ui:options': { newColumn: true },
            },
          }
        : {}),
      'ui:submitButtonOptions': { norender: true },
    }),
    [schema, manifest],
  );
  const formData = useMemo(() => withoutHostFilled(step.params), [step.params]);
  const fieldErrors = useMemo(() => paramErrorSchema(issues, SELF_REPORTING), [issues]);
  const stepIssues = stepLevelIssues(issues);
  const jsMode = step.params.mode === 'batch' ? 'batch' : 'rows';
  const jsStep = useMemo(() => ({ stepId: step.id, mode: jsMode }) as const, [step.id, jsMode]);
  /** `formData` as the form shows it, with the schema's defaults filled in. */
  const withDefaults = useMemo(
    () => (schema ? getDefaultFormState(validator, schema as RJSFSchema, formData) : formData),
    [schema, formData],
  );
  const patch = (p: Parameters<typeof updateStep>[2], coalesceKey?: string) =>
    store.edit((d) => updateStep(d, step.id, p), coalesceKey);

  if (!manifest || !schema) {
    return (
      <div className="inspector" aria-label="Inspector">
        <h2>{step.id}</h2>
        <p className="error-text">Unknown module “{step.moduleId}”: it is not in the catalog.</p>
      </div>
    );
  }
  return (
    <div className="inspector" aria-label="Inspector">
      <h2>{stepDisplayName(step)}</h2>
      {/* The id stays what edges, the command line and logs name the step by. */}
      <p className="muted step-id-line">
        step id <code>{step.id}</code>
      </p>
      <p className="muted inspector-desc" title={manifest.description}>
        {manifest.name} · {manifest.description}
      </p>
      <label className="field-row">
        <span>Label</span>
        <input
          type="text"
          value={step.label ?? ''}
          placeholder={stepDisplayName({ ...step, label: undefined })}
          onChange={(e) => {
            const label = e.target.value;
            patch({ label }, `label:${step.id}`);
          }}
        />
      </label>
      <label
        className="field-row"
        title="A step with one input and one output passes its input through; any other is skipped with its downstream"
      >
        <span>Bypass</span>
        <input
          type="checkbox"
          checked={step.bypass === true}
          onChange={(e) => patch({ bypass: e.target.checked })}
        />
      </label>
      <ConnectionsSection doc={doc} step={step} manifest={manifest} />
      <section className="inspector-section" aria-label="Parameters">
        <h3>Parameters</h3>
        <UpstreamColumnsContext.Provider value={upstreamColumns}>
          <UpstreamPortsContext.Provider value={upstreamPorts}>
            <JsStepContext.Provider value={jsStep}>
              <Form
                key={step.id}
                schema={schema as RJSFSchema}
                uiSchema={uiSchema}
                formData={formData}
                validator={validator}
                widgets={widgets}
                templates={formTemplates}
                extraErrors={fieldErrors}
                showErrorList={false}
                noHtml5Validate
                onChange={(e) => {
                  const next = (e.formData ?? {}) as Record<string, unknown>;
                  // rjsf reports a change when it fills in defaults (e.g. on selecting a step); only
                  // real changes are edits, or merely looking at a step would add an undo step.
                  if (canonicalJson(next) === canonicalJson(formData)) return;
                  if (canonicalJson(next) === canonicalJson(withDefaults)) return;
                  store.edit((d) => updateParams(d, step.id, next), `params:${step.id}`);
                }}
              />
            </JsStepContext.Provider>
          </UpstreamPortsContext.Provider>
        </UpstreamColumnsContext.Provider>
        {manifest.id === 'pivot' && <PivotValuesButton doc={doc} step={step} />}
        {stepIssues.length > 0 && (
          <ul className="issue-list" aria-label="Step problems">
            {stepIssues.map((i, n) => (
              <li key={n} className={i.severity}>
                {i.detail || i.message}
              </li>
            ))}
          </ul>
        )}
      </section>
      <PermissionsSection
        step={step}
        manifest={manifest}
        onChange={(permissions) => patch({ permissions })}
      />
      {manifest.permissions.storage !== undefined && (
        <StoredDataSection moduleId={manifest.id} stepId={step.id} />
      )}
      <LimitsSection step={step} onChange={(limits) => patch({ limits }, `limits:${step.id}`)} />
    </div>
  );
}
