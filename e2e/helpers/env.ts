/**
 * Where the e2e tests find the build and which ports they use. Defaults suit CI; on a shared
 * machine set QUIVER_OUT_DIR (e.g. /tmp/me/dist; vite.config.ts builds there too) and
 * QUIVER_E2E_PORT so parallel runs neither overwrite each other's build nor fight over ports
 * (a run uses QUIVER_E2E_PORT to QUIVER_E2E_PORT + 4: pick ports at least 10 apart).
 */
import path from 'node:path';

/** The production build the tests serve (absolute). */
export const E2E_DIST = path.resolve(process.env.QUIVER_OUT_DIR ?? 'dist');
/** Port of the shared preview server (playwright.config.ts webServer). */
export const E2E_PORT = Number(process.env.QUIVER_E2E_PORT ?? 4317);
/** Port of the offline test's own server, which it stops mid-test. */
export const OFFLINE_PORT = E2E_PORT + 1;
/** Port of the update test's server, which swaps builds on one origin. */
export const UPDATE_PORT = E2E_PORT + 2;
/** Port of the phone test's own server, which it stops to go offline. */
export const PHONE_PORT = E2E_PORT + 3;
/** Port of the offline examples test's own server. */
export const EXAMPLES_PORT = E2E_PORT + 4;
