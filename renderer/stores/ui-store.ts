import { create } from 'zustand';
import type { EventKind, Milestone } from '../../shared/domain/events.js';

export type View = 'list' | 'wall' | 'cockpit' | 'runbooks' | 'digest' | 'followup' | 'retro' | 'reports';

/** What a roster row asks of the role dialog: that role, to someone or to nobody. */
export interface RoleTarget {
  role: string;
  unassign: boolean;
}

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
  /** The row it was opened from; null from the palette, which lets the person pick the role. */
  roleTarget: RoleTarget | null;
  /** The "Edit incident" dialog (renderer/incidents/EditIncidentDialog.tsx). */
  editOpen: boolean;
  /** The milestone being set by hand (renderer/cockpit/MilestoneDialog.tsx). */
  milestoneOpen: Milestone | null;
  /** The action item being re-assigned or re-dated, by id (renderer/cockpit/ActionDialog.tsx). */
  actionOpen: string | null;
  declareOpen: boolean;
  /** The "Hub connection" dialog (renderer/sync/HubDialog.tsx). */
  hubOpen: boolean;
  /** The "Hand off" dialog (renderer/cockpit/HandoffDialog.tsx). */
  handoffOpen: boolean;
  /** Bumped to ask the composer to take focus (from a shortcut or the palette). */
  composerFocus: number;
  /** The composer's entry kind (Alt+1…4, in the composer or anywhere outside a text field). */
  composerKind: EventKind;
  /** j/k outside a text field: move the timeline's focus by `delta` rows (bumps `seq`). */
  timelineMove: { delta: number; seq: number };
  /** The profile dialog (renderer/profile/ProfileDialog.tsx); also shown on first run. */
  profileOpen: boolean;
  /** The keyboard shortcuts list (?). */
  helpOpen: boolean;
  setView(view: View): void;
  toggleUtc(): void;
  toggleWall(): void;
  setPaletteOpen(open: boolean, search?: string): void;
  setChooser(chooser: 'status' | 'severity' | null): void;
  setRoleOpen(open: boolean, target?: RoleTarget): void;
  setEditOpen(open: boolean): void;
  setMilestoneOpen(milestone: Milestone | null): void;
  setActionOpen(actionId: string | null): void;
  /** Closes the dialogs that act on the open incident, when another one opens under them. */
  closeIncidentDialogs(): void;
  setDeclareOpen(open: boolean): void;
  setHubOpen(open: boolean): void;
  setHandoffOpen(open: boolean): void;
  focusComposer(): void;
  setComposerKind(kind: EventKind): void;
  moveInTimeline(delta: number): void;
  setProfileOpen(open: boolean): void;
  setHelpOpen(open: boolean): void;
}

export const useUiStore = create<UiState>()((set, get) => ({
  view: 'list',
  showUtc: false,
  paletteOpen: false,
  paletteSearch: '',
  chooser: null,
  roleOpen: false,
  roleTarget: null,
  editOpen: false,
  milestoneOpen: null,
  actionOpen: null,
  declareOpen: false,
  hubOpen: false,
  handoffOpen: false,
  composerFocus: 0,
  composerKind: 'note',
  timelineMove: { delta: 0, seq: 0 },
  profileOpen: false,
  helpOpen: false,
  setView: (view) => set({ view }),
  toggleUtc: () => set({ showUtc: !get().showUtc }),
  toggleWall: () => set({ view: get().view === 'wall' ? 'list' : 'wall' }),
  setPaletteOpen: (paletteOpen, paletteSearch = '') => set({ paletteOpen, paletteSearch }),
  setChooser: (chooser) => set({ chooser }),
  // Closing keeps the target, so the dialog does not change its words while it closes.
  setRoleOpen: (roleOpen, target) => set(roleOpen ? { roleOpen, roleTarget: target ?? null } : { roleOpen }),
  setEditOpen: (editOpen) => set({ editOpen }),
  setMilestoneOpen: (milestoneOpen) => set({ milestoneOpen }),
  setActionOpen: (actionOpen) => set({ actionOpen }),
  closeIncidentDialogs: () => set({ roleOpen: false, editOpen: false, milestoneOpen: null, actionOpen: null, handoffOpen: false }),
  setDeclareOpen: (declareOpen) => set({ declareOpen }),
  setHubOpen: (hubOpen) => set({ hubOpen }),
  setHandoffOpen: (handoffOpen) => set({ handoffOpen }),
  focusComposer: () => set({ composerFocus: get().composerFocus + 1 }),
  setComposerKind: (composerKind) => set({ composerKind }),
  moveInTimeline: (delta) => set({ timelineMove: { delta, seq: get().timelineMove.seq + 1 } }),
  setProfileOpen: (profileOpen) => set({ profileOpen }),
  setHelpOpen: (helpOpen) => set({ helpOpen }),
}));
