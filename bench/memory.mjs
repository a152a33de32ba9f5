// Memory of a page of the app after a garbage collection: wasm linear memory (the instance the
// page keeps in `window.__sskWasm`, see `keepWasmHandle`) and the JS heap in use, in MiB.

/** Keeps a handle on the app's wasm instance in every page of `context`, for its memory size. */
export async function keepWasmHandle(context) {
  await context.addInitScript(() => {
    addEventListener('TrunkApplicationStarted', (e) => {
      window.__sskWasm = e.detail.wasm;
    });
  });
}

export async function memory(page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('Performance.enable');
  const { metrics } = await cdp.send('Performance.getMetrics');
  const heap = metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? NaN;
  const wasm = await page.evaluate(() => window.__sskWasm?.memory?.buffer?.byteLength ?? NaN);
  return { heapMiB: heap / 2 ** 20, wasmMiB: wasm / 2 ** 20 };
}
