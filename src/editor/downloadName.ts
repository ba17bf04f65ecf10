/**
 * File names of downloaded step outputs: `<pipeline> – <step>.<ext>`, e.g.
 * `seattle-weather – by weather.csv`, safe on Windows, macOS and Linux.
 */

/** Longest base name kept (characters), well under the 255-byte limit of common file systems. */
const MAX_BASE_CHARS = 120;

/**
 * `text` made safe as part of a file name: characters Windows refuses (`<>:"/\|?*`) and control
 * characters become spaces, runs of spaces one space, and leading/trailing dots and spaces go
 * (Windows drops trailing dots; a leading dot hides the file on Unix).
 */
export function sanitizeFileName(text: string): string {
  return (
    text
      // eslint-disable-next-line no-control-regex -- control characters are what is removed
      .replace(/[<>:"/\\|?*\u0000-\u001f\u007f]+/g, ' ')
      .replace(/\s+/g, ' ')
      .replace(/^[ .]+|[ .]+$/g, '')
  );
}

/**
 * The download name of a step's output: pipeline name and step name joined by an en dash,
 * sanitized, at most {@link MAX_BASE_CHARS} characters before `.ext`. A part that is empty once
 * sanitized is left out; with neither, `output.<ext>`.
 */
export function downloadFileName(pipelineName: string, stepName: string, ext: string): string {
  const parts = [pipelineName, stepName].map(sanitizeFileName).filter((p) => p.length > 0);
  const base = [...parts.join(' – ')].slice(0, MAX_BASE_CHARS).join('').trim() || 'output';
  return `${base}.${ext}`;
}
