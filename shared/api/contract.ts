import { z } from 'zod';
import { EVENT_KINDS, type EventKind, type PAYLOADS } from '../domain/events.js';
import { IdSchema } from '../domain/ids.js';
import { LIMITS } from '../domain/limits.js';
import { ProfileUpdateSchema } from '../domain/profile.js';
import { SeveritySchema } from '../domain/severity.js';
import { HlcSchema } from '../sync/hlc.js';
import { RUNBOOK_METHODS } from '../runbooks/methods.js';
import { UPDATE_METHODS } from './update-methods.js';
import { CADENCE_METHODS } from './cadence-methods.js';
import { CALL_METHODS } from './calls-methods.js';
import { RECORDING_METHODS } from './recordings-methods.js';
import { HANDOFF_METHODS } from './handoff-methods.js';
import { FOLLOWUP_METHODS } from './followup-methods.js';
import { REPORT_METHODS } from './reports-methods.js';
import { SEARCH_METHODS } from '../search/methods.js';
import { PROFILE_METHODS } from './profile-methods.js';
import { BREAKGLASS_METHODS } from './breakglass-methods.js';

import type { Results } from './results.js';

/*
 * The one API to the core, for the renderer, the Electron shell and the CLI. It is served over
 * a MessagePort in Electron, over a WebSocket by `conn web`, and in-process to the CLI. Every
 * method's params are a zod schema here, parsed before the handler runs; its result type is in
 * results.ts. Add a method to both first, then its handler in main/core/api/ (the handler map
 * does not compile until it returns that result).
 */

/** A position in a timeline: the (hlc, id) of a row. Keyset paging walks from one of these. */
export const TimelineCursorSchema = z.object({ hlc: HlcSchema, id: IdSchema });
export type TimelineCursor = z.infer<typeof TimelineCursorSchema>;

export const METHODS = {
  'profile.get': z.object({}).strict(),
  /** The team's people as the hub last said (and this cockpit's own profile, self): works offline. */
  'profiles.list': z.object({}).strict(),
  'profile.set': ProfileUpdateSchema.strict(),
  'incidents.list': z.object({ all: z.boolean().optional() }).strict(),
  'incidents.declare': z
    .object({
      title: z.string(),
      severity: SeveritySchema,
      services: z.array(z.string()).max(LIMITS.services).optional(),
      summary: z.string().optional(),
    })
    .strict(),
  /** `ref` is an INC-XXXXXX reference or an incident id, any case. */
  'incidents.get': z.object({ ref: z.string().min(1).max(64) }).strict(),
  /**
   * A window of at most `limit` rows. With neither `before` nor `after` it is the newest rows.
   * Keyset only: the core never uses OFFSET and never returns the whole timeline.
   */
  'timeline.window': z
    .object({
      incidentId: IdSchema,
      before: TimelineCursorSchema.optional(),
      after: TimelineCursorSchema.optional(),
      limit: z.number().int().min(1).max(500).default(100),
      kinds: z.array(z.enum(EVENT_KINDS as [string, ...string[]])).max(EVENT_KINDS.length).optional(),
      author: z.string().max(LIMITS.nameChars).optional(),
      pinned: z.boolean().optional(),
    })
    .strict(),
  /** Appends one event written by the local profile; the payload is checked against its kind. */
  'events.append': z
    .object({ incidentId: IdSchema, kind: z.enum(EVENT_KINDS as [string, ...string[]]), payload: z.unknown() })
    .strict(),
  /** Local events the hub refused, still kept here, oldest first. */
  'events.refused': z.object({}).strict(),
  /** Sends a refused event again (re-signed and re-stamped now, checked by the authority rule); the refused one goes. */
  'events.resend': z.object({ eventId: IdSchema }).strict(),
  /** Drops a refused event for good. */
  'events.discard': z.object({ eventId: IdSchema }).strict(),
  'sync.status': z.object({}).strict(),
  /** Connects this cockpit to a hub while it runs (replacing any other hub); needs a long-running host. */
  'sync.connect': z
    .object({
      url: z
        .string()
        .min(1)
        .max(2048)
        // One address, or several nodes of one hub separated by commas (the cockpit fails over).
        .refine((u) => u.split(',').every((p) => /^https?:\/\/[^\s/]/i.test(p.trim())), 'a hub URL starts with http:// or https:// (several nodes: separate their URLs with commas)'),
      token: z.string().trim().min(1, 'no token').max(512, 'token is too long'),
    })
    .strict(),
  /** Stops syncing and forgets the hub and its token; local entries stay. */
  'sync.disconnect': z.object({}).strict(),
  /**
   * The incident this window shows (null: none), so teammates see who is looking at it. The
   * cockpit has one presence: the window that told it last wins. Without sync it changes
   * nothing and is no error; a hub connected later is told at once.
   */
  'presence.watch': z.object({ incidentId: IdSchema.nullable() }).strict(),
  /** Who is looking at an incident now: [{ memberId, name, you }], as the hub last said; [] while not syncing. */
  'presence.get': z.object({ incidentId: IdSchema }).strict(),
  /**
   * Ends a call and has Conn write its minutes: appends call.ended, then a minutes.written draft
   * of that call (callMinutes, in the local profile's zone), in one transaction.
   */
  'calls.end': z.object({ incidentId: IdSchema, callId: IdSchema }).strict(),
  /**
   * Publishes a call's minutes: a minutes.written with status published, of `text` or else the
   * latest minutes of the call. The scribe, the commander or an admin may.
   */
  'minutes.publish': z.object({ incidentId: IdSchema, callId: IdSchema, text: z.string().optional() }).strict(),
  /**
   * The minutes that stand for a call (the latest minutes.written of it by (hlc, id)); without
   * callId, of the latest call that has any. Null when there are none.
   */
  'minutes.get': z.object({ incidentId: IdSchema, callId: IdSchema.optional() }).strict(),
  /**
   * "While you were away": across every incident, what changed since `since` (else since the
   * local profile last marked the digest read, else the last 24 hours), in the profile's zone.
   */
  'digest.get': z
    .object({ since: z.string().max(64).refine((s) => Number.isFinite(Date.parse(s)), 'since is an ISO 8601 time').optional() })
    .strict(),
  /** The reader has read the digest: the next one starts now. */
  'digest.markRead': z.object({}).strict(),
  ...RUNBOOK_METHODS,
  ...UPDATE_METHODS,
  ...CALL_METHODS,
  ...RECORDING_METHODS,
  ...HANDOFF_METHODS,
  ...FOLLOWUP_METHODS,
  ...REPORT_METHODS,
  ...SEARCH_METHODS,
  ...PROFILE_METHODS,
  ...BREAKGLASS_METHODS,
  ...CADENCE_METHODS,
} as const;

