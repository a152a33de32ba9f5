// Draws the app icons (a white cross on the app's green, the sign of health care) as PNGs, so the
// repository needs no image editor. Maskable icons keep the cross inside the central 80% safe zone.
// Run: node scripts/make-icons.mjs   (outputs are committed in public/icons/)
import { mkdirSync, writeFileSync } from 'node:fs';
import { PNG } from 'pngjs';

const GREEN = [0x0b, 0x6e, 0x4f];
const WHITE = [0xff, 0xff, 0xff];

function draw(size, { maskable }) {
  const png = new PNG({ width: size, height: size });
  const radius = maskable ? 0 : size * 0.18;
  const arm = size * (maskable ? 0.14 : 0.17);
  const reach = size * (maskable ? 0.28 : 0.34);
  const c = size / 2;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const i = (y * size + x) * 4;
      // Rounded-square background (full bleed for maskable icons: the platform masks them).
      const dx = Math.max(radius - x, x - (size - 1 - radius), 0);
      const dy = Math.max(radius - y, y - (size - 1 - radius), 0);
      const inside = dx * dx + dy * dy <= radius * radius;
      const cross =
        (Math.abs(x - c) <= arm && Math.abs(y - c) <= reach) || (Math.abs(y - c) <= arm && Math.abs(x - c) <= reach);
      const [r, g, b] = cross ? WHITE : GREEN;
      png.data[i] = r;
      png.data[i + 1] = g;
      png.data[i + 2] = b;
      png.data[i + 3] = inside ? 255 : 0;
    }
  }
  return PNG.sync.write(png);
}

mkdirSync('public/icons', { recursive: true });
for (const size of [192, 512]) {
  writeFileSync(`public/icons/icon-${size}.png`, draw(size, { maskable: false }));
  writeFileSync(`public/icons/maskable-${size}.png`, draw(size, { maskable: true }));
}
writeFileSync('public/icons/apple-touch-icon.png', draw(180, { maskable: true }));
writeFileSync('public/favicon.png', draw(48, { maskable: false }));
console.log('icons written to public/icons/');
