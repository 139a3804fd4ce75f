/**
 * A WeChat stand-in for the local stack, written apart from the server code (crypto-js,
 * not node:crypto) so each side checks the other:
 * - jscode2session: codes `test-<user>-<anything>` give a stable openid per user, once each.
 * - requestPayment: checks paySign as WeChat would for the prepay id a provider simulator
 *   registered, then tells that simulator the shopper's choice (pay / cancel / fail) and how
 *   its notifications are to be delivered (`delivery`, see ./delivery.ts).
 * - subscription messages: requestSubscribeMessage (the mini program's stand-in for
 *   wx.requestSubscribeMessage: each "accept" allows one message of that template, as WeChat's
 *   one-time subscriptions do), GET /cgi-bin/token and POST /cgi-bin/message/subscribe/send,
 *   which answers 43101 where the shopper allowed nothing. Every message it is asked to send
 *   is recorded (the newest 200) for the developer console.
 */
import CryptoJS from 'crypto-js';
import forge from 'node-forge';

export type ShopperChoice = 'pay' | 'cancel' | 'fail';

export interface RegisteredPrepay {
  /** The provider simulator that registered it: not paid here when that provider is real. */
  provider?: string;
  /** How the provider simulator signed the wx.requestPayment parameters. */
  signType: 'MD5' | 'HMAC-SHA256' | 'RSA';
  /** MD5 / HMAC-SHA256: the WeChat Pay API key. RSA: a verifier for the v3 message, or the merchant's public key. */
  key?: string;
  verifyRsa?: (message: string, signature: string) => boolean;
  /**
   * RSA, WeChat Pay v3 direct merchants: the merchant's public key (PEM). WeChat checks paySign
   * with the key of the merchant API certificate; this sandbox does it with node-forge, apart
   * from the server's node:crypto.
   */
  merchantPublicKeyPem?: string;
  /** Called once the shopper pays; the provider then notifies the merchant as `delivery` says. */
  onPaid: (delivery: DeliveryMode) => void;
  paid?: boolean;
}

import { parseDelivery, type DeliveryMode } from './delivery';
import type { SandboxRequest, SimReply } from './types';
import { BoundedMap, BoundedSet } from '../bounded-map';

type SandboxReply = SimReply & { body: Record<string, unknown> };

/** A message the sandbox was asked to send, as the console shows it. */
export interface RecordedMessage {
  at: number;
  touser: string;
  templateId: string;
  page?: string;
  data: Record<string, unknown>;
  /** 0: delivered; 43101: the shopper had not allowed it. */
  errcode: number;
}

const MAX_MESSAGES = 200;

export class WechatSandbox {
  private readonly usedCodes = new BoundedSet<string>(10_000);
  private readonly prepays = new BoundedMap<string, RegisteredPrepay>();
  /** Providers whose *_API_BASE is real: the shopper pays those at the real WeChat, never here. */
  readonly realProviders = new Set<string>();
  private readonly tokens = new BoundedMap<string, number>(100);
  /** One-time subscriptions: how many messages of a template a shopper still allows. */
  private readonly allowances = new BoundedMap<string, number>(10_000);
  private readonly messages: RecordedMessage[] = [];

  constructor(private readonly appId: string, private readonly appSecret: string) {}

  /** Routes requests under /sandbox/wechat. */
  handle(req: SandboxRequest): SandboxReply {
    if (req.path === '/sns/jscode2session' && req.method === 'GET') return this.code2session(req.query);
    if (req.path === '/requestPayment' && req.method === 'POST') return this.requestPayment(req.json());
    if (req.path === '/requestSubscribeMessage' && req.method === 'POST') return this.requestSubscribeMessage(req.json());
    if (req.path === '/cgi-bin/token' && req.method === 'GET') return this.token(req.query);
    if (req.path === '/cgi-bin/message/subscribe/send' && req.method === 'POST') return this.sendSubscribeMessage(req.query, req.json());
    return { status: 404, body: { errcode: 404, errmsg: `no WeChat API at ${req.method} ${req.path}` } };
  }

  /** The openid a test user gets; stable per app and user, 28 characters like WeChat's. */
  openidFor(user: string): string {
    const digest = CryptoJS.SHA256(`${this.appId}:${user}`).toString(CryptoJS.enc.Base64);
    return ('o' + digest.replace(/[^A-Za-z0-9]/g, '')).slice(0, 28);
  }

