#!/usr/bin/env node
// A stand-in for the complaint service's desk HTTP side (services/complaint/desk_http.cpp), for
// developing and self-testing the desk page without the C++ service: serves the files of
// services/complaint/desk (the set the C++ build embeds) and an in-memory desk API shaped as the
// service prints it (protobuf JSON, snake_case names, enum names, RFC 3339 times, every primitive
// field). The actions follow the service's rules closely enough for the page: states, request-id
// replays, acting handler checks, required fields, the timeline. Listens on 127.0.0.1 only.
//
//   node tools/browser-check/desk_mock_api.mjs [--port N] [--url-file PATH] [--no-case ID]
//        [--refuse ACTION] [--no-timeline] [--leak-phone] [--flaky-action ACTION]
//        [--drop-first ACTION] [--list-limit N] [--fail-endpoint PATH] [--no-incident-context]
//
// Prints "desk_mock_api: listening on http://127.0.0.1:PORT" once ready; --url-file also writes
// the URL to a file. Cases: CC-GC-20261124-000101 … 000105 (see below). Fault switches, so a check
// can be shown to fail: --no-case ID (that case does not exist), --refuse take (that action always
// answers 412), --no-timeline (actions succeed but add no timeline step), --leak-phone (a case's
// text carries an unmasked mobile number), --flaky-action contact (the first request of that
// action is applied but answered 503, as a lost answer: the page must show it once), --drop-first
// reply (the first request of that action is answered 503 without being applied; its retry must
// carry the same request_id, else it is refused with 400), --list-limit 1 (the list's first page
// holds that many cases), --fail-endpoint /api/causes (that GET answers 503),
// --no-incident-context (GET api/incidents/<id> answers 404 for every incident, as the service
// does before dispatch has reported it). Case 000102 is linked to an incident whose context
// (api/incidents/INC-F-GC-20261124-000007) has crew CREW-WL-03 on site, CREW-WL-07 declined and
// CREW-WL-01 completed without restoring.
// Stops on SIGINT/SIGTERM.
import { createServer } from 'node:http';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const here = path.dirname(fileURLToPath(import.meta.url));
const DESK_DIR = path.resolve(here, '../../services/complaint/desk');

const { values: opts } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    'url-file': { type: 'string' },
    'no-case': { type: 'string', multiple: true, default: [] },
    refuse: { type: 'string', multiple: true, default: [] },
    'no-timeline': { type: 'boolean', default: false },
    'leak-phone': { type: 'boolean', default: false },
    'flaky-action': { type: 'string', multiple: true, default: [] },
    'drop-first': { type: 'string', multiple: true, default: [] },
    'list-limit': { type: 'string' },
    'fail-endpoint': { type: 'string', multiple: true, default: [] },
    'no-incident-context': { type: 'boolean', default: false },
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
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml; charset=utf-8',
  '.png': 'image/png',
};
const NOT_EMBEDDED = new Set(['.cmake', '.h', '.cpp', '.md']);

