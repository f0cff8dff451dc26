// The complaint desk: lists a department's cases in the order their clocks run out and shows one
// case with its customer (masked), linked ticket and incident (with the incident's network
// context: dispatch's view and the crews' progress), clocks, pauses, coordination parts,
// timeline and actions. Plain ES module, no framework, nothing fetched beyond this origin. Polls
// the service's JSON API every 5 s (and after each action); countdowns move every second.
import { DEFAULT_LANGUAGE, LANGUAGES, t } from './i18n.js';
import {
  actionBody, actorFor, apiErrorParts, availableActions, caseUrgency, clockStatus, durationParts,
  enumName, fieldEstimate, fieldOutcome, firstDue, formatBeijing, holdingUp, isPaused, localized,
  newRequestId, normaliseCaseId, parseTime, requestIdFor, restorationOf, retryable, sortCases,
  toNumber,
} from './model.js';

const POLL_INTERVAL_MS = 5000;
const REQUEST_TIMEOUT_MS = 10000;
const PAGE_SIZE = 50;
const MAX_PAGE_SIZE = 500;
const LANG_KEY = 'gridcare.complaint-desk.lang';
const ACTOR_KEY = 'gridcare.complaint-desk.act-as';
const CASE_ROUTE = /^#\/cases\/(.+)$/;
/** States the list's state filter offers (closed cases are not on the desk's list). */
const STATE_FILTERS = ['ROUTED', 'CONTACTED', 'REPLIED', 'RETURN_VISITED', 'REOPENED'];

const state = {
  lang: DEFAULT_LANGUAGE,
  directory: null,           // GET api/directory
  causes: null,              // GET api/causes
  cases: [],
  total: 0,
  nextToken: '',
  shown: PAGE_SIZE,          // how many cases the list polls for (grows with "more")
  view: 'list',
  caseId: '',
  current: null,             // the case on the case page
  currentError: null,        // {key, params} when the case could not be loaded
  network: null,             // {incidentId, context}: GET api/incidents/<the case's incident>;
                             // context null when the service does not know the incident (404)
  serverOffsetMs: 0,
  haveServerTime: false,
  lastRefreshMs: null,
  refreshCount: 0,
  pollErrors: [],            // [{what, error}] of the latest poll
  actionError: null,         // {key, params} of the latest refused action or form error
  status: null,              // {key, params} of the latest successful action
  pending: {},               // action → {id, key}: the request id a retry reuses
  busy: false,
  polling: false,
  pollAgain: false,
  pollTimer: null,
};

const $ = (testid) => document.querySelector(`[data-testid="${testid}"]`);
const tr = (key, params) => t(state.lang, key, params);
const nowMs = () => Date.now() + state.serverOffsetMs;

// ---------------------------------------------------------------------------------------------
// DOM helpers: write only what changed, so focus and typed input survive a refresh.

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v != null && v !== false) node.setAttribute(k, v === true ? '' : String(v));
  }
  for (const child of children) if (child != null) node.append(child);
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

/** Replaces `node`'s children only when `signature` changed since the last call. */
function rebuild(node, signature, build) {
  if (node.dataset.sig === signature) return false;
  node.dataset.sig = signature;
  node.replaceChildren(...build());
  return true;
}

/** Keeps one row per item in `tbody`, keyed by `key(item)`, in order (as the dispatch console). */
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

