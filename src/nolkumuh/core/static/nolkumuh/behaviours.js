// nolkumuh behaviours: the small page actions that used to be inline event handlers, which the
// Content-Security-Policy (no inline script) no longer runs. Declared with data attributes:
//   <button data-print>                       prints the page
//   <button data-check-all="#form input[type=checkbox]">   ticks every box the selector finds
//   <form data-confirm="Hapus sesi ini?">     asks before submitting
//   <select data-autosubmit>                  submits its form when the choice changes
// Listeners sit on the document, so parts that htmx swaps in work the same. Plain ES module.

document.addEventListener("click", (event) => {
  const target = event.target instanceof Element ? event.target : null;
  if (!target) return;
  if (target.closest("[data-print]")) {
    window.print();
    return;
  }
  const checkAll = target.closest("[data-check-all]");
  if (checkAll) {
    for (const box of document.querySelectorAll(checkAll.dataset.checkAll)) box.checked = true;
  }
});

document.addEventListener("submit", (event) => {
  const form = event.target;
  if (form instanceof HTMLFormElement && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
    event.preventDefault();
  }
});

document.addEventListener("change", (event) => {
  const field = event.target;
  if (field instanceof HTMLSelectElement && field.dataset.autosubmit !== undefined && field.form) {
    field.form.requestSubmit();
  }
});
