import type { MenuItemConstructorOptions } from 'electron';

/*
 * The application menu: the usual roles (so copy/paste, undo, zoom and window management work
 * the platform way) plus Conn's own items. Developer tools appear only in unpackaged builds.
 */
export interface MenuActions {
  quickNote(): void;
  openHelp(): void;
  restartToUpdate(): void;
}

export const QUICK_NOTE_ACCELERATOR = 'CommandOrControl+Shift+N';

export function appMenuTemplate(o: { isMac: boolean; isPackaged: boolean; actions: MenuActions }): MenuItemConstructorOptions[] {
  const { isMac, isPackaged, actions } = o;
  const view: MenuItemConstructorOptions[] = [
    { role: 'resetZoom' },
    { role: 'zoomIn' },
    { role: 'zoomOut' },
    { type: 'separator' },
    { role: 'togglefullscreen' },
  ];
  if (!isPackaged) view.unshift({ role: 'reload' }, { role: 'forceReload' }, { role: 'toggleDevTools' }, { type: 'separator' });
  return [
    ...(isMac ? [{ role: 'appMenu' } as MenuItemConstructorOptions] : []),
    {
      label: 'File',
      submenu: [
        { label: 'Quick Note…', accelerator: QUICK_NOTE_ACCELERATOR, click: () => actions.quickNote() },
        { type: 'separator' },
        isMac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    { label: 'View', submenu: view },
    { role: 'windowMenu' },
    {
      role: 'help',
      submenu: [
        { label: 'Conn Documentation', click: () => actions.openHelp() },
        { label: 'Restart to Update', click: () => actions.restartToUpdate() },
      ],
    },
  ];
}
