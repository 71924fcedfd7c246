import { cadenceSourceText } from '../../shared/api/cadence-methods.js';
import { cadenceStep, describeCadenceStep } from '../../shared/domain/cadence.js';
import { SEVERITIES } from '../../shared/domain/severity.js';
import { useCadenceStore } from './cadence-store.js';

/**
 * The team's update cadence, read-only: one row per severity, the default beside an entry the
 * team changed, and where the values come from (the team's setting as the hub last said, or
 * Conn's defaults). Changing it is a team admin's act on the hub (`conn cadence set`).
 */
export function CadenceSummary() {
  const e = useCadenceStore((s) => s.effective);
  if (!e) return null;
  return (
    <details className="cadence-summary">
      <summary>Update cadence: {e.source === 'team' ? "the team's setting" : "Conn's defaults"}</summary>
      <table aria-label="Stakeholder-update cadence by severity">
        <tbody>
          {SEVERITIES.map((s) => {
            const [mine, dflt] = [describeCadenceStep(cadenceStep(e.cadence, s)), describeCadenceStep(cadenceStep(e.defaults, s))];
            return (
              <tr key={s}>
                <th scope="row">SEV{s}</th>
                <td>
                  {mine}
                  {mine !== dflt && <span className="muted"> (default: {dflt})</span>}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <p className="muted">
        From {cadenceSourceText(e)}. Team admins change it with <code>conn cadence set SEV1=15m,…</code>.
      </p>
    </details>
  );
}
