import { useEffect, useRef, useSyncExternalStore } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { Aligned } from './chart-data';

const DARK = '(prefers-color-scheme: dark)';
const subscribeScheme = (onChange: () => void) => {
  const mq = window.matchMedia(DARK);
  mq.addEventListener('change', onChange);
  return () => mq.removeEventListener('change', onChange);
};

/** The OS colour scheme; charts are drawn again when it flips (canvas colours are concrete). */
export function useColorScheme(): 'light' | 'dark' {
  return useSyncExternalStore(subscribeScheme, () =>
    window.matchMedia(DARK).matches ? 'dark' : 'light',
  );
}

/** A theme colour (`--accent`, `--bad`, …) as the canvas needs it. */
export function cssColor(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || '#888';
}

interface Props {
  /** Builds the options; called again when the width, the scheme or `optionsKey` changes. */
  options: (width: number) => uPlot.Options;
  optionsKey: string;
  data: Aligned;
  height: number;
  className?: string;
  /** Called with the data index under the cursor when the plot is clicked. */
  onPick?: (index: number) => void;
  /** Narrowest drawing width in px (the container may not be laid out yet). */
  minWidth?: number;
}

/**
 * A uPlot chart that fills its container's width. Data changes are applied in place
 * (`setData`); options changes (scheme, series) rebuild the chart. uPlot draws on a canvas,
 * so callers give the container an accessible name and a text alternative.
 */
export function UPlot({
  options,
  optionsKey,
  data,
  height,
  className,
  onPick,
  minWidth = 120,
}: Props) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | undefined>(undefined);
  const scheme = useColorScheme();
  const pick = useRef(onPick);
  pick.current = onPick;
  const latest = useRef(data);
  latest.current = data;
  const build = useRef(options);
  build.current = options;

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const width = Math.max(minWidth, el.clientWidth);
    const u = new uPlot({ ...build.current(width), width, height }, latest.current, el);
    plot.current = u;
    const click = () => {
      const idx = u.cursor.idx;
      if (idx !== null && idx !== undefined) pick.current?.(idx);
    };
    u.over.addEventListener('click', click);
    const resize = new ResizeObserver(() => {
      const w = Math.max(minWidth, el.clientWidth);
      if (w !== u.width) u.setSize({ width: w, height });
    });
    resize.observe(el);
    return () => {
      resize.disconnect();
      u.over.removeEventListener('click', click);
      u.destroy();
      plot.current = undefined;
    };
  }, [optionsKey, scheme, height, minWidth]);

  useEffect(() => {
    plot.current?.setData(data);
  }, [data]);

  return <div ref={box} className={className} />;
}
