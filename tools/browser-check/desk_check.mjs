#!/usr/bin/env node
// Drives the complaint desk in Debian's headless Chromium (through playwright-core) and checks
// what a department handler relies on.
//
//   node tools/browser-check/desk_check.mjs --url http://127.0.0.1:PORT --case-id CC-GC-…
//        [--act-as HANDLER] [ACTIONS…] [--cause CODE] [--timeout-ms 60000] [--screenshot-dir DIR]
//        [--no-network | --network-unknown | --crew CREW --stage STAGE [--estimate TEXT]]
//
// ACTIONS, done in the order given: --take, --assign HANDLER, --contact-attempt, --contact,
// --pause [waiting|unreachable], --resume, --reply, --return, --coordinate DEPARTMENT,
// --answer-part DEPARTMENT, --escalate, --return-visit satisfied|basically_satisfied|
// dissatisfied|unreachable, --reopen. Actions need --act-as.
// Steps: load the page (zh-CN by default); wait for its first good refresh; switch the language to
// English (the choice survives a reload); choose the acting handler; find the case in the list
// (or, when it is not on the list's first page, open it through the search box) and open it; check
// the case page shows the customer (masked), the linked ticket and the clocks; perform each action
// through its form and wait until the timeline shows exactly one new step of the action's event
// type, in English (a refused action fails the check; an action whose answer was lost — HTTP 5xx or
// no answer — is sent again, and must still add one step only: the page reuses its request id);
// switch back to zh-CN and check the new steps read in Chinese; last, the page must show no
// mobile number, have logged no console error and fetched nothing from another origin.
// The linked incident's network context, checked after the case opens (before any action):
// --no-network: the case shows no network panel and the page never asked for an incident;
// --network-unknown: the panel says the service has no information about the incident yet (its
// 404 is an answer, not an error); --crew CREW --stage STAGE (accepted, declined, en_route,
// on_site, completed or unspecified) [--estimate TEXT]: the panel shows a work order of that crew
// at that stage, whose ETA / ERT cell holds TEXT (Beijing time as the page shows it, e.g. 14:00),
// with the labels of the page's i18n.js in English and in Chinese.
// Exits 0 on success; 1 with the reason on failure (and a screenshot in --screenshot-dir, which
// also gets one on success); 2 on a usage error. Every wait is bounded by --timeout-ms overall.
// Note that actions change the service's state: run it against a test stack.
// Chromium: $CHROMIUM, else `chromium` on PATH (Debian package chromium).
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const NAME = 'desk_check';
const EVENT = {
  take: 'assigned', assign: 'assigned', 'contact-attempt': 'contact_attempted',
  contact: 'customer_contacted', pause: 'paused', resume: 'resumed', reply: 'reply_sent',
  return: 'returned', coordinate: 'coordination_requested', 'answer-part': 'coordination_part_replied',
  escalate: 'escalated', 'return-visit': 'return_visit_recorded', reopen: 'reopened',
};
const eventType = (action) => `gridcare.complaint_case.${EVENT[action]}.v1`;
const VISITS = ['satisfied', 'basically_satisfied', 'dissatisfied', 'unreachable'];

function usage(message) {
  if (message) process.stderr.write(`${NAME}: ${message}\n`);
  const lines = readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\n').slice(1);
  const end = lines.findIndex((l) => !l.startsWith('//'));
  (message ? process.stderr : process.stdout).write(
    `${lines.slice(0, end).map((l) => l.replace(/^\/\/ ?/, '')).join('\n')}\n`);
  process.exit(message ? 2 : 0);
}

