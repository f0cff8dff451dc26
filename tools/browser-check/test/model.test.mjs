// Unit tests of the console's pure helpers (services/dispatch/console/model.js, i18n.js), with
// node's test runner: node --test tools/browser-check/test/model.test.mjs
// The console folder has no package.json (every file there is embedded in the C++ service), so
// its ES modules are loaded from their source text as data: URLs; neither imports anything.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const consoleDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../services/dispatch/console');
const load = (name) => import(`data:text/javascript;charset=utf-8,${encodeURIComponent(
  readFileSync(path.join(consoleDir, name), 'utf8'))}`);
const model = await load('model.js');
const i18n = await load('i18n.js');

const MIN = 60 * 1000;
const NOW = Date.parse('2026-11-24T04:00:00Z');  // 12:00 Beijing
const iso = (ms) => new Date(ms).toISOString();

test('clockStatus: none, met, ok, warning, overdue', () => {
  assert.equal(model.clockStatus(null, NOW).status, 'none');
  assert.equal(model.clockStatus({ kind: 'KIND_ARRIVAL' }, NOW).status, 'none');
  const due = (min) => ({ kind: 'KIND_ARRIVAL', due_at: iso(NOW + min * MIN) });
  assert.equal(model.clockStatus(due(45), NOW).status, 'ok');
  assert.equal(model.clockStatus(due(10.5), NOW).status, 'ok');
  assert.equal(model.clockStatus(due(10), NOW).status, 'warning');
  assert.equal(model.clockStatus(due(0.01), NOW).status, 'warning');
  assert.equal(model.clockStatus(due(0), NOW).status, 'overdue');
  const late = model.clockStatus(due(-12), NOW);
  assert.equal(late.status, 'overdue');
  assert.equal(late.remainingMs, -12 * MIN);
  // met_at wins even after the deadline: the clock stopped in time or not, it is not counting.
  const met = model.clockStatus({ ...due(-12), met_at: iso(NOW - 20 * MIN) }, NOW);
  assert.equal(met.status, 'met');
  assert.equal(met.metMs, NOW - 20 * MIN);
});

test('durationParts: m:ss under 10 min, minutes, hours; overdue rounds up', () => {
  assert.deepEqual(model.durationParts(9 * MIN + 5000), { key: 'dur.mss', params: { m: 9, ss: '05' } });
  assert.deepEqual(model.durationParts(23 * MIN + 59000), { key: 'dur.min', params: { m: 23 } });
  assert.deepEqual(model.durationParts(84 * MIN), { key: 'dur.hmin', params: { h: 1, m: 24 } });
  assert.deepEqual(model.durationParts(-1000, { roundUp: true }), { key: 'dur.min', params: { m: 1 } });
  assert.deepEqual(model.durationParts(-12 * MIN, { roundUp: true }), { key: 'dur.min', params: { m: 12 } });
  assert.deepEqual(model.durationParts(-(12 * MIN + 1), { roundUp: true }), { key: 'dur.min', params: { m: 13 } });
});

test('formatBeijing: UTC+8 whatever the machine zone, date shown off the current day', () => {
  assert.equal(model.formatBeijing(NOW, NOW), '12:00');
  assert.equal(model.formatBeijing(NOW + 5000, NOW, { seconds: true }), '12:00:05');
  assert.equal(model.formatBeijing(Date.parse('2026-11-24T16:30:00Z'), NOW), '11-25 00:30');
  assert.equal(model.formatBeijing(Date.parse('2025-12-31T16:00:00Z'), NOW), '01-01 00:00');  // Beijing 2026-01-01
  assert.equal(model.formatBeijing(Date.parse('2025-12-31T15:59:00Z'), NOW), '2025-12-31 23:59');
});

test('beijingLocalToRfc3339 reads datetime-local values as Beijing time', () => {
  assert.equal(model.beijingLocalToRfc3339('2026-11-24T09:30'), '2026-11-24T01:30:00Z');
  assert.equal(model.beijingLocalToRfc3339('2026-11-25T07:00:30'), '2026-11-24T23:00:30Z');
  assert.equal(model.beijingLocalToRfc3339(''), null);
  assert.equal(model.beijingLocalToRfc3339('tomorrow'), null);
});

