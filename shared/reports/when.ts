import { formatInZone } from '../time/zone.js';

/*
 * Times in generated text that is saved and read later, by people in other zones: the reader's
 * own clock first, and UTC beside it so the line still reads right when forwarded.
 */

/** "2026-03-08 01:30 PST (2026-03-08 09:30 UTC)"; just the UTC form when the reader reads UTC. */
export function withUtc(iso: string, zone: string): string {
  const utc = formatInZone(iso, 'UTC', { seconds: false });
  const local = formatInZone(iso, zone, { seconds: false });
  return local === utc ? utc : `${local} (${utc})`;
}

/** The local day an instant falls on in `zone`: "2026-03-08". */
export function localDay(iso: string, zone: string): string {
  return formatInZone(iso, zone, { seconds: false }).slice(0, 10);
}

/** "01:42 PST" on the same local day as `anchor`, "2026-03-09 00:10 PDT" on another one. */
export function clockNear(iso: string, anchor: string, zone: string): string {
  return formatInZone(iso, zone, { seconds: false, date: localDay(iso, zone) !== localDay(anchor, zone) });
}
