/**
 * `quiver module embed <module.wasm> <manifest.json> [-o <out.wasm>]`: writes the manifest into
 * the module's `quiver.manifest` custom section (`modules/sdk/ABI.md` §12), so that the module is
 * one file to share. The manifest is checked first, and the result is read back as the app
 * would install it; an import the manifest does not cover refuses the embed.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { embedManifest, packageRefusal, readModulePackage } from '../modules/package';

/** What `module embed` was asked. */
export interface EmbedCommand {
  wasm: string;
  manifest: string;
  /** Default: `wasm` itself, rewritten in place. */
  output?: string;
}

/**
 * Embed, check and write; resolves with the line to print (id, version, size and sha256 of the
 * written file). Rejects with an error naming the file and field at fault.
 */
export async function moduleEmbed(command: EmbedCommand): Promise<string> {
  const wasm = new Uint8Array(await readFile(command.wasm));
  const manifestText = await readFile(command.manifest, 'utf8');
  const names = {
    wasmFileName: basename(command.wasm),
    manifestFileName: basename(command.manifest),
  };
  // The manifest as given, against the binary as given: errors name the .json and its field.
  await readModulePackage(wasm, { manifestText, ...names });
  // Compact JSON: the section is for machines, the .json stays the readable copy.
  const embedded = embedManifest(wasm, JSON.stringify(JSON.parse(manifestText)));
  const pkg = await readModulePackage(embedded, { wasmFileName: names.wasmFileName });
  const refusal = packageRefusal(pkg);
  if (refusal !== null) throw new Error(refusal);
  const output = command.output ?? command.wasm;
  await writeFile(output, embedded);
  return `Wrote ${output}: ${pkg.manifest.id} ${pkg.manifest.version}, ${pkg.sizeBytes} bytes, sha256 ${pkg.sha256}`;
}
