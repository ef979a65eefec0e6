import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { t } from '../i18n/zh.js';
import { AdminError } from './command.js';

/** Fails when `file` exists, unless the operator asked to overwrite it (`--force`). */
export function refuseToOverwrite(file: string, shown: string, force: boolean | undefined): void {
  if (!force && existsSync(file)) throw new AdminError(t('admin.file.exists', { file: shown }));
}

/** Writes `data` beside `file` first and renames it into place: a failure never leaves half a file under the name. */
export function writeFileAtomically(file: string, data: Buffer | string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = temporaryBeside(file);
  try {
    writeFileSync(tmp, data);
    renameSync(tmp, file);
  } finally {
    rmSync(tmp, { force: true });
  }
}

/** A name for a temporary file in the same folder as `file` (so a rename moves it into place). */
export const temporaryBeside = (file: string) => path.join(path.dirname(file), `.${path.basename(file)}.tmp-${process.pid}-${Date.now().toString(36)}`);

/** The bytes of a file the operator named, or a failure saying it cannot be read. */
export function readInput(file: string, shown: string): Buffer {
  try {
    return readFileSync(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new AdminError(
      code === 'ENOENT' ? t('admin.file.missing', { file: shown }) : t('admin.file.unreadable', { file: shown, reason: (err as Error).message }),
    );
  }
}

/** A size as people read it: 12.3 MB, 456 KB. */
export function sizeText(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  return `${Math.max(1, Math.round(bytes / 1024))} KB`;
}
