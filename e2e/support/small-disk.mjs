// A browser profile on a small tmpfs, so the origin's quota is really small: Chromium gives an
// origin 60 % of the disk its profile lives on, and headless Chromium ignores CDP
// Storage.overrideQuotaForOrigin (RESILIENCE.md). Mounting needs root; without it the tests that
// need a full disk are skipped and say why.
import { after } from 'node:test';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { chromium } from 'playwright-core';

import { CHROMIUM_ARGS } from './browser.mjs';

/** Mounts a `megabytes` tmpfs now (unmounted after the file's tests); `unavailable` says why not. */
export function smallDisk({ megabytes = 64 } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'ssk-small-disk-'));
  let unavailable = false;
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${megabytes}m`, 'tmpfs', dir], { stdio: 'pipe' });
  } catch (e) {
    unavailable = `no small disk: mounting a tmpfs failed (${String(e.stderr || e.message).trim()}); it needs root`;
  }
  const contexts = [];
  after(async () => {
    for (const context of contexts) await context.close().catch(() => {});
    if (!unavailable) execFileSync('umount', [dir]);
    rmSync(dir, { recursive: true, force: true });
  });
  return {
    unavailable,
    /** A persistent context (its storage on the small disk) at the phone viewport. */
    async launch() {
      const context = await chromium.launchPersistentContext(join(dir, `profile-${contexts.length}`), {
        executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
        headless: true,
        args: CHROMIUM_ARGS,
        viewport: { width: 390, height: 844 },
        timezoneId: 'Asia/Ho_Chi_Minh',
      });
      contexts.push(context);
      return context;
    },
  };
}
