// Unit tests of the complaint desk's pure helpers (services/complaint/desk/model.js, i18n.js), with
// node's test runner: node --test tools/browser-check/test/desk_model.test.mjs
// The desk folder has no package.json (every file there is embedded in the C++ service), so its ES
// modules are loaded from their source text as data: URLs; neither imports anything.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const deskDir = path.join(root, 'services/complaint/desk');
const load = (name) => import(`data:text/javascript;charset=utf-8,${encodeURIComponent(
  readFileSync(path.join(deskDir, name), 'utf8'))}`);
const model = await load('model.js');
const i18n = await load('i18n.js');

const MIN = 60 * 1000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const NOW = Date.parse('2026-11-24T04:00:00Z');  // 12:00 Beijing
const iso = (ms) => new Date(ms).toISOString();
const clock = (kind, startOffset, dueOffset, met) => ({
  kind, starts_at: iso(NOW + startOffset), due_at: iso(NOW + dueOffset),
  ...(met == null ? {} : { met_at: iso(NOW + met) }),
});

test('clockStatus: amber under 20% of the time left, red once due, green otherwise', () => {
  assert.equal(model.clockStatus(null, NOW).status, 'none');
  assert.equal(model.clockStatus({ kind: 'KIND_COMPLAINT_CONTACT' }, NOW).status, 'none');
  // A 24 h contact clock: 5 h left is 20.8% → ok; 4 h 48 min left is exactly 20% → ok; less → amber.
  assert.equal(model.clockStatus(clock('C', -19 * HOUR, 5 * HOUR), NOW).status, 'ok');
  assert.equal(model.clockStatus(clock('C', -19.2 * HOUR, 4.8 * HOUR), NOW).status, 'ok');
  const amber = model.clockStatus(clock('C', -20 * HOUR, 4 * HOUR), NOW);
  assert.equal(amber.status, 'warning');
  assert.equal(amber.remainingMs, 4 * HOUR);
  assert.ok(Math.abs(amber.leftShare - 4 / 24) < 1e-9);
  assert.equal(model.clockStatus(clock('C', -24 * HOUR, 0), NOW).status, 'overdue');
  assert.equal(model.clockStatus(clock('C', -27 * HOUR, -3 * HOUR), NOW).remainingMs, -3 * HOUR);
  // Met wins, even late.
  const met = model.clockStatus(clock('C', -27 * HOUR, -3 * HOUR, -HOUR), NOW);
  assert.equal(met.status, 'met');
  assert.equal(met.metMs, NOW - HOUR);
  // Without a start there is no share: never amber, only ok or overdue.
  assert.equal(model.clockStatus({ due_at: iso(NOW + MIN) }, NOW).status, 'ok');
  // Coordination parts: requested_at and answered_at play starts_at and met_at.
  assert.equal(model.clockStatus({ requested_at: iso(NOW - 9 * HOUR), due_at: iso(NOW + HOUR) }, NOW).status, 'warning');
  assert.equal(model.clockStatus({ requested_at: iso(NOW - 9 * HOUR), due_at: iso(NOW + HOUR), answered_at: iso(NOW) }, NOW).status, 'met');
});

test('caseUrgency and firstDue look at open clocks and unanswered parts only', () => {
  const c = {
    state: 'CASE_STATE_CONTACTED',
    clocks: [clock('KIND_COMPLAINT_CONTACT', -30 * HOUR, -6 * HOUR, -20 * HOUR), clock('KIND_COMPLAINT_REPLY', -30 * HOUR, 3 * DAY)],
    parts: [{ department_id: 'metering', requested_at: iso(NOW - DAY), due_at: iso(NOW + 2 * HOUR) }],
  };
  assert.equal(model.caseUrgency(c, NOW), 'warning');  // the part: 2 h of 26 h left
  assert.equal(model.firstDue(c), NOW + 2 * HOUR);
  c.parts[0].answered_at = iso(NOW);
  assert.equal(model.caseUrgency(c, NOW), 'ok');
  assert.equal(model.firstDue(c), NOW + 3 * DAY);
  c.clocks[1].due_at = iso(NOW - MIN);
  assert.equal(model.caseUrgency(c, NOW), 'overdue');
  assert.equal(model.caseUrgency({ ...c, state: 'CASE_STATE_CLOSED' }, NOW), 'none');
  assert.equal(model.firstDue({ ...c, state: 'CASE_STATE_CLOSED' }), null);
  assert.equal(model.firstDue({ state: 'CASE_STATE_REPLIED', clocks: [], parts: [] }), null);
});

