/**
 * The inspector form's validator (rjsf's `ValidatorType`) on top of `compileSchema`
 * (`src/modules/json-schema.ts`), which interprets schemas rather than compiling them with
 * `new Function` as `@rjsf/validator-ajv8` does: the app's CSP has no `'unsafe-eval'`.
 *
 * Errors keep the shape rjsf's ajv validator gives them (`name` = the JSON Schema keyword,
 * `params` = ajv's params, `property` = `.a.b` from the instance path, `message`, `stack`,
 * `schemaPath`, `title`), so error transforms written for it read these unchanged.
 */
import type { ErrorObject } from 'ajv/dist/2020';
import {
  createErrorHandler,
  getDefaultFormState,
  toErrorSchema,
  unwrapErrorHandler,
  validationDataMerge,
  type CustomValidator,
  type ErrorSchema,
  type ErrorTransformer,
  type RJSFSchema,
  type RJSFValidationError,
  type UiSchema,
  type ValidationData,
  type ValidatorType,
} from '@rjsf/utils';
import { compileSchema, type SchemaValidator } from '../modules/json-schema';

type Data = Record<string, unknown>;

/** Validators per schema object (rjsf passes the same objects again on every change). */
const cache = new WeakMap<object, WeakMap<object, SchemaValidator>>();

function validatorFor(schema: RJSFSchema, root: RJSFSchema): SchemaValidator {
  let byRoot = cache.get(schema);
  if (!byRoot) cache.set(schema, (byRoot = new WeakMap()));
  let validate = byRoot.get(root);
  if (!validate) byRoot.set(root, (validate = compileSchema(schema, root)));
  return validate;
}

/** The title a field shows, for messages that name a property (`'Column' is required`). */
function titleOf(parent: unknown, property: string): string | undefined {
  const props = (parent as { properties?: Record<string, { title?: unknown }> } | undefined)
    ?.properties;
  const title = props?.[property]?.title;
  return typeof title === 'string' ? title : undefined;
}

/** One validation error as rjsf's ajv validator reports it. */
export function toRjsfError(e: ErrorObject): RJSFValidationError {
  const { instancePath, keyword, params, schemaPath } = e;
  let message = e.message ?? '';
  let property = instancePath.replace(/\//g, '.');
  let title = '';
  const named = [params.missingProperty, params.property].filter(
    (p): p is string => typeof p === 'string',
  );
  let stack = `${property} ${message}`.trim();
  const parent = (e as ErrorObject & { parentSchema?: unknown }).parentSchema;
  if (named.length > 0) {
    for (const name of named) {
      const t = titleOf(parent, name);
      if (t) {
        message = message.replace(`'${name}'`, `'${t}'`);
        title = t;
      }
    }
    stack = message;
  } else {
    const t = (parent as { title?: unknown } | undefined)?.title;
    if (typeof t === 'string') {
      stack = `'${t}' ${message}`.trim();
      title = t;
    }
  }
  if (typeof params.missingProperty === 'string') {
    property = property ? `${property}.${params.missingProperty}` : params.missingProperty;
  }
  return { name: keyword, property, message, params, stack, schemaPath, title };
}

/** rjsf's `ValidatorType`, interpreting schemas (see the file comment). */
export const formValidator: ValidatorType<Data, RJSFSchema> = {
  rawValidation<Result>(schema: RJSFSchema, formData?: Data) {
    try {
      const validate = validatorFor(schema, schema);
      validate(formData);
      return { errors: (validate.errors ?? undefined) as Result[] | undefined };
    } catch (e) {
      return { validationError: e as Error };
    }
  },

  validateFormData(
    formData: Data | undefined,
    schema: RJSFSchema,
    customValidate?: CustomValidator<Data, RJSFSchema>,
    transformErrors?: ErrorTransformer<Data, RJSFSchema>,
    uiSchema?: UiSchema<Data, RJSFSchema>,
  ): ValidationData<Data> {
    const raw = formValidator.rawValidation<ErrorObject>(schema, formData);
    let errors = (raw.errors ?? []).map(toRjsfError);
    if (raw.validationError) errors.push({ stack: raw.validationError.message });
    if (transformErrors) errors = transformErrors(errors, uiSchema);
    let errorSchema = toErrorSchema<Data>(errors);
    if (raw.validationError) {
      errorSchema = {
        ...errorSchema,
        $schema: { __errors: [raw.validationError.message] },
      } as ErrorSchema<Data>;
    }
    if (!customValidate) return { errors, errorSchema };
    const filled = getDefaultFormState(formValidator, schema, formData, schema, true) as Data;
    const handler = customValidate(filled, createErrorHandler(filled), uiSchema, errorSchema);
    return validationDataMerge({ errors, errorSchema }, unwrapErrorHandler(handler));
  },

  isValid(schema: RJSFSchema, formData: Data | undefined, rootSchema: RJSFSchema): boolean {
    try {
      return validatorFor(schema, rootSchema)(formData);
    } catch {
      return false; // as rjsf's ajv validator: a schema it cannot use matches nothing
    }
  },
};
