import { useEffect } from 'react';
import { useUiStore } from '../stores/ui-store.js';

/** Single-key shortcuts, shown in the palette. They never fire while typing in a field. */
export const SHORTCUTS: Array<{ key: string; what: string }> = [
  { key: 'Ctrl/Cmd+K', what: 'Command palette' },
  { key: 'N', what: 'Declare incident' },
  { key: 'C or /', what: 'Focus the composer' },
  { key: 'S', what: 'Change status' },
  { key: 'V', what: 'Change severity' },
  { key: 'I', what: 'Switch incident' },
  { key: 'U', what: 'Toggle UTC' },
  { key: 'W', what: 'Toggle wall view' },
  { key: 'L', what: 'Incident list' },
];

function typing(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
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
      if (e.ctrlKey || e.metaKey || e.altKey || typing(e.target) || ui.paletteOpen || ui.declareOpen || ui.hubOpen) return;
      const inCockpit = ui.view === 'cockpit';
      switch (e.key.toLowerCase()) {
        case 'n':
          ui.setDeclareOpen(true);
          break;
        case 'c':
        case '/':
          if (!inCockpit) return;
          ui.focusComposer();
          break;
        case 's':
          if (!inCockpit) return;
          ui.setPaletteOpen(true, 'Set status');
          break;
        case 'v':
          if (!inCockpit) return;
          ui.setPaletteOpen(true, 'Set severity');
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