test('parseTime and toNumber take protobuf JSON shapes', () => {
  assert.equal(model.parseTime('2026-11-24T04:00:00Z'), NOW);
  assert.equal(model.parseTime('2026-11-24T12:00:00.000+08:00'), NOW);
  assert.equal(model.parseTime(undefined), null);
  assert.equal(model.parseTime('nonsense'), null);
  assert.equal(model.toNumber('1860'), 1860);
  assert.equal(model.toNumber(37), 37);
  assert.equal(model.toNumber(undefined), 0);
  assert.equal(model.enumName('INCIDENT_STATE_OPEN', 'INCIDENT_STATE_'), 'OPEN');
  assert.equal(model.enumName(undefined, 'INCIDENT_STATE_'), 'UNSPECIFIED');
});

test('fitProjection keeps every point inside the margins, north up, one scale', () => {
  const points = [
    { latitude: 23.1291, longitude: 113.3240 },
    { latitude: 23.1502, longitude: 113.2875 },
    { latitude: 23.0815, longitude: 113.4102 },
    { latitude: 0, longitude: 0 },  // unset GeoPoint: ignored
  ];
  const W = 640; const H = 420; const M = 30;
  const proj = model.fitProjection(points, W, H, M);
  const xy = points.slice(0, 3).map((p) => proj.project(p.latitude, p.longitude));
  for (const { x, y } of xy) {
    assert.ok(x >= M - 1e-9 && x <= W - M + 1e-9, `x ${x}`);
    assert.ok(y >= M - 1e-9 && y <= H - M + 1e-9, `y ${y}`);
  }
  // The widest axis touches both margins.
  const xs = xy.map((p) => p.x);
  assert.ok(Math.abs(Math.min(...xs) - M) < 1e-6 && Math.abs(Math.max(...xs) - (W - M)) < 1e-6);
  // North is up: the northernmost point has the smallest y.
  assert.ok(xy[1].y < xy[0].y && xy[0].y < xy[2].y);
  // Same scale on both axes, longitude shrunk by cos(latitude).
  const kx = Math.cos((23.1158 * Math.PI) / 180);
  const sx = (xy[2].x - xy[1].x) / ((113.4102 - 113.2875) * kx);
  const sy = (xy[2].y - xy[1].y) / (23.1502 - 23.0815);
  assert.ok(Math.abs(sx - sy) / sx < 0.01, `${sx} vs ${sy}`);
});

test('fitProjection: one point lands in the middle; nothing gives null', () => {
  const proj = model.fitProjection([{ latitude: 23.1, longitude: 113.3 }], 640, 420, 30);
  const p = proj.project(23.1, 113.3);
  assert.ok(Math.abs(p.x - 320) < 1e-6 && Math.abs(p.y - 210) < 1e-6);
  assert.equal(model.fitProjection([], 640, 420, 30), null);
  assert.equal(model.fitProjection([{ latitude: 0, longitude: 0 }], 640, 420, 30), null);
});

test('incidentRadius grows with affected customers within 4..24 px', () => {
  assert.equal(model.incidentRadius('0'), 4);
  assert.ok(model.incidentRadius('100') > model.incidentRadius('10'));
  assert.equal(model.incidentRadius('1000000'), 24);
});

test('sortIncidents: overdue first, then due soon, then priority', () => {
  const clock = (min) => [{ kind: 'KIND_ARRIVAL', due_at: iso(NOW + min * MIN) }];
  const list = [
    { incident_id: 'A', priority: 'PRIORITY_URGENT', clocks: clock(60) },
    { incident_id: 'B', priority: 'PRIORITY_LOW', clocks: clock(-5) },
    { incident_id: 'C', priority: 'PRIORITY_NORMAL', clocks: clock(5) },
    { incident_id: 'D', priority: 'PRIORITY_HIGH', clocks: clock(30) },
  ];
  assert.deepEqual(model.sortIncidents(list, NOW).map((i) => i.incident_id), ['B', 'C', 'A', 'D']);
});

test('sortWorkOrders puts queued orders first; sortCrews available first', () => {
  const orders = [
    { work_order_id: 'WO-2', state: 'WORK_ORDER_STATE_ASSIGNED', clocks: [] },
    { work_order_id: 'WO-1', state: 'WORK_ORDER_STATE_QUEUED', clocks: [] },
  ];
  assert.deepEqual(model.sortWorkOrders(orders, NOW).map((o) => o.work_order_id), ['WO-1', 'WO-2']);
  const crews = [
    { crew_id: 'C3', status: 'off_shift' },
    { crew_id: 'C2', status: 'assigned', work_order_ids: ['x'] },
    { crew_id: 'C1', status: 'available', work_order_ids: ['y'] },
    { crew_id: 'C0', status: 'available' },
  ];
  assert.deepEqual(model.sortCrews(crews).map((c) => c.crew_id), ['C0', 'C1', 'C2', 'C3']);
});

