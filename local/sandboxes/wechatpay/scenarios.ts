/**
 * The control endpoints every refund-capable simulator mounts (the contract the other three
 * simulators share), with WeChat Pay's own refusal added:
 *   POST /sandbox/wechatpay/next-refund {"answer": "succeeded"|"refused"|"uncertain"|"contradictory"|"lost"|"NOT_ENOUGH",
 *                                        "truth": "succeeded"|"failed", "callback": "normal"|"never"|"twice"}
 *   POST /sandbox/wechatpay/next-query  {"status": "<raw trade_state>"}
 * Both answer {"ok": true}, or 400 naming the field. Each is a slot of one, used up by the next
 * refund (or payment query) that passes the simulator's own checks; a second call replaces it.
 */
export const REFUND_ANSWERS = ['succeeded', 'refused', 'uncertain', 'contradictory', 'lost', 'NOT_ENOUGH'] as const;
export const REFUND_TRUTHS = ['succeeded', 'failed'] as const;
export const REFUND_CALLBACKS = ['normal', 'never', 'twice'] as const;
/** How an uncertain answer looks, in turn: an undocumented code, an HTML page, `{}`, an HTTP 500 page. */
export const UNCERTAIN_VARIANTS = ['code', 'html', 'empty', 'http-500'] as const;

export interface RefundScenario {
  answer: (typeof REFUND_ANSWERS)[number];
  truth: (typeof REFUND_TRUTHS)[number];
  callback: (typeof REFUND_CALLBACKS)[number];
  variant?: (typeof UNCERTAIN_VARIANTS)[number];
}

export const DEFAULT_SCENARIO: RefundScenario = Object.freeze({ answer: 'succeeded', truth: 'succeeded', callback: 'normal' });

type Parsed<T> = { ok: true; value: T } | { ok: false; field: string; message: string };

function oneOf<T extends string>(body: Record<string, unknown>, field: string, allowed: readonly T[], fallback: T): Parsed<T> {
  const value = body[field] ?? fallback;
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) return { ok: false, field, message: `${field} must be one of ${allowed.join(', ')}` };
  return { ok: true, value: value as T };
}

export function parseRefundScenario(body: Record<string, unknown>): Parsed<RefundScenario> {
  const answer = oneOf(body, 'answer', REFUND_ANSWERS, 'succeeded');
  if (!answer.ok) return answer;
  const truth = oneOf(body, 'truth', REFUND_TRUTHS, answer.value === 'refused' ? 'failed' : 'succeeded');
  if (!truth.ok) return truth;
  const callback = oneOf(body, 'callback', REFUND_CALLBACKS, 'normal');
  if (!callback.ok) return callback;
  const value: RefundScenario = { answer: answer.value, truth: truth.value, callback: callback.value };
  if (body.variant !== undefined) {
    const variant = oneOf(body, 'variant', UNCERTAIN_VARIANTS, 'code');
    if (!variant.ok) return variant;
    if (answer.value !== 'uncertain' && answer.value !== 'contradictory') return { ok: false, field: 'variant', message: 'variant applies only to answer uncertain or contradictory' };
    value.variant = variant.value;
  }
  return { ok: true, value };
}

export class Scenarios {
  private refund: RefundScenario | undefined;
  private query: string | undefined;
  private turn = 0;

  /** POST /next-refund or /next-query; undefined for any other path. */
  handle(path: string, method: string, body: () => Record<string, unknown>): { status: number; body: Record<string, unknown> } | undefined {
    if (path !== '/next-refund' && path !== '/next-query') return undefined;
    if (method !== 'POST') return { status: 405, body: { ok: false, error: { code: 'METHOD_NOT_ALLOWED', message: `${path} takes POST` } } };
    const bad = (field: string, message: string) => ({ status: 400, body: { ok: false, error: { code: 'INVALID_INPUT', field, message } } });
    const json = body();
    if (path === '/next-refund') {
      const parsed = parseRefundScenario(json);
      if (!parsed.ok) return bad(parsed.field, parsed.message);
      this.refund = parsed.value;
    } else {
      if (typeof json.status !== 'string') return bad('status', 'status is required and must be a string (the raw trade_state the next payment query reports)');
      this.query = json.status;
    }
    return { status: 200, body: { ok: true } };
  }

  takeRefund(): RefundScenario {
    const set = this.refund;
    this.refund = undefined;
    if (!set) return DEFAULT_SCENARIO;
    if (set.answer !== 'uncertain' && set.answer !== 'contradictory') return set;
    return { ...set, variant: set.variant ?? UNCERTAIN_VARIANTS[this.turn++ % UNCERTAIN_VARIANTS.length]! };
  }

  takeQueryStatus(): string | undefined {
    const status = this.query;
    this.query = undefined;
    return status;
  }
}
