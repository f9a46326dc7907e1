// The driver's phone page: account, vehicles, the consent question, conditions, windows,
// settlement, balance, statements and usage. Talks JSON to /api/me/* with the phone's cookie.
'use strict';

const $ = (id) => document.getElementById(id);
const state = { me: null, answered: new Set(), drawnPrompts: '' };
const DAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

async function api(method, path, body) {
  const response = await fetch(path, {
    method,
    headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: 'same-origin',
  });
  if (response.status === 401) {
    showWelcome();
    throw new Error('not signed in');
  }
  const text = await response.text();
  const data = text ? JSON.parse(text) : null;
  if (!response.ok) {
    throw new Error((data && data.error) || response.statusText);
  }
  return data;
}

function toast(text) {
  const t = $('toast');
  t.textContent = text;
  t.classList.add('show');
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => t.classList.remove('show'), 3500);
}

async function act(work, done) {
  try {
    await work();
    if (done) toast(done);
  } catch (e) {
    toast(e.message);
  }
}

const money = (v) => (v === null || v === undefined ? '–' : Number(v).toLocaleString('en', { minimumFractionDigits: 2, maximumFractionDigits: 3 }));
const kwh = (wh) => (wh === null || wh === undefined ? '–' : (wh / 1000).toLocaleString('en', { minimumFractionDigits: 1, maximumFractionDigits: 3 }));
const local = (ms) => new Date(ms + state.me.utcOffsetMinutes * 60000);
const when = (ms) => (ms ? local(ms).toISOString().slice(0, 16).replace('T', ' ') : '–');
const day = (ms) => local(ms).toISOString().slice(0, 10);

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === 'class') e.className = v; else if (k.startsWith('on')) e.addEventListener(k.slice(2), v); else e.setAttribute(k, v);
  }
  for (const c of children) e.append(c instanceof Node ? c : String(c));
  return e;
}

function row(...cells) {
  return el('tr', {}, ...cells.map((c) => (c instanceof Node ? c : el('td', typeof c === 'number' || /^[-\d.,–]+$/.test(String(c)) ? { class: 'num' } : {}, c))));
}

function showWelcome() {
  $('welcome').classList.remove('hidden');
  $('app').classList.add('hidden');
  $('tabs').classList.add('hidden');
  $('signout').classList.add('hidden');
}

function showTab(name) {
  for (const t of document.querySelectorAll('.tab')) t.classList.toggle('hidden', t.id !== 'tab-' + name);
  for (const b of document.querySelectorAll('nav.tabs button')) b.classList.toggle('on', b.dataset.tab === name);
  if (name === 'money') { showBalance(); loadPoints(); loadMonths(); }
  if (name === 'history') loadUsage();
}

async function loadMe() {
  state.me = await api('GET', '/api/me');
  const me = state.me;
  $('welcome').classList.add('hidden');
  $('app').classList.remove('hidden');
  $('tabs').classList.remove('hidden');
  $('signout').classList.remove('hidden');
  $('title').textContent = 'Hello, ' + me.name;
  drawVehicles();
  drawConditions();
  drawWindows(me.windows);
  for (const r of document.querySelectorAll('input[name=settlement]')) r.checked = r.value === me.settlement;
  $('points-rate').textContent = `${me.pointsPerUnit} point per ${me.currency} earned, to spend in shops`;
  if (!$('balance-from').value) {
    const today = day(me.now);
    $('balance-from').value = today.slice(0, 8) + '01';
    $('balance-to').value = today;
  }
  loadSessions();
}

function drawVehicles() {
  const body = $('vehicles');
  body.replaceChildren();
  if (state.me.vehicles.length === 0) body.append(row('No vehicle yet: register one below.'));
  for (const v of state.me.vehicles) {
    body.append(row(el('td', {}, el('b', {}, v.label), el('br'), [v.evccId, v.registration].filter(Boolean).join(' · ')),
      el('td', { class: 'num' }, v.capacityKwh ? v.capacityKwh + ' kWh' : ''),
      el('td', { class: 'num' }, el('button', { class: 'danger', onclick: () => act(async () => { await api('DELETE', '/api/me/vehicles/' + v.id); await loadMe(); }, 'Removed') }, 'Remove'))));
  }
}

