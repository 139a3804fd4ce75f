/**
 * The `admin` cloud function, for operators (design.md: "Merchant operators ... refund, from
 * operator pages inside the same mini program"). Called by the mini program
 * (wx.cloud.callFunction) or, on the local stack, by POST /fn/admin.
 *
 * Who calls is established first, exactly as `pay` does (the WeChat context's openid, else the
 * `code` through jscode2session), and must be in ADMIN_OPENIDS; anyone else gets 403 FORBIDDEN
 * before anything is parsed further, read or written. Every action on an order writes an
 * `admin` line to its timeline with the operator's masked openid.
 */
import type { AdminAction, AdminReplies } from '../contract/wire';
import type { AppConfig } from '../config';
import { ForbiddenError, ValidationError, errorResult, isPayError } from '../core/errors';
import { mask } from '../core/strings';
import { ORDER_STATUSES, isReference, type OrderStatus } from '../domain/order';
import type { ListOrdersCommand } from '../use-cases/operator';
import type { PaymentService } from '../use-cases/service';
import type { RefundCommand, ResolveCommand } from '../use-cases/settlement/refunds';
import type { OrderCursor, OrderFilter } from '../store/types';
import type { OpenidResolver } from '../wechat/code2session';
import { parseOrderNo, type Event } from './commands';
import type { CallerContext } from './pay';

export interface AdminFunctionDeps {
  service: PaymentService;
  resolveOpenid: OpenidResolver;
  config: Pick<AppConfig, 'adminOpenids'>;
}

// --- Commands (the event's fields, checked; nothing read) ---

const DEFAULT_LIMIT = 20;
const MAX_LIMIT = 100;

/** The opaque cursor: base64url of [createdAt, orderNo] of the last order shown. */
export function encodeCursor(c: OrderCursor): string {
  return Buffer.from(JSON.stringify([c.createdAt, c.orderNo]), 'utf8').toString('base64url');
}

export function decodeCursor(value: unknown): OrderCursor {
  const bad = () => new ValidationError('cursor', 'must be the nextCursor of a previous listOrders reply');
  if (typeof value !== 'string' || value.length > 200) throw bad();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
  } catch {
    throw bad();
  }
  if (!Array.isArray(parsed) || parsed.length !== 2 || !Number.isSafeInteger(parsed[0]) || !isReference(parsed[1])) throw bad();
  return { createdAt: parsed[0] as number, orderNo: parsed[1] as string };
}

export function parseListOrders(event: Event): ListOrdersCommand {
  const filter: OrderFilter = {};
  if (event.status !== undefined && event.status !== null && event.status !== '') {
    if (!ORDER_STATUSES.includes(event.status as OrderStatus)) throw new ValidationError('status', `must be one of ${ORDER_STATUSES.join(', ')}`);
    filter.status = event.status as OrderStatus;
  }
  if (event.provider !== undefined && event.provider !== null && event.provider !== '') {
    if (!isReference(event.provider)) throw new ValidationError('provider', 'must be a provider name');
    filter.provider = event.provider;
  }
  if (event.attention !== undefined && event.attention !== null) {
    if (typeof event.attention !== 'boolean') throw new ValidationError('attention', 'must be true or false');
    if (event.attention) filter.attention = true;
  }
  let limit = DEFAULT_LIMIT;
  if (event.limit !== undefined && event.limit !== null) {
    if (!Number.isInteger(event.limit) || (event.limit as number) < 1 || (event.limit as number) > MAX_LIMIT) {
      throw new ValidationError('limit', `must be a whole number from 1 to ${MAX_LIMIT}`);
    }
    limit = event.limit as number;
  }
  const cursor = event.cursor === undefined || event.cursor === null || event.cursor === '' ? undefined : decodeCursor(event.cursor);
  return { filter, limit, ...(cursor ? { after: cursor } : {}) };
}

