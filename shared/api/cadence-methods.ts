import { z } from 'zod';
import { CadenceChangesSchema, type Cadence } from '../domain/cadence.js';

/*
 * The team's stakeholder-update cadence in the API contract (spread into METHODS in contract.ts
 * and into Results in results.ts). Reading answers from the cockpit's own copy, so it works
 * offline; changing asks the hub, which lets only team admins (docs/update-delivery.md).
 */
export const CADENCE_METHODS = {
  /** The cadence this cockpit's countdowns use now, and where it comes from. */
  'cadence.get': z.object({}).strict(),
  /** Changes some severities' entries for the whole team, through the hub (admins only). */
  'cadence.set': z.object({ changes: CadenceChangesSchema }).strict(),
  /** Puts the team back on Conn's defaults, through the hub (admins only). */
  'cadence.reset': z.object({}).strict(),
} as const;

/**
 * `source` 'team': the team's own setting, as the hub last answered. 'defaults': Conn's
 * defaults, because the team has set none (`checkedAt` says when the hub said so) or because
 * this cockpit has not heard from a hub (`checkedAt` null).
 */
export interface EffectiveCadence {
  cadence: Cadence;
  source: 'team' | 'defaults';
  setBy: string | null;
  setAt: string | null;
  /** When the hub last answered this cockpit about it; null when it never has. */
  checkedAt: string | null;
  defaults: Cadence;
}

/** One line on where the cadence comes from, for `conn cadence` and the app. */
export function cadenceSourceText(e: EffectiveCadence): string {
  const checked = e.checkedAt ? `last checked with the hub at ${e.checkedAt.slice(0, 16).replace('T', ' ')} UTC` : '';
  if (e.source === 'team') return `the team's setting${e.setBy ? `, set by ${e.setBy}` : ''}${e.setAt ? ` at ${e.setAt.slice(0, 16).replace('T', ' ')} UTC` : ''}${checked ? `; ${checked}` : ''}`;
  if (e.checkedAt) return `Conn's defaults: the team has not set its own (${checked})`;
  return "Conn's defaults: this cockpit has not heard from a hub yet";
}

export interface CadenceResults {
  'cadence.get': EffectiveCadence;
  'cadence.set': EffectiveCadence & { changed: boolean };
  'cadence.reset': EffectiveCadence & { changed: boolean };
}
