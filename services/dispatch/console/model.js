// Pure helpers of the dispatch console: no DOM, no fetch, so node's test runner can load them
// (tools/browser-check/test/model.test.mjs). Times are milliseconds since the epoch; "now" is
// always the server's clock as the page estimates it, never the browser's own.

export const BEIJING_OFFSET_MS = 8 * 3600 * 1000;  // China has one zone and no daylight saving
export const WARNING_MS = 10 * 60 * 1000;           // a clock turns amber this long before due

/** Parses an RFC 3339 timestamp (as protobuf JSON prints it); null when absent or invalid. */
export function parseTime(value) {
  if (typeof value !== 'string' || value === '') return null;
  const ms = Date.parse(value);
  return Number.isFinite(ms) ? ms : null;
}

/** An int64 printed as a string (or a number) as a JS number; 0 when absent. */
export function toNumber(value) {
  const n = typeof value === 'number' ? value : Number.parseInt(value ?? '0', 10);
  return Number.isFinite(n) ? n : 0;
}

/** The enum value's name without its prefix: ("INCIDENT_STATE_OPEN", "INCIDENT_STATE_") → "OPEN". */
export function enumName(value, prefix) {
  if (typeof value !== 'string' || value === '') return 'UNSPECIFIED';
  return value.startsWith(prefix) ? value.slice(prefix.length) : value;
}

function pad2(n) { return String(n).padStart(2, '0'); }

/** Beijing wall-clock fields of an instant. */
export function beijingParts(ms) {
  const d = new Date(ms + BEIJING_OFFSET_MS);
  return {
    year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(),
    hour: d.getUTCHours(), minute: d.getUTCMinutes(), second: d.getUTCSeconds(),
  };
}

/**
 * Beijing time of `ms`: "HH:mm" (or "HH:mm:ss" with seconds) on the same Beijing day as `nowMs`,
 * else "MM-DD HH:mm" (or "YYYY-MM-DD HH:mm" in another year).
 */
export function formatBeijing(ms, nowMs, { seconds = false } = {}) {
  if (ms == null) return '';
  const p = beijingParts(ms);
  let time = `${pad2(p.hour)}:${pad2(p.minute)}`;
  if (seconds) time += `:${pad2(p.second)}`;
  if (nowMs == null) return `${p.year}-${pad2(p.month)}-${pad2(p.day)} ${time}`;
  const n = beijingParts(nowMs);
  if (n.year === p.year && n.month === p.month && n.day === p.day) return time;
  if (n.year === p.year) return `${pad2(p.month)}-${pad2(p.day)} ${time}`;
  return `${p.year}-${pad2(p.month)}-${pad2(p.day)} ${time}`;
}

/**
 * The value of an <input type="datetime-local"> ("2026-11-24T09:30", read as Beijing time) as an
 * RFC 3339 UTC timestamp ("2026-11-24T01:30:00Z"); null when it does not parse.
 */
export function beijingLocalToRfc3339(value) {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(value ?? '');
  if (!m) return null;
  const ms = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +(m[6] ?? 0)) - BEIJING_OFFSET_MS;
  return Number.isFinite(ms) ? new Date(ms).toISOString().replace('.000Z', 'Z') : null;
}

/**
 * An instant as the value of an <input type="datetime-local"> in Beijing time ("2026-11-24T09:30"),
 * the inverse of beijingLocalToRfc3339 (seconds dropped); '' for null.
 */
export function beijingLocalValue(ms) {
  if (ms == null || !Number.isFinite(ms)) return '';
  const p = beijingParts(ms);
  return `${p.year}-${pad2(p.month)}-${pad2(p.day)}T${pad2(p.hour)}:${pad2(p.minute)}`;
}

/** The clock of `kind` ("KIND_ARRIVAL", "KIND_RESTORATION") in a list of ServiceClock, or null. */
export function findClock(clocks, kind) {
  if (!Array.isArray(clocks)) return null;
  return clocks.find((c) => c && c.kind === kind) ?? null;
}

/**
 * Where a ServiceClock stands at `nowMs`:
 * - "none": no clock or no deadline;
 * - "met": met_at is set (remainingMs is null, metMs the instant);
 * - "overdue": the deadline has passed and met_at is unset (remainingMs < 0);
 * - "warning": due within WARNING_MS; "ok": otherwise.
 */
