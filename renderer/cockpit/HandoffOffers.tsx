import { sameName as sameNameAsHub } from '../../shared/domain/authority.js';
import type { Handoff, IncidentState } from '../../shared/domain/fold.js';
import { outsideHoursNote } from '../../shared/time/off-hours.js';
import { useState } from 'react';
import { useCockpitStore } from '../stores/cockpit-store.js';
import { useProfileStore } from '../stores/profile-store.js';
import { profileNamed, useTeamStore } from '../stores/team-store.js';
import { useTimelineStore } from '../stores/timeline-store.js';
import { Time } from '../time/Time.js';
import { useNow } from '../time/use-now.js';
import { Markdown } from '../timeline/Markdown.js';

/** Names compare as the authority rule compares them. */
const sameName = (a: string | null, b: string | null) => a !== null && b !== null && sameNameAsHub(a, b);

/**
 * Offers of a role nobody has taken yet, each with its brief and, for whoever may take it, Accept:
 * an offer to a named person is theirs alone, an open one anyone's (the authority rule decides,
 * in the core before saving and on the hub). A refusal is shown beside the offer; an accept the
 * hub refused later is folded out of the state, so the offer is back, and this says why.
 */
export function HandoffOffers({ incident }: { incident: IncidentState }) {
  const me = useProfileStore((s) => s.profile?.name ?? null);
  const items = useTimelineStore((s) => s.items);
  const refusedAccepts = items.filter((i) => i.kind === 'handoff.accepted' && i.refused !== null && sameName(i.author.name, me));
  const pending = incident.handoffs.filter((h) => h.acceptedBy === null && !h.redacted);
  if (pending.length === 0 && refusedAccepts.length === 0) return null;
  return (
    <section className="panel handoffs" aria-labelledby="handoffs-heading">
      <h2 id="handoffs-heading">Hand-offs waiting</h2>
      {refusedAccepts.map((r) => (
        <p key={r.id} className="refused-note" role="note">
          <strong>Your accept was refused by the hub</strong> and undone: {r.refused!.message}
        </p>
      ))}
      <ul className="items">
        {pending.map((h) => (
          <Offer key={h.id} incidentId={incident.id} offer={h} me={me} />
        ))}
      </ul>
    </section>
  );
}

function Offer({ incidentId, offer, me }: { incidentId: string; offer: Handoff; me: string | null }) {
  const team = useTeamStore((s) => s.profiles);
  const now = new Date(useNow(30_000));
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const mine = sameName(offer.from, me);
  const mayAccept = !mine && (offer.to === null || sameName(offer.to, me));
  const offHours = offer.to === null ? null : outsideHoursNote(profileNamed(team, offer.to), now);

  async function accept() {
    setBusy(true);
    try {
      await useCockpitStore.getState().appendTo(incidentId, 'handoff.accepted', { target: offer.id }, { inDialog: true });
      setError(null);
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <li className="item">
      <p>
        <strong>{offer.role}</strong> offered by {mine ? 'you' : offer.from} to {offer.to ?? 'anyone'}, <Time iso={offer.at} />
        {offHours && <span className="hours out"> ({offer.to}: {offHours})</span>}
      </p>
      <details>
        <summary>Read the brief</summary>
        <Markdown text={offer.brief} />
      </details>
      {error && <p role="alert">{error}</p>}
      {mayAccept && (
        <button type="button" className="primary" disabled={busy} onClick={() => void accept()} aria-label={`Accept the ${offer.role} role from ${offer.from}`}>
          Accept {offer.role}
        </button>
      )}
    </li>
  );
}
