import { useSyncExternalStore } from 'react';

/*
 * Charts draw on a canvas, which CSS cannot restyle: their colours are read from the theme's
 * custom properties (styles.css, `--chart-*`) when a chart is built, and the charts are built
 * again when the OS switches between light and dark.
 */

export interface ChartTheme {
  text: string;
  muted: string;
  grid: string;
  /** One colour per series, each at least 3:1 against the panel in its theme. */
  series: [string, string, string, string];
}

const DARK = '(prefers-color-scheme: dark)';

function subscribe(onChange: () => void): () => void {
  const query = window.matchMedia(DARK);
  query.addEventListener('change', onChange);
  return () => query.removeEventListener('change', onChange);
}

/** 'dark' or 'light', following the OS; a change re-renders whoever uses it. */
export function useColorScheme(): 'dark' | 'light' {
  return useSyncExternalStore(subscribe, () => (window.matchMedia(DARK).matches ? 'dark' : 'light'));
}

/** The current theme's chart colours (call again after the scheme changes). */
export function chartTheme(): ChartTheme {
  const css = getComputedStyle(document.documentElement);
  const v = (name: string) => css.getPropertyValue(name).trim();
  return { text: v('--text'), muted: v('--muted'), grid: v('--border'), series: [v('--chart-1'), v('--chart-2'), v('--chart-3'), v('--chart-4')] };
}
