/**
 * `sample` (modules/sample/sample.c): the input's columns; with `rows` (reservoir sampling) the
 * module writes every column plain, so dictionary columns come out decoded. Exactly one of
 * `rows` and `fraction` must be given.
 */
import { known } from '../table-schema';
import { singleInput, type RuleIssue, type SchemaRule } from './rule';

interface SampleParams {
  rows?: number;
  fraction?: number;
}

export const sampleRule: SchemaRule = singleInput((input, { params }) => {
  const p = params as SampleParams;
  const issues: RuleIssue[] = [];
  if ((p.rows === undefined) === (p.fraction === undefined)) {
    issues.push({
      field: p.rows === undefined ? '/rows' : '/fraction',
      message: 'give exactly one of rows and fraction',
      severity: 'error',
    });
  }
  if (p.rows === undefined) return { output: known(input), issues };
  const fields = input.fields.map((f) =>
    f.type.type === 'dictionary' ? { ...f, type: f.type.value } : f,
  );
  return { output: known({ fields }), issues };
});
