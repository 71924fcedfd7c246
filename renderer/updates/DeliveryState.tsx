import { deliveryLine } from '../../shared/updates/delivery-protocol.js';
import { useUpdatesStore } from './updates-store.js';
import { Time } from '../time/Time.js';

/** Under an update in the timeline: where it went, as the hub last said ("hook: delivered"). */
export function DeliveryState({ updateId }: { updateId: string }) {
  const deliveries = useUpdatesStore((s) => s.byUpdate[updateId]);
  // Shown while the hub does not answer: the state it last gave, and when.
  const lastKnownAt = useUpdatesStore((s) => s.lastKnownAt);
  if (!deliveries?.length) return null;
  return (
    <ul className="delivery-state" aria-label="Delivery">
      {deliveries.map((d) => (
        <li key={d.channel} className={`delivery-${d.state}`}>
          {deliveryLine(d)}
        </li>
      ))}
      {lastKnownAt && (
        <li className="muted">
          as the hub last said, <Time iso={lastKnownAt} />
        </li>
      )}
    </ul>
  );
}
