import type { Severity } from './severity.js';
import type { Status } from './status.js';

/** One line of the incident list (`incidents.list`): enough to render it without loading any timeline. */
export interface IncidentSummary {
  id: string;
  ref: string;
  title: string;
  severity: Severity;
  status: Status;
  declaredAt: string;
  updatedAt: string | null;
  eventCount: number;
}
