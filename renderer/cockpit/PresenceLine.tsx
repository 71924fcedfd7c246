import type { PresentMember } from '../../shared/api/results.js';
import { usePresenceStore } from '../stores/presence-store.js';

const NOBODY: PresentMember[] = [];

/**
 * "Looking now: Ana, Bo": teammates whose cockpits show this incident right now, as the hub
 * says (so only while this cockpit syncs). The live region stays in the page while empty, so
 * a screen reader hears a teammate arrive.
 */
export function PresenceLine({ incidentId }: { incidentId: string }) {
  const others = usePresenceStore((s) => (s.watching === incidentId ? s.others : NOBODY));
  return (
    <p className="presence" role="status" aria-label="Looking at this incident now">
      {others.length > 0 && `Looking now: ${others.map((m) => m.name).join(', ')}`}
    </p>
  );
}
