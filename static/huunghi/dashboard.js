// Dashboard charts (ECharts). The data come from the json_script block #dashboard-data (no inline
// script: CSP); each chart has a table view next to it, which stays open when charts cannot be
// drawn. Every bar and country links to the records behind it (item.url).
(function () {
  "use strict";
  var PALETTE = ["#0d6efd", "#fd7e14", "#198754", "#6f42c1", "#d63384", "#20c997", "#ffc107", "#0dcaf0", "#6c757d", "#dc3545", "#6610f2"];

  function numberFormat() {
    var lang = (document.documentElement.lang || "vi").slice(0, 2);
    var fmt = new Intl.NumberFormat(lang === "en" ? "en-GB" : "vi-VN", { maximumFractionDigits: 1 });
    return function (v) { return fmt.format(v); };
  }

  function follow(params) {
    var url = params && params.data && params.data.url;
    if (url) window.location.assign(url);
  }

  function barOption(spec, fmt) {
    var horizontal = !!spec.horizontal;
    var wide = horizontal ? 150 : (spec.categories.length <= 4 ? 180 : 80);
    var category = { type: "category", data: spec.categories, axisLabel: { interval: 0, width: wide, overflow: "truncate" } };
    var value = { type: "value", axisLabel: { formatter: fmt } };
    if (spec.unit) value.name = spec.unit; else value.minInterval = 1;  // counts: whole numbers
    return {
      color: PALETTE,
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, valueFormatter: fmt },
      legend: { top: 0, type: "scroll" },
      grid: { left: horizontal ? 160 : 60, right: 20, top: 36, bottom: horizontal ? 20 : 30, containLabel: false },
      xAxis: horizontal ? value : category,
      yAxis: horizontal ? category : value,
      series: spec.series.map(function (s) {
        var out = { name: s.name, type: "bar", data: s.data, cursor: "pointer" };
        if (s.stack) out.stack = s.stack;
        if (s.colour) out.itemStyle = { color: s.colour };
        return out;
      })
    };
  }

  function mapOption(spec, fmt) {
    var data = spec.series[0].data;
    var max = data.reduce(function (m, d) { return Math.max(m, d.value); }, 1);
    return {
      tooltip: {
        trigger: "item",
        formatter: function (p) { return p.data ? p.data.label + ": " + fmt(p.data.value) : p.name ? "" : ""; }
      },
      visualMap: { min: 0, max: max, left: 10, bottom: 10, calculable: true, inRange: { color: ["#cfe2ff", "#0a3d91"] }, formatter: fmt },
      series: [{
        name: spec.series[0].name, type: "map", map: "world", nameProperty: "iso", roam: true,
        layoutCenter: ["50%", "55%"], layoutSize: "150%",
        emphasis: { label: { show: false } }, selectedMode: false,
        itemStyle: { areaColor: "#f1f3f5", borderColor: "#adb5bd", borderWidth: 0.5 },
        data: data.map(function (d) { return { name: d.id, value: d.value, url: d.url, label: d.name }; })
      }]
    };
  }

  // Natural Earth cuts Russia and Fiji at 180°, but a ring may still hold points just past it
  // (-179°): drawn as is, they stripe the map from side to side. Pin them to the edge instead.
  function clampAntimeridian(geometry) {
    if (!geometry) return;
    var polygons = geometry.type === "Polygon" ? [geometry.coordinates] : geometry.type === "MultiPolygon" ? geometry.coordinates : [];
    polygons.forEach(function (polygon) {
      polygon.forEach(function (ring) {
        var east = ring.some(function (p) { return p[0] > 150; });
        var west = ring.some(function (p) { return p[0] < -150; });
        if (east && west) ring.forEach(function (p) { if (p[0] < 0) p[0] = 180; });
      });
    });
  }

  function show(holder, option) {
    holder.hidden = false;
    holder.style.height = (holder.dataset.height || 300) + "px";
    var chart = echarts.init(holder, null, { renderer: "svg" });
    chart.setOption(option);
    chart.on("click", follow);
    window.addEventListener("resize", function () { chart.resize(); });
    var card = holder.closest(".dashboard-card");
    var table = card && card.querySelector("details.dashboard-table");
    if (table) table.open = false;  // the chart is drawn: the table stays one click away
  }

  function draw() {
    var source = document.getElementById("dashboard-data");
    if (!source || typeof echarts === "undefined") return;
    var charts = JSON.parse(source.textContent);
    var fmt = numberFormat();
    var maps = [];
    document.querySelectorAll("[data-chart]").forEach(function (holder) {
      var spec = charts[holder.dataset.chart];
      if (!spec) return;
      if (spec.type === "map") { maps.push([holder, spec]); return; }
      if (spec.horizontal) holder.dataset.height = Math.max(200, 40 + 26 * spec.categories.length);
      show(holder, barOption(spec, fmt));
    });
    if (!maps.length || typeof topojson === "undefined") return;
    var script = document.getElementById("dashboard-script");
    fetch(script.dataset.world).then(function (r) { return r.json(); }).then(function (topology) {
      var world = topojson.feature(topology, topology.objects.countries);
      // Antarctica (010) takes a fifth of the height and holds no partner.
      world.features = world.features.filter(function (f) { return f.id !== "010"; });
      world.features.forEach(function (f) { f.properties.iso = f.id || ""; clampAntimeridian(f.geometry); });
      echarts.registerMap("world", world);
      maps.forEach(function (pair) { pair[0].dataset.height = 340; show(pair[0], mapOption(pair[1], fmt)); });
    }).catch(function () { /* the table view stays open */ });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw); else draw();
})();
