/**
 * The developer console (GET / on the local stack) in headless Chromium, driven by
 * playwright-core: create an order through the console's form, play the shopper with the
 * row's Pay button, see the row turn PAID and the timeline show the verified notification.
 * The browser is whatever scripts/lib/browser.ts finds (CHROME_PATH, an installed Chrome,
 * Chromium or Edge, else the Chromium inside the @sparticuz/chromium dev dependency).
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { findBrowser } from '../../scripts/lib/browser';
import { startTestStack, type TestStack } from '../helpers/local-stack';

const ARTIFACTS = resolve(__dirname, '../../test-artifacts');

jest.setTimeout(90_000);

describe('developer console in headless Chromium', () => {
  let stack: TestStack;
  let userDataDir: string;
  let context: BrowserContext | undefined;
  let page: Page;

  beforeAll(async () => {
    const browser = await findBrowser();
    stack = await startTestStack();
    userDataDir = await mkdtemp(join(tmpdir(), 'console-chromium-'));
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: browser.executablePath,
      headless: true,
      args: browser.args,
      viewport: { width: 1400, height: 820 },
    });
    page = context.pages()[0] ?? (await context.newPage());
  });

  afterAll(async () => {
    await context?.close();
    if (userDataDir) await rm(userDataDir, { recursive: true, force: true });
    await stack?.close();
  });

  it('creates an order from the form, pays it with the Pay button, and shows the verified notification', async () => {
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));

    // An order from another shopper (through /fn/pay), in LAK if NewPay is on: shows formatting.
    const lak = stack.app.config.providers.includes('newpay')
      ? await stack.fn('pay', { action: 'createOrder', provider: 'newpay', items: [{ sku: 'coffee', quantity: 3 }], code: stack.code('bob'), payCode: stack.code('bob') })
      : undefined;

    await page.goto(stack.url + '/');
    await expect(page.title()).resolves.toContain('developer console');

    // The form lists the enabled providers once their catalogs load.
    await page.locator('#provider option[value="latipay"]').waitFor({ state: 'attached' });
    await page.selectOption('#provider', 'latipay');
    await page.locator('#sku option[value="coffee"]').waitFor({ state: 'attached' });
    await page.selectOption('#sku', 'coffee');
    await page.fill('#quantity', '2');
    await page.click('#create');
    await page.locator('#form-message.ok').waitFor();
    const created = (await page.textContent('#form-message')) ?? '';
    const orderNo = /Created (\S+) \(PAYING/.exec(created)?.[1];
    expect(orderNo).toBeDefined();

    const stored = await stack.app.store.get(orderNo!);
    expect(stored).toMatchObject({ provider: 'latipay', status: 'PAYING', currency: 'NZD' });
    // The console's own shopper (code test-console-…), priced by the server.
    expect(stored!.openid).toBe(stack.sandboxes.wechat.openidFor('console'));

    const row = page.locator(`#orders tr[data-order-no="${orderNo}"]`);
    await expect(row.locator('.status').textContent()).resolves.toBe('PAYING');
    await expect(row.locator('td.amount').textContent()).resolves.toMatch(/^NZ\$\d+\.\d{2}$/);
    await expect(row.locator('td.provider').textContent()).resolves.toBe('latipay');

    await row.locator('button.pay').click();
    await row.locator('.status', { hasText: 'PAID' }).waitFor({ timeout: 10_000 });
    await expect(page.locator('#action-message').textContent()).resolves.toContain('requestPayment:ok');

    // The timeline (the order is selected) shows the verified notification and the state change.
    const notification = page.locator('#events li.event.notification.verified');
    await notification.first().waitFor({ timeout: 10_000 });
    await expect(notification.first().textContent()).resolves.toContain('verified');
    const types = await page.locator('#events li').evaluateAll((items) => items.map((li) => li.getAttribute('data-type')));
    expect(types).toEqual(expect.arrayContaining(['created', 'provider_request', 'provider_response', 'notification', 'status_changed']));
    await expect(page.locator('#events').textContent()).resolves.toContain('→ PAID (notification)');
    expect(await row.locator('button.pay').count()).toBe(0);

    if (lak?.body.ok) {
      const lakRow = page.locator(`#orders tr[data-order-no="${lak.body.order.orderNo}"]`);
      await expect(lakRow.locator('td.amount').textContent()).resolves.toMatch(/^₭\d{1,3}(,\d{3})+$/);
    }

    await mkdir(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'console.png'), fullPage: true });
    expect(pageErrors).toEqual([]);
  });

  it('refunds a paid order in two parts as the operator and shows the refunds in the timeline', async () => {
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    const created = await stack.fn('pay', { action: 'createOrder', provider: 'latipay', items: [{ sku: 'coffee', quantity: 2 }], code: stack.code('dave') });
    const orderNo = created.body.order.orderNo as string;
    await stack.requestPayment(created.body.payment, 'pay');
    await stack.waitForStatus(orderNo, 'dave', 'PAID');
    const row = page.locator(`#orders tr[data-order-no="${orderNo}"]`);
    await row.locator('.status', { hasText: 'PAID' }).waitFor({ timeout: 10_000 });

    await row.locator('button.refund').click();
    await page.locator('#refund-form').waitFor();
    await page.fill('#refund-amount', '1.00');
    await page.fill('#refund-reason', 'cold coffee');
    await page.click('#refund-submit');
    await page.locator('#action-message', { hasText: `${orderNo}: refund ` }).waitFor();
    await expect(page.locator('#action-message').textContent()).resolves.toMatch(/NZ\$1\.00 → SUCCEEDED/);
    await row.locator('.status', { hasText: 'PARTIALLY_REFUNDED' }).waitFor({ timeout: 10_000 });

    // The form offers what remains; refunding it all makes the order REFUNDED.
    await page.locator('#refund-form').waitFor();
    await page.click('#refund-submit');
    await row.locator('.status', { hasText: /^REFUNDED$/ }).waitFor({ timeout: 10_000 });
    await page.locator('table.refunds tr[data-status="SUCCEEDED"]').nth(1).waitFor();
    const types = await page.locator('#events li').evaluateAll((items) => items.map((li) => li.getAttribute('data-type')));
    expect(types).toEqual(expect.arrayContaining(['refund_requested', 'refund_response', 'refund_settled', 'admin']));
    expect(await stack.app.store.get(orderNo)).toMatchObject({ status: 'REFUNDED', refundedAmount: created.body.order.amount });
    expect(await page.locator('#refund-form').count()).toBe(0);
    expect(pageErrors).toEqual([]);
  });

  it('settles a stuck refund by hand: Resolve beside a PENDING refund asks for a note and calls resolveRefund', async () => {
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    const created = await stack.fn('pay', { action: 'createOrder', provider: 'latipay', items: [{ sku: 'coffee', quantity: 1 }], code: stack.code('erin') });
    const orderNo = created.body.order.orderNo as string;
    await stack.requestPayment(created.body.payment, 'pay');
    await stack.waitForStatus(orderNo, 'erin', 'PAID');
    // Latipay's answer is lost: no refund query, no safe re-send; the refund waits for a person.
    await fetch(`${stack.url}/sandbox/latipay/next-refund`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ answer: 'lost', truth: 'succeeded' }) });
    const asked = await stack.fn('admin', { action: 'refund', code: stack.code('operator'), orderNo, amount: 100 });
    expect(asked.body.refund.status).toBe('PENDING');
    const row = page.locator(`#orders tr[data-order-no="${orderNo}"]`);
    await row.click();
    const pending = page.locator(`table.refunds tr[data-refund-no="${asked.body.refund.refundNo}"]`);
    await pending.locator('button.resolve-succeeded').waitFor();
    page.once('dialog', (dialog) => void dialog.accept('portal shows it paid out'));
    await pending.locator('button.resolve-succeeded').click();
    await page.locator(`table.refunds tr[data-refund-no="${asked.body.refund.refundNo}"][data-status="SUCCEEDED"]`).waitFor({ timeout: 10_000 });
    const stored = await stack.app.store.get(orderNo);
    expect(stored).toMatchObject({ status: 'PARTIALLY_REFUNDED', refundedAmount: 100 });
    expect(stored?.timeline?.some((l) => l.type === 'admin' && l.detail.action === 'resolveRefund' && l.detail.note === 'portal shows it paid out')).toBe(true);
    expect(pageErrors).toEqual([]);
  });

  it('cancel leaves the order PAYING with its buttons; fail is reported', async () => {
    const created = await stack.fn('pay', { action: 'createOrder', provider: 'latipay', items: [{ sku: 'cake', quantity: 1 }], code: stack.code('carol') });
    const orderNo = created.body.order.orderNo as string;
    const row = page.locator(`#orders tr[data-order-no="${orderNo}"]`);
    await row.waitFor({ timeout: 5_000 });
    await row.locator('button.cancel').click();
    await page.locator('#action-message', { hasText: `${orderNo}: cancel → requestPayment:fail cancel` }).waitFor();
    await row.locator('button.fail').click();
    await page.locator('#action-message', { hasText: `${orderNo}: fail → requestPayment:fail` }).waitFor();
    expect((await stack.app.store.get(orderNo))?.status).toBe('PAYING');
    await expect(row.locator('.status').textContent()).resolves.toBe('PAYING');
  });

  it('at 1280 × 800 with a partly refunded order on screen, Pay, Cancel and Fail are uncovered and work; Refund is the operator\'s; money is formatted; a refused refund keeps its amount', async () => {
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    // A partly refunded order, selected so its timeline (refunds, form) fills the side panel.
    const partly = await stack.fn('pay', { action: 'createOrder', provider: 'latipay', items: [{ sku: 'coffee', quantity: 3 }], code: stack.code('frank') });
    const partlyNo = partly.body.order.orderNo as string;
    await stack.requestPayment(partly.body.payment, 'pay');
    await stack.waitForStatus(partlyNo, 'frank', 'PAID');
    const refunded = await stack.fn('admin', { action: 'refund', code: stack.code('operator'), orderNo: partlyNo, amount: 100, reason: 'one cold coffee' });
    expect(refunded.body.order.status).toBe('PARTIALLY_REFUNDED');
    // Three PAYING orders: one each for Pay, Cancel and Fail.
    const paying: string[] = [];
    for (const who of ['gina', 'hugo', 'ivan']) {
      const created = await stack.fn('pay', { action: 'createOrder', provider: 'latipay', items: [{ sku: 'cake', quantity: 1 }], code: stack.code(who) });
      paying.push(created.body.order.orderNo as string);
    }

    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(stack.url + '/');
    const partlyRow = page.locator(`#orders tr[data-order-no="${partlyNo}"]`);
    await partlyRow.locator('.status', { hasText: 'PARTIALLY_REFUNDED' }).waitFor({ timeout: 10_000 });
    await partlyRow.locator('td.order-no').click();
    await page.locator('#refund-form').waitFor();

    // Headings: the shopper plays Pay/Cancel/Fail, the operator refunds.
    const headings = await page.locator('.orders thead th').allTextContents();
    expect(headings).toEqual(['Time', 'Order', 'Provider', 'Amount', 'Status', 'Shopper', 'Operator']);
    const refundCell = partlyRow.locator('button.refund').locator('xpath=ancestor::td[1]');
    expect(await refundCell.evaluate((td) => (td as unknown as { cellIndex: number }).cellIndex)).toBe(headings.indexOf('Operator'));

    // Nothing spills sideways: the orders table fits its panel at 1280 px.
    const overflow = await page.locator('.panel.orders').evaluate((panel) => panel.scrollWidth - panel.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);

    /** The button is on screen, inside the orders panel, and is what a click at its centre hits. */
    const uncovered = async (orderNo: string, kind: string) => {
      const button = page.locator(`#orders tr[data-order-no="${orderNo}"] button.${kind}`);
      // Runs in the page (the test's tsconfig has no DOM types, hence the loose typing).
      const hit = await button.evaluate((b) => {
        const doc = (globalThis as any).document;
        const r = b.getBoundingClientRect();
        const panel = (b.closest('.panel') as any).getBoundingClientRect();
        const top = doc.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
        return {
          onTop: top === b || b.contains(top),
          inPanel: r.left >= panel.left && r.right <= panel.right,
          onScreen: r.left >= 0 && r.right <= doc.documentElement.clientWidth && r.top >= 0 && r.bottom <= doc.documentElement.clientHeight,
        };
      });
      expect({ orderNo, kind, ...hit }).toEqual({ orderNo, kind, onTop: true, inPanel: true, onScreen: true });
      return button;
    };
    for (const orderNo of paying) for (const kind of ['pay', 'cancel', 'fail']) await uncovered(orderNo, kind);

    await (await uncovered(paying[0]!, 'pay')).click();
    await page.locator(`#orders tr[data-order-no="${paying[0]}"] .status`, { hasText: 'PAID' }).waitFor({ timeout: 10_000 });
    await (await uncovered(paying[1]!, 'cancel')).click();
    await page.locator('#action-message', { hasText: `${paying[1]}: cancel → requestPayment:fail cancel` }).waitFor();
    await (await uncovered(paying[2]!, 'fail')).click();
    await page.locator('#action-message', { hasText: `${paying[2]}: fail → requestPayment:fail` }).waitFor();

    // Money is formatted everywhere in the timeline, operator lines included.
    await partlyRow.locator('td.order-no').click();
    await page.locator('#timeline-order', { hasText: partlyNo }).waitFor();
    const adminLine = page.locator('#events li[data-type="admin"]').first();
    await expect(adminLine.textContent()).resolves.toContain('NZ$1.00');
    await expect(page.locator('#events li[data-type="refund_requested"]').first().textContent()).resolves.toContain('1.00 NZD — one cold coffee');
    const lines = await page.locator('#events .detail').allTextContents();
    expect(lines.filter((l) => /(^|[ ·:])\d{3,}( |$)/.test(l.replace(/\d{17,}/g, '')))).toEqual([]);

    // A refused refund: its message beside the form, the typed amount still there.
    await page.fill('#refund-amount', '999.00');
    await page.click('#refund-submit');
    await page.locator('#refund-message.error', { hasText: 'REFUND_EXCEEDS_REMAINING' }).waitFor({ timeout: 10_000 });
    await page.locator('#events li[data-type="admin"]', { hasText: 'refused' }).first().waitFor({ timeout: 10_000 });
    expect(await page.inputValue('#refund-amount')).toBe('999.00');
    await expect(page.locator('#refund-message').textContent()).resolves.toContain('REFUND_EXCEEDS_REMAINING');
    expect(await page.locator('#action-message').textContent()).not.toContain('REFUND_EXCEEDS_REMAINING');

    await mkdir(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'console-1280.png') });
    expect(pageErrors).toEqual([]);
  });
});
