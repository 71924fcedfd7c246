import type { UpdateDeliveries } from '../shared/api/update-methods.js';
import { deliveryLine } from '../shared/updates/delivery-protocol.js';
import { terminalSafe } from './terminal-safe.js';

/**
 * "Deliveries:" and one line per update, its channels after it: what `conn show` and
 * `conn deliveries` print. A receiver's answer is its text, so it is made terminal-safe.
 */
export function deliveriesText(d: UpdateDeliveries): string {
  if (d.source === 'unavailable') return `Deliveries: not known here (${d.reason ?? 'no hub'})`;
  const heading = d.source === 'last-known' ? `Deliveries, as the hub last said at ${d.asOf ?? '?'} (not now: ${d.reason ?? 'no answer'}):` : 'Deliveries:';
  if (!d.deliveries.length) return d.source === 'last-known' ? `${heading} none` : 'Deliveries: none (the team has no delivery channels on the hub)';
  const byUpdate = new Map<string, string[]>();
  for (const x of d.deliveries) byUpdate.set(x.updateId, [...(byUpdate.get(x.updateId) ?? []), deliveryLine(x)]);
  return [heading, ...[...byUpdate].map(([id, lines]) => `  [${id}]  ${terminalSafe(lines.join(' · '))}`)].join('\n');
}
