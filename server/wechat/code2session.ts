/**
 * Who is paying. In WeChat's cloud the platform tells us (cloud.getWXContext().OPENID);
 * elsewhere (local stack, self-hosting) the mini program's wx.login code is exchanged
 * through jscode2session. A code lives 5 minutes and works once.
 */
import { AuthError, ProviderError, ValidationError } from '../core/errors';
import { parseJsonBody, type HttpSend } from '../core/http';
import type { WechatConfig } from '../config';

export type OpenidResolver = (code: unknown, field?: string) => Promise<string>;

export function createCode2Session(config: WechatConfig, http: HttpSend, timeoutMs: number): OpenidResolver {
  return async (code, field = 'code') => {
    if (typeof code !== 'string' || code.trim() === '') {
      throw new AuthError('LOGIN_REQUIRED', `${field}: a fresh wx.login code is required`, field);
    }
    if (code.length > 128) throw new ValidationError(field, 'is too long to be a wx.login code');
    if (!config.appSecret) {
      throw new AuthError('LOGIN_FAILED', 'WECHAT_APP_SECRET is not set, so login codes cannot be exchanged');
    }
    const url =
      `${config.apiBase}/sns/jscode2session?appid=${encodeURIComponent(config.appId)}` +
      `&secret=${encodeURIComponent(config.appSecret)}&js_code=${encodeURIComponent(code)}` +
      `&grant_type=authorization_code`;
    // Not retried: the code is single-use, a retry after a lost answer would see 40163.
    const response = await http({ method: 'GET', url, timeoutMs });
    const json = parseJsonBody('wechat', response) as { openid?: unknown; errcode?: unknown; errmsg?: unknown };
    if (typeof json.openid === 'string' && json.openid !== '') return json.openid;
    const errcode = Number(json.errcode);
    if (errcode === 40163) throw new AuthError('LOGIN_CODE_USED', `${field}: this wx.login code was already used; call wx.login again`, field);
    if (errcode === 40029) throw new AuthError('LOGIN_CODE_INVALID', `${field}: this wx.login code is invalid or expired; call wx.login again`, field);
    throw new ProviderError('wechat', `jscode2session failed: ${String(json.errmsg ?? `HTTP ${response.status}`)}`, {
      providerCode: String(json.errcode ?? ''),
      httpStatus: response.status,
    });
  };
}
