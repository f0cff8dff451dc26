#!/usr/bin/env node
// A stand-in for the dispatch service's console HTTP side, for developing and self-testing the
// console page without the C++ service: serves the files of services/dispatch/console (the same
// set the C++ build embeds) and fake data for every endpoint of the console API, shaped as
// dispatch prints it (protobuf JSON, snake_case names, enum names, RFC 3339 times, int64 as
// strings). Listens on 127.0.0.1 only.
//
//   node tools/browser-check/mock_api.mjs [--port N] [--url-file PATH] [--no-incidents]
//        [--fail-assign] [--refuse-crew ID] [--fail-endpoint PATH] [--no-appointments]
//        [--refuse-move]
//
// Prints "mock_api: listening on http://127.0.0.1:PORT" on stdout once ready (PORT is free,
// chosen by the kernel unless --port is given); --url-file also writes the URL to a file.
// Fault switches, so a check can be shown to fail: --no-incidents (empty incident list),
// --fail-assign (every assign answers 412 FAILED_PRECONDITION), --refuse-crew CREW-001-01
// (assigns to that crew answer 412), --fail-endpoint /api/v1/crews (that GET answers 503),
// --no-appointments (fault repair only), --refuse-move (every move-appointment answers 412).
// The assign POST moves the order to the crew in state ASSIGNED. Appointment work: five visits of
// service applications (booked, re-booked, after the deadline, clocks stopped for missing
// documents, one under way); GET /api/v1/work-orders?work=repair|appointment filters as dispatch
// does (by the application's presence); the move POST re-books a visit not under way (start in
// the future, the visit within 08:00–18:00 Beijing, as a crew's shift; the length kept;
// booking_count + 1) and the document-check POST stops or resumes an application's clocks.
// Stops on SIGINT/SIGTERM.
import { createServer } from 'node:http';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const here = path.dirname(fileURLToPath(import.meta.url));
const CONSOLE_DIR = path.resolve(here, '../../services/dispatch/console');

const { values: opts } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    'url-file': { type: 'string' },
    'no-incidents': { type: 'boolean', default: false },
    'fail-assign': { type: 'boolean', default: false },
    'refuse-crew': { type: 'string', multiple: true, default: [] },
    'fail-endpoint': { type: 'string', multiple: true, default: [] },
    'no-appointments': { type: 'boolean', default: false },
    'refuse-move': { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (opts.help) {
  const text = await readFile(fileURLToPath(import.meta.url), 'utf8');
  const lines = text.split('\n').slice(1);
  const end = lines.findIndex((l) => !l.startsWith('//'));
  process.stdout.write(lines.slice(0, end).map((l) => l.replace(/^\/\/ ?/, '')).join('\n') + '\n');
  process.exit(0);
}

// Same rules as libs/web/web_assets.cmake: which files are served, and with which content type.
const CONTENT_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};
const NOT_EMBEDDED = new Set(['.cmake', '.h', '.cpp', '.md']);

// ----------------------------------------------------------------------------------------------
// Fake data, relative to the moment the mock starts so clocks tick as in real life.
const MIN = 60 * 1000;
const t0 = Date.now();
const at = (offsetMin) => new Date(t0 + offsetMin * MIN).toISOString().replace(/\.\d{3}Z$/, 'Z');
const clock = (kind, startMin, dueMin, metMin) => ({
  kind, starts_at: at(startMin), due_at: at(dueMin), working_days: false,
  ...(metMin == null ? {} : { met_at: at(metMin) }),
});
const day = (() => {
  const d = new Date(t0 + 8 * 3600 * 1000);  // Beijing date, as ticket ids use it
  return `${d.getUTCFullYear()}${String(d.getUTCMonth() + 1).padStart(2, '0')}${String(d.getUTCDate()).padStart(2, '0')}`;
})();
const ticket = (n) => `GC-${day}-${String(n).padStart(6, '0')}`;

function baseIncident(fields) {
  return {
    incident_id: '', level: 'INCIDENT_LEVEL_UNSPECIFIED', state: 'INCIDENT_STATE_OPEN',
    supply: { substation_id: '', feeder_id: '', transformer_id: '' }, area_class: 'AREA_CLASS_URBAN',
    location: { latitude: 0, longitude: 0 }, ticket_ids: [], call_count: 0, last_gasp_count: 0,
    affected_customers: '0', life_support_affected: false, important_customer_affected: false,
    priority: 'PRIORITY_NORMAL', work_order_id: '', crew_id: '', clocks: [], cause_code: '',
    planned_outage_id: '', parent_incident_id: '', child_incident_ids: [], tenant_id: 'gd',
    ...fields,
  };
}

