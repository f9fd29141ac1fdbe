// Residents per facility and zone: a stacked bar chart from the JSON block the server rendered.
document.addEventListener("DOMContentLoaded", () => {
  const element = document.getElementById("residents-chart");
  const source = document.getElementById("residents-chart-data");
  if (!element || !source || typeof echarts === "undefined") return;
  const data = JSON.parse(source.textContent);
  const chart = echarts.init(element, null, { renderer: "svg" });
  chart.setOption({
    animation: false,
    // richText: ECharts' HTML tooltips carry style attributes, which the CSP blocks.
    tooltip: { renderMode: "richText", trigger: "axis", axisPointer: { type: "shadow" } },
    legend: { type: "scroll", top: 0 },
    grid: { left: 40, right: 16, top: 48, bottom: 64 },
    xAxis: { type: "category", data: data.categories, axisLabel: { interval: 0, rotate: 30 } },
    yAxis: { type: "value", minInterval: 1 },
    series: data.series.map((s) => ({ name: s.name, type: "bar", stack: "residents", data: s.data })),
  });
  element.dataset.ready = "true";
  window.addEventListener("resize", () => chart.resize());
});
