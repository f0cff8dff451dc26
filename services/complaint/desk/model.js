// Pure helpers of the complaint desk: no DOM, no fetch, so node's test runner can load them
// (tools/browser-check/test/desk_model.test.mjs). Times are milliseconds since the epoch; "now" is
// always the service's clock as the page estimates it (GET api/now), never the browser's own.

export const BEIJING_OFFSET_MS = 8 * 3600 * 1000;  // China has one zone and no daylight saving
/** A clock turns amber when less than this share of its time is left. */
export const WARNING_SHARE = 0.2;

const MINUTE_MS = 60 * 1000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

/** Parses an RFC 3339 timestamp (as protobuf JSON prints it); null when absent or invalid. */
export function parseTime(value) {
  if (typeof value !== 'string' || value === '') return null;
  const ms = Date.parse(value);
  return Number.isFinite(ms) ? ms : null;
}

/** An int32/int64 printed as a number or a string as a JS number; 0 when absent. */
export function toNumber(value) {
  const n = typeof value === 'number' ? value : Number.parseInt(value ?? '0', 10);
  return Number.isFinite(n) ? n : 0;
}

/** The enum value's name without its prefix: ("CASE_STATE_ROUTED", "CASE_STATE_") → "ROUTED". */
export function enumName(value, prefix) {
  if (typeof value !== 'string' || value === '') return 'UNSPECIFIED';
  return value.startsWith(prefix) ? value.slice(prefix.length) : value;
}

function pad2(n) { return String(n).padStart(2, '0'); }

/**
 * Beijing time of `ms`: "HH:mm" on the same Beijing day as `nowMs`, "MM-DD HH:mm" in the same
 * year, else "YYYY-MM-DD HH:mm" (and always the full form without `nowMs`).
 */
export function formatBeijing(ms, nowMs) {
  if (ms == null) return '';
  const d = new Date(ms + BEIJING_OFFSET_MS);
  const time = `${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}`;
  const date = `${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}`;
  const full = `${d.getUTCFullYear()}-${date} ${time}`;
  if (nowMs == null) return full;
  const n = new Date(nowMs + BEIJING_OFFSET_MS);
  if (n.getUTCFullYear() !== d.getUTCFullYear()) return full;
  if (n.getUTCMonth() === d.getUTCMonth() && n.getUTCDate() === d.getUTCDate()) return time;
  return `${date} ${time}`;
}

/**
 * Where a ServiceClock (or a coordination part: due_at, requested_at, answered_at) stands at
 * `nowMs`:
 * - "none": no deadline;
 * - "met": met (met_at or answered_at set);
 * - "overdue": the deadline passed and it is not met (remainingMs ≤ 0);
 * - "warning": less than WARNING_SHARE of its time is left (from starts_at / requested_at to
 *   due_at; without a start, never amber);
 * - "ok": otherwise.
 * leftShare is the share of the time left (0..1), null when unknown.
 */
export function clockStatus(clock, nowMs) {
  const dueMs = clock ? parseTime(clock.due_at) : null;
  const metMs = clock ? parseTime(clock.met_at ?? clock.answered_at) : null;
  const startMs = clock ? parseTime(clock.starts_at ?? clock.requested_at) : null;
  if (!clock || (dueMs == null && metMs == null)) {
    return { status: 'none', dueMs: null, metMs: null, remainingMs: null, leftShare: null };
  }
  if (metMs != null) return { status: 'met', dueMs, metMs, remainingMs: null, leftShare: null };
  const remainingMs = dueMs - nowMs;
  const span = startMs != null && dueMs > startMs ? dueMs - startMs : null;
  const leftShare = span == null ? null : Math.min(1, Math.max(0, remainingMs / span));
  let status = 'ok';
  if (remainingMs <= 0) status = 'overdue';
  else if (leftShare != null && leftShare < WARNING_SHARE) status = 'warning';
  return { status, dueMs, metMs: null, remainingMs, leftShare };
}

const URGENCY_ORDER = ['none', 'met', 'ok', 'warning', 'overdue'];