function baseWorkOrder(fields) {
  return {
    work_order_id: '', kind: 'WORK_ORDER_KIND_REPAIR', state: 'WORK_ORDER_STATE_QUEUED',
    incident_id: '', ticket_id: '', required_skill: 'CREW_SKILL_LOW_VOLTAGE',
    priority: 'PRIORITY_NORMAL', location: { latitude: 0, longitude: 0 },
    address: { full_text: '', province: '', city: '', district: '', street: '', building: '' },
    area_class: 'AREA_CLASS_URBAN', crew_id: '', clocks: [], created_at: at(-30),
    reassignment_count: 0, tenant_id: 'gd', ...fields,
  };
}

const incidents = opts['no-incidents'] ? [] : [
  baseIncident({
    incident_id: `INC-F-${ticket(1)}`, level: 'INCIDENT_LEVEL_FEEDER', state: 'INCIDENT_STATE_ASSIGNED',
    supply: { substation_id: 'SUB-0001', feeder_id: 'FDR-0001-03', transformer_id: '' },
    location: { latitude: 23.1291, longitude: 113.3240 },
    ticket_ids: [ticket(1), ticket(4), ticket(7)], call_count: 37, last_gasp_count: 112,
    affected_customers: '1860', life_support_affected: true, important_customer_affected: true,
    priority: 'PRIORITY_URGENT', work_order_id: 'WO-000101', crew_id: 'CREW-001-02',
    child_incident_ids: [`INC-T-${ticket(1)}`, `INC-T-${ticket(4)}`],
    // Arrival was due 12 minutes ago and is not met: the overdue clock.
    clocks: [clock('KIND_ARRIVAL', -57, -12)],
    estimated_restoration_at: at(150), opened_at: at(-57),
  }),
  baseIncident({
    incident_id: `INC-T-${ticket(9)}`, level: 'INCIDENT_LEVEL_TRANSFORMER', state: 'INCIDENT_STATE_ON_SITE',
    supply: { substation_id: 'SUB-0002', feeder_id: 'FDR-0002-01', transformer_id: 'TA-0002-01-007' },
    location: { latitude: 23.1502, longitude: 113.2875 },
    ticket_ids: [ticket(9), ticket(12)], call_count: 6, affected_customers: '214',
    priority: 'PRIORITY_HIGH', work_order_id: 'WO-000102', crew_id: 'CREW-002-01',
    clocks: [clock('KIND_ARRIVAL', -80, -35, -41), clock('KIND_RESTORATION', -41, 139)],
    estimated_restoration_at: at(40), opened_at: at(-80),
  }),
  baseIncident({
    incident_id: `INC-T-${ticket(15)}`, level: 'INCIDENT_LEVEL_TRANSFORMER', state: 'INCIDENT_STATE_OPEN',
    supply: { substation_id: 'SUB-0001', feeder_id: 'FDR-0001-05', transformer_id: 'TA-0001-05-021' },
    location: { latitude: 23.1089, longitude: 113.3631 },
    ticket_ids: [ticket(15)], call_count: 3, affected_customers: '96', important_customer_affected: true,
    priority: 'PRIORITY_HIGH', work_order_id: 'WO-000103',
    // Due in 7 minutes: amber.
    clocks: [clock('KIND_ARRIVAL', -38, 7)], opened_at: at(-38),
  }),
  baseIncident({
    incident_id: `INC-S-${ticket(18)}`, level: 'INCIDENT_LEVEL_SINGLE_CUSTOMER', state: 'INCIDENT_STATE_OPEN',
    supply: { substation_id: 'SUB-0003', feeder_id: 'FDR-0003-02', transformer_id: 'TA-0003-02-004' },
    area_class: 'AREA_CLASS_RURAL', location: { latitude: 23.0815, longitude: 113.4102 },
    ticket_ids: [ticket(18)], call_count: 1, affected_customers: '1', priority: 'PRIORITY_NORMAL',
    work_order_id: 'WO-000104', clocks: [clock('KIND_ARRIVAL', -5, 85)], opened_at: at(-5),
  }),
];

