/**
 * "Add module…": choose a module's files (a `.wasm` with its `.json`, or a `.wasm` with an
 * embedded manifest) or give a URL (online only). What is chosen goes to the install card.
 */
import { useState } from 'react';
import { useOnline } from '../pwa';

export interface AddModuleDialogProps {
  onFiles: (files: File[]) => void;
  onUrl: (url: string) => void;
  /** For an update: the module being replaced. */
  updating?: string;
}

export function AddModuleDialog({ onFiles, onUrl, updating }: AddModuleDialogProps) {
  const online = useOnline();
  const [url, setUrl] = useState('');
  return (
    <div className="add-module">
      <p className="muted">
        {updating ? `Choose the new version of ${updating}: ` : ''}A module is a <code>.wasm</code>{' '}
        with its manifest <code>.json</code>, or a <code>.wasm</code> with the manifest embedded (
        <code>npx quiver module embed</code>). You can also drop the files on the canvas. You will
        see what it is and what it imports before anything runs.
      </p>
      <label htmlFor="add-module-files">From files</label>
      <input
        id="add-module-files"
        type="file"
        multiple
        accept=".wasm,.json,application/wasm,application/json"
        onChange={(e) => {
          const files = [...(e.target.files ?? [])];
          e.target.value = '';
          if (files.length > 0) onFiles(files);
        }}
      />
      <label htmlFor="add-module-url">From a URL</label>
      <form
        className="url-row"
        onSubmit={(e) => {
          e.preventDefault();
          if (url.trim()) onUrl(url.trim());
        }}
      >
        <input
          id="add-module-url"
          type="url"
          placeholder="https://example.org/modules/scale.wasm"
          value={url}
          disabled={!online}
          onChange={(e) => setUrl(e.target.value)}
        />
        <button type="submit" disabled={!online || !url.trim()}>
          Fetch
        </button>
      </form>
      {!online && <p className="muted">Installing from a URL needs a network connection.</p>}
    </div>
  );
}
