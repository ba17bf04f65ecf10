/**
 * The install card: everything about a module before any of it runs — what its manifest says
 * (name, version, author, description, ports, parameters, permissions asked for), what its
 * binary is (size, sha256, the imports it really has) and where the two disagree. An import no
 * permission could cover refuses the install, naming it. For an update, what changes in the
 * permissions is shown first.
 */
import { formatBytes } from '../pwa/storage';
import type { ModuleManifest } from '../modules/manifest';
import { packageRefusal, type ModulePackage } from '../modules/package';
import { permissionChanges, permissionWords, type Candidate } from './install';
import './modules.css';

export interface InstallCardProps {
  candidate: Candidate;
  /** The installed module of the same id, when this is an update. */
  previous: ModuleManifest | undefined;
  busy: boolean;
  onInstall: () => void;
  onCancel: () => void;
}

export function InstallCard({ candidate, previous, busy, onInstall, onCancel }: InstallCardProps) {
  if (!candidate.ok) {
    return (
      <div className="install-card">
        <p className="error-text" role="alert">
          {candidate.source} cannot be installed.
        </p>
        {candidate.fields.length > 0 ? (
          <ul className="field-errors" aria-label="Manifest errors">
            {candidate.fields.map((f, i) => (
              <li key={i}>
                <code>{f.field}</code>: {f.message}
              </li>
            ))}
          </ul>
        ) : (
          <p className="error-text">{candidate.message}</p>
        )}
        <div className="dialog-actions">
          <button type="button" onClick={onCancel}>
            Close
          </button>
        </div>
      </div>
    );
  }
  const { pkg } = candidate.module;
  const m = pkg.manifest;
  const refusal = packageRefusal(pkg);
  const changes = previous ? permissionChanges(previous.permissions, m.permissions) : [];
  return (
    <div className="install-card">
      <header className="install-head">
        <h3>
          {m.name} <span className="muted">{m.version}</span>
        </h3>
        <p className="muted">
          <code>{m.id}</code>
          {m.author ? ` · by ${m.author}` : ' · author not given'}
        </p>
        {m.description && <p>{m.description}</p>}
      </header>
      {previous && (
        <section className="install-update" aria-label="Update">
          <p>
            Updates the installed {previous.version} to {m.version}.{' '}
            {changes.length === 0 ? 'Permissions asked for are unchanged.' : 'Permissions change:'}
          </p>
          {changes.length > 0 && (
            <ul className="permission-changes">
              {changes.map((c) => (
                <li key={c} className={c.startsWith('-') ? '' : 'warn-text'}>
                  {c}
                </li>
              ))}
            </ul>
          )}
        </section>
      )}
      <dl className="install-facts">
        <dt>Size</dt>
        <dd>{formatBytes(pkg.sizeBytes)}</dd>
        <dt>SHA-256</dt>
        <dd>
          <code className="sha">{pkg.sha256}</code>
        </dd>
        <dt>Manifest</dt>
        <dd>{pkg.manifestSource === 'embedded' ? 'embedded in the .wasm' : 'separate .json'}</dd>
        <dt>ABI</dt>
        <dd>
          {m.abi} {m.streamable ? '· streamable' : ''}
        </dd>
        <dt>Inputs</dt>
        <dd>{ports(m.inputs)}</dd>
        <dt>Outputs</dt>
        <dd>{ports(m.outputs)}</dd>
        <dt>Parameters</dt>
        <dd>{parameters(m.params)}</dd>
        <dt>Asks for</dt>
        <dd>
          {permissionWords(m.permissions).join(', ') || 'nothing beyond its inputs and outputs'}
        </dd>
      </dl>
      <ImportList pkg={pkg} />
      {pkg.mismatches.length > 0 && (
        <ul className="mismatches" aria-label="Mismatches">
          {pkg.mismatches.map((x) => (
            <li
              key={`${x.kind}:${x.subject}`}
              className={x.severity === 'error' ? 'error-text' : 'warn-text'}
            >
              {x.message}
            </li>
          ))}
        </ul>
      )}
      {refusal && (
        <p className="error-text" role="alert">
          {refusal}
        </p>
      )}
      <p className="muted">Permissions are granted per step, in the step&apos;s inspector.</p>
      <div className="dialog-actions">
        <button
          type="button"
          className="primary"
          onClick={onInstall}
          disabled={busy || refusal !== null}
        >
          {previous ? 'Update' : 'Install'}
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </div>
  );
}

function ImportList({ pkg }: { pkg: ModulePackage }) {
  const refused = new Set(pkg.mismatches.filter((x) => x.kind === 'import').map((x) => x.subject));
  return (
    <details className="imports" open={refused.size > 0}>
      <summary>
        Imports of the binary ({pkg.imports.length})
        {refused.size > 0 ? `, ${refused.size} refused` : ''}
      </summary>
      <ul aria-label="Imports">
        {pkg.imports.map((i) => {
          const name = `"${i.module}"."${i.name}"`;
          return (
            <li key={`${i.module}.${i.name}`} className={refused.has(name) ? 'error-text' : ''}>
              <code>
                {i.module}.{i.name}
              </code>{' '}
              <span className="muted">{i.kind}</span>
            </li>
          );
        })}
      </ul>
    </details>
  );
}

function ports(list: ModuleManifest['inputs']): string {
  return list.length === 0 ? 'none' : list.map((p) => `${p.name} (${p.type})`).join(', ');
}

function parameters(schema: Record<string, unknown>): string {
  const props = schema.properties;
  if (typeof props !== 'object' || props === null) return 'none';
  const names = Object.entries(props as Record<string, { type?: unknown }>).map(([k, v]) =>
    typeof v.type === 'string' ? `${k} (${v.type})` : k,
  );
  return names.length === 0 ? 'none' : names.join(', ');
}