// Appointment work -------------------------------------------------------------------------------

const visit = (id, fields = {}, application = {}) => ({
  work_order_id: id, kind: 'WORK_ORDER_KIND_NEW_CONNECTION', state: 'WORK_ORDER_STATE_ASSIGNED',
  clocks: [], ...fields,
  application: { kind: 'SERVICE_APPLICATION_KIND_NEW_CONNECTION', stage: 'APPLICATION_STAGE_ACCEPTED',
    visit: 'VISIT_KIND_SITE_SURVEY', booking_count: 1, after_deadline: false, ...application },
});
const repair = (id, fields = {}) => ({ work_order_id: id, kind: 'WORK_ORDER_KIND_REPAIR',
  state: 'WORK_ORDER_STATE_QUEUED', clocks: [], ...fields });

test('workOf, filterWorkOrders and countWork split by the application as dispatch does', () => {
  const orders = [repair('WO-1'), visit('WO-A-1'), repair('WO-2'),
    // A kind of appointment work without an application is repair to dispatch's filter too.
    { work_order_id: 'WO-3', kind: 'WORK_ORDER_KIND_METER_CHECK', state: 'WORK_ORDER_STATE_QUEUED' }];
  assert.equal(model.workOf(orders[0]), 'repair');
  assert.equal(model.workOf(orders[1]), 'appointment');
  assert.equal(model.workOf(orders[3]), 'repair');
  const ids = (list) => list.map((o) => o.work_order_id);
  assert.deepEqual(ids(model.filterWorkOrders(orders, 'all')), ['WO-1', 'WO-A-1', 'WO-2', 'WO-3']);
  assert.deepEqual(ids(model.filterWorkOrders(orders, 'repair')), ['WO-1', 'WO-2', 'WO-3']);
  assert.deepEqual(ids(model.filterWorkOrders(orders, 'appointment')), ['WO-A-1']);
  assert.deepEqual(ids(model.filterWorkOrders(orders, 'nonsense')), ['WO-1', 'WO-A-1', 'WO-2', 'WO-3']);
  assert.deepEqual(model.countWork(orders), { all: 4, repair: 3, appointment: 1 });
  assert.deepEqual(model.WORK_FILTERS, ['all', 'repair', 'appointment']);
});

test('appointmentBadges: re-booked, after deadline, clocks stopped with the documents', () => {
  assert.deepEqual(model.appointmentBadges(repair('WO-1')), []);
  assert.deepEqual(model.appointmentBadges(visit('WO-A-1')), []);
  assert.deepEqual(model.appointmentBadges(visit('WO-A-1', {}, { booking_count: 0 })), []);
  const docs = [{ zh_cn: '房产证', en: 'property certificate' }];
  const badges = model.appointmentBadges(visit('WO-A-2', {}, {
    booking_count: 3, after_deadline: true,
    clock_stop: { reason: 'property certificate missing', missing_documents: docs },
  }));
  assert.deepEqual(badges.map((b) => [b.id, b.key]), [
    ['rebooked', 'badge.rebooked'], ['after-deadline', 'badge.after_deadline'],
    ['clock-stopped', 'badge.clock_stopped']]);
  assert.deepEqual(badges[0].params, { n: 2 });
  assert.deepEqual(badges[2].docs, docs);
  assert.equal(badges[2].reason, 'property certificate missing');
  // A stop without documents listed still shows; its documents are [].
  assert.deepEqual(model.appointmentBadges(visit('WO-A-3', {}, { clock_stop: { reason: 'x' } }))[0].docs, []);
});

test('workOrderUrgency: stopped clocks are not overdue; sortWorkOrders uses it', () => {
  const late = [{ kind: 'KIND_APPLICATION_STAGE', due_at: iso(NOW - 60 * MIN) }];
  const running = visit('WO-A-1', { clocks: late });
  const stopped = visit('WO-A-2', { clocks: late }, { clock_stop: { reason: 'documents missing' } });
  assert.equal(model.workOrderUrgency(running, NOW), 'overdue');
  assert.equal(model.workOrderUrgency(stopped, NOW), 'none');
  assert.equal(model.workOrderUrgency(repair('WO-1', { clocks: late }), NOW), 'overdue');
  const ok = [{ kind: 'KIND_ARRIVAL', due_at: iso(NOW + 60 * MIN) }];
  const orders = [stopped, repair('WO-1', { state: 'WORK_ORDER_STATE_ASSIGNED', clocks: ok }), running];
  assert.deepEqual(model.sortWorkOrders(orders, NOW).map((o) => o.work_order_id), ['WO-A-1', 'WO-1', 'WO-A-2']);
});

