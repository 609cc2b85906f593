// What the browser suite checks on a page. Each check takes the page already
// loaded (and the visit's context) and returns a list of problems: empty when
// the page passes. Functions passed to page.evaluate run in the page and so
// see nothing outside their own body.

import axe from 'axe-core';

/** WCAG 2.2 AA, as axe-core tags it. */
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/** Minimum target size (WCAG 2.2, 2.5.8), in CSS pixels. */
const TARGET_PX = 24;

/** Tap targets that must meet the minimum size: navigation, filters, controls. */
const TARGETS = 'nav a, .choices a, .role-filter label, .role-filter input, button, select, summary, '
  + 'input:not([type=hidden]), textarea';

/** Runs axe-core at WCAG 2.2 AA; returns the violations, each with a few of its nodes. */
export async function axeViolations(page) {
  if (!(await page.evaluate(() => Boolean(window.axe)))) await page.evaluate(axe.source);
  const result = await page.evaluate(
    (tags) => window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] }),
    AXE_TAGS,
  );
  return result.violations.map((v) => {
    const nodes = v.nodes.slice(0, 3).map((n) => `${n.target.join(' ')}: ${n.failureSummary?.split('\n').slice(1).join(' ').trim()}`);
    return `axe ${v.id} (${v.impact}, ${v.nodes.length} nodes): ${v.help}\n      ${nodes.join('\n      ')}`;
  });
}

/** Exactly one h1, it comes first, and no level is skipped on the way down. */
export async function headingsInOrder(page) {
  return page.evaluate(() => {
    const hs = [...document.querySelectorAll('h1, h2, h3, h4, h5, h6')].filter((h) => h.checkVisibility());
    const problems = [];
    const h1s = hs.filter((h) => h.tagName === 'H1').length;
    if (h1s !== 1) problems.push(`${h1s} h1 elements, want exactly one`);
    if (hs.length && hs[0].tagName !== 'H1') problems.push(`first heading is ${hs[0].tagName}, want H1`);
    let prev = 0;
    for (const h of hs) {
      const level = Number(h.tagName[1]);
      if (level > prev + 1 && prev > 0) {
        problems.push(`h${level} "${h.textContent.trim().slice(0, 50)}" follows h${prev}`);
      }
      prev = level;
    }
    return problems;
  });
}

/** Every table has a caption and header cells. */
export async function tablesHaveHeadersAndCaptions(page) {
  return page.evaluate(() =>
    [...document.querySelectorAll('table')].flatMap((t, i) => {
      const name = `table ${i + 1} (${t.className || 'no class'})`;
      const out = [];
      if (!t.caption || !t.caption.textContent.trim()) out.push(`${name} has no caption`);
      if (!t.querySelector('th')) out.push(`${name} has no th`);
      const cols = t.querySelector('tr')?.children.length ?? 0;
      const heads = t.querySelectorAll('thead th, tr > th[scope]').length;
      if (cols > 1 && heads === 0) out.push(`${name}: header cells have no scope and no thead`);
      return out;
    }),
  );
}

/**
 * Text in the other language is marked with `lang`. Vietnamese is recognised
 * by two or more lowercase words with Vietnamese letters (proper names such as
 * "Huế" or "Nguyễn Văn A" are capitalised, and a single borrowed term such as
 * "(Mai vàng)" is a name; neither needs marking); English by two or more
 * English function words, which Vietnamese does not have.
 */
