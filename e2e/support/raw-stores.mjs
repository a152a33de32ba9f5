// What an attacker copying the device's storage would read: every key and value of every store
// of the app's database, as text (bytes as numbers).

/** Every store's rows as JSON text of [key, value]. */
export const rawStores = (page) =>
  page.evaluate(async () => {
    const db = await new Promise((ok, fail) => {
      const r = indexedDB.open('so-suc-khoe');
      r.onsuccess = () => ok(r.result);
      r.onerror = () => fail(r.error);
    });
    const out = {};
    for (const name of db.objectStoreNames) {
      const store = db.transaction(name).objectStore(name);
      const [keys, values] = await Promise.all(
        [store.getAllKeys(), store.getAll()].map(
          (r) => new Promise((ok, fail) => { r.onsuccess = () => ok(r.result); r.onerror = () => fail(r.error); }),
        ),
      );
      out[name] = keys.map((k, i) => JSON.stringify([k, values[i]]));
    }
    db.close();
    return out;
  });

/**
 * Resolves once the settings store holds `key` (polled from inside the page, on its own
 * connection), so a test can act at that moment of a migration.
 */
export const waitForSetting = (page, key) =>
  page.evaluate(async (key) => {
    const db = await new Promise((ok, fail) => {
      const r = indexedDB.open('so-suc-khoe');
      r.onsuccess = () => ok(r.result);
      r.onerror = () => fail(r.error);
    });
    try {
      for (;;) {
        const found = await new Promise((ok, fail) => {
          const r = db.transaction('settings').objectStore('settings').count(key);
          r.onsuccess = () => ok(r.result > 0);
          r.onerror = () => fail(r.error);
        });
        if (found) return;
        await new Promise((ok) => setTimeout(ok, 5));
      }
    } finally {
      db.close();
    }
  }, key);
