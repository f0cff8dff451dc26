// The dispatch console: polls dispatch's JSON API every 2 s (and after each action) and renders
// incidents, work orders (fault repair and booked visits of service applications, with a filter),
// crews, a map, the move dialog of a booked visit and the planned-outage form. Plain ES module,
// no framework, no fetch beyond this origin. Rows are updated in place (keyed by id), so a
// dispatcher's half-made choice in an assign select survives each refresh.
import { DEFAULT_LANGUAGE, LANGUAGES, t } from './i18n.js';
import {
  ageParts, apiErrorParts, appointmentBadges, beijingLocalToRfc3339, beijingLocalValue,
  bookedWindow, canMove, clockStatus, countWork, durationParts, enumName, filterWorkOrders,
  findClock, fitProjection, formatBeijing, formatWindow, hasPosition, incidentRadius, localized,
  moveRequest, nextOpenClock, parseTime, sortCrews, sortIncidents, sortWorkOrders, toNumber,
  WORK_FILTERS, workOf, workOrderUrgency, worstClockStatus,
} from './model.js';

const POLL_INTERVAL_MS = 2000;
const REQUEST_TIMEOUT_MS = 8000;
const LANG_KEY = 'gridcare.dispatch-console.lang';
const DISPATCHER_KEY = 'gridcare.dispatch-console.dispatcher-id';
const WORK_FILTER_KEY = 'gridcare.dispatch-console.work-filter';
const SVG_NS = 'http://www.w3.org/2000/svg';
const MAP_W = 640;
const MAP_H = 420;
const MAP_MARGIN = 30;
// WorkOrderReassigned.reason vocabulary (declined / off shift / stopped reporting / by dispatcher):
// a fixed value, not a translated label, so consumers can match on it.
const ASSIGN_REASON = 'by dispatcher';

const API = {
  now: 'api/v1/now',
  incidents: 'api/v1/incidents',
  workOrders: 'api/v1/work-orders',
  crews: 'api/v1/crews',
  assign: 'api/v1/work-orders/assign',
  moveAppointment: 'api/v1/work-orders/move-appointment',
  plannedOutages: 'api/v1/planned-outages',
};

const state = {
  lang: DEFAULT_LANGUAGE,
  incidents: [],
  workOrders: [],
  crews: [],
  serverOffsetMs: 0,       // server clock − browser clock, from /api/v1/now
  haveServerTime: false,
  lastRefreshMs: null,     // server time of the last fully successful poll
  refreshCount: 0,
  pollErrors: [],          // [{what, error}] of the latest poll (cleared by a good poll)
  actionError: null,       // {key, params} of the latest failed action (cleared by the next one)
  status: null,            // {key, params} of the latest successful action
  polling: false,
  pollAgain: false,
  pollTimer: null,
  mapSignature: '',
  workFilter: 'all',       // the work-order list's filter: all / repair / appointment
  move: null,              // the open move dialog: {workOrderId, error: {key, params}|null, sending}
};

const $ = (testid) => document.querySelector(`[data-testid="${testid}"]`);
const tr = (key, params) => t(state.lang, key, params);
const nowMs = () => Date.now() + state.serverOffsetMs;

// ---------------------------------------------------------------------------------------------
// Small DOM helpers: write only what changed, so focus, selection and hover survive a refresh.

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v != null && v !== false) node.setAttribute(k, v === true ? '' : String(v));
  }
  for (const child of children) node.append(child);
  return node;
}

function svg(tag, attrs = {}) {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  return node;
}

function setText(node, text) {
  if (node.textContent !== text) node.textContent = text;
}

function setAttr(node, name, value) {
  if (value == null || value === false) {
    if (node.hasAttribute(name)) node.removeAttribute(name);
  } else {
    const v = value === true ? '' : String(value);
    if (node.getAttribute(name) !== v) node.setAttribute(name, v);
  }
}

function setClass(node, className) {
  if (node.className !== className) node.className = className;
}

/**
 * Makes `tbody` hold one row per item, in order, keyed by `key(item)`: existing rows are updated
 * by `update`, new ones made by `create` then updated, rows of vanished items removed. A row is
 * moved only when out of place.
 */
function syncRows(tbody, items, key, create, update) {
  const existing = new Map();
  for (const row of tbody.rows) existing.set(row.dataset.key, row);
  const wanted = new Set();
  items.forEach((item, index) => {
    const k = key(item);
    wanted.add(k);
    let row = existing.get(k);
    if (!row) {
      row = create(item);
      row.dataset.key = k;
    }
    update(row, item);
    if (tbody.rows[index] !== row) tbody.insertBefore(row, tbody.rows[index] ?? null);
  });
  for (const [k, row] of existing) if (!wanted.has(k)) row.remove();
}

// ---------------------------------------------------------------------------------------------
// API access.

/** A failed call, kept as an i18n key and parameters so it re-renders in either language. */
class ApiError extends Error {
  constructor(key, params, status) {
    super(t(DEFAULT_LANGUAGE, key, params));
    this.key = key;
    this.params = params;
    this.status = status;
  }
}

/** {key, params} of any thrown value. */
function describeError(err) {
  if (err instanceof ApiError) return { key: err.key, params: err.params };
  return { key: 'error.network', params: { message: String(err?.message ?? err) } };
}