  code2session(query: URLSearchParams): SandboxReply {
    const appid = query.get('appid');
    const secret = query.get('secret');
    const code = query.get('js_code');
    if (query.get('grant_type') !== 'authorization_code') {
      return { status: 200, body: { errcode: 40002, errmsg: 'invalid grant_type' } };
    }
    if (appid !== this.appId) return { status: 200, body: { errcode: 40013, errmsg: 'invalid appid' } };
    if (secret !== this.appSecret) return { status: 200, body: { errcode: 40125, errmsg: 'invalid appsecret' } };
    const match = /^test-([A-Za-z0-9_]{1,32})-[A-Za-z0-9_.-]{1,64}$/.exec(code ?? '');
    if (!code || !match) return { status: 200, body: { errcode: 40029, errmsg: 'invalid code' } };
    if (this.usedCodes.has(code)) return { status: 200, body: { errcode: 40163, errmsg: 'code been used' } };
    this.usedCodes.add(code);
    return {
      status: 200,
      body: { openid: this.openidFor(match[1] as string), session_key: CryptoJS.MD5(code).toString(CryptoJS.enc.Base64) },
    };
  }

  /** The shopper answers the subscription prompt; `code` is a login code, read (not spent) to know who. */
  requestSubscribeMessage(body: Record<string, unknown>): SandboxReply {
    const user = /^test-([A-Za-z0-9_]{1,32})-/.exec(String(body.code ?? ''))?.[1];
    const ids = Array.isArray(body.tmplIds) ? body.tmplIds.filter((t): t is string => typeof t === 'string' && t !== '') : [];
    if (!user || ids.length === 0) return { status: 400, body: { errMsg: 'requestSubscribeMessage:fail parameter error: code and tmplIds are required', errCode: 10001 } };
    const answer = body.result === 'reject' ? 'reject' : 'accept';
    const openid = this.openidFor(user);
    const reply: Record<string, unknown> = { errMsg: 'requestSubscribeMessage:ok' };
    for (const id of ids) {
      if (answer === 'accept') this.allowances.set(`${openid}:${id}`, (this.allowances.get(`${openid}:${id}`) ?? 0) + 1);
      reply[id] = answer;
    }
    return { status: 200, body: reply };
  }

  token(query: URLSearchParams): SandboxReply {
    if (query.get('grant_type') !== 'client_credential') return { status: 200, body: { errcode: 40002, errmsg: 'invalid grant_type' } };
    if (query.get('appid') !== this.appId) return { status: 200, body: { errcode: 40013, errmsg: 'invalid appid' } };
    if (query.get('secret') !== this.appSecret) return { status: 200, body: { errcode: 40125, errmsg: 'invalid appsecret' } };
    const token = `sandbox-token-${CryptoJS.lib.WordArray.random(12).toString()}`;
    this.tokens.set(token, Date.now() + 7_200_000);
    return { status: 200, body: { access_token: token, expires_in: 7200 } };
  }

  sendSubscribeMessage(query: URLSearchParams, body: Record<string, unknown>): SandboxReply {
    const until = this.tokens.get(query.get('access_token') ?? '');
    if (!until || until < Date.now()) return { status: 200, body: { errcode: 40001, errmsg: 'invalid credential, access_token is invalid or not latest' } };
    const touser = typeof body.touser === 'string' ? body.touser : '';
    const templateId = typeof body.template_id === 'string' ? body.template_id : '';
    if (!touser || !templateId || typeof body.data !== 'object' || body.data === null) {
      return { status: 200, body: { errcode: 47003, errmsg: 'argument invalid! touser, template_id and data are required' } };
    }
    const key = `${touser}:${templateId}`;
    const allowed = this.allowances.get(key) ?? 0;
    const errcode = allowed > 0 ? 0 : 43101;
    if (allowed > 0) this.allowances.set(key, allowed - 1);
    this.messages.push({ at: Date.now(), touser, templateId, ...(typeof body.page === 'string' ? { page: body.page } : {}), data: body.data as Record<string, unknown>, errcode });
    if (this.messages.length > MAX_MESSAGES) this.messages.splice(0, this.messages.length - MAX_MESSAGES);
    return { status: 200, body: errcode === 0 ? { errcode: 0, errmsg: 'ok' } : { errcode, errmsg: 'user refuse to accept the msg' } };
  }