// ----------------------------------------------------------------------------------------------
// The directory and the catalogue (a slice of services/complaint/config).
const L = (zh, en) => ({ zh_cn: zh, en });
const directory = {
  departments: [
    { id: 'marketing', name: L('营销部', 'Marketing'), kind: 'DEPARTMENT_MARKETING', head_handler_id: 'mkt-head',
      units: [{ id: 'wenle-supply-office', name: L('文乐供电所', 'Wenle supply office') }] },
    { id: 'operations', name: L('运检部', 'Operations and maintenance'), kind: 'DEPARTMENT_OPERATIONS', head_handler_id: 'ops-head',
      units: [{ id: 'wenle-supply-office', name: L('文乐供电所', 'Wenle supply office') }] },
    { id: 'metering', name: L('计量中心', 'Metering centre'), kind: 'DEPARTMENT_METERING', head_handler_id: 'met-head', units: [] },
    { id: 'service-dispatch-centre', name: L('供电服务指挥中心', 'Service dispatch centre'), kind: 'DEPARTMENT_UNSPECIFIED', head_handler_id: 'sdc-head', units: [] },
  ],
  handlers: [
    { id: 'mkt-head', name: '林建华', department_id: 'marketing', unit_id: '', senior: true, supervisor: true },
    { id: 'mkt-wl-01', name: '陈晓燕', department_id: 'marketing', unit_id: 'wenle-supply-office', senior: true, supervisor: false },
    { id: 'mkt-wl-02', name: '黄志强', department_id: 'marketing', unit_id: 'wenle-supply-office', senior: false, supervisor: false },
    { id: 'ops-head', name: '郑国栋', department_id: 'operations', unit_id: '', senior: true, supervisor: true },
    { id: 'ops-wl-01', name: '吴伟', department_id: 'operations', unit_id: 'wenle-supply-office', senior: true, supervisor: false },
    { id: 'met-head', name: '何振宇', department_id: 'metering', unit_id: '', senior: true, supervisor: true },
    { id: 'met-01', name: '谢敏', department_id: 'metering', unit_id: '', senior: true, supervisor: false },
    { id: 'sdc-head', name: '邓丽华', department_id: 'service-dispatch-centre', unit_id: '', senior: true, supervisor: true },
    { id: 'sdc-coord', name: '彭晓东', department_id: 'service-dispatch-centre', unit_id: '', senior: true, supervisor: true },
  ],
  pool_department_id: 'service-dispatch-centre',
  coordinator_id: 'sdc-coord',
};
const causes = [
  { code: 'billing-estimate', label: L('电费估抄或抄表差错', 'Estimated bill or meter reading error') },
  { code: 'repeated-outage', label: L('同一线路频繁停电', 'Repeated outages on one feeder') },
  { code: 'slow-repair', label: L('故障抢修不及时', 'Slow fault repair') },
  { code: 'other', label: L('其他', 'Other') },
];
const CONTACT_ATTEMPTS_REQUIRED = 3;
const VISIT_ATTEMPTS = 3;

// ----------------------------------------------------------------------------------------------
// Cases, relative to the moment the mock starts so clocks tick as in real life.
const MIN = 60 * 1000;
const HOUR = 60 * MIN;
const t0 = Date.now();
const iso = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const at = (offsetMs) => iso(t0 + offsetMs);
const clock = (kind, startMs, dueMs, { met, days = 0 } = {}) => ({
  kind, starts_at: at(startMs), due_at: at(dueMs), working_days: days > 0,
  ...(met == null ? {} : { met_at: at(met) }), provisional: false, limit_working_days: days,
});
const system = { kind: 'KIND_SYSTEM', id: '', display_name: '' };
const step = (offsetMs, type, zh, en, by = system) =>
  ({ at: at(offsetMs), event_type: `gridcare.complaint_case.${type}.v1`, description: L(zh, en), by });

function baseCase(fields) {
  return {
    case_id: '', ticket_id: '', customer_id: '', category: '', department: 'DEPARTMENT_UNSPECIFIED',
    state: 'CASE_STATE_ROUTED', priority: 'PRIORITY_NORMAL', clocks: [], supervision_level: 0,
    coordinating_departments: [], root_cause: '', satisfaction_score: 0, reopen_count: 0,
    tenant_id: 'gd', department_id: '', unit_id: '', handler_id: '', request_type: 'REQUEST_TYPE_COMPLAINT',
    origin: 'CASE_ORIGIN_TICKET', text: '', district: '文乐区', customer_tags: [], senior_handling: false,
    incident_id: '', routing_rule: '', return_count: 0, with_coordinator: false, pauses: [], parts: [],
    contact_attempts: 0, visit_attempts: 0, dissatisfied_count: 0, last_satisfaction: 'SATISFACTION_UNSPECIFIED',
    closure: 'CASE_CLOSURE_UNSPECIFIED', contact_count: 1, urging_count: 0, timeline: [],
    customer_display: '', returned_by: [], ...fields,
  };
}

const opened = (offset, dept) => [
  step(offset, 'opened', '已受理您的诉求', 'Your request was registered'),
  step(offset, 'routed', `已转${dept}处理`, `Passed to ${dept === '营销部' ? 'Marketing' : 'Operations'}`),
];