export async function languageChangesMarked(page, visit) {
  return page.evaluate((want) => {
    const problems = [];
    const html = document.documentElement.lang;
    if (want && html !== want) problems.push(`<html lang="${html}">, want "${want}"`);
    const vietnamese = /[ăâđêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ]/;
    const english = /\b(the|and|of|with|for|is|are|this|from|by|its)\b/g;
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    const seen = new Set();
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const el = node.parentElement;
      const text = node.textContent.replace(/\s+/g, ' ').trim();
      if (!text || el.closest('script, style')) continue;
      const lang = (el.closest('[lang]')?.lang || '').split('-')[0];
      const words = text.split(/[\s,.;:()“”"'/–-]+/);
      const vi = words.filter((w) => vietnamese.test(w) && w[0] === w[0].toLowerCase() && w[0] !== w[0].toUpperCase())
        .length >= 2;
      const enWords = new Set(text.match(english) || []);
      let found = null;
      if (lang !== 'vi' && vi) found = 'Vietnamese';
      if (lang !== 'en' && enWords.size >= 2) found = 'English';
      if (found && !seen.has(text)) {
        seen.add(text);
        problems.push(`${found} text under lang="${lang}" in <${el.tagName.toLowerCase()}>: "${text.slice(0, 70)}"`);
      }
    }
    const sw = document.querySelector('.lang-switch');
    if (sw && sw.lang !== sw.hreflang) problems.push(`language switch lang="${sw.lang}" but hreflang="${sw.hreflang}"`);
    return problems.slice(0, 10);
  }, visit.lang);
}

/** Sizes of what a page's main content offers, to compare runs with and without JS. */
export async function mainStats(page) {
  return page.evaluate(() => {
    const main = document.querySelector('main');
    if (!main) return { main: false, links: 0, text: 0, forms: 0, hrefs: [] };
    // What script adds on purpose (copy buttons, anchor links, the agency
    // filter) is marked data-js and left out of the comparison.
    const added = [...main.querySelectorAll('[data-js]')].filter((el) => !el.hidden);
    for (const el of added) el.hidden = true;
    const links = [...main.querySelectorAll('a[href]')].filter((a) => a.checkVisibility());
    const stats = {
      main: true,
      links: links.length,
      hrefs: [...new Set(links.map((a) => a.getAttribute('href')))],
      text: main.innerText.trim().length,
      forms: main.querySelectorAll('form').length,
    };
    for (const el of added) el.hidden = false;
    return stats;
  });
}

/**
 * Keyboard: the skip link is the first Tab stop, is visible when focused and
 * moves focus to main; then every focused element shows an outline.
 */
export async function keyboard(page, visit) {
  const problems = [];
  await visit.reload();
  const focused = () => page.evaluate(() => {
    const el = document.activeElement;
    const s = getComputedStyle(el);
    const r = el.getBoundingClientRect();
    return {
      tag: el.tagName.toLowerCase(),
      cls: el.className,
      text: (el.textContent || '').trim().slice(0, 40),
      inMain: Boolean(el.closest('main')),
      isMain: el.tagName === 'MAIN',
      outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2 && s.outlineColor !== 'rgba(0, 0, 0, 0)',
      onScreen: r.width > 0 && r.height > 0 && r.bottom > 0 && r.right > 0 && r.left < innerWidth && r.top < innerHeight,
    };
  });
  const stops = [];
  for (let i = 0; i < 12; i++) {
    await page.keyboard.press('Tab');
    const f = await focused();
    if (f.tag === 'body') break;
    stops.push(f);
    const name = `Tab stop ${i + 1} <${f.tag} class="${f.cls}"> "${f.text}"`;
    if (!f.outline) problems.push(`${name} shows no focus outline`);
    if (!f.onScreen) problems.push(`${name} is not on screen when focused`);
  }
  if (visit.entry.chrome === false) {
    if (!stops.length || !stops[0].inMain) problems.push('first Tab stop is not in main');
    return problems;
  }
  if (!stops.length || stops[0].cls !== 'skip') {
    problems.push(`first Tab stop is ${stops[0] ? `<${stops[0].tag} class="${stops[0].cls}">` : 'nothing'}, want the skip link`);
    return problems;
  }
  await visit.reload();
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  const after = await focused();
  if (!after.isMain) problems.push(`the skip link moves focus to <${after.tag}>, want main`);
  await page.keyboard.press('Tab');
  const next = await focused();
  if (!next.inMain) problems.push(`after the skip link, Tab goes to <${next.tag}> outside main`);
  return problems;
}

/**
 * At a phone's width nothing scrolls sideways (a phone also widens its layout
 * viewport to fit content that sticks out); names what sticks out.
 */
export async function noSidewaysScroll(page, screen) {
  return page.evaluate((screen) => {
    const width = Math.max(document.scrollingElement.scrollWidth, innerWidth);
    if (width <= screen) return [];
    const wide = [...document.querySelectorAll('body *')]
      .filter((el) => el.getBoundingClientRect().right > screen + 1)
      .filter((el) => !el.parentElement || el.parentElement.getBoundingClientRect().right <= screen + 1)
      .slice(0, 5)
      .map((el) => `<${el.tagName.toLowerCase()} class="${el.className}"> right=${Math.round(el.getBoundingClientRect().right)}`);
    return [`page is ${width} px wide on a ${screen} px screen: ${wide.join('; ') || 'no viewport meta?'}`];
  }, screen);
}

/**
 * Tap targets are at least 24×24 CSS px, or (the WCAG spacing exception) a
 * 24 px circle centred on a smaller one touches no other target.
 */
export async function tapTargets(page) {
  return page.evaluate(({ sel, px }) => {
    const all = [...document.querySelectorAll(sel)]
      .filter((el) => el.checkVisibility() && !el.classList.contains('skip'))
      .map((el) => ({ el, r: el.getBoundingClientRect() }))
      .filter((t) => t.r.width > 0 && t.r.height > 0);
    const centre = (r) => [r.left + r.width / 2, r.top + r.height / 2];
    const small = (t) => t.r.width < px || t.r.height < px;
    const distance = (r, [x, y]) => Math.hypot(Math.max(r.left - x, 0, x - r.right), Math.max(r.top - y, 0, y - r.bottom));
    const problems = [];
    for (const t of all.filter(small)) {
      const c = centre(t.r);
      const clash = all.find((o) => o !== t && !o.el.contains(t.el) && !t.el.contains(o.el)
        && (distance(o.r, c) < px / 2 || (small(o) && Math.hypot(c[0] - centre(o.r)[0], c[1] - centre(o.r)[1]) < px)));
      if (clash) {
        const what = (el) => `<${el.tagName.toLowerCase()}> "${(el.textContent || el.id).trim().slice(0, 30)}"`;
        problems.push(`${what(t.el)} is ${Math.round(t.r.width)}×${Math.round(t.r.height)} px and close to ${what(clash.el)}`);
      }
    }
    return problems.slice(0, 10);
  }, { sel: TARGETS, px: TARGET_PX });
}

/**
 * Print: no site chrome, the URL after every link in main, task cards and
 * table rows kept whole.
 */
export async function print(page) {
  await page.emulateMedia({ media: 'print' });
  try {
    return await page.evaluate(() => {
      const problems = [];
      const chrome = ['.site-header', '.site-footer', '.skip', 'nav.breadcrumb', 'body > header nav',
        'main input', 'main select', 'main button', 'main fieldset'];
      for (const sel of chrome) {
        for (const el of document.querySelectorAll(sel)) {
          if (el.checkVisibility()) problems.push(`${sel}${el.id ? `#${el.id}` : ''} is printed`);
        }
      }
      // Links that leave the site print their address; the site's own links
      // print no relative path (the page's address is printed once).
      const links = [...document.querySelectorAll('main a[href]')].filter((a) => a.checkVisibility());
      const away = (href) => /^https?:/.test(href) && new URL(href).origin !== location.origin;
      const after = (a) => getComputedStyle(a, '::after').content;
      const bare = links.filter((a) => away(a.getAttribute('href')) && !after(a).includes(a.getAttribute('href')));
      if (bare.length) problems.push(`${bare.length} links leaving the site print without their URL, e.g. ${bare[0].getAttribute('href')}`);
      const paths = links.filter((a) => !away(a.getAttribute('href')) && after(a).includes(a.getAttribute('href')));
      if (paths.length) problems.push(`${paths.length} links print their relative path, e.g. ${paths[0].getAttribute('href')}`);
      if (!document.querySelector('.print-url') && document.querySelector('.site-header')) problems.push('the page address is not printed');
      const whole = [...document.querySelectorAll('main .task, main .plan-card, main tr')];
      const cut = whole.filter((el) => getComputedStyle(el).breakInside !== 'avoid');
      if (cut.length) problems.push(`${cut.length} task cards or table rows may break across pages (e.g. <${cut[0].tagName.toLowerCase()} class="${cut[0].className}">)`);
      return problems;
    });
  } finally {
    await page.emulateMedia({ media: 'screen' });
  }
}

/** With JS off, main is there, has its text and every link it has with JS on. */
export function sameWithoutJs(withJs, withoutJs, entry) {
  const problems = [];
  if (!withoutJs.main) return ['no <main> without JavaScript'];
  if (withoutJs.text < 20) problems.push(`main has ${withoutJs.text} characters of text without JavaScript`);
  if (entry.jsEnhanced) {
    if (!withoutJs.links && !withoutJs.forms) problems.push('without JavaScript main offers no link and no form');
    return problems;
  }
  if (withoutJs.links === 0) problems.push('main has no links without JavaScript');
  const missing = withJs.hrefs.filter((h) => !withoutJs.hrefs.includes(h));
  if (missing.length) problems.push(`${missing.length} links missing without JavaScript, e.g. ${missing[0]}`);
  if (Math.abs(withJs.text - withoutJs.text) > 0) {
    problems.push(`main text is ${withoutJs.text} characters without JavaScript, ${withJs.text} with it`);
  }
  return problems;
}

// Checks for one page type, named by an entry's `extra`.

/** With JS, the landing page sends each reader to their language's home. */
async function landingRedirect(visit) {
  const problems = [];
  for (const [locale, lang] of [['vi-VN', 'vi'], ['en-US', 'en'], ['fr-FR', 'vi']]) {
    const ctx = await visit.newContext({ locale });
    const page = await ctx.newPage();
    try {
      await page.goto(visit.url);
      await page.waitForURL(`${visit.base}${lang}/`, { timeout: 10000 });
    } catch {
      problems.push(`a ${locale} reader lands on ${page.url()}, want ${visit.base}${lang}/`);
    } finally {
      await ctx.close();
    }
  }
  return problems;
}

/** The agency page's role filter works with CSS alone: tapping a label shows only that role. */
async function roleFilterWithoutJs(visit) {
  const page = visit.noJsPage;
  // A task the agency both leads and supports (data-role="lead support")
  // shows under either filter.
  const shown = () => page.evaluate(() => {
    const visible = [...document.querySelectorAll('.task[data-role]')].filter((el) => el.checkVisibility());
    const n = (role) => visible.filter((el) => el.dataset.role.split(' ').includes(role)).length;
    return { lead: n('lead'), support: n('support'), visible: visible.length };
  });
  const problems = [];
  const all = await shown();
  if (!all.lead || !all.support) return [`sample agency should lead and support tasks: ${JSON.stringify(all)}`];
  await page.click('label:has(#role-lead)');
  const lead = await shown();
  if (lead.visible !== lead.lead || lead.lead !== all.lead) problems.push(`"lead" filter shows ${JSON.stringify(lead)}`);
  await page.click('label:has(#role-support)');
  const support = await shown();
  if (support.visible !== support.support || support.support !== all.support) problems.push(`"support" filter shows ${JSON.stringify(support)}`);
  return problems;
}

/** Typing a query shows results, and the keyboard reaches them from the search box. */
async function searchResultsReachable(visit) {
  const page = visit.page;
  await visit.reload();
  const box = page.locator('main input[type=search], main input[name=q]').first();
  if (!(await box.count())) return ['no search box (input[type=search] or name=q) in main'];
  const before = (await mainStats(page)).hrefs;
  await box.fill(visit.lang === 'vi' ? 'khoa hoc' : 'science');
  const deadline = Date.now() + 10000;
  let results = [];
  while (Date.now() < deadline && !results.length) {
    await page.waitForTimeout(200);
    results = (await mainStats(page)).hrefs.filter((h) => !before.includes(h));
  }
  if (!results.length) return ['typing a query shows no result links'];
  await box.focus();
  for (let i = 0; i < 40; i++) {
    await page.keyboard.press('Tab');
    const href = await page.evaluate(() => document.activeElement.getAttribute('href'));
    if (href && results.includes(href)) return [];
  }
  return ['40 Tab presses from the search box reach no result'];
}

/**
 * Task states are readable at 360 px without JavaScript: every badge has its
 * label as text (colour is never the only signal), fits the phone's width,
 * and a page with counts also says as of which date; the plan's chart has
 * a caption, a text alternative table and bars that stay inside the page.
 */
async function statesReadable(visit) {
  const page = visit.noJsPage;
  await page.setViewportSize({ width: 360, height: 780 });
  const found = await page.evaluate(() => {
    const badges = [...document.querySelectorAll('main .state')];
    const wide = document.documentElement.clientWidth;
    const chart = document.querySelector('main figure.chart');
    const svg = chart && chart.querySelector('svg[role=img]');
    return {
      badges: badges.length,
      unlabelled: badges.filter((b) => !b.textContent.trim()).length,
      overflowing: badges.filter((b) => b.getBoundingClientRect().right > wide + 1).length,
      counts: document.querySelectorAll('main .state-counts').length,
      asOf: document.querySelectorAll('main .as-of time[datetime]').length,
      chart: Boolean(chart),
      svgLabelled: Boolean(svg && svg.getAttribute('aria-labelledby') && document.getElementById(svg.getAttribute('aria-labelledby'))),
      svgInside: Boolean(svg && svg.getBoundingClientRect().right <= wide + 1),
      bars: svg ? svg.querySelectorAll('rect title').length : 0,
      table: Boolean(chart && chart.querySelector('table caption') && chart.querySelectorAll('table tbody tr').length),
    };
  });
  const problems = [];
  if (!found.badges) problems.push('no state badge on the page');
  if (found.unlabelled) problems.push(`${found.unlabelled} state badges without a label`);
  if (found.overflowing) problems.push(`${found.overflowing} state badges overflow 360 px`);
  if (found.counts && !found.asOf) problems.push('counts by state without an as-of date');
  if (visit.entry.type === 'plan') {
    if (!found.counts) problems.push('the plan page has no counts by state');
    if (!found.chart) problems.push('the plan page has no deadline chart');
    else {
      if (!found.svgLabelled) problems.push('the chart has no accessible name');
      if (!found.svgInside) problems.push('the chart overflows 360 px');
      if (!found.bars) problems.push('the chart bars have no titles');
      if (!found.table) problems.push('the chart has no table of its figures');
    }
  }
  await page.setViewportSize({ width: 1280, height: 900 });
  return problems;
}

/**
 * The plan page answers first: on a 360×780 phone the first task card
 * starts within three screens; the summary comes before the tasks, the
 * tasks before the indicators, and the full text is behind a closed
 * disclosure; the summary's counts are the open data's.
 */
async function planLedByItsTasks(visit) {
  const problems = [];
  const ctx = await visit.newContext({ viewport: visit.phoneSize, isMobile: true, hasTouch: true });
  const page = await ctx.newPage();
  try {
    await page.goto(visit.url);
    const found = await page.evaluate(() => {
      const top = (sel) => { const el = document.querySelector(sel); return el ? el.getBoundingClientRect().top + scrollY : null; };
      const counts = {};
      for (const s of document.querySelectorAll('.plan-summary .state-counts .state')) {
        counts[[...s.classList].find((c) => c.startsWith('state-')).slice(6)] = Number(s.querySelector('strong').textContent);
      }
      const details = document.querySelector('#text details');
      return {
        firstTask: top('main li.task'), summary: top('.plan-summary'), tasks: top('#tasks'),
        indicators: top('#indicators'), text: top('#text'), textClosed: details ? !details.open : null,
        screen: innerHeight, counts, id: location.pathname.split('/')[3],
      };
    });
    if (found.firstTask === null) return ['no task card'];
    const screens = found.firstTask / found.screen;
    console.log(`  ${visit.lang}: first task card at ${Math.round(found.firstTask)} px = ${screens.toFixed(2)} screens of ${found.screen} px`);
    if (screens > 3) problems.push(`first task card at ${Math.round(found.firstTask)} px, ${screens.toFixed(1)} screens down (want ≤ 3)`);
    if (!(found.summary < found.tasks)) problems.push('the summary does not come before the tasks');
    if (found.indicators !== null && !(found.tasks < found.indicators)) problems.push('the indicators come before the tasks');
    if (found.text !== null && !(found.tasks < found.text)) problems.push('the full text comes before the tasks');
    if (found.textClosed === false) problems.push('the full text is open on arrival');
    const data = await (await page.context().request.get(new URL('/data/plans.json', visit.url).href)).json();
    const plan = data.plans.find((p) => p.id === found.id);
    for (const [state, n] of Object.entries(plan.states)) {
      if ((found.counts[state] || 0) !== n) problems.push(`summary shows ${found.counts[state] || 0} ${state}, open data ${n}`);
    }
  } finally {
    await ctx.close();
  }
  return problems;
}

/** Every task card or row on the page carries a labelled state badge. */
async function badgeOnEveryTaskCard(visit) {
  return visit.page.evaluate(() => {
    const cards = [...document.querySelectorAll('main li.task')];
    const bare = cards.filter((c) => !c.querySelector('.state')?.textContent.trim());
    if (!cards.length) return ['no task card'];
    return bare.length ? [`${bare.length} of ${cards.length} task cards without a state badge, e.g. #${bare[0].id}`] : [];
  });
}

/** An agency page lists each task once, whatever roles the agency holds in it. */
async function eachTaskOnce(visit) {
  return visit.page.evaluate(() => {
    const ids = [...document.querySelectorAll('main .agency-state li.task')].map((li) => li.id);
    const twice = ids.filter((id, i) => ids.indexOf(id) !== i);
    return twice.length ? [`tasks listed more than once: ${[...new Set(twice)].slice(0, 5).join(', ')}`] : [];
  });
}

/** On a phone, the agency links inside cards are tap targets at least 44 px tall. */
async function agencyLinksTappable(visit) {
  const ctx = await visit.newContext({ viewport: visit.phoneSize, isMobile: true, hasTouch: true });
  const page = await ctx.newPage();
  try {
    await page.goto(visit.url);
    return await page.evaluate(() => {
      const links = [...document.querySelectorAll('main li.task .facts a, main li.task .task-line a')].filter((a) => a.checkVisibility());
      const small = links.filter((a) => a.getBoundingClientRect().height < 44);
      if (!links.length) return ['no agency link in a card'];
      return small.length ? [`${small.length} of ${links.length} agency links in cards are under 44 px tall, e.g. "${small[0].textContent.trim().slice(0, 30)}"`] : [];
    });
  } finally {
    await ctx.close();
  }
}

/** A large agency's pages: the pager's links are big enough to tap on a phone, an old link to a task's place finds its new page, and "previous" goes back a page. */
async function pagerUsable(visit) {
  const ctx = await visit.newContext({ viewport: visit.phoneSize, isMobile: true, hasTouch: true });
  const page = await ctx.newPage();
  try {
    await page.goto(visit.url);
    const problems = await page.evaluate(() => {
      const links = [...document.querySelectorAll('nav.pager a')];
      if (!links.length) return ['no pager links'];
      const small = links.filter((a) => { const r = a.getBoundingClientRect(); return r.height < 44 || r.width < 44; });
      return small.length ? [`${small.length} of ${links.length} pager links are under 44 px, e.g. "${small[0].textContent.trim()}"`] : [];
    });
    // A link to a task's place made when the task was on the first page
    // still finds it on this one.
    const id = await page.getAttribute('main li.task', 'id');
    const first = new URL(await page.getAttribute('nav.pager', 'data-first'), visit.url).href;
    await page.goto(`${first}#${id}`);
    await page.waitForURL((u) => u.pathname.includes('/page/'), { timeout: 5000 }).catch(() => {});
    const found = await page.evaluate((i) => ({ path: location.pathname, there: !!document.getElementById(i) }), id);
    if (!found.there) problems.push(`${first}#${id} does not lead to the task (ended at ${found.path})`);
    await page.goto(visit.url);
    const prev = await page.getAttribute('nav.pager a[rel="prev"]', 'href');
    if (!prev) problems.push('page 2 has no link to the previous page');
    else {
      await page.goto(new URL(prev, visit.url).href);
      const current = await page.textContent('nav.pager [aria-current="page"]');
      if (current?.trim() !== '1') problems.push(`"previous" from page 2 shows page ${current}`);
    }
    return problems;
  } finally {
    await ctx.close();
  }
}

/** The role filter is kept in the address (?role=lead) and read back from it. */
async function roleFilterInUrl(visit) {
  const problems = [];
  const page = visit.page;
  await visit.reload();
  await page.click('label:has(#role-lead)');
  if (new URL(page.url()).searchParams.get('role') !== 'lead') problems.push(`choosing "lead" leaves the address at ${page.url()}`);
  await page.goto(`${visit.url}?role=support`);
  const state = await page.evaluate(() => ({
    checked: document.querySelector('#role-support').checked,
    leadOnly: [...document.querySelectorAll('.task')].filter((el) => el.checkVisibility() && !el.dataset.role.split(' ').includes('support')).length,
  }));
  if (!state.checked) problems.push('?role=support does not select "support"');
  if (state.leadOnly) problems.push(`?role=support still shows ${state.leadOnly} tasks it does not support`);
  await visit.reload();
  return problems;
}

/** The permalink has a copy button that copies it. */
async function permalinkCopies(visit) {
  const ctx = await visit.newContext({ permissions: ['clipboard-read', 'clipboard-write'] });
  const page = await ctx.newPage();
  try {
    await page.goto(visit.url);
    const button = page.locator('button.copy');
    if (!(await button.isVisible())) return ['no visible copy button'];
    await button.click();
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    const want = await page.inputValue('#permalink');
    return copied === want ? [] : [`copied "${copied}", want "${want}"`];
  } finally {
    await ctx.close();
  }
}

/** A task of a draft plan says so, near its title. */
async function draftMarked(visit) {
  return visit.page.evaluate(() => {
    const notice = document.querySelector('main h1 + .notice');
    return notice && notice.textContent.trim() ? [] : ['no draft notice under the title'];
  });
}

/** At 360 px the indicator table is stacked rows, each value with its column's name. */
async function indicatorsStackOnPhones(visit) {
  const ctx = await visit.newContext({ viewport: visit.phoneSize, isMobile: true, hasTouch: true });
  const page = await ctx.newPage();
  try {
    await page.goto(visit.url);
    return await page.evaluate(() => {
      const table = document.querySelector('table.indicators');
      if (!table) return [];
      const cell = table.querySelector('tbody td:nth-child(4)');
      const label = getComputedStyle(cell, '::before').content;
      const head = table.querySelector('thead th:nth-child(4)').textContent.trim();
      const problems = [];
      if (getComputedStyle(table.querySelector('tbody tr')).display !== 'block') problems.push('indicator rows are not stacked');
      if (!label.includes(head)) problems.push(`the target cell is labelled ${label}, want "${head}"`);
      if (table.getBoundingClientRect().right > innerWidth + 1) problems.push('the indicator table is wider than the phone');
      return problems;
    });
  } finally {
    await ctx.close();
  }
}

/** Typing in the agencies filter keeps only the matching rows (diacritics optional). */
async function agencyFilterAsYouType(visit) {
  const page = visit.page;
  await visit.reload();
  const box = page.locator('#agency-filter');
  if (!(await box.isVisible())) return ['no visible filter box'];
  const all = await page.locator('table.agencies tbody tr:visible').count();
  const [query, want] = visit.lang === 'vi' ? ['so khoa hoc', /Sở Khoa học/i] : ['science and tech', /Science and Technology/i];
  await box.fill(query);
  const some = await page.evaluate(() => [...document.querySelectorAll('table.agencies tbody tr')].filter((tr) => tr.checkVisibility()).map((tr) => tr.cells[0].textContent));
  await box.fill('');
  const problems = [];
  if (!some.length || some.length >= all) problems.push(`"${query}" leaves ${some.length} of ${all} rows`);
  if (some.some((name) => !want.test(name))) problems.push(`"${query}" keeps ${some.find((n) => !want.test(n))}`);
  return problems;
}

export const EXTRA = {
  landingRedirect, roleFilterWithoutJs, searchResultsReachable, statesReadable, planLedByItsTasks,
  badgeOnEveryTaskCard, eachTaskOnce, agencyLinksTappable, roleFilterInUrl, permalinkCopies, draftMarked,
  indicatorsStackOnPhones, agencyFilterAsYouType, pagerUsable,
};
