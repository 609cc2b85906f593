// Drives headless Chromium through the search page's own behaviour (not the
// ranking): what the meta line shows, no "no results" while the first letters
// are typed, Vietnamese typed on the English pages, "show more" kept across
// Back, the header's language switch keeping the query, and the filters behind
// a disclosure on a phone.
//
//   node tests/search/page.mjs CHROMIUM SITE_URL
//
// Prints one JSON object: what was seen at each step.

import { launch, sleep } from "./cdp.mjs";

const [chromium, site] = process.argv.slice(2);
if (!site) {
  console.error("usage: node tests/search/page.mjs CHROMIUM SITE_URL");
  process.exit(2);
}

const browser = launch(chromium);
const deadline = setTimeout(() => done({ error: "timed out after 90 s", stderr: browser.stderr().slice(-2000) }, 1), 90000);

async function done(report, code) {
  clearTimeout(deadline);
  console.log(JSON.stringify(report));
  await browser.close();
  process.exit(code);
}

const ready = "document.getElementById('search-form')?.dataset.ready === 'yes'";
const status = "document.getElementById('search-status').textContent";
const hits = "[...document.querySelectorAll('#search-results a.search-link')].map(a => a.getAttribute('href'))";

async function open(page, path) {
  await page.goto(site + path);
  await page.waitFor(ready, `the search script on ${path}`);
}

async function type(page, text) {
  await page.evaluate("document.getElementById('search-q').focus()");
  for (const ch of text) {
    await page.call("Input.insertText", { text: ch });
    await sleep(30);
  }
}

async function main() {
  const report = {};
  const page = await browser.newPage();

  // One letter that finds nothing: the page stays quiet.
  await open(page, "vi/search/");
  await type(page, "q");
  await sleep(600);
  report.oneLetter = await page.evaluate(`({ status: ${status}, none: !document.getElementById('search-none').hidden })`);

  // The meta line: state, place, draft.
  await open(page, "vi/search/?q=" + encodeURIComponent("quỹ đầu tư mạo hiểm"));
  await page.waitFor(`${hits}.length > 0`, "results for quỹ đầu tư mạo hiểm");
  report.meta = await page.evaluate(`[...document.querySelectorAll('#search-results .search-hit')].slice(0, 5).map(li => ({
    href: li.querySelector('a').getAttribute('href'),
    meta: li.querySelector('.search-meta')?.textContent ?? '',
    state: li.querySelector('.state')?.dataset.state ?? null,
    draft: !!li.querySelector('.search-draft'),
  }))`);
  report.switchHref = await page.evaluate("document.querySelector('a.lang-switch').getAttribute('href')");

  // Vietnamese typed on the English pages.
  await open(page, "en/search/");
  await type(page, "sàn giao dịch công nghệ");
  // The answer to the whole query, not to "sàn" still typing (the English
  // index has completions of that).
  await page.waitFor(`${status}.includes("sàn giao dịch công nghệ")`, "the answer on the English page");
  report.english = await page.evaluate(`({ status: ${status}, first: ${hits}[0] })`);

  // "Show more" and Back.
  await open(page, "vi/search/?q=" + encodeURIComponent("khoa học"));
  await page.waitFor(`${hits}.length === 20`, "the first 20 results");
  await page.evaluate("document.querySelector('.search-more button').click()");
  await page.waitFor(`${hits}.length > 20`, "more results");
  report.moreUrl = await page.evaluate("location.search");
  const shown = await page.evaluate(`${hits}.length`);
  await page.evaluate("location.href = document.querySelector('#search-results a.search-link').href");
  await page.waitFor("!document.getElementById('search-form') && document.readyState === 'complete'", "a result page");
  await page.evaluate("history.back()");
  await page.waitFor(ready, "the search page again");
  await page.waitFor(`${hits}.length > 20`, "the longer list after Back");
  report.afterBack = { shown, again: await page.evaluate(`${hits}.length`) };

  // A phone: the filters wait behind "Lọc (n)".
  await page.call("Emulation.setDeviceMetricsOverride", { width: 375, height: 740, deviceScaleFactor: 2, mobile: true });
  await open(page, "vi/search/?q=" + encodeURIComponent("khoa học") + "&kind=task");
  await page.waitFor(`${hits}.length > 0`, "results on a phone");
  report.phone = await page.evaluate(`({
    open: document.getElementById('search-filters-box').open,
    summary: document.getElementById('search-filters-toggle').textContent,
    resultsTop: document.getElementById('search-results').getBoundingClientRect().top,
  })`);
  await done(report, 0);
}

main().catch((e) => done({ error: String(e.message ?? e), stderr: browser.stderr().slice(-2000) }, 1));
