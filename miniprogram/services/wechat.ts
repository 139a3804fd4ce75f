/**
 * wx.login and wx.requestPayment wrapped as discriminated results. Pages switch on
 * `kind`; they never see callbacks or errMsg strings. On the local stack the WeChat
 * sandbox plays both (no real WeChat Pay in DevTools without a merchant account).
 */
import { config } from '../config';
import { currentLanguage, message, type Lang } from './i18n';
import type { PaymentParams } from './types';

export type LoginResult = { kind: 'ok'; code: string } | { kind: 'fail'; message: string };
export type PaymentOutcome = { kind: 'ok' } | { kind: 'cancel' } | { kind: 'fail'; message: string };

/** A wx.login code lives 5 minutes; we refresh ours after 4 to stay clear of the edge. */
export const CODE_TTL_MS = 4 * 60 * 1000;

let sequence = 0;

export function login(): Promise<LoginResult> {
  if (config.backend === 'local') {
    sequence += 1;
    return Promise.resolve({ kind: 'ok', code: `test-${config.localUser}-${Date.now().toString(36)}${sequence}` });
  }
  return new Promise((resolve) => {
    wx.login({
      success: (res) => resolve(res.code ? { kind: 'ok', code: res.code } : { kind: 'fail', message: res.errMsg }),
      fail: (err) => resolve({ kind: 'fail', message: err.errMsg }),
    });
  });
}

/** `requestPayment:fail cancel` is the shopper closing the sheet; every other fail is a failure. */
export function outcomeOf(errMsg: string): PaymentOutcome {
  if (errMsg === 'requestPayment:ok') return { kind: 'ok' };
  if (/cancel/.test(errMsg)) return { kind: 'cancel' };
  return { kind: 'fail', message: errMsg };
}

function simulatedPayment(params: PaymentParams): Promise<PaymentOutcome> {
  return new Promise((resolve) => {
    const lang = currentLanguage();
    wx.showActionSheet({
      itemList: [message('simPay', lang), message('simCancel', lang), message('simFail', lang)],
      success: (choice) => {
        const result = (['pay', 'cancel', 'fail'] as const)[choice.tapIndex] ?? 'cancel';
        wx.request({
          url: `${config.localBaseUrl}/sandbox/wechat/requestPayment`,
          method: 'POST',
          data: { ...params, result },
          success: (res) => resolve(outcomeOf(String((res.data as { errMsg?: string }).errMsg ?? 'requestPayment:fail'))),
          fail: (err) => resolve({ kind: 'fail', message: err.errMsg }),
        });
      },
      fail: () => resolve({ kind: 'cancel' }),
    });
  });
}

export function requestPayment(params: PaymentParams): Promise<PaymentOutcome> {
  if (config.backend === 'local') return simulatedPayment(params);
  return new Promise((resolve) => {
    wx.requestPayment({
      ...params,
      success: () => resolve({ kind: 'ok' }),
      fail: (err) => resolve(outcomeOf(err.errMsg)),
    });
  });
}

/**
 * Asks the shopper to allow the shop's "payment succeeded" / "refund succeeded" messages
 * (templates from the catalog reply). Called first thing in the Pay tap (WeChat only shows
 * the prompt from a tap). Whatever the answer, paying goes on: a refusal changes nothing.
 * On the local stack the WeChat sandbox plays the prompt.
 */
export function requestSubscribe(tmplIds: readonly string[], lang: Lang): Promise<void> {
  if (tmplIds.length === 0) return Promise.resolve();
  if (config.backend === 'local') {
    return new Promise((resolve) => {
      wx.showActionSheet({
        itemList: [message('simAllowMessages', lang), message('simNotNow', lang)],
        success: (choice) => {
          wx.request({
            url: `${config.localBaseUrl}/sandbox/wechat/requestSubscribeMessage`,
            method: 'POST',
            data: { code: `test-${config.localUser}-subscribe${Date.now().toString(36)}`, tmplIds, result: choice.tapIndex === 0 ? 'accept' : 'reject' },
            success: () => resolve(),
            fail: () => resolve(),
          });
        },
        fail: () => resolve(),
      });
    });
  }
  return new Promise((resolve) => {
    wx.requestSubscribeMessage({ tmplIds: [...tmplIds], success: () => resolve(), fail: () => resolve() } as unknown as WechatMiniprogram.RequestSubscribeMessageOption);
  });
}

/**
 * Who the caller is, for calls that only read or change the shopper's own orders. In
 * WeChat's cloud the function already knows the shopper (getWXContext), so no wx.login is
 * spent at all (`{}`); elsewhere a code is sent (on the local stack its sandbox makes them).
 */
export async function identity(): Promise<{ code?: string } | undefined> {
  if (config.backend === 'cloud') return {};
  const result = await login();
  return result.kind === 'ok' ? { code: result.code } : undefined;
}

/**
 * Keeps a fresh login code ready so that a tap on Pay costs one backend round trip.
 * `take()` hands out the code (codes are single-use) and starts fetching the next.
 */
export class LoginCodeCache {
  private pending: Promise<{ code: string; at: number } | undefined> | undefined;

  constructor(private readonly now: () => number = Date.now) {}

  prefetch(): void {
    this.pending = login().then((r) => (r.kind === 'ok' ? { code: r.code, at: this.now() } : undefined));
  }

  async take(): Promise<LoginResult> {
    const cached = this.pending ? await this.pending : undefined;
    this.pending = undefined;
    const result: LoginResult = cached && this.now() - cached.at < CODE_TTL_MS ? { kind: 'ok', code: cached.code } : await login();
    this.prefetch();
    return result;
  }
}

/**
 * The login codes a payment call carries: `code` identifies the shopper to our backend,
 * and, where the provider says it `needsPayCode` (its own backend call spends a wx.login
 * code), `payCode`, a second fresh code. `undefined` when WeChat login failed.
 * `next` supplies codes (a LoginCodeCache's take).
 */
export async function paymentCodes(
  needsPayCode: boolean,
  next: () => Promise<LoginResult> = login,
): Promise<{ code: string; payCode?: string } | undefined> {
  const first = await next();
  if (first.kind !== 'ok') return undefined;
  if (!needsPayCode) return { code: first.code };
  const second = await next();
  return second.kind === 'ok' ? { code: first.code, payCode: second.code } : undefined;
}
