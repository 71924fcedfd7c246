import type { IncidentState } from '../../shared/domain/fold.js';
import { isActiveStatus } from '../../shared/domain/status.js';
import { severityLabel } from '../../shared/domain/severity.js';
import { isIntegrationName } from '../../shared/domain/authority.js';
import { notifyAt, type PersonHours } from '../../shared/time/off-hours.js';

/*
 * What the tray shows and which native notifications fire, computed from the core's incident
 * states. Pure: the shell polls and feeds snapshots in; the same snapshot twice fires nothing.
 */

/** The fields of the core's IncidentState (shared/domain/fold.ts) the desktop needs. */
export type DeskIncident = Pick<IncidentState, 'id' | 'ref' | 'title' | 'severity' | 'status' | 'nextUpdateDueAt'> & {
  /** An integration's name when an alert declared it (server/alerts/). */
  declaredBy?: string | null;
  actions: Array<Pick<IncidentState['actions'][number], 'id' | 'text' | 'owner' | 'state'> & { redacted?: boolean }>;
  /** Offers not yet taken; optional so a snapshot without hand-offs reads as none. */
  handoffs?: Array<Pick<IncidentState['handoffs'][number], 'id' | 'role' | 'from' | 'to' | 'acceptedBy' | 'redacted'>>;
};

export interface DeskSnapshot {
  /** The local profile's name: actions owned by it are "assigned to me". */
  me: string | null;
  /** The local profile's zone and working hours: outside them, notifications wait (shared/time/off-hours.ts). */
  hours?: PersonHours | null;
  incidents: DeskIncident[];
}

export interface DesktopNotification {
  key: string;
  title: string;
  body: string;
  /** Clicking it focuses this incident. */
  ref: string;
}

export interface AlertMemory {
  notified: ReadonlySet<string>;
  /** False until the first snapshot: what was already assigned at launch is not news. */
  primed: boolean;
  /** Notifications held until the reader's working hours start (epoch ms). */
  waiting: ReadonlyArray<{ note: DesktopNotification; at: number }>;
}

export const EMPTY_MEMORY: AlertMemory = { notified: new Set(), primed: false, waiting: [] };

/** A stakeholder update is "coming due" this long before its deadline. */
export const DUE_SOON_MS = 2 * 60_000;

export function formatCountdown(ms: number): string {
  const secs = Math.round(Math.abs(ms) / 1000);
  const h = Math.floor(secs / 3600);
  const m = Math.floor((secs % 3600) / 60);
  const s = secs % 60;
  const clock = h > 0 ? `${h}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}` : `${m}:${String(s).padStart(2, '0')}`;
  return ms < 0 ? `overdue by ${clock}` : `in ${clock}`;
}

function sameName(a: string | null, b: string | null): boolean {
  return !!a && !!b && a.trim().toLowerCase() === b.trim().toLowerCase();
}

export function computeAlerts(snap: DeskSnapshot, memory: AlertMemory, now: number): { notifications: DesktopNotification[]; memory: AlertMemory } {
  const notified = new Set(memory.notified);
  const out: DesktopNotification[] = [];
  const waiting = memory.waiting.filter((w) => w.at > now);
  out.push(...memory.waiting.filter((w) => w.at <= now).map((w) => w.note));
  // Outside the reader's hours a notification waits for them to start, unless the incident is SEV1.
  const send = (inc: DeskIncident, note: DesktopNotification) => {
    const at = notifyAt({ person: snap.hours ?? null, severity: inc.severity, at: new Date(now) }).getTime();
    if (at <= now) out.push(note);
    else waiting.push({ note, at });
  };
  for (const inc of snap.incidents) {
    if (!isActiveStatus(inc.status)) continue;
    // An alert opened it: everyone whose cockpit is running hears, since Conn keeps no on-call
    // roster (the alerting tool pages the on-call; this is their cockpit catching up with it).
    if (isIntegrationName(inc.declaredBy)) {
      const key = `alert:${inc.id}`;
      if (!notified.has(key)) {
        notified.add(key);
        if (memory.primed) out.push({ key, title: `${inc.ref}: ${severityLabel(inc.severity)} opened by an alert`, body: inc.title.slice(0, 200), ref: inc.ref });
      }
    }
    if (inc.nextUpdateDueAt) {
      const due = Date.parse(inc.nextUpdateDueAt);
      const key = `due:${inc.id}:${inc.nextUpdateDueAt}`;
      if (Number.isFinite(due) && now >= due - DUE_SOON_MS && !notified.has(key)) {
        notified.add(key);
        send(inc, {
          key,
          title: `${inc.ref}: stakeholder update ${due <= now ? 'overdue' : 'due soon'}`,
          body: `${severityLabel(inc.severity)} ${inc.title} — next update ${formatCountdown(due - now)}.`,
          ref: inc.ref,
        });
      }
    }
    for (const a of inc.actions) {
      if (a.state !== 'open' || a.redacted || !sameName(a.owner, snap.me)) continue;
      const key = `action:${a.id}:${a.owner?.trim().toLowerCase()}`;
      if (notified.has(key)) continue;
      notified.add(key);
      if (memory.primed) send(inc, { key, title: `${inc.ref}: action assigned to you`, body: a.text.slice(0, 200), ref: inc.ref });
    }
    for (const h of inc.handoffs ?? []) {
      if (h.acceptedBy !== null || h.redacted || !sameName(h.to, snap.me)) continue;
      const key = `handoff:${h.id}`;
      if (notified.has(key)) continue;
      notified.add(key);
      if (memory.primed) send(inc, { key, title: `${inc.ref}: ${h.from} offers you the ${h.role} role`, body: `${inc.title} — accept it in the cockpit or with \`conn handoff accept ${inc.ref}\`.`, ref: inc.ref });
    }
  }
  return { notifications: out, memory: { notified, primed: true, waiting } };
}

export interface TrayView {
  /** Short text beside the icon (macOS menu bar); empty when nothing is active. */
  title: string;
  tooltip: string;
  /** The focused incident (the worst, then the soonest update due), for "Open". */
  ref: string | null;
}

/** The incident the tray features: lowest SEV number first, then the soonest update due. */
export function featuredIncident(incidents: readonly DeskIncident[]): DeskIncident | null {
  const active = incidents.filter((i) => isActiveStatus(i.status));
  active.sort((a, b) => a.severity - b.severity || (Date.parse(a.nextUpdateDueAt ?? '9999') - Date.parse(b.nextUpdateDueAt ?? '9999')));
  return active[0] ?? null;
}

export function trayView(incidents: readonly DeskIncident[], now: number): TrayView {
  const inc = featuredIncident(incidents);
  const activeCount = incidents.filter((i) => isActiveStatus(i.status)).length;
  if (!inc) return { title: '', tooltip: 'Conn — no active incident', ref: null };
  const more = activeCount > 1 ? ` (+${activeCount - 1} more)` : '';
  const due = inc.nextUpdateDueAt ? `update ${formatCountdown(Date.parse(inc.nextUpdateDueAt) - now)}` : 'no update owed';
  return {
    title: `${inc.ref} ${due}`,
    tooltip: `Conn — ${severityLabel(inc.severity)} ${inc.ref} ${inc.title}: ${due}${more}`,
    ref: inc.ref,
  };
}