const workOrders = [
  baseWorkOrder({
    work_order_id: 'WO-000101', state: 'WORK_ORDER_STATE_ASSIGNED', incident_id: `INC-F-${ticket(1)}`,
    required_skill: 'CREW_SKILL_MEDIUM_VOLTAGE', priority: 'PRIORITY_URGENT', crew_id: 'CREW-001-02',
    location: { latitude: 23.1291, longitude: 113.3240 }, clocks: [clock('KIND_ARRIVAL', -57, -12)],
  }),
  baseWorkOrder({
    work_order_id: 'WO-000102', state: 'WORK_ORDER_STATE_ON_SITE', incident_id: `INC-T-${ticket(9)}`,
    required_skill: 'CREW_SKILL_TRANSFORMER', priority: 'PRIORITY_HIGH', crew_id: 'CREW-002-01',
    location: { latitude: 23.1502, longitude: 113.2875 },
    clocks: [clock('KIND_ARRIVAL', -80, -35, -41), clock('KIND_RESTORATION', -41, 139)],
  }),
  baseWorkOrder({
    work_order_id: 'WO-000103', state: 'WORK_ORDER_STATE_QUEUED', incident_id: `INC-T-${ticket(15)}`,
    required_skill: 'CREW_SKILL_TRANSFORMER', priority: 'PRIORITY_HIGH',
    location: { latitude: 23.1089, longitude: 113.3631 }, clocks: [clock('KIND_ARRIVAL', -38, 7)],
  }),
  baseWorkOrder({
    work_order_id: 'WO-000104', state: 'WORK_ORDER_STATE_QUEUED', incident_id: `INC-S-${ticket(18)}`,
    priority: 'PRIORITY_NORMAL', area_class: 'AREA_CLASS_RURAL',
    location: { latitude: 23.0815, longitude: 113.4102 }, clocks: [clock('KIND_ARRIVAL', -5, 85)],
  }),
];

// Appointment work: visits of service applications, booked in Beijing office hours.
const HOUR = 60 * MIN;
const beijingMidnight = (() => {
  const d = new Date(t0 + 8 * HOUR);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()) - 8 * HOUR;
})();
/** RFC 3339 of `days` after today's Beijing midnight at Beijing `hour`:`minute`. */
const bj = (days, hour, minute = 0) =>
  new Date(beijingMidnight + days * 24 * HOUR + hour * HOUR + minute * MIN).toISOString().replace(/\.\d{3}Z$/, 'Z');
const stageClock = (stage, dueDays) => ({
  kind: 'KIND_APPLICATION_STAGE', starts_at: at(-3 * 60), due_at: bj(dueDays, 18), working_days: true,
  provisional: false, limit_working_days: dueDays, stage,
});
const completionClock = (kind, dueDays) => ({
  kind, starts_at: at(-3 * 60), due_at: bj(dueDays, 18), working_days: true, provisional: false,
  limit_working_days: dueDays, stage: '',
});

function baseApplication(fields) {
  return {
    ticket_id: '', customer_id: '', kind: 'SERVICE_APPLICATION_KIND_NEW_CONNECTION',
    stage: 'APPLICATION_STAGE_ACCEPTED', stages: [], visit: 'VISIT_KIND_SITE_SURVEY',
    preferred_start: bj(1, 9), preferred_end: bj(1, 12), booking_count: 1,
    preferred_window_met: true, after_deadline: false, visit_number: 1, meter_number: '',
    meter_check_verdict: 'METER_CHECK_VERDICT_UNSPECIFIED', absent_count: 0, reminded: [],
    ...fields,
  };
}

function visitOrder(n, kind, fields, application) {
  const ticketId = ticket(n);
  return baseWorkOrder({
    work_order_id: `WO-A-${ticketId}-${application.visit_number ?? 1}`, kind, ticket_id: ticketId,
    required_skill: 'CREW_SKILL_METERING', priority: 'PRIORITY_NORMAL',
    ...fields,
    application: baseApplication({ ticket_id: ticketId, customer_id: `C-${n}`, ...application }),
  });
}

