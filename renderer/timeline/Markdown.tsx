import { useMemo } from 'react';
import { renderMarkdown, renderMarkdownInline } from './markdown.js';

/** Sanitised Markdown; see markdown.ts for what is removed and why. `inline` renders one line, in a span. */
export function Markdown({ text, inline = false }: { text: string; inline?: boolean }) {
  const html = useMemo(() => (inline ? renderMarkdownInline(text) : renderMarkdown(text)), [text, inline]);
  return inline ? <span className="md md-inline" dangerouslySetInnerHTML={{ __html: html }} /> : <div className="md" dangerouslySetInnerHTML={{ __html: html }} />;
}
