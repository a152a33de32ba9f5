// Decodes a QR code shown on the page with two real decoders, as reception scanners would:
// zbar (Debian's zbarimg) and jsQR. Each returns exactly the text it read.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

import jsQR from 'jsqr';
import { PNG } from 'pngjs';

const run = promisify(execFile);

/** A PNG screenshot of the element (the code with its quiet zone, as the screen shows it). */
export async function screenshotOf(locator) {
  await locator.scrollIntoViewIfNeeded();
  return locator.screenshot({ type: 'png', animations: 'disabled' });
}

export async function decodeWithZbar(png) {
  const dir = await mkdtemp(join(tmpdir(), 'ssk-qr-'));
  try {
    const file = join(dir, 'code.png');
    await writeFile(file, png);
    // --raw: the data alone; zbar honours the UTF-8 ECI designator.
    const { stdout } = await run('zbarimg', ['--quiet', '--raw', file]);
    return stdout.replace(/\n$/, '');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export function decodeWithJsQr(png) {
  const image = PNG.sync.read(png);
  const result = jsQR(new Uint8ClampedArray(image.data), image.width, image.height);
  if (!result) throw new Error('jsQR found no QR code');
  return result.data;
}