export function clockStatus(clock, nowMs) {
  const dueMs = clock ? parseTime(clock.due_at) : null;
  const metMs = clock ? parseTime(clock.met_at) : null;
  if (!clock || (dueMs == null && metMs == null)) {
    return { status: 'none', dueMs: null, metMs: null, remainingMs: null };
  }
  if (metMs != null) return { status: 'met', dueMs, metMs, remainingMs: null };
  const remainingMs = dueMs - nowMs;
  let status = 'ok';
  if (remainingMs <= 0) status = 'overdue';
  else if (remainingMs <= WARNING_MS) status = 'warning';
  return { status, dueMs, metMs: null, remainingMs };
}

/**
 * How a duration is shown: {key, params} for i18n. Under 10 minutes "m:ss" (the countdown a
 * dispatcher watches), under an hour "N min", else "H h M min". Overdue durations round up, so a
 * clock one second past due reads "overdue by 1 min", never "0 min".
 */
export function durationParts(ms, { roundUp = false } = {}) {
  const abs = Math.max(0, Math.abs(ms));
  if (!roundUp && abs < WARNING_MS) {
    const total = Math.floor(abs / 1000);
    return { key: 'dur.mss', params: { m: Math.floor(total / 60), ss: pad2(total % 60) } };
  }
  const minutes = roundUp ? Math.max(1, Math.ceil(abs / 60000)) : Math.floor(abs / 60000);
  if (minutes < 60) return { key: 'dur.min', params: { m: minutes } };
  return { key: 'dur.hmin', params: { h: Math.floor(minutes / 60), m: minutes % 60 } };
}

/** How long ago `ms` was: {key, params}. */
export function ageParts(ms, nowMs) {
  if (ms == null) return { key: 'age.never', params: {} };
  const seconds = Math.max(0, Math.floor((nowMs - ms) / 1000));
  if (seconds < 60) return { key: 'age.seconds', params: { n: seconds } };
  if (seconds < 3600) return { key: 'age.minutes', params: { n: Math.floor(seconds / 60) } };
  return { key: 'age.hours', params: { n: Math.floor(seconds / 3600) } };
}

const PRIORITY_RANK = { PRIORITY_URGENT: 4, PRIORITY_HIGH: 3, PRIORITY_NORMAL: 2, PRIORITY_LOW: 1 };
export function priorityRank(priority) { return PRIORITY_RANK[priority] ?? 0; }

/** The worst status of an item's clocks: overdue > warning > ok > met > none. */
export function worstClockStatus(clocks, nowMs) {
  const order = ['none', 'met', 'ok', 'warning', 'overdue'];
  let worst = 'none';
  for (const clock of clocks ?? []) {
    const s = clockStatus(clock, nowMs).status;
    if (order.indexOf(s) > order.indexOf(worst)) worst = s;
  }
  return worst;
}

function earliestOpenDue(clocks) {
  let best = Infinity;
  for (const clock of clocks ?? []) {
    if (clock && !clock.met_at) {
      const due = parseTime(clock.due_at);
      if (due != null && due < best) best = due;
    }
  }
  return best;
}

const URGENCY = { overdue: 0, warning: 1, ok: 2, met: 3, none: 3 };

/** Incidents in the order a dispatcher works them: overdue, due soon, priority, earliest due, id. */
export function sortIncidents(incidents, nowMs) {
  return [...incidents].sort((a, b) =>
    URGENCY[worstClockStatus(a.clocks, nowMs)] - URGENCY[worstClockStatus(b.clocks, nowMs)] ||
    priorityRank(b.priority) - priorityRank(a.priority) ||
    Number(Boolean(b.life_support_affected)) - Number(Boolean(a.life_support_affected)) ||
    earliestOpenDue(a.clocks) - earliestOpenDue(b.clocks) ||
    String(a.incident_id).localeCompare(String(b.incident_id)));
}

// ---------------------------------------------------------------------------------------------
// Appointment work: visits of service applications (new connection, meter check, ...) beside
// fault repair in the work-order list.

/**
 * "appointment" when the order carries a service application (WorkOrder.application: dispatch's
 * own rule, the one ListWorkOrdersRequest.work filters by), else "repair".
 */
export function workOf(order) {
  return order?.application ? 'appointment' : 'repair';
}

/** The work-order list's filters, in the order the page offers them. */
export const WORK_FILTERS = ['all', 'repair', 'appointment'];

/** The orders a filter ("all", "repair", "appointment") keeps; an unknown filter keeps all. */
export function filterWorkOrders(orders, filter) {
  if (filter !== 'repair' && filter !== 'appointment') return [...orders];
  return orders.filter((o) => workOf(o) === filter);
}

/** How many orders each filter keeps: {all, repair, appointment}. */
export function countWork(orders) {
  const appointment = orders.filter((o) => workOf(o) === 'appointment').length;
  return { all: orders.length, repair: orders.length - appointment, appointment };
}

