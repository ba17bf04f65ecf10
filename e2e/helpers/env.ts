/**
 * Where the e2e tests find the build and which ports they use. Defaults suit CI; on a shared
 * machine set QUIVER_OUT_DIR (e.g. /tmp/me/dist; vite.config.ts builds there too) and
 * QUIVER_E2E_PORT so parallel runs neither overwrite each other's build nor fight over ports
 * (a run uses QUIVER_E2E_PORT to QUIVER_E2E_PORT + 7: pick ports at least 10 apart). Each spec
 * that starts its own server has a port of its own: with two workers, two such specs may run at
 * once.
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
/** Port of the chart's offline test's own server. */
export const CHART_OFFLINE_PORT = E2E_PORT + 5;
/** Port of the install tests' own server, which they stop to go offline. */
export const INSTALL_PORT = E2E_PORT + 6;
/** Port of the SQL step's offline test's own server. */
export const SQL_OFFLINE_PORT = E2E_PORT + 7;
