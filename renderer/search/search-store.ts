import { create } from 'zustand';

/** Which search dialog is open: "/" searches the open incident's timeline; the other, every incident. */
export type SearchDialog = 'timeline' | 'incidents';

interface SearchState {
  open: SearchDialog | null;
  setOpen(open: SearchDialog | null): void;
}

export const useSearchStore = create<SearchState>()((set) => ({
  open: null,
  setOpen: (open) => set({ open }),
}));
