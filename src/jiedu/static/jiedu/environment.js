// Ventilation and disinfection compliance: per key area for the chosen day, and the facility's
// trend over the last days, both from the JSON block the server rendered (percentages, 0-100).
document.addEventListener("DOMContentLoaded", () => {
  const source = document.getElementById("environment-chart-data");
  if (!source || typeof echarts === "undefined") return;
  const data = JSON.parse(source.textContent);
  const colours = { ventilation: "#3182ce", disinfection: "#38a169" };
  const percentAxis = { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" } };
  const charts = [];

  const areaElement = document.getElementById("area-chart");
  if (areaElement) {
    const chart = echarts.init(areaElement, null, { renderer: "svg" });
    chart.setOption({
      animation: false,
      color: [colours.ventilation, colours.disinfection],
      // richText: ECharts' HTML tooltips carry style attributes, which the CSP blocks.
      tooltip: { renderMode: "richText", trigger: "axis", axisPointer: { type: "shadow" }, valueFormatter: (v) => `${v}%` },
      legend: { top: 0 },
      grid: { left: 48, right: 16, top: 40, bottom: 48 },
      xAxis: { type: "category", data: data.areas, axisLabel: { interval: 0, rotate: data.areas.length > 6 ? 30 : 0 } },
      yAxis: percentAxis,
      series: ["ventilation", "disinfection"].map((kind) => ({ name: data.labels[kind], type: "bar", data: data[kind] })),
    });
    areaElement.dataset.ready = "true";
    charts.push(chart);
  }

  const trendElement = document.getElementById("trend-chart");
  if (trendElement) {
    const chart = echarts.init(trendElement, null, { renderer: "svg" });
    chart.setOption({
      animation: false,
      color: [colours.ventilation, colours.disinfection],
      // richText: ECharts' HTML tooltips carry style attributes, which the CSP blocks.
      tooltip: { renderMode: "richText", trigger: "axis", valueFormatter: (v) => `${v}%` },
      legend: { top: 0 },
      grid: { left: 48, right: 16, top: 40, bottom: 32 },
      xAxis: { type: "category", data: data.trend.days },
      yAxis: percentAxis,
      series: ["ventilation", "disinfection"].map((kind) => ({
        name: data.labels[kind], type: "line", data: data.trend[kind], symbolSize: 8,
      })),
    });
    trendElement.dataset.ready = "true";
    charts.push(chart);
  }
  window.addEventListener("resize", () => charts.forEach((chart) => chart.resize()));
});
