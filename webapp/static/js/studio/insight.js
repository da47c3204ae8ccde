// Draws the visitor-insight charts from the tables beside them (the tables stay: they are
// the figures for screen readers and for anyone who cannot tell the chart's marks apart).
// Chart.js is self-hosted (static/vendor/chart.umd.min.js, loaded before this module).
const ink = getComputedStyle(document.documentElement).getPropertyValue("--accent").trim() || "#1f5f8b";

for (const table of document.querySelectorAll("table[data-chart]")) {
  const canvas = document.getElementById(table.dataset.chart);
  const rows = [...table.tBodies[0].rows].filter((row) => row.cells.length === 2);
  if (!canvas || !rows.length || !window.Chart) continue;
  const line = canvas.dataset.kind === "line";
  new window.Chart(canvas, {
    type: line ? "line" : "bar",
    data: {
      labels: rows.map((row) => row.cells[0].textContent),
      datasets: [
        {
          label: canvas.getAttribute("aria-label"),
          data: rows.map((row) => Number(row.cells[1].textContent)),
          backgroundColor: line ? ink : `${ink}cc`,
          borderColor: ink,
          borderWidth: line ? 2 : 1,
          pointStyle: "rectRot",
          pointRadius: 4,
        },
      ],
    },
    options: {
      animation: false,
      maintainAspectRatio: false,
      plugins: { legend: { display: false } },
      scales: { y: { beginAtZero: true, ticks: { precision: 0 } }, x: { ticks: { precision: 0 } } },
    },
  });
}
