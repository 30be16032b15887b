/// <reference lib="dom" />
import { BarController, BarElement, CategoryScale, Chart, LinearScale, Tooltip } from "chart.js";

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Tooltip);

/** A bar chart of orders per minute; returns an updater. */
export function createMinuteChart(
  canvas: HTMLCanvasElement,
  points: { minute: string; orders: number }[],
  label: string,
) {
  const chart = new Chart(canvas, {
    type: "bar",
    data: {
      labels: points.map((p) => p.minute),
      datasets: [{ label, data: points.map((p) => p.orders), backgroundColor: "#d63133" }],
    },
    options: {
      animation: { duration: 200 },
      responsive: true,
      maintainAspectRatio: false,
      scales: { y: { beginAtZero: true, ticks: { precision: 0 } } },
      plugins: { legend: { display: false } },
    },
  });
  // What the chart draws, readable from the page (tests compare it with the database).
  const record = (p: { minute: string; orders: number }[]) => (canvas.dataset.series = JSON.stringify(p));
  record(points);
  return {
    update(next: { minute: string; orders: number }[]) {
      chart.data.labels = next.map((p) => p.minute);
      chart.data.datasets[0].data = next.map((p) => p.orders);
      chart.update();
      record(next);
    },
  };
}
