/* 统计看板: draws the charts whose options the server put in #dashboard-charts (data-options), and opens
   the rows behind a bar, slice or point on click. Runs again after htmx swaps in new figures. */
(function () {
  "use strict";
  var charts = [];

  function draw(root) {
    var source = document.getElementById("dashboard-charts");
    if (!source || !window.echarts) { return; }
    var options = JSON.parse(source.getAttribute("data-options"));
    charts.forEach(function (chart) { chart.dispose(); });
    charts = [];
    document.querySelectorAll("[data-chart]").forEach(function (el) {
      var option = options[el.getAttribute("data-chart")];
      if (!option) { return; }
      var chart = window.echarts.init(el, null, { renderer: "canvas" });
      option.animation = false;
      chart.setOption(option);
      chart.on("click", function (params) {
        if (params.data && params.data.url) { window.location.href = params.data.url; }
      });
      charts.push(chart);
    });
  }

  function busy(on) {
    var figures = document.getElementById("figures");
    if (figures) { figures.classList.toggle("loading", on); }
  }

  document.addEventListener("DOMContentLoaded", function () { draw(document); });
  document.addEventListener("htmx:afterSettle", function (event) {
    if (event.target && event.target.id === "figures") { draw(event.target); }
  });
  document.addEventListener("htmx:beforeRequest", function () { busy(true); });
  document.addEventListener("htmx:afterRequest", function () { busy(false); });
  window.addEventListener("resize", function () { charts.forEach(function (chart) { chart.resize(); }); });
}());
