/**
 * The settlement engine on an in-memory store (the CloudBase stand-in, or SQLite in memory)
 * with a fake provider whose every answer the test sets: no HTTP, no clock but the test's.
 */
import type { AppConfig } from '../../server/config';
import { defaultCatalog } from '../../server/core/catalog';
import type { Logger } from '../../server/core/log';
import type { Order, OrderStatus } from '../../server/domain/order';
import type { Refund } from '../../server/domain/refund';
import { defineProvider, type ProviderCapabilities } from '../../server/providers/descriptor';
import { ProviderRegistry } from '../../server/providers/registry';
import type { PaymentProvider, PaymentReport, RefundReport } from '../../server/providers/types';
import { CloudBaseOrderStore } from '../../server/store/cloudbase/order-store';
import { SqliteOrderStore } from '../../server/store/sqlite/order-store';
import type { Store } from '../../server/store/types';
import { PaymentService } from '../../server/use-cases/service';
import { createFakeCloudDatabase, type CallHook } from '../../local/fake-cloudbase';

export type Answer<R> = R | Error;

/** A provider whose answers are queued by the test; every call is recorded. */
export class FakeProvider {
  readonly calls: { method: string; args: unknown }[] = [];
  queryAnswers: Answer<Omit<PaymentReport, 'orderNo'>>[] = [];
  refundAnswers: Answer<Omit<RefundReport, 'refundNo'>>[] = [];
  refundQueryAnswers: Answer<Omit<RefundReport, 'refundNo'>>[] = [];
  /** When set, answers refunds instead of the queue (a provider with books of its own). */
  onRefund?: (refund: Refund, resend: boolean) => Omit<RefundReport, 'refundNo'>;
  onRefundQuery?: (refund: Refund) => Omit<RefundReport, 'refundNo'>;

  private next<R>(list: Answer<R>[], what: string): R {
    const a = list.shift();
    if (a === undefined) throw new Error(`test gave no ${what} answer`);
    if (a instanceof Error) throw a;
    return a;
  }

  adapter(): PaymentProvider {
    return {
      name: 'fakepay',
      currencies: ['NZD'],
      createMiniPayment: async () => ({ providerRef: 'FP-1', payment: { timeStamp: '1', nonceStr: 'n', package: 'p', signType: 'MD5', paySign: 's' } }),
      verifyNotification: () => {
        throw new Error('not used');
      },
      claimedOrderNo: () => undefined,
      acknowledge: () => ({ statusCode: 200, headers: {}, body: 'ok' }),
      refuse: (statusCode, reason) => ({ statusCode, headers: {}, body: reason }),
      queryPayment: async (order: Order) => {
        this.calls.push({ method: 'queryPayment', args: order.orderNo });
        return { orderNo: order.orderNo, ...this.next(this.queryAnswers, 'query') };
      },
      refund: async (input) => {
        this.calls.push({ method: 'refund', args: { refundNo: input.refund.refundNo, resend: input.resend === true } });
        if (this.onRefund) return { refundNo: input.refund.refundNo, ...this.onRefund(input.refund, input.resend === true) };
        return { refundNo: input.refund.refundNo, ...this.next(this.refundAnswers, 'refund') };
      },
      queryRefund: async (refund: Refund) => {
        this.calls.push({ method: 'queryRefund', args: refund.refundNo });
        if (this.onRefundQuery) return { refundNo: refund.refundNo, ...this.onRefundQuery(refund) };
        return { refundNo: refund.refundNo, ...this.next(this.refundQueryAnswers, 'refund query') };
      },
    };
  }
}

export const silent: Logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined } as unknown as Logger;

export interface World {
  service: PaymentService;
  store: Store;
  provider: FakeProvider;
  clock: { now: number };
  /** A PAID order (or in `status`) of 1000 NZD cents, stored directly. */
  order(status?: OrderStatus, overrides?: Partial<Order>): Promise<Order>;
}

let seq = 0;

export interface WorldOptions {
  store?: 'cloudbase' | 'sqlite';
  capabilities?: Partial<ProviderCapabilities>;
  reconcileAfterMs?: number;
  /** CloudBase only: the database's collections (shared by a "killed" and a "restarted" world) and a hook before every call. */
  collections?: Map<string, Record<string, unknown>[]>;
  hook?: CallHook;
  provider?: FakeProvider;
  clock?: { now: number };
}

export function makeWorld(options: WorldOptions = {}): World {
  const provider = options.provider ?? new FakeProvider();
  const clock = options.clock ?? { now: 1_800_000_000_000 };
  const capabilities: ProviderCapabilities = { secondLoginCode: false, reissue: false, query: true, cashier: false, inApp: false, refund: true, refundQuery: true, refundResend: true, ...options.capabilities };
  const descriptor = defineProvider<Record<string, never>>({
    name: 'fakepay',
    displayName: 'FakePay',
    capabilities,
    readConfig: () => ({}),
    currencies: () => ['NZD'],
    apiBaseVariable: 'FAKEPAY_API_BASE',
    createAdapter: () => provider.adapter(),
  });
  const registry = new ProviderRegistry([{ name: 'fakepay', descriptor, capabilities, adapter: provider.adapter(), currencies: ['NZD'] }]);
  const store: Store =
    options.store === 'sqlite'
      ? new SqliteOrderStore(':memory:')
      : new CloudBaseOrderStore(createFakeCloudDatabase({ ...(options.collections ? { collections: options.collections } : {}), ...(options.hook ? { hook: options.hook } : {}) }));
  const config = {
    wechat: { appId: 'wx0000000000000000', apiBase: 'http://127.0.0.1:1' },
    notifyBaseUrl: 'http://127.0.0.1:1/notify',
    providers: ['fakepay'],
    providerTimeoutMs: 1_000,
    orderTtlMs: 30 * 60_000,
    reconcileAfterMs: options.reconcileAfterMs ?? 0,
    providerConfigs: { fakepay: {} },
    adminOpenids: [],
    urlVariables: {},
  } as AppConfig;
  const service = new PaymentService({ config, store, providers: registry, catalog: defaultCatalog, log: silent, now: () => clock.now });
  return {
    service,
    store,
    provider,
    clock,
    async order(status = 'PAID', overrides = {}) {
      seq += 1;
      const order: Order = {
        orderNo: `T${clock.now}${String(seq).padStart(6, '0')}`,
        openid: 'oShopper',
        provider: 'fakepay',
        status,
        amount: 1000,
        currency: 'NZD',
        description: 'test',
        items: [],
        createdAt: clock.now,
        updatedAt: clock.now,
        expiresAt: clock.now + 30 * 60_000,
        ...(status === 'PAID' ? { paidAt: clock.now } : {}),
        ...(status === 'PAYING' || status === 'CREATED' ? { check: { at: clock.now, attempt: 0, until: clock.now + 24 * 3_600_000 } } : {}),
        ...overrides,
      };
      await store.insert(order);
      return order;
    },
  };
}
