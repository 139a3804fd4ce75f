/**
 * Operator order detail (pages/admin/order/index?orderNo=…): the order, its refunds and its
 * timeline, and an in-page refund sheet: amount prefilled with what remains, a confirmation
 * step, then one `refund` call. The sheet makes its refundNo when it opens; when a call may
 * have reached the server without an answer (NETWORK, INTERNAL), the same refundNo is sent
 * again on retry, so a retry never refunds twice. FORBIDDEN shows "not allowed" only.
 */
import type { AdminOrder, BackendError, PublicRefund, TimelineLine } from '../../../contract/wire';
import {
  decimalsOf,
  enabledProviders,
  formatAmount,
  formatTime,
  getOrder,
  isRefundable,
  minorToText,
  newRefundNo,
  parseAmount,
  queryRefund,
  refund,
  resolveRefund,
  remainingOf,
} from '../../../services/admin';
import { describeOrder, providerInfo } from '../../../services/shop';
import {
  adminLanguage,
  adminMessages,
  detailText,
  errorText,
  fill,
  lineText,
  refundStatusText,
  statusText,
  type AdminLang,
  type AdminMessages,
} from '../../../services/admin-messages';

type State = 'loading' | 'ready' | 'error' | 'forbidden';
type Step = 'edit' | 'confirm';

interface Field {
  key: string;
  label: string;
  value: string;
}

interface RefundRow {
  refundNo: string;
  /** Number, time and reasons on one line. */
  detail: string;
  amountText: string;
  status: string;
  statusText: string;
  reason: string;
  statusReason: string;
  timeText: string;
  pending: boolean;
  /** PENDING and nothing automatic can settle it: an operator settles it by hand. */
  needsPerson: boolean;
}

interface LineRow {
  key: string;
  timeText: string;
  title: string;
  detail: string;
}

interface Attempt {
  refundNo: string;
  amount: number;
  reason: string;
}

/** What the page keeps outside `data`: the server's objects and the refund in progress. */
interface Internal {
  order?: AdminOrder;
  refunds?: PublicRefund[];
  refundNo?: string;
  /** The amount the confirmation step shows and `submit` sends. */
  amount?: number;
  /** A refund sent without a definitive answer: reopening the sheet resends exactly this. */
  unsettled?: Attempt;
  generation?: number;
}

/** Errors after which the refund may or may not exist on the server: retry with the same refundNo. */
function mayHaveHappened(error: BackendError): boolean {
  return error.code === 'NETWORK' || error.code === 'INTERNAL';
}

function fieldsOf(order: AdminOrder, remaining: number, t: AdminMessages, lang: AdminLang): Field[] {
  const fields: [string, string, string | undefined][] = [
    ['orderNo', t.fieldOrderNo, order.orderNo],
    ['status', t.fieldStatus, statusText(order.status, lang)],
    ['amount', t.fieldAmount, formatAmount(order.amount, order.currency, lang)],
    ['refunded', t.fieldRefunded, order.refundedAmount ? formatAmount(order.refundedAmount, order.currency, lang) : undefined],
    ['remaining', t.fieldRemaining, isRefundable(order) ? formatAmount(remaining, order.currency, lang) : undefined],
    ['provider', t.fieldProvider, providerInfo(order.provider).displayName],
    ['providerRef', t.fieldProviderRef, order.providerRef],
    ['payer', t.fieldPayer, order.openid],
    ['created', t.fieldCreated, formatTime(order.createdAt)],
    ['paid', t.fieldPaid, order.paidAt ? formatTime(order.paidAt) : undefined],
    ['statusReason', t.fieldStatusReason, order.statusReason],
    ['attention', t.fieldAttention, order.attention],
  ];
  return fields.filter(([, , value]) => value !== undefined && value !== '').map(([key, label, value]) => ({ key, label, value: value! }));
}

function refundRowOf(r: PublicRefund, lang: AdminLang): RefundRow {
  return {
    refundNo: r.refundNo,
    amountText: formatAmount(r.amount, r.currency, lang),
    status: r.status,
    statusText: refundStatusText(r.status, lang),
    reason: r.reason ?? '',
    statusReason: r.statusReason ?? '',
    timeText: formatTime(r.settledAt ?? r.createdAt),
    pending: r.status === 'PENDING',
    needsPerson: r.status === 'PENDING' && r.attention !== undefined,
    detail: [r.refundNo, formatTime(r.settledAt ?? r.createdAt), r.reason, r.statusReason, r.status === 'PENDING' ? r.attention : undefined].filter(Boolean).join(' · '),
  };
}

