/**
 * Subscription messages ("the shopper hears back"): once an order is PAID, and once a refund
 * SUCCEEDED, the shopper gets a WeChat message, where the merchant configured a template:
 *   WECHAT_SUBSCRIBE_TEMPLATE_PAID    template id for "payment succeeded"
 *   WECHAT_SUBSCRIBE_TEMPLATE_REFUND  template id for "refund succeeded"
 * (public ids from the mini program admin console, 订阅消息; the mini program learns them
 * from the catalog reply and asks wx.requestSubscribeMessage before paying). Both templates
 * are filled with four keywords: character_string1 (order number), amount2 (amount),
 * time3 (time) and thing4 (the items, or "refund"); pick templates with these keywords.
 *
 * Sent through cloud.openapi.subscribeMessage.send in CloudBase, through the HTTPS API
 * (POST /cgi-bin/message/subscribe/send with an access token) elsewhere. A message is a
 * courtesy: a refusal, an exhausted one-time subscription or quota (43101) or any other error
 * is logged and never retried, and changes nothing about the order. The messages are sent by
 * a decorator around the order store (withSubscribeMessages): the one place every path to
 * PAID and to a SUCCEEDED refund goes through, so no use case has to remember it.
 */
import { ConfigError } from '../core/errors';
import { parseJsonBody, type HttpSend } from '../core/http';
import type { Logger } from '../core/log';
import { formatMoney, isCurrency } from '../core/money';
import type { Order } from '../domain/order';
import type { WechatConfig } from '../config';

export const SUBSCRIBE_TEMPLATE_VARIABLES = { paid: 'WECHAT_SUBSCRIBE_TEMPLATE_PAID', refunded: 'WECHAT_SUBSCRIBE_TEMPLATE_REFUND' } as const;

export interface SubscribeTemplates {
  paid?: string;
  refunded?: string;
}

/** The template ids, from the environment; a malformed one is a ConfigError naming its variable. */
export function readSubscribeTemplates(env: Readonly<Record<string, string | undefined>>): SubscribeTemplates {
  const out: SubscribeTemplates = {};
  const problems: { variable: string; problem: string }[] = [];
  for (const [kind, variable] of Object.entries(SUBSCRIBE_TEMPLATE_VARIABLES) as [keyof SubscribeTemplates, string][]) {
    const value = env[variable]?.trim();
    if (!value) continue;
    if (!/^[A-Za-z0-9_-]{10,64}$/.test(value)) problems.push({ variable, problem: 'must be a template id from the mini program admin console (letters, digits, - and _)' });
    else out[kind] = value;
  }
  if (problems.length) throw new ConfigError(problems);
  return out;
}

/** What the mini program asks the shopper to allow (wx.requestSubscribeMessage's tmplIds). */
export function templateIds(templates: SubscribeTemplates): string[] {
  return [templates.paid, templates.refunded].filter((t): t is string => Boolean(t));
}

export interface SubscribeMessage {
  touser: string;
  templateId: string;
  /** The mini program page the message opens. */
  page: string;
  data: Record<string, { value: string }>;
}

/** WeChat's answer: errcode 0 is sent; 43101 is "the shopper did not allow it (or used it up)". */
export type SendSubscribeMessage = (message: SubscribeMessage) => Promise<{ errcode: number; errmsg: string }>;

/** CloudBase: wx-server-sdk's cloud.openapi (no access token; the platform authorises the call). */
export function cloudSender(openapi: { subscribeMessage: { send(input: Record<string, unknown>): Promise<{ errCode?: number; errMsg?: string }> } }): SendSubscribeMessage {
  return async (message) => {
    try {
      const res = await openapi.subscribeMessage.send({ touser: message.touser, templateId: message.templateId, page: message.page, data: message.data, miniprogramState: 'formal' });
      return { errcode: Number(res.errCode ?? 0), errmsg: String(res.errMsg ?? 'ok') };
    } catch (e) {
      // The SDK throws WeChat's refusals with errCode on the error.
      const err = e as { errCode?: unknown; errMsg?: unknown; message?: unknown };
      return { errcode: Number(err.errCode ?? -1), errmsg: String(err.errMsg ?? err.message ?? e) };
    }
  };
}

/**
 * Elsewhere: the HTTPS API with an access token (GET /cgi-bin/token, cached until shortly
 * before it expires; one token, so nothing grows).
 */
