// Standardised-management panel: found and rectified bars per facility with the rectification rate
// as a line on a second axis, from the JSON block the server rendered.
document.addEventListener("DOMContentLoaded", () => {
  const element = document.getElementById("standards-chart");
  const source = document.getElementById("standards-chart-data");
  const labels = document.getElementById("standards-chart-labels");
  if (!element || !source || !labels || typeof echarts === "undefined") return;
  const data = JSON.parse(source.textContent);
  const chart = echarts.init(element, null, { renderer: "svg" });
  chart.setOption({
    animation: false,
    tooltip: { trigger: "axis" },
    legend: { top: 0 },
    grid: { left: 48, right: 56, top: 40, bottom: 64 },
    xAxis: { type: "category", data: data.categories, axisLabel: { interval: 0, rotate: 30 } },
    yAxis: [
      { type: "value", minInterval: 1 },
      { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" } },
    ],
    series: [
      { name: labels.dataset.found, type: "bar", data: data.found },
      { name: labels.dataset.rectified, type: "bar", data: data.rectified },
      {
        name: labels.dataset.rate, type: "line", yAxisIndex: 1, data: data.rate,
        tooltip: { valueFormatter: (v) => (v == null ? "—" : `${v}%`) },
      },
    ],
  });
  element.dataset.ready = "true";
  window.addEventListener("resize", () => chart.resize());
});