Component({
  data: {
    lang: 'en' as AdminLang,
    t: adminMessages('en'),
    orderNo: '',
    state: 'loading' as State,
    error: '',
    status: '',
    fields: [] as Field[],
    items: [] as { sku: string; name: string; quantity: number; quantityText: string; priceText: string }[],
    refunds: [] as RefundRow[],
    timeline: [] as LineRow[],
    canRefund: false,
    refundBlocked: '',
    notice: '',
    checking: '',
    sheetOpen: false,
    step: 'edit' as Step,
    amountLabel: '',
    amountHint: '',
    amountText: '',
    reason: '',
    inputError: '',
    sheetError: '',
    confirmText: '',
    submitting: false,
    /** The last send had no definitive answer: only "try again" (same refundNo) or cancel. */
    retrying: false,
    /** "Settle by hand": the refund being settled, the note typed, and its error. */
    resolving: '',
    resolveNote: '',
    resolveError: '',
    resolveSubmitting: false,
  },
  methods: {
    onLoad(query: Record<string, string | undefined>) {
      const lang = adminLanguage();
      const t = adminMessages(lang);
      this.setData({ lang, t, orderNo: decodeURIComponent(query.orderNo ?? '') });
      wx.setNavigationBarTitle({ title: t.orderTitle });
      // Providers' display names (and decimals) come with the catalog; the order loads meanwhile.
      return Promise.all([this.load(), enabledProviders()]).then(() => {
        const self = this as unknown as Internal;
        if (self.order && this.data.state === 'ready') this.show(self.order, self.refunds ?? []);
      });
    },

    /** Fetches the order, its refunds and timeline. `quiet`: keep showing the page meanwhile. */
    async load(quiet = false) {
      const self = this as unknown as Internal;
      const generation = (self.generation ?? 0) + 1;
      self.generation = generation;
      if (!quiet) this.setData({ state: 'loading', error: '' });
      const reply = await getOrder(this.data.orderNo);
      if (self.generation !== generation) return;
      if (!reply.ok) {
        if (reply.error.code === 'FORBIDDEN') return this.forbid();
        if (quiet && this.data.state === 'ready') return;
        return this.setData({ state: 'error', error: errorText(reply.error, this.data.lang) });
      }
      this.show(reply.order, reply.refunds, reply.timeline);
    },

    forbid() {
      (this as unknown as Internal).order = undefined;
      this.setData({ state: 'forbidden', error: this.data.t.notAllowed, sheetOpen: false, fields: [], refunds: [], timeline: [], items: [] });
    },

    /** Renders the server's order and refunds (and the timeline, when given). */
    show(order: AdminOrder, refunds: PublicRefund[], timeline?: TimelineLine[]) {
      const self = this as unknown as Internal;
      const { t, lang } = this.data;
      self.order = order;
      self.refunds = refunds;
      const remaining = remainingOf(order, refunds);
      const refundable = isRefundable(order);
      const update: Record<string, unknown> = {
        state: 'ready',
        error: '',
        status: order.status,
        fields: fieldsOf(order, remaining, t, lang),
        items: order.items.map((i) => ({
          sku: i.sku,
          name: describeOrder({ description: i.name, items: [{ ...i, quantity: 1 }] }, lang),
          quantity: i.quantity,
          quantityText: `× ${i.quantity}`,
          priceText: formatAmount(i.unitPrice * i.quantity, order.currency, lang),
        })),
        refunds: refunds.map((r) => refundRowOf(r, lang)),
        canRefund: refundable && remaining > 0,
        refundBlocked: !refundable ? t.notRefundable : remaining > 0 ? '' : t.nothingRemains,
        amountLabel: fill(t.amountLabel, { currency: order.currency }),
        amountHint: fill(t.amountHint, { remaining: formatAmount(remaining, order.currency, lang) }),
      };
      if (timeline) {
        update.timeline = timeline.map((line, i) => ({ key: `${i}`, timeText: formatTime(line.at), title: lineText(line.type, lang), detail: detailText(line.detail ?? {}, lang, (a) => formatAmount(a, order.currency, lang)) }));
      }
      this.setData(update);
    },

    remaining(): number {
      const self = this as unknown as Internal;
      return self.order ? remainingOf(self.order, self.refunds ?? []) : 0;
    },

    // --- The refund sheet ---

    openSheet() {
      const self = this as unknown as Internal;
      const order = self.order;
      if (!order || !this.data.canRefund || this.data.submitting) return;
      const unsettled = self.unsettled;
      if (unsettled) {
        // The last refund may have gone through: offer exactly it again, same refundNo.
        self.refundNo = unsettled.refundNo;
        self.amount = unsettled.amount;
        this.setData({
          sheetOpen: true,
          step: 'confirm',
          retrying: true,
          amountText: minorToText(unsettled.amount, order.currency),
          reason: unsettled.reason,
          inputError: '',
          sheetError: '',
          notice: '',
          confirmText: this.confirmTextFor(unsettled.amount),
        });
        return;
      }
      self.refundNo = newRefundNo();
      this.setData({
        sheetOpen: true,
        step: 'edit',
        retrying: false,
        amountText: minorToText(this.remaining(), order.currency),
        reason: '',
        inputError: '',
        sheetError: '',
        notice: '',
      });
    },

    /** The sheet's overlay was tapped (t-popup): the same as Cancel. */
    onSheetVisible(e: WechatMiniprogram.CustomEvent<{ visible: boolean }>) {
      if (!e.detail.visible) this.closeSheet();
    },

    backToShop() {
      wx.reLaunch({ url: '/pages/checkout/index' });
    },

    backToList() {
      wx.navigateBack({ fail: () => wx.redirectTo({ url: '/pages/admin/orders/index' }) });
    },

    closeSheet() {
      if (this.data.submitting) return;
      this.setData({ sheetOpen: false, inputError: '', sheetError: '' });
      // An unanswered refund may have happened meanwhile: show what the server knows now.
      if ((this as unknown as Internal).unsettled) void this.load(true);
    },

    onAmountInput(e: WechatMiniprogram.Input) {
      this.setData({ amountText: e.detail.value, inputError: '' });
    },

    onReasonInput(e: WechatMiniprogram.Input) {
      this.setData({ reason: e.detail.value });
    },

    confirmTextFor(amount: number): string {
      const order = (this as unknown as Internal).order!;
      return fill(this.data.t.confirmText, { amount: formatAmount(amount, order.currency, this.data.lang), orderNo: order.orderNo });
    },

    /** Checks the amount here (format, decimals, > 0, ≤ remaining) before asking to confirm. */
    toConfirm() {
      const self = this as unknown as Internal;
      const order = self.order;
      if (!order || this.data.retrying) return;
      const { t } = this.data;
      const parsed = parseAmount(this.data.amountText, order.currency);
      const remaining = this.remaining();
      let inputError = '';
      if (!parsed.ok) {
        const decimals = decimalsOf(order.currency);
        inputError = {
          empty: t.amountEmpty,
          format: fill(t.amountFormat, { example: minorToText(decimals === 0 ? 75000 : 1250, order.currency) }),
          decimals: decimals === 0 ? fill(t.amountNoDecimals, { currency: order.currency }) : fill(t.amountDecimals, { currency: order.currency, decimals }),
          zero: t.amountZero,
        }[parsed.reason];
      } else if (parsed.minor > remaining) {
        inputError = fill(t.amountTooMuch, { remaining: formatAmount(remaining, order.currency, this.data.lang) });
      }
      if (inputError || !parsed.ok) return this.setData({ inputError });
      self.amount = parsed.minor;
      this.setData({ step: 'confirm', inputError: '', sheetError: '', confirmText: this.confirmTextFor(parsed.minor) });
    },

    backToEdit() {
      if (this.data.submitting || this.data.retrying) return;
      this.setData({ step: 'edit', sheetError: '' });
    },

    /** Sends the refund. One tap, one call: the flag is set before the first await. */
    async submit() {
      const self = this as unknown as Internal;
      const order = self.order;
      if (this.data.submitting || this.data.step !== 'confirm' || !order || !self.refundNo || self.amount === undefined) return;
      this.setData({ submitting: true, sheetError: '' });
      const attempt: Attempt = { refundNo: self.refundNo, amount: self.amount, reason: this.data.reason.trim() };
      const reply = await refund(order.orderNo, attempt.amount, attempt.refundNo, attempt.reason || undefined);
      if (reply.ok) {
        self.unsettled = undefined;
        self.refundNo = undefined;
        const refunds = [reply.refund, ...(self.refunds ?? []).filter((r) => r.refundNo !== reply.refund.refundNo)];
        this.show(reply.order, refunds);
        this.setData({ submitting: false, retrying: false, sheetOpen: false, notice: this.noticeFor(reply.refund) });
        void this.load(true); // the timeline gains the refund's lines
        return;
      }
      const error = reply.error;
      if (error.code === 'FORBIDDEN') {
        this.setData({ submitting: false });
        return this.forbid();
      }
      if (mayHaveHappened(error)) {
        self.unsettled = attempt;
        this.setData({ submitting: false, retrying: true, sheetError: errorText(error, this.data.lang) });
        return;
      }
      // A definitive refusal: this refundNo is spent; a new attempt gets a new one.
      self.unsettled = undefined;
      self.refundNo = newRefundNo();
      const message = errorText(error, this.data.lang);
      if (error.code === 'ORDER_NOT_REFUNDABLE' || error.code === 'NOT_FOUND') {
        // Nothing to try again in the sheet: say so on the page, which shows the order as it is now.
        this.setData({ submitting: false, retrying: false, sheetOpen: false, notice: message });
      } else {
        // Back to the amount, checked again against what remains once the order has reloaded.
        this.setData({ submitting: false, retrying: false, step: 'edit', sheetError: message });
      }
      if (error.code !== 'INVALID_INPUT') void this.load(true); // what remains, or the failed refund, changed
    },

    noticeFor(r: PublicRefund): string {
      const { t } = this.data;
      const amount = formatAmount(r.amount, r.currency, this.data.lang);
      if (r.status === 'SUCCEEDED') return fill(t.refundSucceeded, { amount });
      if (r.status === 'PENDING') return fill(t.refundPending, { amount });
      return fill(t.refundFailed, { amount, reason: r.statusReason ?? '' });
    },

    /** "Settle by hand" on a refund that needs a person: a sheet with the two outcomes and a note. */
    openResolve(e: WechatMiniprogram.TouchEvent) {
      const { refundNo } = e.currentTarget.dataset as { refundNo: string };
      this.setData({ resolving: refundNo, resolveNote: '', resolveError: '', notice: '' });
    },

    closeResolve() {
      if (!this.data.resolveSubmitting) this.setData({ resolving: '' });
    },

    onResolveVisible(e: WechatMiniprogram.CustomEvent<{ visible: boolean }>) {
      if (!e.detail.visible) this.closeResolve();
    },

    onResolveNote(e: WechatMiniprogram.Input) {
      this.setData({ resolveNote: e.detail.value, resolveError: '' });
    },

    /** The operator's word after checking the portal: succeeded (paid out) or failed (not). */
    async submitResolve(e: WechatMiniprogram.TouchEvent) {
      const self = this as unknown as Internal;
      const { outcome } = e.currentTarget.dataset as { outcome: 'succeeded' | 'failed' };
      const note = this.data.resolveNote.trim();
      if (this.data.resolveSubmitting) return;
      if (note === '' || note.length > 200) return this.setData({ resolveError: this.data.t.resolveNoteRequired });
      this.setData({ resolveSubmitting: true, resolveError: '' });
      const reply = await resolveRefund(this.data.resolving, outcome, note);
      this.setData({ resolveSubmitting: false });
      if (!reply.ok) {
        if (reply.error.code === 'FORBIDDEN') return this.forbid();
        return this.setData({ resolveError: errorText(reply.error, this.data.lang) });
      }
      const refunds = (self.refunds ?? []).map((r) => (r.refundNo === reply.refund.refundNo ? reply.refund : r));
      this.show(reply.order, refunds);
      this.setData({ resolving: '', notice: `${this.data.t.resolved} ${this.noticeFor(reply.refund)}` });
      void this.load(true);
    },

    /** "Check status" on a PENDING refund: asks the server, which asks the provider. */
    async checkRefund(e: WechatMiniprogram.TouchEvent) {
      const self = this as unknown as Internal;
      const { refundNo } = e.currentTarget.dataset as { refundNo: string };
      if (this.data.checking) return;
      this.setData({ checking: refundNo, notice: '' });
      const reply = await queryRefund(refundNo);
      this.setData({ checking: '' });
      if (!reply.ok) {
        if (reply.error.code === 'FORBIDDEN') return this.forbid();
        return this.setData({ notice: errorText(reply.error, this.data.lang) });
      }
      const refunds = (self.refunds ?? []).map((r) => (r.refundNo === reply.refund.refundNo ? reply.refund : r));
      this.show(reply.order, refunds);
      this.setData({ notice: this.noticeFor(reply.refund) });
      if (reply.refund.status !== 'PENDING') void this.load(true);
    },
  },
});
