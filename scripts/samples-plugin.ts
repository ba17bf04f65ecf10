/**
 * Vite plugin that serves the bundled sample data under `/samples/` — straight from
 * node_modules/vega-datasets/data/ in dev, and as emitted assets in a build — so the copies
 * never enter git. It also serves `/samples/index.json`, the catalogue the editor's example
 * gallery and source steps read. Pipelines refer to these files as `sample:<file>`.
 */
import { createReadStream, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Plugin } from 'vite';

/** One entry of `/samples/index.json`. */
export interface SampleEntry {
  /** Human name shown in the gallery. */
  name: string;
  /** File name under `/samples/` (and under vega-datasets/data/). */
  file: string;
  /** Data format, from the extension. */
  format: 'csv' | 'tsv' | 'arrow' | 'parquet';
  sizeBytes: number;
  description: string;
}

/** The samples Quiver ships; each is precached by the service worker (see vite.config.ts). */
export const SAMPLES: ReadonlyArray<Omit<SampleEntry, 'sizeBytes'>> = [
  {
    name: 'Seattle weather',
    file: 'seattle-weather.csv',
    format: 'csv',
    description:
      'Daily weather in Seattle, metric units: date, precipitation, temp_max, temp_min, wind, weather.',
  },
  {
    name: 'Flights (200k, Arrow)',
    file: 'flights-200k.arrow',
    format: 'arrow',
    description: 'US flight delays, 200,000 rows (delay, distance, time), as an Arrow IPC file.',
  },
  {
    name: 'Flights (3M, Parquet)',
    file: 'flights-3m.parquet',
    format: 'parquet',
    description:
      'US flight delays, 3 million rows (date, delay, distance, origin, destination), Parquet.',
  },
  {
    name: 'US airports',
    file: 'airports.csv',
    format: 'csv',
    description: 'US airports: iata, name, city, state, country, latitude, longitude.',
  },
  {
    name: 'Stock prices',
    file: 'stocks.csv',
    format: 'csv',
    description: 'Monthly stock prices of five companies, 2000–2010 (symbol, date, price).',
  },
  {
    name: 'Unemployment by county',
    file: 'unemployment.tsv',
    format: 'tsv',
    description: 'US county unemployment rates around 2009 (id, rate); tab-separated.',
  },
  {
    name: 'Iowa electricity',
    file: 'iowa-electricity.csv',
    format: 'csv',
    description: 'Annual net electricity generation in Iowa by source, thousand MWh.',
  },
  {
    name: 'Flights by airport',
    file: 'flights-airport.csv',
    format: 'csv',
    description: 'Flights between US airports in 2008 (origin, destination, count).',
  },
];

/** Absolute path of vega-datasets' data folder. */
export function samplesSourceDir(): string {
  const require = createRequire(import.meta.url);
  // The package exports only its JS entry (build/index.js); data/ sits beside build/.
  return path.join(path.dirname(require.resolve('vega-datasets')), '..', 'data');
}

/** Builds the `/samples/index.json` catalogue, with sizes read from disk. */
export function sampleIndex(sourceDir = samplesSourceDir()): SampleEntry[] {
  return SAMPLES.map((s) => ({ ...s, sizeBytes: statSync(path.join(sourceDir, s.file)).size }));
}

const CONTENT_TYPES: Record<SampleEntry['format'], string> = {
  csv: 'text/csv; charset=utf-8',
  tsv: 'text/tab-separated-values; charset=utf-8',
  arrow: 'application/vnd.apache.arrow.stream',
  parquet: 'application/vnd.apache.parquet',
};

/** The plugin: dev middleware for `/samples/*` and build-time emission into `<outDir>/samples/`. */
export function quiverSamples(): Plugin {
  const sourceDir = samplesSourceDir();
  return {
    name: 'quiver-samples',
    configureServer(server) {
      server.middlewares.use('/samples/', (req, res) => {
        const name = decodeURIComponent((req.url ?? '').split('?')[0] ?? '').replace(/^\//, '');
        if (name === 'index.json') {
          res.setHeader('Content-Type', 'application/json');
          res.end(JSON.stringify(sampleIndex(sourceDir), null, 2));
          return;
        }
        const sample = SAMPLES.find((s) => s.file === name);
        if (!sample) {
          // A 404, not the SPA fallback's index.html, so a wrong name fails loudly.
          res.statusCode = 404;
          res.setHeader('Content-Type', 'text/plain; charset=utf-8');
          res.end(`No bundled sample "${name}" (see /samples/index.json)`);
          return;
        }
        const file = path.join(sourceDir, sample.file);
        res.setHeader('Content-Type', CONTENT_TYPES[sample.format]);
        res.setHeader('Content-Length', String(statSync(file).size));
        createReadStream(file).pipe(res);
      });
    },
    generateBundle() {
      for (const s of SAMPLES) {
        this.emitFile({
          type: 'asset',
          fileName: `samples/${s.file}`,
          source: readFileSync(path.join(sourceDir, s.file)),
        });
      }
      this.emitFile({
        type: 'asset',
        fileName: 'samples/index.json',
        source: JSON.stringify(sampleIndex(sourceDir), null, 2) + '\n',
      });
    },
  };
}
