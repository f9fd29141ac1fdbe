// Target-management assessment: stacked bars (inspection part + rectification part) per facility, from the JSON block.
document.addEventListener("DOMContentLoaded", () => {
  const element = document.getElementById("assessment-chart");
  const source = document.getElementById("assessment-chart-data");
  const labels = document.getElementById("assessment-chart-labels");
  if (!element || !source || !labels || typeof echarts === "undefined") return;
  const data = JSON.parse(source.textContent);
  const series = ["inspection", "rectification"].map((key) => ({
    name: labels.dataset[key],
    type: "bar",
    stack: "total",
    data: data[key],
  }));
  const chart = echarts.init(element, null, { renderer: "svg" });
  chart.setOption({
    animation: false,
    tooltip: { trigger: "axis" },
    legend: { top: 0 },
    grid: { left: 48, right: 16, top: 40, bottom: 64 },
    xAxis: { type: "category", data: data.categories, axisLabel: { interval: 0, rotate: 30 } },
    yAxis: { type: "value", min: 0, max: data.full_marks },
    series,
  });
  element.dataset.ready = "true";
  window.addEventListener("resize", () => chart.resize());
});
