import { useEffect, useState } from 'react';
import type { ExportFormat, RetroDocument } from '../../shared/api/followup-methods.js';
import { conflictText } from '../../shared/domain/fold.js';
import { newId } from '../../shared/domain/ids.js';
import { FACTOR_CATEGORIES, type FactorCategory, type RetroItem, type RetroState } from '../../shared/domain/retro.js';
import { checkWording } from '../../shared/reports/blameless.js';
import { rpc } from '../api/client.js';
import { useCockpitStore } from '../stores/cockpit-store.js';
import { openIncident } from '../stores/navigation.js';
import { useProfileStore, viewerZone } from '../stores/profile-store.js';
import { Time } from '../time/Time.js';
import { Markdown } from '../timeline/Markdown.js';
import { useRetroStore } from './retro-store.js';

/*
 * The retrospective editor: one incident's living document. Every save is one small event (a
 * field, or one item), so two people editing at once keep each other's work: two new factors
 * both stay, and if both rewrite the summary the later one shows and the other is listed under
 * it. Blaming words are pointed out under what is being typed, before it is saved; they are
 * advice, never a refusal.
 */

type ListField = 'factor' | 'went-well' | 'was-hard';
const STATE_LABEL: Record<RetroState, string> = { draft: 'Draft', 'in-review': 'In review', published: 'Published' };

export function RetroEditor() {
  const { incident } = useCockpitStore();
  const { doc, error, open } = useRetroStore();
  const incidentId = incident?.id;
  // Once per incident: later changes arrive as incident-changed (stores/live-updates.ts).
  useEffect(() => {
    if (incidentId) void open(incidentId);
  }, [incidentId, open]);
  if (!incident) return <p className="loading">Open an incident to write its retrospective.</p>;
  if (!doc || doc.incident.id !== incident.id) return <p className="loading">{error ?? 'Opening the retrospective…'}</p>;
  const { retro } = doc;
  return (
    <article className="retro" aria-labelledby="retro-heading">
      <header className="retro-header">
        <h1 id="retro-heading">
          Retrospective: <span className="ref">{doc.incident.ref}</span> {doc.incident.title}
        </h1>
        <p className="retro-status">
          <span className="badge">{STATE_LABEL[retro.status.state]}</span>{' '}
          {retro.status.by && retro.status.at ? (
            <span className="muted">
              {retro.status.state === 'published' ? 'published' : 'set'} by {retro.status.by}, <Time iso={retro.status.at} />
            </span>
          ) : null}
        </p>
        <p className="muted">Blameless: we ask how the system let this happen, not who did it.</p>
        <div className="entry-actions">
          <button type="button" onClick={() => openIncident(doc.incident.id)}>
            Back to the cockpit
          </button>
          <StateButtons state={retro.status.state} />
          <ExportButtons incidentId={doc.incident.id} />
        </div>
        {error && <p role="alert">{error}</p>}
        {retro.conflicts.length > 0 && (
          <ul className="conflicts" aria-label="Concurrent retrospective edits">
            {retro.conflicts.map((c) => (
              <li key={c.field}>{conflictText(c)}</li>
            ))}
          </ul>
        )}
      </header>
      <TextSection field="summary" title="Summary" prompt="What happened, in two sentences a customer could read." doc={doc} />
      <TextSection field="impact" title="Impact" prompt="Who was affected, how, and for how long." doc={doc} />
      <KeyMoments doc={doc} />
      <ListSection field="factor" title="Contributing factors" items={retro.factors} prompt="A condition that made this possible" />
      <ListSection field="went-well" title="What went well" items={retro.wentWell} prompt="Something that helped" />
      <ListSection field="was-hard" title="What was hard" items={retro.wasHard} prompt="Where we lost time or had to guess" />
      <Remediation doc={doc} />
    </article>
  );
}

function StateButtons({ state }: { state: RetroState }) {
  const write = useRetroStore((s) => s.write);
  const set = (to: RetroState) => void write('retro.state', { state: to }).catch(() => {});
  return (
    <>
      {state === 'draft' && (
        <button type="button" onClick={() => set('in-review')}>
          Send for review
        </button>
      )}
      {state !== 'published' && (
        <button type="button" className="primary" onClick={() => set('published')}>
          Publish
        </button>
      )}
      {state !== 'draft' && (
        <button type="button" onClick={() => set('draft')}>
          Back to draft
        </button>
      )}
    </>
  );
}

