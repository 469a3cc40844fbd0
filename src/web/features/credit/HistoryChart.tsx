import { useEffect, useRef } from 'react';
import { useT } from '../../shared/i18n';

/** Score over time; ECharts is loaded on first use so it never enters the public bundle. */
export default function HistoryChart({ points }: { points: { at: string; score: number }[] }) {
  const t = useT();
  const el = useRef<HTMLDivElement>(null);
  useEffect(() => {
    let disposed = false;
    let dispose: (() => void) | undefined;
    let onResize: (() => void) | undefined;
    void (async () => {
      const [core, charts, comps, renderers] = await Promise.all([
        import('echarts/core'),
        import('echarts/charts'),
        import('echarts/components'),
        import('echarts/renderers'),
      ]);
      if (disposed || !el.current) return;
      core.use([charts.LineChart, comps.GridComponent, comps.TooltipComponent, renderers.CanvasRenderer]);
      const chart = core.init(el.current);
      chart.setOption({
        grid: { left: 36, right: 12, top: 16, bottom: 28 },
        tooltip: { trigger: 'axis' },
        xAxis: { type: 'time' },
        yAxis: { type: 'value', min: 0, max: 100 },
        series: [
          {
            type: 'line',
            name: t('credit.score'),
            step: 'end',
            data: points.map((p) => [p.at, p.score]),
          },
        ],
      });
      onResize = () => chart.resize();
      window.addEventListener('resize', onResize);
      dispose = () => chart.dispose();
    })();
    return () => {
      disposed = true;
      if (onResize) window.removeEventListener('resize', onResize);
      dispose?.();
    };
  }, [points, t]);
  return <div ref={el} className="credit-chart" role="img" aria-label={t('credit.history')} />;
}