test('sortWorkOrders puts the earlier booked visit first when the clocks tie', () => {
  const at = (h) => iso(NOW + h * 3600 * 1000);
  const orders = [
    visit('WO-A-3'),
    visit('WO-A-2', { appointment_start: at(30) }),
    visit('WO-A-1', { appointment_start: at(5) }),
  ];
  assert.deepEqual(model.sortWorkOrders(orders, NOW).map((o) => o.work_order_id), ['WO-A-1', 'WO-A-2', 'WO-A-3']);
});

test('bookedWindow and formatWindow give the booked visit in Beijing time', () => {
  assert.equal(model.bookedWindow(visit('WO-A-1')), null);
  const w = model.bookedWindow(visit('WO-A-1', {
    appointment_start: '2026-11-25T02:00:00Z', appointment_end: '2026-11-25T03:30:00Z' }));
  assert.deepEqual(w, { startMs: Date.parse('2026-11-25T02:00:00Z'), endMs: Date.parse('2026-11-25T03:30:00Z') });
  assert.equal(model.formatWindow(w.startMs, w.endMs, NOW), '11-25 10:00–11:30');
  assert.equal(model.formatWindow(w.startMs, w.endMs, w.startMs), '10:00–11:30');  // today
  assert.equal(model.formatWindow(w.startMs, null, NOW), '11-25 10:00');
  // A visit over Beijing midnight names the end's day too.
  assert.equal(model.formatWindow(Date.parse('2026-11-25T15:00:00Z'), Date.parse('2026-11-25T17:00:00Z'), NOW),
    '11-25 23:00–11-26 01:00');
});

test('beijingLocalValue is the inverse of beijingLocalToRfc3339', () => {
  assert.equal(model.beijingLocalValue(Date.parse('2026-11-25T02:00:00Z')), '2026-11-25T10:00');
  assert.equal(model.beijingLocalValue(Date.parse('2026-11-24T16:30:00Z')), '2026-11-25T00:30');
  assert.equal(model.beijingLocalValue(null), '');
  for (const local of ['2026-11-25T10:00', '2026-12-31T23:30', '2027-01-01T00:00']) {
    assert.equal(model.beijingLocalValue(Date.parse(model.beijingLocalToRfc3339(local))), local);
  }
});

test('localized picks the page language and falls back to the other', () => {
  const doc = { zh_cn: '房产证', en: 'property certificate' };
  assert.equal(model.localized(doc, 'zh-CN'), '房产证');
  assert.equal(model.localized(doc, 'en'), 'property certificate');
  assert.equal(model.localized({ zh_cn: '房产证', en: '' }, 'en'), '房产证');
  assert.equal(model.localized({ en: 'ID card' }, 'zh-CN'), 'ID card');
  assert.equal(model.localized(undefined, 'en'), '');
});

test('nextOpenClock is the unmet clock due first', () => {
  const clocks = [
    { kind: 'KIND_APPLICATION_COMPLETION', due_at: iso(NOW + 5 * 1440 * MIN) },
    { kind: 'KIND_APPLICATION_STAGE', stage: 'documents_checked', due_at: iso(NOW + 1440 * MIN), met_at: iso(NOW) },
    { kind: 'KIND_APPLICATION_STAGE', stage: 'site_surveyed', due_at: iso(NOW + 2 * 1440 * MIN) },
  ];
  assert.equal(model.nextOpenClock(clocks).stage, 'site_surveyed');
  assert.equal(model.nextOpenClock([clocks[1]]), null);
  assert.equal(model.nextOpenClock(undefined), null);
});

test('canMove: appointment work not yet under way', () => {
  for (const [state, want] of [['WORK_ORDER_STATE_QUEUED', true], ['WORK_ORDER_STATE_ASSIGNED', true],
    ['WORK_ORDER_STATE_ACCEPTED', true], ['WORK_ORDER_STATE_EN_ROUTE', false],
    ['WORK_ORDER_STATE_ON_SITE', false], ['WORK_ORDER_STATE_COMPLETED', false]]) {
    assert.equal(model.canMove(visit('WO-A-1', { state })), want, state);
  }
  assert.equal(model.canMove(repair('WO-1')), false);
});

