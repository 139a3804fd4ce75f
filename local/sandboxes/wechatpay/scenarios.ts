/**
 * The control endpoints every refund-capable simulator mounts (the contract the other three
 * simulators share), with WeChat Pay's own refusal added:
 *   POST /sandbox/wechatpay/next-refund {"answer": "succeeded"|"refused"|"uncertain"|"contradictory"|"lost"|"NOT_ENOUGH",
 *                                        "truth": "succeeded"|"failed", "callback": "normal"|"never"|"twice"}
 *   POST /sandbox/wechatpay/next-query  {"status": "<raw trade_state>"}
 * Both answer {"ok": true}, or 400 naming the field. Each is a slot of one, used up by the next
 * refund (or payment query) that passes the simulator's own checks; a second call replaces it.
 */
import { parseRefundScenario as parseShared, UNCERTAIN_VARIANTS, type RefundScenario as SharedScenario } from '../misbehaviour';

/** WeChat Pay's own answer beside the shared ones: the day's cross-border refund pool is short. */
export const WECHATPAY_ANSWERS = ['NOT_ENOUGH'] as const;

export type RefundScenario = SharedScenario<(typeof WECHATPAY_ANSWERS)[number]>;

export const DEFAULT_SCENARIO: RefundScenario = Object.freeze({ answer: 'succeeded', truth: 'succeeded', callback: 'normal' });

export function parseRefundScenario(body: Record<string, unknown>) {
  return parseShared(body, WECHATPAY_ANSWERS);
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
