/**
 * Asking the server again, politely: waits grow 1, 2, 3, 5, 8 s and stay at 8 s; nothing is
 * asked while the page is hidden (the shopper is in another app), the next ask comes at once
 * when it shows again, and nothing after the page is unloaded. One Poller per page; `tick`
 * returns true when polling is done. Timers only: tests drive it with fake timers.
 */
export const BACKOFF_MS: readonly number[] = [1000, 2000, 3000, 5000, 8000];

export class Poller {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private attempt = 0;
  private hidden = false;
  private stopped = true;
  private due = false;
  private running = false;

  constructor(private readonly tick: (attempt: number) => Promise<boolean>) {}

  /** Starts over from the first (shortest) wait; asks at once. */
  start(): Promise<void> {
    this.clear();
    this.attempt = 0;
    this.stopped = false;
    return this.run();
  }

  /** The page is hidden: no asking until `show`. */
  hide(): void {
    this.hidden = true;
    this.clear();
    if (!this.stopped) this.due = true;
  }

  /** The page shows again: ask now if polling was under way. */
  show(): Promise<void> {
    this.hidden = false;
    if (this.stopped || !this.due || this.running) return Promise.resolve();
    this.due = false;
    return this.run();
  }

  stop(): void {
    this.stopped = true;
    this.due = false;
    this.clear();
  }

  get active(): boolean {
    return !this.stopped;
  }

  /** The wait before the next ask, after `attempt` asks. */
  static waitAfter(attempt: number): number {
    return BACKOFF_MS[Math.min(attempt, BACKOFF_MS.length - 1)] ?? 8000;
  }

  private clear(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private async run(): Promise<void> {
    if (this.stopped) return;
    this.running = true;
    let done: boolean;
    try {
      done = await this.tick(this.attempt);
    } finally {
      this.running = false;
    }
    if (done) this.stopped = true;
    if (this.stopped) return;
    if (this.hidden) {
      this.due = true;
      return;
    }
    const wait = Poller.waitAfter(this.attempt);
    this.attempt += 1;
    this.timer = setTimeout(() => void this.run(), wait);
  }
}