function drawConditions() {
  const c = state.me.conditions;
  const select = $('cond-preset');
  select.replaceChildren(...state.me.presets.map((p) => el('option', { value: p }, p)));
  const preset = !!c.preset;
  $('cond-mode-preset').checked = preset;
  $('cond-mode-own').checked = !preset;
  if (preset) select.value = c.preset;
  $('cond-min-sell').value = c.minSellPrice ?? '';
  $('cond-max-buy').value = c.maxBuyPrice ?? '';
  $('cond-kept').value = c.keptSocPct ?? '';
  $('cond-delegated').checked = c.delegated;
  toggleConditionMode();
}

function toggleConditionMode() {
  const preset = $('cond-mode-preset').checked;
  $('cond-preset-box').classList.toggle('hidden', !preset);
  $('cond-own-box').classList.toggle('hidden', preset);
}

function drawWindows(windows) {
  const box = $('windows');
  box.replaceChildren();
  for (const w of windows) addWindowRow(w);
}

function addWindowRow(w) {
  const days = el('div', { class: 'days' }, ...DAYS.map((d, i) => el('label', { class: 'inline' }, el('input', Object.assign({ type: 'checkbox', value: i }, w.days.includes(i) ? { checked: '' } : {})), d)));
  const start = el('input', { type: 'time', value: w.start });
  const end = el('input', { type: 'time', value: w.end === '24:00' ? '00:00' : w.end });
  const rowDiv = el('div', { class: 'window-row' }, days, el('div', { class: 'row' }, el('div', {}, el('label', {}, 'From'), start), el('div', {}, el('label', {}, 'Until'), end)),
    el('button', { class: 'danger', onclick: () => rowDiv.remove() }, 'Remove'));
  $('windows').append(rowDiv);
}

function readWindows() {
  return [...document.querySelectorAll('.window-row')].map((r) => ({
    days: [...r.querySelectorAll('input[type=checkbox]:checked')].map((c) => Number(c.value)),
    start: r.querySelectorAll('input[type=time]')[0].value,
    end: r.querySelectorAll('input[type=time]')[1].value,
  }));
}

async function pollPrompts() {
  if (!state.me) return;
  try {
    const prompts = (await api('GET', '/api/me/prompts')).filter((p) => !state.answered.has(p.id));
    drawPrompts(prompts);
  } catch (e) {
    // Shown on the next action; the poll goes on.
  }
}

function drawPrompts(prompts) {
  const key = JSON.stringify(prompts.map((p) => p.id));
  const box = $('prompts');
  if (key !== state.drawnPrompts) {
    state.drawnPrompts = key;
    box.replaceChildren(...prompts.map(promptCard));
  }
  for (const p of prompts) {
    const c = document.querySelector(`[data-prompt="${p.id}"] .countdown`);
    if (c) c.textContent = `${p.secondsLeft} s left to answer`;
  }
  $('no-prompt').classList.toggle('hidden', prompts.length > 0);
}

function promptCard(p) {
  const vehicles = state.me.vehicles;
  const choose = el('select', { class: 'prompt-vehicle' }, el('option', { value: '' }, 'Which car?'), ...vehicles.map((v) => el('option', { value: v.id }, v.label)));
  if (vehicles.length === 1) choose.value = String(vehicles[0].id);
  const answer = (allow) => act(async () => {
    await api('POST', `/api/me/prompts/${p.id}/answer`, { allow, vehicleId: choose.value ? Number(choose.value) : null });
    state.answered.add(p.id);
    pollPrompts();
  }, allow ? 'Sent: the charger may use your car within your conditions' : 'Sent: the charger will only charge for you');
  const terms = state.me.conditions.preset ? `your "${state.me.conditions.preset}" pattern` : 'your own conditions';
  return el('section', { class: 'card prompt', 'data-prompt': p.id },
    el('div', { class: 'big' }, `Your car is plugged in at ${p.chargerId}`),
    el('div', {}, 'May the aggregator charge and discharge it for the grid, within ' + terms + '?'),
    el('div', { class: 'prices' }, el('div', {}, el('small', {}, 'You buy at'), el('b', {}, money(p.buyPrice)), `${p.currency}/kWh`),
      el('div', {}, el('small', {}, 'You sell at'), el('b', {}, money(p.sellPrice)), `${p.currency}/kWh`)),
    vehicles.length > 1 ? choose : '',
    el('div', { class: 'countdown' }, `${p.secondsLeft} s left to answer`),
    el('div', { class: 'row' }, el('button', { class: 'primary allow', onclick: () => answer(true) }, 'Allow'), el('button', { class: 'deny', onclick: () => answer(false) }, 'Not now')));
}

