/**
 * The one place that talks to the backend: wx.cloud.callFunction in WeChat's cloud,
 * wx.request to the local stack's POST /fn/<name>. Always resolves to a Reply; network
 * trouble becomes `{ok: false, error: {code: 'NETWORK'}}`, never an exception.
 */
import { config } from '../config';
import type { BackendError, Reply } from './types';

const NETWORK_ERROR: BackendError = { code: 'NETWORK', message: 'network unavailable' };

function isReply(value: unknown): value is Reply<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && typeof (value as { ok?: unknown }).ok === 'boolean';
}

export function callFunction<T>(name: string, data: Record<string, unknown>): Promise<Reply<T>> {
  return new Promise((resolve) => {
    const settle = (value: unknown) => resolve(isReply(value) ? (value as Reply<T>) : { ok: false, error: NETWORK_ERROR });
    if (config.backend === 'cloud') {
      wx.cloud
        .callFunction({ name, data })
        .then((res) => settle(res.result))
        .catch(() => settle(undefined));
      return;
    }
    wx.request({
      url: `${config.localBaseUrl}/fn/${name}`,
      method: 'POST',
      data,
      header: { 'Content-Type': 'application/json' },
      timeout: 20000,
      success: (res) => settle(res.data),
      fail: () => settle(undefined),
    });
  });
}

export const callPay = <T>(data: Record<string, unknown>) => callFunction<T>('pay', data);
