// Aid statistics chart (ECharts): reads its data from the json_script block, no inline script (CSP).
(function () {
  function draw() {
    var holder = document.getElementById("aid-chart");
    var source = document.getElementById("aid-chart-data");
    if (!holder || !source || typeof echarts === "undefined") return;
    var data = JSON.parse(source.textContent);
    var chart = echarts.init(holder);
    chart.setOption({
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      grid: { left: 80, right: 20, top: 40, bottom: 30 },
      xAxis: { type: "category", data: data.labels },
      yAxis: { type: "value", name: "USD" },
      series: data.series.map(function (s) { return { name: s.name, type: "bar", data: s.values }; })
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw); else draw();
})();