const cases = new Map([
  baseCase({
    case_id: 'CC-GC-20261124-000101', ticket_id: 'GC-20261124-000101', category: 'billing',
    department: 'DEPARTMENT_MARKETING', department_id: 'marketing', unit_id: 'wenle-supply-office',
    routing_rule: 'billing-by-district', customer_display: '张*', opened_at: at(-20 * HOUR),
    text: opts['leak-phone'] ? '电费比上月高出三倍，请回电 13812345678。'
      : '电费比上月高出三倍，请回电 138****5678。',
    // 4 h of 24 left: under 20%, amber.
    clocks: [clock('KIND_COMPLAINT_CONTACT', -20 * HOUR, 4 * HOUR),
      clock('KIND_COMPLAINT_REPLY', -20 * HOUR, 5 * 24 * HOUR, { days: 5 })],
    timeline: opened(-20 * HOUR, '营销部'),
  }),
  baseCase({
    case_id: 'CC-GC-20261124-000102', ticket_id: 'GC-20261124-000102', category: 'outage_frequency',
    department: 'DEPARTMENT_OPERATIONS', department_id: 'operations', unit_id: 'wenle-supply-office',
    state: 'CASE_STATE_CONTACTED', handler_id: 'ops-wl-01', routing_rule: 'incident-link',
    customer_display: '李**', opened_at: at(-6 * 24 * HOUR), priority: 'PRIORITY_HIGH',
    text: '一周停电三次，抢修太慢。', urging_count: 2, contact_count: 3, supervision_level: 1,
    incident_id: 'INC-F-GC-20261124-000007',
    supply_point: { substation_id: 'SUB-0001', feeder_id: 'FDR-0001-03', transformer_id: 'TA-0001-03-012' },
    clocks: [clock('KIND_COMPLAINT_CONTACT', -6 * 24 * HOUR, -5 * 24 * HOUR, { met: -5.5 * 24 * HOUR }),
      clock('KIND_COMPLAINT_REPLY', -6 * 24 * HOUR, -3 * HOUR, { days: 5 })],
    parts: [{ department_id: 'metering', due_at: at(-HOUR), requested_at: at(-2 * 24 * HOUR), text: '' }],
    timeline: [...opened(-6 * 24 * HOUR, '运检部'),
      step(-5.5 * 24 * HOUR, 'customer_contacted', '专员已与您联系，正在处理', 'A handler contacted you and is working on it'),
      step(-3 * HOUR, 'deadline_alarm_raised', '已升级督办', 'Escalated for supervision')],
  }),
  baseCase({
    case_id: 'CC-GC-20261124-000103', ticket_id: 'GC-20261124-000103', category: 'service_hall',
    request_type: 'REQUEST_TYPE_OPINION', department: 'DEPARTMENT_MARKETING', department_id: 'marketing',
    unit_id: 'wenle-supply-office', routing_rule: 'opinion-default', customer_display: '王*',
    customer_tags: ['CUSTOMER_TAG_SENSITIVE'], senior_handling: true, opened_at: at(-2 * HOUR),
    text: '营业厅排队太久。',
    clocks: [clock('KIND_COMPLAINT_CONTACT', -2 * HOUR, 10 * HOUR),
      clock('KIND_COMPLAINT_REPLY', -2 * HOUR, 3 * 24 * HOUR, { days: 3 })],
    timeline: opened(-2 * HOUR, '营销部'),
  }),
  baseCase({
    case_id: 'CC-GC-20261124-000104', ticket_id: 'GC-20261124-000104', category: 'billing',
    department: 'DEPARTMENT_MARKETING', department_id: 'marketing', unit_id: 'wenle-supply-office',
    state: 'CASE_STATE_REPLIED', handler_id: 'mkt-wl-02', customer_display: '赵*', opened_at: at(-4 * 24 * HOUR),
    text: '电表走字太快。',
    clocks: [clock('KIND_COMPLAINT_CONTACT', -4 * 24 * HOUR, -3 * 24 * HOUR, { met: -3.8 * 24 * HOUR }),
      clock('KIND_COMPLAINT_REPLY', -4 * 24 * HOUR, 24 * HOUR, { met: -HOUR, days: 5 })],
    reply: { cause_code: 'billing-estimate', corrective_action: '重新抄表并退还差额', text: L('经核实为估抄，已退还差额。', 'The bill was estimated; the difference is refunded.'), by: { kind: 'KIND_DEPARTMENT', id: 'mkt-wl-02', display_name: '黄志强' }, replied_at: at(-HOUR) },
    timeline: [...opened(-4 * 24 * HOUR, '营销部'),
      step(-HOUR, 'reply_sent', '已答复您的诉求', 'We replied to your request')],
  }),
  baseCase({
    case_id: 'CC-GC-20261124-000105', ticket_id: 'GC-20261124-000105', category: 'billing',
    department: 'DEPARTMENT_MARKETING', department_id: 'marketing', unit_id: 'wenle-supply-office',
    handler_id: 'mkt-wl-02', customer_display: '孙*', opened_at: at(-30 * HOUR),
    text: '需要补交用电证明。', contact_attempts: 1,
    clocks: [clock('KIND_COMPLAINT_CONTACT', -30 * HOUR, -6 * HOUR),
      clock('KIND_COMPLAINT_REPLY', -30 * HOUR, 4 * 24 * HOUR, { days: 5 })],
    pauses: [{ reason: 'PAUSE_REASON_WAITING_ON_CUSTOMER', note: '等客户补材料', by: { kind: 'KIND_DEPARTMENT', id: 'mkt-wl-02', display_name: '黄志强' }, paused_at: at(-5 * HOUR) }],
    timeline: [...opened(-30 * HOUR, '营销部'),
      step(-5 * HOUR, 'paused', '等待您提供资料，办理时限暂停', 'Waiting for you; the clock is paused')],
  }),
].filter((c) => !opts['no-case'].includes(c.case_id)).map((c) => [c.case_id, c]));
// The network context of case 000102's incident (gridcare.v1.IncidentContext as the service prints
// it: every primitive field, unset timestamps left out).
const progress = (fields) => ({
  work_order_id: '', crew_id: '', stage: 'FIELD_STAGE_UNSPECIFIED', restored: false, cause_code: '',
  fix_code: '', decline_reason: '', ...fields,
});
const incidentContexts = new Map(opts['no-incident-context'] ? [] : [['INC-F-GC-20261124-000007', {
  incident: {
    incident_id: 'INC-F-GC-20261124-000007', level: 'INCIDENT_LEVEL_FEEDER', state: 'INCIDENT_STATE_ON_SITE',
    supply: { substation_id: 'SUB-0001', feeder_id: 'FDR-0001-03', transformer_id: '' },
    area_class: 'AREA_CLASS_URBAN', ticket_ids: [], call_count: 14, last_gasp_count: 3,
    affected_customers: '812', life_support_affected: true, important_customer_affected: false,
    priority: 'PRIORITY_HIGH', work_order_id: 'WO-20261124-0031', crew_id: 'CREW-WL-03', clocks: [],
    estimated_restoration_at: at(HOUR), cause_code: '', planned_outage_id: '', parent_incident_id: '',
    child_incident_ids: [], opened_at: at(-3 * HOUR), tenant_id: '',
  },
  field: [
    progress({ work_order_id: 'WO-20261124-0029', crew_id: 'CREW-WL-07', stage: 'FIELD_STAGE_DECLINED',
      updated_at: at(-170 * MIN), decline_reason: 'vehicle breakdown' }),
    progress({ work_order_id: 'WO-20261124-0030', crew_id: 'CREW-WL-01', stage: 'FIELD_STAGE_COMPLETED',
      updated_at: at(-100 * MIN), restored: false, cause_code: 'TREE_CONTACT', fix_code: 'LINE_CLEARED' }),
    progress({ work_order_id: 'WO-20261124-0031', crew_id: 'CREW-WL-03', stage: 'FIELD_STAGE_ON_SITE',
      updated_at: at(-30 * MIN), estimate: at(HOUR) }),
  ],
}]]);
const applied = new Map();  // case id → Set of request ids applied
const flakyLeft = new Set(opts['flaky-action']);
const dropLeft = new Set(opts['drop-first']);
const dropped = new Map();  // action → the request id of its dropped first request

