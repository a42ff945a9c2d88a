import { useCallback } from 'react';
import type uPlot from 'uplot';
import type { SparklinesView } from '../../../app/contract/audit-contract';
import { sparklineData, sparklineSummary } from './chart-data';
import { cssColor, UPlot } from './UPlot';

const HEIGHT = 22;
const WIDTH = 64;

/** Calls per minute over the last hour, errors as red dots; no axes, no legend. */
export function Sparkline({ line }: { line: SparklinesView[number] | undefined }) {
  const summary = sparklineSummary(line);
  const options = useCallback(
    (): uPlot.Options => ({
      width: 0,
      height: HEIGHT,
      pxAlign: false,
      cursor: { show: false },
      select: { show: false, left: 0, top: 0, width: 0, height: 0 },
      legend: { show: false },
      scales: { x: { time: false }, y: { range: (_u, _min, max) => [0, Math.max(1, max)] } },
      axes: [{ show: false }, { show: false }],
      series: [
        {},
        {
          stroke: cssColor('--accent'),
          width: 1.5,
          fill: `${cssColor('--accent')}22`,
          points: { show: false },
        },
        {
          stroke: 'transparent',
          paths: () => null,
          points: { show: true, size: 5, stroke: cssColor('--bad'), fill: cssColor('--bad') },
        },
      ],
    }),
    [],
  );
  if (!line) {
    return (
      <span
        className="sparkline sparkline-empty muted"
        role="img"
        aria-label={summary}
        title={summary}
      >
        no calls
      </span>
    );
  }
  return (
    <span className="sparkline" role="img" aria-label={summary} title={summary}>
      <UPlot
        options={options}
        optionsKey="sparkline"
        data={sparklineData(line)}
        height={HEIGHT}
        minWidth={WIDTH}
      />
    </span>
  );
}
