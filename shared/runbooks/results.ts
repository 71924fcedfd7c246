import type { RunbookDocument } from './document.js';
import type { RunbookStepDef } from './steps.js';

/*
 * What the runbook methods return, over RPC and to the CLI. Plain JSON: snippets are split
 * into segments so no caller ever has to render stored Markdown as HTML to show a highlight.
 */

/** The front-matter fields of the head version, plus what the library knows about it. */
export interface RunbookSummary extends Pick<RunbookDocument, 'name' | 'title' | 'services' | 'tags' | 'owner' | 'lastVerified'> {
  /** Stable across versions and replicas; `runbook.attached` events carry it. */
  runbookId: string;
  stale: boolean;
  version: number;
  hash: string;
  author: string;
  updatedAt: string;
  stepCount: number;
}

export interface RunbookVersionInfo {
  version: number;
  hash: string;
  author: string;
  createdAt: string;
}

/** One version of a runbook in full: its Markdown and the checklist its task items make. */
export interface RunbookDetail extends RunbookSummary {
  /** The version shown, which may be older than the head (`headVersion`). */
  headVersion: number;
  content: string;
  body: string;
  steps: RunbookStepDef[];
  versions: RunbookVersionInfo[];
}

export interface SnippetSegment {
  text: string;
  hit: boolean;
}

export interface SearchHit extends RunbookSummary {
  /** bm25 score: lower is a better match. */
  rank: number;
  snippet: SnippetSegment[];
}

export interface Suggestion {
  name: string;
  title: string;
  stale: boolean;
  /** Why it was suggested, e.g. "service payments-db", "title: failover". */
  reasons: string[];
}

export type ImportOutcome = 'added' | 'updated' | 'unchanged';

export interface ImportReport {
  added: Array<{ file: string; name: string; version: number }>;
  updated: Array<{ file: string; name: string; version: number }>;
  unchanged: Array<{ file: string; name: string; version: number }>;
  rejected: Array<{ file: string; reason: string }>;
}

/** Splits a snippet made with the HIT_START/HIT_END markers into plain-text segments. */
export const HIT_START = '\u0002';
export const HIT_END = '\u0003';
export function snippetSegments(s: string): SnippetSegment[] {
  const out: SnippetSegment[] = [];
  let hit = false;
  // split with a capture group keeps the markers, so each one toggles the state.
  // eslint-disable-next-line no-control-regex -- the markers are control characters on purpose: they never occur in text
  for (const part of s.split(/([\u0002\u0003])/)) {
    if (part === HIT_START) hit = true;
    else if (part === HIT_END) hit = false;
    else if (part) out.push({ text: part, hit });
  }
  return out;
}
