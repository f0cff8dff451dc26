#!/usr/bin/env node
// Drives the dispatch web console in Debian's headless Chromium (through playwright-core) and
// checks what a dispatcher relies on.
//
//   node tools/browser-check/console_check.mjs --url http://127.0.0.1:PORT [--timeout-ms 60000]
//        [--expect-incident] [--assign] [--expect-appointment] [--move [--move-start LOCAL]
//        [--move-crew ID] [--expect-move-error REGEX]] [--screenshot-dir DIR] [--dispatcher-id ID]
//
// Steps: load the page; wait for its first good refresh of the API; with --expect-incident wait
// until at least one incident row shows; switch the language to English and back (labels
// change, the choice survives a reload); with --assign pick a QUEUED or ASSIGNED fault-repair
// work order, choose another crew in its select, press assign and wait until the row shows the
// new crew or a changed state (a crew the API refuses with 412 is skipped for the next one, up
// to 3); with --expect-appointment wait for a row of appointment work, check it shows its visit,
// booked time and stage, and that the filter (All / Faults / Appointments) shows only that work
// and its counts add up; with --move open the move dialog of a visit not under way (the booked
// one first), check that an empty reason is refused in the dialog, then move it to --move-start
// (Beijing datetime-local "2026-11-25T10:00"; default: the booked start one day later, or
// tomorrow 10:00 when unbooked) with --move-crew (default: keep the crew) and wait until the row
// shows the new start and one more booking; with --expect-move-error the move must instead be
// refused with a message matching REGEX shown in the dialog, the row unchanged; last, the page
// must have logged no console error and fetched nothing from another origin.
// Exits 0 on success; 1 with the reason on failure (and a screenshot in --screenshot-dir, which
// also gets one on success); 2 on a usage error. Every wait is bounded by --timeout-ms overall.
// Chromium: $CHROMIUM, else `chromium` on PATH (Debian package chromium).
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const NAME = 'console_check';

function usage(message) {
  if (message) process.stderr.write(`${NAME}: ${message}\n`);
  const lines = readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\n').slice(1);
  const end = lines.findIndex((l) => !l.startsWith('//'));
  (message ? process.stderr : process.stdout).write(
    `${lines.slice(0, end).map((l) => l.replace(/^\/\/ ?/, '')).join('\n')}\n`);
  process.exit(message ? 2 : 0);
}

