// A Chart.js chart (bundled, no CDN) with its numbers also in a table for screen readers and
// for anyone who would rather read them.
import { ArcElement, BarController, BarElement, CategoryScale, Chart, DoughnutController, Legend, LinearScale, Tooltip } from 'chart.js';
import { useEffect, useRef } from 'preact/hooks';
import { t } from '../i18n/index.js';

Chart.register(ArcElement, BarController, BarElement, CategoryScale, DoughnutController, Legend, LinearScale, Tooltip);

// Colours with at least 3:1 contrast against white (WCAG non-text contrast).
export const PALETTE = ['#1f6f43', '#1e5aa8', '#a14d00', '#7a3e9d', '#b3261e', '#3d5a5a', '#6b6b00', '#005f73'];

export interface Series { label: string; values: number[] }

export function ChartFigure(props: { title: string; kind: 'bar' | 'doughnut'; labels: string[]; series: Series[]; stacked?: boolean }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const empty = props.series.every((s) => s.values.every((v) => v === 0));
  useEffect(() => {
    if (empty) return undefined;
    const chart = new Chart(canvas.current!, {
      type: props.kind,
      data: {
        labels: props.labels,
        datasets: props.series.map((s, i) => ({
          label: s.label, data: s.values,
          backgroundColor: props.kind === 'doughnut' ? props.labels.map((_, j) => PALETTE[j % PALETTE.length]) : PALETTE[i % PALETTE.length],
        })),
      },
      options: {
        responsive: true, maintainAspectRatio: false, animation: false,
        plugins: { legend: { display: props.kind === 'doughnut' || props.series.length > 1, position: 'bottom' } },
        ...(props.kind === 'bar' ? { scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } } : {}),
      },
    });
    return () => chart.destroy();
  }, [JSON.stringify([props.labels, props.series, props.title])]);
  return (
    <figure class="chart">
      <figcaption>{props.title}</figcaption>
      {empty ? <p class="chart-empty">{t('list.empty')}</p> : <div class="chart-canvas"><canvas ref={canvas} role="img" aria-label={props.title} /></div>}
      <table class="visually-hidden">
        <thead><tr><th scope="col">{props.title}</th>{props.series.map((s) => <th scope="col">{s.label}</th>)}</tr></thead>
        <tbody>{props.labels.map((l, i) => <tr><th scope="row">{l}</th>{props.series.map((s) => <td>{s.values[i]}</td>)}</tr>)}</tbody>
      </table>
    </figure>
  );
}
