import { type CSSProperties, useEffect, useRef } from 'react';

/**
 * An ECharts chart, loaded on first use (its own chunk: screens without charts never download it).
 * Only the bar and pie charts and the components they need are bundled. `option` is ECharts' option.
 */
type Option = Record<string, unknown>;

let loader: Promise<typeof import('./echarts-core')> | undefined;
const loadEcharts = () => {
  loader ??= import('./echarts-core');
  return loader;
};

export function Chart({
  option,
  height = 300,
  style,
  label,
}: {
  option: Option;
  height?: number;
  style?: CSSProperties;
  label: string;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const chartRef = useRef<{
    setOption(o: Option, notMerge?: boolean): void;
    resize(): void;
    dispose(): void;
  } | null>(null);

  const latest = useRef(option);
  latest.current = option;

  useEffect(() => {
    let disposed = false;
    let observer: ResizeObserver | undefined;
    void loadEcharts().then(({ echarts }) => {
      if (disposed || !ref.current) return;
      const chart = echarts.init(ref.current, undefined, { renderer: 'canvas' });
      chartRef.current = chart;
      chart.setOption(latest.current, true);
      observer = new ResizeObserver(() => chart.resize());
      observer.observe(ref.current);
    });
    return () => {
      disposed = true;
      observer?.disconnect();
      chartRef.current?.dispose();
      chartRef.current = null;
    };
    // created once; option changes are applied by the effect below
  }, []);

  useEffect(() => {
    chartRef.current?.setOption(option, true);
  }, [option]);

  return <div ref={ref} role="img" aria-label={label} style={{ width: '100%', height, ...style }} />;
}
