#!/usr/bin/env node
// Drives the dispatch web console in Debian's headless Chromium (through playwright-core) and
// checks what a dispatcher relies on.
//
//   node tools/browser-check/console_check.mjs --url http://127.0.0.1:PORT [--timeout-ms 60000]
//        [--expect-incident] [--assign] [--screenshot-dir DIR] [--dispatcher-id ID]
//
// Steps: load the page; wait for its first good refresh of the API; with --expect-incident wait
// until at least one incident row shows; switch the language to English and back (labels
// change, the choice survives a reload); with --assign pick a QUEUED or ASSIGNED work order,
// choose another crew in its select, press assign and wait until the row shows the new crew or
// a changed state (a crew the API refuses with 412 is skipped for the next one, up to 3); last,
// the page must have logged no console error and fetched nothing from another origin.
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
      await waitInPage('a work order in state QUEUED or ASSIGNED', () =>
        document.querySelector('[data-testid="work-order-row"][data-state="WORK_ORDER_STATE_QUEUED"], ' +
          '[data-testid="work-order-row"][data-state="WORK_ORDER_STATE_ASSIGNED"]') ? true : false);
      const row = page.locator('[data-testid="work-order-row"][data-state="WORK_ORDER_STATE_QUEUED"], ' +
        '[data-testid="work-order-row"][data-state="WORK_ORDER_STATE_ASSIGNED"]').first();
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

    step('checking the console log and the requests');
    const shown = await errorText();
    if (shown) fail(`the page shows an error: ${shown}`);
    let expected = allowedAssignErrors;
    const unexpected = consoleErrors.filter((e) => {
      if (expected > 0 && /Failed to load resource/.test(e.text) && e.url.endsWith('/api/v1/work-orders/assign')) {
        expected -= 1;
        return false;
      }
      return true;
    });
    if (unexpected.length > 0) {
      fail(`the page logged ${unexpected.length} console error(s): ${unexpected.map((e) => `${e.text}${e.url ? ` (${e.url})` : ''}`).join(' | ')}`);
    }
    if (foreignRequests.length > 0) fail(`the page fetched from other origins: ${foreignRequests.join(', ')}`);
    const ignored = consoleErrors.length - unexpected.length;
    info(`no console errors${ignored ? ` (besides ${ignored} for the refused assign(s))` : ''}, ` +
      'nothing fetched from another origin');
    await screenshot(page, 'console-check-ok');
  } catch (err) {
    if (page) await screenshot(page, 'console-check-failure');
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
  // Playwright's own errors carry a call log with terminal colours: keep the text, drop the rest.
  const reason = err instanceof CheckFailure ? err.message
    : String(err?.message ?? err).replace(/\x1b\[[0-9;]*m/g, '').trim();
  process.stdout.write(`${NAME}: FAIL: ${reason}\n`);
  process.exit(1);
}
