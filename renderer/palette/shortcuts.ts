import { useEffect } from 'react';
import { useUndoStore } from '../changes/undo-store.js';
import { anyModalOpen } from '../dialogs/modal-state.js';
import { useSearchStore } from '../search/search-store.js';
import { focusHome } from '../keyboard/focus-home.js';
import { useUiStore } from '../stores/ui-store.js';
import { QUICK_KINDS } from '../timeline/Composer.js';

/** Single-key shortcuts, shown in the palette. They never fire while typing in a field. */
export const SHORTCUTS: Array<{ key: string; what: string }> = [
  { key: 'Ctrl/Cmd+K', what: 'Command palette' },
  { key: 'N', what: 'Declare incident' },
  { key: 'C', what: 'Focus the composer' },
  { key: '/', what: 'Search this timeline' },
  { key: 'Esc', what: 'Leave a text field (focus goes to the timeline)' },
  { key: 'J / K', what: 'Next / previous timeline entry' },
  { key: 'P / E / Enter', what: 'Pin, edit or open the focused entry' },
  { key: 'Alt+1…5', what: 'Note, decision, hypothesis, action, stakeholder update (and focus the composer)' },
  { key: '?', what: 'Keyboard shortcuts' },
  { key: 'S', what: 'Change status (opens on the current one)' },
  { key: 'V', what: 'Change severity (opens on the current one)' },
  { key: 'Ctrl/Cmd+Z', what: 'Undo a status or severity change while its toast shows' },
  { key: 'I', what: 'Switch incident' },
  { key: 'U', what: 'Toggle UTC' },
  { key: 'W', what: 'Toggle wall view' },
  { key: 'L', what: 'Incident list' },
];

function typing(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

/** A text field with text in it keeps Ctrl/Cmd+Z for its own text undo. */
function editingText(target: EventTarget | null): boolean {
  if (target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement) return target.value !== '';
  return target instanceof HTMLElement && target.isContentEditable;
}

export function useShortcuts(): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const ui = useUiStore.getState();
      if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'k') {
        e.preventDefault();
        ui.setPaletteOpen(!ui.paletteOpen);
        return;
      }
      if ((e.ctrlKey || e.metaKey) && !e.shiftKey && !e.altKey && e.key.toLowerCase() === 'z') {
        if (!useUndoStore.getState().offer || anyModalOpen() || editingText(e.target)) return;
        e.preventDefault();
        void useUndoStore.getState().undo();
        return;
      }
      // Esc leaves any field outside a dialog (a dialog's own Esc closes it): the keys are then shortcuts again.
      if (e.key === 'Escape' && typing(e.target) && !anyModalOpen()) {
        e.preventDefault();
        (e.target as HTMLElement).blur();
        focusHome();
        return;
      }
      const inCockpit = ui.view === 'cockpit';
      // Alt+1…5 outside a text field picks the composer's kind and puts the caret there.
      if (e.altKey && !e.ctrlKey && !e.metaKey && /^Digit[1-5]$/.test(e.code) && inCockpit && !typing(e.target) && !anyModalOpen()) {
        e.preventDefault();
        ui.setComposerKind(QUICK_KINDS[Number(e.code.slice(5)) - 1]!.kind);
        ui.focusComposer();
        return;
      }
      if (e.ctrlKey || e.metaKey || e.altKey || typing(e.target) || anyModalOpen()) return;
      // "?" is Shift+/ on most layouts: checked before the letters, whatever Shift says.
      if (e.key === '?') {
        e.preventDefault();
        ui.setHelpOpen(true);
        return;
      }
      switch (e.key.toLowerCase()) {
        case 'n':
          ui.setDeclareOpen(true);
          break;
        // "/" is left to the timeline search.
        case 'c':
          if (!inCockpit) return;
          ui.focusComposer();
          break;
        case '/':
          if (!inCockpit) return;
          useSearchStore.getState().setOpen('timeline');
          break;
        // A chooser on the current value, not the palette: its first row would be a write.
        case 's':
          if (!inCockpit) return;
          ui.setChooser('status');
          break;
        case 'v':
          if (!inCockpit) return;
          ui.setChooser('severity');
          break;
        case 'j':
        case 'k':
          if (!inCockpit) return;
          ui.moveInTimeline(e.key.toLowerCase() === 'j' ? 1 : -1);
          break;
        case 'i':
          ui.setPaletteOpen(true, 'Open INC');
          break;
        case 'u':
          ui.toggleUtc();
          break;
        case 'w':
          ui.toggleWall();
          break;
        case 'l':
          ui.setView('list');
          break;
        default:
          return;
      }
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
