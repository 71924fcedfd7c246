import { useRef, useState, type KeyboardEvent } from 'react';
import { isTextKind } from '../../shared/domain/events.js';
import type { AttachedRunbook, TimelineItem } from '../../shared/domain/fold.js';
import { formatInZone, localClock } from '../../shared/time/zone.js';
import { useCockpitStore } from '../stores/cockpit-store.js';
import { Markdown } from './Markdown.js';
import { DeliveryState } from '../updates/DeliveryState.js';
import { runbookStepOf } from './row-text.js';
import { PlayFromHere } from '../calls/CallAudio.js';

const KIND_LABEL: Partial<Record<string, string>> = {
  note: 'Note',
  decision: 'Decision',
  hypothesis: 'Hypothesis',
  'action.added': 'Action',
  'update.posted': 'Update',
  'minutes.written': 'Minutes',
  'handoff.offered': 'Hand-off',
  'runbook.step-done': 'Runbook',
};

type Mode = 'view' | 'edit' | 'redact';

/** What the row's marker says about a write the hub has not acknowledged yet. */
export const PENDING_TITLE = 'Saved on this machine; the hub has not acknowledged it yet. It is sent when the hub is reachable.';

interface Props {
  item: TimelineItem;
  /** Saved here, not yet acknowledged by the hub. */
  pending: boolean;
  runbooks: readonly AttachedRunbook[];
  /** The zone times are shown in; the day separator above names it, so rows show only HH:mm. */
  zone: string;
  /** The list's one tab stop (roving focus). */
  tabbable: boolean;
  onFocusRow(): void;
}

/**
 * One row on one line where it fits: time, author, kind, text, and its markers. The row itself
 * is focusable (the timeline moves focus between rows with j/k); on it, p pins, e edits and
 * Enter opens the row's actions (Pin, Edit, Redact, or Resend and Discard for a refused entry),
 * which otherwise show on hover and focus only. Escape goes back to the row.
 */
export function TimelineEntry({ item, pending, runbooks, zone, tabbable, onFocusRow }: Props) {
  const append = useCockpitStore((s) => s.append);
  const settleRefused = useCockpitStore((s) => s.settleRefused);
  const [mode, setMode] = useState<Mode>('view');
  const [opened, setOpened] = useState(false);
  const [draft, setDraft] = useState('');
  const rowRef = useRef<HTMLDivElement>(null);
  const text = isTextKind(item.kind);
  const editable = text && !item.redacted && !item.refused;
  const step = item.kind === 'runbook.step-done' ? runbookStepOf(item.text, runbooks) : null;

  const backToRow = () => {
    setOpened(false);
    // After React has put the row back in view mode.
    requestAnimationFrame(() => rowRef.current?.focus());
  };

  const submitOn = (e: KeyboardEvent<HTMLTextAreaElement | HTMLInputElement>, save: () => Promise<void>) => {
    if (e.key === 'Escape') {
      e.stopPropagation();
      setMode('view');
      backToRow();
    } else if (e.key === 'Enter' && !e.shiftKey) {
      e.preventDefault();
      if (draft.trim()) void save().then(() => {
        setMode('view');
        backToRow();
      }, () => {});
    }
  };

  const togglePin = () => void append('entry.pinned', { target: item.id, pinned: !item.pinned }).catch(() => {});
  const startEdit = () => {
    setDraft(item.text);
    setMode('edit');
  };

  const onRowKey = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.target !== e.currentTarget || e.ctrlKey || e.metaKey || e.altKey) return;
    const key = e.key.toLowerCase();
    if (key === 'p' && editable) togglePin();
    else if (key === 'e' && editable) startEdit();
    else if (e.key === 'Enter') {
      setOpened(true);
      requestAnimationFrame(() => rowRef.current?.querySelector<HTMLElement>('.entry-actions button')?.focus());
    } else return;
    e.preventDefault();
    e.stopPropagation();
  };

  // Inside the row, actions are reached by Enter, not by Tab: the list stays one tab stop.
  const actionTab = opened ? 0 : -1;
  const kindLabel = KIND_LABEL[item.kind] ?? 'Event';
  return (
    <div
      ref={rowRef}
      data-entry-id={item.id}
      tabIndex={tabbable ? 0 : -1}
      onFocus={(e) => e.target === e.currentTarget && onFocusRow()}
      onKeyDown={onRowKey}
      onKeyDownCapture={(e) => {
        if (e.key === 'Escape' && opened && e.target !== rowRef.current && mode === 'view') {
          e.stopPropagation();
          backToRow();
        }
      }}
      className={`entry kind-${item.kind.replace('.', '-')}${item.pinned ? ' pinned' : ''}${item.refused ? ' refused' : ''}${opened ? ' opened' : ''}`}
    >
      <time className="entry-time" dateTime={item.at} title={`${formatInZone(item.at, 'UTC', { date: true })} (${zone} shown)`}>
        {localClock(new Date(item.at), zone)}
      </time>
      <span className="author" title={item.author.name}>
        {item.author.name}
      </span>
      <span className="kind">{kindLabel}</span>
      <div className="entry-body">
        {/* Before the words, so the row's hover actions (at its right end) never cover it. */}
        {!item.redacted && <PlayFromHere at={item.at} />}
        {item.refused && (
          // Honest optimism: what the hub refused is shown as refused, never left looking saved.
          <div className="refused-note" role="note">
            <strong>Refused by the hub</strong> and left out of the incident: {item.refused.message}
            <div className="entry-actions refused-actions">
              <button type="button" tabIndex={actionTab} onClick={() => void settleRefused(item.id, 'resend')}>
                Resend
              </button>
              <button type="button" tabIndex={actionTab} onClick={() => void settleRefused(item.id, 'discard')}>
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
        ) : step ? (
          <div className="event-line step-line">
            <span>{step.done ? 'Step done:' : 'Step reopened:'}</span> <Markdown text={step.text} inline />
          </div>
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
      </div>
      <span className="entry-flags">
        {pending && (
          <span className="badge pending-mark" title={PENDING_TITLE}>
            pending
          </span>
        )}
        {item.pinned && <span className="badge">pinned</span>}
        {item.edited && <span className="badge">{item.editedBy && item.editedBy !== item.author.name ? `edited by ${item.editedBy}` : 'edited'}</span>}
      </span>
      {editable && mode === 'view' && (
        <div className="entry-actions hover-actions">
          <button type="button" tabIndex={actionTab} aria-keyshortcuts="P" onClick={togglePin}>
            {item.pinned ? 'Unpin' : 'Pin'}
          </button>
          <button type="button" tabIndex={actionTab} aria-keyshortcuts="E" onClick={startEdit}>
            Edit
          </button>
          <button
            type="button"
            tabIndex={actionTab}
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
