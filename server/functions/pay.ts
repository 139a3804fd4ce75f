/**
 * The `pay` cloud function: called by the mini program (wx.cloud.callFunction) or, on the
 * local stack, by POST /fn/pay. Every reply is `{ok: true, ...}` or `{ok: false, error}`.
 */
import { ValidationError, errorResult, isPayError } from '../core/errors';
import type { PaymentService } from '../payments/service';
import type { OpenidResolver } from '../wechat/code2session';

export interface CallerContext {
  /** From cloud.getWXContext() in WeChat's cloud; absent on the local stack. */
  openid?: string;
}

export interface PayFunctionDeps {
  service: PaymentService;
  resolveOpenid: OpenidResolver;
}

export const PAY_ACTIONS = ['catalog', 'createOrder', 'queryOrder', 'listOrders', 'retryPayment', 'createAppPayment', 'cashierPayment', 'createCashierOrder'] as const;
export type PayAction = (typeof PAY_ACTIONS)[number];

type Handler = (event: Record<string, unknown>, openid: () => Promise<string>, deps: PayFunctionDeps) => Promise<Record<string, unknown>>;

const handlers: Record<PayAction, Handler> = {
  catalog: async (event, _openid, { service }) => service.catalog(event.provider, event.currency),
  createOrder: async (event, openid, { service }) => {
    const input = { provider: event.provider, currency: event.currency, items: event.items, payCode: event.payCode };
    // Validate and price before spending the login code: a bad cart keeps the code usable.
    service.validateOrderInput(input);
    return service.createOrder(await openid(), input);
  },
  queryOrder: async (event, openid, { service }) => {
    if (event.refresh !== undefined && typeof event.refresh !== 'boolean') throw new ValidationError('refresh', 'must be true or false');
    return { order: await service.queryOrder(await openid(), event.orderNo, event.refresh === true) };
  },
  listOrders: async (_event, openid, { service }) => ({ orders: await service.listOrders(await openid()) }),
  /** "Pay again" after a cancel: fresh parameters for the same, still PAYING order. */
  retryPayment: async (event, openid, { service }) => service.retryPayment(openid, event.orderNo, event.payCode),
  /**
   * WeChat In-App Payment for the merchant's native app (OTT Pay). The app's own server calls
   * this function through HTTP access (POST /fn/pay on the local stack) with the same event;
   * the reply carries the signed PayReq fields and never the WeChat Pay API key.
   */
  createAppPayment: async (event, openid, { service }) => {
    const input = { provider: event.provider, currency: event.currency, items: event.items };
    service.validateAppOrderInput(input);
    return service.createAppOrder(await openid(), input);
  },
  /**
   * NewPay cashier (design.md flow step 7): the mini program was opened from NewPay's scheme
   * URL with `newpayOrderNo`; `code` logs the caller in, `payCode` is spent by NewPay.
   */
  cashierPayment: async (event, openid, { service }) => ({
    payment: await service.cashierPayment(event.provider ?? 'newpay', event.newpayOrderNo, event.payCode, openid),
  }),
  /** NewPay Converge: an order paid on NewPay's cashier page (web or mobile); returns its payUrl. */
  createCashierOrder: async (event, openid, { service }) => {
    const input = {
      provider: event.provider,
      currency: event.currency,
      items: event.items,
      payMethod: event.payMethod,
      channel: event.channel,
      subject: event.subject,
      extra: event.extra,
    };
    // Validate and price before spending the login code.
    service.validateCashierInput(input);
    return service.createCashierOrder(await openid(), input);
  },
};

export async function handlePay(event: unknown, context: CallerContext, deps: PayFunctionDeps): Promise<Record<string, unknown>> {
  try {
    if (event === null || typeof event !== 'object' || Array.isArray(event)) {
      throw new ValidationError('event', 'must be an object like {action: "createOrder", ...}');
    }
    const data = event as Record<string, unknown>;
    const action = data.action;
    if (typeof action !== 'string' || !(PAY_ACTIONS as readonly string[]).includes(action)) {
      throw new ValidationError('action', `must be one of ${PAY_ACTIONS.join(', ')}`);
    }
    // The openid is resolved lazily, once, and only by actions that need it.
    let openid: Promise<string> | undefined;
    const caller = () => {
      openid ??= context.openid ? Promise.resolve(context.openid) : deps.resolveOpenid(data.code, 'code');
      return openid;
    };
    const result = await handlers[action as PayAction](data, caller, deps);
    return { ok: true, ...result };
  } catch (e) {
    // Unexpected errors are logged in full on the server only; the caller gets a generic message.
    if (!isPayError(e)) console.error('pay failed', e);
    return errorResult(e);
  }
}
