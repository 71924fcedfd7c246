import type { RetroDocument } from '../api/followup-methods.js';
import { retroSections, type RetroLine } from './retrospective.js';

/*
 * The retrospective as one self-contained HTML page: the export's HTML, and what the PDF is
 * printed from. Everything people wrote is escaped, never interpreted: a retrospective is read
 * outside Conn (mail, a wiki, a browser with no sanitiser), so a pasted <img onerror> or
 * <script> must arrive as text. Markdown is therefore shown as written, not rendered. The page
 * also forbids every script and remote load in its own CSP, and carries its CSS inline.
 */

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

/** Paragraphs on blank lines, line breaks kept: enough shape for prose without parsing Markdown. */
function paragraphs(text: string): string {
  return text
    .split(/\n\s*\n/)
    .map((p) => `<p>${escapeHtml(p.trim()).replace(/\n/g, '<br>')}</p>`)
    .join('\n');
}

function line(l: RetroLine): string {
  if (l.prompt) return `<li class="prompt">${escapeHtml(l.text)}</li>`;
  const tag = l.tag ? `<span class="tag tag-${escapeHtml(l.tag)}">${escapeHtml(l.tag)}</span> ` : '';
  return `<li>${tag}${escapeHtml(l.text).replace(/\n/g, '<br>')}</li>`;
}

// Readable on screen and on A4/Letter paper; no web fonts, no images, nothing fetched.
const CSS = `
  :root { color-scheme: light; }
  body { font: 11pt/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; color: #1a1a1a; max-width: 46rem; margin: 2rem auto; padding: 0 1rem; }
  h1 { font-size: 1.6rem; margin: 0 0 .25rem; }
  h2 { font-size: 1.15rem; margin: 1.6rem 0 .4rem; border-bottom: 1px solid #ddd; padding-bottom: .2rem; }
  .status { font-weight: 600; margin: 0; }
  .note { color: #555; font-style: italic; margin: .2rem 0 1rem; }
  ul { padding-left: 1.3rem; margin: .3rem 0; }
  li { margin: .15rem 0; }
  li.prompt { color: #666; font-style: italic; list-style: none; margin-left: -1.3rem; }
  .tag { display: inline-block; font-size: .8em; font-weight: 600; padding: 0 .4em; border-radius: .3em; background: #eef; color: #224; }
  .tag-done, .tag-confirmed { background: #e3f4e3; color: #174d17; }
  .tag-cancelled, .tag-ruled-out { background: #eee; color: #444; }
  @media print { body { margin: 0; max-width: none; } h2 { break-after: avoid; } li { break-inside: avoid; } }
`;

export function retroHtml(doc: RetroDocument, timeZone: string): string {
  const view = retroSections(doc, timeZone);
  const body = view.sections
    .map((sec) => [`<h2>${escapeHtml(sec.title)}</h2>`, sec.prose !== undefined ? paragraphs(sec.prose) : '', sec.lines.length ? `<ul>\n${sec.lines.map(line).join('\n')}\n</ul>` : ''].filter(Boolean).join('\n'))
    .join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(view.title)}</title>
<style>${CSS}</style>
</head>
<body>
<h1>${escapeHtml(view.title)}</h1>
<p class="status">${escapeHtml(view.status)}</p>
<p class="note">${escapeHtml(view.note)}</p>
${body}
</body>
</html>
`;
}
