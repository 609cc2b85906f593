// The page types the browser suite visits: one entry per type. A new page
// type (or a new sample of one) is one more entry here; every check in
// checks.mjs runs on it in each of its languages.

import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** The largest plan (129 tasks since every commitment is one): the budget is measured on it. */
export const BIG_PLAN = 'hue-2025-03-nq-cp';

/** The draft plan (Hải Phòng): its pages carry the draft marker. */
export const DRAFT_PLAN = 'hai-phong-2026-709-qd-ttg';

/**
 * Uncompressed HTML + CSS for a plan page: 150 KB for a plan of 70 tasks
 * (the budget's first measure), and 500 bytes for each task beyond, since a
 * task row (title, state, lead, deadline) weighs 400–900 bytes. A function of
 * the page's task rows, so the budget follows the content, not the reverse.
 */
export const planBudget = (tasks) => 150 * 1000 + 500 * Math.max(0, tasks - 70);

/**
 * Fields: `type` (name in reports and screenshot files), `path(lang)`,
 * `langs`, and optional:
 * - `requires`: a file of the built site that must exist for the entry to run
 *   (a page type still being built elsewhere is left out until it lands);
 * - `chrome: false`: the page has no site header, skip link or footer;
 * - `redirectsWithJs`: the page's script sends readers elsewhere, so the
 *   checks look at it as it loads before its script runs (as without JS);
 * - `jsEnhanced`: script adds content, so without JS the page must still
 *   render its main content but may show fewer links;
 * - `budget`: the most bytes of HTML + CSS the page may weigh, given the
 *   number of task rows on it;
 * - `extra`: names of the type-specific checks in checks.mjs to run too.
 */
export const PAGE_TYPES = [
  {
    type: 'landing',
    path: () => '/',
    langs: ['vi'],
    chrome: false,
    redirectsWithJs: true,
    extra: ['landingRedirect'],
  },
  { type: 'home', path: (l) => `/${l}/`, langs: ['vi', 'en'] },
  { type: 'plans', path: (l) => `/${l}/plans/`, langs: ['vi', 'en'] },
  {
    type: 'plan',
    path: (l) => `/${l}/plans/${BIG_PLAN}/`,
    langs: ['vi', 'en'],
    budget: planBudget,
    extra: ['statesReadable', 'planLedByItsTasks', 'badgeOnEveryTaskCard', 'indicatorsStackOnPhones'],
  },
  {
    type: 'task',
    path: (l) => `/${l}/plans/${BIG_PLAN}/tasks/1/`,
    langs: ['vi', 'en'],
    extra: ['statesReadable', 'permalinkCopies'],
  },
  {
    // A task of the draft plan: the draft is marked on its page.
    type: 'draft-task',
    path: (l) => `/${l}/plans/${DRAFT_PLAN}/tasks/1-1/`,
    langs: ['vi', 'en'],
    extra: ['draftMarked'],
  },
  {
    // 77 tasks: the first of its two pages (50 tasks a page), under the
    // plan pages' budget however much work an agency has.
    type: 'agency',
    path: (l) => `/${l}/agencies/hue-so-khcn/`,
    langs: ['vi', 'en'],
    budget: planBudget,
    extra: ['roleFilterWithoutJs', 'roleFilterInUrl', 'statesReadable', 'badgeOnEveryTaskCard', 'eachTaskOnce', 'agencyLinksTappable'],
  },
  {
    type: 'agency-page-2',
    path: (l) => `/${l}/agencies/hue-so-khcn/page/2/`,
    langs: ['vi', 'en'],
    budget: planBudget,
    extra: ['statesReadable', 'badgeOnEveryTaskCard', 'eachTaskOnce', 'agencyLinksTappable', 'pagerUsable'],
  },
  { type: 'agencies', path: (l) => `/${l}/agencies/`, langs: ['vi', 'en'], extra: ['agencyFilterAsYouType'] },
  { type: '404', path: () => '/404.html', langs: ['vi'], chrome: false },
  { type: 'source', path: (l) => `/${l}/plans/${BIG_PLAN}/source/`, langs: ['vi', 'en'] },
  {
    type: 'search',
    path: (l) => `/${l}/search/`,
    langs: ['vi', 'en'],
    requires: 'vi/search/index.html',
    jsEnhanced: true,
    extra: ['searchResultsReachable'],
  },
];

/** The entries whose pages exist in the built site at `siteDir`. */
export function pageTypesIn(siteDir) {
  return PAGE_TYPES.filter((p) => !p.requires || existsSync(join(siteDir, p.requires)));
}
