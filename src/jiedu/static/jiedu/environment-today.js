// Today's checklist: a refused record (no disinfectant, say) comes back as status 400 with the
// card showing the error beside its field. htmx leaves 4xx answers unswapped by default; the
// checklist's cards are swapped anyway so the officer sees why.
document.addEventListener("htmx:beforeSwap", (event) => {
  const target = event.detail.target;
  if (event.detail.xhr.status === 400 && target && target.closest(".area-card")) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});