export type Method = keyof typeof METHODS;

/** `events.append` by kind: the payload is the one its kind's schema takes. */
export type AppendParams = { [K in EventKind]: { incidentId: string; kind: K; payload: z.input<(typeof PAYLOADS)[K]> } }[EventKind];

export type ParamsOf<M extends Method> = M extends 'events.append' ? AppendParams : z.input<(typeof METHODS)[M]>;
export type ResultOf<M extends Method> = Results[M];
export type { Results } from './results.js';

// Every method has a result and every result a method: one fails to compile without the other.
type Exactly<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const complete: Exactly<Method, keyof Results> = true;
void complete;

/** A request over either transport. */
export const RpcRequestSchema = z.object({
  id: z.number().int().nonnegative(),
  method: z.string().max(64),
  params: z.unknown(),
});
export type RpcRequest = z.infer<typeof RpcRequestSchema>;

export interface RpcError {
  /** Stable, machine-readable: "not-found", "invalid-input", "forbidden", "internal". */
  code: string;
  /** A sentence a person can act on. */
  message: string;
}

export type RpcResponse = { id: number; result: unknown } | { id: number; error: RpcError };

/**
 * Pushed from the core without a request: the renderer refetches what changed. Carries ids,
 * never data, so a slow renderer cannot fall behind a burst of events.
 */
export type CoreNotification =
  | { type: 'incident-changed'; incidentId: string }
  | { type: 'incidents-changed' }
  /** The runbook library changed under the renderer (a teammate's publish was pulled). */
  | { type: 'runbooks-changed' }
  | { type: 'sync-changed' }
  /** Who is looking at this incident changed (or is no longer known: the hub went away); ask presence.get. */
  | { type: 'presence-changed'; incidentId: string }
  /** A teammate's profile (or our own) changed; ask profiles.list. */
  | { type: 'profiles-changed' }
  /** The team's update cadence changed (a pull from the hub); ask cadence.get, and re-read due times. */
  | { type: 'cadence-changed' }
  /** The team's SLO changed (a pull from the hub); reports measure against it (reports.slo.get). */
  | { type: 'slo-changed' };

/**
 * Pushed by the desktop shell (Electron only) through the same bridge as CoreNotification:
 * a conn://incident/INC-XXXXXX link was opened, or the quick-note hotkey was pressed.
 * The renderer focuses that incident, or the active incident's "Add to timeline" box.
 */
export type ShellNotification = { type: 'open-incident'; ref: string } | { type: 'quick-note' };

/**
 * Methods the Electron shell answers itself (not the core), sent through `connBridge.send` like
 * any RpcRequest; the browser host answers them with a "not-found" error.
 *   shell.appInfo {} → { version, platform, electron }
 *   shell.openExternal { url } — https only, opened in the person's browser
 *   shell.setHubToken { token } / shell.clearHubToken {} — kept encrypted with safeStorage
 *   shell.restartToUpdate {} — installs a downloaded update unless an incident is active
 *   shell.systemAudio {} → SystemAudioSupport — whether Record can also take this computer's sound
 *   shell.armSystemAudio {} → { armed } — lets the next getDisplayMedia (within seconds) capture it
 */
export { SHELL_METHOD_NAMES, type ShellMethod } from './bridge.js';

/** Whether this computer's sound (the other participants of a call) can be recorded, and in one sentence why (not). */
export interface SystemAudioSupport {
  available: boolean;
  reason: string;
}

/** The browser build has no desktop shell: what the Record option says there. */
export const SYSTEM_AUDIO_BROWSER_REASON = "The computer's sound can only be recorded in the desktop app on Windows or macOS 15+.";

/** What each shell method takes. */
export interface ShellParams {
  'shell.appInfo': Record<string, never>;
  'shell.openExternal': { url: string };
  'shell.setHubToken': { token: string };
  'shell.clearHubToken': Record<string, never>;
  'shell.restartToUpdate': Record<string, never>;
  'shell.systemAudio': Record<string, never>;
  'shell.armSystemAudio': Record<string, never>;
}

/** What each shell method answers. */
export interface ShellResults {
  'shell.appInfo': { version: string; platform: string; electron: string };
  'shell.openExternal': null;
  'shell.setHubToken': null;
  'shell.clearHubToken': null;
  'shell.restartToUpdate': { restarting: boolean; reason: string };
  'shell.systemAudio': SystemAudioSupport;
  'shell.armSystemAudio': { armed: boolean };
}

// Defined beside the bridge so the sandboxed preload can use it without bundling zod.
export { MAX_RPC_BYTES } from './bridge.js';