async function loadSessions() {
  const sessions = await api('GET', '/api/me/sessions');
  const body = $('sessions');
  body.replaceChildren(...sessions.map((s) => row(when(s.pluggedAt), s.chargerId, kwh(s.importWh), kwh(s.exportWh), money(s.net))));
  if (sessions.length === 0) body.append(row('No session yet'));
}

async function showBalance() {
  const b = await api('GET', `/api/me/balance?from=${$('balance-from').value}&to=${nextDay($('balance-to').value)}`);
  $('balance-import').textContent = kwh(b.all.importWh);
  $('balance-paid').textContent = money(b.all.purchases);
  $('balance-export').textContent = kwh(b.all.exportWh);
  $('balance-earned').textContent = money(b.all.earnings);
  const net = $('balance-net');
  net.textContent = money(b.all.net) + ' ' + b.currency;
  net.className = b.all.net >= 0 ? 'net-plus' : 'net-minus';
  $('balance-settlement').replaceChildren(row(el('th', {}, 'Settlement'), el('th', { class: 'num' }, 'Paid'), el('th', { class: 'num' }, 'Earned'), el('th', { class: 'num' }, 'Net')),
    ...Object.entries(b.bySettlement).map(([k, t]) => row(k, money(t.purchases), money(t.earnings), money(t.net))));
  $('balance-vehicle').replaceChildren(row(el('th', {}, 'Vehicle'), el('th', { class: 'num' }, 'In kWh'), el('th', { class: 'num' }, 'Out kWh'), el('th', { class: 'num' }, 'Net')),
    ...b.byVehicle.map((v) => row(v.label, kwh(v.all.importWh), kwh(v.all.exportWh), money(v.all.net))));
}