test('sortCases: the clock that runs out first, cases without one last, then id', () => {
  const due = (id, offset) => ({ case_id: id, state: 'CASE_STATE_ROUTED', clocks: [clock('C', -HOUR, offset)] });
  const list = [
    due('CC-4', 3 * DAY), { case_id: 'CC-2', state: 'CASE_STATE_REPLIED', clocks: [] },
    due('CC-3', -HOUR), due('CC-1', 2 * HOUR), { case_id: 'CC-0', state: 'CASE_STATE_REPLIED' },
  ];
  assert.deepEqual(model.sortCases(list).map((c) => c.case_id), ['CC-3', 'CC-1', 'CC-4', 'CC-0', 'CC-2']);
});

test('durationParts: days and hours, hours and minutes, minutes; overdue rounds up', () => {
  assert.deepEqual(model.durationParts(2 * DAY + 3 * HOUR + 59 * MIN), { key: 'dur.dh', params: { d: 2, h: 3 } });
  assert.deepEqual(model.durationParts(DAY), { key: 'dur.dh', params: { d: 1, h: 0 } });
  assert.deepEqual(model.durationParts(23 * HOUR + 59 * MIN + 59000), { key: 'dur.hmin', params: { h: 23, m: 59 } });
  assert.deepEqual(model.durationParts(59 * MIN + 59000), { key: 'dur.min', params: { m: 59 } });
  assert.deepEqual(model.durationParts(-1000, { roundUp: true }), { key: 'dur.min', params: { m: 1 } });
  assert.deepEqual(model.durationParts(-(3 * HOUR + 1), { roundUp: true }), { key: 'dur.hmin', params: { h: 3, m: 1 } });
});

test('formatBeijing: UTC+8 whatever the machine zone; the date only off the current day', () => {
  assert.equal(model.formatBeijing(NOW, NOW), '12:00');
  assert.equal(model.formatBeijing(Date.parse('2026-11-24T16:30:00Z'), NOW), '11-25 00:30');
  assert.equal(model.formatBeijing(Date.parse('2025-12-31T15:59:00Z'), NOW), '2025-12-31 23:59');
  assert.equal(model.formatBeijing(NOW), '2026-11-24 12:00');
  assert.equal(model.formatBeijing(null, NOW), '');
});

test('isPaused and holdingUp', () => {
  assert.equal(model.isPaused({ pauses: [] }), false);
  assert.equal(model.isPaused({ pauses: [{ paused_at: iso(NOW - HOUR) }] }), true);
  assert.equal(model.isPaused({ pauses: [{ paused_at: iso(NOW - HOUR), resumed_at: iso(NOW) }] }), false);
  const c = {
    parts: [
      { department_id: 'operations', requested_at: iso(NOW - DAY), due_at: iso(NOW + DAY) },
      { department_id: 'metering', requested_at: iso(NOW - DAY), due_at: iso(NOW - HOUR) },
      { department_id: 'construction', due_at: iso(NOW - 2 * HOUR), answered_at: iso(NOW - 3 * HOUR) },
    ],
  };
  assert.deepEqual(model.holdingUp(c, NOW), [
    { department_id: 'metering', dueMs: NOW - HOUR, status: 'overdue' },
    { department_id: 'operations', dueMs: NOW + DAY, status: 'ok' },
  ]);
  assert.deepEqual(model.holdingUp({}, NOW), []);
});

