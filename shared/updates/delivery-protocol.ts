import { z } from 'zod';
import { IdSchema } from '../domain/ids.js';

/*
 * Stakeholder-update delivery as cockpits see it. The hub delivers (it is the one always-on
 * party, and it holds the channels' secrets); cockpits only ask what became of each update.
 * Secrets never appear in anything here: a channel is a name and a kind.
 *
 * Client → hub (with an ack): 'deliveries.list' {incidentId} → {deliveries}
 * Hub → client (no ack):      'deliveries.changed' {incidentId}: ask again.
 */

export const DELIVERY_HUB_EVENTS = {
  list: 'deliveries.list',
  changed: 'deliveries.changed',
} as const;

export const CHANNEL_KINDS = ['webhook', 'slack', 'statuspage'] as const;
export type ChannelKind = (typeof CHANNEL_KINDS)[number];

export const DELIVERY_STATES = ['queued', 'delivered', 'failed'] as const;
export type DeliveryState = (typeof DELIVERY_STATES)[number];

/** How much of a receiver's answer is kept and shown: enough to read its error, not its page. */
export const RESPONSE_EXCERPT_CHARS = 300;

/**
 * One update's delivery to one channel. `queued` covers waiting and retrying (attempts and the
 * last answer say which); `failed` is final (the receiver refused for good, or every retry
 * failed); `delivered` is a 2xx answer.
 */
export const DeliveryStatusSchema = z.object({
  updateId: IdSchema,
  channel: z.string().max(80),
  kind: z.enum(CHANNEL_KINDS),
  state: z.enum(DELIVERY_STATES),
  attempts: z.number().int().min(0),
  /** The receiver's HTTP status of the last attempt; null when it did not answer. */
  lastStatus: z.number().int().nullable(),
  /** The start of the receiver's last answer body, or why there was none ("timed out after 10s"). */
  lastResponse: z.string().max(RESPONSE_EXCERPT_CHARS + 200).nullable(),
  nextAttemptAt: z.string().nullable(),
  deliveredAt: z.string().nullable(),
  updatedAt: z.string(),
});
export type DeliveryStatus = z.infer<typeof DeliveryStatusSchema>;

export const DeliveriesListRequestSchema = z.object({ incidentId: IdSchema }).strict();
export const DeliveriesListResponseSchema = z.object({ deliveries: z.array(DeliveryStatusSchema).max(5000) });
export type DeliveriesListResponse = z.infer<typeof DeliveriesListResponseSchema>;
export const DeliveriesChangedSchema = z.object({ incidentId: IdSchema });

/** "delivered", "queued (2 tries, last 503)", "failed: 401 bad key": one line per channel. */
export function deliveryLine(d: DeliveryStatus): string {
  const answer = d.lastStatus !== null ? `${d.lastStatus}${d.lastResponse ? ` ${d.lastResponse}` : ''}` : (d.lastResponse ?? '');
  if (d.state === 'delivered') return `${d.channel}: delivered`;
  if (d.state === 'failed') return `${d.channel}: failed${answer ? ` (${answer})` : ''}`;
  if (d.attempts === 0) return `${d.channel}: queued`;
  if (d.lastStatus === null && d.lastResponse === null) return `${d.channel}: sending`;
  return `${d.channel}: retrying after ${d.attempts} ${d.attempts === 1 ? 'try' : 'tries'}${answer ? ` (last: ${answer})` : ''}`;
}
