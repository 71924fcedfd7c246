import type { SnippetSegment } from '../../shared/runbooks/results.js';
import { readableSnippet } from './snippet-text.js';

/** A search snippet: Markdown markers dropped, matches in <mark>, everything as text, so stored Markdown stays inert. */
export function Snippet({ segments }: { segments: SnippetSegment[] }) {
  return (
    <span className="runbook-snippet">
      {readableSnippet(segments).map((s, i) => (s.hit ? <mark key={i}>{s.text}</mark> : <span key={i}>{s.text}</span>))}
    </span>
  );
}
