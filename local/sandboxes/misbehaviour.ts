/**
 * Provider simulators misbehaving on demand, from outside, over HTTP (issue 16, item 8). Every
 * refund-capable simulator mounts the same three control endpoints beside its provider API:
 *
 *   POST /sandbox/<provider>/next-refund  {"answer", "truth", "callback", "variant"?}
 *   POST /sandbox/<provider>/next-query   {"status": "<raw status string>"}
 *   GET  /sandbox/<provider>/refunds[?orderNo=...]
 *
 * next-refund applies to the NEXT refund request the simulator receives (whatever it then
 * checks first: a request it refuses for a bad signature or amount does not use it up). It is
 * a slot of one: a second call before any refund REPLACES the first (the last word wins, as an
 * operator re-clicking a setting expects); the scenario is used up by the refund it applies to.
 * - answer: what the synchronous refund reply says.
 *     succeeded      the provider's documented success shape;
 *     refused        a documented refusal code of the provider (each simulator names its own);
 *     uncertain      one of UNCERTAIN_VARIANTS, in turn per simulator (code → html → empty →
 *                    http-500 → code …), or the one `variant` names;
 *     contradictory  the provider's own contradicting shape where it has one (NewPay: its
 *                    refund-callback example's `tranStatus: 0` with "Transaction Success",
 *                    signed); elsewhere the same as uncertain (and takes `variant` the same way);
 *     lost           the refund is carried out (per truth) and the connection is destroyed
 *                    before any answer is written.
 * - truth: what the provider actually did: `succeeded` (the money went back) or `failed`. It
 *   decides the simulator's books (what remains refundable), its refund query and its refund
 *   callbacks. Default `succeeded`, except with answer `refused`, where it is `failed` unless
 *   the body says otherwise (a refusal that nevertheless paid out is then asked for explicitly).
 * - callback: where the provider sends refund callbacks (NewPay): `normal` one callback,
 *   resent until acknowledged; `never` none; `twice` the same signed callback twice. Latipay
 *   and OTT Pay document no refund callback: they accept the field and send nothing.
 *
 * next-query: the next PAYMENT query the simulator answers (after its own checks pass) reports
 * exactly `status` in the provider's status field, signed or encrypted as usual. The order
 * itself is not changed. Also a slot of one, replaced by a second call.
 *
 * refunds: the simulator's own books, as a provider's portal would show them (see RefundBook).
 */
import type { SandboxRequest, SimReply } from './types';

export const REFUND_ANSWERS = ['succeeded', 'refused', 'uncertain', 'contradictory', 'lost'] as const;
export const REFUND_TRUTHS = ['succeeded', 'failed'] as const;
export const REFUND_CALLBACKS = ['normal', 'never', 'twice'] as const;
/**
 * The shapes of an uncertain answer, cycled in this order:
 * - code: a well-formed answer carrying a code the provider does not document;
 * - html: HTTP 200 with an HTML page (a proxy's or a login page);
 * - empty: HTTP 200 with `{}`;
 * - http-500: HTTP 500 with an HTML error page.
 */
export const UNCERTAIN_VARIANTS = ['code', 'html', 'empty', 'http-500'] as const;

export type RefundAnswer = (typeof REFUND_ANSWERS)[number];
export type RefundTruth = (typeof REFUND_TRUTHS)[number];
export type RefundCallbackMode = (typeof REFUND_CALLBACKS)[number];
export type UncertainVariant = (typeof UNCERTAIN_VARIANTS)[number];

/**
 * One refund's scenario, its uncertain variant resolved (set for uncertain and contradictory).
 * `A` adds a simulator's own answers (WeChat Pay's NOT_ENOUGH) to the shared ones.
 */
export interface RefundScenario<A extends string = RefundAnswer> {
  answer: RefundAnswer | A;
  truth: RefundTruth;
  callback: RefundCallbackMode;
  variant?: UncertainVariant;
}

/** What a refund does when nobody set a scenario: today's documented behaviour. */
export const DEFAULT_REFUND_SCENARIO: RefundScenario = Object.freeze({ answer: 'succeeded', truth: 'succeeded', callback: 'normal' }) as RefundScenario;

