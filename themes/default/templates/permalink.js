// Copy and share buttons for the permalink: shown only where they work, so
// without JavaScript the readonly box is still there to select.
(() => {
  const box = document.getElementById('permalink');
  const note = document.querySelector('.copied');
  const copy = document.querySelector('button.copy');
  const share = document.querySelector('button.share');
  if (!box || !copy) return;
  if (navigator.clipboard) {
    copy.hidden = false;
    copy.addEventListener('click', () => navigator.clipboard.writeText(box.value).then(() => {
      note.textContent = note.dataset.copied;
    }, () => box.select()));
  }
  if (navigator.share && matchMedia('(pointer: coarse)').matches) {
    share.hidden = false;
    share.addEventListener('click', () => navigator.share({ title: document.title, url: box.value }).catch(() => {}));
  }
  box.addEventListener('focus', () => box.select());
})();