const appointments = opts['no-appointments'] ? [] : [
  // A new connection's site survey, booked tomorrow 10:00–11:00.
  visitOrder(21, 'WORK_ORDER_KIND_NEW_CONNECTION', {
    state: 'WORK_ORDER_STATE_ASSIGNED', crew_id: 'CREW-003-01',
    location: { latitude: 23.1204, longitude: 113.2561 },
    address: { full_text: '广州市荔湾区中山八路 32 号', province: '广东省', city: '广州市', district: '荔湾区', street: '中山八路', building: '' },
    appointment_start: bj(1, 10), appointment_end: bj(1, 11),
    clocks: [completionClock('KIND_APPLICATION_COMPLETION', 5), stageClock('site_surveyed', 2)],
  }, { kind: 'SERVICE_APPLICATION_KIND_NEW_CONNECTION', stage: 'APPLICATION_STAGE_DOCUMENTS_CHECKED',
    visit: 'VISIT_KIND_SITE_SURVEY' }),
  // Its installation after the survey, re-booked once (a storm took the first crew).
  visitOrder(24, 'WORK_ORDER_KIND_CAPACITY_CHANGE', {
    state: 'WORK_ORDER_STATE_ACCEPTED', crew_id: 'CREW-003-02',
    location: { latitude: 23.1330, longitude: 113.2650 },
    appointment_start: bj(2, 14), appointment_end: bj(2, 16),
    clocks: [completionClock('KIND_APPLICATION_COMPLETION', 4)],
  }, { kind: 'SERVICE_APPLICATION_KIND_CAPACITY_CHANGE', stage: 'APPLICATION_STAGE_SITE_SURVEYED',
    visit: 'VISIT_KIND_INSTALLATION', visit_number: 2, booking_count: 2, preferred_window_met: false }),
  // A meter check booked after its deadline (no earlier slot).
  visitOrder(27, 'WORK_ORDER_KIND_METER_CHECK', {
    state: 'WORK_ORDER_STATE_ASSIGNED', crew_id: 'CREW-003-01',
    location: { latitude: 23.1100, longitude: 113.2500 },
    appointment_start: bj(6, 9), appointment_end: bj(6, 10),
    clocks: [completionClock('KIND_METER_DISPUTE_RESULT', 5)],
  }, { kind: 'SERVICE_APPLICATION_KIND_METER_CHECK', stage: 'APPLICATION_STAGE_ACCEPTED',
    visit: 'VISIT_KIND_METER_CHECK', after_deadline: true }),
  // A new connection waiting for documents: clocks stopped, not booked.
  visitOrder(30, 'WORK_ORDER_KIND_NEW_CONNECTION', {
    state: 'WORK_ORDER_STATE_QUEUED',
    location: { latitude: 23.1250, longitude: 113.2700 },
    clocks: [completionClock('KIND_APPLICATION_COMPLETION', 6), stageClock('documents_checked', 1)],
  }, { kind: 'SERVICE_APPLICATION_KIND_NEW_CONNECTION', stage: 'APPLICATION_STAGE_ACCEPTED',
    visit: 'VISIT_KIND_SITE_SURVEY', booking_count: 0,
    clock_stop: { reason: 'property certificate missing', stopped_at: at(-90), recorded_by: 'CLK-07',
      missing_documents: [{ zh_cn: '房产证', en: 'property certificate' },
        { zh_cn: '身份证复印件', en: 'copy of the ID card' }] } }),
  // A meter relocation under way: no move.
  visitOrder(33, 'WORK_ORDER_KIND_METER_RELOCATION', {
    state: 'WORK_ORDER_STATE_EN_ROUTE', crew_id: 'CREW-003-02',
    location: { latitude: 23.1400, longitude: 113.2600 },
    appointment_start: at(20), appointment_end: at(80),
    clocks: [completionClock('KIND_APPLICATION_COMPLETION', 3)],
  }, { kind: 'SERVICE_APPLICATION_KIND_METER_RELOCATION', stage: 'APPLICATION_STAGE_DOCUMENTS_CHECKED',
    visit: 'VISIT_KIND_INSTALLATION' }),
];
workOrders.push(...appointments);