type Parsed<T> = { ok: true; value: T } | { ok: false; field: string; message: string };

function oneOf<T extends string>(body: Record<string, unknown>, field: string, allowed: readonly T[], fallback: T): Parsed<T> {
  const value = body[field] ?? fallback;
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    return { ok: false, field, message: `${field} must be one of ${allowed.join(', ')}` };
  }
  return { ok: true, value: value as T };
}

/**
 * Reads a next-refund body; a failure names the field and the allowed values. `extraAnswers`
 * are a simulator's own (WeChat Pay: NOT_ENOUGH), accepted beside the shared ones.
 */
export function parseRefundScenario<A extends string = never>(body: Record<string, unknown>, extraAnswers: readonly A[] = []): Parsed<RefundScenario<A>> {
  const answer = oneOf<RefundAnswer | A>(body, 'answer', [...REFUND_ANSWERS, ...extraAnswers], 'succeeded');
  if (!answer.ok) return answer;
  const truth = oneOf(body, 'truth', REFUND_TRUTHS, answer.value === 'refused' ? 'failed' : 'succeeded');
  if (!truth.ok) return truth;
  const callback = oneOf(body, 'callback', REFUND_CALLBACKS, 'normal');
  if (!callback.ok) return callback;
  const value: RefundScenario<A> = { answer: answer.value, truth: truth.value, callback: callback.value };
  if (body.variant !== undefined) {
    const variant = oneOf(body, 'variant', UNCERTAIN_VARIANTS, 'code');
    if (!variant.ok) return variant;
    if (answer.value !== 'uncertain' && answer.value !== 'contradictory') {
      return { ok: false, field: 'variant', message: 'variant applies only to answer uncertain or contradictory' };
    }
    value.variant = variant.value;
  }
  return { ok: true, value };
}

/** Reads a next-query body: `status` must be a string (any string: raw is the point). */
export function parseQueryScenario(body: Record<string, unknown>): Parsed<string> {
  if (typeof body.status !== 'string') return { ok: false, field: 'status', message: 'status is required and must be a string (the raw status the next payment query reports)' };
  return { ok: true, value: body.status };
}

/** One refund in a simulator's books: what the provider did, whatever it answered. */
export interface BookedRefund {
  /** The merchant's refund number as sent (Latipay: its `reference`, not unique there). */
  refundNo: string;
  /** Minor units (cents; LAK whole kip). */
  amount: number;
  /** succeeded: the money went back. failed: it did not. processing: not decided yet (it holds the amount). */
  truth: 'succeeded' | 'failed' | 'processing';
  /** What the synchronous reply said (`default` when no scenario was set). */
  answer: RefundAnswer | 'default';
  at: string;
}

/** An order's page in the books. */
export interface BookedOrder {
  orderNo: string;
  currency: string;
  /** What the shopper paid, minor units. */
  paid: number;
  /** Sum of succeeded refunds, minor units: what the provider paid out. */
  paidOut: number;
  /** Sum of processing refunds, minor units (held, not paid out yet). */
  processing: number;
  refunds: BookedRefund[];
}

/** Totals of an order's refunds by truth. */
export function bookTotals(refunds: readonly Pick<BookedRefund, 'amount' | 'truth'>[]): { paidOut: number; processing: number } {
  let paidOut = 0;
  let processing = 0;
  for (const r of refunds) {
    if (r.truth === 'succeeded') paidOut += r.amount;
    else if (r.truth === 'processing') processing += r.amount;
  }
  return { paidOut, processing };
}

/** How the books name a refund's answer: `default` when nobody set a scenario. */
export function answerLabel(scenario: RefundScenario): BookedRefund['answer'] {
  return scenario === DEFAULT_REFUND_SCENARIO ? 'default' : scenario.answer;
}

/** What a simulator lends the controls: its books, by the merchant's order number. */
export interface RefundBooks {
  /** Orders with at least one refund, oldest first. */
  orders(): BookedOrder[];
  order(orderNo: string): BookedOrder | undefined;
}

const bad = (field: string, message: string): SimReply => ({ status: 400, body: { ok: false, error: { code: 'INVALID_INPUT', field, message } } });

