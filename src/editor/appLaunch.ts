/**
 * How the installed app is opened from outside: pipeline files and data files opened with it or
 * shared to it, and the manifest's shortcuts (new pipeline, open the pipelines dialog).
 */
import { useCallback, useEffect } from 'react';
import type { PipelineDocument } from '../pipeline/types';
import { onFilesOpened, onLaunchAction } from '../pwa';
import { newDoc, parseImported } from './documents';
import type { EditorStore } from './store';

export interface AppLaunchDeps {
  store: EditorStore;
  /** Open another document (saves the current one first). */
  openDoc: (doc: PipelineDocument) => void;
  /** Offer the modules an imported document carries for install. */
  offerCarried: (doc: PipelineDocument) => void;
  /** Add a data source for each data file. */
  addFiles: (files: File[]) => void;
  /** Open (true) or close (false) the pipelines dialog. */
  setDialogOpen: (open: boolean) => void;
}

/**
 * Wire the app's launch handlers while mounted; returns the import action the pipelines dialog
 * uses too (reads `file` as a pipeline document, opens it, offers its carried modules).
 */
export function useAppLaunch({
  store,
  openDoc,
  offerCarried,
  addFiles,
  setDialogOpen,
}: AppLaunchDeps): (file: File) => Promise<void> {
  const onImport = useCallback(
    async (file: File) => {
      const imported = parseImported(await file.text(), file.name);
      openDoc(imported);
      setDialogOpen(false);
      if (imported.modules?.length) offerCarried(imported);
    },
    [openDoc, offerCarried, setDialogOpen],
  );

  useEffect(
    () =>
      onFilesOpened(({ files }) => {
        const data: File[] = [];
        for (const { file, kind } of files) {
          if (kind === 'pipeline') {
            onImport(file).catch((e: Error) => store.notify(e.message, 'error'));
          } else data.push(file);
        }
        if (data.length > 0) addFiles(data);
      }),
    [onImport, addFiles, store],
  );
  useEffect(
    () =>
      onLaunchAction((action) => {
        if (action === 'new') openDoc(newDoc());
        else setDialogOpen(true);
      }),
    [openDoc, setDialogOpen],
  );
  return onImport;
}
