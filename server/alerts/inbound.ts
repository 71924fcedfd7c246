import { z } from 'zod';
import { LIMITS } from '../../shared/domain/limits.js';
import { SeveritySchema, type Severity } from '../../shared/domain/severity.js';
import type { IntegrationKind, IntegrationSettings } from './integration.js';

/*
 * The three bodies the hub accepts at /alerts/<kind>, each parsed with zod and turned into the
 * same thing: a list of alerts, each with a fingerprint (what says "the same alert again"), a
 * state, a title and labels. The team's settings then give it a SEV and services.
 *
 * - Alertmanager: the webhook receiver's JSON, version "4" (every Alertmanager since 0.4).
 * - PagerDuty: V3 webhooks (one event per post; the incident's id is the fingerprint).
 * - generic: ours, documented in docs/alerts.md; strict, so a misspelt field is a 400 naming it.
 */

/** Alerts in one post at most; Alertmanager's `max_alerts` keeps a receiver under it. */
export const MAX_ALERTS_PER_POST = 200;

const Short = z.string().max(1000);
const Labels = z.record(z.string().max(200), z.string().max(2000));

const AlertmanagerAlert = z.object({
  status: z.enum(['firing', 'resolved']),
  labels: Labels,
  annotations: Labels.default({}),
  startsAt: Short.optional(),
  generatorURL: Short.optional(),
  fingerprint: z.string().min(1).max(200),
});

export const AlertmanagerWebhookSchema = z.object({
  version: z.literal('4', { error: 'Alertmanager webhook version must be "4"' }),
  status: z.enum(['firing', 'resolved']),
  receiver: Short.optional(),
  alerts: z
    .array(AlertmanagerAlert)
    .min(1, 'there are no alerts in this post')
    .max(MAX_ALERTS_PER_POST, `more than ${MAX_ALERTS_PER_POST} alerts in one post: set max_alerts: ${MAX_ALERTS_PER_POST} in the receiver's webhook_config`),
  externalURL: Short.optional(),
});

export const PagerDutyWebhookSchema = z.object({
  event: z.object({
    id: z.string().min(1).max(200),
    event_type: z.string().min(1).max(100),
    resource_type: z.string().max(100),
    occurred_at: Short.optional(),
    agent: z.object({ summary: Short.optional() }).nullable().optional(),
    data: z.object({
      id: z.string().min(1).max(200),
      title: Short.optional(),
      html_url: Short.optional(),
      urgency: z.string().max(50).optional(),
      service: z.object({ summary: z.string().max(LIMITS.serviceChars).optional() }).nullable().optional(),
      priority: z.object({ summary: z.string().max(50).optional() }).nullable().optional(),
    }),
  }),
});

const GenericAlertSchema = z
  .object({
    fingerprint: z.string().trim().min(1).max(200),
    status: z.enum(['firing', 'resolved']),
    title: z.string().trim().min(1).max(LIMITS.titleChars),
    severity: SeveritySchema.optional(),
    services: z.array(z.string().trim().min(1).max(LIMITS.serviceChars)).max(LIMITS.services).optional(),
    labels: Labels.optional(),
    text: z.string().max(10_000).optional(),
    url: z.string().max(2000).optional(),
    startsAt: z.iso.datetime({ offset: true, error: 'startsAt must be an ISO 8601 time' }).optional(),
  })
  .strict();

export const GenericWebhookSchema = z.union([
  GenericAlertSchema,
  z.object({ alerts: z.array(GenericAlertSchema).min(1, 'there are no alerts in this post').max(MAX_ALERTS_PER_POST) }).strict(),
]);

/** One alert, whatever sent it. `info` is news about an alert (PagerDuty's acknowledged): a note, never a declaration. */
export interface InboundAlert {
  fingerprint: string;
  state: 'firing' | 'resolved' | 'info';
  title: string;
  labels: Record<string, string>;
  text?: string | undefined;
  url?: string | undefined;
  startsAt?: string | undefined;
  /** Given outright (the generic shape), it wins over the labels. */
  severity?: Severity | undefined;
  services?: string[] | undefined;
}

/** A body the hub will not take: the reason goes back in the 400. */
export class InboundError extends Error {}

