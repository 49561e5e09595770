/* The admin dashboard's charts (Chart.js, vendored in static/vendor/).
 *
 * The numbers come from the page's <script type="application/json"
 * id="dashboard-data"> (Django's json_script); nothing here is inline, so
 * the page works under a Content Security Policy without 'unsafe-inline'.
 * Without JavaScript (or without Chart.js) the tables stay open instead.
 */
(function () {
  "use strict";

  var source = document.getElementById("dashboard-data");
  if (!source || typeof window.Chart === "undefined") {
    return;
  }
  var data = JSON.parse(source.textContent);
  var Chart = window.Chart;

  var STATUS_COLOURS = {
    booked: "#0d6efd",
    completed: "#198754",
    cancelled: "#adb5bd",
    no_show: "#dc3545",
  };
  var reduceMotion =
    window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;

  Chart.defaults.maintainAspectRatio = false;
  if (reduceMotion) {
    Chart.defaults.animation = false;
  }

  function wholeNumbers(extra) {
    var scale = { beginAtZero: true, ticks: { precision: 0 } };
    return Object.assign(scale, extra || {});
  }

  /* A bar chart of one series (no legend needed); ``options`` adds the axes. */
  function oneSeries(d, label, colour, options) {
    options.plugins = Object.assign({ legend: { display: false } }, options.plugins || {});
    return {
      type: "bar",
      data: { labels: d.labels, datasets: [{ label: label, data: d.data, backgroundColor: colour }] },
      options: options,
    };
  }

  /* A chart's series name, in the page's language (the box's data-series), or ``fallback``. */
  function seriesName(box, fallback) {
    return box.dataset.series || fallback;
  }

  var builders = {
    perDay: function (d) {
      return {
        type: "bar",
        data: {
          labels: d.labels,
          datasets: d.series.map(function (s) {
            return { label: s.label, data: s.data, backgroundColor: STATUS_COLOURS[s.status] };
          }),
        },
        options: {
          scales: { x: { stacked: true }, y: wholeNumbers({ stacked: true }) },
          plugins: { tooltip: { mode: "index" } },
        },
      };
    },
    perDepartment: function (d, box) {
      return oneSeries(d, seriesName(box, "Appointments"), "#0d6efd", { scales: { y: wholeNumbers() } });
    },
    busiestDoctors: function (d, box) {
      return oneSeries(d, seriesName(box, "Completed visits"), "#198754", {
        indexAxis: "y",
        scales: { x: wholeNumbers() },
      });
    },
    noShowRate: function (d, box) {
      return oneSeries(d, seriesName(box, "No-show rate (%)"), "#dc3545", {
        scales: { y: { beginAtZero: true, suggestedMax: 100, ticks: { callback: percent } } },
        plugins: {
          tooltip: {
            callbacks: {
              label: function (item) {
                return percent(item.parsed.y);
              },
            },
          },
        },
      });
    },
  };

  function percent(value) {
    return value + "%";
  }

  document.querySelectorAll("[data-chart]").forEach(function (box) {
    var build = builders[box.dataset.chart];
    var chartData = data[box.dataset.chart];
    if (!build || !chartData) {
      return;
    }
    // Show the box before drawing: Chart.js sizes the canvas from its parent.
    box.hidden = false;
    new Chart(box.querySelector("canvas"), build(chartData, box));
    // The chart is there, so its table folds away behind its toggle.
    var details = box.parentElement.querySelector("details");
    if (details) {
      details.open = false;
    }
  });
})();
