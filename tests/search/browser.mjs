// Drives headless Chromium through the search page like a person: types a
// query into the search box, waits for the expected result, moves to it with
// the arrow keys and presses Enter. Speaks the DevTools protocol over
// --remote-debugging-pipe (cdp.mjs), so it needs nothing but Node and Chromium.
//
//   node tests/search/browser.mjs CHROMIUM SEARCH_PAGE_URL QUERY EXPECTED_PATH
//
// Prints one JSON object: what was seen at each step.

import { launch, sleep } from "./cdp.mjs";

const [chromium, pageUrl, query, expected] = process.argv.slice(2);
if (!expected) {
  console.error("usage: node tests/search/browser.mjs CHROMIUM SEARCH_PAGE_URL QUERY EXPECTED_PATH");
  process.exit(2);
}

const browser = launch(chromium);
const deadline = setTimeout(() => done({ error: "timed out after 60 s", stderr: browser.stderr().slice(-2000) }, 1), 60000);

async function done(report, code) {
  clearTimeout(deadline);
  console.log(JSON.stringify(report));
  await browser.close();
  process.exit(code);
}

async function main() {
  const page = await browser.newPage();
  await page.goto(pageUrl);
  await page.waitFor("!!document.getElementById('search-q')", "the search page");
  // Keys typed before the page's script has run are kept too; waiting for
  // it keeps this run about the search, not about timing.
  await page.waitFor("document.getElementById('search-form').dataset.ready === 'yes'", "the search script");

  // Type the query one character at a time, as a person would.
  await page.evaluate("document.getElementById('search-q').focus()");
  for (const ch of query) {
    await page.call("Input.insertText", { text: ch });
    await sleep(30);
  }
  const links = "[...document.querySelectorAll('#search-results a.search-link')].map(a => a.getAttribute('href'))";
  // The results of the whole query: the count announced names it.
  const status = "document.getElementById('search-status').textContent";
  const results = await page.waitFor(
    `(() => { const l = ${links}; return ${status}.includes(${JSON.stringify(query)}) && l.includes(${JSON.stringify(expected)}) ? l : null; })()`,
    `a result linking to ${expected}`,
  );
  const seen = await page.evaluate(`({
    status: document.getElementById('search-status').textContent,
    live: document.getElementById('search-status').getAttribute('aria-live'),
    marks: document.querySelectorAll('#search-results mark').length,
    url: location.pathname + location.search,
  })`);

  // Follow it with the keyboard: ↓ into the results, ↓ to the one, Enter.
  await page.key("ArrowDown", "ArrowDown", 40);
  for (let i = 0; i < results.indexOf(expected); i++) await page.key("ArrowDown", "ArrowDown", 40);
  const focused = await page.evaluate("document.activeElement.getAttribute('href')");
  await page.key("Enter", "Enter", 13);
  const landed = await page.waitFor(
    `location.pathname === ${JSON.stringify(expected)} && document.readyState === 'complete' ? location.pathname : null`,
    `the page ${expected}`,
  );
  const h1 = await page.evaluate("document.querySelector('h1')?.textContent.trim()");
  await done({ results, ...seen, focused, landed, h1 }, 0);
}

main().catch((e) => done({ error: String(e.message ?? e), stderr: browser.stderr().slice(-2000) }, 1));
