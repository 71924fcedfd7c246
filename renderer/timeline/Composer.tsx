import { useEffect, useRef, useState } from 'react';
import type { EventKind } from '../../shared/domain/events.js';
import { useCockpitStore } from '../stores/cockpit-store.js';
import { useSyncStore } from '../stores/sync-store.js';
import { useTimelineStore } from '../stores/timeline-store.js';
import { useUiStore } from '../stores/ui-store.js';

export const QUICK_KINDS: Array<{ kind: EventKind; label: string }> = [
  { kind: 'note', label: 'Note' },
  { kind: 'decision', label: 'Decision' },
  { kind: 'hypothesis', label: 'Hypothesis' },
  { kind: 'action.added', label: 'Action' },
  // A quick update with no audience; "Post update…" in the palette drafts one for an audience.
  { kind: 'update.posted', label: 'Update' },
];

/** Said when Enter is pressed while this window has no core to save to. */
export const NO_CORE_SENTENCE = 'Not saved: this window has lost its connection to Conn. Your text is kept here; press Enter again once the banner is gone.';

/**
 * Enter adds the entry, Shift+Enter starts a new line. Alt+1…5 picks the kind (here, or
 * anywhere outside a text field), so a scribe on a call never reaches for the mouse. Enter is
 * never silent: a write that fails says why under the box, and the draft stays.
 */
export function Composer() {
  const [text, setText] = useState('');
  const kind = useUiStore((s) => s.composerKind);
  const setKind = useUiStore((s) => s.setComposerKind);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
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
    if (!useSyncStore.getState().coreConnected) {
      setFailure(NO_CORE_SENTENCE);
      return;
    }
    setBusy(true);
    setFailure(null);
    try {
      await append(kind, { text: body });
      setText('');
      if (useTimelineStore.getState().hasAfter) await jumpToNewest();
    } catch (e) {
      // The draft stays so nothing typed is lost; the sentence says what to do.
      setFailure(`Not saved: ${(e as Error).message}`);
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
        aria-describedby={failure ? 'composer-failure' : undefined}
        placeholder={`Add ${kind === 'update.posted' || kind === 'action.added' ? 'an' : 'a'} ${QUICK_KINDS.find((k) => k.kind === kind)?.label.toLowerCase() ?? 'note'} — Enter to add, Shift+Enter for a new line, Esc to leave`}
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
      {failure && (
        <p id="composer-failure" role="alert" className="composer-failure">
          {failure}
        </p>
      )}
    </div>
  );
}