const crews = [
  { crew_id: 'CREW-001-01', name: '天河抢修一班', status: 'available', position: { latitude: 23.1378, longitude: 113.3312 }, work_order_ids: [], last_report_at: at(-1) },
  { crew_id: 'CREW-001-02', name: '天河抢修二班', status: 'en_route', position: { latitude: 23.1335, longitude: 113.3101 }, work_order_ids: ['WO-000101'], last_report_at: at(-0.5) },
  { crew_id: 'CREW-002-01', name: '越秀抢修一班', status: 'on_site', position: { latitude: 23.1500, longitude: 113.2880 }, work_order_ids: ['WO-000102'], last_report_at: at(-3) },
  { crew_id: 'CREW-002-02', name: '越秀抢修二班', status: 'available', position: { latitude: 23.1421, longitude: 113.2702 }, work_order_ids: [], last_report_at: at(-2) },
  { crew_id: 'CREW-003-01', name: '荔湾计量一班', status: 'assigned', position: { latitude: 23.1170, longitude: 113.2433 }, work_order_ids: appointments.filter((o) => o.crew_id === 'CREW-003-01').map((o) => o.work_order_id), last_report_at: at(-6) },
  { crew_id: 'CREW-003-02', name: '荔湾计量二班', status: 'en_route', position: { latitude: 23.1390, longitude: 113.2590 }, work_order_ids: appointments.filter((o) => o.crew_id === 'CREW-003-02').map((o) => o.work_order_id), last_report_at: at(-2) },
  { crew_id: 'CREW-004-01', name: '黄埔抢修一班', status: 'off_shift', position: { latitude: 23.1063, longitude: 113.4590 }, work_order_ids: [], last_report_at: at(-190) },
  { crew_id: 'CREW-004-02', name: '黄埔抢修二班', status: 'unreachable', position: { latitude: 23.0911, longitude: 113.4300 }, work_order_ids: [], last_report_at: at(-27) },
];

const plannedOutages = [];
let nextPlannedOutage = 1;

// ----------------------------------------------------------------------------------------------
// HTTP.
function send(res, status, body, contentType = 'application/json; charset=utf-8') {
  const data = typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': contentType, 'Cache-Control': 'no-store' });
  res.end(data);
}
const apiError = (res, status, code, message) => send(res, status, { error: { code, message } });

async function readJson(req) {
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > 64 * 1024) throw new Error('body too large');
    chunks.push(chunk);
  }
  return JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
}

function assign(body) {
  const order = workOrders.find((o) => o.work_order_id === body.work_order_id);
  if (!order) return [404, 'NOT_FOUND', `work order ${body.work_order_id} is not open`];
  const crew = crews.find((c) => c.crew_id === body.crew_id);
  if (!crew) return [404, 'NOT_FOUND', `crew ${body.crew_id} is unknown`];
  if (!body.dispatcher_id) return [400, 'INVALID_ARGUMENT', 'dispatcher_id is required'];
  if (opts['fail-assign'] || opts['refuse-crew'].includes(crew.crew_id)) return [412, 'FAILED_PRECONDITION', `crew ${crew.crew_id} lacks skill ${order.required_skill}`];
  if (crew.status === 'off_shift') return [412, 'FAILED_PRECONDITION', `crew ${crew.crew_id} is off shift`];
  const previous = crews.find((c) => c.crew_id === order.crew_id);
  if (previous) {
    previous.work_order_ids = previous.work_order_ids.filter((id) => id !== order.work_order_id);
    if (previous.work_order_ids.length === 0 && previous.status !== 'off_shift') previous.status = 'available';
    order.reassignment_count += 1;
  }
  order.crew_id = crew.crew_id;
  order.state = 'WORK_ORDER_STATE_ASSIGNED';
  crew.work_order_ids = [...crew.work_order_ids, order.work_order_id];
  crew.status = 'assigned';
  const incident = incidents.find((i) => i.incident_id === order.incident_id);
  if (incident) {
    incident.crew_id = crew.crew_id;
    if (incident.state === 'INCIDENT_STATE_OPEN') incident.state = 'INCIDENT_STATE_ASSIGNED';
  }
  return [200, order];
}

const MOVABLE = ['WORK_ORDER_STATE_QUEUED', 'WORK_ORDER_STATE_ASSIGNED', 'WORK_ORDER_STATE_ACCEPTED'];

