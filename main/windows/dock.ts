/** What the dock logic needs from a window. */
export interface DockWindow {
  isDestroyed(): boolean;
  isVisible(): boolean;
}

export interface Dock {
  show(): Promise<void> | void;
  hide(): void;
  isVisible(): boolean;
}

/**
 * A tray app has no Dock icon on macOS while none of its windows is open (Info.plist sets
 * LSUIElement, so it starts without one); the icon appears while a window is visible, so the
 * window can be reached with Cmd-Tab. No-op elsewhere (`dock` is undefined).
 */
export function syncDock(dock: Dock | undefined, windows: readonly DockWindow[]): void {
  if (!dock) return;
  const anyVisible = windows.some((w) => !w.isDestroyed() && w.isVisible());
  if (anyVisible && !dock.isVisible()) void dock.show();
  if (!anyVisible && dock.isVisible()) dock.hide();
}
