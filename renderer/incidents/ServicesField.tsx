import { Fragment, useId } from 'react';
import { parseServices } from './incident-edit.js';

/**
 * The services an incident touches, typed as one comma-separated line (quick to type, and one
 * field for a keyboard user to get through), shown back as the chips they will be saved as.
 */
export function ServicesField({ value, onChange }: { value: string; onChange: (text: string) => void }) {
  const hint = useId();
  const services = parseServices(value);
  return (
    <div className="field">
      <label>
        Services
        <input value={value} onChange={(e) => onChange(e.target.value)} aria-describedby={hint} autoComplete="off" spellCheck={false} placeholder="checkout, payments" />
      </label>
      <p id={hint} className="field-hint">
        {services.length ? (
          <>
            Comma-separated; saved as{' '}
            {services.map((s) => (
              <Fragment key={s}>
                <span className="service-chip">{s}</span>{' '}
              </Fragment>
            ))}
          </>
        ) : (
          'Comma-separated, e.g. checkout, payments'
        )}
      </p>
    </div>
  );
}
