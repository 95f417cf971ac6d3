// World map of activity counts per country (ECharts + world-atlas TopoJSON, both served locally).
// Data comes from the json block on the page; no inline script (CSP).
(function () {
  function draw() {
    var holder = document.getElementById("activity-map");
    var source = document.getElementById("activity-map-data");
    if (!holder || !source || typeof echarts === "undefined" || typeof topojson === "undefined") return;
    var data = JSON.parse(source.textContent);
    fetch(holder.dataset.topology).then(function (r) { return r.json(); }).then(function (topo) {
      var world = topojson.feature(topo, topo.objects.countries);
      // Antarctica takes room and has no partners. Rings crossing the antimeridian (Russia, Fiji)
      // would be drawn as lines across the whole map: their western points move east of 180°.
      world.features = world.features.filter(function (f) { return String(f.id) !== "010"; });
      function mend(ring) {
        for (var i = 1; i < ring.length; i++) {
          if (Math.abs(ring[i][0] - ring[i - 1][0]) > 180) {
            return ring.map(function (p) { return p[0] < 0 ? [p[0] + 360, p[1]] : p; });
          }
        }
        return ring;
      }
      world.features.forEach(function (f) {
        var g = f.geometry;
        if (!g) return;
        if (g.type === "Polygon") g.coordinates = g.coordinates.map(mend);
        if (g.type === "MultiPolygon") g.coordinates = g.coordinates.map(function (poly) { return poly.map(mend); });
        // Features are keyed by ISO numeric code, so names in any language match the data.
        f.properties = { name: String(f.id) };
      });
      echarts.registerMap("world", world);
      var byId = {};
      data.countries.forEach(function (c) { if (c.id) byId[c.id] = c; });
      var max = data.countries.reduce(function (m, c) { return Math.max(m, c.value); }, 1);
      var chart = echarts.init(holder);
      chart.setOption({
        tooltip: {
          trigger: "item",
          formatter: function (p) { var c = byId[p.name]; return c ? c.name + ": " + c.value : ""; }
        },
        visualMap: { min: 0, max: max, left: 10, bottom: 10, calculable: true, inRange: { color: ["#e7f1ff", "#0d6efd", "#052c65"] } },
        series: [{
          type: "map", map: "world", roam: true, name: data.label,
          emphasis: { label: { show: false } },
          data: data.countries.filter(function (c) { return c.id; }).map(function (c) { return { name: c.id, value: c.value }; })
        }]
      });
      chart.on("click", function (p) { var c = byId[p.name]; if (c) window.location.href = c.url; });
      window.addEventListener("resize", function () { chart.resize(); });
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw); else draw();
})();
