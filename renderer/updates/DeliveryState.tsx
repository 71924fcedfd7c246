import { deliveryLine } from '../../shared/updates/delivery-protocol.js';
import { useUpdatesStore } from './updates-store.js';

/** Under an update in the timeline: where it went, as the hub last said ("hook: delivered"). */
export function DeliveryState({ updateId }: { updateId: string }) {
  const deliveries = useUpdatesStore((s) => s.byUpdate[updateId]);
  if (!deliveries?.length) return null;
  return (
    <ul className="delivery-state" aria-label="Delivery">
      {deliveries.map((d) => (
        <li key={d.channel} className={`delivery-${d.state}`}>
          {deliveryLine(d)}
        </li>
      ))}
    </ul>
  );
}