function describeError(err) {
  if (err instanceof ApiError) return { key: err.key, params: err.params, status: err.status };
  return { key: 'error.network', params: { message: String(err?.message ?? err) }, status: 0 };
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

function listPath() {
  const q = new URLSearchParams();
  const department = $('filter-department').value;
  const stateFilter = $('filter-state').value;
  if (department) q.set('department', department);
  if (stateFilter) q.set('state', stateFilter);
  if ($('filter-overdue').checked) q.set('overdue_only', 'true');
  q.set('page_size', String(Math.min(MAX_PAGE_SIZE, state.shown)));
  return `api/cases?${q}`;
}

const casePath = (id) => `api/cases/${encodeURIComponent(id)}`;
const incidentPath = (id) => `api/incidents/${encodeURIComponent(id)}`;

/** An incident the service has not heard of (404) is an answer, not a failure: null. */
function unknownIsNull(err) {
  if (err instanceof ApiError && err.status === 404) return null;
  throw err;
}

/** One poll: server time, the directory and causes until loaded, then the list or the case. */
async function poll() {
  if (state.polling) {
    state.pollAgain = true;
    return;
  }
  state.polling = true;
  clearTimeout(state.pollTimer);
  const errors = [];
  const take = async (what, promise, apply) => {
    try {
      apply(await promise);
    } catch (err) {
      errors.push({ what, error: describeError(err) });
    }
  };
  try {
    const sentAt = Date.now();
    const jobs = [take('what.now', callApi('api/now'), (v) => {
      const serverMs = parseTime(v?.now);
      if (serverMs == null) throw new Error(`no RFC 3339 "now" in ${JSON.stringify(v).slice(0, 80)}`);
      state.serverOffsetMs = serverMs - (sentAt + Date.now()) / 2;
      state.haveServerTime = true;
    })];
    if (!state.directory) {
      jobs.push(take('what.directory', callApi('api/directory'), (v) => {
        state.directory = { departments: v?.departments ?? [], handlers: v?.handlers ?? [],
          pool: v?.pool_department_id ?? '', coordinator: v?.coordinator_id ?? '' };
      }));
    }
    if (!state.causes) {
      jobs.push(take('what.causes', callApi('api/causes'), (v) => { state.causes = v?.causes ?? []; }));
    }
    if (state.view === 'list') {
      jobs.push(take('what.cases', callApi(listPath()), (v) => {
        state.cases = v?.cases ?? [];
        state.total = toNumber(v?.total);
        state.nextToken = v?.next_page_token ?? '';
      }));
    } else if (state.caseId) {
      const id = state.caseId;
      jobs.push(take('what.case', callApi(casePath(id)), (v) => {
        if (state.caseId !== id) return;
        state.current = v;
        state.currentError = null;
      }).then(() => {
        const failed = errors.find((e) => e.what === 'what.case');
        if (failed && state.caseId === id && failed.error.status === 404) {
          state.current = null;
          state.currentError = failed.error;
        }
        // The linked incident's network context, once the case says which incident it is.
        const incidentId = state.caseId === id ? state.current?.incident_id : '';
        if (!incidentId) return undefined;
        return take('what.incident', callApi(incidentPath(incidentId)).catch(unknownIsNull), (v) => {
          if (state.caseId === id) state.network = { incidentId, context: v };
        });
      }));
    }
    await Promise.all(jobs);
    state.pollErrors = errors;
    if (errors.length === 0) {
      state.lastRefreshMs = nowMs();
      state.refreshCount += 1;
    }
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
// Names from the directory and the catalogue.

function department(id) {
  return state.directory?.departments.find((d) => d.id === id) ?? null;
}

function departmentName(id) {
  const d = department(id);
  return d ? localized(d.name, state.lang) : (id || tr('none'));
}

function unitName(departmentId, unitId) {
  const unit = department(departmentId)?.units?.find((u) => u.id === unitId);
  return unit ? localized(unit.name, state.lang) : unitId;
}

function handler(id) {
  return state.directory?.handlers.find((h) => h.id === id) ?? null;
}

function handlerName(id) {
  if (!id) return tr('handler.none');
  const h = handler(id);
  return h ? `${h.name} (${h.id})` : id;
}

function causeLabel(code) {
  const cause = state.causes?.find((c) => c.code === code);
  return cause ? `${localized(cause.label, state.lang)} (${code})` : code;
}

function actorName(by) {
  if (!by || (!by.id && !by.display_name)) return tr('actor.system');
  if (by.id && handler(by.id)) return handlerName(by.id);
  return by.display_name || by.id;
}

const actingHandler = () => handler($('act-as').value);

// ---------------------------------------------------------------------------------------------
// Rendering: shared parts.

function renderStatic() {
  document.documentElement.lang = state.lang;
  for (const node of document.querySelectorAll('[data-i18n]')) setText(node, tr(node.dataset.i18n));
  for (const node of document.querySelectorAll('[data-i18n-placeholder]')) {
    setAttr(node, 'placeholder', tr(node.dataset.i18nPlaceholder));
  }
  for (const node of document.querySelectorAll('[data-i18n-aria-label]')) {
    setAttr(node, 'aria-label', tr(node.dataset.i18nAriaLabel));
  }
  setAttr($('lang-toggle'), 'lang', state.lang === 'en' ? 'zh-CN' : 'en');
}

/** The text of a clock cell: "剩余 2 天 3 小时", "超时 5 分钟", "已于 10:20 完成", "—". */
function clockText(s, now) {
  if (s.status === 'none') return { main: tr('clock.none'), sub: '' };
  if (s.status === 'met') return { main: tr('clock.met', { time: formatBeijing(s.metMs, now) }), sub: '' };
  const overdue = s.status === 'overdue';
  const d = durationParts(s.remainingMs, { roundUp: overdue });
  return {
    main: tr(overdue ? 'clock.overdue' : 'clock.left', { d: tr(d.key, d.params) }),
    sub: tr('clock.due', { time: formatBeijing(s.dueMs, now) }),
  };
}

function renderClockCell(cell, clock, now) {
  const s = clockStatus(clock, now);
  setAttr(cell, 'data-clock-status', s.status);
  setClass(cell, `clock clock-${s.status}`);
  const { main, sub } = clockText(s, now);
  let [mainNode, subNode] = cell.children;
  if (!mainNode) {
    mainNode = el('span', { class: 'clock-main' });
    subNode = el('span', { class: 'clock-sub' });
    cell.append(mainNode, subNode);
  }
  setText(mainNode, main);
  setText(subNode, sub);
}

const findClock = (c, kind) => (c.clocks ?? []).find((k) => k.kind === kind) ?? null;

/** Badges of a case: senior handling, supervision level, paused, coordinator, reopened, closed. */
function caseBadges(c) {
  const badges = [];
  if (c.senior_handling) badges.push(['senior', tr('badge.senior')]);
  const level = toNumber(c.supervision_level);
  if (level > 0) badges.push(['supervision', tr('badge.supervision', { n: level })]);
  if (isPaused(c)) badges.push(['paused', tr('badge.paused')]);
  if (c.with_coordinator) badges.push(['coordinator', tr('badge.coordinator')]);
  const reopened = toNumber(c.reopen_count);
  if (reopened > 0) badges.push(['reopened', tr('badge.reopened', { n: reopened })]);
  if ((c.parts ?? []).length > 0) badges.push(['coordination', tr('badge.coordination')]);
  if (c.closure && c.closure !== 'CASE_CLOSURE_UNSPECIFIED') {
    badges.push(['closed', tr(`closure.${enumName(c.closure, 'CASE_CLOSURE_')}`)]);
  }
  return badges;
}

function renderBadges(node, c) {
  const badges = caseBadges(c);
  rebuild(node, JSON.stringify(badges), () => (badges.length === 0 ? [tr('none')]
    : badges.map(([cls, text]) => el('span', { class: `badge badge-${cls}`, 'data-badge': cls }, text))));
}

function stateLabel(c) {
  return tr(`state.${enumName(c.state, 'CASE_STATE_')}`);
}

function typeLabel(c) {
  return tr(`type.${enumName(c.request_type, 'REQUEST_TYPE_')}`);
}

// ---------------------------------------------------------------------------------------------
// The list.

function renderFilters() {
  const select = $('filter-department');
  const departments = state.directory?.departments ?? [];
  const chosenDepartment = select.value;
  if (rebuild(select, JSON.stringify([state.lang, departments.map((d) => d.id)]), () => [
    el('option', { value: '' }, tr('filter.all_departments')),
    ...departments.map((d) => el('option', { value: d.id }, localized(d.name, state.lang)))])) {
    select.value = departments.some((d) => d.id === chosenDepartment) ? chosenDepartment : '';
  }
  const states = $('filter-state');
  const chosenState = states.value;
  if (rebuild(states, state.lang, () => [el('option', { value: '' }, tr('filter.all_states')),
    ...STATE_FILTERS.map((s) => el('option', { value: `CASE_STATE_${s}` }, tr(`state.${s}`)))])) {
    states.value = chosenState;
  }
}

function createCaseRow() {
  const row = el('tr', { 'data-testid': 'case-row' });
  row.append(
    el('th', { scope: 'row', class: 'id' }, el('a', { 'data-testid': 'case-link' })),
    el('td', { 'data-testid': 'case-row-type' }),
    el('td', { 'data-testid': 'case-row-department' }),
    el('td', { 'data-testid': 'case-row-state' }),
    el('td', { 'data-testid': 'case-row-handler' }),
    el('td', { 'data-testid': 'case-row-flags' }),
    el('td', { 'data-testid': 'contact-clock' }),
    el('td', { 'data-testid': 'reply-clock' }),
    el('td', { 'data-testid': 'first-due' }),
  );
  return row;
}

function updateCaseRow(row, c, now) {
  const [idCell, type, dept, st, owner, flags, contact, reply, due] = row.cells;
  const urgency = caseUrgency(c, now);
  setAttr(row, 'data-case-id', c.case_id);
  setAttr(row, 'data-state', c.state ?? '');
  setAttr(row, 'data-urgency', urgency);
  setClass(row, `row-${urgency}`);
  const link = idCell.firstElementChild;
  setText(link, c.case_id ?? '');
  setAttr(link, 'href', `#/cases/${encodeURIComponent(c.case_id)}`);
  setText(type, `${typeLabel(c)}${c.category ? ` · ${c.category}` : ''}`);
  setText(dept, [departmentName(c.department_id), c.unit_id ? unitName(c.department_id, c.unit_id) : '']
    .filter(Boolean).join(' / '));
  setText(st, stateLabel(c));
  setText(owner, handlerName(c.handler_id));
  renderBadges(flags, c);
  renderClockCell(contact, findClock(c, 'KIND_COMPLAINT_CONTACT'), now);
  renderClockCell(reply, findClock(c, 'KIND_COMPLAINT_REPLY'), now);
  const dueMs = firstDue(c);
  setAttr(due, 'data-clock-status', urgency);
  setClass(due, `clock clock-${urgency}`);
  if (!due.firstElementChild) due.append(el('span', { class: 'clock-main' }));
  setText(due.firstElementChild, dueMs == null ? tr('none') : formatBeijing(dueMs, now));
}

function renderList(now) {
  renderFilters();
  const items = sortCases(state.cases);
  syncRows($('case-rows'), items, (c) => c.case_id, createCaseRow, (row, c) => updateCaseRow(row, c, now));
  $('cases-empty').hidden = items.length > 0;
  setText($('case-total'), tr('list.total', { shown: items.length, total: state.total }));
  $('more-cases').hidden = !state.nextToken;
}

// ---------------------------------------------------------------------------------------------
// One case.

function renderFacts(c, now) {
  setText($('case-customer'), c.customer_display || tr('customer.unknown'));
  const tags = (c.customer_tags ?? []).map((tag) => tr(`tag.${enumName(tag, 'CUSTOMER_TAG_')}`));
  setText($('case-customer-tags'), tags.length ? tags.join('、') : tr('none'));
  setText($('case-contacts'), tr('customer.contact_counts',
    { contacts: toNumber(c.contact_count), urgings: toNumber(c.urging_count) }));
  setText($('case-district'), c.district || tr('none'));
  setText($('case-text'), c.text || tr('customer.no_text'));
  setText($('case-type'), typeLabel(c));
  setText($('case-category'), c.category || tr('none'));
  setText($('case-ticket'), c.ticket_id || tr('none'));
  setText($('case-incident'), c.incident_id || tr('links.no_incident'));
  const supply = c.supply_point ?? {};
  setText($('case-supply'), [supply.feeder_id, supply.transformer_id].filter(Boolean).join(' / ') || tr('none'));
  setText($('case-owner'), [departmentName(c.department_id), c.unit_id ? unitName(c.department_id, c.unit_id) : '']
    .filter(Boolean).join(' / '));
  setText($('case-handler'), handlerName(c.handler_id));
  setText($('case-rule'), c.routing_rule || tr('none'));
  setText($('case-opened'), formatBeijing(parseTime(c.opened_at), now) || tr('none'));
}

/** A time with what it means ({key, ms, passed}, model.js); passed ones say so, in red. */
function renderEstimate(node, estimate, now) {
  let text = tr('none');
  if (estimate) {
    text = tr(estimate.key, { time: formatBeijing(estimate.ms, now) });
    if (estimate.passed) text += tr('estimate.passed');
  }
  setText(node, text);
  setAttr(node, 'data-passed', estimate?.passed ? 'true' : null);
  node.classList.toggle('estimate-passed', Boolean(estimate?.passed));
}

function renderIncident(incident, now) {
  const stateText = tr(`incident.state.${enumName(incident.state, 'INCIDENT_STATE_')}`);
  setText($('network-incident'), incident.incident_id || tr('none'));
  setAttr($('network-state'), 'data-state', incident.state ?? '');
  setText($('network-state'), incident.parent_incident_id
    ? tr('network.merged_into', { state: stateText, id: incident.parent_incident_id }) : stateText);
  setText($('network-level'), tr(`incident.level.${enumName(incident.level, 'INCIDENT_LEVEL_')}`));
  const supply = incident.supply ?? {};
  setText($('network-supply'), [supply.feeder_id, supply.transformer_id].filter(Boolean).join(' / ') || tr('none'));
  setText($('network-affected'), tr('network.customers', { n: toNumber(incident.affected_customers) }));
  setText($('network-calls'), tr('network.call_count', { n: toNumber(incident.call_count) }));
  const flags = [];
  if (incident.life_support_affected) flags.push('life_support');
  if (incident.important_customer_affected) flags.push('important');
  rebuild($('network-flags'), JSON.stringify([state.lang, flags]), () => (flags.length === 0
    ? [tr('network.flag.none')]
    : flags.map((f) => el('span', { class: 'badge badge-supervision', 'data-flag': f }, tr(`network.flag.${f}`)))));
  setText($('network-opened'), formatBeijing(parseTime(incident.opened_at), now) || tr('none'));
  renderEstimate($('network-restoration'), restorationOf(incident, now), now);
  const cause = localized(incident.cause, state.lang);
  setText($('network-cause'), [cause, incident.cause_code ? `(${incident.cause_code})` : '']
    .filter(Boolean).join(' ') || tr('none'));
}

function createCrewRow() {
  return el('tr', { 'data-testid': 'crew-row' },
    el('th', { scope: 'row', class: 'id' }),
    el('td', { class: 'id', 'data-testid': 'crew-id' }),
    el('td', { 'data-testid': 'crew-stage' }),
    el('td', { class: 'when', 'data-testid': 'crew-reported' }),
    el('td', { 'data-testid': 'crew-estimate' }),
    el('td', { 'data-testid': 'crew-outcome' }));
}

function updateCrewRow(row, progress, now) {
  const [order, crew, stage, reported, estimate, outcome] = row.cells;
  const stageName = enumName(progress.stage, 'FIELD_STAGE_');
  setAttr(row, 'data-work-order-id', progress.work_order_id);
  setAttr(row, 'data-crew-id', progress.crew_id ?? '');
  setAttr(row, 'data-stage', progress.stage ?? 'FIELD_STAGE_UNSPECIFIED');
  setText(order, progress.work_order_id ?? '');
  setText(crew, progress.crew_id || tr('crews.no_crew'));
  setText(stage, tr(`crew.stage.${stageName}`));
  setClass(stage, `stage stage-${stageName.toLowerCase()}`);
  setText(reported, formatBeijing(parseTime(progress.updated_at), now) || tr('none'));
  renderEstimate(estimate, fieldEstimate(progress, now), now);
  const done = fieldOutcome(progress);
  setText(outcome, done ? tr(done.key, done.params) : tr('none'));
}

/** The linked incident's network context: hidden without an incident; "no information yet" on 404. */
function renderNetwork(c, now) {
  const panel = $('network-panel');
  const incidentId = c.incident_id ?? '';
  panel.hidden = !incidentId;
  setAttr(panel, 'data-incident-id', incidentId || null);
  if (!incidentId) return;
  const held = state.network?.incidentId === incidentId ? state.network : null;
  const status = held == null ? 'loading' : held.context ? 'known' : 'unknown';
  setAttr(panel, 'data-status', status);
  const note = $('network-status');
  note.hidden = status === 'known';
  setText(note, tr(status === 'unknown' ? 'network.unknown' : 'case.loading'));
  $('network-body').hidden = status !== 'known';
  if (status !== 'known') return;
  renderIncident(held.context.incident ?? {}, now);
  const field = held.context.field ?? [];
  syncRows($('crew-rows'), field, (p) => p.work_order_id, createCrewRow, (row, p) => updateCrewRow(row, p, now));
  $('crews-empty').hidden = field.length > 0;
}

function renderClocks(c, now) {
  const clocks = c.clocks ?? [];
  syncRows($('clock-rows'), clocks, (k) => k.kind, () => el('tr', { 'data-testid': 'case-clock' },
    el('th', { scope: 'row' }), el('td'), el('td')), (row, clock) => {
    const [name, due, left] = row.cells;
    setAttr(row, 'data-kind', clock.kind);
    const kind = enumName(clock.kind, 'KIND_');
    const days = toNumber(clock.limit_working_days);
    setText(name, `${tr(`clock.${kind}`)}${days > 0 ? tr('clock.working_days', { n: days }) : ''}`);
    setText(due, formatBeijing(parseTime(clock.due_at), now) || tr('none'));
    renderClockCell(left, clock, now);
    setAttr(row, 'data-clock-status', left.dataset.clockStatus);
  });
  const pauses = c.pauses ?? [];
  rebuild($('pause-list'), JSON.stringify([state.lang, pauses, Math.floor(now / 60000)]), () =>
    (pauses.length === 0 ? [el('li', {}, tr('pauses.none'))] : pauses.map((p) => {
      const from = formatBeijing(parseTime(p.paused_at), now);
      const to = parseTime(p.resumed_at);
      return el('li', { 'data-testid': 'pause-item', 'data-open': to == null ? 'true' : 'false' },
        tr(to == null ? 'pauses.open' : 'pauses.closed', {
          reason: tr(`pause.${enumName(p.reason, 'PAUSE_REASON_')}`), from,
          to: to == null ? '' : formatBeijing(to, now), by: actorName(p.by), note: p.note || '—',
        }));
    })));
}

function renderParts(c, now) {
  const parts = c.parts ?? [];
  syncRows($('part-rows'), parts, (p) => p.department_id, () => el('tr', { 'data-testid': 'case-part' },
    el('th', { scope: 'row' }), el('td'), el('td')), (row, part) => {
    const [name, due, answer] = row.cells;
    setAttr(row, 'data-department-id', part.department_id);
    setText(name, departmentName(part.department_id));
    renderClockCell(due, { due_at: part.due_at, requested_at: part.requested_at, answered_at: part.answered_at }, now);
    const answered = parseTime(part.answered_at);
    setAttr(row, 'data-answered', answered == null ? 'false' : 'true');
    setText(answer, answered == null ? tr('parts.waiting')
      : tr('parts.answered', { by: actorName(part.answered_by), text: part.text || '—' }));
  });
  const waiting = holdingUp(c, now);
  const node = $('holding-up');
  setAttr(node, 'data-count', waiting.length);
  setText(node, parts.length === 0 ? tr('parts.none') : waiting.length === 0 ? tr('parts.all_in')
    : tr('parts.holding_up', { list: waiting.map((w) => `${departmentName(w.department_id)}${w.status === 'overdue' ? tr('parts.late') : ''}`).join('、') }));
  setClass(node, `holding-up${waiting.some((w) => w.status === 'overdue') ? ' late' : ''}`);
}

function renderReply(c, now) {
  const rows = [];
  const reply = c.reply;
  if (reply && (reply.cause_code || reply.replied_at)) {
    rows.push(['reply.cause', causeLabel(reply.cause_code)], ['reply.corrective', reply.corrective_action],
      ['reply.text', localized(reply.text, state.lang)], ['reply.by', actorName(reply.by)],
      ['reply.at', formatBeijing(parseTime(reply.replied_at), now)]);
  } else {
    rows.push(['reply.none', '']);
  }
  if (c.last_satisfaction && c.last_satisfaction !== 'SATISFACTION_UNSPECIFIED') {
    rows.push(['visit.last', tr(`satisfaction.${enumName(c.last_satisfaction, 'SATISFACTION_')}`)]);
  }
  rows.push(['visit.attempts', String(toNumber(c.visit_attempts))]);
  rebuild($('case-reply'), JSON.stringify([state.lang, rows]), () =>
    rows.flatMap(([key, value]) => [el('dt', {}, tr(key)), el('dd', {}, value || '')]));
}

function renderTimeline(c, now) {
  const steps = [...(c.timeline ?? [])].reverse();  // newest first
  const signature = JSON.stringify([state.lang, steps.length, steps[0]?.at, Math.floor(now / 60000)]);
  rebuild($('timeline'), signature, () => steps.map((step) => el('li', {
    'data-testid': 'timeline-step', 'data-event-type': step.event_type ?? '',
  }, el('time', { class: 'step-at' }, formatBeijing(parseTime(step.at), now)),
  el('span', { class: 'step-text', 'data-testid': 'timeline-text' }, localized(step.description, state.lang)),
  el('span', { class: 'step-by' }, actorName(step.by)))));
}

function renderCase(now) {
  const c = state.current;
  setText($('case-id'), state.caseId);
  $('case-loading').hidden = c != null;
  $('case-body').hidden = c == null;
  if (state.currentError) setText($('case-loading'), tr('case.missing', { id: state.caseId }));
  else setText($('case-loading'), tr('case.loading'));
  const view = $('case-view');
  setAttr(view, 'data-case-id', state.caseId);
  setAttr(view, 'data-state', c?.state ?? '');
  if (!c) return;
  const badges = $('case-badges');
  const urgency = caseUrgency(c, now);
  setAttr(view, 'data-urgency', urgency);
  const signature = JSON.stringify([state.lang, c.state, caseBadges(c), urgency]);
  rebuild(badges, signature, () => [
    el('span', { class: `badge badge-state state-${enumName(c.state, 'CASE_STATE_').toLowerCase()}`, 'data-testid': 'case-state' }, stateLabel(c)),
    el('span', { class: `badge badge-urgency urgency-${urgency}` }, tr(`urgency.${urgency}`)),
    el('span', { class: 'badge' }, tr(`priority.${enumName(c.priority, 'PRIORITY_')}`)),
    ...caseBadges(c).map(([cls, text]) => el('span', { class: `badge badge-${cls}`, 'data-badge': cls }, text)),
  ]);
  renderFacts(c, now);
  renderNetwork(c, now);
  renderClocks(c, now);
  renderParts(c, now);
  renderReply(c, now);
  renderActions(c);
  renderTimeline(c, now);
}

// ---------------------------------------------------------------------------------------------
// Actions: one collapsible form per action the case's state allows.

const PAUSE_REASONS = ['PAUSE_REASON_CUSTOMER_UNREACHABLE', 'PAUSE_REASON_WAITING_ON_CUSTOMER'];
const SATISFACTIONS = ['SATISFACTION_SATISFIED', 'SATISFACTION_BASICALLY_SATISFIED', 'SATISFACTION_DISSATISFIED'];

const makeRequestId = () => newRequestId((n) => crypto.getRandomValues(new Uint8Array(n)));

function fieldId(action, name, value = '') {
  return `f-${action}-${name}${value ? `-${value}` : ''}`.replace(/[^A-Za-z0-9_-]/g, '_');
}

function textField(action, name, labelKey, { multiline = true, required = false } = {}) {
  const id = fieldId(action, name);
  const control = multiline
    ? el('textarea', { id, name, rows: 2, 'data-testid': `field-${name}`, required })
    : el('input', { id, name, type: 'text', 'data-testid': `field-${name}`, required, inputmode: name === 'due_working_days' ? 'numeric' : null });
  return el('p', { class: 'field' }, el('label', { for: id }, tr(labelKey)), control);
}

function selectField(action, name, labelKey, options, { required = true } = {}) {
  const id = fieldId(action, name);
  return el('p', { class: 'field' }, el('label', { for: id }, tr(labelKey)),
    el('select', { id, name, 'data-testid': `field-${name}`, required },
      el('option', { value: '' }, tr('form.choose')),
      ...options.map(([value, label]) => el('option', { value }, label))));
}

function checkField(action, name, labelKey, value = '') {
  const id = fieldId(action, name, value);
  return el('p', { class: 'field field-check' },
    el('input', { id, name, type: 'checkbox', value: value || 'on', 'data-testid': `field-${name}`, 'data-value': value || null }),
    el('label', { for: id }, value ? departmentName(value) : tr(labelKey)));
}

/** Who an assign may go to: the case's department, or anyone for the centre and coordinator. */
function assignees(c, actor) {
  const all = state.directory?.handlers ?? [];
  const anywhere = actor && (actor.id === state.directory?.coordinator ||
    (actor.supervisor && actor.department_id === state.directory?.pool));
  return all.filter((h) => anywhere || h.department_id === c.department_id)
    .map((h) => [h.id, `${h.name} (${h.id})${h.senior ? tr('handler.senior') : ''} · ${departmentName(h.department_id)}`]);
}

function actionFields(action, c, actor) {
  switch (action) {
    case 'assign': return [selectField(action, 'handler_id', 'form.handler', assignees(c, actor))];
    case 'contact-attempt': return [textField(action, 'note', 'form.note')];
    case 'contact': return [textField(action, 'summary', 'form.summary')];
    case 'pause': return [
      selectField(action, 'reason', 'form.pause_reason',
        PAUSE_REASONS.map((r) => [r, tr(`pause.${enumName(r, 'PAUSE_REASON_')}`)])),
      textField(action, 'note', 'form.note')];
    case 'reply': return [
      selectField(action, 'cause_code', 'form.cause',
        (state.causes ?? []).map((cause) => [cause.code, `${localized(cause.label, state.lang)} (${cause.code})`])),
      textField(action, 'corrective_action', 'form.corrective', { required: true }),
      textField(action, 'text_zh', 'form.text_zh'),
      textField(action, 'text_en', 'form.text_en')];
    case 'return':
    case 'escalate':
    case 'reopen': return [textField(action, 'reason', `form.reason.${action}`, { required: true })];
    case 'coordinate': return [
      el('fieldset', { class: 'field-group' }, el('legend', {}, tr('form.departments')),
        ...(state.directory?.departments ?? []).filter((d) => d.id !== c.department_id)
          .map((d) => checkField(action, 'departments', '', d.id))),
      textField(action, 'due_working_days', 'form.due_days', { multiline: false })];
    case 'answer-part': return [
      selectField(action, 'department_id', 'form.part',
        holdingUp(c, nowMs()).map((p) => [p.department_id, departmentName(p.department_id)])),
      textField(action, 'text', 'form.part_text', { required: true })];
    case 'return-visit': return [
      selectField(action, 'satisfaction', 'form.satisfaction',
        SATISFACTIONS.map((s) => [s, tr(`satisfaction.${enumName(s, 'SATISFACTION_')}`)]), { required: false }),
      checkField(action, 'resolved', 'form.resolved'),
      checkField(action, 'unreachable', 'form.unreachable'),
      textField(action, 'comment', 'form.comment')];
    default: return [];
  }
}

function formValues(form) {
  const values = {};
  for (const input of form.elements) {
    if (!input.name) continue;
    if (input.type === 'checkbox') {
      if (input.name === 'departments') {
        values.departments ??= [];
        if (input.checked) values.departments.push(input.value);
      } else {
        values[input.name] = input.checked;
      }
    } else {
      values[input.name] = input.value;
    }
  }
  return values;
}

/** What the user typed and which panels were open, so a rebuild (language, new options) keeps it. */
function saveActionState(container) {
  const saved = {};
  for (const panel of container.querySelectorAll('details[data-action]')) {
    const fields = {};
    for (const input of panel.querySelectorAll('[name]')) {
      fields[input.id] = input.type === 'checkbox' ? input.checked : input.value;
    }
    saved[panel.dataset.action] = { open: panel.open, fields };
  }
  return saved;
}

function restoreActionState(container, saved) {
  for (const panel of container.querySelectorAll('details[data-action]')) {
    const s = saved[panel.dataset.action];
    if (!s) continue;
    panel.open = s.open;
    for (const input of panel.querySelectorAll('[name]')) {
      if (!(input.id in s.fields)) continue;
      if (input.type === 'checkbox') input.checked = s.fields[input.id];
      else input.value = s.fields[input.id];
    }
  }
}

function renderActions(c) {
  const actor = actingHandler();
  setText($('actions-hint'), actor ? tr('actions.as', { name: `${actor.name} (${actor.id})` }) : tr('actions.need_actor'));
  const actions = availableActions(c, actor);
  const container = $('actions');
  const signature = JSON.stringify([state.lang, c.case_id, actions, actor?.id ?? '',
    actions.includes('answer-part') ? holdingUp(c, 0).map((p) => p.department_id) : [],
    (state.causes ?? []).length, (state.directory?.handlers ?? []).length]);
  if (container.dataset.sig === signature) return;
  const saved = saveActionState(container);
  rebuild(container, signature, () => (actions.length === 0 ? [el('p', { class: 'empty' }, tr('actions.none'))]
    : actions.map((action) => {
      const form = el('form', { 'data-testid': 'action-form', 'data-action': action, novalidate: true },
        ...actionFields(action, c, actor),
        el('p', { class: 'form-actions' }, el('button', { type: 'submit', 'data-testid': 'action-submit' },
          tr(`action.${action}.submit`))));
      form.addEventListener('submit', (event) => submitAction(event, action));
      return el('details', { 'data-testid': 'action-panel', 'data-action': action, class: 'action-panel' },
        el('summary', { 'data-testid': 'action-open' }, tr(`action.${action}`)),
        el('p', { class: 'hint' }, tr(`action.${action}.hint`)), form);
    })));
  restoreActionState(container, saved);
}

function failAction(key, params, focus) {
  state.actionError = { key, params };
  state.status = null;
  renderMessages();
  focus?.focus();
}

async function submitAction(event, action) {
  event.preventDefault();
  const form = event.currentTarget;
  const c = state.current;
  if (!c || state.busy) return;
  const actor = actingHandler();
  if (!actor) return failAction('error.no_actor', { action }, $('act-as'));
  const built = actionBody(action, formValues(form), actorFor(actor));
  if (built.error) return failAction(built.error, { action }, form.querySelector('[name]'));
  const key = JSON.stringify([c.case_id, action, built.body]);
  const pending = requestIdFor(state.pending[action], key, makeRequestId);
  state.pending[action] = pending;
  const button = form.querySelector('[data-testid="action-submit"]');
  state.busy = true;
  button.disabled = true;
  setAttr(button, 'aria-busy', 'true');
  try {
    const updated = await callApi(`${casePath(c.case_id)}/${action}`,
      { method: 'POST', body: { ...built.body, request_id: pending.id } });
    state.pending[action] = null;
    if (updated?.case_id === state.caseId) state.current = updated;
    state.status = { key: 'action.ok', params: { action, id: c.case_id } };
    state.actionError = null;
    form.reset();
    const panel = form.closest('details');
    if (panel) panel.open = false;
  } catch (err) {
    const e = describeError(err);
    state.actionError = { key: 'action.failed', params: { action, error: e, retry: retryable(e.status) } };
    state.status = null;
  } finally {
    state.busy = false;
    button.disabled = false;
    setAttr(button, 'aria-busy', null);
    render();
    poll();
  }
}

// ---------------------------------------------------------------------------------------------
// Header, messages, the acting handler.

const ERROR_KINDS = ['INVALID_ARGUMENT', 'NOT_FOUND', 'ALREADY_EXISTS', 'FAILED_PRECONDITION',
  'PERMISSION_DENIED', 'UNAVAILABLE', 'DEADLINE_EXCEEDED', 'RESOURCE_EXHAUSTED', 'INTERNAL',
  'METHOD_NOT_ALLOWED', 'UNKNOWN'];

const kindLabel = (code) => tr(ERROR_KINDS.includes(code) ? `errkind.${code}` : 'errkind.OTHER');

/** An error {key, params} in the current language; API errors name their kind in words. */
function errorText(e) {
  if (e.key === 'error.api') return tr('error.api', { ...e.params, kind: kindLabel(e.params.code) });
  return tr(e.key, e.params);
}

/** A message whose params may name an action (translated here, so it follows the language). */
function messageText({ key, params = {} }) {
  const p = { ...params };
  if (p.action) p.action = tr(`action.${p.action}`);
  if (key === 'action.failed') {
    return tr(key, { action: p.action, detail: errorText(p.error) }) + (p.retry ? tr('error.retry_hint') : '');
  }
  return tr(key, p);
}

function renderHeader(now) {
  setText($('server-clock'), state.haveServerTime ? formatBeijing(now, now) : '--:--');
  const refresh = $('last-refresh');
  let text = state.lastRefreshMs == null ? tr('refresh.never')
    : tr('refresh.last', { time: formatBeijing(state.lastRefreshMs, now) });
  if (state.pollErrors.length > 0 && state.lastRefreshMs != null) text += tr('refresh.stale');
  setText(refresh, text);
  setAttr(refresh, 'data-refresh-count', state.refreshCount);
  refresh.classList.toggle('stale', state.pollErrors.length > 0);
  const overdue = state.view === 'list' ? state.cases.filter((c) => caseUrgency(c, now) === 'overdue').length : 0;
  const title = `${overdue > 0 ? `(${overdue}) ` : ''}${tr('app.title')} · GridCare`;
  if (document.title !== title) document.title = title;
}

function renderActorSelect() {
  const select = $('act-as');
  const handlers = state.directory?.handlers ?? [];
  const departments = state.directory?.departments ?? [];
  const chosen = select.value || readStorage(ACTOR_KEY) || '';
  const rebuilt = rebuild(select, JSON.stringify([state.lang, handlers.map((h) => h.id)]), () => [
    el('option', { value: '' }, tr('actor.choose')),
    ...departments.map((d) => el('optgroup', { label: localized(d.name, state.lang) },
      ...handlers.filter((h) => h.department_id === d.id).map((h) => el('option', { value: h.id },
        `${h.name} (${h.id})${h.supervisor ? tr('handler.supervisor') : h.senior ? tr('handler.senior') : ''}`))))]);
  if (rebuilt) {
    select.value = handlers.some((h) => h.id === chosen) ? chosen : '';
    renderActorNote();
  }
}

function renderActorNote() {
  const actor = actingHandler();
  setAttr($('act-as'), 'data-handler-id', actor?.id ?? '');
}

function renderMessages() {
  const box = $('desk-error');
  const lines = [];
  if (state.actionError) lines.push(messageText(state.actionError));
  for (const e of state.pollErrors) {
    if (e.what === 'what.case' && state.currentError) {
      lines.push(tr('case.missing', { id: state.caseId }));
      continue;
    }
    lines.push(tr('error.poll', { what: tr(e.what), message: errorText(e.error) }));
  }
  rebuild(box, JSON.stringify([state.lang, lines]), () => {
    if (lines.length === 0) return [];
    const dismiss = el('button', { type: 'button', class: 'dismiss', 'data-testid': 'desk-error-dismiss' },
      tr('messages.dismiss'));
    dismiss.addEventListener('click', () => {
      state.actionError = null;
      state.pollErrors = [];
      renderMessages();
    });
    return [el('ul', {}, ...lines.map((line) => el('li', { 'data-testid': 'desk-error-line' }, line))), dismiss];
  });
  box.hidden = lines.length === 0;
  setText($('desk-status'), state.status ? messageText(state.status) : '');
}

function render() {
  const now = nowMs();
  renderHeader(now);
  renderActorSelect();
  if (state.view === 'list') renderList(now);
  else renderCase(now);
  renderMessages();
}

// ---------------------------------------------------------------------------------------------
// Navigation and start-up.

function readStorage(key) {
  try { return window.localStorage.getItem(key); } catch { return null; }
}

function writeStorage(key, value) {
  try { window.localStorage.setItem(key, value); } catch { /* private mode: not remembered */ }
}

function route() {
  const match = CASE_ROUTE.exec(window.location.hash);
  let id = '';
  if (match) {
    try { id = normaliseCaseId(decodeURIComponent(match[1])); } catch { id = ''; }
  }
  if (id) {
    if (id !== state.caseId) {
      state.caseId = id;
      state.current = null;
      state.currentError = null;
      state.network = null;
      state.pending = {};
    }
    state.view = 'case';
  } else {
    state.view = 'list';
    state.caseId = '';
    state.current = null;
    state.network = null;
  }
  $('list-view').hidden = state.view !== 'list';
  $('case-view').hidden = state.view !== 'case';
  state.actionError = null;
  render();
  poll();
}

function setLanguage(lang) {
  state.lang = LANGUAGES.includes(lang) ? lang : DEFAULT_LANGUAGE;
  writeStorage(LANG_KEY, state.lang);
  renderStatic();
  render();
}

function start() {
  const saved = readStorage(LANG_KEY);
  state.lang = LANGUAGES.includes(saved) ? saved : DEFAULT_LANGUAGE;
  $('lang-toggle').addEventListener('click', () => setLanguage(state.lang === 'en' ? 'zh-CN' : 'en'));
  $('act-as').addEventListener('change', () => {
    writeStorage(ACTOR_KEY, $('act-as').value);
    state.actionError = null;
    renderActorNote();
    render();
  });
  $('filters').addEventListener('submit', (event) => {
    event.preventDefault();
    const id = normaliseCaseId($('case-search').value);
    if (!id) return failAction('search.empty', {}, $('case-search'));
    window.location.hash = `#/cases/${encodeURIComponent(id)}`;
    return undefined;
  });
  for (const id of ['filter-department', 'filter-state', 'filter-overdue']) {
    $(id).addEventListener('change', () => { state.shown = PAGE_SIZE; poll(); });
  }
  $('more-cases').addEventListener('click', () => { state.shown += PAGE_SIZE; poll(); });
  window.addEventListener('hashchange', route);
  renderStatic();
  route();
  setInterval(render, 1000);
}

start();
