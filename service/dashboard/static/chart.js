// The index chart (uPlot, vendored): the line, its uncertainty band, the provisional days.
// Dragging across it or clicking a point asks for an explanation of that window.

import { dayToSeconds, fmtValue, isoDay } from "./format.js";

const { uPlot } = window;
let plot = null;
let pressedAt = null;

function cssVar(name) {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim();
}

/** Shade the provisional days (the last ones, which late items may still revise). */
function provisionalShading(u) {
  const start = u.data[4]?.findIndex((p) => p === 1);
  if (start === undefined || start < 0) return;
  const { ctx, bbox } = u;
  const xs = u.data[0];
  const left = start > 0 ? (u.valToPos(xs[start - 1], "x", true) + u.valToPos(xs[start], "x", true)) / 2
                         : bbox.left;
  ctx.save();
  ctx.fillStyle = cssVar("--provisional-fill");
  ctx.fillRect(left, bbox.top, bbox.left + bbox.width - left, bbox.height);
  ctx.restore();
}

function chartSize(container) {
  const width = Math.max(280, container.clientWidth);
  return { width, height: Math.round(Math.min(380, Math.max(260, width * 0.42))) };
}

function paddedRange(min, max) {
  if (min === null || max === null) return [0, 100];
  const pad = Math.max(1, (max - min) * 0.08);
  return [Math.max(0, Math.floor(min - pad)), Math.min(100, Math.ceil(max + pad))];
}

/** A drag selects a window: explain from its first point to its last. */
function onSelect(u, onExplain) {
  if (u.select.width < 3) return;
  const from = u.posToIdx(u.select.left);
  const to = u.posToIdx(u.select.left + u.select.width);
  if (from === null || to === null || to <= from) return;
  onExplain(from, to);
}

/** A click (not the end of a drag) explains the period ending at the clicked point. */
function onClick(u, event, onExplain) {
  const dragged = pressedAt !== null && Math.abs(event.clientX - pressedAt) > 3;
  pressedAt = null;
  const idx = u.cursor.idx;
  if (dragged || idx === null || idx === undefined || idx < 1) return;
  const [left, right] = [u.valToPos(u.data[0][idx - 1], "x"), u.valToPos(u.data[0][idx], "x")];
  u.setSelect({ left, top: 0, width: right - left, height: u.over.clientHeight }, false);
  onExplain(idx - 1, idx);
}

/**
 * Draw ``series`` (history points) in ``container``; ``overall``, when given, is the
 * overall series drawn dashed for comparison. ``onExplain(fromIndex, toIndex)`` gets the
 * indexes into ``series`` of a window chosen on the chart.
 */
export function renderChart(container, series, overall, { label, interval, onExplain }) {
  const overallByDay = new Map((overall || []).map((p) => [p.date, p.value]));
  const data = [
    series.map((p) => dayToSeconds(p.date)),
    series.map((p) => p.value),
    series.map((p) => p.high),
    series.map((p) => p.low),
    series.map((p) => (p.provisional ? 1 : 0)),
    series.map((p) => (overall ? overallByDay.get(p.date) ?? null : null)),
  ];
  const axis = { stroke: cssVar("--muted"), grid: { stroke: cssVar("--grid") }, ticks: { stroke: cssVar("--grid") } };
  const shown = (u, v) => fmtValue(v);
  const opts = {
    ...chartSize(container),
    tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), "Etc/UTC"),
    cursor: { drag: { x: true, y: false, setScale: false }, points: { size: 7 } },
    select: { show: true },
    scales: { x: { time: true }, y: { auto: true, range: (u, min, max) => paddedRange(min, max) } },
    axes: [axis, { ...axis, size: 44 }],
    series: [
      { label: "Date (UTC)", value: (u, ts) => (ts == null ? "–" : isoDay(new Date(ts * 1000))) },
      { label, stroke: cssVar("--accent"), width: 2, value: shown },
      { label: "95th pct", stroke: cssVar("--band-edge"), width: 1, value: shown },
      { label: "5th pct", stroke: cssVar("--band-edge"), width: 1, value: shown },
      { label: "provisional", show: false, scale: "flag" },
      { label: "Overall", show: Boolean(overall), stroke: cssVar("--muted"), width: 1.5, dash: [5, 4],
        value: shown },
    ],
    bands: [{ series: [2, 3], fill: cssVar("--band-fill") }],
    legend: { live: true },
    hooks: {
      drawClear: [provisionalShading],
      setSelect: [(u) => onSelect(u, onExplain)],
      ready: [(u) => {
        u.over.addEventListener("mousedown", (event) => { pressedAt = event.clientX; });
        u.over.addEventListener("click", (event) => onClick(u, event, onExplain));
      }],
    },
  };
  if (plot) plot.destroy();
  container.replaceChildren();
  plot = new uPlot(opts, data, container);
  // The legend's live values skip the helper series: the flag and, without a domain, the comparison.
  const rows = container.querySelectorAll(".u-legend .u-series");
  rows[4]?.classList.add("helper");
  if (!overall) rows[5]?.classList.add("helper");

  // What the chart shows, for assistive technology and for the browser test.
  const first = series[0];
  const last = series[series.length - 1];
  Object.assign(container.dataset, {
    points: String(series.length), first: first?.date ?? "", last: last?.date ?? "",
    interval, provisional: String(series.filter((p) => p.provisional).length),
  });
  container.setAttribute("aria-label", last
    ? `Alignment index, ${label}, ${series.length} points by ${interval} from ${first.date} to `
      + `${last.date}; latest ${fmtValue(last.value)} (band ${fmtValue(last.low)}–${fmtValue(last.high)})`
    : "No index history in this period");
}

export function resizeChart(container) {
  if (plot) plot.setSize(chartSize(container));
}
