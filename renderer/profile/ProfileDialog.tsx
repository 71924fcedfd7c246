import { useEffect, useRef, useState, type FormEvent } from 'react';
import { DialogFooter, useDialogSave } from '../dialogs/dialog-form.js';
import { useModalDialog } from '../dialogs/use-modal-dialog.js';
import { useProfileStore } from '../stores/profile-store.js';
import { useUiStore } from '../stores/ui-store.js';

/** This machine's zone, proposed on first run: the default the core guessed may be UTC on a server. */
export function osTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

/**
 * Who is at this keyboard: name (on every entry), time zone (every time shown) and working
 * hours (teammates see whether it is night for you). Opened from the name in the top bar or
 * the palette; and on first run, while nobody has chosen the profile (profile.status), with
 * the OS zone proposed. Bad input is refused by the core and shown here; nothing is saved.
 */
export function ProfileDialog() {
  const open = useUiStore((s) => s.profileOpen);
  const setOpen = useUiStore((s) => s.setProfileOpen);
  const { profile, chosen, update } = useProfileStore();
  const nameRef = useRef<HTMLInputElement>(null);
  const { dialogProps } = useModalDialog(open, () => nameRef.current, () => close());
  const firstRun = chosen === false;
  const [name, setName] = useState('');
  const [zone, setZone] = useState('');
  const [from, setFrom] = useState('09:00');
  const [to, setTo] = useState('17:00');
  const close = () => setOpen(false);
  const form = useDialogSave(close);

  useEffect(() => {
    if (!open || !profile) return;
    const [f, t] = profile.workingHours.split('-');
    setName(firstRun ? '' : profile.name);
    setZone(firstRun ? osTimeZone() : profile.timeZone);
    setFrom(f ?? '09:00');
    setTo(t ?? '17:00');
    form.setError(null);
    // Filled once per opening, from the profile as it is then.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [open]);

  function submit(e: FormEvent) {
    e.preventDefault();
    if (!name.trim()) {
      form.setError('Type your name: it goes on every entry you write.');
      nameRef.current?.focus();
      return;
    }
    void form.save(() => update({ name: name.trim(), timeZone: zone.trim(), workingHours: `${from}-${to}` }));
  }

  return (
    <dialog {...dialogProps} className="form-dialog profile-dialog" aria-labelledby="profile-heading">
      <form onSubmit={submit} noValidate>
        <h2 id="profile-heading">{firstRun ? 'Welcome to Conn: who is at this keyboard?' : 'Your profile'}</h2>
        {firstRun && (
          <p className="field-hint">
            Your name goes on every entry you write; times are shown in your zone; teammates see your working hours. Until you save, entries are signed “{profile?.name}”.
          </p>
        )}
        <label>
          Name
          <input ref={nameRef} value={name} onChange={(e) => setName(e.target.value)} autoComplete="name" placeholder={profile?.name} />
        </label>
        <label>
          Time zone
          <input value={zone} onChange={(e) => setZone(e.target.value)} spellCheck={false} placeholder="Europe/Berlin" aria-describedby="zone-hint" />
        </label>
        <p id="zone-hint" className="field-hint">
          An IANA zone; this machine says {osTimeZone()}.
        </p>
        <fieldset className="hours">
          <legend>Working hours, in that zone</legend>
          <label>
            From
            <input type="time" value={from} onChange={(e) => setFrom(e.target.value)} />
          </label>
          <label>
            To
            <input type="time" value={to} onChange={(e) => setTo(e.target.value)} />
          </label>
        </fieldset>
        <DialogFooter error={form.error} busy={form.busy} onCancel={close}>
          Save profile
        </DialogFooter>
      </form>
    </dialog>
  );
}
