import { z } from 'zod';
import { ConnError } from '../../shared/domain/errors.js';
import { SeveritySchema, type Severity } from '../../shared/domain/severity.js';

/*
 * An alert integration: a way in for one team's alerting tool (Prometheus Alertmanager,
 * PagerDuty, or anything that can post the generic shape), with its own token and the team's
 * choices about what an alert means in Conn: which label says how bad it is and how that maps
 * to a SEV, which labels name services, and whether a resolved alert moves the incident to
 * monitoring. Settings are the hub's, never in the shared timeline: a PagerDuty signing secret
 * lives here.
 */

export const INTEGRATION_KINDS = ['alertmanager', 'pagerduty', 'generic'] as const;
export const IntegrationKindSchema = z.enum(INTEGRATION_KINDS, { error: () => `the kind must be one of: ${INTEGRATION_KINDS.join(', ')}` });
export type IntegrationKind = z.infer<typeof IntegrationKindSchema>;

const Label = z.string().trim().min(1).max(100);

export const IntegrationSettingsSchema = z
  .object({
    /** Labels read for the severity, first present wins (lower-cased value looked up in `severityMap`). */
    severityLabels: z.array(Label).min(1).max(10),
    /** Label value (lower case) → SEV. */
    severityMap: z.record(Label, SeveritySchema),
    /** When no severity label is present or its value is not in the map. */
    defaultSeverity: SeveritySchema,
    /** Labels whose values name the incident's services (every one present counts). */
    serviceLabels: z.array(Label).max(10),
    /** A resolved alert moves its incident to monitoring once none of its alerts still fires. */
    resolveToMonitoring: z.boolean(),
    /** PagerDuty's webhook signing secret: with it, unsigned or badly signed posts are refused. */
    signingSecret: z.string().min(8).max(200).optional(),
  })
  .strict();
export type IntegrationSettings = z.infer<typeof IntegrationSettingsSchema>;

const COMMON_SEVERITIES: Record<string, Severity> = { critical: 1, page: 1, high: 2, error: 2, major: 2, warning: 3, minor: 3, low: 4, info: 4, none: 5 };

/** What a new integration of each kind starts with; `conn hub integration add/set` flags change it. */
export function defaultSettings(kind: IntegrationKind): IntegrationSettings {
  if (kind === 'pagerduty') {
    // PagerDuty incidents carry a priority (P1…P5, when the account uses them) and an urgency.
    return {
      severityLabels: ['priority', 'urgency'],
      severityMap: { p1: 1, p2: 2, p3: 3, p4: 4, p5: 5, high: 2, low: 4 },
      defaultSeverity: 3,
      serviceLabels: ['service'],
      resolveToMonitoring: true,
    };
  }
  return { severityLabels: ['severity'], severityMap: { ...COMMON_SEVERITIES }, defaultSeverity: 3, serviceLabels: ['service'], resolveToMonitoring: true };
}

/** An integration as the hub keeps it (never its token: only a salted hash is stored). */
export interface Integration {
  id: string;
  teamId: string;
  team: string;
  name: string;
  kind: IntegrationKind;
  settings: IntegrationSettings;
  revoked: boolean;
  createdAt: string;
}

/** What `integration list` shows: no signing secret, only whether there is one. */
export function describeIntegration(i: Integration): Omit<Integration, 'settings' | 'teamId'> & { settings: Omit<IntegrationSettings, 'signingSecret'> & { signed: boolean } } {
  const { signingSecret, ...rest } = i.settings;
  return { id: i.id, team: i.team, name: i.name, kind: i.kind, revoked: i.revoked, createdAt: i.createdAt, settings: { ...rest, signed: signingSecret !== undefined } };
}

/** Integration names appear in URLs' logs, the CLI and the timeline's author: short, lower-case. */
export function checkIntegrationName(input: string): string {
  const name = input.trim().toLowerCase();
  if (!/^[a-z0-9][a-z0-9._-]{0,47}$/.test(name)) {
    throw new ConnError('invalid-input', `integration "${input}" is not a valid name: use up to 48 lower-case letters, digits, ".", "_" or "-"`);
  }
  return name;
}

/** The settings as stored, read back: anything unreadable is a hub bug, said plainly. */
export function parseStoredSettings(json: string): IntegrationSettings {
  return IntegrationSettingsSchema.parse(JSON.parse(json));
}

/** Token, integration and the time it was made: what `add` returns, the only time the token exists in clear. */
export interface NewIntegration {
  token: string;
  integration: Integration;
}
