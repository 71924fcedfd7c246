/**
 * One search box's traffic to the core: at most one search is in flight, and a query typed
 * meanwhile waits here, replaced by each later keystroke, and is sent when the answer arrives.
 * The core answers searches one after another, so sending every keystroke would queue them all
 * there and the latest, the only one shown, would wait behind every earlier one. Nothing waits
 * for a timer: a keystroke with nothing in flight is sent at once.
 *
 * An answer is delivered only while its query is still the latest asked, so an early answer never
 * replaces a later one; `clear()` (the box emptied, the dialog closed) drops whatever is pending.
 */
export class LatestOnlySearch<T> {
  private inFlight = false;
  private waiting: string | null = null;
  private latest: string | null = null;

  constructor(
    private readonly search: (query: string) => Promise<T>,
    private readonly deliver: (answer: { query: string; results: T } | { query: string; error: unknown }) => void,
  ) {}

  /** The box now says `query`. */
  ask(query: string): void {
    this.latest = query;
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
        if (query === this.latest) this.deliver({ query, results });
        done();
      },
      (error: unknown) => {
        if (query === this.latest) this.deliver({ query, error });
        done();
      },
    );
  }
}
