/**
 * An ECharts chart (issue #19's reports): tree-shaken to the chart types Sen draws, loaded only
 * with the pages that show charts. Readable on a projector (large type), resized with its box,
 * and exportable as a PNG (the button under it, or `chartPng`).
 */
import { ActionIcon, Box, Tooltip } from '@mantine/core';
import { IconPhotoDown } from '@tabler/icons-react';
import { BarChart, FunnelChart, LineChart } from 'echarts/charts';
import {
  DatasetComponent,
  GridComponent,
  LegendComponent,
  MarkLineComponent,
  TooltipComponent,
} from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';

echarts.use([
  BarChart,
  LineChart,
  FunnelChart,
  GridComponent,
  TooltipComponent,
  LegendComponent,
  DatasetComponent,
  MarkLineComponent,
  CanvasRenderer,
]);

export type ChartOption = echarts.EChartsCoreOption;

/** Large, high-contrast defaults: the charts are read on a projector in sales meetings. */
const base: ChartOption = {
  textStyle: { fontSize: 14, fontFamily: 'inherit' },
  legend: { top: 0, textStyle: { fontSize: 14 } },
  tooltip: { trigger: 'axis', textStyle: { fontSize: 14 } },
  grid: { left: 8, right: 16, top: 40, bottom: 8, containLabel: true },
  color: ['#1c7ed6', '#2f9e44', '#f59f00', '#ae3ec9', '#e8590c', '#0ca678', '#868e96'],
};

export function Chart({
  option,
  height = 320,
  label,
  fileName,
}: {
  option: ChartOption;
  height?: number;
  /** What the chart shows, for screen readers and the PNG button. */
  label: string;
  fileName: string;
}) {
  const { t } = useTranslation();
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);

  useEffect(() => {
    if (!box.current) return;
    const c = echarts.init(box.current, undefined, { renderer: 'canvas' });
    chart.current = c;
    const observer = new ResizeObserver(() => c.resize());
    observer.observe(box.current);
    return () => {
      observer.disconnect();
      c.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    chart.current?.setOption({ ...base, ...option }, true);
  }, [option]);

  const download = () => {
    const url = chart.current?.getDataURL({
      type: 'png',
      pixelRatio: 2,
      backgroundColor: '#ffffff',
    });
    if (!url) return;
    const a = document.createElement('a');
    a.href = url;
    a.download = `${fileName}.png`;
    a.click();
  };

  return (
    <Box pos="relative">
      <div ref={box} role="img" aria-label={label} style={{ width: '100%', height }} />
      <Tooltip label={t('reports.downloadPng')}>
        <ActionIcon
          variant="subtle"
          color="gray"
          pos="absolute"
          top={0}
          right={0}
          onClick={download}
          aria-label={`${t('reports.downloadPng')}: ${label}`}
        >
          <IconPhotoDown size={16} />
        </ActionIcon>
      </Tooltip>
    </Box>
  );
}
