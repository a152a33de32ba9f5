// Pictures of a QR code for the card-scan tests, from the module rows the fixtures write
// (expected.cardQr.*.rows, '1' = dark): a PNG as a photo of the card, and a Y4M video that
// Chromium plays as its fake camera (--use-file-for-fake-video-capture).
import { writeFile } from 'node:fs/promises';

import { PNG } from 'pngjs';

const QUIET_ZONE = 4;
const DARK = 24;
const LIGHT = 232;

/** Grey levels of a `width` x `height` picture with the code centred, `scale` pixels a module. */
function greyFrame(rows, { width, height, scale }) {
  const modules = rows.length + 2 * QUIET_ZONE;
  const side = modules * scale;
  if (side > width || side > height) throw new Error(`a ${side}px code does not fit ${width}x${height}`);
  const left = Math.floor((width - side) / 2);
  const top = Math.floor((height - side) / 2);
  const grey = new Uint8Array(width * height).fill(LIGHT);
  rows.forEach((row, y) => {
    [...row].forEach((bit, x) => {
      if (bit !== '1') return;
      for (let dy = 0; dy < scale; dy++) {
        const start = (top + (y + QUIET_ZONE) * scale + dy) * width + left + (x + QUIET_ZONE) * scale;
        grey.fill(DARK, start, start + scale);
      }
    });
  });
  return grey;
}

/** A PNG photo of the code (a card held under a desk lamp: grey on grey, not pure black on white). */
export async function writeQrPng(rows, path, { width = 900, height = 700, scale = 8 } = {}) {
  const grey = greyFrame(rows, { width, height, scale });
  const png = new PNG({ width, height });
  grey.forEach((v, i) => {
    png.data.set([v, v, v, 255], i * 4);
  });
  await writeFile(path, PNG.sync.write(png));
}

/**
 * A Y4M video (4:2:0, grey) showing the code; Chromium loops it for as long as the camera runs.
 * Width and height must be even.
 */
export async function writeQrY4m(rows, path, { width = 640, height = 480, scale = 6, frames = 2 } = {}) {
  const luma = Buffer.from(greyFrame(rows, { width, height, scale }));
  const chroma = Buffer.alloc((width / 2) * (height / 2) * 2, 128);
  const frame = Buffer.concat([Buffer.from('FRAME\n'), luma, chroma]);
  const header = Buffer.from(`YUV4MPEG2 W${width} H${height} F10:1 Ip A1:1 C420jpeg\n`);
  await writeFile(path, Buffer.concat([header, ...Array(frames).fill(frame)]));
}
