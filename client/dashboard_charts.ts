/// <reference lib="dom" />
import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, Tooltip } from "chart.js";
import type { DashboardState } from "./dashboard_model.ts";

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Legend, Tooltip);

/** Creates the two stacked-by-tier charts (team sales, my commission) and returns an updater. */
export function createCharts(
  sales: HTMLCanvasElement,
  commission: HTMLCanvasElement,
  state: DashboardState,
  options: { tiers: string[]; colours: string[] },
) {
  const make = (canvas: HTMLCanvasElement, series: string[][]) =>
    new Chart(canvas, {
      type: "bar",
      data: {
        labels: state.days.map((d) => d.slice(5)),
        datasets: series.map((values, i) => ({
          label: options.tiers[i],
          data: values.map(Number),
          backgroundColor: options.colours[i],
          stack: "tiers",
        })),
      },
      options: {
        animation: { duration: 300 },
        responsive: true,
        maintainAspectRatio: false,
        scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true } },
        plugins: { legend: { position: "bottom" } },
      },
    });
  const salesChart = make(sales, state.salesSeries);
  const commissionChart = make(commission, state.commissionSeries);
  return {
    update(next: DashboardState) {
      for (
        const [chart, series] of [[salesChart, next.salesSeries], [commissionChart, next.commissionSeries]] as const
      ) {
        series.forEach((values, i) => (chart.data.datasets[i].data = values.map(Number)));
        chart.update();
      }
    },
  };
}
