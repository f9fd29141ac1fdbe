// Behaviour shared by every page. No inline scripts anywhere: the CSP forbids them.
document.addEventListener("change", (event) => {
  const select = event.target.closest("select[data-autosubmit]");
  if (select) select.form.requestSubmit();
});

// A record changed by someone else meanwhile: the 409 answer carries the form again with the saved
// values beside the user's (includes/conflict.html). htmx 2 leaves 4xx answers unswapped; this
// one is meant to be read, so it is swapped in like a success.
document.addEventListener("htmx:beforeSwap", (event) => {
  if (event.detail.xhr.status === 409) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});
