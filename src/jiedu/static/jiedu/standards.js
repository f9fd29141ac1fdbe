// Self-assessment scoring: a refused area (points above a standard's maximum, say) comes back as
// status 400 with the card showing each error beside its field. htmx leaves 4xx answers
// unswapped by default; the scoring cards are swapped anyway so the leader sees why.
document.addEventListener("htmx:beforeSwap", (event) => {
  const target = event.detail.target;
  if (event.detail.xhr.status === 400 && target && target.closest(".std-score-area")) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});