export function parseRefundNo(event: Event, required: boolean): string | undefined {
  const value = event.refundNo;
  if (value === undefined || value === null || value === '') {
    if (required) throw new ValidationError('refundNo', 'is required');
    return undefined;
  }
  if (!isReference(value)) throw new ValidationError('refundNo', 'must be 1 to 64 letters, digits, _ or -');
  return value;
}

export function parseRefundCommand(event: Event): RefundCommand {
  const orderNo = parseOrderNo(event);
  const amount = event.amount;
  if (typeof amount !== 'number' || !Number.isSafeInteger(amount) || amount <= 0) {
    throw new ValidationError('amount', 'must be a whole number of minor units (cents; LAK has none) greater than 0');
  }
  let reason: string | undefined;
  if (event.reason !== undefined && event.reason !== null && event.reason !== '') {
    if (typeof event.reason !== 'string' || event.reason.length > 200) throw new ValidationError('reason', 'must be text of at most 200 characters');
    reason = event.reason;
  }
  const refundNo = parseRefundNo(event, false);
  return { orderNo, amount, ...(reason !== undefined ? { reason } : {}), ...(refundNo !== undefined ? { refundNo } : {}) };
}

export function parseResolveCommand(event: Event): ResolveCommand {
  const refundNo = parseRefundNo(event, true) as string;
  if (event.outcome !== 'succeeded' && event.outcome !== 'failed') {
    throw new ValidationError('outcome', 'must be "succeeded" (the provider paid it out) or "failed" (it did not), as the provider\'s portal shows');
  }
  const note = event.note;
  if (typeof note !== 'string' || note.trim() === '' || note.length > 200) {
    throw new ValidationError('note', 'is required: 1 to 200 characters saying what you checked (the portal\'s reference, who confirmed it)');
  }
  return { refundNo, outcome: event.outcome, note: note.trim() };
}

// --- Actions: each parses its event and calls the operator use-case ---

type Handler<A extends AdminAction> = (event: Event, operator: string, service: PaymentService) => Promise<AdminReplies[A]>;

const handlers: { [A in AdminAction]: Handler<A> } = {
  listOrders: (event, operator, { operator: op }) => op.listOrders(parseListOrders(event), operator, encodeCursor),
  getOrder: (event, operator, { operator: op }) => op.getOrder(parseOrderNo(event), operator),
  refund: (event, operator, { operator: op }) => op.refund(parseRefundCommand(event), operator),
  queryRefund: (event, operator, { operator: op }) => op.queryRefund(parseRefundNo(event, true) as string, operator),
  resolveRefund: (event, operator, { operator: op }) => op.resolveRefund(parseResolveCommand(event), operator),
};

const ADMIN_ACTIONS = Object.keys(handlers) as AdminAction[];

export async function handleAdmin(event: unknown, context: CallerContext, deps: AdminFunctionDeps): Promise<Record<string, unknown>> {
  try {
    if (event === null || typeof event !== 'object' || Array.isArray(event)) {
      throw new ValidationError('event', 'must be an object like {action: "listOrders", code}');
    }
    const data = event as Event;
    // Who calls, first: nothing else is looked at for someone who is not an operator.
    const openid = context.openid ? context.openid : await deps.resolveOpenid(data.code, 'code');
    if (!deps.config.adminOpenids.includes(openid)) {
      deps.service.deps.log.warn('admin refused', { caller: mask(openid) });
      // The caller learns their own openid and nothing else: nothing has been read yet.
      throw new ForbiddenError(
        `only operators listed in ADMIN_OPENIDS may use the admin function; to make this WeChat account one, add ${openid} to ADMIN_OPENIDS in the admin function's environment`,
        openid,
      );
    }
    const action = data.action;
    if (typeof action !== 'string' || !(ADMIN_ACTIONS as string[]).includes(action)) {
      throw new ValidationError('action', `must be one of ${ADMIN_ACTIONS.join(', ')}`);
    }
    const handler = handlers[action as AdminAction] as Handler<AdminAction>;
    return { ok: true, ...(await handler(data, mask(openid), deps.service)) };
  } catch (e) {
    if (!isPayError(e)) console.error('admin failed', e);
    return errorResult(e);
  }
}