  /** Every message asked for, newest first. */
  sentMessages(): RecordedMessage[] {
    return [...this.messages].reverse();
  }

  registerPrepay(prepayId: string, prepay: RegisteredPrepay): void {
    this.prepays.set(prepayId, prepay);
  }

  private expectedSignature(p: Record<string, string>, prepay: RegisteredPrepay): boolean {
    if (prepay.signType === 'RSA') {
      const message = `${this.appId}\n${p.timeStamp}\n${p.nonceStr}\n${p.package}\n`;
      if (prepay.merchantPublicKeyPem) return forgeRsaSha256Verifies(prepay.merchantPublicKeyPem, message, p.paySign ?? '');
      return prepay.verifyRsa?.(message, p.paySign ?? '') === true;
    }
    const message = `appId=${this.appId}&nonceStr=${p.nonceStr}&package=${p.package}&signType=${p.signType}&timeStamp=${p.timeStamp}&key=${prepay.key ?? ''}`;
    const expected = (prepay.signType === 'MD5' ? CryptoJS.MD5(message) : CryptoJS.HmacSHA256(message, prepay.key ?? ''))
      .toString()
      .toUpperCase();
    return expected === p.paySign;
  }

  requestPayment(body: Record<string, unknown>): SandboxReply {
    const fail = (errMsg: string, status = 400): SandboxReply => ({ status, body: { errMsg } });
    const fields = ['timeStamp', 'nonceStr', 'package', 'signType', 'paySign'] as const;
    const p: Record<string, string> = {};
    for (const f of fields) {
      if (typeof body[f] !== 'string' || body[f] === '') return fail(`requestPayment:fail parameter error: ${f} is required`);
      p[f] = body[f] as string;
    }
    const result = body.result ?? 'pay';
    if (result !== 'pay' && result !== 'cancel' && result !== 'fail') {
      return fail('requestPayment:fail parameter error: result must be "pay", "cancel" or "fail"');
    }
    const delivery = parseDelivery(body);
    if (typeof delivery === 'string') return fail(`requestPayment:fail parameter error: ${delivery}`);
    if (!/^\d{10}$/.test(p.timeStamp!)) return fail('requestPayment:fail parameter error: timeStamp must be seconds');
    if (p.nonceStr!.length > 32) return fail('requestPayment:fail parameter error: nonceStr is longer than 32');
    const prepayId = /^prepay_id=(.+)$/.exec(p.package!)?.[1];
    const prepay = prepayId ? this.prepays.get(prepayId) : undefined;
    if (!prepayId || !prepay) return fail('requestPayment:fail prepay_id is unknown or expired', 404);
    if (prepay.provider && this.realProviders.has(prepay.provider)) {
      return fail(`requestPayment:fail ${prepay.provider} is not simulated on this stack: its orders are paid in WeChat`, 403);
    }
    if (p.signType !== prepay.signType || !this.expectedSignature(p, prepay)) {
      return fail('requestPayment:fail paySign is invalid', 401);
    }
    if (prepay.paid) return fail('requestPayment:fail this order has been paid', 409);
    if (result === 'cancel') return { status: 200, body: { errMsg: 'requestPayment:fail cancel' } };
    if (result === 'fail') return { status: 200, body: { errMsg: 'requestPayment:fail payment declined by the simulated bank' } };
    prepay.paid = true;
    prepay.onPaid(delivery);
    return { status: 200, body: { errMsg: 'requestPayment:ok' } };
  }
}

/** SHA256withRSA (PKCS#1 v1.5) with node-forge: a Base64 signature over a UTF-8 message. */
function forgeRsaSha256Verifies(publicKeyPem: string, message: string, signatureB64: string): boolean {
  try {
    const key = forge.pki.publicKeyFromPem(publicKeyPem);
    const md = forge.md.sha256.create();
    md.update(message, 'utf8');
    return key.verify(md.digest().bytes(), forge.util.decode64(signatureB64));
  } catch {
    return false;
  }
}
