// Aid statistics chart (ECharts): reads its data from the json_script block, no inline script (CSP).
(function () {
  function draw() {
    var holder = document.getElementById("aid-chart");
    var source = document.getElementById("aid-chart-data");
    if (!holder || !source || typeof echarts === "undefined") return;
    var data = JSON.parse(source.textContent);
    var chart = echarts.init(holder);
    // Numbers as the page's language writes them (1.234.567 in Vietnamese).
    var lang = document.documentElement.lang || "vi";
    var number = function (v) { return Number(v).toLocaleString(lang === "en" ? "en-GB" : "vi-VN", { maximumFractionDigits: 0 }); };
    chart.setOption({
      tooltip: { trigger: "axis", valueFormatter: number },
      legend: { top: 0 },
      grid: { left: 80, right: 20, top: 40, bottom: 30 },
      xAxis: { type: "category", data: data.labels },
      yAxis: { type: "value", name: "USD", axisLabel: { formatter: number } },
      series: data.series.map(function (s) { return { name: s.name, type: "bar", data: s.values }; })
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw); else draw();
})();
