import { Command } from 'cmdk';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useUiStore } from '../stores/ui-store.js';
import { paletteCommands } from './commands.js';

/**
 * Ctrl/Cmd+K. A modal <dialog> around cmdk's list: the browser traps focus and Escape closes
 * it; focus goes back to where it was, so the palette never strands a keyboard user.
 */
export function CommandPalette({ openIncident }: { openIncident: (id: string) => void }) {
  const open = useUiStore((s) => s.paletteOpen);
  const initialSearch = useUiStore((s) => s.paletteSearch);
  const [search, setSearch] = useState('');
  const setOpen = useUiStore((s) => s.setPaletteOpen);
  const ref = useRef<HTMLDialogElement>(null);
  const returnTo = useRef<Element | null>(null);
  const inputRef = useRef<HTMLInputElement>(null);
  const commands = useMemo(() => (open ? paletteCommands(openIncident) : []), [open, openIncident]);

  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) {
      returnTo.current = document.activeElement;
      setSearch(initialSearch);
      d.showModal();
      // autoFocus ran while the dialog was still closed; focus now that it can take it.
      inputRef.current?.focus();
    } else if (!open && d.open) {
      d.close();
    }
  }, [open, initialSearch]);

  const close = () => {
    setOpen(false);
    if (returnTo.current instanceof HTMLElement) returnTo.current.focus();
  };

  const groups = ['Incident', 'Actions', 'Go to'] as const;
  return (
    <dialog ref={ref} className="palette" aria-label="Command palette" onClose={close}>
      {open && (
        <Command label="Command palette" loop>
          <Command.Input ref={inputRef} placeholder="Type a command or an incident…" aria-label="Command" value={search} onValueChange={setSearch} />
          <Command.List>
            <Command.Empty>No matching command.</Command.Empty>
            {groups.map((g) => {
              const items = commands.filter((c) => c.group === g);
              if (!items.length) return null;
              return (
                <Command.Group key={g} heading={g}>
                  {items.map((c) => (
                    <Command.Item
                      key={c.id}
                      value={`${c.label} ${c.id}`}
                      onSelect={() => {
                        setOpen(false);
                        c.run();
                      }}
                    >
                      <span>{c.label}</span>
                      {c.shortcut && <kbd>{c.shortcut}</kbd>}
                    </Command.Item>
                  ))}
                </Command.Group>
              );
            })}
          </Command.List>
        </Command>
      )}
    </dialog>
  );
}