async function callApi(path, { method = 'GET', body } = {}) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), REQUEST_TIMEOUT_MS);
  let response;
  try {
    response = await fetch(new URL(path, document.baseURI), {
      method,
      headers: body ? { 'Content-Type': 'application/json', Accept: 'application/json' }
        : { Accept: 'application/json' },
      body: body ? JSON.stringify(body) : undefined,
      cache: 'no-store',
      signal: controller.signal,
    });
  } catch (err) {
    if (err?.name === 'AbortError') throw new ApiError('error.timeout', {}, 0);
    throw new ApiError('error.network', { message: String(err?.message ?? err) }, 0);
  } finally {
    clearTimeout(timer);
  }
  const text = await response.text();
  if (!response.ok) {
    const parts = apiErrorParts(response.status, text);
    throw new ApiError('error.api', parts, response.status);
  }
  try {
    return text ? JSON.parse(text) : {};
  } catch {
    throw new ApiError('error.api', { status: response.status, code: 'BAD_JSON',
      message: text.slice(0, 120) }, response.status);
  }
}

async function poll() {
  if (state.polling) {
    state.pollAgain = true;
    return;
  }
  state.polling = true;
  clearTimeout(state.pollTimer);
  try {
    const sentAt = Date.now();
    const [now, incidents, workOrders, crews] = await Promise.allSettled([
      callApi(API.now), callApi(API.incidents), callApi(API.workOrders), callApi(API.crews),
    ]);
    const receivedAt = Date.now();
    const errors = [];
    const take = (result, what, apply) => {
      try {
        if (result.status !== 'fulfilled') throw result.reason;
        apply(result.value);
      } catch (err) {
        errors.push({ what, error: describeError(err) });
      }
    };
    take(now, 'what.now', (v) => {
      const serverMs = parseTime(v?.now);
      if (serverMs == null) throw new Error(`no RFC 3339 "now" in ${JSON.stringify(v).slice(0, 80)}`);
      state.serverOffsetMs = serverMs - (sentAt + receivedAt) / 2;
      state.haveServerTime = true;
    });
    take(incidents, 'what.incidents', (v) => { state.incidents = v?.incidents ?? []; });
    take(workOrders, 'what.workorders', (v) => { state.workOrders = v?.work_orders ?? []; });
    take(crews, 'what.crews', (v) => { state.crews = v?.crews ?? []; });
    state.pollErrors = errors;
    if (errors.length === 0) {
      state.lastRefreshMs = nowMs();
      state.refreshCount += 1;
    }
  } catch (err) {
    state.pollErrors = [{ what: 'what.now', error: describeError(err) }];
  } finally {
    state.polling = false;
    render();
    if (state.pollAgain) {
      state.pollAgain = false;
      queueMicrotask(poll);
    } else {
      state.pollTimer = setTimeout(poll, POLL_INTERVAL_MS);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Rendering.

function renderStatic() {
  document.documentElement.lang = state.lang;
  for (const node of document.querySelectorAll('[data-i18n]')) setText(node, tr(node.dataset.i18n));
  for (const node of document.querySelectorAll('[data-i18n-placeholder]')) {
    setAttr(node, 'placeholder', tr(node.dataset.i18nPlaceholder));
  }
  for (const node of document.querySelectorAll('[data-i18n-aria-label]')) {
    setAttr(node, 'aria-label', tr(node.dataset.i18nAriaLabel));
  }
  const toggle = $('lang-toggle');
  setAttr(toggle, 'lang', state.lang === 'en' ? 'zh-CN' : 'en');
  renderLegend();
  updateScopePlaceholder();
}

function renderClockCell(cell, clock, now) {
  const s = clockStatus(clock, now);
  setAttr(cell, 'data-clock-status', s.status);
  setClass(cell, `clock clock-${s.status}`);
  let main = tr('clock.none');
  let sub = '';
  if (s.status === 'met') {
    main = tr('clock.met', { time: formatBeijing(s.metMs, now) });
    if (s.dueMs != null) sub = tr('clock.due', { time: formatBeijing(s.dueMs, now) });
  } else if (s.status !== 'none') {
    const overdue = s.status === 'overdue';
    const d = durationParts(s.remainingMs, { roundUp: overdue });
    main = tr(overdue ? 'clock.overdue' : 'clock.left', { d: tr(d.key, d.params) });
    sub = tr('clock.due', { time: formatBeijing(s.dueMs, now) });
  }
  let [mainNode, subNode] = cell.children;
  if (!mainNode) {
    mainNode = el('span', { class: 'clock-main' });
    subNode = el('span', { class: 'clock-sub' });
    cell.append(mainNode, subNode);
  }
  setText(mainNode, main);
  setText(subNode, sub);
}

function flagBadges(cell, incident) {
  const flags = [];
  if (incident.life_support_affected) flags.push(['life-support', 'flag.life_support']);
  if (incident.important_customer_affected) flags.push(['important', 'flag.important']);
  const signature = flags.map((f) => tr(f[1])).join('|');
  if (cell.dataset.sig === signature) return;
  cell.dataset.sig = signature;
  cell.replaceChildren();
  if (flags.length === 0) {
    cell.append(tr('flag.none'));
    return;
  }
  for (const [cls, key] of flags) {
    cell.append(el('span', { class: `badge badge-${cls}`, 'data-testid': `flag-${cls}` }, tr(key)));
  }
}

const numberFormats = new Map();
function numberFormatFor(lang) {
  if (!numberFormats.has(lang)) numberFormats.set(lang, new Intl.NumberFormat(lang));
  return numberFormats.get(lang);
}

function renderIncidents(now) {
  const tbody = $('incident-rows');
  const items = sortIncidents(state.incidents, now);
  const numberFormat = numberFormatFor(state.lang);
  syncRows(tbody, items, (i) => i.incident_id, () => {
    const row = el('tr', { 'data-testid': 'incident-row' });
    row.append(
      el('th', { scope: 'row', class: 'id', 'data-testid': 'incident-id' }),
      el('td', { 'data-testid': 'incident-level' }),
      el('td', { 'data-testid': 'incident-state' }),
      el('td', { class: 'id', 'data-testid': 'incident-supply' }),
      el('td', { class: 'num', 'data-testid': 'incident-calls' }),
      el('td', { class: 'num', 'data-testid': 'incident-affected' }),
      el('td', { 'data-testid': 'incident-flags' }),
      el('td', { class: 'id', 'data-testid': 'incident-crew' }),
      el('td', { 'data-testid': 'arrival-clock' }),
      el('td', { 'data-testid': 'restoration-clock' }),
      el('td', { 'data-testid': 'incident-ert' }),
    );
    return row;
  }, (row, inc) => {
    const [id, level, st, supply, calls, affected, flags, crew, arrival, restoration, ert] = row.cells;
    const worst = worstClockStatus(inc.clocks, now);
    setAttr(row, 'data-incident-id', inc.incident_id);
    setAttr(row, 'data-state', inc.state ?? '');
    setAttr(row, 'data-overdue', worst === 'overdue' ? 'true' : 'false');
    setClass(row, `row-${worst}`);
    setText(id, inc.incident_id ?? '');
    setText(level, tr(`level.${enumName(inc.level, 'INCIDENT_LEVEL_')}`));
    const stateName = enumName(inc.state, 'INCIDENT_STATE_');
    setText(st, tr(`istate.${stateName}`));
    setAttr(st, 'data-state', inc.state ?? '');
    const feeder = inc.supply?.feeder_id || '';
    const transformer = inc.supply?.transformer_id || '';
    setText(supply, [feeder, transformer].filter(Boolean).join(' / ') || tr('none'));
    setText(calls, numberFormat.format(toNumber(inc.call_count)));
    setText(affected, numberFormat.format(toNumber(inc.affected_customers)));
    flagBadges(flags, inc);
    setText(crew, inc.crew_id || tr('none'));
    setAttr(crew, 'data-crew-id', inc.crew_id || '');
    renderClockCell(arrival, findClock(inc.clocks, 'KIND_ARRIVAL'), now);
    renderClockCell(restoration, findClock(inc.clocks, 'KIND_RESTORATION'), now);
    const ertMs = parseTime(inc.estimated_restoration_at);
    setText(ert, ertMs == null ? tr('none') : formatBeijing(ertMs, now));
  });
  $('incidents-empty').hidden = items.length > 0;
}

function crewOptions(order) {
  return sortCrews(state.crews).map((crew) => {
    const current = crew.crew_id === order.crew_id;
    const status = crew.status || 'unknown';
    const jobs = crew.work_order_ids?.length ?? 0;
    const label = `${crew.crew_id} ${crew.name ?? ''} · ${tr(`crew.${status}`)} · ` +
      `${tr('assign.jobs', { n: jobs })}${current ? tr('assign.current') : ''}`;
    return { value: crew.crew_id, label, status, current };
  });
}

function renderAssignControl(cell, order) {
  let [label, select, button] = cell.children;
  const woId = order.work_order_id;
  if (!label) {
    const selectId = `assign-${woId.replace(/[^A-Za-z0-9_-]/g, '_')}`;
    label = el('label', { for: selectId, class: 'visually-hidden' });
    select = el('select', { id: selectId, 'data-testid': 'assign-crew-select' });
    button = el('button', { type: 'button', 'data-testid': 'assign-button' });
    button.addEventListener('click', () => assign(woId, select, button));
    cell.append(label, select, button);
  }
  setText(label, tr('assign.label', { id: woId }));
  const options = crewOptions(order);
  const signature = JSON.stringify([state.lang, options]);
  if (select.dataset.sig !== signature) {
    select.dataset.sig = signature;
    const chosen = select.value;
    const placeholder = el('option', { value: '' }, tr('assign.placeholder'));
    select.replaceChildren(placeholder, ...options.map((o) => el('option', {
      value: o.value, 'data-status': o.status, 'data-current': o.current ? 'true' : null,
      disabled: o.current,
    }, o.label)));
    select.value = options.some((o) => o.value === chosen && !o.current) ? chosen : '';
  }
  if (!button.disabled) {
    setText(button, tr(order.crew_id ? 'assign.button.reassign' : 'assign.button'));
  }
  setAttr(button, 'aria-label', tr('assign.button.aria', { id: woId }));
}

/** The filter's radio labels with their counts, and the empty-list text. */
function renderWorkFilter(counts, shown) {
  for (const filter of WORK_FILTERS) {
    setText($(`work-filter-${filter}-label`), tr(`workorders.filter.${filter}`, { n: counts[filter] }));
    const radio = $(`work-filter-${filter}`);
    if (radio.checked !== (state.workFilter === filter)) radio.checked = state.workFilter === filter;
  }
  const empty = $('work-orders-empty');
  setText(empty, tr(counts.all > 0 ? 'workorders.empty.filtered' : 'workorders.empty'));
  empty.hidden = shown > 0;
}

/** The booked visit: what it is for, when (Beijing time), and the move button. */
function renderBookingCell(cell, wo, now) {
  let [visit, time, button] = cell.children;
  if (!visit) {
    visit = el('span', { class: 'appt-visit', 'data-testid': 'appointment-visit' });
    time = el('span', { class: 'appt-time', 'data-testid': 'appointment-time' });
    button = el('button', { type: 'button', class: 'move', 'data-testid': 'move-button' });
    button.addEventListener('click', () => openMove(wo.work_order_id));
    cell.append(visit, time, button);
  }
  const app = wo.application;
  if (!app) {
    setText(visit, tr('none'));
    setText(time, '');
    button.hidden = true;
    return;
  }
  const visitNo = toNumber(app.visit_number);
  setText(visit, tr(`visit.${enumName(app.visit, 'VISIT_KIND_')}`) +
    (visitNo > 1 ? ` · ${tr('appt.visit_no', { n: visitNo })}` : ''));
  const booked = bookedWindow(wo);
  setText(time, booked ? formatWindow(booked.startMs, booked.endMs, now) : tr('appt.unbooked'));
  setClass(time, booked ? 'appt-time' : 'appt-time appt-unbooked');
  button.hidden = !canMove(wo);
  if (!button.disabled) setText(button, tr('move.button'));
  setAttr(button, 'aria-label', tr('move.button.aria', { id: wo.work_order_id }));
}

/** The application's stage, its badges (re-booked, after deadline, clocks stopped) and next due. */
function renderStageCell(cell, wo, now) {
  const app = wo.application;
  const badges = appointmentBadges(wo);
  const next = app && badges.every((b) => b.id !== 'clock-stopped') ? nextOpenClock(wo.clocks) : null;
  const due = next ? clockStatus(next, now) : null;
  const parts = badges.map((b) => [b.id, tr(b.key, b.params),
    b.id === 'rebooked' ? tr('badge.rebooked.title', b.params)
      : b.id === 'after-deadline' ? tr('badge.after_deadline.title') : b.reason ?? '',
    (b.docs ?? []).map((d) => localized(d, state.lang)).filter(Boolean).join(tr('appt.docs_sep'))]);
  const stage = app ? tr(`stage.${enumName(app.stage, 'APPLICATION_STAGE_')}`) : tr('none');
  const dueText = due ? tr('clock.due', { time: formatBeijing(due.dueMs, now) }) : '';
  const signature = JSON.stringify([stage, parts, dueText, due?.status ?? '']);
  if (cell.dataset.sig === signature) return;
  cell.dataset.sig = signature;
  cell.replaceChildren(el('span', { class: 'appt-stage', 'data-testid': 'appointment-stage' }, stage));
  for (const [badgeId, text, title, docs] of parts) {
    cell.append(el('span', { class: `badge badge-${badgeId}`, 'data-testid': 'appointment-badge',
      'data-badge': badgeId, title: title || null }, text));
    if (docs) {
      cell.append(el('span', { class: 'appt-missing', 'data-testid': 'appointment-missing' },
        tr('appt.missing', { docs })));
    }
  }
  if (due) {
    cell.append(el('span', { class: `appt-due clock-${due.status}`, 'data-testid': 'appointment-due',
      'data-clock-status': due.status }, dueText));
  }
}

function renderWorkOrders(now) {
  const tbody = $('work-order-rows');
  const items = sortWorkOrders(filterWorkOrders(state.workOrders, state.workFilter), now);
  renderWorkFilter(countWork(state.workOrders), items.length);
  syncRows(tbody, items, (o) => o.work_order_id, () => {
    const row = el('tr', { 'data-testid': 'work-order-row' });
    row.append(
      el('th', { scope: 'row', class: 'id', 'data-testid': 'work-order-id' }),
      el('td', { 'data-testid': 'work-order-kind' }),
      el('td', { 'data-testid': 'work-order-state' }),
      el('td', { 'data-testid': 'work-order-priority' }),
      el('td', { class: 'id', 'data-testid': 'work-order-crew' }),
      el('td', { class: 'id', 'data-testid': 'work-order-incident' }),
      el('td', { class: 'booking', 'data-testid': 'work-order-booking' }),
      el('td', { class: 'stage', 'data-testid': 'work-order-stage' }),
      el('td', { 'data-testid': 'arrival-clock' }),
      el('td', { class: 'assign', 'data-testid': 'work-order-assign' }),
    );
    return row;
  }, (row, wo) => {
    const [id, kind, st, priority, crew, incident, booking, stage, arrival, assignCell] = row.cells;
    const worst = workOrderUrgency(wo, now);
    setAttr(row, 'data-work-order-id', wo.work_order_id);
    setAttr(row, 'data-state', wo.state ?? '');
    setAttr(row, 'data-crew-id', wo.crew_id ?? '');
    setAttr(row, 'data-work', workOf(wo));
    setAttr(row, 'data-appointment-start', wo.appointment_start || null);
    setAttr(row, 'data-booking-count', wo.application ? toNumber(wo.application.booking_count) : null);
    setClass(row, `row-${worst} work-${workOf(wo)}`);
    setText(id, wo.work_order_id ?? '');
    setText(kind, tr(`kind.${enumName(wo.kind, 'WORK_ORDER_KIND_')}`));
    const stateName = enumName(wo.state, 'WORK_ORDER_STATE_');
    setText(st, tr(`wstate.${stateName}`));
    setAttr(st, 'data-state', wo.state ?? '');
    setClass(st, `state state-${stateName.toLowerCase()}`);
    const prio = enumName(wo.priority, 'PRIORITY_');
    setText(priority, tr(`priority.${prio}`));
    setClass(priority, `priority priority-${prio.toLowerCase()}`);
    setText(crew, wo.crew_id || tr('none'));
    setAttr(crew, 'data-crew-id', wo.crew_id || '');
    setText(incident, wo.incident_id || wo.ticket_id || tr('none'));
    renderBookingCell(booking, wo, now);
    renderStageCell(stage, wo, now);
    renderClockCell(arrival, findClock(wo.clocks, 'KIND_ARRIVAL'), now);
    renderAssignControl(assignCell, wo);
  });
}

function renderCrews(now) {
  const tbody = $('crew-rows');
  const items = sortCrews(state.crews);
  syncRows(tbody, items, (c) => c.crew_id, () => {
    const row = el('tr', { 'data-testid': 'crew-row' });
    row.append(
      el('th', { scope: 'row', class: 'id', 'data-testid': 'crew-id' }),
      el('td', { 'data-testid': 'crew-name' }),
      el('td', {}, el('span', { 'data-testid': 'crew-status' })),
      el('td', { class: 'num', 'data-testid': 'crew-jobs' }),
      el('td', { 'data-testid': 'crew-last-report' }),
    );
    return row;
  }, (row, crew) => {
    const [id, name, statusCell, jobs, lastReport] = row.cells;
    const status = crew.status || 'unknown';
    setAttr(row, 'data-crew-id', crew.crew_id);
    setAttr(row, 'data-status', status);
    setText(id, crew.crew_id ?? '');
    setText(name, crew.name || tr('none'));
    const badge = statusCell.firstElementChild;
    setText(badge, tr(`crew.${status}`));
    setAttr(badge, 'data-status', status);
    setClass(badge, `badge crew-status crew-${status}`);
    setText(jobs, String(crew.work_order_ids?.length ?? 0));
    const reportMs = parseTime(crew.last_report_at);
    const age = ageParts(reportMs, now);
    setText(lastReport, tr(age.key, age.params));
    setAttr(lastReport, 'title', reportMs == null ? null : formatBeijing(reportMs, now, { seconds: true }));
    setClass(lastReport, reportMs != null && now - reportMs > 15 * 60 * 1000 ? 'stale' : '');
  });
  $('crews-empty').hidden = items.length > 0;
}

function renderLegend() {
  const legend = $('map-legend');
  const items = [
    ['incident', 'map.legend.incident', 'circle'],
    ['warning', 'map.legend.warning', 'circle'],
    ['overdue', 'map.legend.overdue', 'circle'],
    ...['available', 'assigned', 'en_route', 'on_site', 'unreachable', 'off_shift']
      .map((s) => [`crew-${s}`, `crew.${s}`, 'square']),
  ];
  legend.replaceChildren(...items.map(([cls, key, shape]) =>
    el('li', {}, el('span', { class: `swatch swatch-${shape} map-${cls}`, 'aria-hidden': 'true' }), tr(key))));
}

function renderMap(now) {
  const map = $('map');
  const incidents = state.incidents.filter((i) => hasPosition(i.location));
  const crews = state.crews.filter((c) => hasPosition(c.position));
  const incidentView = incidents.map((i) => ({
    i, status: worstClockStatus(i.clocks, now), r: incidentRadius(i.affected_customers),
  }));
  const signature = JSON.stringify([
    state.lang,
    incidentView.map((v) => [v.i.incident_id, v.i.location, v.status, v.r, v.i.state, v.i.crew_id]),
    crews.map((c) => [c.crew_id, c.position, c.status, c.name]),
  ]);
  if (signature === state.mapSignature) return;
  state.mapSignature = signature;
  $('map-empty').hidden = incidents.length + crews.length > 0;
  const projection = fitProjection(
    [...incidents.map((i) => i.location), ...crews.map((c) => c.position)], MAP_W, MAP_H, MAP_MARGIN);
  const nodes = [svg('rect', { class: 'map-bg', x: 0, y: 0, width: MAP_W, height: MAP_H, rx: 6 })];
  if (projection) {
    const { bounds } = projection;
    const fmt = (v, pos, neg) => `${Math.abs(v).toFixed(3)}°${v >= 0 ? pos : neg}`;
    const corner = (x, y, anchor, text) => {
      const node = svg('text', { x, y, 'text-anchor': anchor, class: 'map-axis' });
      node.textContent = text;
      return node;
    };
    nodes.push(
      corner(6, 14, 'start', `${fmt(bounds.maxLat, 'N', 'S')} ${fmt(bounds.minLon, 'E', 'W')}`),
      corner(MAP_W - 6, MAP_H - 6, 'end', `${fmt(bounds.minLat, 'N', 'S')} ${fmt(bounds.maxLon, 'E', 'W')}`));
    const crewById = new Map(crews.map((c) => [c.crew_id, c]));
    // Lines from an incident to the crew working it, under everything else.
    for (const { i } of incidentView) {
      const crew = i.crew_id ? crewById.get(i.crew_id) : null;
      if (!crew) continue;
      const a = projection.project(i.location.latitude, i.location.longitude);
      const b = projection.project(crew.position.latitude, crew.position.longitude);
      nodes.push(svg('line', { class: 'map-link', x1: a.x, y1: a.y, x2: b.x, y2: b.y }));
    }
    // Big circles first so small ones stay visible on top.
    for (const { i, status, r } of [...incidentView].sort((a, b) => b.r - a.r)) {
      const p = projection.project(i.location.latitude, i.location.longitude);
      const cls = status === 'overdue' ? 'map-overdue' : status === 'warning' ? 'map-warning' : 'map-incident';
      const circle = svg('circle', {
        cx: p.x.toFixed(1), cy: p.y.toFixed(1), r: r.toFixed(1), class: `map-dot ${cls}`,
        'data-testid': 'map-incident', 'data-incident-id': i.incident_id, 'data-status': status,
      });
      const title = svg('title');
      title.textContent = tr('map.incident.title', {
        id: i.incident_id,
        level: tr(`level.${enumName(i.level, 'INCIDENT_LEVEL_')}`),
        state: tr(`istate.${enumName(i.state, 'INCIDENT_STATE_')}`),
        n: toNumber(i.affected_customers),
      });
      circle.append(title);
      nodes.push(circle);
    }
    for (const c of crews) {
      const p = projection.project(c.position.latitude, c.position.longitude);
      const status = c.status || 'unknown';
      const square = svg('rect', {
        x: (p.x - 5).toFixed(1), y: (p.y - 5).toFixed(1), width: 10, height: 10,
        class: `map-crew map-crew-${status}`, 'data-testid': 'map-crew', 'data-crew-id': c.crew_id,
      });
      const title = svg('title');
      title.textContent = tr('map.crew.title', { id: c.crew_id, name: c.name ?? '', status: tr(`crew.${status}`) });
      square.append(title);
      nodes.push(square);
    }
  }
  map.replaceChildren(...nodes);
}

function renderSummary(now) {
  const overdue = state.incidents.filter((i) => worstClockStatus(i.clocks, now) === 'overdue').length +
    state.workOrders.filter((o) => !o.incident_id && workOrderUrgency(o, now) === 'overdue').length;
  setText($('summary-incidents'), String(state.incidents.length));
  setText($('summary-overdue'), String(overdue));
  $('summary-overdue').parentElement.classList.toggle('has-overdue', overdue > 0);
  setText($('summary-queued'),
    String(state.workOrders.filter((o) => o.state === 'WORK_ORDER_STATE_QUEUED').length));
  setText($('summary-available'), String(state.crews.filter((c) => c.status === 'available').length));
  const title = `${overdue > 0 ? `(${overdue}) ` : ''}${tr('app.title')} · GridCare`;
  if (document.title !== title) document.title = title;
}

function renderHeader(now) {
  setText($('server-clock'), state.haveServerTime ? formatBeijing(now, now, { seconds: true }) : '--:--:--');
  const refresh = $('last-refresh');
  let text = state.lastRefreshMs == null ? tr('refresh.never')
    : tr('refresh.last', { time: formatBeijing(state.lastRefreshMs, now, { seconds: true }) });
  if (state.pollErrors.length > 0 && state.lastRefreshMs != null) text += tr('refresh.stale');
  setText(refresh, text);
  setAttr(refresh, 'data-refresh-count', state.refreshCount);
  setAttr(refresh, 'data-refreshed-at',
    state.lastRefreshMs == null ? null : new Date(state.lastRefreshMs).toISOString());
  refresh.classList.toggle('stale', state.pollErrors.length > 0);
}

function renderMessages() {
  const box = $('console-error');
  const lines = [];
  if (state.actionError) lines.push(tr(state.actionError.key, state.actionError.params));
  for (const e of state.pollErrors) {
    lines.push(tr('error.poll', { what: tr(e.what), message: tr(e.error.key, e.error.params) }));
  }
  const signature = JSON.stringify([state.lang, lines]);
  if (box.dataset.sig !== signature) {
    box.dataset.sig = signature;
    box.replaceChildren();
    if (lines.length > 0) {
      const list = el('ul', {}, ...lines.map((line) => el('li', { 'data-testid': 'console-error-line' }, line)));
      const dismiss = el('button', { type: 'button', class: 'dismiss', 'data-testid': 'console-error-dismiss' },
        tr('messages.dismiss'));
      dismiss.addEventListener('click', () => {
        state.actionError = null;
        state.pollErrors = [];
        renderMessages();
      });
      box.append(list, dismiss);
    }
  }
  box.hidden = lines.length === 0;
  const status = $('console-status');
  setText(status, state.status ? tr(state.status.key, state.status.params) : '');
}

function render() {
  const now = nowMs();
  renderHeader(now);
  renderSummary(now);
  renderIncidents(now);
  renderWorkOrders(now);
  renderCrews(now);
  renderMap(now);
  renderMessages();
  renderMoveDialog(now);
}

// ---------------------------------------------------------------------------------------------
// Actions.

function dispatcherId() {
  return $('dispatcher-id').value.trim();
}

function failAction(key, params, focus) {
  state.actionError = { key, params };
  state.status = null;
  renderMessages();
  focus?.focus();
}

async function assign(workOrderId, select, button) {
  const crewId = select.value;
  const order = state.workOrders.find((o) => o.work_order_id === workOrderId);
  if (!crewId) return failAction('assign.need_crew', { id: workOrderId }, select);
  if (order && order.crew_id === crewId) {
    return failAction('assign.same_crew', { id: workOrderId, crew: crewId }, select);
  }
  if (!dispatcherId()) return failAction('error.dispatcher', {}, $('dispatcher-id'));
  state.actionError = null;
  button.disabled = true;
  setAttr(button, 'aria-busy', 'true');
  setText(button, tr('assign.sending'));
  try {
    const response = await callApi(API.assign, {
      method: 'POST',
      body: { work_order_id: workOrderId, crew_id: crewId, dispatcher_id: dispatcherId(),
        reason: ASSIGN_REASON },
    });
    const updated = response?.work_order;
    if (updated?.work_order_id) {
      state.workOrders = state.workOrders.map((o) => (o.work_order_id === updated.work_order_id ? updated : o));
    }
    state.status = { key: 'assign.ok', params: { wo: workOrderId, crew: updated?.crew_id || crewId } };
    select.value = '';
  } catch (err) {
    state.actionError = describeError(err);
    state.status = null;
  } finally {
    button.disabled = false;
    setAttr(button, 'aria-busy', null);
    render();
    poll();
  }
}

// The move dialog of a booked visit: a new start (Beijing time), optionally another crew, and the
// reason told to the customer. Errors show inside the dialog (the page behind it is inert).

function moveOrder() {
  return state.move ? state.workOrders.find((o) => o.work_order_id === state.move.workOrderId) : null;
}

function renderMoveDialog(now) {
  const m = state.move;
  if (!m) return;
  const wo = moveOrder();
  const booked = wo ? bookedWindow(wo) : null;
  setText($('move-summary'), wo ? [
    wo.work_order_id,
    tr(`kind.${enumName(wo.kind, 'WORK_ORDER_KIND_')}`),
    tr(`visit.${enumName(wo.application?.visit, 'VISIT_KIND_')}`),
    booked ? tr('move.booked', { time: formatWindow(booked.startMs, booked.endMs, now) }) : tr('appt.unbooked'),
    ...(wo.crew_id ? [wo.crew_id] : []),
  ].join(' · ') : tr('move.gone', { id: m.workOrderId }));
  const box = $('move-error');
  const text = m.error ? tr(m.error.key, m.error.params) : '';
  setText(box, text);
  box.hidden = !text;
  const submit = $('move-submit');
  submit.disabled = Boolean(m.sending);
  setAttr(submit, 'aria-busy', m.sending ? 'true' : null);
  setText(submit, tr(m.sending ? 'move.sending' : 'move.submit'));
}

function fillMoveCrews(wo) {
  const select = $('move-crew');
  const keep = el('option', { value: '' }, tr(wo.crew_id ? 'move.crew.keep' : 'move.crew.choose'));
  select.replaceChildren(keep, ...crewOptions(wo).map((o) => el('option', {
    value: o.value, 'data-status': o.status, 'data-current': o.current ? 'true' : null,
    disabled: o.current,
  }, o.label)));
  select.value = '';
}

function openMove(workOrderId) {
  const wo = state.workOrders.find((o) => o.work_order_id === workOrderId);
  if (!wo) return;
  if (!dispatcherId()) return failAction('error.dispatcher', {}, $('dispatcher-id'));
  state.move = { workOrderId, error: null, sending: false };
  $('move-start').value = beijingLocalValue(bookedWindow(wo)?.startMs);
  $('move-reason').value = '';
  for (const id of ['move-start', 'move-crew', 'move-reason']) setAttr($(id), 'aria-invalid', null);
  fillMoveCrews(wo);
  renderMoveDialog(nowMs());
  $('move-dialog').showModal();
  $('move-start').focus();
}

function closeMove() {
  const workOrderId = state.move?.workOrderId;
  state.move = null;
  const dialog = $('move-dialog');
  if (dialog.open) dialog.close();
  const row = document.querySelector(`[data-testid="work-order-row"][data-work-order-id="${CSS.escape(workOrderId ?? '')}"]`);
  row?.querySelector('[data-testid="move-button"]')?.focus();
}

async function submitMove(event) {
  event.preventDefault();
  const m = state.move;
  if (!m || m.sending) return;
  for (const id of ['move-start', 'move-crew', 'move-reason']) setAttr($(id), 'aria-invalid', null);
  const request = moveRequest({
    workOrderId: m.workOrderId, startLocal: $('move-start').value, crewId: $('move-crew').value,
    currentCrewId: moveOrder()?.crew_id ?? '', reason: $('move-reason').value, dispatcherId: dispatcherId(),
  });
  if (request.error) {
    m.error = { key: request.error, params: {} };
    const field = { start: 'move-start', crew: 'move-crew', reason: 'move-reason' }[request.field];
    if (field) setAttr($(field), 'aria-invalid', 'true');
    renderMoveDialog(nowMs());
    if (field) $(field).focus();
    return;
  }
  m.error = null;
  m.sending = true;
  renderMoveDialog(nowMs());
  try {
    const response = await callApi(API.moveAppointment, { method: 'POST', body: request.body });
    const updated = response?.work_order;
    if (updated?.work_order_id) {
      state.workOrders = state.workOrders.map((o) => (o.work_order_id === updated.work_order_id ? updated : o));
    }
    const booked = bookedWindow(updated) ?? { startMs: Date.parse(request.body.start), endMs: null };
    const now = nowMs();
    state.status = { key: 'move.ok', params: {
      wo: m.workOrderId, time: formatWindow(booked.startMs, booked.endMs, now),
      crew: updated?.crew_id || request.body.crew_id || tr('none'),
    } };
    state.actionError = null;
    closeMove();
  } catch (err) {
    m.error = describeError(err);
  } finally {
    m.sending = false;
    render();
    poll();
  }
}

function scopeKind() {
  return document.querySelector('input[name="scope-kind"]:checked')?.value ?? 'feeder';
}

function updateScopePlaceholder() {
  setAttr($('po-scope-id'), 'placeholder', tr(`po.scope_id.placeholder.${scopeKind()}`));
}

async function registerPlannedOutage(event) {
  event.preventDefault();
  const form = event.currentTarget;
  const idInput = $('po-scope-id');
  const startInput = $('po-start');
  const endInput = $('po-end');
  for (const input of [idInput, startInput, endInput, $('po-reason-zh')]) setAttr(input, 'aria-invalid', null);
  const deviceId = idInput.value.trim();
  const startsAt = beijingLocalToRfc3339(startInput.value);
  const endsAt = beijingLocalToRfc3339(endInput.value);
  const reasonZh = $('po-reason-zh').value.trim();
  const reasonEn = $('po-reason-en').value.trim();
  if (!deviceId) {
    setAttr(idInput, 'aria-invalid', 'true');
    return failAction('po.err.scope', {}, idInput);
  }
  if (!startsAt || !endsAt || Date.parse(endsAt) <= Date.parse(startsAt)) {
    const bad = startsAt ? endInput : startInput;
    setAttr(bad, 'aria-invalid', 'true');
    return failAction('po.err.time', {}, bad);
  }
  if (!reasonZh && !reasonEn) {
    setAttr($('po-reason-zh'), 'aria-invalid', 'true');
    return failAction('po.err.reason', {}, $('po-reason-zh'));
  }
  if (!dispatcherId()) return failAction('error.dispatcher', {}, $('dispatcher-id'));
  const kind = scopeKind();
  const submit = $('po-submit');
  state.actionError = null;
  submit.disabled = true;
  setText(submit, tr('po.sending'));
  try {
    const response = await callApi(API.plannedOutages, {
      method: 'POST',
      body: {
        planned_outage: {
          scope: kind === 'transformer' ? { transformer_id: deviceId } : { feeder_id: deviceId },
          starts_at: startsAt,
          ends_at: endsAt,
          reason: { zh_cn: reasonZh, en: reasonEn },
          registered_by: dispatcherId(),
        },
      },
    });
    const po = response?.planned_outage ?? {};
    const now = nowMs();
    state.status = {
      key: 'po.ok',
      params: {
        id: po.planned_outage_id || '—',
        scope: deviceId,
        start: formatBeijing(Date.parse(startsAt), now),
        end: formatBeijing(Date.parse(endsAt), now),
      },
    };
    form.reset();
    updateScopePlaceholder();
  } catch (err) {
    state.actionError = describeError(err);
    state.status = null;
  } finally {
    submit.disabled = false;
    setText(submit, tr('po.submit'));
    render();
    poll();
  }
}

// ---------------------------------------------------------------------------------------------
// Start-up.

function readStorage(key) {
  try { return window.localStorage.getItem(key); } catch { return null; }
}

function writeStorage(key, value) {
  try { window.localStorage.setItem(key, value); } catch { /* private mode: not remembered */ }
}

function setLanguage(lang) {
  state.lang = LANGUAGES.includes(lang) ? lang : DEFAULT_LANGUAGE;
  writeStorage(LANG_KEY, state.lang);
  state.mapSignature = '';
  renderStatic();
  render();
}

function start() {
  const saved = readStorage(LANG_KEY);
  state.lang = LANGUAGES.includes(saved) ? saved : DEFAULT_LANGUAGE;
  const dispatcher = $('dispatcher-id');
  dispatcher.value = readStorage(DISPATCHER_KEY) ?? '';
  dispatcher.addEventListener('change', () => writeStorage(DISPATCHER_KEY, dispatcher.value.trim()));
  $('lang-toggle').addEventListener('click', () => setLanguage(state.lang === 'en' ? 'zh-CN' : 'en'));
  $('planned-outage-form').addEventListener('submit', registerPlannedOutage);
  const savedFilter = readStorage(WORK_FILTER_KEY);
  state.workFilter = WORK_FILTERS.includes(savedFilter) ? savedFilter : 'all';
  for (const radio of document.querySelectorAll('input[name="work-filter"]')) {
    radio.addEventListener('change', () => {
      if (!radio.checked) return;
      state.workFilter = radio.value;
      writeStorage(WORK_FILTER_KEY, radio.value);
      render();
    });
  }
  $('move-form').addEventListener('submit', submitMove);
  $('move-cancel').addEventListener('click', closeMove);
  // Escape closes the dialog by itself: forget the move too.
  $('move-dialog').addEventListener('close', () => { if (state.move) closeMove(); });
  for (const radio of document.querySelectorAll('input[name="scope-kind"]')) {
    radio.addEventListener('change', updateScopePlaceholder);
  }
  renderStatic();
  render();
  poll();
  // Countdowns move every second between polls (render writes only what changed).
  setInterval(render, 1000);
}

start();
