import { afterEach, describe, expect, it, vi } from 'vitest';
import type { OpenedFiles, ShortcutAction } from './files';

type Consumer = (params: { targetURL?: string; files?: { getFile(): Promise<File> }[] }) => void;

/** A window with just what startFileIntake touches: location, history and launchQueue. */
function fakeWindow(href: string) {
  const win = {
    consumer: null as Consumer | null,
    location: { href },
    history: {
      state: null,
      replaceState: (_state: unknown, _title: string, url: URL) => {
        win.location.href = String(url);
      },
    },
    launchQueue: {
      setConsumer(c: Consumer) {
        win.consumer = c;
      },
    },
  };
  return win;
}

afterEach(() => {
  vi.unstubAllGlobals();
  vi.resetModules();
});

describe('startFileIntake', () => {
  it('delivers files launched with the app and shortcut launches, not the start launch twice', async () => {
    const win = fakeWindow('https://quiver.test/?action=new');
    vi.stubGlobal('window', win);
    const { startFileIntake, onFilesOpened, onLaunchAction } = await import('./files');

    await startFileIntake();
    expect(win.location.href).toBe('https://quiver.test/');
    const consumer = win.consumer;
    if (!consumer) throw new Error('no launchQueue consumer was set');

    // Chromium hands the consumer the launch that opened the window: already taken.
    consumer({ targetURL: 'https://quiver.test/?action=new' });
    // Later launches reach the open window (launch_handler focus-existing).
    const csv = new File(['a,b\n1,2\n'], 'Trip.CSV', { type: 'text/csv' });
    const pipeline = new File(['{}'], 'plan.quiver.json');
    consumer({
      targetURL: 'https://quiver.test/?action=open-files',
      files: [{ getFile: async () => csv }, { getFile: async () => pipeline }],
    });
    consumer({ targetURL: 'https://quiver.test/?action=examples' });
    await new Promise((r) => setTimeout(r, 0));

    // Subscribers that come later still get what arrived before them, in order.
    const actions: ShortcutAction[] = [];
    onLaunchAction((a) => actions.push(a));
    expect(actions).toEqual(['new', 'examples']);
    const batches: OpenedFiles[] = [];
    onFilesOpened((b) => batches.push(b));
    expect(batches).toHaveLength(1);
    expect(batches[0]?.origin).toBe('file-handler');
    expect(batches[0]?.files.map((f) => [f.file.name, f.kind])).toEqual([
      ['Trip.CSV', 'csv'],
      ['plan.quiver.json', 'pipeline'],
    ]);
  });

  it('takes nothing from a plain start', async () => {
    const win = fakeWindow('https://quiver.test/');
    vi.stubGlobal('window', win);
    const { startFileIntake, onLaunchAction } = await import('./files');
    await startFileIntake();
    const actions: ShortcutAction[] = [];
    onLaunchAction((a) => actions.push(a));
    expect(actions).toEqual([]);
    expect(win.location.href).toBe('https://quiver.test/');
  });
});
