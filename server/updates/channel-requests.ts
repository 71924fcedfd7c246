import { createHmac } from 'node:crypto';
import type { ChannelKind } from '../../shared/updates/delivery-protocol.js';
import type { UpdateSnapshot } from './update-snapshot.js';

/*
 * The HTTP request each kind of channel gets for one update. Pure apart from the HMAC, so the
 * shapes are tested byte for byte. Every request carries `Idempotency-Key: <update event id>`:
 * a retry after a timeout or a hub restart sends the same key, and a receiver that keeps the
 * keys it has seen shows each update once.
 */

/** A channel as the deliverer needs it, secrets included: only ever read on the hub. */
export interface ChannelConfig {
  id: string;
  name: string;
  kind: ChannelKind;
  url: string;
  /** webhook: the HMAC key. */
  secret: string | null;
  /** statuspage: the page, and the API key sent as `Authorization: OAuth KEY`. */
  pageId: string | null;
  apiKey: string | null;
}

export interface OutgoingRequest {
  method: 'POST' | 'PATCH';
  url: string;
  headers: Record<string, string>;
  body: string;
}

export const SIGNATURE_HEADER = 'X-Conn-Signature';
export const TIMESTAMP_HEADER = 'X-Conn-Timestamp';

/** `sha256=` + hex HMAC-SHA256 of `${timestamp}.${body}` with the channel's secret. */
export function signature(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

const json = { 'Content-Type': 'application/json', 'User-Agent': 'conn-hub' };

/** The generic webhook: the snapshot as JSON, signed so the receiver knows it came from this hub. */
export function webhookRequest(channel: ChannelConfig, snapshot: UpdateSnapshot, nowMs: number): OutgoingRequest {
  const body = JSON.stringify(snapshot);
  // The timestamp is signed with the body, so a captured request cannot be replayed later
  // under a fresh timestamp; receivers should refuse ones older than a few minutes.
  const timestamp = String(Math.floor(nowMs / 1000));
  return {
    method: 'POST',
    url: channel.url,
    headers: { ...json, 'Idempotency-Key': snapshot.id, [TIMESTAMP_HEADER]: timestamp, [SIGNATURE_HEADER]: signature(channel.secret ?? '', timestamp, body) },
    body,
  };
}

/** Slack's incoming-webhook format: a `text` fallback and blocks. Slack escapes only &, < and >. */
export function slackRequest(channel: ChannelConfig, s: UpdateSnapshot): OutgoingRequest {
  const esc = (t: string) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const headline = `${s.incident.severity} ${s.incident.ref}: ${s.incident.title} (${s.incident.status})`;
  const footer = `Posted by ${s.update.author}${s.update.audience ? ` for ${s.update.audience}` : ''}${s.incident.services.length ? ` · ${s.incident.services.join(', ')}` : ''}`;
  const body = JSON.stringify({
    text: esc(`${headline}\n${s.update.text}`),
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: `*${esc(headline)}*\n${esc(s.update.text)}` } },
      { type: 'context', elements: [{ type: 'mrkdwn', text: esc(footer) }] },
    ],
  });
  return { method: 'POST', url: channel.url, headers: { ...json, 'Idempotency-Key': s.id }, body };
}

/** Conn's statuses in Statuspage's incident vocabulary. */
export const STATUSPAGE_STATUS: Record<string, string> = {
  triage: 'investigating',
  investigating: 'investigating',
  identified: 'identified',
  monitoring: 'monitoring',
  resolved: 'resolved',
  closed: 'resolved',
};

const STATUSPAGE_IMPACT: Record<string, string> = { SEV1: 'critical', SEV2: 'major', SEV3: 'minor' };

/**
 * Atlassian Statuspage's incident API: the first update of an incident creates a Statuspage
 * incident (POST /v1/pages/{page_id}/incidents), later ones update it (PATCH …/incidents/{id}),
 * each with the update's text as the incident update's body. `url` is the API base
 * (https://api.statuspage.io by default), so tests and proxies can point it elsewhere.
 */
export function statuspageRequest(channel: ChannelConfig, s: UpdateSnapshot, remoteIncidentId: string | null): OutgoingRequest {
  const base = `${channel.url.replace(/\/+$/, '')}/v1/pages/${encodeURIComponent(channel.pageId ?? '')}/incidents`;
  const impact = STATUSPAGE_IMPACT[s.incident.severity];
  const incident = {
    ...(remoteIncidentId ? {} : { name: `${s.incident.title} (${s.incident.ref})` }),
    status: STATUSPAGE_STATUS[s.incident.status] ?? 'investigating',
    body: s.update.text,
    ...(impact ? { impact_override: impact } : {}),
  };
  return {
    method: remoteIncidentId ? 'PATCH' : 'POST',
    url: remoteIncidentId ? `${base}/${encodeURIComponent(remoteIncidentId)}` : base,
    headers: { ...json, Authorization: `OAuth ${channel.apiKey ?? ''}`, 'Idempotency-Key': s.id },
    body: JSON.stringify({ incident }),
  };
}

export function requestFor(channel: ChannelConfig, s: UpdateSnapshot, nowMs: number, remoteIncidentId: string | null): OutgoingRequest {
  if (channel.kind === 'webhook') return webhookRequest(channel, s, nowMs);
  if (channel.kind === 'slack') return slackRequest(channel, s);
  return statuspageRequest(channel, s, remoteIncidentId);
}
