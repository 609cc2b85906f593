// An agency with many tasks lists them over several pages. A link made
// when a task was on another page (…/agencies/x/#t-plan-task) still finds
// it: if the task is not on this page, pages.json says which page has it.
(() => {
  const pager = document.querySelector('nav.pager[data-map]');
  const id = decodeURIComponent(location.hash.slice(1));
  if (!pager || !id.startsWith('t-') || document.getElementById(id)) return;
  fetch(pager.dataset.map)
    .then((r) => (r.ok ? r.json() : {}))
    .then((pages) => {
      const n = pages[id];
      if (n) location.replace(`${pager.dataset.first}${n > 1 ? `page/${n}/` : ''}${location.hash}`);
    })
    .catch(() => {});
})();
