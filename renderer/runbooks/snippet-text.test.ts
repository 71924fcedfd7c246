import { describe, expect, it } from 'vitest';
import { readableSnippet } from './snippet-text.js';

const text = (segments: Array<{ text: string; hit: boolean }>) => segments.map((s) => (s.hit ? `[${s.text}]` : s.text)).join('');

describe('runbook search snippets read as text, not Markdown source', () => {
  it('drops heading, emphasis, code and list markers, keeping the words and the hits', () => {
    const out = readableSnippet([
      { text: '## Before\n- check ', hit: false },
      { text: 'deploy', hit: true },
      { text: ' in **`deploy.log`** and _then_ see [the dashboard](https://grafana.example.com/d/1)', hit: false },
    ]);
    expect(text(out)).toBe('Before · • check [deploy] in deploy.log and then see the dashboard');
  });

  it('leaves snake_case names and arithmetic alone', () => {
    expect(text(readableSnippet([{ text: 'set max_pool_size to 2*n', hit: false }]))).toBe('set max_pool_size to 2*n');
  });
});