test('availableActions follows the case state machine', () => {
  const c = (state, extra = {}) => ({ state, pauses: [], parts: [], ...extra });
  const supervisor = { id: 'mkt-head', supervisor: true };
  assert.deepEqual(model.availableActions(c('CASE_STATE_ROUTED'), { id: 'x' }),
    ['take', 'contact-attempt', 'contact', 'pause', 'return', 'coordinate', 'escalate']);
  assert.deepEqual(model.availableActions(c('CASE_STATE_ROUTED'), supervisor).slice(0, 2), ['take', 'assign']);
  // The case's own handler is not offered to take it again (nothing would change).
  assert.deepEqual(model.availableActions(c('CASE_STATE_ROUTED', { handler_id: 'x' }), { id: 'x' }).slice(0, 2),
    ['contact-attempt', 'contact']);
  assert.deepEqual(model.availableActions(c('CASE_STATE_CONTACTED')),
    ['take', 'pause', 'reply', 'return', 'coordinate', 'escalate']);
  const paused = { pauses: [{ paused_at: iso(NOW) }] };
  assert.deepEqual(model.availableActions(c('CASE_STATE_CONTACTED', paused)),
    ['take', 'resume', 'return', 'coordinate', 'escalate']);
  const waiting = { parts: [{ department_id: 'metering', due_at: iso(NOW) }] };
  assert.deepEqual(model.availableActions(c('CASE_STATE_CONTACTED', waiting)),
    ['take', 'pause', 'return', 'coordinate', 'answer-part', 'escalate']);
  assert.deepEqual(model.availableActions(c('CASE_STATE_REPLIED')), ['take', 'escalate', 'return-visit', 'reopen']);
  assert.deepEqual(model.availableActions(c('CASE_STATE_RETURN_VISITED')), ['escalate', 'reopen']);
  assert.deepEqual(model.availableActions(c('CASE_STATE_CLOSED')), ['reopen']);
  assert.deepEqual(model.availableActions(null), []);
});

test('actionBody builds each request message and names what is missing', () => {
  const by = model.actorFor({ id: 'mkt-wl-01', name: '陈晓燕', supervisor: false });
  assert.deepEqual(by, { kind: 'KIND_DEPARTMENT', id: 'mkt-wl-01', display_name: '陈晓燕' });
  assert.equal(model.actorFor({ id: 'mkt-head', supervisor: true }).kind, 'KIND_SUPERVISOR');
  assert.deepEqual(model.actionBody('take', {}, by), { body: { by } });
  assert.deepEqual(model.actionBody('contact', { summary: ' reached ' }, by),
    { body: { contact: { by, summary: 'reached' } } });
  assert.deepEqual(model.actionBody('reply', { cause_code: '', corrective_action: 'x', text_zh: 'y' }, by), { error: 'form.err.cause' });
  assert.deepEqual(model.actionBody('reply', { cause_code: 'other', corrective_action: ' ', text_zh: 'y' }, by), { error: 'form.err.corrective' });
  assert.deepEqual(model.actionBody('reply', { cause_code: 'other', corrective_action: 'x' }, by), { error: 'form.err.reply_text' });
  assert.deepEqual(model.actionBody('reply', { cause_code: 'other', corrective_action: 'fixed', text_zh: '已处理', text_en: '' }, by), {
    body: { reply: { by, cause_code: 'other', corrective_action: 'fixed', reply: { zh_cn: '已处理', en: '' } } },
  });
  assert.deepEqual(model.actionBody('pause', { note: 'n' }, by), { error: 'form.err.pause_reason' });
  assert.deepEqual(model.actionBody('pause', { reason: 'PAUSE_REASON_WAITING_ON_CUSTOMER', note: 'n' }, by),
    { body: { reason: 'PAUSE_REASON_WAITING_ON_CUSTOMER', note: 'n', by } });
  assert.deepEqual(model.actionBody('return', { reason: '' }, by), { error: 'form.err.reason' });
  assert.deepEqual(model.actionBody('coordinate', { departments: [] }, by), { error: 'form.err.departments' });
  assert.deepEqual(model.actionBody('coordinate', { departments: ['metering'], due_working_days: 'x' }, by), { error: 'form.err.days' });
  assert.deepEqual(model.actionBody('coordinate', { departments: ['metering', 'operations'], due_working_days: '3' }, by), {
    body: { parts: [{ department_id: 'metering', due_working_days: 3 }, { department_id: 'operations', due_working_days: 3 }], by },
  });
  assert.deepEqual(model.actionBody('answer-part', { department_id: 'metering', text: '' }, by), { error: 'form.err.part_text' });
  assert.deepEqual(model.actionBody('return-visit', { comment: '' }, by), { error: 'form.err.satisfaction' });
  assert.deepEqual(model.actionBody('return-visit', { unreachable: true, satisfaction: 'SATISFACTION_SATISFIED' }, by),
    { body: { visit: { by, comment: '', unreachable: true } } });
  assert.deepEqual(model.actionBody('return-visit', { satisfaction: 'SATISFACTION_DISSATISFIED', resolved: false, comment: '还是不对' }, by),
    { body: { visit: { by, comment: '还是不对', satisfaction: 'SATISFACTION_DISSATISFIED', resolved: false } } });
  assert.deepEqual(model.actionBody('assign', { handler_id: '' }, by), { error: 'form.err.handler' });
  assert.deepEqual(model.actionBody('fly', {}, by), { error: 'form.err.unknown_action' });
});

