import { useEffect, useRef, useState } from 'react';
import type { EventKind } from '../../shared/domain/events.js';
import { useCockpitStore } from '../stores/cockpit-store.js';
import { useTimelineStore } from '../stores/timeline-store.js';
import { useUiStore } from '../stores/ui-store.js';

const QUICK_KINDS: Array<{ kind: EventKind; label: string }> = [
  { kind: 'note', label: 'Note' },
  { kind: 'decision', label: 'Decision' },
  { kind: 'hypothesis', label: 'Hypothesis' },
  { kind: 'action.added', label: 'Action' },
  // A quick update with no audience; "Post update…" in the palette drafts one for an audience.
  { kind: 'update.posted', label: 'Update' },
];

/**
 * Enter adds the entry, Shift+Enter starts a new line. Alt+1…5 picks the kind without leaving
 * the text box, so a scribe on a call never reaches for the mouse.
 */
export function Composer() {
  const [text, setText] = useState('');
  const [kind, setKind] = useState<EventKind>('note');
  const [busy, setBusy] = useState(false);
  const ref = useRef<HTMLTextAreaElement>(null);
  const append = useCockpitStore((s) => s.append);
  const jumpToNewest = useTimelineStore((s) => s.jumpToNewest);
  const focusSeq = useUiStore((s) => s.composerFocus);

  useEffect(() => {
    ref.current?.focus();
  }, [focusSeq]);

  async function submit() {
    const body = text.trim();
    if (!body || busy) return;
    setBusy(true);
    try {
      await append(kind, { text: body });
      setText('');
      if (useTimelineStore.getState().hasAfter) await jumpToNewest();
    } catch {
      // The cockpit shows the core's sentence; the draft stays so nothing typed is lost.
    } finally {
      setBusy(false);
      ref.current?.focus();
    }
  }

  return (
    <div className="composer">
      <div role="radiogroup" aria-label="Entry kind" className="kinds">
        {QUICK_KINDS.map((k, i) => (
          <label key={k.kind} className="chip" title={`Alt+${i + 1}`}>
            <input type="radio" name="entry-kind" value={k.kind} checked={kind === k.kind} onChange={() => setKind(k.kind)} />
            {k.label}
          </label>
        ))}
      </div>
      <textarea
        ref={ref}
        aria-label="Add to timeline"
        placeholder={`Add ${kind === 'update.posted' || kind === 'action.added' ? 'an' : 'a'} ${QUICK_KINDS.find((k) => k.kind === kind)?.label.toLowerCase()} — Enter to add, Shift+Enter for a new line, Markdown welcome`}
        value={text}
        rows={2}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
            e.preventDefault();
            void submit();
          } else if (e.altKey && ['1', '2', '3', '4', '5'].includes(e.key)) {
            e.preventDefault();
            setKind(QUICK_KINDS[Number(e.key) - 1]!.kind);
          }
        }}
      />
    </div>
  );
}
