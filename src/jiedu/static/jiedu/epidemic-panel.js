// Epidemic panel: grouped bars of today's compliance per facility (percent), from the JSON block.
document.addEventListener("DOMContentLoaded", () => {
  const element = document.getElementById("epidemic-chart");
  const source = document.getElementById("epidemic-chart-data");
  const labels = document.getElementById("epidemic-chart-labels");
  if (!element || !source || !labels || typeof echarts === "undefined") return;
  const data = JSON.parse(source.textContent);
  const series = ["rounds", "ventilation", "disinfection"].map((key) => ({
    name: labels.dataset[key],
    type: "bar",
    data: data[key],
  }));
  const chart = echarts.init(element, null, { renderer: "svg" });
  chart.setOption({
    animation: false,
    // richText: ECharts' HTML tooltips carry style attributes, which the CSP blocks.
    tooltip: { renderMode: "richText", trigger: "axis", valueFormatter: (v) => (v == null ? "—" : `${v}%`) },
    legend: { top: 0 },
    grid: { left: 48, right: 16, top: 40, bottom: 64 },
    xAxis: { type: "category", data: data.categories, axisLabel: { interval: 0, rotate: 30 } },
    yAxis: { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" } },
    series,
  });
  element.dataset.ready = "true";
  window.addEventListener("resize", () => chart.resize());
});
