/**
 * Field and title templates for the parameters form (@rjsf/core): the same layout as rjsf's
 * own, but the required mark `*` is drawn for the eye only (aria-hidden), so a field's
 * accessible name is its label ("Query", not "Query*"); the input itself carries `required`,
 * which assistive technology announces.
 */
import type { FieldTemplateProps, TemplatesType, TitleFieldProps } from '@rjsf/utils';
import { getTemplate, getUiOptions } from '@rjsf/utils';

/** The visible required mark, left out of accessible names. */
function RequiredMark() {
  return (
    <span className="required" aria-hidden="true">
      *
    </span>
  );
}

/** A field: its label (unless the widget draws its own), description, widget, errors, help. */
function FieldTemplate(props: FieldTemplateProps) {
  const { id, label, children, errors, help, description, hidden, required, displayLabel } = props;
  const uiOptions = getUiOptions(props.uiSchema);
  if (hidden) return <div className="hidden">{children}</div>;
  const Wrap = getTemplate('WrapIfAdditionalTemplate', props.registry, uiOptions);
  // A checkbox puts its label beside the box itself.
  const ownLabel = displayLabel && uiOptions.widget !== 'checkbox' && label;
  return (
    <Wrap {...props}>
      {ownLabel && (
        <label className="control-label" htmlFor={id}>
          {label}
          {required && <RequiredMark />}
        </label>
      )}
      {displayLabel && description ? description : null}
      {children}
      {errors}
      {help}
    </Wrap>
  );
}

/** The legend of an object or a list (a fieldset's accessible name). */
function TitleFieldTemplate({ id, title, required, optionalDataControl }: TitleFieldProps) {
  return (
    <legend id={id}>
      {title}
      {required && <RequiredMark />}
      {optionalDataControl && <span className="pull-right">{optionalDataControl}</span>}
    </legend>
  );
}

/** The templates to give the form (`templates` prop). */
export const formTemplates: Partial<TemplatesType> = { FieldTemplate, TitleFieldTemplate };
