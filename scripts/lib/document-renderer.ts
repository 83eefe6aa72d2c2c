/**
 * What the PDF downloads need on the machine: LibreOffice's writer (soffice, headless), fonts
 * metric-compatible with Times New Roman (Liberation, Croscore's Tinos) and poppler-utils (which
 * the tests read PDFs with). Installed with apt-get when missing and allowed (root, Debian or
 * Ubuntu, BAOCAO_NO_APT unset); otherwise a line says the PDF downloads will answer 503 while the
 * DOCX ones work.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { sofficePath } from '../../documents/pdf';

export const RENDERER_PACKAGES = ['libreoffice-writer-nogui', 'fonts-liberation2', 'fonts-croscore', 'poppler-utils'];

const has = (command: string): boolean => spawnSync('sh', ['-c', `command -v ${command}`]).status === 0;
const fontsPresent = (): boolean =>
  ['/usr/share/fonts/truetype/liberation2', '/usr/share/fonts/truetype/croscore'].some((dir) => existsSync(dir));

/** Whether the renderer is ready; installs what is missing when it may. */
export function ensureDocumentRenderer(log: (line: string) => void): boolean {
  const missing = (): boolean => !sofficePath() || !has('pdftoppm') || !fontsPresent();
  if (!missing()) return true;
  const mayInstall = process.getuid?.() === 0 && has('apt-get') && !process.env.BAOCAO_NO_APT;
  if (mayInstall) {
    log(`Installing the document renderer (${RENDERER_PACKAGES.join(', ')}) with apt-get …`);
    try {
      execFileSync('apt-get', ['update', '-qq'], { stdio: 'ignore' });
      execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...RENDERER_PACKAGES], {
        stdio: 'ignore',
        env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
      });
    } catch (error) {
      log(`apt-get could not install the renderer: ${String(error).slice(0, 200)}`);
    }
  }
  if (missing()) {
    log(
      `No document renderer: PDF downloads will answer 503 (DOCX works). Install: apt-get install ${RENDERER_PACKAGES.join(' ')}`,
    );
    return false;
  }
  return true;
}
