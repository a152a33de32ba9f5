// A `BarcodeDetector` for a page that has none (headless Chromium on Linux), so the app's
// BarcodeDetector path runs end to end: it really reads the picture it is given (a video
// element or an ImageBitmap), by drawing it on a canvas and running jsQR over the pixels, as a
// phone's native detector reads the camera frame. Installed before the app starts, through the
// debugger protocol (so the app's CSP stays as it is). `window.__detector` counts what it did.
// Also a camera whose track reports a torch: `getCapabilities().torch` and an `applyConstraints`
// that records what it was asked.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const jsQrSource = readFileSync(createRequire(import.meta.url).resolve('jsqr/dist/jsQR.js'), 'utf8');

function installDetector() {
  const read = window.jsQR;
  delete window.jsQR; // the app must not find a decoder lying around
  window.__detector = { constructed: 0, detected: 0, found: [] };
  class BarcodeDetector {
    constructor(options) {
      const formats = options?.formats ?? [];
      if (!formats.includes('qr_code')) throw new TypeError('this detector only reads qr_code');
      window.__detector.constructed += 1;
    }

    static async getSupportedFormats() {
      return ['qr_code'];
    }

    async detect(source) {
      window.__detector.detected += 1;
      const width = source.videoWidth ?? source.width;
      const height = source.videoHeight ?? source.height;
      if (!width || !height) return [];
      const canvas = new OffscreenCanvas(width, height);
      const ctx = canvas.getContext('2d', { willReadFrequently: true });
      ctx.drawImage(source, 0, 0, width, height);
      const { data } = ctx.getImageData(0, 0, width, height);
      const code = read(data, width, height);
      if (!code) return [];
      window.__detector.found.push(code.data);
      return [{ format: 'qr_code', rawValue: code.data, boundingBox: null, cornerPoints: [] }];
    }
  }
  window.BarcodeDetector = BarcodeDetector;
}

/** Installs the detector in every page of `context`, before any of the page's scripts run. */
export async function installBarcodeDetector(context) {
  // jsQR's bundle is UMD: run as a plain script it defines `window.jsQR`.
  await context.addInitScript({ content: `${jsQrSource}\n;(${installDetector})();` });
}

function installTorch() {
  window.__torch = { applied: [] };
  const devices = navigator.mediaDevices;
  if (!devices?.getUserMedia) return;
  const original = devices.getUserMedia.bind(devices);
  devices.getUserMedia = async (constraints) => {
    const stream = await original(constraints);
    for (const track of stream.getVideoTracks()) {
      const capabilities = track.getCapabilities?.bind(track) ?? (() => ({}));
      track.getCapabilities = () => ({ ...capabilities(), torch: true });
      track.applyConstraints = async (c) => {
        window.__torch.applied.push(JSON.parse(JSON.stringify(c)));
      };
    }
    return stream;
  };
}

/** Every camera track in `context` says it has a torch, and records the constraints applied. */
export async function installTorchCamera(context) {
  await context.addInitScript({ content: `(${installTorch})();` });
}
