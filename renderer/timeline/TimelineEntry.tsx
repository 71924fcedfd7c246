import { useState, type KeyboardEvent } from 'react';
import { isTextKind } from '../../shared/domain/events.js';
import type { TimelineItem } from '../../shared/domain/fold.js';
import { useCockpitStore } from '../stores/cockpit-store.js';
import { Time } from '../time/Time.js';
import { Markdown } from './Markdown.js';
import { DeliveryState } from '../updates/DeliveryState.js';

const KIND_LABEL: Partial<Record<string, string>> = {
  note: 'Note',
  decision: 'Decision',
  hypothesis: 'Hypothesis',
  'action.added': 'Action',
  'update.posted': 'Update',
  'minutes.written': 'Minutes',
  'handoff.offered': 'Hand-off',
};

type Mode = 'view' | 'edit' | 'redact';

/** One row: who, when, what; and for free-text entries, pin, edit and redact. */
export function TimelineEntry({ item }: { item: TimelineItem }) {
  const append = useCockpitStore((s) => s.append);
  const settleRefused = useCockpitStore((s) => s.settleRefused);
  const [mode, setMode] = useState<Mode>('view');
  const [draft, setDraft] = useState('');
  const text = isTextKind(item.kind);

  const submitOn = (e: KeyboardEvent<HTMLTextAreaElement | HTMLInputElement>, save: () => Promise<void>) => {
    if (e.key === 'Escape') {
      e.stopPropagation();
      setMode('view');
    } else if (e.key === 'Enter' && !e.shiftKey) {
      e.preventDefault();
      if (draft.trim()) void save().then(() => setMode('view'), () => {});
    }
  };

  return (
    <div className={`entry kind-${item.kind.replace('.', '-')}${item.pinned ? ' pinned' : ''}${item.refused ? ' refused' : ''}`}>
      <div className="entry-meta">
        <Time iso={item.at} />
        <span className="author">{item.author.name}</span>
        <span className="kind">{KIND_LABEL[item.kind] ?? 'Event'}</span>
        {item.pinned && <span className="badge">pinned</span>}
        {item.edited && (
          <span className="badge">{item.editedBy && item.editedBy !== item.author.name ? `edited by ${item.editedBy}` : 'edited'}</span>
        )}
      </div>
      {item.refused && (
        // Honest optimism: what the hub refused is shown as refused, never left looking saved.
        <div className="refused-note" role="note">
          <strong>Refused by the hub</strong> and left out of the incident: {item.refused.message}
          <div className="entry-actions">
            <button type="button" onClick={() => void settleRefused(item.id, 'resend')}>
              Resend
            </button>
            <button type="button" onClick={() => void settleRefused(item.id, 'discard')}>
              Discard
            </button>
          </div>
        </div>
      )}
      {item.redacted ? (
        <p className="redacted">Redacted{item.redactedReason ? `: ${item.redactedReason}` : ''}</p>
      ) : mode === 'edit' ? (
        <textarea
          aria-label="Edit entry"
          autoFocus
          value={draft}
          onChange={(e) => setDraft(e.target.value)}
          onKeyDown={(e) => submitOn(e, () => append('entry.edited', { target: item.id, text: draft.trim() }))}
        />
      ) : text ? (
        <Markdown text={item.text} />
      ) : (
        <p className="event-line">{item.text}</p>
      )}
      {item.kind === 'update.posted' && !item.refused && <DeliveryState updateId={item.id} />}
      {mode === 'redact' && (
        <input
          aria-label="Redaction reason"
          autoFocus
          placeholder="Why is this being redacted? Enter to confirm, Escape to cancel"
          value={draft}
          onChange={(e) => setDraft(e.target.value)}
          onKeyDown={(e) => submitOn(e, () => append('entry.redacted', { target: item.id, reason: draft.trim() }))}
        />
      )}
      {text && !item.redacted && !item.refused && mode === 'view' && (
        <div className="entry-actions">
          <button type="button" onClick={() => void append('entry.pinned', { target: item.id, pinned: !item.pinned }).catch(() => {})}>
            {item.pinned ? 'Unpin' : 'Pin'}
          </button>
          <button
            type="button"
            onClick={() => {
              setDraft(item.text);
              setMode('edit');
            }}
          >
            Edit
          </button>
          <button
            type="button"
            onClick={() => {
              setDraft('');
              setMode('redact');
            }}
          >
            Redact
          </button>
        </div>
      )}
    </div>
  );
}