/** The worst status of a case's open clocks and coordination parts: overdue > warning > ok. */
export function caseUrgency(c, nowMs) {
  if (!c || c.state === 'CASE_STATE_CLOSED') return 'none';
  let worst = 'none';
  for (const item of [...(c.clocks ?? []), ...(c.parts ?? [])]) {
    const s = clockStatus(item, nowMs).status;
    if (s === 'met') continue;
    if (URGENCY_ORDER.indexOf(s) > URGENCY_ORDER.indexOf(worst)) worst = s;
  }
  return worst;
}

/** The deadline that runs out first among the open clocks and parts (ms), or null (as FirstDue). */
export function firstDue(c) {
  if (!c || c.state === 'CASE_STATE_CLOSED') return null;
  let first = null;
  for (const clock of c.clocks ?? []) {
    const due = parseTime(clock?.due_at);
    if (due != null && parseTime(clock.met_at) == null && (first == null || due < first)) first = due;
  }
  for (const part of c.parts ?? []) {
    const due = parseTime(part?.due_at);
    if (due != null && parseTime(part.answered_at) == null && (first == null || due < first)) first = due;
  }
  return first;
}

/** Cases in the desk's order: the clock that runs out first, cases without one last, then id. */
export function sortCases(cases) {
  const key = (c) => firstDue(c) ?? Infinity;
  return [...cases].sort((a, b) => key(a) - key(b) ||
    String(a.case_id).localeCompare(String(b.case_id)));
}

/**
 * How a duration is shown: {key, params} for i18n. A day or more "D d H h", an hour or more
 * "H h M min", else "M min". Overdue durations round up to the minute, so one second late reads
 * "overdue by 1 min".
 */
export function durationParts(ms, { roundUp = false } = {}) {
  const abs = Math.max(0, Math.abs(ms));
  const minutes = roundUp ? Math.max(1, Math.ceil(abs / MINUTE_MS)) : Math.floor(abs / MINUTE_MS);
  if (minutes * MINUTE_MS >= DAY_MS) {
    const hours = Math.floor(minutes / 60);
    return { key: 'dur.dh', params: { d: Math.floor(hours / 24), h: hours % 24 } };
  }
  if (minutes >= 60) return { key: 'dur.hmin', params: { h: Math.floor(minutes / 60), m: minutes % 60 } };
  return { key: 'dur.min', params: { m: minutes } };
}

/** Whether the case's clocks are paused now (its last pause has no resumed_at). */
export function isPaused(c) {
  const pauses = c?.pauses ?? [];
  if (pauses.length === 0) return false;
  return parseTime(pauses[pauses.length - 1].resumed_at) == null;
}

/**
 * The coordination parts not answered yet — who is holding the case up — earliest due first:
 * [{department_id, dueMs, status}] (status as clockStatus).
 */
export function holdingUp(c, nowMs) {
  return (c?.parts ?? [])
    .filter((p) => parseTime(p.answered_at) == null)
    .map((p) => {
      const s = clockStatus(p, nowMs);
      return { department_id: p.department_id, dueMs: s.dueMs, status: s.status };
    })
    .sort((a, b) => (a.dueMs ?? Infinity) - (b.dueMs ?? Infinity) ||
      String(a.department_id).localeCompare(String(b.department_id)));
}

/**
 * A crew's estimate on one work order of the linked incident (FieldProgress): the time of arrival
 * while en route, of restoration while on site. {key: i18n key, ms, passed} — passed once the
 * time is over while the crew is still at that stage — or null without an estimate.
 */
export function fieldEstimate(progress, nowMs) {
  const ms = parseTime(progress?.estimate);
  if (ms == null) return null;
  const stage = progress.stage;
  const key = stage === 'FIELD_STAGE_EN_ROUTE' ? 'crews.eta'
    : stage === 'FIELD_STAGE_ON_SITE' ? 'crews.ert' : 'crews.estimate';
  const open = stage === 'FIELD_STAGE_EN_ROUTE' || stage === 'FIELD_STAGE_ON_SITE';
  return { key, ms, passed: open && ms <= nowMs };
}

/**
 * What a crew's report says about the job's end: completed (supply restored or not, the cause and
 * fix codes) or declined (the reason); null at any other stage. {key, params} for i18n.
 */
export function fieldOutcome(progress) {
  if (progress?.stage === 'FIELD_STAGE_COMPLETED') {
    return {
      key: progress.restored ? 'crews.restored' : 'crews.not_restored',
      params: { cause: progress.cause_code || '—', fix: progress.fix_code || '—' },
    };
  }
  if (progress?.stage === 'FIELD_STAGE_DECLINED') {
    return { key: 'crews.declined', params: { reason: progress.decline_reason || '—' } };
  }
  return null;
}