let opts;
try {
  ({ values: opts } = parseArgs({
    options: {
      url: { type: 'string' },
      'timeout-ms': { type: 'string', default: '60000' },
      'expect-incident': { type: 'boolean', default: false },
      assign: { type: 'boolean', default: false },
      'expect-appointment': { type: 'boolean', default: false },
      move: { type: 'boolean', default: false },
      'move-start': { type: 'string' },
      'move-crew': { type: 'string', default: '' },
      'expect-move-error': { type: 'string' },
      'screenshot-dir': { type: 'string' },
      'dispatcher-id': { type: 'string', default: 'DSP-BROWSER-CHECK' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  }));
} catch (err) {
  usage(err.message);
}
if (opts.help) usage();
if (!opts.url) usage('--url is required');
let baseUrl;
try {
  baseUrl = new URL(opts.url);
} catch {
  usage(`--url '${opts.url}' is not a URL`);
}
if (opts['move-start'] && !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(opts['move-start'])) {
  usage(`--move-start '${opts['move-start']}' is not a datetime-local value such as 2026-11-25T10:00`);
}
let moveErrorPattern = null;
if (opts['expect-move-error'] != null) {
  if (!opts.move) usage('--expect-move-error needs --move');
  try {
    moveErrorPattern = new RegExp(opts['expect-move-error']);
  } catch (err) {
    usage(`--expect-move-error: ${err.message}`);
  }
}
const timeoutMs = Number(opts['timeout-ms']);
if (!Number.isFinite(timeoutMs) || timeoutMs < 1000) usage('--timeout-ms must be a number ≥ 1000');

const startedAt = Date.now();
const deadline = startedAt + timeoutMs;
let stepNo = 0;
const step = (text) => process.stdout.write(`${NAME}: [${++stepNo}] ${text}\n`);
const info = (text) => process.stdout.write(`${NAME}:     ${text}\n`);
/** Time left for one wait: the rest of the overall budget, at most `cap`, at least 1 s. */
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

async function main() {
  const executablePath = findChromium();
  const { chromium } = await loadPlaywright();
  step(`launching ${executablePath} (headless)`);
  const browser = await chromium.launch({
    executablePath,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu'],
    timeout: budget(30000),
  });
  const consoleErrors = [];
  const foreignRequests = [];
  let allowedAssignErrors = 0;
  let allowedMoveErrors = 0;
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
      try {
        if (new URL(u).origin !== baseUrl.origin) foreignRequests.push(u);
      } catch {
        foreignRequests.push(u);
      }
    });
    const byTestId = (id) => page.locator(`[data-testid="${id}"]`);
    /** The messages in the page's error area, '' when it is hidden. */
    const errorText = async () => page.evaluate(() => {
      const box = document.querySelector('[data-testid="console-error"]');
      if (!box || box.hidden) return '';
      return [...box.querySelectorAll('[data-testid="console-error-line"]')]
        .map((line) => line.textContent.trim()).join(' | ');
    });

    /** Waits until `fn(arg)` in the page returns a truthy value; fails with `what` on timeout. */
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

    const waitForRefresh = async (after) => waitInPage(
      `a successful refresh of the API (count > ${after})`,
      (n) => {
        const node = document.querySelector('[data-testid="last-refresh"]');
        const count = Number(node?.dataset.refreshCount ?? 0);
        return count > n ? count : false;
      }, after);

    step(`loading ${baseUrl.href}`);
    const response = await page.goto(baseUrl.href, { waitUntil: 'domcontentloaded', timeout: budget(20000) });
    if (!response || !response.ok()) fail(`GET ${baseUrl.href} answered ${response ? response.status() : 'nothing'}`);
    const contentType = response.headers()['content-type'] ?? '';
    if (!/text\/html/.test(contentType) || !/charset=utf-8/i.test(contentType)) {
      fail(`the page's content type is '${contentType}', want text/html; charset=utf-8`);
    }

    step('waiting for the first refresh of incidents, work orders, crews and server time');
    await waitForRefresh(0);
    const lang = await page.getAttribute('html', 'lang');
    if (lang !== 'zh-CN') fail(`a fresh browser should get the zh-CN page, got lang=${lang}`);
    const heading = (await byTestId('incidents-heading').innerText()).trim();
    if (!CJK.test(heading)) fail(`the incidents heading '${heading}' is not Chinese`);
    info(`refreshed; language ${lang}; ${await page.locator('[data-testid="last-refresh"]').innerText()}`);

    if (opts['expect-incident']) {
      step('waiting for at least one incident row');
      const count = await waitInPage('an incident row',
        () => document.querySelectorAll('[data-testid="incident-row"]').length || false);
      const first = page.locator('[data-testid="incident-row"]').first();
      const overdue = await page.locator('[data-testid="incident-row"][data-overdue="true"]').count();
      info(`${count} incident row(s), first ${await first.getAttribute('data-incident-id')}, ${overdue} overdue`);
      const mapped = await page.locator('[data-testid="map-incident"]').count();
      info(`${mapped} incident(s) on the map`);
    }

    step('switching the language to English and back');
    await byTestId('lang-toggle').click();
    const enHeading = await waitInPage('English labels',
      (zh) => {
        const text = document.querySelector('[data-testid="incidents-heading"]')?.textContent ?? '';
        return document.documentElement.lang === 'en' && text !== zh && !/[\u4e00-\u9fff]/.test(text) ? text : false;
      }, heading);
    info(`'${heading}' became '${enHeading}'`);
    const filterLabel = (await byTestId('work-filter-appointment-label').innerText()).trim();
    if (CJK.test(filterLabel)) fail(`the work filter's label '${filterLabel}' is not English`);
    await page.reload({ waitUntil: 'domcontentloaded', timeout: budget(20000) });
    await waitForRefresh(0);
    if ((await page.getAttribute('html', 'lang')) !== 'en') fail('the language choice was not remembered across a reload');
    info('English survived a reload (localStorage)');
    await byTestId('lang-toggle').click();
    await waitInPage('Chinese labels again', (zh) =>
      document.documentElement.lang === 'zh-CN' &&
      document.querySelector('[data-testid="incidents-heading"]')?.textContent === zh, heading);
    info('back to zh-CN');

    if (opts.assign) {
      step('assigning a QUEUED or ASSIGNED work order to another crew');
      const dispatcher = byTestId('dispatcher-id');
      if (!(await dispatcher.inputValue()).trim()) await dispatcher.fill(opts['dispatcher-id']);
      const assignable = '[data-testid="work-order-row"][data-work="repair"][data-state="WORK_ORDER_STATE_QUEUED"], ' +
        '[data-testid="work-order-row"][data-work="repair"][data-state="WORK_ORDER_STATE_ASSIGNED"]';
      await waitInPage('a fault-repair work order in state QUEUED or ASSIGNED',
        (selector) => (document.querySelector(selector) ? true : false), assignable);
      const row = page.locator(assignable).first();
      const woId = await row.getAttribute('data-work-order-id');
      const rowById = page.locator(`[data-testid="work-order-row"][data-work-order-id="${woId}"]`);
      const fromState = await rowById.getAttribute('data-state');
      const fromCrew = (await rowById.getAttribute('data-crew-id')) ?? '';
      info(`work order ${woId}: ${fromState}, crew '${fromCrew || 'none'}'`);
      const options = await rowById.locator('[data-testid="assign-crew-select"] option').evaluateAll(
        (nodes) => nodes.map((o) => ({ value: o.value, disabled: o.disabled, status: o.dataset.status ?? '' })));
      const usable = options.filter((o) => o.value && o.value !== fromCrew && !o.disabled);
      const rank = (o) => (o.status === 'off_shift' || o.status === 'unreachable' ? 1 : 0);
      const candidates = usable.sort((a, b) => rank(a) - rank(b)).slice(0, 3);
      if (candidates.length === 0) fail(`the assign select of ${woId} offers no crew other than '${fromCrew}'`);
      let assigned = null;
      for (const candidate of candidates) {
        info(`choosing ${candidate.value} (${candidate.status}) and pressing assign`);
        await rowById.locator('[data-testid="assign-crew-select"]').selectOption(candidate.value);
        await rowById.locator('[data-testid="assign-button"]').click();
        const outcome = await waitInPage(`work order ${woId} to show crew ${candidate.value} or a new state`,
          ({ id, crew, state }) => {
            const r = document.querySelector(`[data-testid="work-order-row"][data-work-order-id="${id}"]`);
            const box = document.querySelector('[data-testid="console-error"]');
            const lines = box && !box.hidden
              ? [...box.querySelectorAll('[data-testid="console-error-line"]')].map((l) => l.textContent.trim()) : [];
            if (lines.length > 0) return { error: lines.join(' | ') };
            if (!r) return { error: `row ${id} vanished` };
            const shownCrew = r.querySelector('[data-testid="work-order-crew"]')?.textContent.trim();
            if (r.dataset.crewId === crew && shownCrew === crew) return { crew, state: r.dataset.state };
            if (r.dataset.state !== state) return { crew: r.dataset.crewId, state: r.dataset.state };
            return false;
          }, { id: woId, crew: candidate.value, state: fromState });
        if (!outcome.error) {
          assigned = outcome;
          break;
        }
        if (/\b412\b|FAILED_PRECONDITION/.test(outcome.error) && candidate !== candidates.at(-1)) {
          info(`refused: ${outcome.error}; trying the next crew`);
          allowedAssignErrors += 1;
          await byTestId('console-error-dismiss').click();
          continue;
        }
        fail(`assigning ${woId} to ${candidate.value} failed: ${outcome.error}`);
      }
      info(`${woId} now: crew ${assigned.crew || 'none'}, state ${assigned.state}`);
      const status = (await byTestId('console-status').innerText()).trim();
      if (status) info(`page says: ${status}`);
      // The list must stay right after the next poll too (the server's answer, not only ours).
      const count = Number(await byTestId('last-refresh').getAttribute('data-refresh-count'));
      await waitForRefresh(count);
      const crewAfter = await rowById.getAttribute('data-crew-id');
      const stateAfter = await rowById.getAttribute('data-state');
      if (crewAfter !== assigned.crew && stateAfter === fromState) {
        fail(`after a refresh ${woId} shows crew '${crewAfter}' in ${stateAfter} again`);
      }
      info(`after the next refresh: crew ${crewAfter}, state ${stateAfter}`);
    }

    if (opts['expect-appointment']) await checkAppointments(page, byTestId, waitInPage);
    if (opts.move) allowedMoveErrors = await moveVisit(page, byTestId, waitInPage, waitForRefresh);

    step('checking the console log and the requests');
    const shown = await errorText();
    if (shown) fail(`the page shows an error: ${shown}`);
    let expected = allowedAssignErrors;
    let expectedMove = allowedMoveErrors;
    const unexpected = consoleErrors.filter((e) => {
      if (expected > 0 && /Failed to load resource/.test(e.text) && e.url.endsWith('/api/v1/work-orders/assign')) {
        expected -= 1;
        return false;
      }
      if (expectedMove > 0 && /Failed to load resource/.test(e.text) &&
          e.url.endsWith('/api/v1/work-orders/move-appointment')) {
        expectedMove -= 1;
        return false;
      }
      return true;
    });
    if (unexpected.length > 0) {
      fail(`the page logged ${unexpected.length} console error(s): ${unexpected.map((e) => `${e.text}${e.url ? ` (${e.url})` : ''}`).join(' | ')}`);
    }
    if (foreignRequests.length > 0) fail(`the page fetched from other origins: ${foreignRequests.join(', ')}`);
    const ignored = consoleErrors.length - unexpected.length;
    info(`no console errors${ignored ? ` (besides ${ignored} for the refused action(s))` : ''}, ` +
      'nothing fetched from another origin');
    await screenshot(page, 'console-check-ok');
  } catch (err) {
    if (page) await screenshot(page, 'console-check-failure');
    throw err;
  } finally {
    await browser.close().catch(() => {});
  }
}

