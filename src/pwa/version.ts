/**
 * This build's version, `<package version>+<build id>` (vite.config.ts defines it; the same
 * string is in `<meta name="quiver-version">`). "dev" under Vitest, which has no define.
 */
declare const __QUIVER_VERSION__: string | undefined;

export const QUIVER_VERSION: string =
  typeof __QUIVER_VERSION__ === 'string' ? __QUIVER_VERSION__ : 'dev';