// ----------------------------------------------------------------------------------------------
// The desk's rules, as far as the page can tell them apart.
class Refusal extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}
const invalid = (m) => new Refusal(400, 'INVALID_ARGUMENT', m);
const precondition = (m) => new Refusal(412, 'FAILED_PRECONDITION', m);
const denied = (m) => new Refusal(403, 'PERMISSION_DENIED', m);

const WORKING = ['CASE_STATE_ROUTED', 'CASE_STATE_CONTACTED', 'CASE_STATE_REOPENED'];
const isPaused = (c) => c.pauses.length > 0 && !c.pauses[c.pauses.length - 1].resumed_at;
const stateName = (c) => c.state.replace('CASE_STATE_', '');
const wrongState = (c, what) => precondition(`cannot ${what} case ${c.case_id} in state ${stateName(c)}`);
const handler = (id) => directory.handlers.find((h) => h.id === id);
const meet = (c, kind, now) => {
  const k = c.clocks.find((x) => x.kind === kind && !x.met_at);
  if (k) k.met_at = iso(now);
};

function checkActor(c, by) {
  if (!by?.id) throw invalid('by.id (the acting handler) is required');
  const h = handler(by.id);
  if (!h) throw denied(`unknown handler '${by.id}'`);
  const pool = h.department_id === directory.pool_department_id && h.supervisor;
  if (h.department_id !== c.department_id && !pool && h.id !== directory.coordinator_id) {
    throw denied(`handler '${by.id}' may not act on cases of department '${c.department_id}'`);
  }
  return h;
}