const actionOptions = Object.fromEntries(Object.keys(EVENT).map((a) => [a, {
  type: ['assign', 'coordinate', 'answer-part', 'return-visit'].includes(a) ? 'string' : 'boolean',
}]));
let parsed;
try {
  parsed = parseArgs({
    tokens: true,
    allowPositionals: true,
    options: {
      url: { type: 'string' },
      'case-id': { type: 'string' },
      'act-as': { type: 'string' },
      cause: { type: 'string' },
      'no-network': { type: 'boolean', default: false },
      'network-unknown': { type: 'boolean', default: false },
      crew: { type: 'string' },
      stage: { type: 'string' },
      estimate: { type: 'string' },
      'timeout-ms': { type: 'string', default: '60000' },
      'screenshot-dir': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
      ...actionOptions,
    },
  });
} catch (err) {
  usage(err.message);
}
const opts = parsed.values;
if (opts.help) usage();
if (!opts.url) usage('--url is required');
if (!opts['case-id']) usage('--case-id is required');
// `--pause unreachable`: the pause reason arrives as a positional after --pause.
const steps = [];
for (const token of parsed.tokens) {
  if (token.kind === 'option' && token.name in EVENT) steps.push({ action: token.name, value: token.value ?? '' });
  else if (token.kind === 'positional') {
    const last = steps.at(-1);
    if (last?.action === 'pause' && !last.value && ['waiting', 'unreachable'].includes(token.value)) last.value = token.value;
    else usage(`unexpected argument '${token.value}'`);
  }
}
for (const s of steps) {
  if (s.action === 'return-visit' && !VISITS.includes(s.value)) usage(`--return-visit takes one of ${VISITS.join(', ')}`);
  if (s.action === 'pause' && !s.value) s.value = 'waiting';
}
if (steps.length > 0 && !opts['act-as']) usage('actions need --act-as HANDLER');
const STAGES = ['UNSPECIFIED', 'ACCEPTED', 'DECLINED', 'EN_ROUTE', 'ON_SITE', 'COMPLETED'];
const network = { mode: '' };
if ([opts['no-network'], opts['network-unknown'], opts.crew != null].filter(Boolean).length > 1) {
  usage('--no-network, --network-unknown and --crew exclude each other');
}
if (opts['no-network']) network.mode = 'none';
if (opts['network-unknown']) network.mode = 'unknown';
if (opts.crew != null) {
  const stage = String(opts.stage ?? '').toUpperCase().replace(/^FIELD_STAGE_/, '');
  if (!STAGES.includes(stage)) usage(`--crew needs --stage, one of ${STAGES.map((x) => x.toLowerCase()).join(', ')}`);
  Object.assign(network, { mode: 'known', crew: opts.crew, stage, estimate: opts.estimate ?? '' });
} else if (opts.stage != null || opts.estimate != null) {
  usage('--stage and --estimate go with --crew');
}
let baseUrl;
try {
  baseUrl = new URL(opts.url);
} catch {
  usage(`--url '${opts.url}' is not a URL`);
}
const caseId = opts['case-id'].trim().toUpperCase();
const timeoutMs = Number(opts['timeout-ms']);
if (!Number.isFinite(timeoutMs) || timeoutMs < 1000) usage('--timeout-ms must be a number ≥ 1000');

const startedAt = Date.now();
const deadline = startedAt + timeoutMs;
let stepNo = 0;
const say = (text) => process.stdout.write(`${NAME}: [${++stepNo}] ${text}\n`);
const info = (text) => process.stdout.write(`${NAME}:     ${text}\n`);
const budget = (cap = timeoutMs) => Math.max(1000, Math.min(cap, deadline - Date.now()));

class CheckFailure extends Error {}
const fail = (message) => { throw new CheckFailure(message); };

function findChromium() {
  if (process.env.CHROMIUM) {
    if (!existsSync(process.env.CHROMIUM)) fail(`$CHROMIUM=${process.env.CHROMIUM} does not exist`);
    return process.env.CHROMIUM;
  }
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    for (const name of ['chromium', 'chromium-browser']) {
      const candidate = path.join(dir || '.', name);
      try {
        if (statSync(candidate).isFile()) return candidate;
      } catch { /* not here */ }
    }
  }
  return fail('chromium is not installed (Debian package chromium: run deploy/install-deps.sh, ' +
    'or set $CHROMIUM to a Chromium binary)');
}

async function loadPlaywright() {
  try {
    return await import('playwright-core');
  } catch (err) {
    return fail(`cannot load playwright-core (${err.code ?? err.message}): run ` +
      'deploy/install-browser-tools.sh (npm ci in tools/browser-check)');
  }
}

const CJK = /[\u4e00-\u9fff]/;
/** A mainland mobile number not masked (the desk must only show masked ones, e.g. 138****5678). */
const PHONE = /(?<![\d*])1[3-9]\d{9}(?!\d)/;

