// Keeps the role filter in the address (?role=lead), so a filtered list can
// be linked and survives a reload. Without JavaScript the radios still
// filter (CSS :has) and the form's ?role= is read by nobody but harmless.
(() => {
  const form = document.querySelector('form.role-filter');
  if (!form) return;
  const wanted = new URLSearchParams(location.search).get('role') || location.hash.slice(1);
  const radio = form.querySelector(`input[value="${wanted === 'lead' || wanted === 'support' ? wanted : 'all'}"]`);
  if (radio) radio.checked = true;
  form.addEventListener('change', (e) => {
    const url = new URL(location.href);
    if (e.target.value === 'all') url.searchParams.delete('role'); else url.searchParams.set('role', e.target.value);
    history.replaceState(null, '', url);
  });
  form.addEventListener('submit', (e) => e.preventDefault());
})();