test('request ids: one per click, the same one for a retry of the same payload', () => {
  let n = 0;
  const make = () => `id-${++n}`;
  const first = model.requestIdFor(null, 'k1', make);
  assert.deepEqual(first, { id: 'id-1', key: 'k1' });
  assert.equal(model.requestIdFor(first, 'k1', make), first);           // retry: same id
  assert.deepEqual(model.requestIdFor(first, 'k2', make), { id: 'id-2', key: 'k2' });  // changed form
  assert.deepEqual(model.requestIdFor(null, 'k1', make), { id: 'id-3', key: 'k1' });   // after success
  const id = model.newRequestId((len) => Uint8Array.from({ length: len }, (_, i) => i * 17));
  assert.equal(id, 'desk-00112233445566778899aabbccddeeff');
  assert.equal(model.retryable(0), true);
  assert.equal(model.retryable(503), true);
  assert.equal(model.retryable(429), true);
  assert.equal(model.retryable(412), false);
  assert.equal(model.retryable(400), false);
});

test('apiErrorParts, localized and normaliseCaseId', () => {
  assert.deepEqual(model.apiErrorParts(412, '{"error":{"code":"FAILED_PRECONDITION","message":"case CC-1 is paused"}}'),
    { status: 412, code: 'FAILED_PRECONDITION', message: 'case CC-1 is paused' });
  assert.deepEqual(model.apiErrorParts(502, '<html>Bad gateway</html>'),
    { status: 502, code: 'HTTP_ERROR', message: '<html>Bad gateway</html>' });
  assert.equal(model.localized({ zh_cn: '已答复', en: 'Replied' }, 'en'), 'Replied');
  assert.equal(model.localized({ zh_cn: '已答复', en: '' }, 'en'), '已答复');
  assert.equal(model.localized({ zh_cn: '', en: 'Replied' }, 'zh-CN'), 'Replied');
  assert.equal(model.localized(undefined, 'en'), '');
  assert.equal(model.normaliseCaseId(' cc-gc-20261124-000101 '), 'CC-GC-20261124-000101');
});

