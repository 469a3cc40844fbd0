import { useEffect, useRef } from 'react';

export interface ChartClick {
  name: string;
  seriesName?: string;
  data?: unknown;
  value?: unknown;
}

/**
 * One ECharts chart. ECharts is imported on first use, so it never enters the public bundle; the container is an
 * image for assistive technology (the tables and exports carry the same figures as text).
 */
export default function EChart({
  option,
  label,
  height = 260,
  onClick,
  testId,
  maps,
}: {
  option: Record<string, unknown>;
  /** GeoJSON maps the option's map series refer to by name, registered before the first draw. */
  maps?: Record<string, object>;
  label: string;
  height?: number;
  onClick?: (p: ChartClick) => void;
  testId?: string;
}) {
  const el = useRef<HTMLDivElement>(null);
  const click = useRef(onClick);
  click.current = onClick;
  useEffect(() => {
    let disposed = false;
    let dispose: (() => void) | undefined;
    let onResize: (() => void) | undefined;
    const draw = async () => {
      const [core, charts, comps, renderers] = await Promise.all([
        import('echarts/core'),
        import('echarts/charts'),
        import('echarts/components'),
        import('echarts/renderers'),
      ]);
      if (disposed || !el.current) return;
      // Registered once per name: registering again would swap the map under a chart still drawing with it.
      for (const [name, geo] of Object.entries(maps ?? {}))
        if (!core.getMap(name)) core.registerMap(name, geo as Parameters<typeof core.registerMap>[1]);
      core.use([
        charts.LineChart,
        charts.BarChart,
        charts.PieChart,
        charts.ScatterChart,
        charts.HeatmapChart,
        charts.MapChart,
        comps.GridComponent,
        comps.TooltipComponent,
        comps.LegendComponent,
        comps.VisualMapComponent,
        renderers.CanvasRenderer,
      ]);
      const chart = core.init(el.current);
      const node = el.current;
      chart.on('finished', () => {
        node.dataset.finished = 'true';
      });
      chart.on('click', (p) => click.current?.(p as unknown as ChartClick));
      // People who ask their system for less motion get the chart drawn at once.
      const still = window.matchMedia?.('(prefers-reduced-motion: reduce)').matches ?? false;
      chart.setOption(still ? { ...option, animation: false } : option);
      node.dataset.rendered = 'true';
      delete node.dataset.error;
      onResize = () => chart.resize();
      window.addEventListener('resize', onResize);
      dispose = () => chart.dispose();
    };
    // A chart that cannot draw says so on its container (data-error) instead of staying an empty box silently.
    draw().catch((e: unknown) => {
      if (disposed || !el.current) return;
      el.current.dataset.error = e instanceof Error ? e.message : String(e);
      console.error('chart failed to draw', e);
    });
    return () => {
      disposed = true;
      if (onResize) window.removeEventListener('resize', onResize);
      dispose?.();
    };
  }, [option, maps]);
  return (
    <div
      ref={el}
      className="insights-chart"
      style={{ height }}
      role="img"
      aria-label={label}
      data-testid={testId}
    />
  );
}
