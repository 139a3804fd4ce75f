/**
 * How a simulator delivers its notifications for one payment, chosen by whoever plays the
 * shopper (`"delivery"` in POST /sandbox/wechat/requestPayment), so that outside clients and
 * tests can make providers misbehave the way real ones do:
 * - normal (default): notify, retrying until acknowledged;
 * - never: the provider records the payment but every notification is lost;
 * - twice: two identical notifications at once;
 * - failed-first: a signed failed notification, then the paid one;
 * - late: the first notification only after `delayMs`.
 */
export const DELIVERY_MODES = ['normal', 'never', 'twice', 'failed-first', 'late'] as const;
export type DeliveryMode = { kind: Exclude<(typeof DELIVERY_MODES)[number], 'late'> } | { kind: 'late'; delayMs: number };

/** The longest `late` delay a simulator accepts (a pending timer per payment must stay bounded). */
export const MAX_LATE_DELAY_MS = 10 * 60_000;

/** Reads `delivery` (and `delayMs`) from a requestPayment body; a string names the bad field. */
export function parseDelivery(body: Record<string, unknown>): DeliveryMode | string {
  const kind = body.delivery ?? 'normal';
  if (typeof kind !== 'string' || !(DELIVERY_MODES as readonly string[]).includes(kind)) {
    return `delivery must be one of ${DELIVERY_MODES.join(', ')}`;
  }
  if (kind !== 'late') return { kind: kind as Exclude<DeliveryMode['kind'], 'late'> };
  const delayMs = body.delayMs ?? 1000;
  if (typeof delayMs !== 'number' || !Number.isInteger(delayMs) || delayMs < 0 || delayMs > MAX_LATE_DELAY_MS) {
    return `delayMs must be a whole number of milliseconds from 0 to ${MAX_LATE_DELAY_MS}`;
  }
  return { kind: 'late', delayMs };
}

/** Runs a payment's notifications in `mode`; `send` delivers one (retrying until acknowledged). */
export function runDelivery(mode: DeliveryMode, send: (outcome: 'paid' | 'failed') => Promise<unknown>, log: (line: string) => void): void {
  const sendLogged = (outcome: 'paid' | 'failed') => send(outcome).catch((e: unknown) => log(`delivery failed: ${String(e)}`));
  switch (mode.kind) {
    case 'normal':
      void sendLogged('paid');
      return;
    case 'never':
      log('delivery "never": the payment is recorded, every notification is lost');
      return;
    case 'twice':
      void Promise.all([sendLogged('paid'), sendLogged('paid')]);
      return;
    case 'failed-first':
      void sendLogged('failed').then(() => sendLogged('paid'));
      return;
    case 'late':
      // unref: a pending late notification never keeps a stopping process alive.
      setTimeout(() => void sendLogged('paid'), mode.delayMs).unref();
      return;
  }
}
