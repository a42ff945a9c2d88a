import type { MenuItemConstructorOptions } from 'electron';
import type { TrayAction, TrayItem } from '../../app/tray/tray-model.js';

/**
 * Maps the tray template (plain data from app/tray) to Electron menu options. The only closures
 * in the native menu are made here, and each just hands its item's action descriptor back.
 */
export function toMenuTemplate(
  items: readonly TrayItem[],
  onAction: (action: TrayAction) => void,
): MenuItemConstructorOptions[] {
  return items.map((item): MenuItemConstructorOptions => {
    switch (item.kind) {
      case 'separator':
        return { id: item.id, type: 'separator' };
      case 'submenu':
        return {
          id: item.id,
          label: item.label,
          enabled: item.enabled,
          submenu: toMenuTemplate(item.items, onAction),
        };
      case 'item': {
        const action = item.action;
        return {
          id: item.id,
          label: item.label,
          enabled: item.enabled,
          ...(item.checked !== undefined && { type: 'checkbox' as const, checked: item.checked }),
          ...(item.toolTip !== undefined && { toolTip: item.toolTip }),
          ...(action && { click: () => onAction(action) }),
        };
      }
    }
  });
}
