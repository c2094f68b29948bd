// The progress charts, drawn with Chart.js: coverage per module, a heatmap
// of reviews per day, the due forecast, and each card's scores over its
// attempts. Data shaping is kept apart from drawing so it can be tested.
// (Observable Plot was the first choice; its d3 modules assign `constructor`
// and `toString` on plain objects, which the app's frozen Object.prototype
// forbids, so it cannot load in this window.)

import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  ScatterController,
  Tooltip,
  type ChartConfiguration,
} from 'chart.js';
import type { CardScores, DayCount, ModuleCoverage } from '../../api';

Chart.register(
  BarController,
  BarElement,
  CategoryScale,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  ScatterController,
  Tooltip,
);

/** The theme's colours, read from app.css when a chart is drawn. */
export interface Palette {
  text: string;
  muted: string;
  faint: string;
  border: string;
  sunken: string;
  accent: string;
  accentSoft: string;
}

export function palette(root: HTMLElement = document.documentElement): Palette {
  const style = getComputedStyle(root);
  const get = (name: string) => style.getPropertyValue(name).trim();
  return {
    text: get('--text'),
    muted: get('--text-muted'),
    faint: get('--text-faint'),
    border: get('--border'),
    sunken: get('--bg-sunken'),
    accent: get('--accent'),
    accentSoft: get('--accent-soft'),
  };
}

export interface CoverageRow {
  label: string;
  answered: number;
  total: number;
  share: number;
}

/** One bar per module, named "Note · Module" (or the note alone). */
export function coverageRows(modules: readonly ModuleCoverage[]): CoverageRow[] {
  return modules.map((m) => ({
    // The module says most; the note, cut short, says where it is.
    label: m.module ? `${shorten(m.noteTitle, 16)} › ${shorten(m.module, 30)}` : shorten(m.noteTitle, 48),
    answered: m.answered,
    total: m.total,
    share: m.total ? m.answered / m.total : 0,
  }));
}

export interface HeatCell {
  day: string;
  count: number;
  /** Weeks since the first shown, Monday-based. */
  week: number;
  /** 0 = Monday … 6 = Sunday. */
  weekday: number;
}

/** The days laid out as a calendar: a column per week, a row per weekday. */
export function heatCells(days: readonly DayCount[]): HeatCell[] {
  if (days.length === 0) return [];
  const dayNumber = (day: string) => Date.parse(`${day}T00:00:00Z`) / 86_400_000;
  // 1970-01-01 was a Thursday: day 0 is weekday 3, Monday-based.
  const weekdayOf = (n: number) => (n + 3) % 7;
  const monday = dayNumber(days[0]!.day) - weekdayOf(dayNumber(days[0]!.day));
  return days.map((d) => {
    const n = dayNumber(d.day);
    return { day: d.day, count: d.count, week: Math.floor((n - monday) / 7), weekday: weekdayOf(n) };
  });
}

export interface ScoreLine {
  title: string;
  attempt: number;
  score: number;
}

/** The `limit` cards revealed most recently, each as its attempts in order. */
export function scoreLines(cards: readonly CardScores[], limit = 6): ScoreLine[] {
  const latest = (c: CardScores) => c.attempts.at(-1)?.at ?? '';
  return [...cards]
    .sort((a, b) => latest(b).localeCompare(latest(a)))
    .slice(0, limit)
    .flatMap((c) => c.attempts.map((a, i) => ({ title: shorten(c.title, 40), attempt: i + 1, score: a.score })));
}

