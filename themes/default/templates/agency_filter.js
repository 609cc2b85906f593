// Filter-as-you-type for the agencies index: hides the rows whose name (or
// its form without diacritics, so "so khcn" finds "Sở KH&CN") does not
// contain what is typed. Without JavaScript the box stays hidden.
(() => {
  const box = document.getElementById('agency-filter');
  if (!box) return;
  box.parentElement.hidden = false;
  const fold = (s) => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/đ/g, 'd').replace(/Đ/g, 'D').toLowerCase();
  const rows = [...document.querySelectorAll('table.agencies tbody tr')].map((tr) => ({ tr, name: fold(tr.cells[0].textContent) }));
  const none = document.querySelector('.filter-none');
  box.addEventListener('input', () => {
    const q = fold(box.value.trim());
    let shown = 0;
    for (const r of rows) {
      r.tr.hidden = Boolean(q) && !r.name.includes(q);
      if (!r.tr.hidden) shown += 1;
    }
    for (const t of document.querySelectorAll('table.agencies')) {
      t.closest('.table-scroll').hidden = ![...t.tBodies[0].rows].some((tr) => !tr.hidden);
    }
    none.textContent = shown ? '' : none.dataset.none;
  });
})();
