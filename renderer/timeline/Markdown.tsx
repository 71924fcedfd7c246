import { useMemo } from 'react';
import { renderMarkdown } from './markdown.js';

/** Sanitised Markdown; see markdown.ts for what is removed and why. */
export function Markdown({ text }: { text: string }) {
  const html = useMemo(() => renderMarkdown(text), [text]);
  return <div className="md" dangerouslySetInnerHTML={{ __html: html }} />;
}
