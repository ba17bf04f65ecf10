/** `limit`: the same columns as its input. */
import { known } from '../table-schema';
import { singleInput, type SchemaRule } from './rule';

export const limitRule: SchemaRule = singleInput((input) => ({ output: known(input), issues: [] }));