/**
 * The per-simulator state behind the control endpoints: the next refund's scenario, the next
 * query's status, and the turn of the uncertain variants. Memory: two slots and a counter.
 */
export class Misbehaviour {
  private nextRefund: (Omit<RefundScenario, 'variant'> & { variant?: UncertainVariant }) | undefined;
  private nextQuery: string | undefined;
  private uncertainTurn = 0;

  constructor(private readonly provider: string, private readonly books: RefundBooks, private readonly log: (line: string) => void) {}

  /** Answers the control endpoints; undefined for every other path (the provider's API). */
  handle(req: SandboxRequest): SimReply | undefined {
    if (req.path === '/next-refund' || req.path === '/next-query') {
      if (req.method !== 'POST') return { status: 405, body: { ok: false, error: { code: 'METHOD_NOT_ALLOWED', message: `${req.path} takes POST` } } };
      const body = req.json();
      if (req.path === '/next-refund') {
        const parsed = parseRefundScenario(body);
        if (!parsed.ok) return bad(parsed.field, parsed.message);
        this.nextRefund = parsed.value;
        this.log(`${this.provider}: next refund → ${JSON.stringify(parsed.value)}`);
      } else {
        const parsed = parseQueryScenario(body);
        if (!parsed.ok) return bad(parsed.field, parsed.message);
        this.nextQuery = parsed.value;
        this.log(`${this.provider}: next payment query reports status ${JSON.stringify(parsed.value)}`);
      }
      return { status: 200, body: { ok: true } };
    }
    if (req.path === '/refunds') {
      if (req.method !== 'GET') return { status: 405, body: { ok: false, error: { code: 'METHOD_NOT_ALLOWED', message: '/refunds takes GET' } } };
      const orderNo = req.query.get('orderNo');
      if (orderNo === null) return { status: 200, body: { ok: true, provider: this.provider, orders: this.books.orders() } };
      if (orderNo === '') return bad('orderNo', 'orderNo must be the merchant order number (or left out to list every order with refunds)');
      const order = this.books.order(orderNo);
      // An order the provider never refunded: nothing paid out (it may still be unknown there).
      return { status: 200, body: { ok: true, provider: this.provider, order: order ?? { orderNo, paidOut: 0, processing: 0, refunds: [] } } };
    }
    return undefined;
  }

  /** The scenario for the refund being processed now (the default when none was set); uses it up. */
  takeRefund(): RefundScenario {
    const set = this.nextRefund;
    this.nextRefund = undefined;
    if (!set) return DEFAULT_REFUND_SCENARIO;
    if (set.answer !== 'uncertain' && set.answer !== 'contradictory') return set;
    return { ...set, variant: set.variant ?? this.nextUncertainVariant() };
  }

  /** The next variant in turn; a variant picked explicitly does not advance the turn. */
  private nextUncertainVariant(): UncertainVariant {
    return UNCERTAIN_VARIANTS[this.uncertainTurn++ % UNCERTAIN_VARIANTS.length] as UncertainVariant;
  }

  /** The raw status the payment query being answered now must report, if one was set; uses it up. */
  takeQueryStatus(): string | undefined {
    const status = this.nextQuery;
    this.nextQuery = undefined;
    return status;
  }
}

/** The unreadable replies every provider can give (the `code` variant is each provider's own). */
export function unreadableReply(variant: Exclude<UncertainVariant, 'code'>): SimReply {
  switch (variant) {
    case 'html':
      return { status: 200, body: '<!doctype html><html><head><title>Please wait</title></head><body><p>The service is busy. Please try again later.</p></body></html>', headers: { 'Content-Type': 'text/html; charset=utf-8' } };
    case 'empty':
      return { status: 200, body: {} };
    case 'http-500':
      return { status: 500, body: '<html><head><title>500 Internal Server Error</title></head><body><h1>500 Internal Server Error</h1></body></html>', headers: { 'Content-Type': 'text/html' } };
  }
}

/** The reply of a refund whose answer is lost: the stack destroys the socket, writing nothing. */
export const LOST_REPLY: SimReply = Object.freeze({ status: 0, body: '', drop: true }) as SimReply;