function nextDay(isoDay) {
  const d = new Date(isoDay + 'T00:00:00Z');
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

async function loadPoints() {
  const me = await api('GET', '/api/me');
  $('points-balance').textContent = me.points.balance;
  $('points-earned').textContent = me.points.earned;
  $('points-redeemed').textContent = me.points.redeemed;
}

async function loadMonths() {
  const months = await api('GET', '/api/me/statements');
  const select = $('statement-month');
  const current = select.value;
  select.replaceChildren(...months.map((m) => el('option', { value: m }, m)));
  if (months.length === 0) { $('statement').replaceChildren(el('p', { class: 'hint' }, 'No statement yet.')); return; }
  select.value = months.includes(current) ? current : months[0];
  showStatement();
}

async function showStatement() {
  const s = await api('GET', '/api/me/statements/' + $('statement-month').value);
  const earnings = Object.entries(s.earnings);
  $('statement').replaceChildren(
    el('table', { id: 'statement-summary' }, el('tbody', {},
      row('Charged', kwh(s.purchases.importWh) + ' kWh', money(s.purchases.purchases)),
      ...earnings.map(([k, t]) => row('Discharged, ' + k, kwh(t.exportWh) + ' kWh', money(t.earnings))),
      row('Offset credit brought forward', '', money(s.offsetCarriedIn)),
      row('Offset against charging', '', '−' + money(s.offsetApplied)),
      row(el('td', {}, el('b', {}, 'To pay')), '', el('td', { class: 'num' }, el('b', { id: 'statement-due' }, money(s.amountDue) + ' ' + s.currency))),
      row('Paid out to you', '', money(s.payout)),
      row('Offset credit carried forward', '', money(s.offsetCarriedOut)),
      row('Points earned / redeemed / left', '', `${s.pointsEarned} / ${s.pointsRedeemed} / ${s.pointsBalance}`))),
    el('h3', {}, 'Records'),
    el('table', {}, el('tbody', {}, ...s.records.map((r) => row(when(r.start), r.kind.replace('aggregator-', 'grid ').replace('own-', 'own '), kwh(r.wh), money(r.price), money(r.amount))))));
}

function bars(boxId, buckets) {
  const max = Math.max(1, ...buckets.map((b) => Math.max(b.importWh, b.exportWh)));
  const box = $(boxId);
  box.replaceChildren();
  for (const b of buckets) {
    box.append(el('div', {}, b.key), el('div', {}, barOf(b.importWh / max, ''), barOf(b.exportWh / max, 'out')), el('div', { class: 'num' }, kwh(b.importWh) + ' / ' + kwh(b.exportWh)));
  }
  if (buckets.length === 0) box.append(el('div', {}, '–'));
}

function barOf(fraction, cls) {
  const b = el('div', { class: 'bar ' + cls });
  b.style.width = Math.round(fraction * 100) + '%';
  return b;
}

async function loadUsage() {
  const u = await api('GET', '/api/me/usage');
  bars('usage-month', u.byMonth);
  bars('usage-day', u.byDayOfWeek);
  bars('usage-hour', u.byHour);
}

function wire() {
  $('signup-submit').addEventListener('click', () => act(async () => { await api('POST', '/api/signup', { name: $('signup-name').value }); await loadMe(); }, 'Welcome!'));
  $('pair-submit').addEventListener('click', () => act(async () => { await api('POST', '/api/pair', { code: $('pair-code').value }); await loadMe(); }, 'This phone joined your account'));
  $('signout').addEventListener('click', () => act(async () => { await api('POST', '/api/me/signout'); state.me = null; showWelcome(); }));
  for (const b of document.querySelectorAll('nav.tabs button')) b.addEventListener('click', () => showTab(b.dataset.tab));
  $('claim-submit').addEventListener('click', () => act(async () => {
    await api('POST', '/api/me/claim', { chargerId: $('claim-charger').value });
    await pollPrompts();
  }));
  $('vehicle-submit').addEventListener('click', () => act(async () => {
    const capacity = $('vehicle-capacity').value;
    await api('POST', '/api/me/vehicles', { label: $('vehicle-label').value, evccId: $('vehicle-evcc').value, registration: $('vehicle-registration').value, capacityKwh: capacity ? Number(capacity) : null });
    for (const id of ['vehicle-label', 'vehicle-evcc', 'vehicle-registration', 'vehicle-capacity']) $(id).value = '';
    await loadMe();
  }, 'Vehicle registered'));
  $('pairing-new').addEventListener('click', () => act(async () => { $('pairing-code').textContent = (await api('POST', '/api/me/pairing-code')).code; }));
  for (const r of document.querySelectorAll('input[name=cond-mode]')) r.addEventListener('change', toggleConditionMode);
  $('cond-save').addEventListener('click', () => act(async () => {
    const num = (id) => ($(id).value === '' ? null : Number($(id).value));
    const body = $('cond-mode-preset').checked
      ? { preset: $('cond-preset').value }
      : { minSellPrice: num('cond-min-sell'), maxBuyPrice: num('cond-max-buy'), keptSocPct: num('cond-kept'), delegated: $('cond-delegated').checked };
    await api('PUT', '/api/me/conditions', body);
    await loadMe();
  }, 'Conditions saved'));
  $('window-add').addEventListener('click', () => addWindowRow({ days: [0, 1, 2, 3, 4], start: '18:00', end: '07:00' }));
  $('windows-save').addEventListener('click', () => act(async () => { await api('PUT', '/api/me/windows', readWindows()); await loadMe(); }, 'Windows saved'));
  $('settlement-save').addEventListener('click', () => act(async () => {
    const chosen = document.querySelector('input[name=settlement]:checked');
    await api('PUT', '/api/me/settlement', { settlement: chosen ? chosen.value : '' });
    await loadMe();
  }, 'Settlement saved'));
  $('balance-show').addEventListener('click', () => act(showBalance));
  $('statement-month').addEventListener('change', () => act(showStatement));
  $('redeem-submit').addEventListener('click', () => act(async () => {
    await api('POST', '/api/me/points/redeem', { points: Number($('redeem-points').value) });
    $('redeem-points').value = '';
    await loadPoints();
  }, 'Points redeemed'));
}

document.addEventListener('DOMContentLoaded', async () => {
  wire();
  try {
    await loadMe();
  } catch (e) {
    showWelcome();
  }
  setInterval(pollPrompts, 2000);
  pollPrompts();
});
