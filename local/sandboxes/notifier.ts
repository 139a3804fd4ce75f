/**
 * Delivers a provider's notification the way providers do: POST, and again after an
 * interval until the merchant acknowledges in the provider's format, up to a limit.
 */
export interface Delivery {
  url: string;
  body: string;
  contentType: string;
  /** Whether the reply counts as an acknowledgement (e.g. 200 with the provider's success body). */
  acknowledged: (status: number, text: string) => boolean;
  intervalMs: number;
  maxAttempts: number;
  /** Called after each attempt, for the simulator's own log. */
  onAttempt?: (attempt: number, status: number | 'error', text: string) => void;
}

export interface DeliveryResult {
  acknowledged: boolean;
  attempts: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function deliver(d: Delivery): Promise<DeliveryResult> {
  for (let attempt = 1; attempt <= d.maxAttempts; attempt++) {
    try {
      const response = await fetch(d.url, {
        method: 'POST',
        headers: { 'Content-Type': d.contentType },
        body: d.body,
        signal: AbortSignal.timeout(5000),
      });
      const text = await response.text();
      d.onAttempt?.(attempt, response.status, text);
      if (d.acknowledged(response.status, text)) return { acknowledged: true, attempts: attempt };
    } catch (e) {
      d.onAttempt?.(attempt, 'error', e instanceof Error ? e.message : String(e));
    }
    if (attempt < d.maxAttempts) await sleep(d.intervalMs);
  }
  return { acknowledged: false, attempts: d.maxAttempts };
}
