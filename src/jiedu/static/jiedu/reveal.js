// Reveal-with-purpose and other forms marked data-swap-errors: a 400 answer carries the form again
// with its error beside the field, so htmx swaps it in instead of dropping it (htmx 2 skips 4xx).
document.body.addEventListener("htmx:beforeSwap", (event) => {
  const config = event.detail.requestConfig;
  const source = config && config.elt;
  if (event.detail.xhr.status === 400 && source && source.closest && source.closest("[data-swap-errors]")) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});
