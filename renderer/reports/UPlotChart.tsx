import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

/** Options for a chart, without its size: the wrapper sizes it to its box. */
export type ChartOptions = Omit<uPlot.Options, 'width' | 'height'>;

/**
 * A uPlot chart in React. uPlot owns the canvas: the chart is built when the options change
 * (new data shape, a new theme) and only fed new data otherwise, and it follows its box's width.
 * The canvas means nothing to a screen reader, so the figure carries a label and the page gives
 * the same numbers in a table.
 */
export function UPlotChart({ options, data, label, height = 240 }: { options: ChartOptions; data: uPlot.AlignedData; label: string; height?: number }) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<uPlot | null>(null);
  const latestData = useRef(data);
  latestData.current = data;

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const plot = new uPlot({ ...options, width: Math.max(200, el.clientWidth), height }, latestData.current, el);
    chart.current = plot;
    const resize = new ResizeObserver(() => plot.setSize({ width: Math.max(200, el.clientWidth), height }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      plot.destroy();
      chart.current = null;
    };
  }, [options, height]);

  useEffect(() => {
    chart.current?.setData(data);
  }, [data]);

  return <div ref={box} className="chart" role="img" aria-label={label} />;
}