/**
 * When the incident's supply comes back (dispatch's Incident): restored at restored_at, else the
 * estimated restoration (passed once it is over), else unknown. {key, ms, passed}.
 */
export function restorationOf(incident, nowMs) {
  const restored = parseTime(incident?.restored_at);
  if (restored != null) return { key: 'network.restored_at', ms: restored, passed: false };
  const estimated = parseTime(incident?.estimated_restoration_at);
  if (estimated != null) return { key: 'network.etr', ms: estimated, passed: estimated <= nowMs };
  return { key: 'network.no_etr', ms: null, passed: false };
}

/** Every desk action, in the order the page offers them (URL segment = name). */
export const ACTIONS = [
  'take', 'assign', 'contact-attempt', 'contact', 'pause', 'resume', 'reply', 'return',
  'coordinate', 'answer-part', 'escalate', 'return-visit', 'reopen',
];

/** The CloudEvents type of the timeline step each action adds (the browser check waits for it). */
export const ACTION_EVENT = {
  take: 'gridcare.complaint_case.assigned.v1',
  assign: 'gridcare.complaint_case.assigned.v1',
  'contact-attempt': 'gridcare.complaint_case.contact_attempted.v1',
  contact: 'gridcare.complaint_case.customer_contacted.v1',
  pause: 'gridcare.complaint_case.paused.v1',
  resume: 'gridcare.complaint_case.resumed.v1',
  reply: 'gridcare.complaint_case.reply_sent.v1',
  return: 'gridcare.complaint_case.returned.v1',
  coordinate: 'gridcare.complaint_case.coordination_requested.v1',
  'answer-part': 'gridcare.complaint_case.coordination_part_replied.v1',
  escalate: 'gridcare.complaint_case.escalated.v1',
  'return-visit': 'gridcare.complaint_case.return_visit_recorded.v1',
  reopen: 'gridcare.complaint_case.reopened.v1',
};

const WORKING = ['CASE_STATE_ROUTED', 'CASE_STATE_CONTACTED', 'CASE_STATE_REOPENED'];

/**
 * The actions that make sense for case `c` now (the service decides; this only keeps the page
 * from offering what its rules refuse in this state). `handler` is the acting handler from the
 * directory ({supervisor}), or null: assign is offered to supervisors only.
 */
export function availableActions(c, handler) {
  if (!c) return [];
  const state = c.state;
  const working = WORKING.includes(state);
  const paused = isPaused(c);
  const open = (c.parts ?? []).some((p) => parseTime(p.answered_at) == null);
  const reachable = state === 'CASE_STATE_ROUTED' || state === 'CASE_STATE_REOPENED';
  const allowed = {
    take: (working || state === 'CASE_STATE_REPLIED') && (!handler || handler.id !== c.handler_id),
    assign: (working || state === 'CASE_STATE_REPLIED') && Boolean(handler?.supervisor),
    'contact-attempt': reachable,
    contact: reachable && !paused,
    pause: working && !paused,
    resume: paused,
    reply: state === 'CASE_STATE_CONTACTED' && !paused && !open,
    return: working,
    coordinate: working,
    'answer-part': working && open,
    escalate: state !== 'CASE_STATE_CLOSED' && state !== undefined,
    'return-visit': state === 'CASE_STATE_REPLIED',
    reopen: ['CASE_STATE_REPLIED', 'CASE_STATE_RETURN_VISITED', 'CASE_STATE_CLOSED'].includes(state),
  };
  return ACTIONS.filter((a) => allowed[a]);
}

/** The Actor a desk action carries as `by` for a directory handler. */
export function actorFor(handler) {
  return {
    kind: handler.supervisor ? 'KIND_SUPERVISOR' : 'KIND_DEPARTMENT',
    id: handler.id,
    display_name: handler.name ?? '',
  };
}