function reason(err: z.ZodError): string {
  const issue = err.issues[0];
  if (!issue) return 'malformed body';
  // Unions report each branch; the generic shape's single-alert branch is the one people mean.
  const deepest = issue.code === 'invalid_union' ? (issue.errors[0]?.[0] ?? issue) : issue;
  const where = [...issue.path, ...(deepest === issue ? [] : deepest.path)];
  const keys = deepest.code === 'unrecognized_keys' ? ` (${deepest.keys.join(', ')})` : '';
  return `${where.length ? `${where.join('.')}: ` : ''}${deepest.message}${keys}`;
}

function parse<T>(schema: z.ZodType<T>, body: unknown): T {
  const r = schema.safeParse(body);
  if (!r.success) throw new InboundError(reason(r.error));
  return r.data;
}

const PAGERDUTY_FIRING = new Set(['incident.triggered', 'incident.reopened']);
const PAGERDUTY_INFO = new Set(['incident.acknowledged', 'incident.escalated', 'incident.reassigned', 'incident.priority_updated']);

/** The alerts in a parsed JSON body, or an InboundError saying why not. An event with nothing to do (a PagerDuty ping) gives none. */
export function inboundAlerts(kind: IntegrationKind, body: unknown): InboundAlert[] {
  if (kind === 'alertmanager') {
    return parse(AlertmanagerWebhookSchema, body).alerts.map((a) => ({
      fingerprint: a.fingerprint,
      state: a.status,
      title: [a.labels['alertname'], a.annotations['summary']].filter(Boolean).join(': ') || 'Alert',
      labels: a.labels,
      text: a.annotations['description'],
      url: a.generatorURL,
      startsAt: a.startsAt,
    }));
  }
  if (kind === 'pagerduty') {
    const { event } = parse(PagerDutyWebhookSchema, body);
    if (event.resource_type !== 'incident') return [];
    const state = PAGERDUTY_FIRING.has(event.event_type) ? 'firing' : event.event_type === 'incident.resolved' ? 'resolved' : PAGERDUTY_INFO.has(event.event_type) ? 'info' : null;
    if (state === null) return [];
    const d = event.data;
    const labels: Record<string, string> = {};
    if (d.priority?.summary) labels['priority'] = d.priority.summary;
    if (d.urgency) labels['urgency'] = d.urgency;
    if (d.service?.summary) labels['service'] = d.service.summary;
    const by = event.agent?.summary ? ` by ${event.agent.summary}` : '';
    return [
      {
        fingerprint: d.id,
        state,
        title: d.title ?? `PagerDuty incident ${d.id}`,
        labels,
        text: state === 'info' ? `${event.event_type.replace('incident.', '').replace('_', ' ')} in PagerDuty${by}` : undefined,
        url: d.html_url,
        startsAt: event.occurred_at,
      },
    ];
  }
  const parsed = parse(GenericWebhookSchema, body);
  return ('alerts' in parsed ? parsed.alerts : [parsed]).map((a) => ({
    fingerprint: a.fingerprint,
    state: a.status,
    title: a.title,
    labels: a.labels ?? {},
    text: a.text,
    url: a.url,
    startsAt: a.startsAt,
    severity: a.severity,
    services: a.services,
  }));
}

/** The SEV the team's mapping gives this alert. */
export function severityOf(alert: InboundAlert, settings: IntegrationSettings): Severity {
  if (alert.severity !== undefined) return alert.severity;
  for (const label of settings.severityLabels) {
    const value = alert.labels[label];
    if (value === undefined) continue;
    const sev = settings.severityMap[value.trim().toLowerCase()];
    if (sev !== undefined) return sev;
  }
  return settings.defaultSeverity;
}

/** The services this alert names, by the team's service labels, without repeats. */
export function servicesOf(alert: InboundAlert, settings: IntegrationSettings): string[] {
  const named = alert.services ?? settings.serviceLabels.map((l) => alert.labels[l]).filter((v): v is string => v !== undefined);
  const out: string[] = [];
  for (const raw of named) {
    const s = raw.trim().slice(0, LIMITS.serviceChars);
    if (s && !out.some((o) => o.toLowerCase() === s.toLowerCase())) out.push(s);
  }
  return out.slice(0, LIMITS.services);
}