/** A crew's shift in the mock: 08:00–18:00 Beijing, every day. */
function onShift(startMs, endMs) {
  const minutes = (ms) => (((ms + 8 * HOUR) % (24 * HOUR)) + 24 * HOUR) % (24 * HOUR) / MIN;
  const sameDay = Math.floor((startMs + 8 * HOUR) / (24 * HOUR)) === Math.floor((endMs - 1 + 8 * HOUR) / (24 * HOUR));
  return sameDay && minutes(startMs) >= 8 * 60 && minutes(endMs - 1) < 18 * 60;
}

function moveAppointment(body) {
  const order = workOrders.find((o) => o.work_order_id === body.work_order_id);
  if (!order) return [404, 'NOT_FOUND', `no open work order ${body.work_order_id}`];
  if (!order.application) return [412, 'FAILED_PRECONDITION', `${order.work_order_id} is fault repair: it is assigned, not booked`];
  if (opts['refuse-move'] || !MOVABLE.includes(order.state)) return [412, 'FAILED_PRECONDITION', `the visit ${order.work_order_id} is under way`];
  const start = Date.parse(body.start ?? '');
  if (!body.start) return [400, 'INVALID_ARGUMENT', 'start is required'];
  if (!Number.isFinite(start)) return [400, 'INVALID_ARGUMENT', `request body (gridcare.v1.MoveAppointmentRequest): "start" is not an RFC 3339 time`];
  if (start < Date.now()) return [400, 'INVALID_ARGUMENT', 'start lies in the past'];
  const crewId = body.crew_id || order.crew_id;
  if (!crewId) return [400, 'INVALID_ARGUMENT', 'crew_id is required for an unbooked visit'];
  const crew = crews.find((c) => c.crew_id === crewId);
  if (!crew) return [404, 'NOT_FOUND', `no crew ${crewId}`];
  const oldStart = Date.parse(order.appointment_start ?? '');
  const oldEnd = Date.parse(order.appointment_end ?? '');
  const length = Number.isFinite(oldStart) && Number.isFinite(oldEnd) ? oldEnd - oldStart : HOUR;
  if (!onShift(start, start + length)) return [400, 'INVALID_ARGUMENT', `crew ${crewId} is not on shift for the whole visit`];
  const previous = crews.find((c) => c.crew_id === order.crew_id);
  if (previous && previous !== crew) previous.work_order_ids = previous.work_order_ids.filter((id) => id !== order.work_order_id);
  if (!crew.work_order_ids.includes(order.work_order_id)) crew.work_order_ids = [...crew.work_order_ids, order.work_order_id];
  order.crew_id = crewId;
  order.state = 'WORK_ORDER_STATE_ASSIGNED';
  order.assigned_by = body.dispatcher_id || 'dispatcher';
  order.appointment_start = new Date(start).toISOString().replace(/\.\d{3}Z$/, 'Z');
  order.appointment_end = new Date(start + length).toISOString().replace(/\.\d{3}Z$/, 'Z');
  order.application.booking_count += 1;
  order.application.reminded = [];
  return [200, order];
}

function recordDocumentCheck(body) {
  if (!body.ticket_id) return [400, 'INVALID_ARGUMENT', 'ticket_id is required'];
  const order = workOrders.find((o) => o.application?.ticket_id === body.ticket_id);
  if (!order) return [404, 'NOT_FOUND', `no open application with ticket ${body.ticket_id}`];
  if (body.complete) {
    delete order.application.clock_stop;
    order.application.stage = 'APPLICATION_STAGE_DOCUMENTS_CHECKED';
    return [200, order];
  }
  if (!body.reason || !(body.missing_documents?.length > 0)) return [400, 'INVALID_ARGUMENT', 'missing documents and the reason are required when not complete'];
  order.application.clock_stop = { reason: body.reason, missing_documents: body.missing_documents,
    stopped_at: new Date().toISOString(), recorded_by: body.clerk_id ?? '' };
  return [200, order];
}

function listWorkOrders(work) {
  if (work === 'repair') return workOrders.filter((o) => !o.application);
  if (work === 'appointment') return workOrders.filter((o) => o.application);
  return workOrders;
}