/** Applies `action` to `c` (a copy) at `now`; returns [by, event type, zh, en] for the timeline. */
function apply(action, c, r, now) {
  const working = WORKING.includes(c.state);
  switch (action) {
    case 'take': {
      const h = checkActor(c, r.by);
      if (!working && c.state !== 'CASE_STATE_REPLIED') throw wrongState(c, 'take');
      if (c.senior_handling && !h.senior && !h.supervisor) throw precondition(`case ${c.case_id} is a sensitive or important customer's: a senior handler must take it`);
      c.handler_id = h.id;
      return [r.by, 'assigned', '专员已接单', 'A handler took your case'];
    }
    case 'assign': {
      const h = checkActor(c, r.by);
      if (!h.supervisor) throw denied(`handler '${h.id}' is not a supervisor and may not assign cases`);
      const to = handler(r.handler_id);
      if (!to) throw invalid(`handler_id: unknown handler '${r.handler_id ?? ''}'`);
      c.handler_id = to.id;
      return [r.by, 'assigned', '已指派专员处理', 'A handler was assigned'];
    }
    case 'contact-attempt':
      checkActor(c, r.by);
      if (!['CASE_STATE_ROUTED', 'CASE_STATE_REOPENED'].includes(c.state)) throw wrongState(c, 'record a contact attempt on');
      c.contact_attempts += 1;
      return [r.by, 'contact_attempted', '我们尝试联系您未果，将再次联系', 'We tried to call you and will try again'];
    case 'contact':
      checkActor(c, r.contact?.by);
      if (!['CASE_STATE_ROUTED', 'CASE_STATE_REOPENED'].includes(c.state)) throw wrongState(c, 'record the contact on');
      if (isPaused(c)) throw precondition(`case ${c.case_id} is paused: resume it first`);
      meet(c, 'KIND_COMPLAINT_CONTACT', now);
      c.state = 'CASE_STATE_CONTACTED';
      c.contact_attempts = 0;
      if (!c.handler_id) c.handler_id = r.contact.by.id;
      return [r.contact.by, 'customer_contacted', '专员已与您联系，正在处理', 'A handler contacted you and is working on it'];
    case 'pause':
      checkActor(c, r.by);
      if (!working) throw wrongState(c, 'pause');
      if (isPaused(c)) throw precondition(`case ${c.case_id} is already paused`);
      if (!r.reason || r.reason === 'PAUSE_REASON_UNSPECIFIED') throw invalid('reason: a pause needs a recorded reason');
      if (r.reason === 'PAUSE_REASON_CUSTOMER_UNREACHABLE' && c.contact_attempts < CONTACT_ATTEMPTS_REQUIRED) {
        throw precondition(`reason: 'customer unreachable' needs ${CONTACT_ATTEMPTS_REQUIRED} recorded contact attempts, case ${c.case_id} has ${c.contact_attempts}`);
      }
      c.pauses.push({ reason: r.reason, note: r.note ?? '', by: r.by, paused_at: iso(now) });
      return [r.by, 'paused', '等待您提供资料，办理时限暂停', 'Waiting for you; the clock is paused'];
    case 'resume': {
      checkActor(c, r.by);
      if (!isPaused(c)) throw precondition(`case ${c.case_id} is not paused`);
      const pause = c.pauses[c.pauses.length - 1];
      pause.resumed_at = iso(now);
      const shift = now - Date.parse(pause.paused_at);
      for (const k of c.clocks) if (!k.met_at && Date.parse(k.due_at) > Date.parse(pause.paused_at)) k.due_at = iso(Date.parse(k.due_at) + shift);
      return [r.by, 'resumed', '继续办理', 'Work on your case resumed'];
    }
    case 'reply': {
      const reply = r.reply ?? {};
      checkActor(c, reply.by);
      if (c.state !== 'CASE_STATE_CONTACTED') throw precondition(`cannot reply to case ${c.case_id} in state ${stateName(c)}: contact the customer first`);
      if (isPaused(c)) throw precondition(`case ${c.case_id} is paused: resume it first`);
      const waiting = c.parts.filter((p) => !p.answered_at).map((p) => p.department_id);
      if (waiting.length) throw precondition(`case ${c.case_id} waits for coordination parts from: ${waiting.join(', ')}`);
      if (!causes.some((x) => x.code === reply.cause_code)) throw invalid(`reply.cause_code: '${reply.cause_code ?? ''}' is not in the cause catalogue`);
      if (!reply.corrective_action) throw invalid('reply.corrective_action is required');
      if (!reply.reply?.zh_cn && !reply.reply?.en) throw invalid('reply.reply: the text sent to the customer is required');
      c.reply = { cause_code: reply.cause_code, corrective_action: reply.corrective_action,
        text: { zh_cn: reply.reply.zh_cn || reply.reply.en, en: reply.reply.en || reply.reply.zh_cn }, by: reply.by, replied_at: iso(now) };
      c.root_cause = reply.cause_code;
      meet(c, 'KIND_COMPLAINT_REPLY', now);
      c.state = 'CASE_STATE_REPLIED';
      return [reply.by, 'reply_sent', '已答复您的诉求', 'We replied to your request'];
    }
    case 'return':
      checkActor(c, r.by);
      if (!working) throw wrongState(c, 'return');
      if (!r.reason) throw invalid('reason: a return needs a reason');
      if (c.returned_by.includes(c.department_id)) throw precondition(`department '${c.department_id}' returned case ${c.case_id} once already; ask the coordinator`);
      c.returned_by.push(c.department_id);
      c.return_count += 1;
      c.department_id = directory.pool_department_id;
      c.unit_id = '';
      c.handler_id = '';
      return [r.by, 'returned', '已退回重新派单', 'Returned for re-routing'];
    case 'coordinate':
      checkActor(c, r.by);
      if (!working) throw wrongState(c, 'request coordination on');
      if (!r.parts?.length) throw invalid('parts: name at least one department');
      for (const part of r.parts) {
        if (!directory.departments.some((d) => d.id === part.department_id)) throw invalid(`parts[0].department_id: unknown department '${part.department_id}'`);
        c.parts.push({ department_id: part.department_id, requested_at: iso(now), due_at: iso(now + (part.due_working_days || 2) * 24 * HOUR), text: '' });
      }
      return [r.by, 'coordination_requested', '已请相关部门协同处理', 'Other departments were asked to help'];
    case 'answer-part': {
      if (!r.by?.id) throw invalid('by.id (the acting handler) is required');
      if (!working) throw wrongState(c, 'answer coordination on');
      if (!r.text) throw invalid("text: the part's answer is required");
      const part = c.parts.find((p) => p.department_id === r.department_id && !p.answered_at);
      if (!part) throw precondition(`case ${c.case_id} has no open part for department '${r.department_id ?? ''}'`);
      part.answered_at = iso(now);
      part.answered_by = r.by;
      part.text = r.text;
      return [r.by, 'coordination_part_replied', '协同部门已提供意见', 'A department gave its part'];
    }
    case 'escalate':
      checkActor(c, r.by);
      if (c.state === 'CASE_STATE_CLOSED') throw wrongState(c, 'escalate');
      if (!r.reason) throw invalid('reason: an escalation needs a reason');
      if (c.supervision_level >= 3) throw precondition(`case ${c.case_id} is at the top supervision level`);
      c.supervision_level += 1;
      return [r.by, 'escalated', '已升级督办', 'Escalated for supervision'];
    case 'return-visit':
      return visit(c, r.visit ?? {}, now);
    case 'reopen':
      checkActor(c, r.by);
      if (!['CASE_STATE_REPLIED', 'CASE_STATE_RETURN_VISITED', 'CASE_STATE_CLOSED'].includes(c.state)) throw wrongState(c, 'reopen');
      if (!r.reason) throw invalid('reason: a reopen needs a reason');
      reopen(c, now);
      return [r.by, 'reopened', '已重新办理您的诉求', 'Your case was reopened'];
    default:
      throw new Refusal(404, 'NOT_FOUND', `no desk action '${action}'`);
  }
}

