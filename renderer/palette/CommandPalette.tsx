import { Command } from 'cmdk';
import { useMemo, useRef, useState, type RefObject } from 'react';
import { useModalDialog } from '../dialogs/use-modal-dialog.js';
import { useUiStore } from '../stores/ui-store.js';
import { paletteCommands, type PaletteCommand } from './commands.js';
import { rankCommands } from './rank-commands.js';

const GROUPS = ['Incident', 'Actions', 'Go to'] as const;

/**
 * Ctrl/Cmd+K. A modal <dialog> around cmdk's list: focus stays inside, Escape closes it, and
 * focus goes back to where it was, so the palette never strands a keyboard user. A command
 * runs once the palette has closed, so a dialog it opens (a confirmation) returns focus there too.
 */
export function CommandPalette({ openIncident }: { openIncident: (id: string) => void }) {
  const open = useUiStore((s) => s.paletteOpen);
  const initialSearch = useUiStore((s) => s.paletteSearch);
  const setOpen = useUiStore((s) => s.setPaletteOpen);
  const inputRef = useRef<HTMLInputElement>(null);
  const { afterClose, dialogProps } = useModalDialog(open, () => inputRef.current, () => setOpen(false));

  const run = (c: PaletteCommand) => {
    afterClose(c.run);
    setOpen(false);
  };

  return (
    <dialog {...dialogProps} className="palette" aria-label="Command palette">
      {open && <PaletteBody initialSearch={initialSearch} inputRef={inputRef} openIncident={openIncident} onRun={run} />}
    </dialog>
  );
}

/**
 * The list, mounted while the palette is open. cmdk's own filter is off (shouldFilter={false}):
 * its fuzzy match let "role" select "Set status: resolved". rankCommands decides what is shown
 * and in which order, and cmdk selects the first row, which that ranking never makes a write
 * the query did not name.
 */
function PaletteBody({
  initialSearch,
  inputRef,
  openIncident,
  onRun,
}: {
  initialSearch: string;
  inputRef: RefObject<HTMLInputElement | null>;
  openIncident: (id: string) => void;
  onRun: (c: PaletteCommand) => void;
}) {
  const [search, setSearch] = useState(initialSearch);
  // Built once per opening, from the stores as they are now.
  const commands = useMemo(() => paletteCommands(openIncident), [openIncident]);
  const ranked = useMemo(() => rankCommands(search, commands), [search, commands]);

  const item = (c: PaletteCommand) => (
    <Command.Item key={c.id} value={c.id} onSelect={() => onRun(c)}>
      <span>{c.label}</span>
      {c.shortcut && <kbd>{c.shortcut}</kbd>}
    </Command.Item>
  );

  return (
    <Command label="Command palette" loop shouldFilter={false}>
      <Command.Input ref={inputRef} placeholder="Type a command or an incident…" aria-label="Command" value={search} onValueChange={setSearch} />
      <Command.List>
        <Command.Empty>No matching command.</Command.Empty>
        {search.trim() ? (
          // Best match first, whatever its group: the order is the ranking.
          <Command.Group heading="Best matches">{ranked.map(item)}</Command.Group>
        ) : (
          GROUPS.map((g) => {
            const items = ranked.filter((c) => c.group === g);
            return items.length ? (
              <Command.Group key={g} heading={g}>
                {items.map(item)}
              </Command.Group>
            ) : null;
          })
        )}
      </Command.List>
    </Command>
  );
}
