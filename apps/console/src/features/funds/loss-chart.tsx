import { BarChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';

echarts.use([BarChart, GridComponent, LegendComponent, TooltipComponent, SVGRenderer]);

export interface LossBar {
  name: string;
  lossRate: number;
  limitRate: number;
}

/** Per fund: life-to-date loss rate beside its tolerance limit (ECharts, only the parts used). */
export function LossChart({ bars, labels, title }: { bars: LossBar[]; labels: { loss: string; limit: string }; title: string }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!ref.current) return;
    const chart = echarts.init(ref.current, undefined, { renderer: 'svg' });
    chart.setOption({
      animation: false,
      tooltip: { trigger: 'axis', valueFormatter: (v: number) => `${v.toFixed(2)}%` },
      legend: { data: [labels.loss, labels.limit] },
      grid: { left: 48, right: 16, bottom: 64, top: 40 },
      xAxis: { type: 'category', data: bars.map((b) => b.name), axisLabel: { interval: 0, rotate: 20 } },
      yAxis: { type: 'value', axisLabel: { formatter: '{value}%' } },
      series: [
        { name: labels.loss, type: 'bar', data: bars.map((b) => +(b.lossRate * 100).toFixed(4)), itemStyle: { color: '#cf1322' } },
        { name: labels.limit, type: 'bar', data: bars.map((b) => +(b.limitRate * 100).toFixed(4)), itemStyle: { color: '#8c8c8c' } },
      ],
    });
    const onResize = () => chart.resize();
    window.addEventListener('resize', onResize);
    return () => {
      window.removeEventListener('resize', onResize);
      chart.dispose();
    };
  }, [bars, labels]);
  return <div ref={ref} role="img" aria-label={title} style={{ width: '100%', height: 320 }} />;
}
