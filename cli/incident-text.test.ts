import { describe, expect, it } from 'vitest';
import type { TimelineItem } from '../shared/domain/fold.js';
import { incidentListText, timelineRowText } from './incident-text.js';

const ESC = '\u001b';
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;
// A teammate's note that would retitle the terminal and write the clipboard (OSC 52), and a name with a CSI.
const hostile = `ok${ESC}]0;pwned\u0007${ESC}]52;c;cm0gLXJmIH4=\u0007 \u009b2J`;

describe('what the CLI prints for people', () => {
  it('carries no control characters from a teammate into a timeline row', () => {
    const item = {
      id: '0190a5c4-0000-7000-8000-0000abcdef01', incidentId: 'i', kind: 'note', hlc: 'h', at: '2026-11-28T08:00:00.000Z',
      author: { id: 'p', name: `bo${ESC}[8m` }, text: hostile, pinned: false, edited: false, redacted: false, redactedReason: null,
    } as unknown as TimelineItem;
    const row = timelineRowText(item, 'UTC');
    expect(row).not.toMatch(CONTROL);
    expect(row).toContain('ok]0;pwned]52;c;cm0gLXJmIH4= 2J');
  });

  it('carries no control characters from a title into the incident list', () => {
    const text = incidentListText(
      [{ id: 'i', ref: 'INC-7KQ2XM', title: hostile, severity: 2, status: 'triage', declaredAt: '2026-11-28T08:00:00.000Z', updatedAt: null, eventCount: 1 }],
      'UTC',
      Date.parse('2026-11-28T09:00:00.000Z'),
    );
    expect(text).not.toMatch(CONTROL);
  });
});