/** The ClockStop of an application whose clocks stand still (documents missing), else null. */
export function clockStopOf(order) {
  return order?.application?.clock_stop ?? null;
}

/**
 * How urgent an order's clocks are: the worst clock status, but "none" while an application's
 * clocks are stopped (dispatch raises no alarm then, and moves the deadlines when they resume).
 */
export function workOrderUrgency(order, nowMs) {
  if (clockStopOf(order)) return 'none';
  return worstClockStatus(order?.clocks, nowMs);
}

/** The booked visit of an order: {startMs, endMs} (endMs may be null), or null when unbooked. */
export function bookedWindow(order) {
  const startMs = parseTime(order?.appointment_start);
  if (startMs == null) return null;
  return { startMs, endMs: parseTime(order?.appointment_end) };
}

/**
 * A booked visit in Beijing time: "09:00–11:00" today, "11-25 09:00–11:00" another day (the
 * end's date only when it falls on another Beijing day than the start).
 */
export function formatWindow(startMs, endMs, nowMs) {
  const start = formatBeijing(startMs, nowMs);
  if (endMs == null) return start;
  const s = beijingParts(startMs);
  const e = beijingParts(endMs);
  const sameDay = s.year === e.year && s.month === e.month && s.day === e.day;
  const end = sameDay ? `${pad2(e.hour)}:${pad2(e.minute)}` : formatBeijing(endMs, nowMs);
  return `${start}–${end}`;
}

/**
 * The badges of an appointment row, as i18n keys: re-booked (booked more than once), after the
 * deadline (no slot before the stage's deadline), clocks stopped for missing documents (with
 * the documents in `docs`). [] for repair orders.
 */
export function appointmentBadges(order) {
  const app = order?.application;
  if (!app) return [];
  const out = [];
  const bookings = toNumber(app.booking_count);
  if (bookings > 1) out.push({ id: 'rebooked', key: 'badge.rebooked', params: { n: bookings - 1 } });
  if (app.after_deadline) out.push({ id: 'after-deadline', key: 'badge.after_deadline', params: {} });
  const stop = clockStopOf(order);
  if (stop) {
    out.push({ id: 'clock-stopped', key: 'badge.clock_stopped', params: {},
      docs: Array.isArray(stop.missing_documents) ? stop.missing_documents : [], reason: stop.reason ?? '' });
  }
  return out;
}

/** A LocalizedText ({zh_cn, en}) in `lang` ("zh-CN" or "en"), else in the other language. */
export function localized(text, lang) {
  if (!text) return '';
  const [first, second] = lang === 'en' ? [text.en, text.zh_cn] : [text.zh_cn, text.en];
  return first || second || '';
}

/**
 * The next deadline of an application: its unmet clock due first (stage, completion or meter
 * dispute clock), or null.
 */
export function nextOpenClock(clocks) {
  let best = null;
  for (const clock of clocks ?? []) {
    if (!clock || clock.met_at) continue;
    const due = parseTime(clock.due_at);
    if (due != null && (best == null || due < parseTime(best.due_at))) best = clock;
  }
  return best;
}

const MOVABLE_STATES = new Set(['WORK_ORDER_STATE_QUEUED', 'WORK_ORDER_STATE_ASSIGNED',
  'WORK_ORDER_STATE_ACCEPTED']);

/** A visit dispatch lets a dispatcher move: appointment work not yet under way. */
export function canMove(order) {
  return workOf(order) === 'appointment' && MOVABLE_STATES.has(order.state);
}

/**
 * The MoveAppointmentRequest body the move form sends, or {error: i18n key, field} for what is
 * missing. `startLocal` is the datetime-local value (Beijing time); an empty `crewId` keeps the
 * visit's crew `currentCrewId` (the field is left out), and a visit without one needs a crew.
 * Times in the past or off the crew's shift are for dispatch to refuse.
 */
export function moveRequest({ workOrderId, startLocal, crewId, currentCrewId, reason, dispatcherId }) {
  const start = beijingLocalToRfc3339(startLocal);
  if (!start) return { error: 'move.err.start', field: 'start' };
  if (!crewId && !currentCrewId) return { error: 'move.err.crew', field: 'crew' };
  const why = (reason ?? '').trim();
  if (!why) return { error: 'move.err.reason', field: 'reason' };
  const dispatcher = (dispatcherId ?? '').trim();
  if (!dispatcher) return { error: 'error.dispatcher', field: 'dispatcher' };
  const body = { work_order_id: workOrderId, start, dispatcher_id: dispatcher, reason: why };
  if (crewId) body.crew_id = crewId;
  return { body };
}