function reopen(c, now) {
  c.state = 'CASE_STATE_REOPENED';
  c.reopen_count += 1;
  c.supervision_level = Math.min(3, c.supervision_level + 1);
  c.clocks = [clock('KIND_COMPLAINT_CONTACT', now - t0, now - t0 + 24 * HOUR),
    clock('KIND_COMPLAINT_REPLY', now - t0, now - t0 + 5 * 24 * HOUR, { days: 5 })];
}

function visit(c, v, now) {
  checkActor(c, v.by);
  if (c.state !== 'CASE_STATE_REPLIED') throw wrongState(c, 'record a return visit on');
  if (v.unreachable) {
    c.visit_attempts += 1;
    if (c.visit_attempts >= VISIT_ATTEMPTS) {
      c.state = 'CASE_STATE_CLOSED';
      c.closure = 'CASE_CLOSURE_RETURN_VISIT_UNREACHABLE';
      c.closed_at = iso(now);
    }
    return [v.by, 'return_visit_recorded', '回访未接通', 'We could not reach you for the return visit'];
  }
  if (!v.satisfaction || v.satisfaction === 'SATISFACTION_UNSPECIFIED') throw invalid('visit.satisfaction is required (or visit.unreachable)');
  c.last_satisfaction = v.satisfaction;
  const happy = v.satisfaction !== 'SATISFACTION_DISSATISFIED' && v.resolved;
  if (happy) {
    c.state = 'CASE_STATE_CLOSED';
    c.closure = 'CASE_CLOSURE_RESOLVED';
    c.closed_at = iso(now);
  } else {
    if (v.satisfaction === 'SATISFACTION_DISSATISFIED') c.dissatisfied_count += 1;
    reopen(c, now);
  }
  return [v.by, 'return_visit_recorded', '已完成回访', 'Return visit recorded'];
}

