import { useChangeStore } from '../changes/change-store.js';
import { useSearchStore } from '../search/search-store.js';
import { useUiStore } from '../stores/ui-store.js';
import { useUpdatesStore } from '../updates/updates-store.js';
import { useCallsStore } from '../calls/calls-store.js';

/*
 * Whether any modal dialog is open: the page behind is then inert, and single-key shortcuts
 * and Ctrl/Cmd+Z leave the keys to the dialog.
 */

type UiFlags = {
  paletteOpen: boolean;
  declareOpen: boolean;
  hubOpen: boolean;
  roleOpen: boolean;
  handoffOpen: boolean;
  editOpen: boolean;
  milestoneOpen: unknown;
  actionOpen: unknown;
  chooser: unknown;
  profileOpen: boolean;
  helpOpen: boolean;
};

function open(ui: UiFlags, confirming: boolean): boolean {
  return (
    ui.paletteOpen || ui.declareOpen || ui.hubOpen || ui.roleOpen || ui.handoffOpen || ui.editOpen || ui.milestoneOpen !== null || ui.actionOpen !== null || ui.chooser !== null || ui.profileOpen || ui.helpOpen || confirming
  );
}

export function anyModalOpen(): boolean {
  // Any modal <dialog> in the page counts, including ones whose flag lives outside these stores.
  if (typeof document !== 'undefined' && document.querySelector('dialog:modal')) return true;
  return open(useUiStore.getState(), useChangeStore.getState().pending !== null) || useUpdatesStore.getState().dialogOpen || useCallsStore.getState().dialog !== null || useSearchStore.getState().open !== null;
}

export function useAnyModalOpen(): boolean {
  const ui = useUiStore((s) => open(s, false));
  const confirming = useChangeStore((s) => s.pending !== null);
  const updating = useUpdatesStore((s) => s.dialogOpen);
  const calls = useCallsStore((s) => s.dialog !== null);
  const searching = useSearchStore((s) => s.open !== null);
  return ui || confirming || updating || calls || searching;
}
