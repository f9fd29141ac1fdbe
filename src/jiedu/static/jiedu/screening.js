// Most letters arrive as a full pile: one tap ticks every name, then the clerk unticks the few missing.
document.addEventListener("DOMContentLoaded", () => {
  const button = document.getElementById("tick-all");
  const form = document.getElementById("bulk-commitments");
  if (!button || !form) return;
  button.hidden = false;
  button.addEventListener("click", () => {
    const boxes = form.querySelectorAll('input[type="checkbox"][name="staff_members"]');
    const tick = Array.from(boxes).some((box) => !box.checked);
    boxes.forEach((box) => { box.checked = tick; });
  });
});