function act(caseId, action, body) {
  const c = cases.get(caseId);
  if (!c) throw new Refusal(404, 'NOT_FOUND', `no case '${caseId}'`);
  if (!body.request_id) throw invalid('request_id is required');
  const seen = applied.get(caseId) ?? new Set();
  applied.set(caseId, seen);
  if (seen.has(body.request_id)) return c;  // a retry: the same answer, nothing twice
  if (opts.refuse.includes(action)) throw precondition(`desk_mock_api: ${action} refused by --refuse`);
  if (dropLeft.delete(action)) {
    dropped.set(action, body.request_id);
    throw new Refusal(503, 'UNAVAILABLE', `desk_mock_api: the first ${action} was dropped (--drop-first)`);
  }
  if (dropped.has(action) && dropped.get(action) !== body.request_id) {
    throw invalid(`desk_mock_api: the retry of ${action} came with a new request_id ` +
      `'${body.request_id}', not '${dropped.get(action)}': a retry must reuse it`);
  }
  const next = structuredClone(c);
  const now = Date.now();
  const [by, type, zh, en] = apply(action, next, body, now);
  if (!opts['no-timeline']) next.timeline.push(step(now - t0, type, zh, en, by));
  next.updated_at = iso(now);
  seen.add(body.request_id);
  cases.set(caseId, next);
  if (flakyLeft.delete(action)) throw new Refusal(503, 'UNAVAILABLE', `desk_mock_api: the answer to ${action} was lost (--flaky-action)`);
  return next;
}

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
    if (size > 64 * 1024) throw invalid('body too large');
    chunks.push(chunk);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
  } catch (err) {
    throw invalid(`request body: not valid JSON: ${err.message}`);
  }
}

/** The desk's view of a case (as desk_http.cpp's ForDesk): no customer_id. */
const forDesk = (c) => { const { customer_id: _hidden, ...rest } = c; return rest; };

function firstDue(c) {
  if (c.state === 'CASE_STATE_CLOSED') return Infinity;
  const dues = [...c.clocks.filter((k) => !k.met_at), ...c.parts.filter((p) => !p.answered_at)].map((x) => Date.parse(x.due_at));
  return dues.length ? Math.min(...dues) : Infinity;
}

