import { describe, expect, it } from 'vitest';
import type { TableSchema } from '../../pipeline/table-schema';
import { checkSyntax, inferOutput } from './check';

const WEATHER: TableSchema = {
  fields: [
    { name: 'date', type: { type: 'date32' }, nullable: true },
    { name: 'temp_max', type: { type: 'float64' }, nullable: true },
    { name: 'n', type: { type: 'int32' }, nullable: true },
    { name: 'weather', type: { type: 'utf8' }, nullable: true },
  ],
};

describe('checks of a JavaScript step in the page', () => {
  it('finds a syntax error with its line and column, without running the code', async () => {
    expect(await checkSyntax('for (;;) {}\nrow => row')).toBeNull();
    expect(await checkSyntax('row => {\n  return row.a +;\n}')).toEqual({
      line: 2,
      column: 17,
      message: "SyntaxError: unexpected token in expression: ';'",
    });
  });

  it('infers the output columns on a sample row, types kept or taken from the values', async () => {
    const out = await inferOutput(
      'row => ({ ...row, range: row.temp_max * 2, hot: row.temp_max > 0, tag: row.weather + "!" })',
      'rows',
      WEATHER,
    );
    expect(out).toEqual({
      schema: {
        fields: [
          { name: 'date', type: { type: 'date32' }, nullable: true },
          { name: 'temp_max', type: { type: 'float64' }, nullable: true },
          { name: 'n', type: { type: 'int32' }, nullable: true },
          { name: 'weather', type: { type: 'utf8' }, nullable: true },
          { name: 'range', type: { type: 'float64' }, nullable: true },
          { name: 'hot', type: { type: 'bool' }, nullable: true },
          { name: 'tag', type: { type: 'utf8' }, nullable: true },
        ],
      },
    });
  });

  it('reports an endless loop on the sample as the check’s time limit', async () => {
    expect(await inferOutput('row => { for (;;) {} }', 'rows', WEATHER)).toEqual({
      problem: { message: 'JavaScript step exceeded its time limit of 500 ms' },
    });
  });
});
