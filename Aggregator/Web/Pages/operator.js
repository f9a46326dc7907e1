// The operator's page: fleet, demand responses with delivered vs asked energy, prices, manual
// orders, alarms. Talks JSON to /api/operator/* with the operator's cookie.
'use strict';

const $ = (id) => document.getElementById(id);
let overview = null;

async function api(method, path, body) {
  const response = await fetch(path, { method, headers: body === undefined ? {} : { 'Content-Type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'same-origin' });
  const text = await response.text();
  const data = text ? JSON.parse(text) : null;
  if (response.status === 401) { $('signin').classList.remove('hidden'); $('ops').classList.add('hidden'); }
  if (!response.ok) throw new Error((data && data.error) || response.statusText);
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
  try { await work(); if (done) toast(done); } catch (e) { toast(e.message); }
}

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) { if (k === 'class') e.className = v; else if (k.startsWith('on')) e.addEventListener(k.slice(2), v); else e.setAttribute(k, v); }
  for (const c of children) e.append(c instanceof Node ? c : String(c ?? ''));
  return e;
}

const td = (v, num) => el('td', num ? { class: 'num' } : {}, v);
const local = (ms) => new Date(ms + overview.utcOffsetMinutes * 60000).toISOString().slice(0, 16).replace('T', ' ');
const price = (v) => (v === null || v === undefined ? '–' : Number(v).toFixed(2));

async function refresh() {
  overview = await api('GET', '/api/operator/overview');
  $('signin').classList.add('hidden');
  $('ops').classList.remove('hidden');
  $('clock').textContent = local(overview.now);
  const o = overview;
  $('overview').replaceChildren(...[['Chargers', o.chargers], ['Online', o.online], ['Sharing now', o.granted], ['Drivers', o.users], ['Vehicles', o.vehicles], ['Ledger records', o.ledgerRecords], ['Open alarms', o.openAlarms]]
    .map(([k, v]) => el('div', {}, el('small', {}, k), el('b', {}, v))));
  $('instances').replaceChildren(...o.instances.map((i) => el('tr', {}, td(i.id), td(i.description), td(el('span', { class: 'pill ' + (i.alive ? 'ok' : 'bad') }, i.alive ? 'alive' : `silent ${i.secondsSinceHeartbeat} s`)))));
  if (document.activeElement !== $('tariff-buy') && document.activeElement !== $('tariff-sell')) { $('tariff-buy').value = o.tariff.buyPrice; $('tariff-sell').value = o.tariff.sellPrice; }
  const drs = await api('GET', '/api/operator/drs');
  $('drs').replaceChildren(...drs.map((d) => el('tr', {},
    td(d.id), td(`${d.direction} ${d.kw} kW × ${d.minutes} min`), td(local(d.start)), td(el('span', { class: 'pill' + (d.state === 'active' ? ' ok' : '') }, d.state)),
    td(price(d.price) + ' ' + d.currency, true), td(d.committedKw, true), td(d.liveKw, true),
    td(`${(d.deliveredWh / 1000).toFixed(1)} / ${(d.requestedWh / 1000).toFixed(1)} (${d.deliveredPct} %)`, true),
    td(Object.entries(d.orders).map(([k, n]) => `${n} ${k}`).join(', ')),
    td(d.state === 'scheduled' || d.state === 'active' ? el('button', { class: 'danger', onclick: () => act(() => api('POST', `/api/operator/drs/${d.id}/cancel`), 'Cancelled') }, 'Cancel') : ''))));
  const alarms = await api('GET', '/api/operator/alarms');
  $('alarms').replaceChildren(...(alarms.length ? alarms : [null]).map((a) => (a === null ? el('tr', {}, td('No alarm')) : el('tr', {},
    td(local(a.at)), td(el('span', { class: 'pill ' + (a.resolvedAt ? '' : 'bad') }, a.kind)), td(a.chargerId), td(a.detail),
    td(a.resolvedAt ? a.resolution : el('button', { onclick: () => act(async () => { if (a.kind === 'ledger-gap') await api('POST', `/api/operator/chargers/${a.chargerId}/accept-gap`); else await api('POST', `/api/operator/alarms/${a.id}/resolve`); refresh(); }) }, a.kind === 'ledger-gap' ? 'Accept gap' : 'Resolve'))))));
  const chargers = await api('GET', '/api/operator/chargers?limit=200');
  $('chargers').replaceChildren(...chargers.map((c) => el('tr', {},
    td(el('span', {}, el('span', { class: 'pill ' + (c.online ? 'ok' : 'bad') }, c.online ? 'on' : 'off'), ' ', c.id)), td(c.state), td(c.consent), td(c.socPct === null ? '–' : c.socPct + ' %', true), td(c.powerW, true),
    td(c.reason), td(c.dispatchId), td(c.owner), td(c.ledgerAckedUpTo, true))));
}

document.addEventListener('DOMContentLoaded', () => {
  $('signin-submit').addEventListener('click', () => act(async () => { await api('POST', '/api/operator/signin', { key: $('key').value }); await refresh(); }));
  const num = (id) => ($(id).value === '' ? null : Number($(id).value));
  $('dr-submit').addEventListener('click', () => act(async () => {
    const start = $('dr-start').value ? Date.parse($('dr-start').value + ':00Z') - overview.utcOffsetMinutes * 60000 : null;
    await api('POST', '/api/operator/drs', { direction: $('dr-direction').value, kw: num('dr-kw'), start, minutes: num('dr-minutes'), basePrice: num('dr-base'), limitPrice: num('dr-limit'), stepPrice: num('dr-step') });
    await refresh();
  }, 'Declared: the planner is recruiting vehicles'));
  $('tariff-submit').addEventListener('click', () => act(async () => { const r = await api('PUT', '/api/operator/tariff', { buyPrice: num('tariff-buy'), sellPrice: num('tariff-sell') }); toast(`Published to ${r.published} chargers`); }));
  $('order-submit').addEventListener('click', () => act(async () => {
    const r = await api('POST', '/api/operator/orders', { chargerId: $('order-charger').value, setpointW: num('order-w'), minutes: num('order-minutes'), buyPrice: num('order-buy'), sellPrice: num('order-sell') });
    toast(`Order ${r.id} sent`);
  }));
  refresh().catch(() => {});
  setInterval(() => { if (!$('ops').classList.contains('hidden')) refresh().catch(() => {}); }, 3000);
});
