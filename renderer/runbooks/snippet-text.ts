import type { SnippetSegment } from '../../shared/runbooks/results.js';

/**
 * A search snippet as a reader sees the runbook, not as its source reads: "## Before" becomes
 * "Before", **bold** and `code` lose their markers, [a link](url) keeps its words. The segments
 * (and so the highlighted words) stay as the core cut them; only Markdown syntax is dropped.
 * The result is still shown as text, never as HTML.
 */
export function readableSnippet(segments: readonly SnippetSegment[]): SnippetSegment[] {
  return segments
    .map((s) => ({
      hit: s.hit,
      text: s.text
        .replace(/(^|\n)\s{0,3}#{1,6}\s+/g, '$1')
        .replace(/(^|\n)\s*(?:[-*+]|\d+[.)])\s+/g, '$1• ')
        .replace(/(^|\n)\s*>\s?/g, '$1')
        .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
        .replace(/(\*\*|__|~~|`+)/g, '')
        .replace(/(^|[\s(])[*_]([^*_\s])/g, '$1$2')
        .replace(/([^*_\s])[*_](?=$|[\s).,;:!?])/g, '$1')
        .replace(/\s*\n\s*/g, ' · '),
    }))
    .filter((s) => s.text !== '');
}