/** The page and what the check needs around it: waits bounded by the budget, the error area. */
function helpers(page) {
  const byTestId = (id) => page.locator(`[data-testid="${id}"]`);
  const errorText = async () => page.evaluate(() => {
    const box = document.querySelector('[data-testid="desk-error"]');
    if (!box || box.hidden) return '';
    return [...box.querySelectorAll('[data-testid="desk-error-line"]')]
      .map((line) => line.textContent.trim()).join(' | ');
  });
  const waitInPage = async (what, fn, arg, cap) => {
    try {
      const handle = await page.waitForFunction(fn, arg, { timeout: budget(cap), polling: 100 });
      return await handle.jsonValue();
    } catch (err) {
      if (err?.name !== 'TimeoutError') throw err;
      const shown = await errorText().catch(() => '');
      return fail(`timed out waiting for ${what}${shown ? `; the page shows: ${shown}` : ''}`);
    }
  };
  const waitForRefresh = async (after) => waitInPage(`a successful refresh of the API (count > ${after})`,
    (n) => {
      const count = Number(document.querySelector('[data-testid="last-refresh"]')?.dataset.refreshCount ?? 0);
      return count > n ? count : false;
    }, after);
  const refreshCount = async () => Number(await byTestId('last-refresh').getAttribute('data-refresh-count'));
  const stepCount = async (type) => page.locator(`[data-testid="timeline-step"][data-event-type="${type}"]`).count();
  return { byTestId, errorText, waitInPage, waitForRefresh, refreshCount, stepCount };
}

async function checkLanguages(page, h) {
  say('waiting for the first refresh (server time, directory, causes, cases)');
  await h.waitForRefresh(0);
  const lang = await page.getAttribute('html', 'lang');
  if (lang !== 'zh-CN') fail(`a fresh browser should get the zh-CN page, got lang=${lang}`);
  const heading = (await h.byTestId('desk-title').innerText()).trim();
  if (!CJK.test(heading)) fail(`the title '${heading}' is not Chinese`);
  const rows = await page.locator('[data-testid="case-row"]').count();
  info(`refreshed; language ${lang}; ${rows} case row(s); ${await h.byTestId('last-refresh').innerText()}`);

  say('switching the language to English');
  await h.byTestId('lang-toggle').click();
  const en = await h.waitInPage('English labels', (zh) => {
    const text = document.querySelector('[data-testid="desk-title"]')?.textContent ?? '';
    return document.documentElement.lang === 'en' && text !== zh && !/[\u4e00-\u9fff]/.test(text) ? text : false;
  }, heading);
  info(`'${heading}' became '${en}'`);
  await page.reload({ waitUntil: 'domcontentloaded', timeout: budget(20000) });
  await h.waitForRefresh(0);
  if ((await page.getAttribute('html', 'lang')) !== 'en') fail('the language choice was not remembered across a reload');
  info('English survived a reload (localStorage)');
  return heading;
}

async function chooseHandler(page, h) {
  const handler = opts['act-as'];
  say(`acting as handler ${handler}`);
  const select = h.byTestId('act-as');
  const values = await select.locator('option').evaluateAll((nodes) => nodes.map((o) => o.value));
  if (!values.includes(handler)) {
    fail(`the acting-handler select offers no '${handler}' (it has ${values.filter(Boolean).join(', ') || 'none'})`);
  }
  await select.selectOption(handler);
  await h.waitInPage(`the page to act as ${handler}`,
    (id) => document.querySelector('[data-testid="act-as"]')?.dataset.handlerId === id, handler);
}

async function openCase(page, h) {
  say(`finding case ${caseId}`);
  const row = page.locator(`[data-testid="case-row"][data-case-id="${caseId}"]`);
  if (await row.count() > 0) {
    info(`on the list: urgency ${await row.getAttribute('data-urgency')}, state ${await row.getAttribute('data-state')}`);
    await row.locator('[data-testid="case-link"]').click();
  } else {
    info('not on the list\'s first page: opening it through the search box');
    await h.byTestId('case-search').fill(caseId);
    await h.byTestId('case-search-go').click();
  }
  await h.waitInPage(`case ${caseId} to load`, (id) => {
    const view = document.querySelector('[data-testid="case-view"]');
    if (!view || view.hidden || view.dataset.caseId !== id) return false;
    const loading = document.querySelector('[data-testid="case-loading"]');
    if (!loading.hidden && /no case|找不到/i.test(loading.textContent)) return { missing: loading.textContent };
    return view.dataset.state ? { state: view.dataset.state } : false;
  }, caseId).then((r) => { if (r.missing) fail(`the page says: ${r.missing.trim()}`); });
  const facts = await page.evaluate(() => {
    const text = (id) => document.querySelector(`[data-testid="${id}"]`)?.textContent.trim() ?? '';
    return {
      state: document.querySelector('[data-testid="case-view"]').dataset.state,
      customer: text('case-customer'), ticket: text('case-ticket'), incident: text('case-incident'),
      supply: text('case-supply'), clocks: document.querySelectorAll('[data-testid="case-clock"]').length,
      steps: document.querySelectorAll('[data-testid="timeline-step"]').length,
    };
  });
  if (!facts.customer) fail('the case page shows no customer');
  if (!facts.ticket || facts.ticket === '—') fail('the case page shows no linked ticket');
  info(`state ${facts.state}; customer '${facts.customer}'; ticket ${facts.ticket}; incident ${facts.incident}` +
    ` (${facts.supply}); ${facts.clocks} clock(s); ${facts.steps} timeline step(s)`);
}

