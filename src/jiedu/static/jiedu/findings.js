// Recording a finding: the responsible person list shows only people of the chosen unit.
document.addEventListener("DOMContentLoaded", () => {
  const unit = document.getElementById("id_responsible_department");
  const person = document.getElementById("id_responsible_staff");
  if (!unit || !person) return;
  const narrow = () => {
    person.querySelectorAll("option[data-department]").forEach((option) => {
      const other = unit.value !== "" && option.dataset.department !== unit.value;
      option.hidden = other;
      option.disabled = other;
      if (other && option.selected) person.value = "";
    });
  };
  unit.addEventListener("change", narrow);
  narrow();
});