function registerPlannedOutage(body) {
  const po = body?.planned_outage;
  if (!po) return [400, 'INVALID_ARGUMENT', 'planned_outage is required'];
  if (!po.scope?.feeder_id && !po.scope?.transformer_id) return [400, 'INVALID_ARGUMENT', 'scope needs a feeder_id or a transformer_id'];
  const starts = Date.parse(po.starts_at ?? '');
  const ends = Date.parse(po.ends_at ?? '');
  if (!Number.isFinite(starts) || !Number.isFinite(ends) || ends <= starts) return [400, 'INVALID_ARGUMENT', 'ends_at must be after starts_at'];
  const saved = {
    planned_outage_id: po.planned_outage_id || `PO-${day}-${String(nextPlannedOutage++).padStart(4, '0')}`,
    scope: { substation_id: '', feeder_id: po.scope.feeder_id ?? '', transformer_id: po.scope.transformer_id ?? '' },
    starts_at: po.starts_at, ends_at: po.ends_at,
    reason: { zh_cn: po.reason?.zh_cn ?? '', en: po.reason?.en ?? '' },
    registered_by: po.registered_by ?? '', cancelled: false,
  };
  plannedOutages.push(saved);
  return [200, saved];
}

async function serveFile(res, urlPath) {
  const rel = urlPath === '/' ? 'index.html' : decodeURIComponent(urlPath.slice(1));
  const file = path.resolve(CONSOLE_DIR, rel);
  const ext = path.extname(file).toLowerCase();
  if (!file.startsWith(CONSOLE_DIR + path.sep) || NOT_EMBEDDED.has(ext) || path.basename(file).startsWith('.')) {
    return apiError(res, 404, 'NOT_FOUND', `no console asset ${urlPath}`);
  }
  try {
    const data = await readFile(file);
    send(res, 200, data, CONTENT_TYPES[ext] ?? 'application/octet-stream');
  } catch {
    apiError(res, 404, 'NOT_FOUND', `no console asset ${urlPath}`);
  }
}

const server = createServer(async (req, res) => {
  const url = new URL(req.url, 'http://127.0.0.1');
  const route = `${req.method} ${url.pathname}`;
  try {
    if (opts['fail-endpoint'].includes(url.pathname)) {
      return apiError(res, 503, 'UNAVAILABLE', `mock_api: ${url.pathname} switched off by --fail-endpoint`);
    }
    switch (route) {
      case 'GET /api/v1/now': return send(res, 200, { now: new Date().toISOString() });
      case 'GET /api/v1/incidents': return send(res, 200, { incidents });
      case 'GET /api/v1/work-orders': {
        const work = url.searchParams.get('work') ?? '';
        if (!['', 'all', 'repair', 'appointment'].includes(work)) {
          return apiError(res, 400, 'INVALID_ARGUMENT', `work must be repair, appointment or all, got '${work}'`);
        }
        return send(res, 200, { work_orders: listWorkOrders(work) });
      }
      case 'GET /api/v1/crews': return send(res, 200, { crews });
      case 'POST /api/v1/work-orders/assign': {
        const [status, a, b] = assign(await readJson(req));
        return status === 200 ? send(res, 200, { work_order: a }) : apiError(res, status, a, b);
      }
      case 'POST /api/v1/work-orders/move-appointment': {
        const [status, a, b] = moveAppointment(await readJson(req));
        return status === 200 ? send(res, 200, { work_order: a }) : apiError(res, status, a, b);
      }
      case 'POST /api/v1/applications/document-check': {
        const [status, a, b] = recordDocumentCheck(await readJson(req));
        return status === 200 ? send(res, 200, { work_order: a }) : apiError(res, status, a, b);
      }
      case 'POST /api/v1/planned-outages': {
        const [status, a, b] = registerPlannedOutage(await readJson(req));
        return status === 200 ? send(res, 200, { planned_outage: a }) : apiError(res, status, a, b);
      }
      default:
        if (url.pathname.startsWith('/api/')) return apiError(res, 404, 'NOT_FOUND', `no route ${route}`);
        if (req.method !== 'GET' && req.method !== 'HEAD') return apiError(res, 405, 'METHOD_NOT_ALLOWED', route);
        return serveFile(res, url.pathname);
    }
  } catch (err) {
    return apiError(res, 400, 'INVALID_ARGUMENT', String(err?.message ?? err));
  }
});

server.listen(Number(opts.port), '127.0.0.1', async () => {
  const url = `http://127.0.0.1:${server.address().port}`;
  if (opts['url-file']) await writeFile(opts['url-file'], `${url}\n`);
  process.stdout.write(`mock_api: listening on ${url}\n`);
});
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    server.close(() => process.exit(0));
    server.closeAllConnections();
  });
}
