// Browser suite: visits every page type of a built plansite site in headless
// Chromium, the way people use it (desk, phone, no JavaScript, print, keyboard)
// and reports every problem. Run by tests/browser.rs against a site it serves:
//
//   node tests/browser/suite.mjs --base http://127.0.0.1:PORT/ --site DIR [--screenshots DIR]
//
// Chromium is /usr/bin/chromium unless PLANSITE_CHROMIUM names another.
// Exits 0 when every check passes, 1 otherwise.

import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import * as check from './checks.mjs';
import { pageTypesIn } from './pages.mjs';

const DESK = { width: 1280, height: 900 };
/** The phone the issue measures on: the first task card within three of its screens. */
const PHONE = { width: 360, height: 780 };
/** Screenshots stop this far down a page: enough to judge the layout, small enough to look at. */
const SHOT_MAX_HEIGHT = 4000;
/** The whole suite takes under two minutes; a hung page must not hang `cargo test`. */
const SUITE_TIMEOUT_MS = 10 * 60 * 1000;

const { values: args } = parseArgs({
  options: { base: { type: 'string' }, site: { type: 'string' }, screenshots: { type: 'string' } },
});
if (!args.base || !args.site) {
  console.error('usage: suite.mjs --base http://127.0.0.1:PORT/ --site DIR [--screenshots DIR]');
  process.exit(2);
}
const base = args.base.endsWith('/') ? args.base : `${args.base}/`;
const origin = new URL(base).origin;
if (args.screenshots) mkdirSync(args.screenshots, { recursive: true });

/** Every request any page makes, tagged with the page being visited. */
const requests = [];
let visiting = '';
const results = [];
const summary = [];

function track(context) {
  context.on('request', (r) => requests.push({ page: visiting, url: r.url(), type: r.resourceType() }));
  context.on('requestfailed', (r) => {
    // A request cancelled because the page moved on (ERR_ABORTED) is not a failure of the site.
    const error = r.failure()?.errorText;
    if (error !== 'net::ERR_ABORTED') requests.push({ page: visiting, url: r.url(), failed: error });
  });
  context.on('response', (r) => {
    if (r.status() >= 400) requests.push({ page: visiting, url: r.url(), failed: `HTTP ${r.status()}` });
  });
  return context;
}

function record(type, lang, name, problems) {
  results.push({ type, lang, name, problems });
}

/**
 * Loads a page and returns the bytes of its HTML. For a page whose script
 * redirects, scripts are held off while it loads, so the checks see the page
 * itself, as a reader without JavaScript does.
 */
async function load(page, url, entry) {
  let cdp = null;
  if (entry.redirectsWithJs) {
    cdp = await page.context().newCDPSession(page);
    await cdp.send('Emulation.setScriptExecutionDisabled', { value: true });
  }
  const response = await page.goto(url, { waitUntil: 'load' });
  if (cdp) {
    await cdp.send('Emulation.setScriptExecutionDisabled', { value: false });
    await cdp.detach();
  }
  if (!response || response.status() !== 200) throw new Error(`${url}: HTTP ${response?.status()}`);
  return (await response.body()).length;
}

/** Bytes of every stylesheet the page loads, @import included. */
async function stylesheetBytes(page) {
  const hrefs = await page.evaluate(() => {
    const out = [];
    const walk = (sheet) => {
      if (sheet.href) out.push(sheet.href);
      for (const rule of sheet.cssRules) if (rule.styleSheet) walk(rule.styleSheet);
    };
    for (const sheet of document.styleSheets) walk(sheet);
    return out;
  });
  let bytes = 0;
  for (const href of hrefs) bytes += (await (await page.context().request.get(href)).body()).length;
  const inline = await page.evaluate(() => [...document.querySelectorAll('style')].reduce((n, s) => n + s.textContent.length, 0));
  return { bytes: bytes + inline, sheets: hrefs.length };
}

async function screenshot(page, name) {
  if (!args.screenshots) return;
  const height = await page.evaluate(() => document.scrollingElement.scrollHeight);
  const { width } = page.viewportSize();
  await page.screenshot({
    path: join(args.screenshots, `${name}.png`),
    fullPage: true,
    clip: { x: 0, y: 0, width, height: Math.min(height, SHOT_MAX_HEIGHT) },
  });
}

async function safely(type, lang, name, fn) {
  try {
    const problems = await fn();
    record(type, lang, name, problems);
    return problems;
  } catch (e) {
    record(type, lang, name, [`check crashed: ${e.message.split('\n')[0]}`]);
    return null;
  }
}