test('fieldEstimate: ETA en route, ERT on site, passed only while the crew is still at that stage', () => {
  const at = iso(NOW + 2 * HOUR);
  assert.deepEqual(model.fieldEstimate({ stage: 'FIELD_STAGE_EN_ROUTE', estimate: at }, NOW),
    { key: 'crews.eta', ms: NOW + 2 * HOUR, passed: false });
  assert.deepEqual(model.fieldEstimate({ stage: 'FIELD_STAGE_ON_SITE', estimate: at }, NOW),
    { key: 'crews.ert', ms: NOW + 2 * HOUR, passed: false });
  assert.deepEqual(model.fieldEstimate({ stage: 'FIELD_STAGE_ON_SITE', estimate: at }, NOW + 2 * HOUR),
    { key: 'crews.ert', ms: NOW + 2 * HOUR, passed: true });
  assert.deepEqual(model.fieldEstimate({ stage: 'FIELD_STAGE_EN_ROUTE', estimate: iso(NOW - MIN) }, NOW),
    { key: 'crews.eta', ms: NOW - MIN, passed: true });
  // Another stage with an estimate (not what the service sends today): shown, never "passed".
  assert.deepEqual(model.fieldEstimate({ stage: 'FIELD_STAGE_COMPLETED', estimate: iso(NOW - HOUR) }, NOW),
    { key: 'crews.estimate', ms: NOW - HOUR, passed: false });
  assert.equal(model.fieldEstimate({ stage: 'FIELD_STAGE_ACCEPTED' }, NOW), null);
  assert.equal(model.fieldEstimate({ stage: 'FIELD_STAGE_ON_SITE', estimate: '' }, NOW), null);
  assert.equal(model.fieldEstimate(undefined, NOW), null);
});

test('fieldOutcome: completed says restored or not with the codes; declined gives the reason', () => {
  assert.deepEqual(model.fieldOutcome({ stage: 'FIELD_STAGE_COMPLETED', restored: true,
    cause_code: 'TREE_CONTACT', fix_code: 'FUSE_REPLACED' }),
  { key: 'crews.restored', params: { cause: 'TREE_CONTACT', fix: 'FUSE_REPLACED' } });
  assert.deepEqual(model.fieldOutcome({ stage: 'FIELD_STAGE_COMPLETED', restored: false, cause_code: '', fix_code: '' }),
    { key: 'crews.not_restored', params: { cause: '—', fix: '—' } });
  assert.deepEqual(model.fieldOutcome({ stage: 'FIELD_STAGE_DECLINED', decline_reason: 'crew off shift' }),
    { key: 'crews.declined', params: { reason: 'crew off shift' } });
  assert.deepEqual(model.fieldOutcome({ stage: 'FIELD_STAGE_DECLINED', decline_reason: '' }),
    { key: 'crews.declined', params: { reason: '—' } });
  for (const stage of ['FIELD_STAGE_UNSPECIFIED', 'FIELD_STAGE_ACCEPTED', 'FIELD_STAGE_EN_ROUTE', 'FIELD_STAGE_ON_SITE']) {
    assert.equal(model.fieldOutcome({ stage, restored: true, decline_reason: 'x' }), null, stage);
  }
  assert.equal(model.fieldOutcome(null), null);
});

test('restorationOf: restored at wins over the estimate; an estimate passes once over', () => {
  const etr = iso(NOW + HOUR);
  assert.deepEqual(model.restorationOf({ estimated_restoration_at: etr, restored_at: iso(NOW - MIN) }, NOW),
    { key: 'network.restored_at', ms: NOW - MIN, passed: false });
  assert.deepEqual(model.restorationOf({ estimated_restoration_at: etr }, NOW),
    { key: 'network.etr', ms: NOW + HOUR, passed: false });
  assert.deepEqual(model.restorationOf({ estimated_restoration_at: etr }, NOW + HOUR),
    { key: 'network.etr', ms: NOW + HOUR, passed: true });
  assert.deepEqual(model.restorationOf({}, NOW), { key: 'network.no_etr', ms: null, passed: false });
  assert.deepEqual(model.restorationOf(undefined, NOW), { key: 'network.no_etr', ms: null, passed: false });
});