test('moveRequest builds the MoveAppointmentRequest or names what is missing', () => {
  const form = { workOrderId: 'WO-A-1', startLocal: '2026-11-26T10:30', crewId: '', currentCrewId: 'CREW-3',
    reason: '  customer asked by phone ', dispatcherId: ' DSP-0001 ' };
  assert.deepEqual(model.moveRequest(form), { body: {
    work_order_id: 'WO-A-1', start: '2026-11-26T02:30:00Z', dispatcher_id: 'DSP-0001',
    reason: 'customer asked by phone' } });
  assert.equal(model.moveRequest({ ...form, crewId: 'CREW-9' }).body.crew_id, 'CREW-9');
  assert.deepEqual(model.moveRequest({ ...form, startLocal: '' }), { error: 'move.err.start', field: 'start' });
  assert.deepEqual(model.moveRequest({ ...form, reason: '  ' }), { error: 'move.err.reason', field: 'reason' });
  assert.deepEqual(model.moveRequest({ ...form, dispatcherId: '' }), { error: 'error.dispatcher', field: 'dispatcher' });
  // An unbooked visit without a crew needs one chosen.
  assert.deepEqual(model.moveRequest({ ...form, currentCrewId: '' }), { error: 'move.err.crew', field: 'crew' });
  assert.equal(model.moveRequest({ ...form, currentCrewId: '', crewId: 'CREW-9' }).body.crew_id, 'CREW-9');
});

test('apiErrorParts reads dispatch error bodies and survives other ones', () => {
  assert.deepEqual(model.apiErrorParts(412, '{"error":{"code":"FAILED_PRECONDITION","message":"crew is off shift"}}'),
    { status: 412, code: 'FAILED_PRECONDITION', message: 'crew is off shift' });
  assert.deepEqual(model.apiErrorParts(502, '<html>Bad gateway</html>'),
    { status: 502, code: 'HTTP_ERROR', message: '<html>Bad gateway</html>' });
  assert.deepEqual(model.apiErrorParts(500, ''), { status: 500, code: 'HTTP_ERROR', message: 'status 500' });
});

test('i18n: both languages have every key; placeholders are filled', () => {
  assert.deepEqual(i18n.missingKeys(), []);
  assert.equal(i18n.t('en', 'clock.overdue', { d: '12 min' }), 'overdue by 12 min');
  assert.equal(i18n.t('zh-CN', 'clock.overdue', { d: '12 分钟' }), '超时 12 分钟');
  assert.equal(i18n.t('xx', 'incidents.heading'), '未恢复停电事件');
  assert.equal(i18n.t('en', 'no.such.key'), 'no.such.key');
});

test('i18n covers every enum value the API can send', () => {
  const proto = readFileSync(path.resolve(consoleDir, '../../../proto/gridcare/v1/dispatch.proto'), 'utf8');
  const values = (enumName) => {
    const body = new RegExp(`enum ${enumName} \\{([^}]*)\\}`).exec(proto)[1];
    return [...body.matchAll(/^\s*([A-Z0-9_]+)\s*=/gm)].map((m) => m[1]);
  };
  const common = readFileSync(path.resolve(consoleDir, '../../../proto/gridcare/v1/common.proto'), 'utf8');
  const priorities = [...(/enum Priority \{([^}]*)\}/.exec(common)[1]).matchAll(/^\s*([A-Z0-9_]+)\s*=/gm)].map((m) => m[1]);
  const cases = [
    ['IncidentLevel', 'INCIDENT_LEVEL_', 'level.'],
    ['IncidentState', 'INCIDENT_STATE_', 'istate.'],
    ['WorkOrderState', 'WORK_ORDER_STATE_', 'wstate.'],
    ['WorkOrderKind', 'WORK_ORDER_KIND_', 'kind.'],
    ['ApplicationStage', 'APPLICATION_STAGE_', 'stage.'],
    ['VisitKind', 'VISIT_KIND_', 'visit.'],
  ].flatMap(([e, prefix, key]) => values(e).map((v) => key + model.enumName(v, prefix)));
  cases.push(...priorities.map((v) => `priority.${model.enumName(v, 'PRIORITY_')}`));
  for (const lang of ['zh-CN', 'en']) {
    for (const key of cases) assert.notEqual(i18n.t(lang, key), key, `${lang} ${key}`);
  }
});
