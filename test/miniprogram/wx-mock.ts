/**
 * A scripted `wx` for page tests: each API the pages use is a jest mock whose behaviour a
 * test sets. The backend is answered by `backend(event)`, as the `pay` function would.
 */
type Callbacks = { success?: (res: any) => void; fail?: (err: any) => void; complete?: () => void };

export interface WxMock {
  backend: jest.Mock<Promise<any>, [Record<string, any>]>;
  /** The shopper's choice in the simulated WeChat Pay sheet: index into Pay / Cancel / Fail. */
  sheetChoice: number;
  /** What the requestPayment sandbox answers. */
  sandboxErrMsg: (result: string) => string;
  networkDown: boolean;
  language: string;
  api: Record<string, jest.Mock>;
  calls: { requestPayment: Record<string, unknown>[]; navigateTo: string[] };
}

export function installWxMock(): WxMock {
  const mock: WxMock = {
    backend: jest.fn(),
    sheetChoice: 0,
    sandboxErrMsg: (result) => (result === 'pay' ? 'requestPayment:ok' : result === 'cancel' ? 'requestPayment:fail cancel' : 'requestPayment:fail declined'),
    networkDown: false,
    language: 'en',
    api: {},
    calls: { requestPayment: [], navigateTo: [] },
  };
  const api = {
    request: jest.fn((opts: Callbacks & { url: string; data: Record<string, unknown> }) => {
      setTimeout(async () => {
        if (mock.networkDown) return opts.fail?.({ errMsg: 'request:fail timeout' });
        if (opts.url.endsWith('/sandbox/wechat/requestPayment')) {
          mock.calls.requestPayment.push(opts.data);
          return opts.success?.({ statusCode: 200, data: { errMsg: mock.sandboxErrMsg(String(opts.data.result)) } });
        }
        const data = await mock.backend(opts.data);
        opts.success?.({ statusCode: 200, data });
      }, 0);
    }),
    showActionSheet: jest.fn((opts: Callbacks) => setTimeout(() => opts.success?.({ tapIndex: mock.sheetChoice }), 0)),
    navigateTo: jest.fn((opts: { url: string }) => mock.calls.navigateTo.push(opts.url)),
    navigateBack: jest.fn(),
    getSystemInfoSync: jest.fn(() => ({ language: mock.language })),
    login: jest.fn((opts: Callbacks) => opts.success?.({ code: 'real-code', errMsg: 'login:ok' })),
  };
  mock.api = api;
  Object.assign((globalThis as any).wx ?? ((globalThis as any).wx = {}), api);
  return mock;
}

/** Waits until `predicate` holds, flushing timers and promises in between. */
export async function until(predicate: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}