test('every action has an event type, a label, a submit label and a hint in both languages', () => {
  assert.equal(model.ACTIONS.length, 13);
  for (const action of model.ACTIONS) {
    assert.match(model.ACTION_EVENT[action], /^gridcare\.complaint_case\.[a-z_]+\.v1$/, action);
    for (const lang of ['zh-CN', 'en']) {
      for (const suffix of ['', '.submit', '.hint']) {
        assert.ok(i18n.hasKey(lang, `action.${action}${suffix}`), `${lang} action.${action}${suffix}`);
      }
    }
  }
  // The event types the page waits for are the ones the service emits (case_rules.cpp).
  const rules = readFileSync(path.join(root, 'services/complaint/case_rules.cpp'), 'utf8');
  for (const type of new Set(Object.values(model.ACTION_EVENT))) assert.ok(rules.includes(`"${type}"`), type);
});

test('i18n: both languages have every key; placeholders are filled', () => {
  assert.deepEqual(i18n.missingKeys(), []);
  assert.equal(i18n.t('en', 'clock.overdue', { d: '3 h 1 min' }), 'overdue by 3 h 1 min');
  assert.equal(i18n.t('zh-CN', 'clock.left', { d: '2 天 3 小时' }), '剩余 2 天 3 小时');
  assert.equal(i18n.t('xx', 'app.title'), '投诉工作台');
  assert.equal(i18n.t('en', 'no.such.key'), 'no.such.key');
});

test('i18n covers every enum value the API can send and every error kind', () => {
  const read = (file) => readFileSync(path.join(root, 'proto/gridcare/v1', file), 'utf8');
  const values = (text, name) => [...(new RegExp(`enum ${name} \\{([^}]*)\\}`).exec(text)[1])
    .matchAll(/^\s*([A-Z0-9_]+)\s*=/gm)].map((m) => m[1]);
  const complaint = read('complaint.proto');
  const common = read('common.proto');
  const dispatch = read('dispatch.proto');
  assert.equal(values(complaint, 'FieldStage').length, 6);
  assert.equal(values(dispatch, 'IncidentState').length, 8);
  const keys = [
    ...values(complaint, 'CaseState').map((v) => `state.${model.enumName(v, 'CASE_STATE_')}`),
    ...values(complaint, 'FieldStage').map((v) => `crew.stage.${model.enumName(v, 'FIELD_STAGE_')}`),
    ...values(dispatch, 'IncidentState').map((v) => `incident.state.${model.enumName(v, 'INCIDENT_STATE_')}`),
    ...values(dispatch, 'IncidentLevel').map((v) => `incident.level.${model.enumName(v, 'INCIDENT_LEVEL_')}`),
    ...values(complaint, 'PauseReason').map((v) => `pause.${model.enumName(v, 'PAUSE_REASON_')}`),
    ...values(complaint, 'CaseClosure').map((v) => `closure.${model.enumName(v, 'CASE_CLOSURE_')}`),
    ...values(complaint, 'Satisfaction').map((v) => `satisfaction.${model.enumName(v, 'SATISFACTION_')}`),
    ...values(common, 'RequestType').map((v) => `type.${model.enumName(v, 'REQUEST_TYPE_')}`),
    ...values(common, 'Priority').map((v) => `priority.${model.enumName(v, 'PRIORITY_')}`),
    ...values(common, 'CustomerTag').map((v) => `tag.${model.enumName(v, 'CUSTOMER_TAG_')}`),
    ...values(common.slice(common.indexOf('message ServiceClock')), 'Kind').map((v) => `clock.${model.enumName(v, 'KIND_')}`),
  ];
  // The labels model.js names for the network context (fieldEstimate, fieldOutcome, restorationOf).
  keys.push('crews.eta', 'crews.ert', 'crews.estimate', 'crews.restored', 'crews.not_restored',
    'crews.declined', 'network.restored_at', 'network.etr', 'network.no_etr', 'estimate.passed');
  const kinds = [...readFileSync(path.join(root, 'libs/core/src/error.cpp'), 'utf8').matchAll(/return "([A-Z_]+)";/g)].map((m) => m[1]);
  assert.ok(kinds.length >= 9);
  keys.push(...kinds.map((k) => `errkind.${k}`));
  for (const lang of ['zh-CN', 'en']) {
    for (const key of keys) assert.ok(i18n.hasKey(lang, key), `${lang} ${key}`);
  }
});