/**
 * Work orders: queued first, then overdue (an application's stopped clocks count as none), priority,
 * earliest due, earliest booked visit, id.
 */
export function sortWorkOrders(orders, nowMs) {
  const queued = (o) => (o.state === 'WORK_ORDER_STATE_QUEUED' ? 0 : 1);
  const urgency = (o) => URGENCY[workOrderUrgency(o, nowMs)];
  const booked = (o) => bookedWindow(o)?.startMs ?? Infinity;
  return [...orders].sort((a, b) =>
    queued(a) - queued(b) ||
    urgency(a) - urgency(b) ||
    priorityRank(b.priority) - priorityRank(a.priority) ||
    earliestOpenDue(a.clocks) - earliestOpenDue(b.clocks) ||
    (booked(a) === booked(b) ? 0 : booked(a) < booked(b) ? -1 : 1) ||
    String(a.work_order_id).localeCompare(String(b.work_order_id)));
}

export const CREW_STATUSES = ['available', 'assigned', 'en_route', 'on_site', 'unreachable', 'off_shift'];

/** Crews as the assign select lists them: available first, then by status, fewer jobs, id. */
export function sortCrews(crews) {
  const rank = (c) => {
    const i = CREW_STATUSES.indexOf(c.status);
    return i < 0 ? CREW_STATUSES.length : i;
  };
  return [...crews].sort((a, b) =>
    rank(a) - rank(b) ||
    (a.work_order_ids?.length ?? 0) - (b.work_order_ids?.length ?? 0) ||
    String(a.crew_id).localeCompare(String(b.crew_id)));
}

/** A GeoPoint that is really there (absent, non-numeric or 0,0 means unknown). */
export function hasPosition(point) {
  if (!point) return false;
  const lat = Number(point.latitude ?? 0);
  const lon = Number(point.longitude ?? 0);
  if (!Number.isFinite(lat) || !Number.isFinite(lon)) return false;
  if (lat === 0 && lon === 0) return false;
  return Math.abs(lat) <= 90 && Math.abs(lon) <= 180;
}

/**
 * A projection of latitude/longitude into a width × height box: equirectangular with longitude
 * scaled by cos(mean latitude) (true shapes at city scale), one scale for both axes, fitted to
 * the bounding box of `points` with `margin` pixels on every side and centred. A bounding box
 * smaller than `minSpanDeg` (one point, or all at one place) is widened to it.
 * Returns {project(lat, lon) → {x, y}, bounds} or null when there are no points.
 */
export function fitProjection(points, width, height, margin, minSpanDeg = 0.01) {
  const pts = points.filter(hasPosition);
  if (pts.length === 0) return null;
  let minLat = Infinity; let maxLat = -Infinity; let minLon = Infinity; let maxLon = -Infinity;
  for (const p of pts) {
    minLat = Math.min(minLat, p.latitude); maxLat = Math.max(maxLat, p.latitude);
    minLon = Math.min(minLon, p.longitude); maxLon = Math.max(maxLon, p.longitude);
  }
  const kx = Math.cos(((minLat + maxLat) / 2) * Math.PI / 180);
  const widen = (lo, hi, min) => {
    if (hi - lo >= min) return [lo, hi];
    const mid = (lo + hi) / 2;
    return [mid - min / 2, mid + min / 2];
  };
  [minLat, maxLat] = widen(minLat, maxLat, minSpanDeg);
  [minLon, maxLon] = widen(minLon, maxLon, minSpanDeg / Math.max(kx, 0.01));
  const spanX = (maxLon - minLon) * kx;
  const spanY = maxLat - minLat;
  const innerW = Math.max(1, width - 2 * margin);
  const innerH = Math.max(1, height - 2 * margin);
  const scale = Math.min(innerW / spanX, innerH / spanY);
  const offX = margin + (innerW - spanX * scale) / 2;
  const offY = margin + (innerH - spanY * scale) / 2;
  return {
    bounds: { minLat, maxLat, minLon, maxLon },
    project(lat, lon) {
      return { x: offX + (lon - minLon) * kx * scale, y: offY + (maxLat - lat) * scale };
    },
  };
}

/** Circle radius for an incident: grows with the square root of affected customers, 4..24 px. */
export function incidentRadius(affected) {
  const n = Math.max(0, toNumber(affected));
  return Math.min(24, 4 + Math.sqrt(n) * 0.8);
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
    message = (bodyText ?? '').trim().slice(0, 200);
  }
  return { status, code: code || 'HTTP_ERROR', message: message || `status ${status}` };
}
