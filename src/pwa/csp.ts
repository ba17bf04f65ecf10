/**
 * The app's own guard: its Content-Security-Policy, set by vite.config.ts as a `<meta>` in the
 * built index.html (static hosts send no headers we control) and as a header by `vite preview`
 * (which also covers the step workers' scripts: a worker loaded from a URL gets the policy of
 * its own response, not the page's). Violations are reported on the console.
 *
 * Why each source (docs/security.md has the threat model):
 * - `script-src 'self'`: no remote or inline scripts.
 * - `'wasm-unsafe-eval'`: compiling WebAssembly (every step, parquet-wasm).
 * - no `'unsafe-eval'`: JSON Schemas are interpreted (`src/modules/json-schema.ts`, also the
 *   inspector's form validator), not compiled with `new Function` as ajv would; Vega charts
 *   evaluate expressions with vega-interpreter (`ast: true`), not generated code.
 * - `connect-src 'self' https:`: the app's own files (modules, samples) and installing a
 *   module from an https URL; steps themselves have no network at all (no WASI sockets).
 * - `style-src 'self' 'unsafe-inline'`: React Flow and the editor set `style` attributes.
 * - `img-src data: blob:`: icons inlined by CSS and previews of exported images.
 */

/** The policy's directives, in order. */
export const CSP_DIRECTIVES: Readonly<Record<string, string>> = {
  'default-src': "'self'",
  'script-src': "'self' 'wasm-unsafe-eval'",
  'worker-src': "'self'",
  'connect-src': "'self' https:",
  'style-src': "'self' 'unsafe-inline'",
  'img-src': "'self' data: blob:",
  'font-src': "'self'",
  'manifest-src': "'self'",
  'object-src': "'none'",
  'base-uri': "'self'",
  'form-action': "'self'",
};

/** The policy as one header or `<meta content>` value. */
export const CONTENT_SECURITY_POLICY = Object.entries(CSP_DIRECTIVES)
  .map(([name, value]) => `${name} ${value}`)
  .join('; ');

/**
 * Logs every violation of the policy on the console (`Content-Security-Policy blocked …`), so
 * that a blocked script or connection is visible in the console and in the e2e test.
 */
export function reportCspViolations(target: EventTarget = document): void {
  target.addEventListener('securitypolicyviolation', (event) => {
    const e = event as SecurityPolicyViolationEvent;
    // Chromium reports inline code as "inline" (and eval as "eval").
    const what = e.blockedURI === '' || e.blockedURI === 'inline' ? 'inline code' : e.blockedURI;
    console.error(`Content-Security-Policy blocked ${what} (${e.effectiveDirective})`);
  });
}