const ROW = '[data-testid="work-order-row"]';

/** Chooses a work filter ("all", "repair", "appointment") and waits until the rows match it. */
async function chooseFilter(page, byTestId, waitInPage, filter) {
  await byTestId(`work-filter-${filter}`).check();
  return waitInPage(`the work-order list filtered to ${filter}`, ({ row, want }) => {
    const rows = [...document.querySelectorAll(row)];
    const works = rows.map((r) => r.dataset.work);
    const ok = want === 'all' || works.every((w) => w === want);
    return ok ? { rows: rows.length, works } : false;
  }, { row: ROW, want: filter });
}

async function checkAppointments(page, byTestId, waitInPage) {
  step('checking appointment work and the work filter');
  await chooseFilter(page, byTestId, waitInPage, 'all');
  await waitInPage('a row of appointment work', (row) =>
    document.querySelector(`${row}[data-work="appointment"]`) ? true : false, ROW);
  const all = await chooseFilter(page, byTestId, waitInPage, 'all');
  const rows = await page.locator(`${ROW}[data-work="appointment"]`).evaluateAll((nodes) => nodes.map((r) => ({
    id: r.dataset.workOrderId,
    visit: r.querySelector('[data-testid="appointment-visit"]')?.textContent.trim() ?? '',
    time: r.querySelector('[data-testid="appointment-time"]')?.textContent.trim() ?? '',
    stage: r.querySelector('[data-testid="appointment-stage"]')?.textContent.trim() ?? '',
    kind: r.querySelector('[data-testid="work-order-kind"]')?.textContent.trim() ?? '',
    crew: r.querySelector('[data-testid="work-order-crew"]')?.textContent.trim() ?? '',
    badges: [...r.querySelectorAll('[data-testid="appointment-badge"]')].map((b) => b.dataset.badge),
  })));
  for (const r of rows) {
    info(`${r.id}: ${r.kind} · ${r.visit} · ${r.time} · ${r.crew} · ${r.stage}` +
      `${r.badges.length ? ` [${r.badges.join(', ')}]` : ''}`);
    if (!r.visit || !r.time || !r.stage || r.stage === '—' || !r.kind) {
      fail(`the appointment row ${r.id} lacks its visit, booked time, kind or stage`);
    }
  }
  const appointments = await chooseFilter(page, byTestId, waitInPage, 'appointment');
  const repairs = await chooseFilter(page, byTestId, waitInPage, 'repair');
  if (appointments.rows !== rows.length) fail(`the filter shows ${appointments.rows} appointment rows of ${rows.length}`);
  if (appointments.rows + repairs.rows !== all.rows) {
    fail(`faults (${repairs.rows}) and appointments (${appointments.rows}) do not add up to all (${all.rows})`);
  }
  const label = (await byTestId('work-filter-appointment-label').innerText()).trim();
  if (!label.includes(String(appointments.rows))) fail(`the filter label '${label}' does not count ${appointments.rows}`);
  info(`filter: all ${all.rows} = faults ${repairs.rows} + appointments ${appointments.rows} ('${label}')`);
  await chooseFilter(page, byTestId, waitInPage, 'all');
}

