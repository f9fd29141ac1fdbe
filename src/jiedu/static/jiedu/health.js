// Temperature rounds. No inline scripts anywhere: the CSP forbids them.

// Round sheet: Enter moves to the next box (a tablet's keypad has no Tab), and a value at or above
// today's fever threshold (data-fever, from the policy) or outside the valid range is coloured
// while typing. The server decides; this only helps.

document.addEventListener("keydown", (event) => {
  const input = event.target.closest(".temperature-input");
  if (!input || event.key !== "Enter") return;
  const boxes = [...document.querySelectorAll(".temperature-input")];
  const next = boxes[boxes.indexOf(input) + 1];
  if (next) {
    event.preventDefault();
    next.focus();
  }
});

document.addEventListener("input", (event) => {
  const input = event.target.closest(".temperature-input");
  if (!input) return;
  const value = Number.parseFloat(input.value);
  const low = Number.parseFloat(input.dataset.low);
  const high = Number.parseFloat(input.dataset.high);
  const fever = Number.parseFloat(input.dataset.fever);
  const typed = input.value.trim() !== "" && !Number.isNaN(value);
  input.classList.toggle("out-of-range", typed && (value < low || value > high));
  input.classList.toggle("fever", typed && value >= fever && value <= high);
});

// Compliance: one bar per zone or facility, from the JSON block the server rendered.
document.addEventListener("DOMContentLoaded", () => {
  const element = document.getElementById("compliance-chart");
  const source = document.getElementById("compliance-chart-data");
  if (!element || !source || typeof echarts === "undefined") return;
  const data = JSON.parse(source.textContent);
  const chart = echarts.init(element, null, { renderer: "svg" });
  chart.setOption({
    animation: false,
    // richText: ECharts' HTML tooltips carry style attributes, which the CSP blocks.
    tooltip: {
      renderMode: "richText",
      trigger: "axis",
      axisPointer: { type: "shadow" },
      formatter: (items) => {
        const i = items[0].dataIndex;
        const value = data.compliance[i] === null ? "—" : `${data.compliance[i]}%`;
        return `${data.categories[i]}\n${data.label}: ${value} (${data.done[i]}/${data.due[i]})`;
      },
    },
    grid: { left: 48, right: 16, top: 24, bottom: 64 },
    xAxis: { type: "category", data: data.categories, axisLabel: { interval: 0, rotate: 30 } },
    yAxis: { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" } },
    series: [
      {
        name: data.label,
        type: "bar",
        data: data.compliance.map((v) => ({
          value: v,
          itemStyle: { color: v === null ? "#cbd2d9" : v >= 95 ? "#2f855a" : v >= 85 ? "#b7791f" : "#c53030" },
        })),
        label: { show: true, position: "top", formatter: (p) => (p.value === null ? "—" : `${p.value}%`) },
      },
    ],
  });
  element.dataset.ready = "true";
  window.addEventListener("resize", () => chart.resize());
});
