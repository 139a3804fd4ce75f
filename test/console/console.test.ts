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
});