export function httpsSender(config: WechatConfig, http: HttpSend, timeoutMs: number, now: () => number = Date.now): SendSubscribeMessage {
  let token: { value: string; until: number } | undefined;
  const accessToken = async (): Promise<string> => {
    if (token && token.until > now()) return token.value;
    if (!config.appSecret) throw new Error('WECHAT_APP_SECRET is not set, so no access token can be had');
    const url = `${config.apiBase}/cgi-bin/token?grant_type=client_credential&appid=${encodeURIComponent(config.appId)}&secret=${encodeURIComponent(config.appSecret)}`;
    const json = parseJsonBody('wechat', await http({ method: 'GET', url, timeoutMs })) as { access_token?: unknown; expires_in?: unknown; errcode?: unknown; errmsg?: unknown };
    if (typeof json.access_token !== 'string') throw new Error(`access token refused: ${String(json.errcode)} ${String(json.errmsg)}`);
    const seconds = Number(json.expires_in) || 7200;
    token = { value: json.access_token, until: now() + Math.max(60, seconds - 300) * 1000 };
    return token.value;
  };
  return async (message) => {
    try {
      const url = `${config.apiBase}/cgi-bin/message/subscribe/send?access_token=${encodeURIComponent(await accessToken())}`;
      const body = JSON.stringify({ touser: message.touser, template_id: message.templateId, page: message.page, data: message.data, miniprogram_state: 'formal' });
      const json = parseJsonBody('wechat', await http({ method: 'POST', url, body, headers: { 'Content-Type': 'application/json' }, timeoutMs })) as { errcode?: unknown; errmsg?: unknown };
      return { errcode: Number(json.errcode ?? 0), errmsg: String(json.errmsg ?? 'ok') };
    } catch (e) {
      return { errcode: -1, errmsg: e instanceof Error ? e.message : String(e) };
    }
  };
}

function amountText(amount: number, currency: string): string {
  if (!isCurrency(currency)) return `${amount} ${currency}`;
  return formatMoney({ amount, currency });
}

function timeText(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}

/** "thing" keywords hold at most 20 characters. */
const thing = (text: string) => (text.length > 20 ? `${text.slice(0, 19)}…` : text);

/** One message about `order`: its number, an amount, a time and a line of words, opening the order page. */
function orderMessage(order: Order, templateId: string, amount: { amount: number; currency: string }, at: number, words: string): SubscribeMessage {
  return {
    touser: order.openid,
    templateId,
    page: `pages/order/index?orderNo=${order.orderNo}`,
    data: {
      character_string1: { value: order.orderNo },
      amount2: { value: amountText(amount.amount, amount.currency) },
      time3: { value: timeText(at) },
      thing4: { value: thing(words) },
    },
  };
}

export function paidMessage(order: Order, templateId: string): SubscribeMessage {
  return orderMessage(order, templateId, order, order.paidAt ?? order.updatedAt, order.description);
}

export function refundMessage(order: Order, refund: { amount: number; currency: string; settledAt?: number; updatedAt: number }, templateId: string): SubscribeMessage {
  return orderMessage(order, templateId, refund, refund.settledAt ?? refund.updatedAt, `Refund: ${order.description}`);
}

export interface SubscribeDeps {
  templates: SubscribeTemplates;
  send: SendSubscribeMessage;
  log: Logger;
}

/** Sends one message; logs the outcome; never throws, never retries. */
async function deliver(deps: SubscribeDeps, kind: string, message: SubscribeMessage): Promise<void> {
  const { errcode, errmsg } = await deps.send(message);
  const fields = { kind, orderNo: message.data.character_string1?.value, errcode };
  if (errcode === 0) deps.log.info('subscribe message sent', fields);
  else if (errcode === 43101) deps.log.info('subscribe message not sent: the shopper did not allow it, or used it up (43101)', fields);
  else deps.log.warn(`subscribe message not sent: ${errmsg}`, fields);
}

/**
 * What a committed change sends: "payment succeeded" when the order became PAID, "refund
 * succeeded" for each refund that became SUCCEEDED. The settlement engine calls it after the
 * compare-and-set that made the change (use-cases/context.ts `mutate`), so each is sent once,
 * by the call that made it; it never throws, and the change stands whatever happens to a message.
 */
export function subscribeMessagesOnChange(deps: SubscribeDeps): ((before: Order, after: Order) => Promise<void>) | undefined {
  const { paid, refunded } = deps.templates;
  if (!paid && !refunded) return undefined;
  const safely = (work: () => Promise<void>) => work().catch((e: unknown) => deps.log.warn('subscribe message not sent', { error: e instanceof Error ? e.message : String(e) }));
  return async (before, after) => {
    if (paid && before.status !== 'PAID' && after.status === 'PAID') await safely(() => deliver(deps, 'paid', paidMessage(after, paid)));
    if (!refunded) return;
    for (const refund of after.refunds ?? []) {
      if (refund.status !== 'SUCCEEDED') continue;
      const was = (before.refunds ?? []).find((r) => r.refundNo === refund.refundNo)?.status;
      if (was !== 'SUCCEEDED') await safely(() => deliver(deps, 'refunded', refundMessage(after, refund, refunded)));
    }
  };
}
