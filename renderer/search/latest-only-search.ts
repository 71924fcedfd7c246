/**
 * One search box's traffic to the core: at most one search is in flight, and a query typed
 * meanwhile waits here, replaced by each later keystroke, and is sent when the answer arrives.
 * The core answers searches one after another, so sending every keystroke would queue them all
 * there and the latest, the only one shown, would wait behind every earlier one. Nothing waits
 * for a timer: a keystroke with nothing in flight is sent at once.
 *
 * An answer is delivered only while its query is still the latest asked, so an early answer never
 * replaces a later one; `clear()` (the box emptied, the dialog closed) drops whatever is pending.
 *
 * With `settle`, once the box has said the same thing for `pauseMs`, that query is asked once
 * more through `settle` (the core's complete ranking, too slow for every keystroke) and its answer
 * replaces the keystroke's; a keystroke answer for that query arriving later is then dropped.
 */
export class LatestOnlySearch<T> {
  private inFlight = false;
  private waiting: string | null = null;
  private latest: string | null = null;
  /** The query whose settled answer is shown: its keystroke answer must not replace it. */
  private settledFor: string | null = null;
  private pause: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly search: (query: string) => Promise<T>,
    private readonly deliver: (answer: { query: string; results: T } | { query: string; error: unknown }) => void,
    private readonly settle?: { search: (query: string) => Promise<T>; pauseMs: number },
  ) {}

  /** The box now says `query`. */
  ask(query: string): void {
    this.latest = query;
    this.settledFor = null;
    this.restartPause(query);
    if (this.inFlight) {
      this.waiting = query;
      return;
    }
    this.send(query);
  }

  /** Nothing is asked any more: a pending query is not sent, an answer in flight not delivered. */
  clear(): void {
    this.latest = null;
    this.waiting = null;
    this.settledFor = null;
    this.restartPause(null);
  }

  private restartPause(query: string | null): void {
    if (this.pause !== null) clearTimeout(this.pause);
    this.pause = null;
    const settle = this.settle;
    if (query === null || !settle) return;
    this.pause = setTimeout(() => {
      this.pause = null;
      settle.search(query).then(
        (results) => {
          if (query !== this.latest) return;
          this.settledFor = query;
          this.deliver({ query, results });
        },
        // The keystroke's answer stands; its error, if any, was already shown.
        () => undefined,
      );
    }, settle.pauseMs);
  }

  private send(query: string): void {
    this.inFlight = true;
    const done = () => {
      this.inFlight = false;
      const next = this.waiting;
      this.waiting = null;
      // Typed back to the query just answered ("ab", then "a" again): that answer stands.
      if (next !== null && next === this.latest && next !== query) this.send(next);
    };
    this.search(query).then(
      (results) => {
        if (query === this.latest && query !== this.settledFor) this.deliver({ query, results });
        done();
      },
      (error: unknown) => {
        if (query === this.latest && query !== this.settledFor) this.deliver({ query, error });
        done();
      },
    );
  }
}
