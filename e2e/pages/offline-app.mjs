// Page object for what the service worker, the install card and the connection status show, on
// top of the app shell's page object.
import { AppPage } from './app-page.mjs';

export const OFFLINE_LABELS = {
  vi: {
    offline: 'Ngoại tuyến',
    updateReady: 'Đã có phiên bản mới.',
    reload: 'Tải lại',
    installHeading: 'Cài ứng dụng vào máy',
    installAction: 'Cài ứng dụng',
    installDone: 'Ứng dụng đã được cài trên máy này.',
    iosSteps: 'Trong Safari, chạm nút Chia sẻ, rồi chọn “Thêm vào MH chính” (Thêm vào màn hình chính).',
    browserMenu: 'Nếu menu của trình duyệt có mục “Cài đặt ứng dụng” hoặc “Thêm vào màn hình chính”, hãy dùng mục đó.',
  },
  en: {
    offline: 'Offline',
    updateReady: 'A new version is ready.',
    reload: 'Reload',
  },
};

export class OfflineApp extends AppPage {
  /** Resolves once a service worker controls the page (so it would load with no network). */
  async waitForServiceWorker() {
    await this.page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, {
      timeout: 60_000,
    });
  }

  /** The build version of the worker controlling the page, asked over a message channel. */
  async serviceWorkerVersion() {
    return this.page.evaluate(
      () =>
        new Promise((resolve, reject) => {
          const channel = new MessageChannel();
          channel.port1.onmessage = (event) => resolve(event.data.version);
          navigator.serviceWorker.controller.postMessage({ type: 'GET_VERSION' }, [channel.port2]);
          setTimeout(() => reject(new Error('the service worker did not answer')), 5_000);
        }),
    );
  }

  /** { cache name: [paths stored] } for the app's caches. */
  async caches() {
    return this.page.evaluate(async () => {
      const result = {};
      for (const name of await caches.keys()) {
        const cache = await caches.open(name);
        result[name] = (await cache.keys()).map((request) => new URL(request.url).pathname).sort();
      }
      return result;
    });
  }

  /** The connection status in the header (empty while the server is reachable). */
  connectionStatus() {
    return this.page.getByRole('banner').getByRole('status');
  }

  async waitForConnectionStatus(text) {
    await this.page.waitForFunction(
      (expected) => document.querySelector('header [role="status"]')?.textContent === expected,
      text,
      { timeout: 15_000 },
    );
  }

  updateBanner(lang = 'vi') {
    return this.page.getByRole('status').filter({ hasText: OFFLINE_LABELS[lang].updateReady });
  }

  reloadButton(lang = 'vi') {
    return this.updateBanner(lang).getByRole('button', { name: OFFLINE_LABELS[lang].reload });
  }

  installCard() {
    return this.page.getByRole('region', { name: OFFLINE_LABELS.vi.installHeading });
  }
}
