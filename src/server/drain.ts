import type { RequestListener } from 'node:http';

/** Counts work in progress so a shutdown can wait for it (requests being handled, Bolt listeners). */
export class InFlight {
  private count = 0;
  private waiters: Array<() => void> = [];

  /** Runs `work`, counted until it settles. */
  async track<T>(work: () => Promise<T>): Promise<T> {
    this.begin();
    try {
      return await work();
    } finally {
      this.end();
    }
  }

  begin(): void {
    this.count += 1;
  }

  end(): void {
    this.count -= 1;
    if (this.count > 0) return;
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }

  /** Resolves once nothing is in progress. */
  idle(): Promise<void> {
    if (this.count === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }
}

/**
 * The platform routes, ready for a graceful shutdown. Once `start()` is called every new request
 * gets 503 with `Retry-After` and `Connection: close` (Slack retries events it could not deliver;
 * a load balancer moves on), while the requests already being handled finish: `idle()` waits for
 * them. The health routes stay up meanwhile, so the readiness check can say "draining".
 */
export class Drain {
  private draining = false;
  private readonly requests = new InFlight();

  get isDraining(): boolean {
    return this.draining;
  }

  start(): void {
    this.draining = true;
  }

  /** Requests already being handled, until their responses are sent. */
  idle(): Promise<void> {
    return this.requests.idle();
  }

  guard(routes: Record<string, RequestListener>): Record<string, RequestListener> {
    return Object.fromEntries(
      Object.entries(routes).map(([path, listener]) => [path, this.guarded(listener)]),
    );
  }

  private guarded(listener: RequestListener): RequestListener {
    return (req, res) => {
      if (this.draining) {
        req.resume(); // read and drop the body, so the answer is not cut off by an unread request
        res.writeHead(503, { 'content-type': 'application/json', 'retry-after': '5', connection: 'close' });
        res.end(JSON.stringify({ error: 'Escalator is shutting down; try again shortly' }));
        return;
      }
      this.requests.begin();
      res.once('close', () => this.requests.end());
      listener(req, res);
    };
  }
}

/** Waits for `work` until `deadline` (epoch ms); true if it settled in time (a failure counts as done). */
export async function within(work: Promise<unknown>, deadline: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), Math.max(0, deadline - Date.now()));
  });
  try {
    return await Promise.race([
      work.then(
        () => true as const,
        () => true as const,
      ),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}
