// Progressive enhancement only: every action works without this file (docs/design/apps.md §Dashboard).
// - forms with data-confirm ask before submitting (revoke, roll);
// - buttons with data-copy copy the text of the element they name (a secret shown once).
document.addEventListener('submit', (event) => {
  const form = event.target;
  if (form instanceof HTMLFormElement && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
    event.preventDefault();
  }
});
document.addEventListener('click', (event) => {
  const button = event.target instanceof Element ? event.target.closest('button[data-copy]') : null;
  if (!button) return;
  const source = document.getElementById(button.getAttribute('data-copy'));
  if (source && navigator.clipboard) {
    navigator.clipboard.writeText(source.textContent.trim()).then(() => {
      button.textContent = 'Copied';
    });
  }
});
for (const button of document.querySelectorAll('button[data-copy]')) button.hidden = false;
