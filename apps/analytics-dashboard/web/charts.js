// uPlot charts of the dashboard (uPlot is loaded as a global from /vendor/uplot.iife.min.js).
const axis = { stroke: '#8b98a8', grid: { stroke: '#1e2731', width: 1 }, ticks: { stroke: '#263140' } };
const COLORS = { '1xx': '#8b98a8', '2xx': '#3fb950', '3xx': '#4cc2ff', '4xx': '#d29922', '5xx': '#f85149' };

function sizeOf(el) {
  return { width: Math.max(300, el.clientWidth), height: 220 };
}

/** A time-series chart in `el` with the given series; `update(data)` redraws it. */
export function timeChart(el, series, options = {}) {
  let newest = Date.now() / 1000;
  const plot = new window.uPlot(
    {
      ...sizeOf(el),
      scales: {
        // a fixed span ending at the newest window, so a single window still sits in context
        x: { time: true, range: () => [newest - options.spanSec, newest + options.stepSec] },
        y: options.y ?? { range: (_u, _min, max) => [0, Math.max(1, max * 1.15)] },
      },
      axes: [axis, { ...axis, size: 60, values: options.yValues }],
      series: [
        {},
        ...series.map((s) => ({ width: 2, points: { show: options.points ?? false, size: 7 }, ...s })),
      ],
      legend: { show: series.length > 1 },
      cursor: { drag: { x: false, y: false } },
    },
    [[], ...series.map(() => [])],
    el,
  );
  new ResizeObserver(() => plot.setSize(sizeOf(el))).observe(el);
  return {
    update(data) {
      newest = data[0].at(-1) ?? Date.now() / 1000;
      plot.setData(data);
    },
  };
}

export function statusSeries() {
  return ['2xx', '3xx', '4xx', '5xx'].map((cls) => ({ label: cls, stroke: COLORS[cls] }));
}
