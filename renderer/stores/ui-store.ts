import { create } from 'zustand';

export type View = 'list' | 'wall' | 'cockpit' | 'runbooks';

/** What is on screen and which overlays are open; nothing here comes from the core. */
interface UiState {
  view: View;
  showUtc: boolean;
  paletteOpen: boolean;
  /** What the palette's search starts with, so a shortcut can open it on "Open INC". */
  paletteSearch: string;
  /** The status or severity chooser (S / V), which opens on the current value. */
  chooser: 'status' | 'severity' | null;
  /** The "Assign a role" dialog (renderer/cockpit/RoleDialog.tsx). */
  roleOpen: boolean;
  declareOpen: boolean;
  /** The "Hub connection" dialog (renderer/sync/HubDialog.tsx). */
  hubOpen: boolean;
  /** Bumped to ask the composer to take focus (from a shortcut or the palette). */
  composerFocus: number;
  setView(view: View): void;
  toggleUtc(): void;
  toggleWall(): void;
  setPaletteOpen(open: boolean, search?: string): void;
  setChooser(chooser: 'status' | 'severity' | null): void;
  setRoleOpen(open: boolean): void;
  setDeclareOpen(open: boolean): void;
  setHubOpen(open: boolean): void;
  focusComposer(): void;
}

export const useUiStore = create<UiState>()((set, get) => ({
  view: 'list',
  showUtc: false,
  paletteOpen: false,
  paletteSearch: '',
  chooser: null,
  roleOpen: false,
  declareOpen: false,
  hubOpen: false,
  composerFocus: 0,
  setView: (view) => set({ view }),
  toggleUtc: () => set({ showUtc: !get().showUtc }),
  toggleWall: () => set({ view: get().view === 'wall' ? 'list' : 'wall' }),
  setPaletteOpen: (paletteOpen, paletteSearch = '') => set({ paletteOpen, paletteSearch }),
  setChooser: (chooser) => set({ chooser }),
  setRoleOpen: (roleOpen) => set({ roleOpen }),
  setDeclareOpen: (declareOpen) => set({ declareOpen }),
  setHubOpen: (hubOpen) => set({ hubOpen }),
  focusComposer: () => set({ composerFocus: get().composerFocus + 1 }),
}));