/** Saves the export as a file through the browser's own download (in Electron, the session's). */
function download(fileName: string, mime: string, bytes: BlobPart): void {
  const url = URL.createObjectURL(new Blob([bytes], { type: mime }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.click();
  // The click has started the download; the URL is not needed after this turn.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

function ExportButtons({ incidentId }: { incidentId: string }) {
  const zone = viewerZone(useProfileStore((s) => s.profile));
  const [busy, setBusy] = useState<ExportFormat | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const run = async (format: ExportFormat) => {
    setBusy(format);
    setProblem(null);
    try {
      const file = await rpc().call('retro.export', { ref: incidentId, format, timeZone: zone });
      download(file.fileName, file.mime, file.encoding === 'base64' ? Uint8Array.from(atob(file.content), (c) => c.charCodeAt(0)) : file.content);
    } catch (e) {
      setProblem((e as Error).message);
    } finally {
      setBusy(null);
    }
  };
  return (
    <>
      {(['md', 'html', 'pdf'] as const).map((f) => (
        <button key={f} type="button" disabled={busy !== null} onClick={() => void run(f)}>
          {busy === f ? 'Exporting…' : `Export ${f === 'md' ? 'Markdown' : f.toUpperCase()}`}
        </button>
      ))}
      {problem && <p role="alert">{problem}</p>}
    </>
  );
}

/** Blaming phrases in what is being typed, each with its suggestion. */
function WordingHints({ text, label }: { text: string; label: string }) {
  const findings = checkWording(text);
  if (!findings.length) return null;
  return (
    <ul className="wording-hints" aria-label={`Wording suggestions for ${label}`}>
      {findings.map((f) => (
        <li key={`${f.start}-${f.phrase}`}>
          <strong>“{f.match}”</strong> assigns blame. {f.suggestion}
        </li>
      ))}
    </ul>
  );
}

function TextSection({ field, title, prompt, doc }: { field: 'summary' | 'impact'; title: string; prompt: string; doc: RetroDocument }) {
  const write = useRetroStore((s) => s.write);
  const saved = doc.retro[field];
  const [draft, setDraft] = useState(saved?.text ?? '');
  const [editing, setEditing] = useState(false);
  // A teammate's edit arrives while this one is not being typed in: show it.
  useEffect(() => {
    if (!editing) setDraft(saved?.text ?? '');
  }, [saved?.text, editing]);
  const changed = draft.trim() !== (saved?.text ?? '');
  const save = () => {
    void write('retro.edited', { field, text: draft.trim() }).then(
      () => setEditing(false),
      () => {},
    );
  };
  const id = `retro-${field}`;
  return (
    <section className="panel" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>{title}</h2>
      <label htmlFor={id} className="muted">
        {prompt}
      </label>
      <textarea id={id} aria-label={title} rows={4} value={draft} onChange={(e) => (setDraft(e.target.value), setEditing(true))} />
      <WordingHints text={draft} label={title} />
      <div className="entry-actions">
        <button type="button" disabled={!changed} onClick={save}>
          Save {title.toLowerCase()}
        </button>
        {editing && changed && (
          <button type="button" onClick={() => (setDraft(saved?.text ?? ''), setEditing(false))}>
            Discard changes
          </button>
        )}
        {saved && (
          <span className="muted">
            Last saved by {saved.by}, <Time iso={saved.at} />
          </span>
        )}
      </div>
    </section>
  );
}

function KeyMoments({ doc }: { doc: RetroDocument }) {
  const moments = doc.keyMoments.filter((m) => !m.redacted);
  return (
    <section className="panel" aria-labelledby="retro-moments-heading">
      <h2 id="retro-moments-heading">Key moments</h2>
      {moments.length === 0 ? (
        <p className="muted">Pin the timeline entries that mattered (Pin on an entry in the cockpit); they appear here.</p>
      ) : (
        <ul className="items">
          {moments.map((m) => (
            <li key={m.id} className="item">
              <Time iso={m.at} /> <span className="muted">{m.author.name}</span>
              <Markdown text={m.text} />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function CategorySelect({ value, onChange, label }: { value: FactorCategory; onChange(c: FactorCategory): void; label: string }) {
  return (
    <select aria-label={label} value={value} onChange={(e) => onChange(e.target.value as FactorCategory)}>
      {FACTOR_CATEGORIES.map((c) => (
        <option key={c} value={c}>
          {c}
        </option>
      ))}
    </select>
  );
}

function ListSection({ field, title, items, prompt }: { field: ListField; title: string; items: RetroItem[]; prompt: string }) {
  const write = useRetroStore((s) => s.write);
  const [text, setText] = useState('');
  const [category, setCategory] = useState<FactorCategory>('other');
  const id = `retro-${field}`;
  const add = () => {
    const words = text.trim();
    if (!words) return;
    // A new id per item: two people adding at once write different items, and both stay.
    void write('retro.edited', { field, item: newId(), text: words, ...(field === 'factor' ? { category } : {}) }).then(
      () => setText(''),
      () => {},
    );
  };
  return (
    <section className="panel" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>
        {title} <span className="muted">{items.length}</span>
      </h2>
      {items.length > 0 && (
        <ul className="items" aria-labelledby={`${id}-heading`}>
          {items.map((item, n) => (
            <ItemRow key={item.id} field={field} item={item} label={`${title} ${n + 1}`} />
          ))}
        </ul>
      )}
      <form
        className="retro-add"
        onSubmit={(e) => {
          e.preventDefault();
          add();
        }}
      >
        <input aria-label={`New: ${title}`} placeholder={prompt} value={text} maxLength={2000} onChange={(e) => setText(e.target.value)} />
        {field === 'factor' && <CategorySelect value={category} onChange={setCategory} label="Category of the new factor" />}
        <button type="submit" disabled={!text.trim()}>
          Add
        </button>
      </form>
      <WordingHints text={text} label={`the new ${title.toLowerCase()} item`} />
    </section>
  );
}

function ItemRow({ field, item, label }: { field: ListField; item: RetroItem; label: string }) {
  const write = useRetroStore((s) => s.write);
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState(item.text);
  const save = () => {
    const words = draft.trim();
    if (!words || words === item.text) return setEditing(false);
    void write('retro.edited', { field, item: item.id, text: words }).then(
      () => setEditing(false),
      () => {},
    );
  };
  return (
    <li className="item">
      {editing ? (
        <form
          className="retro-add"
          onSubmit={(e) => {
            e.preventDefault();
            save();
          }}
        >
          <input aria-label={`Edit ${label}`} value={draft} maxLength={2000} onChange={(e) => setDraft(e.target.value)} />
          <button type="submit">Save</button>
          <button type="button" onClick={() => (setDraft(item.text), setEditing(false))}>
            Cancel
          </button>
        </form>
      ) : (
        <Markdown text={item.text} />
      )}
      <WordingHints text={editing ? draft : item.text} label={label} />
      <div className="item-facts">
        {item.category !== null && (
          <CategorySelect value={item.category} onChange={(c) => void write('retro.edited', { field, item: item.id, category: c }).catch(() => {})} label={`Category of ${label}`} />
        )}
        <span className="muted">added by {item.addedBy}</span>
      </div>
      {!editing && (
        <div className="entry-actions">
          <button type="button" aria-label={`Edit ${label}`} onClick={() => (setDraft(item.text), setEditing(true))}>
            Edit
          </button>
          <button type="button" aria-label={`Remove ${label}`} onClick={() => void write('retro.edited', { field, item: item.id, removed: true }).catch(() => {})}>
            Remove
          </button>
        </div>
      )}
    </li>
  );
}

function Remediation({ doc }: { doc: RetroDocument }) {
  const write = useRetroStore((s) => s.write);
  const linked = new Set(doc.retro.remediation);
  const actions = doc.incident.actions.filter((a) => !a.redacted);
  return (
    <section className="panel" aria-labelledby="retro-remediation-heading">
      <h2 id="retro-remediation-heading">Remediation</h2>
      {actions.length === 0 ? (
        <p className="muted">No action items yet: add them in the cockpit (the composer's Action kind), then link them here.</p>
      ) : (
        <ul className="items">
          {actions.map((a) => (
            <li key={a.id} className={`item item-${a.state}`}>
              <label>
                <input
                  type="checkbox"
                  checked={linked.has(a.id)}
                  onChange={(e) => void write('retro.edited', { field: 'remediation', target: a.id, linked: e.target.checked }).catch(() => {})}
                />{' '}
                {a.text.split('\n')[0]}
              </label>
              <span className="item-facts">
                <span className="badge">{a.state}</span>
                <span>{a.owner ?? 'no owner'}</span>
                {a.due && (
                  <span>
                    due <Time iso={a.due} />
                  </span>
                )}
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
