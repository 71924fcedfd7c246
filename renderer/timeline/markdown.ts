import DOMPurify from 'dompurify';
import { marked } from 'marked';

/*
 * Entry text is Markdown from anyone on the team, pasted from anywhere. It is parsed with
 * marked and then sanitised with DOMPurify, which removes event handlers (<img onerror>),
 * scripts, and javascript:/data: URLs in links. Inline styles go too: the CSP forbids them.
 */
const PURIFY = {
  FORBID_TAGS: ['style', 'form', 'input', 'button', 'textarea', 'select', 'iframe', 'object', 'embed'],
  FORBID_ATTR: ['style'],
  ALLOWED_URI_REGEXP: /^(?:https?:|mailto:|#)/i,
};

let hooked = false;
function hookLinks(): void {
  if (hooked) return;
  hooked = true;
  // Links open outside the cockpit and never tell the target where they came from.
  DOMPurify.addHook('afterSanitizeAttributes', (node) => {
    if (node.tagName === 'A') {
      node.setAttribute('target', '_blank');
      node.setAttribute('rel', 'noopener noreferrer');
    }
  });
}

export function renderMarkdown(text: string): string {
  hookLinks();
  const html = marked.parse(text, { async: false, gfm: true, breaks: true });
  return DOMPurify.sanitize(html, PURIFY);
}

/** One line of Markdown (a checklist step) without the paragraph around it, sanitised the same way. */
export function renderMarkdownInline(text: string): string {
  hookLinks();
  return DOMPurify.sanitize(marked.parseInline(text, { async: false, gfm: true }), PURIFY);
}
