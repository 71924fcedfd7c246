import type { DigestEntry, DigestIncident } from '../../shared/reports/digest.js';
import { firstLine } from '../../shared/reports/fit.js';
import { updateDueText } from '../../shared/time/update-due.js';
import { localClock } from '../../shared/time/zone.js';
import { SeverityBadge } from '../incidents/SeverityBadge.js';
import { useDigestStore } from '../stores/digest-store.js';
import { openIncident } from '../stores/navigation.js';
import { useProfileStore, viewerZone } from '../stores/profile-store.js';
import { useUiStore } from '../stores/ui-store.js';
import { Time } from '../time/Time.js';
import { useNow } from '../time/use-now.js';
import { Markdown } from '../timeline/Markdown.js';
import type { ReactNode } from 'react';

/**
 * "While you were away": the digest (digest.get, shared/reports/digest.ts) as a screen, in the
 * reader's zone. It comes up by itself when the app opens and there is news, and from the palette
 * or the top bar any time. "Mark as read" tells the core the reader has caught up: the next
 * digest starts then.
 */
export function DigestView() {
  const digest = useDigestStore((s) => s.digest);
  const error = useDigestStore((s) => s.error);
  const markRead = useDigestStore((s) => s.markRead);
  const zone = viewerZone(useProfileStore((s) => s.profile));
  if (!digest) return <p className="loading">{error ?? 'Gathering what happened…'}</p>;
  return (
    <section className="digest" aria-labelledby="digest-heading">
      <header className="digest-header">
        <h1 id="digest-heading">While you were away</h1>
        <p>
          Since <Time iso={digest.since} />, for {digest.reader.name}. Times in {zone}.
        </p>
        <button type="button" className="primary" onClick={() => void markRead()}>
          Mark as read
        </button>
      </header>
      {error && <p role="alert">{error}</p>}
      {digest.empty ? (
        <p className="empty">Nothing changed on your incidents since then, and nothing is waiting for you.</p>
      ) : (
        digest.incidents.map((i) => <IncidentNews key={i.incidentId} news={i} zone={zone} />)
      )}
    </section>
  );
}

function IncidentNews({ news, zone }: { news: DigestIncident; zone: string }) {
  const now = useNow(30_000);
  const due = updateDueText(news.nextUpdateDueAt, zone, now) ?? 'no update owed';
  return (
    <article className="panel digest-incident" aria-label={`${news.ref}: ${news.title}`}>
      <h2>
        <SeverityBadge severity={news.severity} /> <span className="ref">{news.ref}</span> {news.title || 'untitled'}
      </h2>
      <p className="item-facts">
        <span>{news.status}</span>
        <span>commander: {news.commander ?? 'nobody'}</span>
        <span>{due}</span>
        <button type="button" onClick={() => openIncident(news.incidentId)}>
          Open {news.ref}
        </button>
      </p>
      <Part title="Waiting for you to take over">
        {news.handoffs.map((h) => (
          <li key={h.id} className="item">
            <p>
              <strong>{h.role}</strong> from {h.from} ({h.to === null ? 'open to anyone' : 'offered to you'}, <Time iso={h.at} />
              {h.outsideHours && <OutsideHours at={h.at} zone={zone} />}): open {news.ref} to accept it.
            </p>
            {h.brief === null ? <p className="redacted">Redacted</p> : <BriefPreview text={h.brief} />}
          </li>
        ))}
      </Part>
      <Part title="Assigned to you">
        {news.actions.map((a) => (
          <li key={a.id} className="item">
            {a.text === null ? <p className="redacted">Redacted</p> : <Markdown text={a.text} />}
            <p className="item-facts">
              <span>
                by {a.assignedBy} at <Time iso={a.assignedAt} />
                {a.outsideHours && <OutsideHours at={a.assignedAt} zone={zone} />}
              </span>
              {a.due && (
                <span>
                  due <Time iso={a.due} />
                </span>
              )}
            </p>
          </li>
        ))}
      </Part>
      <Part title="Changes">{news.changes.map((c) => <EntryLine key={c.id} entry={c} />)}</Part>
      <Part title="Decisions">{news.decisions.map((c) => <EntryLine key={c.id} entry={c} />)}</Part>
      <Part title="Minutes published">
        {news.minutes.map((m) => (
          <li key={m.id} className="item">
            <p>
              <Time iso={m.at} /> {m.author}: minutes of {m.callTitle ?? 'a call'}
            </p>
            {m.text === null ? <p className="redacted">Redacted</p> : <BriefPreview text={m.text} label="Read the minutes" />}
          </li>
        ))}
      </Part>
      {news.conflicts.length > 0 && <Part title="Concurrent changes">{news.conflicts.map((c) => <li key={c} className="item">⚠ {c}</li>)}</Part>}
    </article>
  );
}

/** A sub-list that is left out when empty: the digest is read, not searched. */
function Part({ title, children }: { title: string; children: ReactNode[] }) {
  if (children.length === 0) return null;
  return (
    <section aria-label={title}>
      <h3>{title}</h3>
      <ul className="items">{children}</ul>
    </section>
  );
}

function EntryLine({ entry }: { entry: DigestEntry }) {
  return (
    <li className="item">
      <Time iso={entry.at} /> {entry.author}: {entry.text === null ? <span className="redacted">redacted</span> : firstLine(entry.text)}
    </li>
  );
}

/** "outside your hours, 02:14 your time": handed over while the reader was off. */
function OutsideHours({ at, zone }: { at: string; zone: string }) {
  return <span className="hours out">, outside your hours, {localClock(new Date(at), zone)} your time</span>;
}

function BriefPreview({ text, label = 'Read the brief' }: { text: string; label?: string }) {
  return (
    <details>
      <summary>{label}</summary>
      <Markdown text={text} />
    </details>
  );
}

/** The top bar's way back to the digest, with a dot while it holds something unread. */
export function DigestButton() {
  const view = useUiStore((s) => s.view);
  const setView = useUiStore((s) => s.setView);
  const unread = useDigestStore((s) => s.digest?.empty === false);
  return (
    <button
      type="button"
      aria-current={view === 'digest' ? 'page' : undefined}
      onClick={() => {
        void useDigestStore.getState().load();
        setView('digest');
      }}
    >
      While you were away{unread && <span className="unread-dot" aria-label="(unread)" />}
    </button>
  );
}
