/** Longest side of a display render when the caller names no width, pixels: sharp on a laptop screen, small to cache. */
export const DISPLAY_LONG_SIDE = 1600;

/** Largest display width asked for, pixels: a zoomed page is scaled in the app, not rendered poster-size. */
export const MAX_DISPLAY_WIDTH = 4000;
