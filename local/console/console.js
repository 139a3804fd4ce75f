/*
 * The local stack's developer console: plain JavaScript, no build step, no framework.
 * Polls GET /api/orders every second, shows the selected order's timeline
 * (GET /api/orders/{orderNo}), plays the shopper on PAYING orders through the stack
 * (POST /api/orders/{orderNo}/shopper, which calls the WeChat sandbox), creates orders through
 * POST /fn/pay, and refunds paid orders as the operator (POST /fn/admin, test user `operator`,
 * the local ADMIN_OPENIDS default).
 */
'use strict';

(function () {
  // The enabled providers, learnt from the catalog reply (never listed here).
  var PROVIDERS = [];
  var POLL_MS = 1000;
  /** Minor-unit digits per currency: LAK has none until the catalog says (loadCatalogs); others 2. */
  var DECIMALS = { LAK: 0 };

  function decimalsOf(currency) {
    return Object.prototype.hasOwnProperty.call(DECIMALS, currency) ? DECIMALS[currency] : 2;
  }

  // refundDraft: what the operator typed into the refund form, and its message, kept across
  // the timeline's re-renders (a refused refund keeps its amount, with the reason beside it).
  var state = { selected: null, catalogs: {}, ordersKey: '', timelineKey: '', messagesKey: '', polling: false, refundDraft: null };
  var $ = function (id) { return document.getElementById(id); };

  /**
   * Money is written as the mini program writes it: window.Money is miniprogram/services/money.ts,
   * served by the stack as /money.js. 1100 NZD → "NZ$11.00"; 1250000 LAK → "₭1,250,000".
   */
  function formatAmount(amount, currency) {
    return window.Money.formatMoney(Math.trunc(Number(amount) || 0), currency, decimalsOf(currency), 'en');
  }

  /** "1.50" in NZD → 150; "1500" in LAK → 1500; NaN when it is not an amount of that currency. */
  function parseAmount(text, currency) {
    var parsed = window.Money.parseAmount(String(text).replace(/,/g, ''), decimalsOf(currency));
    return parsed.ok ? parsed.minor : NaN;
  }

  function majorUnits(amount, currency) {
    return window.Money.minorToText(amount, decimalsOf(currency));
  }

  function pad(n, width) { var s = String(n); while (s.length < width) s = '0' + s; return s; }

  function formatTime(ms) {
    var d = new Date(ms);
    return pad(d.getHours(), 2) + ':' + pad(d.getMinutes(), 2) + ':' + pad(d.getSeconds(), 2) + '.' + pad(d.getMilliseconds(), 3);
  }

  /** 14:03:27 (the table's column; the milliseconds are in the cell's title). */
  function formatClock(ms) {
    return formatTime(ms).slice(0, 8);
  }

  /** A status badge; PARTIALLY_REFUNDED may wrap after its underscore (<wbr>), its text unchanged. */
  function statusBadge(status, title) {
    var badge = el('span', { className: 'status status-' + status, title: title || '' });
    String(status).split('_').forEach(function (part, i, parts) {
      badge.appendChild(document.createTextNode(part + (i < parts.length - 1 ? '_' : '')));
      if (i < parts.length - 1) badge.appendChild(document.createElement('wbr'));
    });
    return badge;
  }

  function randomSuffix() {
    var bytes = new Uint8Array(6);
    (window.crypto || window.msCrypto).getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return pad(b.toString(16), 2); }).join('');
  }

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === 'text') node.textContent = attrs[k];
      else if (k === 'className') node.className = attrs[k];
      else if (k.slice(0, 2) === 'on') node.addEventListener(k.slice(2), attrs[k]);
      else node.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) { if (c) node.appendChild(typeof c === 'string' ? document.createTextNode(c) : c); });
    return node;
  }

  function showMessage(id, text, kind) {
    var node = $(id);
    node.textContent = text;
    node.className = 'message ' + (kind || '');
  }

  function getJson(url) {
    return fetch(url, { cache: 'no-store' }).then(function (res) {
      return res.json().then(function (body) { return { status: res.status, body: body }; });
    });
  }

  function postJson(url, data) {
    return fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(data) }).then(function (res) {
      return res.json().then(function (body) { return { status: res.status, body: body }; });
    });
  }

  // --- Orders -------------------------------------------------------------------------

  /** The shopper's column: Pay / Cancel / Fail while the order is PAYING. */
  function shopperCell(order) {
    var cell = el('td', { className: 'shopper' });
    if (order.status !== 'PAYING') return cell;
    [['pay', 'Pay'], ['cancel', 'Cancel'], ['fail', 'Fail']].forEach(function (b) {
      cell.appendChild(el('button', {
        type: 'button',
        className: b[0],
        title: 'Play the shopper: ' + b[0] + ' in the WeChat Pay sheet',
        text: b[1],
        onclick: function (e) { e.stopPropagation(); playShopper(order.orderNo, b[0], e.currentTarget); },
      }));
    });
    return cell;
  }

  /** The operator's column: Refund on a paid order (opens its form in the timeline panel). */
  function operatorCell(order) {
    var cell = el('td', { className: 'operator' });
    if (order.status !== 'PAID' && order.status !== 'PARTIALLY_REFUNDED') return cell;
    cell.appendChild(el('button', {
      type: 'button',
      className: 'refund',
      title: 'Refund all or part of this order as the operator',
      text: 'Refund',
      onclick: function (e) {
        e.stopPropagation();
        select(order.orderNo).then(function () { var input = $('refund-amount'); if (input) input.focus(); });
      },
    }));
    return cell;
  }

  function renderOrders(orders) {
    var key = JSON.stringify(orders.map(function (o) { return [o.orderNo, o.status, o.updatedAt]; })) + '|' + state.selected;
    if (key === state.ordersKey) return;
    state.ordersKey = key;
    var body = $('orders');
    body.textContent = '';
    orders.forEach(function (o) {
      var row = el('tr', {
        'data-order-no': o.orderNo,
        'data-status': o.status,
        className: o.orderNo === state.selected ? 'selected' : '',
        onclick: function () { select(o.orderNo); },
      }, [
        el('td', { className: 'time mono', text: formatClock(o.createdAt), title: formatTime(o.createdAt) }),
        el('td', { className: 'order-no', text: o.orderNo }),
        el('td', { className: 'provider', text: o.provider }),
        el('td', { className: 'amount', text: formatAmount(o.amount, o.currency) }),
        el('td', { className: 'status-cell' }, [statusBadge(o.status, o.statusReason)]),
        shopperCell(o),
        operatorCell(o),
      ]);
      body.appendChild(row);
    });
    $('count').textContent = orders.length ? '(' + orders.length + ')' : '';
    $('empty').style.display = orders.length ? 'none' : '';
  }

  function refreshOrders() {
    return getJson('/api/orders').then(function (r) {
      if (!r.body.ok) throw new Error('GET /api/orders: ' + r.status);
      renderOrders(r.body.orders || []);
      var live = $('live');
      live.textContent = 'updated ' + formatTime(Date.now());
      live.className = 'live';
    }).catch(function (e) {
      var live = $('live');
      live.textContent = 'stack unreachable (' + e.message + ')';
      live.className = 'live stale';
    });
  }

  // --- Timeline -----------------------------------------------------------------------

  var EVENT_LABELS = {
    created: 'created',
    provider_request: 'provider request',
    provider_response: 'provider response',
    provider_error: 'provider error',
    notification: 'notification',
    status_changed: 'state change',
    query: 'provider query',
    provider_query: 'provider query',
    attention: 'attention',
    refund_requested: 'refund asked',
    refund_response: 'refund answer',
    refund_notification: 'refund callback',
    refund_query: 'refund query',
    refund_settled: 'refund settled',
    admin: 'operator',
  };

  /** A timeline line in words; every amount formatted in its currency (the order's where the line has none). */
  function describe(event, orderCurrency) {
    var d = event.detail || {};
    var money = function (amount, currency) {
      return typeof amount === 'number' ? formatAmount(amount, currency || orderCurrency) : String(amount) + (currency ? ' ' + currency : '');
    };
    switch (event.type) {
      case 'created':
        return (d.amount !== undefined ? money(d.amount, d.currency) : '') + (d.provider ? ' via ' + d.provider : '') + (d.items !== undefined ? ', ' + d.items + ' line(s)' : '');
      case 'provider_request':
        return 'to ' + (d.provider || '?') + (d.notifyUrl ? ', notify at ' + d.notifyUrl : '');
      case 'provider_response':
        return (d.retry ? 'new parameters (pay again), ' : '') + 'ref ' + (d.providerRef || '—') + (d.signType ? ', signType ' + d.signType : '') + (d.kind ? ', ' + d.kind : '');
      case 'provider_error':
        return (d.code ? d.code + ': ' : '') + (d.message || '');
      case 'notification':
        if (d.verified === false) return 'refused: ' + (d.refused || 'signature not valid');
        if (d.refused) return 'refused: ' + d.refused;
        return (d.applied ? 'applied' : 'not applied (duplicate or no change)') + (d.summary ? ' — ' + d.summary : '');
      case 'status_changed':
        return (d.from ? d.from + ' → ' : '→ ') + d.to + (d.source ? ' (' + d.source + ')' : '') + (d.reason ? ' — ' + d.reason : '');
      case 'query':
        return d.error ? 'failed: ' + d.error : (d.outcome || '') + (d.summary ? ' — ' + d.summary : '');
      case 'provider_query':
        return (d.about === 'refund' ? (d.refundNo || 'refund') + ': ' : 'payment: ') + (d.outcome || '') + (d.code ? ' (' + d.code + ')' : '') + (d.summary ? ' — ' + d.summary : '') + (d.why ? ' [' + d.why + ']' : '') + (event.repeats ? ' ×' + (event.repeats + 1) : '');
      case 'attention':
        return (d.refundNo ? d.refundNo + ': ' : '') + (d.why || d.about || '');
      case 'refund_requested':
        return (d.refundNo || '') + ': ' + (d.amount !== undefined ? money(d.amount, d.currency) : '') + (d.reason ? ' — ' + d.reason : '') + (d.operator ? ' by ' + d.operator : '');
      case 'refund_response':
      case 'refund_query':
        return (d.refundNo || '') + ': ' + (d.error ? 'failed: ' + d.error : d.attention ? 'marked for attention — ' + (d.why || '') : (d.outcome || '') + (d.summary ? ' — ' + d.summary : '')) + (d.note ? ' (' + d.note + ')' : '');
      case 'refund_notification':
        if (d.refused) return (d.refundNo || '') + ': refused: ' + d.refused;
        return (d.refundNo || '') + ': ' + (d.applied ? 'applied' : 'not applied (duplicate)') + (d.summary ? ' — ' + d.summary : '');
      case 'refund_settled':
        return (d.refundNo || '') + ' → ' + d.to + (d.source ? ' (' + d.source + ')' : '') + (d.reason ? ' — ' + d.reason : d.summary ? ' — ' + d.summary : '');
      case 'admin':
        return d.action + ' by ' + (d.operator || '?') + (d.refundNo ? ' · ' + d.refundNo : '') + (d.amount !== undefined ? ' · ' + money(d.amount, d.currency) : '') + (d.outcome ? ' · ' + d.outcome : '') + (d.note ? ' — ' + d.note : '') + (d.ok === false ? ' · refused ' + (d.error || '') : d.status ? ' · ' + d.status : '');
      default:
        return Object.keys(d).map(function (k) { return k + '=' + (typeof d[k] === 'object' ? JSON.stringify(d[k]) : d[k]); }).join(', ');
    }
  }

  function renderTimeline(data) {
    var refunds = data.refunds || [];
    var key = JSON.stringify([data.order.orderNo, data.order.status, data.events.length, !!data.payable, refunds.map(function (r) { return r.status; })]);
    if (key === state.timelineKey) return;
    state.timelineKey = key;
    var order = data.order;
    $('timeline-order').textContent = order.orderNo;
    $('timeline-hint').style.display = 'none';
    var summary = $('order-summary');
    summary.textContent = '';
    summary.appendChild(statusBadge(order.status));
    summary.appendChild(document.createTextNode(' ' + formatAmount(order.amount, order.currency) + ' · ' + order.provider + ' · ' + (order.description || '')));
    if (order.statusReason) summary.appendChild(el('div', { className: 'hint', text: order.statusReason }));
    if (order.refundedAmount) summary.appendChild(el('div', { className: 'hint', text: 'Refunded ' + formatAmount(order.refundedAmount, order.currency) + ' of ' + formatAmount(order.amount, order.currency) }));
    if (order.attention) summary.appendChild(el('div', { className: 'hint attention', text: 'Attention: ' + order.attention }));
    if (refunds.length) {
      var table = el('table', { className: 'refunds' });
      refunds.forEach(function (r) {
        table.appendChild(el('tr', { 'data-refund-no': r.refundNo, 'data-status': r.status }, [
          el('td', { className: 'mono', text: r.refundNo }),
          el('td', { className: 'amount', text: formatAmount(r.amount, r.currency) }),
          el('td', {}, [statusBadge(r.status, r.statusReason)]),
          el('td', { className: 'hint', text: r.attention || r.reason || '' }),
          el('td', {}, r.status === 'PENDING' ? [resolveControls(order, r)] : []),
        ]));
      });
      summary.appendChild(table);
    }
    if (order.status === 'PAID' || order.status === 'PARTIALLY_REFUNDED') summary.appendChild(refundForm(order));
    if (order.status === 'PAYING' && !data.payable) {
      summary.appendChild(el('div', { className: 'hint', text: 'No payment parameters kept for this order (created before this stack started), so the shopper buttons cannot pay it.' }));
    }
    var list = $('events');
    list.textContent = '';
    var start = data.events.length ? data.events[0].at : order.createdAt;
    data.events.forEach(function (e) {
      var d = e.detail || {};
      var classes = ['event', e.type];
      var badge = null;
      if (e.type === 'notification') {
        var ok = d.verified === true && !d.refused;
        classes.push(ok ? 'verified' : 'refused');
        badge = el('span', { className: 'badge ' + (ok ? 'verified' : 'refused'), text: ok ? 'verified' : (d.verified ? 'verified, refused' : 'not verified') });
      }
      list.appendChild(el('li', { className: classes.join(' '), 'data-type': e.type, title: formatTime(e.at) }, [
        el('span', { className: 'at mono', text: '+' + (e.at - start).toLocaleString('en-US') + ' ms' }),
        el('span', { className: 'type', text: EVENT_LABELS[e.type] || e.type }),
        el('span', { className: 'detail' }, [badge, describe(e, order.currency)]),
      ]));
    });
  }

  // --- Refunding as the operator -----------------------------------------------------------

  function refundForm(order) {
    var remaining = order.amount - (order.refundedAmount || 0) - (order.pendingRefundAmount || 0);
    var draft = state.refundDraft && state.refundDraft.orderNo === order.orderNo ? state.refundDraft : null;
    var amount = el('input', { id: 'refund-amount', type: 'text', size: '10', value: draft ? draft.amount : majorUnits(Math.max(0, remaining), order.currency), title: 'Amount in ' + order.currency });
    var reason = el('input', { id: 'refund-reason', type: 'text', size: '18', placeholder: 'reason (optional)', value: draft ? draft.reason : '' });
    var message = el('span', { id: 'refund-message', className: 'message ' + (draft && draft.kind ? draft.kind : ''), role: 'status', text: draft ? draft.message : '' });
    var keep = function () {
      var old = state.refundDraft && state.refundDraft.orderNo === order.orderNo ? state.refundDraft : {};
      state.refundDraft = { orderNo: order.orderNo, amount: amount.value, reason: reason.value, message: old.message || '', kind: old.kind || '' };
    };
    amount.addEventListener('input', keep);
    reason.addEventListener('input', keep);
    var form = el('form', { id: 'refund-form', className: 'refund-form' }, [
      el('label', {}, ['Refund', amount, order.currency]),
      reason,
      el('button', { type: 'submit', id: 'refund-submit', className: 'refund', text: 'Refund' }),
      message,
    ]);
    form.addEventListener('submit', function (e) {
      e.preventDefault();
      refund(order, amount.value, reason.value);
    });
    return form;
  }

  /**
   * A PENDING refund settled by hand (admin resolveRefund), after checking the provider's
   * portal: the outcome the portal shows, and a note that goes on the order's timeline.
   */
  function resolveControls(order, r) {
    var wrap = el('span', { className: 'resolve' });
    var act = function (outcome) {
      var note = window.prompt('Settle refund ' + r.refundNo + ' as ' + outcome + '. What did the provider\'s portal show? (goes on the timeline)', '');
      if (note === null) return;
      postJson('/fn/admin', { action: 'resolveRefund', code: 'test-operator-' + randomSuffix(), refundNo: r.refundNo, outcome: outcome, note: note }).then(function (res) {
        if (res.body.ok) showMessage('action-message', order.orderNo + ': refund ' + r.refundNo + ' settled by hand → ' + res.body.refund.status, 'ok');
        else showMessage('action-message', ((res.body.error || {}).code || res.status) + ': ' + ((res.body.error || {}).message || 'could not resolve'), 'error');
        state.timelineKey = '';
      });
    };
    var paid = el('button', { type: 'button', className: 'resolve-succeeded', text: 'Resolve: paid out', title: 'The provider\'s portal shows this refund paid out' });
    var notPaid = el('button', { type: 'button', className: 'resolve-failed', text: 'Resolve: not paid', title: 'The provider\'s portal shows no such refund' });
    paid.addEventListener('click', function () { act('succeeded'); });
    notPaid.addEventListener('click', function () { act('failed'); });
    wrap.appendChild(paid);
    wrap.appendChild(notPaid);
    return wrap;
  }

  /** Says something beside the refund form, and keeps it (with what was typed) across re-renders. */
  function refundMessage(order, amountText, reason, text, kind) {
    state.refundDraft = { orderNo: order.orderNo, amount: amountText, reason: reason, message: text, kind: kind };
    showMessage('refund-message', text, kind);
  }

  function refund(order, amountText, reason) {
    var amount = parseAmount(amountText, order.currency);
    if (!(amount > 0)) return refundMessage(order, amountText, reason, 'Enter an amount in ' + order.currency + ' (up to ' + decimalsOf(order.currency) + ' decimals).', 'error');
    var data = { action: 'refund', code: 'test-operator-' + randomSuffix(), orderNo: order.orderNo, amount: amount };
    if (reason) data.reason = reason;
    $('refund-submit').disabled = true;
    return postJson('/fn/admin', data).then(function (r) {
      if (r.body.ok) {
        state.refundDraft = null;
        showMessage('action-message', order.orderNo + ': refund ' + r.body.refund.refundNo + ' of ' + formatAmount(r.body.refund.amount, r.body.refund.currency) + ' → ' + r.body.refund.status, 'ok');
        return;
      }
      // Refused: the reason beside the form, the typed amount kept for a correction.
      var error = r.body.error || {};
      refundMessage(order, amountText, reason, (error.code || r.status) + ': ' + (error.message || 'refund failed'), 'error');
    }).catch(function (e) {
      refundMessage(order, amountText, reason, e.message, 'error');
    }).then(function () {
      state.timelineKey = '';
      return select(order.orderNo);
    });
  }

  function refreshTimeline() {
    if (!state.selected) return Promise.resolve();
    var orderNo = state.selected;
    return getJson('/api/orders/' + encodeURIComponent(orderNo)).then(function (r) {
      if (r.body.ok && orderNo === state.selected) renderTimeline(r.body);
    }).catch(function () { /* shown by the orders poll */ });
  }

  function select(orderNo) {
    state.selected = orderNo;
    state.timelineKey = '';
    state.ordersKey = '';
    return Promise.all([refreshOrders(), refreshTimeline()]);
  }

  // --- Playing the shopper --------------------------------------------------------------

  function playShopper(orderNo, result, button) {
    if (button) button.disabled = true;
    select(orderNo);
    // The stack keeps the parameters (this page only ever sees them masked) and passes them
    // to the WeChat sandbox itself.
    return postJson('/api/orders/' + encodeURIComponent(orderNo) + '/shopper', { result: result }).then(function (r) {
      if (r.body.ok === false) throw new Error((r.body.error && r.body.error.message) || 'HTTP ' + r.status);
      var errMsg = r.body.errMsg || JSON.stringify(r.body);
      showMessage('action-message', orderNo + ': ' + result + ' → ' + errMsg, r.status === 200 && errMsg === 'requestPayment:ok' ? 'ok' : (r.status === 200 ? '' : 'error'));
    }).catch(function (e) {
      showMessage('action-message', orderNo + ': ' + e.message, 'error');
    }).then(function () {
      if (button) button.disabled = false;
      return select(orderNo);
    });
  }

  // --- New order form -------------------------------------------------------------------

  function fillSkus() {
    var catalog = state.catalogs[$('provider').value];
    var sku = $('sku');
    sku.textContent = '';
    (catalog ? catalog.items : []).forEach(function (item) {
      sku.appendChild(el('option', { value: item.sku, text: item.name + ' — ' + formatAmount(item.price, catalog.currency) }));
    });
  }

  function loadCatalogs() {
    return postJson('/fn/pay', { action: 'catalog' }).then(function (r) {
      PROVIDERS = r.body.ok ? r.body.providers.map(function (p) { return p.name; }) : [];
      state.providerInfo = {};
      (r.body.providers || []).forEach(function (p) {
        state.providerInfo[p.name] = p;
        (p.currencies || []).forEach(function (c) { DECIMALS[c.code] = c.decimals; });
      });
    }).catch(function () { PROVIDERS = []; }).then(function () { return Promise.all(PROVIDERS.map(function (provider) {
      return postJson('/fn/pay', { action: 'catalog', provider: provider }).then(function (r) {
        if (r.body.ok) state.catalogs[provider] = r.body;
      }).catch(function () { /* provider not enabled */ });
    })).then(function () {
      var select = $('provider');
      select.textContent = '';
      PROVIDERS.filter(function (p) { return state.catalogs[p]; }).forEach(function (p) {
        select.appendChild(el('option', { value: p, text: p + ' (' + state.catalogs[p].currency + ')' }));
      });
      if (!select.options.length) showMessage('form-message', 'No provider is enabled on this stack.', 'error');
      fillSkus();
    }); });
  }

  function createOrder(event) {
    event.preventDefault();
    var provider = $('provider').value;
    var quantity = Number($('quantity').value);
    if (!provider || !$('sku').value) return showMessage('form-message', 'Choose a provider and an item.', 'error');
    if (!(quantity >= 1 && quantity <= 99)) return showMessage('form-message', 'Quantity must be 1 to 99.', 'error');
    var data = {
      action: 'createOrder',
      provider: provider,
      items: [{ sku: $('sku').value, quantity: quantity }],
      code: 'test-console-' + randomSuffix(),
    };
    // A provider that spends a login code of its own (needsPayCode) gets a second one.
    if (state.providerInfo[provider] && state.providerInfo[provider].needsPayCode) data.payCode = 'test-console-' + randomSuffix();
    $('create').disabled = true;
    showMessage('form-message', 'Creating…');
    return postJson('/fn/pay', data).then(function (r) {
      if (!r.body.ok) {
        var err = r.body.error || {};
        showMessage('form-message', (err.code || r.status) + ': ' + (err.message || 'failed'), 'error');
        return refreshOrders();
      }
      showMessage('form-message', 'Created ' + r.body.order.orderNo + ' (' + r.body.order.status + ', ' + formatAmount(r.body.order.amount, r.body.order.currency) + ')', 'ok');
      return select(r.body.order.orderNo);
    }).catch(function (e) {
      showMessage('form-message', e.message, 'error');
    }).then(function () {
      $('create').disabled = false;
    });
  }

  // --- Subscription messages (what the WeChat sandbox was asked to send) ---------------------

  function refreshMessages() {
    return getJson('/api/messages').then(function (r) {
      var messages = (r.body && r.body.messages) || [];
      var key = JSON.stringify(messages.map(function (m) { return [m.at, m.errcode]; }));
      if (key === state.messagesKey) return;
      state.messagesKey = key;
      var body = $('messages');
      body.textContent = '';
      messages.forEach(function (m) {
        var data = m.data || {};
        var words = Object.keys(data).map(function (k) { return (data[k] && data[k].value) || ''; }).join(' · ');
        body.appendChild(el('tr', { 'data-errcode': String(m.errcode) }, [
          el('td', { className: 'time mono', text: formatTime(m.at) }),
          el('td', { className: 'mono', text: m.templateId }),
          el('td', { className: 'mono', text: m.openid }),
          el('td', { text: words }),
          el('td', { className: m.errcode === 0 ? 'sent' : 'refused', text: m.errcode === 0 ? 'sent' : m.errcode + ' not allowed by the shopper' }),
        ]));
      });
      $('messages-empty').style.display = messages.length ? 'none' : '';
    }).catch(function () { /* the orders panel already says when the stack is unreachable */ });
  }

  // --- Start ------------------------------------------------------------------------------

  function poll() {
    if (state.polling) return;
    state.polling = true;
    Promise.all([refreshOrders(), refreshTimeline(), refreshMessages()]).then(function () { state.polling = false; });
  }

  $('provider').addEventListener('change', fillSkus);
  $('new-order').addEventListener('submit', createOrder);
  loadCatalogs();
  poll();
  setInterval(poll, POLL_MS);

  window.devConsole = { formatAmount: formatAmount };
})();
