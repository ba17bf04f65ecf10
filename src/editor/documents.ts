/**
 * Whole-document actions of the editor: a new empty pipeline, duplicates, export to and import
 * from `.quiver.json` files.
 */
import { createPipeline } from '../pipeline/edit';
import { migrateDocument, type JsonObject } from '../pipeline/migrations';
import { parsePipeline } from '../pipeline/serialize';
import type { PipelineDocument } from '../pipeline/types';

/** A fresh, random document id. */
export function newDocId(): string {
  return `p-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}

/**
 * `doc` at the current format version. Examples (bundled JSON) and pipelines saved in the
 * browser by an older Quiver are opened without `parsePipeline`; without this they would keep
 * their old `version` and be exported under it. Throws `UnsupportedVersionError` for a
 * version this app cannot read.
 */
export function upgradeDoc(doc: PipelineDocument): PipelineDocument {
  const raw = doc as unknown as JsonObject;
  return migrateDocument(raw).doc as unknown as PipelineDocument;
}

/** An empty pipeline. */
export function newDoc(name = 'Untitled pipeline'): PipelineDocument {
  return createPipeline(name);
}

/** A copy of `doc` under a new id (and a name saying it is a copy unless `name` is given). */
export function duplicateDoc(doc: PipelineDocument, name?: string): PipelineDocument {
  return { ...structuredClone(doc), id: newDocId(), name: name ?? `${doc.name} (copy)` };
}

/** File name for an exported document: its name made safe, plus `.quiver.json`. */
export function exportFileName(doc: PipelineDocument): string {
  const base = doc.name.replace(/[^\p{L}\p{N}._ -]+/gu, '').trim() || 'pipeline';
  return `${base}.quiver.json`;
}

/** Save `bytes` as a download named `fileName`. */
export function downloadBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  // Revoke later: Chromium reads the blob asynchronously after the click.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Download `doc` as a `.quiver.json` file (pretty JSON, stable key order of the document). */
export function exportDoc(doc: PipelineDocument): void {
  const text = `${JSON.stringify(doc, null, 2)}\n`;
  downloadBlob(new Blob([text], { type: 'application/json' }), exportFileName(doc));
}

/**
 * Read an imported `.quiver.json` file with src/pipeline's parser (migrations included). Throws
 * its PipelineFormatError naming the file and the problem; the caller changes nothing then.
 * The imported pipeline gets a new id so it never overwrites a saved one.
 */
export function parseImported(text: string, fileName: string): PipelineDocument {
  return { ...parsePipeline(text, { source: fileName }), id: newDocId() };
}