/** A fresh request id: "desk-" + 32 hex digits from `randomBytes(16)` (crypto.getRandomValues). */
export function newRequestId(randomBytes) {
  const bytes = randomBytes(16);
  return `desk-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

/**
 * The request id for pressing an action's button with payload `key` (its JSON): a retry of the
 * same payload (`pending.key === key`, the last try not answered with success) reuses the id, so
 * the service applies it once; anything else gets a new one. Returns {id, key}.
 */
export function requestIdFor(pending, key, makeId) {
  if (pending && pending.key === key && pending.id) return pending;
  return { id: makeId(), key };
}

const trim = (v) => String(v ?? '').trim();

/**
 * The JSON body of desk action `action` from the form's values `f` and the acting Actor `by`,
 * without request_id (the page adds it). {body} or {error: i18n key} when a required field is
 * missing (the service would refuse it too; this says so before sending, in the user's language).
 */
export function actionBody(action, f, by) {
  switch (action) {
    case 'take':
    case 'resume':
      return { body: { by } };
    case 'assign':
      if (!trim(f.handler_id)) return { error: 'form.err.handler' };
      return { body: { handler_id: trim(f.handler_id), by } };
    case 'contact-attempt':
      return { body: { by, note: trim(f.note) } };
    case 'contact':
      return { body: { contact: { by, summary: trim(f.summary) } } };
    case 'pause':
      if (!f.reason) return { error: 'form.err.pause_reason' };
      return { body: { reason: f.reason, note: trim(f.note), by } };
    case 'reply': {
      if (!trim(f.cause_code)) return { error: 'form.err.cause' };
      if (!trim(f.corrective_action)) return { error: 'form.err.corrective' };
      if (!trim(f.text_zh) && !trim(f.text_en)) return { error: 'form.err.reply_text' };
      return {
        body: {
          reply: {
            by, cause_code: trim(f.cause_code), corrective_action: trim(f.corrective_action),
            reply: { zh_cn: trim(f.text_zh), en: trim(f.text_en) },
          },
        },
      };
    }
    case 'return':
    case 'escalate':
    case 'reopen':
      if (!trim(f.reason)) return { error: 'form.err.reason' };
      return { body: { reason: trim(f.reason), by } };
    case 'coordinate': {
      const departments = (f.departments ?? []).map(trim).filter(Boolean);
      if (departments.length === 0) return { error: 'form.err.departments' };
      const days = trim(f.due_working_days);
      if (days !== '' && !/^\d{1,2}$/.test(days)) return { error: 'form.err.days' };
      return {
        body: {
          parts: departments.map((d) => ({ department_id: d, due_working_days: days === '' ? 0 : Number(days) })),
          by,
        },
      };
    }
    case 'answer-part':
      if (!trim(f.department_id)) return { error: 'form.err.part' };
      if (!trim(f.text)) return { error: 'form.err.part_text' };
      return { body: { department_id: trim(f.department_id), text: trim(f.text), by } };
    case 'return-visit': {
      const visit = { by, comment: trim(f.comment) };
      if (f.unreachable) {
        visit.unreachable = true;
      } else {
        if (!f.satisfaction) return { error: 'form.err.satisfaction' };
        visit.satisfaction = f.satisfaction;
        visit.resolved = Boolean(f.resolved);
      }
      return { body: { visit } };
    }
    default:
      return { error: 'form.err.unknown_action' };
  }
}

/** The error text of a failed API call: {"error":{"code","message"}} or the body's start. */
export function apiErrorParts(status, bodyText) {
  let code = '';
  let message = '';
  try {
    const body = JSON.parse(bodyText);
    code = body?.error?.code ?? '';
    message = body?.error?.message ?? '';
  } catch {
    message = String(bodyText ?? '').trim().slice(0, 200);
  }
  return { status, code: code || 'HTTP_ERROR', message: message || `status ${status}` };
}

/** Whether a failed call may be retried with the same request id (no answer, or 5xx / 429). */
export function retryable(status) {
  return status === 0 || status === 429 || status >= 500;
}

/** A LocalizedText in `lang` ("zh-CN" or "en"), falling back to the other language. */
export function localized(text, lang) {
  if (!text) return '';
  const zh = text.zh_cn ?? '';
  const en = text.en ?? '';
  return lang === 'en' ? (en || zh) : (zh || en);
}

/** The case id a search box holds ("cc-gc-…" is upper-cased; spaces dropped); '' when empty. */
export function normaliseCaseId(text) {
  return String(text ?? '').replace(/\s+/g, '').toUpperCase();
}