/** A datetime-local value one day after `rfc3339` in Beijing time, or tomorrow 10:00 Beijing. */
function nextDayLocal(rfc3339) {
  const BJ = 8 * 3600 * 1000;
  const ms = Date.parse(rfc3339 ?? '');
  const base = Number.isFinite(ms) ? ms + 24 * 3600 * 1000
    : Math.floor((Date.now() + BJ) / 86400000) * 86400000 + 86400000 + 10 * 3600 * 1000 - BJ;
  return new Date(base + BJ).toISOString().slice(0, 16);
}

/** The dialog's error text, '' when none shows. */
const moveErrorText = (page) => page.evaluate(() => {
  const box = document.querySelector('[data-testid="move-error"]');
  return box && !box.hidden ? box.textContent.trim() : '';
});

/** Moves a booked visit through the dialog; returns how many refused POSTs the page logged. */
async function moveVisit(page, byTestId, waitInPage, waitForRefresh) {
  step('moving a booked visit through the move dialog');
  const dispatcher = byTestId('dispatcher-id');
  if (!(await dispatcher.inputValue()).trim()) await dispatcher.fill(opts['dispatcher-id']);
  await chooseFilter(page, byTestId, waitInPage, 'appointment');
  const movable = await waitInPage('a visit with a move button', (row) => {
    const rows = [...document.querySelectorAll(`${row}[data-work="appointment"]`)]
      .filter((r) => { const b = r.querySelector('[data-testid="move-button"]'); return b && !b.hidden; });
    const booked = rows.find((r) => r.dataset.appointmentStart) ?? rows[0];
    return booked ? { id: booked.dataset.workOrderId, start: booked.dataset.appointmentStart ?? '',
      bookings: Number(booked.dataset.bookingCount ?? 0), crew: booked.dataset.crewId ?? '' } : false;
  }, ROW);
  const rowById = page.locator(`${ROW}[data-work-order-id="${movable.id}"]`);
  info(`visit ${movable.id}: booked '${movable.start || 'not booked'}', ${movable.bookings} booking(s), crew '${movable.crew || 'none'}'`);
  await rowById.locator('[data-testid="move-button"]').click();
  const dialog = byTestId('move-dialog');
  await waitInPage('the move dialog', () => document.querySelector('[data-testid="move-dialog"]')?.open === true);
  const summary = (await byTestId('move-summary').innerText()).trim();
  if (!summary.includes(movable.id)) fail(`the move dialog names '${summary}', not ${movable.id}`);
  info(`dialog: ${summary}`);

  // An empty reason is refused in the dialog, without a request.
  await byTestId('move-reason').fill('');
  await byTestId('move-submit').click();
  const refusedLocally = await waitInPage('the dialog to ask for a reason', () => {
    const box = document.querySelector('[data-testid="move-error"]');
    return box && !box.hidden && box.textContent.trim() ? box.textContent.trim() : false;
  });
  info(`without a reason the dialog says: ${refusedLocally}`);

  const start = opts['move-start'] ?? nextDayLocal(movable.start);
  await byTestId('move-start').fill(start);
  if (opts['move-crew']) await byTestId('move-crew').selectOption(opts['move-crew']);
  await byTestId('move-reason').fill('browser check: customer asked by phone');
  info(`moving to ${start} Beijing${opts['move-crew'] ? ` with ${opts['move-crew']}` : ''}`);
  await byTestId('move-submit').click();
  const wantStart = Date.parse(`${start}:00+08:00`);
  const outcome = await waitInPage(`visit ${movable.id} to show the new start or an error`, ({ row, id, want, bookings, before }) => {
    const box = document.querySelector('[data-testid="move-error"]');
    const error = box && !box.hidden ? box.textContent.trim() : '';
    const dialogOpen = document.querySelector('[data-testid="move-dialog"]')?.open === true;
    const r = document.querySelector(`${row}[data-work-order-id="${id}"]`);
    if (error && error !== before && dialogOpen) return { error };
    if (!dialogOpen && r && Date.parse(r.dataset.appointmentStart ?? '') === want &&
        Number(r.dataset.bookingCount ?? 0) > bookings) {
      return { start: r.dataset.appointmentStart, bookings: Number(r.dataset.bookingCount),
        crew: r.dataset.crewId, time: r.querySelector('[data-testid="appointment-time"]')?.textContent.trim() };
    }
    return false;
  }, { row: ROW, id: movable.id, want: wantStart, bookings: movable.bookings, before: refusedLocally });

  if (moveErrorPattern) {
    if (!outcome.error) fail(`the move of ${movable.id} was expected to be refused but went through`);
    if (!moveErrorPattern.test(outcome.error)) fail(`the dialog says '${outcome.error}', which does not match /${moveErrorPattern.source}/`);
    info(`refused as expected; the dialog says: ${outcome.error}`);
    await byTestId('move-cancel').click();
    await waitInPage('the move dialog to close', () => document.querySelector('[data-testid="move-dialog"]')?.open === false);
    const after = await rowById.getAttribute('data-appointment-start');
    if ((after ?? '') !== movable.start) fail(`the refused move still changed ${movable.id}'s start to ${after}`);
    await chooseFilter(page, byTestId, waitInPage, 'all');
    return 1;
  }
  if (outcome.error) fail(`moving ${movable.id} failed: ${outcome.error}`);
  info(`${movable.id} now: ${outcome.time} (${outcome.start}), booking ${outcome.bookings}, crew ${outcome.crew}`);
  if (await dialog.evaluate((d) => d.open)) fail('the move dialog stayed open after a move');
  const status = (await byTestId('console-status').innerText()).trim();
  if (!status.includes(movable.id)) fail(`the status line says '${status}', not the moved ${movable.id}`);
  info(`page says: ${status}`);
  // The server's list must agree after the next poll.
  const count = Number(await byTestId('last-refresh').getAttribute('data-refresh-count'));
  await waitForRefresh(count);
  if (Date.parse((await rowById.getAttribute('data-appointment-start')) ?? '') !== wantStart) {
    fail(`after a refresh ${movable.id} shows the start ${await rowById.getAttribute('data-appointment-start')} again`);
  }
  info('the next refresh keeps the new start');
  await chooseFilter(page, byTestId, waitInPage, 'all');
  return 0;
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
  // Playwright's own errors carry a call log with terminal colours: keep the text, drop the rest.
  const reason = err instanceof CheckFailure ? err.message
    : String(err?.message ?? err).replace(/\x1b\[[0-9;]*m/g, '').trim();
  process.stdout.write(`${NAME}: FAIL: ${reason}\n`);
  process.exit(1);
}
