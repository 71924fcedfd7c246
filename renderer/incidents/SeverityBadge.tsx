import type { Severity } from '../../shared/domain/severity.js';
import { SEVERITY_MEANING } from '../../shared/domain/severity.js';

export function SeverityBadge({ severity }: { severity: Severity }) {
  return (
    <span className={`sev sev-${severity}`} title={SEVERITY_MEANING[severity]}>
      SEV{severity}
    </span>
  );
}