/** A label of the page's own i18n.js (the one the service serves), in `lang`. */
async function label(page, lang, key, params = {}) {
  return page.evaluate(async ([l, k, p]) => (await import(new URL('i18n.js', document.baseURI).href)).t(l, k, p),
    [lang, key, params]);
}

/** The network panel as the page shows it now. */
async function networkView(page, crew) {
  return page.evaluate((crewId) => {
    const q = (id) => document.querySelector(`[data-testid="${id}"]`);
    const text = (id) => q(id)?.textContent.trim() ?? '';
    const panel = q('network-panel');
    const row = [...document.querySelectorAll('[data-testid="crew-row"]')].find((r) => r.dataset.crewId === crewId);
    const cell = (id) => row?.querySelector(`[data-testid="${id}"]`)?.textContent.trim() ?? '';
    return {
      hidden: panel.hidden, status: panel.dataset.status ?? '', incident: panel.dataset.incidentId ?? '',
      caseIncident: text('case-incident'), note: text('network-status'), shownIncident: text('network-incident'),
      state: text('network-state'), restoration: text('network-restoration'),
      rows: document.querySelectorAll('[data-testid="crew-row"]').length,
      row: row ? { stage: row.dataset.stage, stageText: cell('crew-stage'), estimate: cell('crew-estimate'),
        workOrder: row.dataset.workOrderId } : null,
    };
  }, crew ?? '');
}