function list(url) {
  const department = url.searchParams.get('department') ?? '';
  if (department && !directory.departments.some((d) => d.id === department)) throw invalid(`department: no department '${department}' in the directory`);
  const states = url.searchParams.getAll('state').flatMap((s) => s.split(',')).filter(Boolean)
    .map((s) => (s.startsWith('CASE_STATE_') ? s : `CASE_STATE_${s.toUpperCase()}`));
  const overdue = url.searchParams.get('overdue_only') === 'true';
  const size = Math.min(Number(url.searchParams.get('page_size') || 50), Number(opts['list-limit'] ?? Infinity));
  const now = Date.now();
  const all = [...cases.values()]
    .filter((c) => c.state !== 'CASE_STATE_CLOSED')
    .filter((c) => !department || c.department_id === department)
    .filter((c) => states.length === 0 || states.includes(c.state))
    .filter((c) => !overdue || firstDue(c) < now)
    .sort((a, b) => firstDue(a) - firstDue(b) || a.case_id.localeCompare(b.case_id));
  return { cases: all.slice(0, size).map((c) => ({ ...forDesk(c), text: '' })), next_page_token: all.length > size ? String(size) : '', total: all.length };
}

async function serveFile(res, urlPath) {
  const rel = urlPath === '/' ? 'index.html' : decodeURIComponent(urlPath.slice(1));
  const file = path.resolve(DESK_DIR, rel);
  const ext = path.extname(file).toLowerCase();
  if (!file.startsWith(DESK_DIR + path.sep) || NOT_EMBEDDED.has(ext) || path.basename(file).startsWith('.')) {
    return send(res, 404, 'not found\n', 'text/plain; charset=utf-8');
  }
  try {
    const data = await readFile(file);
    return send(res, 200, data, CONTENT_TYPES[ext] ?? 'application/octet-stream');
  } catch {
    return send(res, 404, 'not found\n', 'text/plain; charset=utf-8');
  }
}

const CASE = /^\/api\/cases\/([^/]+)$/;
const INCIDENT = /^\/api\/incidents\/([^/]+)$/;
const ACTION = /^\/api\/cases\/([^/]+)\/([^/]+)$/;

async function route(req, res, url) {
  if (opts['fail-endpoint'].includes(url.pathname)) {
    return apiError(res, 503, 'UNAVAILABLE', `desk_mock_api: ${url.pathname} switched off by --fail-endpoint`);
  }
  const get = req.method === 'GET' || req.method === 'HEAD';
  if (get && url.pathname === '/api/now') return send(res, 200, { now: new Date().toISOString() });
  if (get && url.pathname === '/api/directory') return send(res, 200, directory);
  if (get && url.pathname === '/api/causes') return send(res, 200, { causes });
  if (get && url.pathname === '/api/cases') return send(res, 200, list(url));
  let m = CASE.exec(url.pathname);
  if (get && m) {
    const c = cases.get(decodeURIComponent(m[1]));
    return c ? send(res, 200, forDesk(c)) : apiError(res, 404, 'NOT_FOUND', `no case '${decodeURIComponent(m[1])}'`);
  }
  m = INCIDENT.exec(url.pathname);
  if (get && m) {
    const context = incidentContexts.get(decodeURIComponent(m[1]));
    return context ? send(res, 200, context)
      : apiError(res, 404, 'NOT_FOUND', `incident ${decodeURIComponent(m[1])} is not known here (or was forgotten)`);
  }
  m = ACTION.exec(url.pathname);
  if (req.method === 'POST' && m) {
    return send(res, 200, forDesk(act(decodeURIComponent(m[1]), m[2], await readJson(req))));
  }
  if (url.pathname.startsWith('/api/')) return apiError(res, 404, 'NOT_FOUND', `no API route ${url.pathname}`);
  if (!get) return apiError(res, 404, 'NOT_FOUND', `no API route ${url.pathname}`);
  return serveFile(res, url.pathname);
}

const server = createServer(async (req, res) => {
  const url = new URL(req.url, 'http://127.0.0.1');
  try {
    await route(req, res, url);
  } catch (err) {
    if (err instanceof Refusal) return apiError(res, err.status, err.code, err.message);
    return apiError(res, 500, 'INTERNAL', String(err?.message ?? err));
  }
  return undefined;
});

server.listen(Number(opts.port), '127.0.0.1', async () => {
  const url = `http://127.0.0.1:${server.address().port}`;
  if (opts['url-file']) await writeFile(opts['url-file'], `${url}\n`);
  process.stdout.write(`desk_mock_api: listening on ${url}\n`);
});
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    server.close(() => process.exit(0));
    server.closeAllConnections();
  });
}
