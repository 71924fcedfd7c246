import type { SnippetSegment } from '../../shared/runbooks/results.js';

/** A search snippet: matches in <mark>, everything as text, so stored Markdown stays inert. */
export function Snippet({ segments }: { segments: SnippetSegment[] }) {
  return (
    <span className="runbook-snippet">
      {segments.map((s, i) => (s.hit ? <mark key={i}>{s.text}</mark> : <span key={i}>{s.text}</span>))}
    </span>
  );
}
