/**
 * The `pay` cloud function: called by the mini program (wx.cloud.callFunction) or, on the
 * local stack, by POST /fn/pay. Events become typed commands (./commands.ts); every reply is
 * `{ok: true, ...}` or `{ok: false, error}` (shapes in server/contract/wire.ts).
 */
import type { PayAction, PayReplies } from '../contract/wire';
import { ValidationError, errorResult, isPayError } from '../core/errors';
import type { PaymentService } from '../use-cases/service';
import type { OpenidResolver } from '../wechat/code2session';
import {
  parseCashierOrderCommand,
  parseCashierPaymentCommand,
  parseListLimit,
  parseOptionalCurrency,
  parseOrderCommand,
  parseOrderNo,
  parsePayCode,
  parseProvider,
  parseRefresh,
  type Event,
} from './commands';

export interface CallerContext {
  /** From cloud.getWXContext() in WeChat's cloud; absent on the local stack. */
  openid?: string;
}

export interface PayFunctionDeps {
  service: PaymentService;
  resolveOpenid: OpenidResolver;
  /** Subscription message templates to ask the shopper for before paying (catalog reply). */
  subscribeTemplates?: readonly string[];
}

type Handler<A extends PayAction> = (event: Event, caller: () => Promise<string>, service: PaymentService, deps: PayFunctionDeps) => Promise<PayReplies[A]>;

const handlers: { [A in PayAction]: Handler<A> } = {
  catalog: async (event, _caller, { orders }, { subscribeTemplates }) => ({
    ...orders.catalog(parseProvider(event, false), parseOptionalCurrency(event)),
    ...(subscribeTemplates?.length ? { subscribeTemplates: [...subscribeTemplates] } : {}),
  }),
  createOrder: async (event, caller, { checkout }) => checkout.createOrder(parseOrderCommand(event), caller),
  queryOrder: async (event, caller, { orders }) => {
    const orderNo = parseOrderNo(event);
    const refresh = parseRefresh(event);
    return orders.query(await caller(), orderNo, refresh);
  },
  listOrders: async (event, caller, { orders }) => {
    const limit = parseListLimit(event);
    return { orders: await orders.list(await caller(), ...(limit === undefined ? [] : [limit])) };
  },
  /** The shopper closes their own unpaid order (ShopperOrders.cancel says what that means). */
  cancelOrder: async (event, caller, { orders }) => ({ order: await orders.cancel(await caller(), parseOrderNo(event)) }),
  /** "Pay again" after a cancel: fresh parameters for the same, still PAYING order. */
  retryPayment: async (event, caller, { checkout }) => checkout.retryPayment(parseOrderNo(event), parsePayCode(event), caller),
  /**
   * WeChat In-App Payment for the merchant's native app (OTT Pay). The app's own server calls
   * this function through HTTP access (POST /fn/pay on the local stack) with the same event;
   * the reply carries the signed PayReq fields and never the WeChat Pay API key.
   */
  createAppPayment: async (event, caller, { checkout }) => {
    const { payCode: _none, ...command } = parseOrderCommand(event);
    return checkout.createAppOrder(command, caller);
  },
  /**
   * A provider's scheme URL opened the mini program with its order number (in the field its
   * descriptor names); `code` logs the caller in, `payCode` is spent by the provider.
   */
  cashierPayment: async (event, caller, { checkout }) => {
    const provider = checkout.cashierProvider(parseProvider(event, false));
    const command = parseCashierPaymentCommand(event, provider.descriptor.cashierRefField ?? 'providerRef');
    return checkout.cashierPayment({ ...command, provider: provider.name }, caller);
  },
  /** An order paid on the provider's cashier page (web or mobile); returns its payUrl. */
  createCashierOrder: async (event, caller, { checkout }) => checkout.createCashierOrder(parseCashierOrderCommand(event), caller),
};

const PAY_ACTIONS = Object.keys(handlers) as PayAction[];

export async function handlePay(event: unknown, context: CallerContext, deps: PayFunctionDeps): Promise<Record<string, unknown>> {
  try {
    if (event === null || typeof event !== 'object' || Array.isArray(event)) {
      throw new ValidationError('event', 'must be an object like {action: "createOrder", ...}');
    }
    const data = event as Event;
    const action = data.action;
    if (typeof action !== 'string' || !(PAY_ACTIONS as string[]).includes(action)) {
      throw new ValidationError('action', `must be one of ${PAY_ACTIONS.join(', ')}`);
    }
    // The openid is resolved lazily, once, and only by actions that need it.
    let openid: Promise<string> | undefined;
    const caller = () => {
      openid ??= context.openid ? Promise.resolve(context.openid) : deps.resolveOpenid(data.code, 'code');
      return openid;
    };
    const handler = handlers[action as PayAction] as Handler<PayAction>;
    const result = await handler(data, caller, deps.service, deps);
    return { ok: true, ...result };
  } catch (e) {
    // Unexpected errors are logged in full on the server only; the caller gets a generic message.
    if (!isPayError(e)) console.error('pay failed', e);
    return errorResult(e);
  }
}