function shorten(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const WEEKDAYS = ['Mon', '', 'Wed', '', 'Fri', '', ''];
/** Distinct line colours for the score chart, readable in both themes. */
const SERIES = ['#2b8a6e', '#d0743c', '#4a78c2', '#b5489a', '#c9a227', '#6a5acd'];

/** `#2b6a57` at opacity `alpha`; other colour syntaxes are returned as they are. */
export function withAlpha(color: string, alpha: number): string {
  const hex = /^#([0-9a-f]{6})$/i.exec(color.trim())?.[1];
  if (!hex) return color;
  const [r, g, b] = [0, 2, 4].map((i) => parseInt(hex.slice(i, i + 2), 16));
  return `rgba(${r}, ${g}, ${b}, ${alpha.toFixed(2)})`;
}

/** A chart drawn on `canvas`; destroy it before drawing another there. */
export type Drawn = Chart;

function draw(canvas: HTMLCanvasElement, config: ChartConfiguration, colors: Palette): Drawn {
  Chart.defaults.font.family = getComputedStyle(canvas).fontFamily;
  Chart.defaults.font.size = 11.5;
  Chart.defaults.color = colors.muted;
  Chart.defaults.borderColor = colors.border;
  return new Chart(canvas, config);
}

const quiet = { responsive: true, maintainAspectRatio: false, animation: false } as const;

/** Answered share per module, each bar the whole module. */
export function coverageChart(canvas: HTMLCanvasElement, rows: CoverageRow[], colors: Palette): Drawn {
  return draw(
    canvas,
    {
      type: 'bar',
      data: {
        labels: rows.map((r) => `${r.label}  ${r.answered}/${r.total}`),
        datasets: [
          { label: 'Answered', data: rows.map((r) => r.answered), backgroundColor: colors.accent, borderRadius: 3 },
          { label: 'Not yet', data: rows.map((r) => r.total - r.answered), backgroundColor: colors.sunken, borderRadius: 3 },
        ],
      },
      options: {
        ...quiet,
        indexAxis: 'y',
        scales: {
          x: { stacked: true, grid: { color: colors.border }, ticks: { precision: 0 }, title: { display: true, text: 'questions' } },
          y: { stacked: true, grid: { display: false }, ticks: { color: colors.text } },
        },
        plugins: { legend: { display: false } },
      },
    },
    colors,
  );
}

/** A square per day, a column per week, darker for more reviews. */
export function heatmapChart(canvas: HTMLCanvasElement, cells: HeatCell[], colors: Palette, width: number): Drawn {
  const weeks = (cells.at(-1)?.week ?? 0) + 1;
  const size = Math.max(3, Math.min(7, (width - 60) / weeks / 2 - 1));
  const most = Math.max(1, ...cells.map((c) => c.count));
  const shade = (count: number) => (count === 0 ? colors.sunken : withAlpha(colors.accent, 0.3 + 0.7 * Math.sqrt(count / most)));
  const monthAt = new Map(cells.filter((c, i) => i === 0 || c.day.slice(8) === '01').map((c) => [c.week, c.day]));
  return draw(
    canvas,
    {
      type: 'scatter',
      data: {
        datasets: [
          {
            data: cells.map((c) => ({ x: c.week, y: c.weekday })),
            pointStyle: 'rectRounded',
            pointRadius: size,
            pointHoverRadius: size + 1,
            backgroundColor: cells.map((c) => shade(c.count)),
            borderWidth: 0,
          },
        ],
      },
      options: {
        ...quiet,
        layout: { padding: { top: 4, right: 8 } },
        scales: {
          x: {
            type: 'linear',
            position: 'top',
            min: -0.6,
            max: weeks - 0.4,
            grid: { display: false },
            border: { display: false },
            ticks: {
              stepSize: 1,
              autoSkip: false,
              maxRotation: 0,
              callback: (value) => {
                const day = monthAt.get(Number(value));
                return day ? MONTHS[Number(day.slice(5, 7)) - 1] : '';
              },
            },
          },
          y: {
            type: 'linear',
            reverse: true,
            min: -0.6,
            max: 6.6,
            grid: { display: false },
            border: { display: false },
            ticks: { stepSize: 1, callback: (value) => WEEKDAYS[Number(value)] ?? '' },
          },
        },
        plugins: {
          legend: { display: false },
          tooltip: {
            displayColors: false,
            callbacks: {
              label: (item) => {
                const cell = cells[item.dataIndex];
                return cell ? `${cell.day}: ${cell.count} ${cell.count === 1 ? 'review' : 'reviews'}` : '';
              },
            },
          },
        },
      },
    },
    colors,
  );
}

/** Cards due each day of the next month, today first. */
export function forecastChart(canvas: HTMLCanvasElement, days: readonly DayCount[], colors: Palette): Drawn {
  return draw(
    canvas,
    {
      type: 'bar',
      data: {
        labels: days.map((d, i) => (i === 0 ? 'Today' : `${Number(d.day.slice(8))} ${MONTHS[Number(d.day.slice(5, 7)) - 1]}`)),
        datasets: [
          {
            label: 'Due',
            data: days.map((d) => d.count),
            backgroundColor: days.map((_, i) => (i === 0 ? colors.accent : colors.accentSoft)),
            borderColor: colors.accent,
            borderWidth: { top: 1.5, left: 0, right: 0, bottom: 0 },
            borderRadius: 2,
          },
        ],
      },
      options: {
        ...quiet,
        scales: {
          x: { grid: { display: false }, ticks: { maxRotation: 0, autoSkip: true, maxTicksLimit: 7 } },
          y: { beginAtZero: true, suggestedMax: 3, ticks: { precision: 0 }, grid: { color: colors.border } },
        },
        plugins: { legend: { display: false } },
      },
    },
    colors,
  );
}

/** One line per card: the score of each attempt. */
export function scoresChart(canvas: HTMLCanvasElement, lines: ScoreLine[], colors: Palette): Drawn {
  const titles = [...new Set(lines.map((l) => l.title))];
  const attempts = Math.max(2, ...lines.map((l) => l.attempt));
  return draw(
    canvas,
    {
      type: 'line',
      data: {
        datasets: titles.map((title, i) => ({
          label: title,
          data: lines.filter((l) => l.title === title).map((l) => ({ x: l.attempt, y: l.score })),
          borderColor: SERIES[i % SERIES.length],
          backgroundColor: SERIES[i % SERIES.length],
          borderWidth: 2,
          pointRadius: 3.5,
          tension: 0.25,
        })),
      },
      options: {
        ...quiet,
        scales: {
          x: { type: 'linear', min: 1, max: attempts, ticks: { stepSize: 1, precision: 0 }, title: { display: true, text: 'attempt' }, grid: { display: false } },
          y: { min: 0, max: 100, ticks: { stepSize: 25 }, title: { display: true, text: 'score' }, grid: { color: colors.border } },
        },
        plugins: { legend: { position: 'bottom', labels: { boxWidth: 10, boxHeight: 10, usePointStyle: true, color: colors.text } } },
      },
    },
    colors,
  );
}