/** Every check on one page type in one language. */
async function visitPage(browser, contexts, entry, lang) {
  const { type } = entry;
  const url = `${origin}${entry.path(lang)}`;
  visiting = `${type}/${lang}`;
  const started = Date.now();
  const page = await contexts.desk.newPage();
  const visit = {
    entry, lang, url, base, page, phoneSize: PHONE,
    reload: () => load(page, url, entry),
    newContext: async (options) => track(await browser.newContext({ viewport: DESK, ...options })),
  };
  const row = { type, lang, path: entry.path(lang), axe: 'not run', html: 0, css: 0 };
  summary.push(row);

  // At a desk, with JavaScript.
  let withJs = null;
  await safely(type, lang, 'load', async () => {
    row.html = await load(page, url, entry);
    const css = await stylesheetBytes(page);
    row.css = css.bytes;
    withJs = await check.mainStats(page);
    return [];
  });
  if (withJs) {
    const axe = await safely(type, lang, 'axe WCAG 2.2 AA', () => check.axeViolations(page));
    row.axe = axe === null ? 'crashed' : axe.length ? `${axe.length} violations` : '0 violations';
    await safely(type, lang, 'headings in order', () => check.headingsInOrder(page));
    await safely(type, lang, 'tables have th and caption', () => check.tablesHaveHeadersAndCaptions(page));
    await safely(type, lang, 'language changes marked', () => check.languageChangesMarked(page, visit));
    await safely(type, lang, 'no web fonts', async () => {
      const faces = await page.evaluate(() => document.fonts.size);
      return faces ? [`${faces} @font-face rules`] : [];
    });
    if (entry.budget) {
      await safely(type, lang, 'weight budget', async () => {
        const total = row.html + row.css;
        const tasks = await page.evaluate(() => document.querySelectorAll('li.task').length);
        const budget = entry.budget(tasks);
        return total > budget ? [`HTML + CSS is ${total} bytes, budget ${budget} for ${tasks} tasks`] : [];
      });
    }
    await screenshot(page, `${type}-${lang}-${DESK.width}`);
    await safely(type, lang, 'print', () => check.print(page));
    if (args.screenshots) {
      await page.emulateMedia({ media: 'print' });
      await screenshot(page, `${type}-${lang}-print`);
      await page.emulateMedia({ media: 'screen' });
    }
    await safely(type, lang, 'keyboard', () => check.keyboard(page, visit));
  }

  // On a phone.
  const phone = await contexts.phone.newPage();
  await safely(type, lang, 'phone 360 px', async () => {
    await load(phone, url, entry);
    const problems = [...(await check.noSidewaysScroll(phone, PHONE.width)), ...(await check.tapTargets(phone))];
    await screenshot(phone, `${type}-${lang}-${PHONE.width}`);
    return problems;
  });
  await phone.close();

  // Without JavaScript.
  visit.noJsPage = await contexts.noJs.newPage();
  await safely(type, lang, 'without JavaScript', async () => {
    await load(visit.noJsPage, url, { ...entry, redirectsWithJs: false });
    const withoutJs = await check.mainStats(visit.noJsPage);
    return withJs ? check.sameWithoutJs(withJs, withoutJs, entry) : ['not compared: the page failed to load with JavaScript'];
  });

  for (const name of entry.extra || []) {
    await safely(type, lang, name, () => check.EXTRA[name](visit));
  }
  await visit.noJsPage.close();
  await page.close();

  await safely(type, lang, 'requests stay local', async () => {
    const mine = requests.filter((r) => r.page === visiting);
    const away = mine.filter((r) => /^https?:/.test(r.url) && new URL(r.url).origin !== origin);
    const fonts = mine.filter((r) => r.type === 'font');
    const failed = mine.filter((r) => r.failed);
    return [...new Set([
      ...away.map((r) => `request to another host: ${r.url}`),
      ...fonts.map((r) => `web font fetched: ${r.url}`),
      ...failed.map((r) => `request failed (${r.failed}): ${r.url}`),
    ])];
  });
  row.seconds = ((Date.now() - started) / 1000).toFixed(1);
}

function report(types) {
  const failed = results.filter((r) => r.problems.length);
  for (const r of failed) {
    console.log(`FAIL ${r.type}/${r.lang} ${r.name}`);
    for (const p of r.problems) console.log(`    - ${p}`);
  }
  console.log(`\npage types: ${types.map((t) => t.type).join(', ')}`);
  console.log('type      lang  axe              HTML B   CSS B  total B   s    path');
  for (const r of summary) {
    console.log(
      `${r.type.padEnd(9)} ${r.lang.padEnd(5)} ${r.axe.padEnd(15)} ${String(r.html).padStart(7)} ${String(r.css).padStart(7)} `
      + `${String(r.html + r.css).padStart(8)} ${String(r.seconds).padStart(4)}  ${r.path}`,
    );
  }
  console.log(`\nbrowser checks: ${results.length - failed.length} passed, ${failed.length} failed`);
  return failed.length;
}

async function main() {
  setTimeout(() => {
    console.error(`the browser suite did not finish in ${SUITE_TIMEOUT_MS / 1000} s (while visiting ${visiting})`);
    process.exit(1);
  }, SUITE_TIMEOUT_MS).unref();
  const types = pageTypesIn(args.site);
  const browser = await chromium.launch({
    executablePath: process.env.PLANSITE_CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run'],
  });
  let failures = 1;
  try {
    const contexts = {
      desk: track(await browser.newContext({ viewport: DESK })),
      phone: track(await browser.newContext({ viewport: PHONE, isMobile: true, hasTouch: true })),
      noJs: track(await browser.newContext({ viewport: DESK, javaScriptEnabled: false })),
    };
    for (const entry of types) {
      for (const lang of entry.langs) await visitPage(browser, contexts, entry, lang);
    }
    failures = report(types);
  } finally {
    await browser.close();
  }
  process.exit(failures ? 1 : 0);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