/** Checks the crew's row in the current language `lang`; returns what it shows. */
async function checkCrewRow(page, h, lang) {
  const want = `FIELD_STAGE_${network.stage}`;
  const view = await h.waitInPage(`a work order of crew ${network.crew} at ${want} (${lang})`, ([crew, stage, l]) => {
    if (document.documentElement.lang !== l) return false;
    const panel = document.querySelector('[data-testid="network-panel"]');
    if (!panel || panel.hidden || panel.dataset.status !== 'known') return false;
    const row = [...document.querySelectorAll('[data-testid="crew-row"]')].find((r) => r.dataset.crewId === crew);
    return row?.dataset.stage === stage;
  }, [network.crew, want, lang]).catch(async (err) => {
    const now = await networkView(page, network.crew);
    fail(`${err.message}: ${now.row ? `the crew's work order ${now.row.workOrder} is at ${now.row.stage}`
      : `the panel (${now.status || 'hidden'}) has ${now.rows} work order(s), none of crew ${network.crew}`}`);
  }).then(() => networkView(page, network.crew));
  const stageText = await label(page, lang, `crew.stage.${network.stage}`);
  if (view.row.stageText !== stageText) fail(`crew ${network.crew}'s stage reads '${view.row.stageText}' in ${lang}, want '${stageText}'`);
  if (network.estimate && !view.row.estimate.includes(network.estimate)) {
    fail(`crew ${network.crew}'s estimate reads '${view.row.estimate}' in ${lang}, want it to show ${network.estimate}`);
  }
  const cjk = CJK.test(`${view.row.stageText}${view.row.estimate}${view.state}`);
  if (cjk !== (lang === 'zh-CN')) fail(`the network panel reads '${view.state}', '${view.row.stageText}', '${view.row.estimate}' in ${lang}`);
  info(`${lang}: incident ${view.shownIncident} '${view.state}', restoration '${view.restoration}'; ` +
    `${view.row.workOrder}: ${network.crew} '${view.row.stageText}', '${view.row.estimate}'`);
}

/** The linked incident's network context (--no-network, --network-unknown, --crew). */
async function checkNetwork(page, h, incidentRequests) {
  if (network.mode === 'none') {
    say('the case has no incident: no network panel, no incident fetched');
    await h.waitForRefresh(await h.refreshCount());
    const view = await networkView(page);
    if (!view.hidden) fail(`the case shows a network panel (incident '${view.incident}')`);
    if (incidentRequests.length > 0) fail(`the page asked for an incident anyway: ${incidentRequests.join(', ')}`);
    return;
  }
  say(`the linked incident's network context (${network.mode === 'unknown' ? 'not known to the service'
    : `crew ${network.crew} ${network.stage.toLowerCase()}${network.estimate ? ` ${network.estimate}` : ''}`})`);
  const status = await h.waitInPage('the network panel to load', () => {
    const panel = document.querySelector('[data-testid="network-panel"]');
    return panel && !panel.hidden && ['known', 'unknown'].includes(panel.dataset.status) ? panel.dataset.status : false;
  });
  const view = await networkView(page);
  if (view.incident !== view.caseIncident) fail(`the network panel is about '${view.incident}', the case's incident is '${view.caseIncident}'`);
  if (network.mode === 'unknown') {
    if (status !== 'unknown') fail(`the service knows incident ${view.incident} (${view.rows} work order(s)); want "no information yet"`);
    const want = await label(page, 'en', 'network.unknown');
    if (view.note !== want) fail(`the network panel says '${view.note}', want '${want}'`);
    info(`incident ${view.incident}: '${view.note}'`);
    return;
  }
  if (status !== 'known') fail(`the panel says '${view.note}': the service has no context for incident ${view.incident}`);
  await checkCrewRow(page, h, 'en');
  await h.byTestId('lang-toggle').click();
  await checkCrewRow(page, h, 'zh-CN');
  await h.byTestId('lang-toggle').click();
  await h.waitInPage('English labels again', () => document.documentElement.lang === 'en');
}

/** Fills the action's form the way a handler would. */
async function fillForm(form, { action, value }) {
  const field = (name) => form.locator(`[data-testid="field-${name}"]`);
  const firstOption = async (name) => {
    const values = await field(name).locator('option').evaluateAll((nodes) => nodes.map((o) => o.value).filter(Boolean));
    if (values.length === 0) fail(`the ${action} form offers no ${name}`);
    return values[0];
  };
  switch (action) {
    case 'assign':
      await field('handler_id').selectOption(value);
      break;
    case 'contact-attempt':
      await field('note').fill('browser check: no answer');
      break;
    case 'contact':
      await field('summary').fill('browser check: the customer was reached');
      break;
    case 'pause':
      await field('reason').selectOption(value === 'unreachable' ? 'PAUSE_REASON_CUSTOMER_UNREACHABLE'
        : 'PAUSE_REASON_WAITING_ON_CUSTOMER');
      await field('note').fill('browser check');
      break;
    case 'reply': {
      const cause = opts.cause ?? await firstOption('cause_code');
      await field('cause_code').selectOption(cause);
      await field('corrective_action').fill('browser check: corrective action');
      await field('text_zh').fill('浏览器检查：已处理您的诉求。');
      await field('text_en').fill('Browser check: your request was handled.');
      break;
    }
    case 'return':
    case 'escalate':
    case 'reopen':
      await field('reason').fill(`browser check: ${action}`);
      break;
    case 'coordinate':
      await form.locator(`[data-testid="field-departments"][data-value="${value}"]`).check();
      break;
    case 'answer-part':
      await field('department_id').selectOption(value);
      await field('text').fill('browser check: our part');
      break;
    case 'return-visit':
      if (value === 'unreachable') {
        await field('unreachable').check();
      } else {
        await field('satisfaction').selectOption(`SATISFACTION_${value.toUpperCase()}`);
        if (value !== 'dissatisfied') await field('resolved').check();
      }
      await field('comment').fill('browser check');
      break;
    default:
      break;
  }
}

/** Presses submit and waits for the outcome: {ok} (one more step of the type) or {error}. */
async function submitOnce(page, h, panel, type, before) {
  await panel.locator('[data-testid="action-submit"]').click();
  return h.waitInPage(`the answer to the action (a new ${type} step or an error)`, ({ t, n }) => {
    const box = document.querySelector('[data-testid="desk-error"]');
    const lines = box && !box.hidden
      ? [...box.querySelectorAll('[data-testid="desk-error-line"]')].map((l) => l.textContent.trim()) : [];
    if (lines.length > 0) return { error: lines.join(' | ') };
    const count = document.querySelectorAll(`[data-testid="timeline-step"][data-event-type="${t}"]`).length;
    return count > n ? { ok: count } : false;
  }, { t: type, n: before });
}

/** A lost answer (the page offers to send it again with the same request id). */
const LOST = /HTTP (5\d\d|429)|timed out|Cannot reach/;

async function perform(page, h, s, counts) {
  const type = eventType(s.action);
  say(`${s.action}${s.value ? ` ${s.value}` : ''}: expecting one new ${EVENT[s.action]} step`);
  const panel = page.locator(`[data-testid="action-panel"][data-action="${s.action}"]`);
  await h.waitInPage(`the page to offer '${s.action}'`, (a) =>
    Boolean(document.querySelector(`[data-testid="action-panel"][data-action="${a}"]`)), s.action, 10000)
    .catch(async (err) => {
      const offered = await page.locator('[data-testid="action-panel"]').evaluateAll((n) => n.map((p) => p.dataset.action));
      const stateNow = await h.byTestId('case-view').getAttribute('data-state');
      fail(`${err.message}: in state ${stateNow} it offers ${offered.join(', ') || 'nothing'}`);
    });
  if (!(await panel.evaluate((d) => d.open))) await panel.locator('[data-testid="action-open"]').click();
  const before = await h.stepCount(type);
  await fillForm(panel.locator('[data-testid="action-form"]'), s);
  let outcome = await submitOnce(page, h, panel, type, before);
  for (let retry = 1; outcome.error && LOST.test(outcome.error) && retry <= 2; retry += 1) {
    counts.lostAnswers += 1;
    await h.byTestId('desk-error-dismiss').click();
    // The next refresh tells whether the service had applied it (the form is gone then).
    await h.waitForRefresh(await h.refreshCount());
    if (await h.stepCount(type) > before) {
      info(`the answer was lost (${outcome.error}); the refreshed case shows it was applied`);
      outcome = { ok: await h.stepCount(type) };
      break;
    }
    info(`the answer was lost (${outcome.error}); sending again`);
    outcome = await submitOnce(page, h, panel, type, before);
  }
  if (outcome.error) fail(`${s.action} was refused: ${outcome.error}`);
  // The next refresh is the service's view: still exactly one new step.
  await h.waitForRefresh(await h.refreshCount());
  const after = await h.stepCount(type);
  if (after !== before + 1) fail(`${s.action}: the timeline has ${after - before} new ${EVENT[s.action]} step(s), want exactly 1`);
  const text = (await page.locator(`[data-testid="timeline-step"][data-event-type="${type}"] [data-testid="timeline-text"]`).first().innerText()).trim();
  if (!text || CJK.test(text)) fail(`${s.action}: the new step reads '${text}', want English text`);
  const stateNow = await h.byTestId('case-view').getAttribute('data-state');
  info(`timeline: '${text}'; case now ${stateNow}`);
  counts.added.push(type);
}

async function checkChinese(page, h, zhTitle, counts) {
  say('switching back to zh-CN: the new steps read in Chinese');
  await h.byTestId('lang-toggle').click();
  await h.waitInPage('Chinese labels again', (zh) => document.documentElement.lang === 'zh-CN' &&
    document.querySelector('[data-testid="desk-title"]')?.textContent === zh, zhTitle);
  for (const type of new Set(counts.added)) {
    const text = (await page.locator(`[data-testid="timeline-step"][data-event-type="${type}"] [data-testid="timeline-text"]`).first().innerText()).trim();
    if (!CJK.test(text)) fail(`the ${type} step reads '${text}' in zh-CN`);
    info(`${type.replace('gridcare.complaint_case.', '').replace('.v1', '')}: '${text}'`);
  }
}

async function main() {
  const executablePath = findChromium();
  const { chromium } = await loadPlaywright();
  say(`launching ${executablePath} (headless)`);
  const browser = await chromium.launch({
    executablePath, headless: true, args: ['--headless', '--no-sandbox', '--disable-gpu'], timeout: budget(30000),
  });
  const consoleErrors = [];
  const foreignRequests = [];
  const incidentRequests = [];
  const counts = { added: [], lostAnswers: 0 };
  let page;
  try {
    info(`chromium ${browser.version()}`);
    const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
    page = await context.newPage();
    page.setDefaultTimeout(budget(15000));
    page.on('console', (msg) => {
      if (msg.type() === 'error') consoleErrors.push({ text: msg.text(), url: msg.location()?.url ?? '' });
    });
    page.on('pageerror', (err) => consoleErrors.push({ text: `uncaught: ${err.message}`, url: '' }));
    page.on('request', (request) => {
      const u = request.url();
      if (u.startsWith('data:') || u.startsWith('blob:')) return;
      if (/\/api\/incidents\//.test(u)) incidentRequests.push(u);
      try {
        if (new URL(u).origin !== baseUrl.origin) foreignRequests.push(u);
      } catch {
        foreignRequests.push(u);
      }
    });
    const h = helpers(page);

    say(`loading ${baseUrl.href}`);
    const response = await page.goto(baseUrl.href, { waitUntil: 'domcontentloaded', timeout: budget(20000) });
    if (!response || !response.ok()) fail(`GET ${baseUrl.href} answered ${response ? response.status() : 'nothing'}`);
    const contentType = response.headers()['content-type'] ?? '';
    if (!/text\/html/.test(contentType) || !/charset=utf-8/i.test(contentType)) {
      fail(`the page's content type is '${contentType}', want text/html; charset=utf-8`);
    }
    const zhTitle = await checkLanguages(page, h);
    if (opts['act-as']) await chooseHandler(page, h);
    await openCase(page, h);
    if (network.mode) await checkNetwork(page, h, incidentRequests);
    for (const s of steps) await perform(page, h, s, counts);
    if (counts.added.length > 0) await checkChinese(page, h, zhTitle, counts);

    say('checking the page text, the console log and the requests');
    const body = await page.evaluate(() => document.body.innerText);
    const phone = PHONE.exec(body);
    if (phone) fail(`the page shows an unmasked mobile number: ${phone[0]}`);
    const shown = await h.errorText();
    if (shown) fail(`the page shows an error: ${shown}`);
    // A lost answer logs one failed request each; an incident the service does not know yet
    // answers 404 (the page says so in the panel); nothing else may.
    let expected = counts.lostAnswers;
    const unexpected = consoleErrors.filter((e) => {
      if (/Failed to load resource: .*status of 404/.test(e.text) && /\/api\/incidents\/[^/]+$/.test(e.url)) return false;
      if (expected > 0 && /Failed to load resource/.test(e.text) && /\/api\/cases\/[^/]+\/[^/]+$/.test(e.url)) {
        expected -= 1;
        return false;
      }
      return true;
    });
    if (unexpected.length > 0) {
      fail(`the page logged ${unexpected.length} console error(s): ${unexpected.map((e) => `${e.text}${e.url ? ` (${e.url})` : ''}`).join(' | ')}`);
    }
    if (foreignRequests.length > 0) fail(`the page fetched from other origins: ${foreignRequests.join(', ')}`);
    info(`no unmasked mobile number, no console errors${counts.lostAnswers ? ` (besides ${counts.lostAnswers} lost answer(s))` : ''}, ` +
      'nothing fetched from another origin');
    await screenshot(page, 'desk-check-ok');
  } catch (err) {
    if (page) await screenshot(page, 'desk-check-failure');
    throw err;
  } finally {
    await browser.close().catch(() => {});
  }
}

async function screenshot(page, name) {
  if (!opts['screenshot-dir']) return;
  try {
    mkdirSync(opts['screenshot-dir'], { recursive: true });
    const file = path.join(opts['screenshot-dir'], `${name}.png`);
    await page.screenshot({ path: file, fullPage: true, timeout: 10000 });
    info(`screenshot: ${file}`);
  } catch (err) {
    info(`no screenshot (${err.message.split('\n')[0]})`);
  }
}

// A last guard: whatever hangs (a browser that never starts), the check ends.
const watchdog = setTimeout(() => {
  process.stdout.write(`${NAME}: FAIL: gave up after ${timeoutMs + 20000} ms (the overall timeout plus 20 s)\n`);
  process.exit(1);
}, timeoutMs + 20000);

try {
  await main();
  clearTimeout(watchdog);
  process.stdout.write(`${NAME}: PASS (${((Date.now() - startedAt) / 1000).toFixed(1)} s)\n`);
  process.exit(0);
} catch (err) {
  clearTimeout(watchdog);
  const reason = err instanceof CheckFailure ? err.message
    : String(err?.message ?? err).replace(/\x1b\[[0-9;]*m/g, '').trim();
  process.stdout.write(`${NAME}: FAIL: ${reason}\n`);
  process.exit(1);
}
