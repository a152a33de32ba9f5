// The physical limit of the browser for the app's cold start: a hand-written page with no
// framework and no wasm that reads the same IndexedDB rows the app reads (the open book's
// choice, its header, every record of the book, as the app loads the whole book for Home) and
// writes the same markup (the person card on Home, or the check-in screen). Plain envelopes
// only ({f: 1, b: JSON text}), as on a device without a secret.
//
// What it does not do, so it stays a lower bound: no validation of what it reads, no schedule
// rules, and on the check-in screen it does not encode the QR: it writes the SVG the app drew,
// stored beside the data by bench/startup.mjs (`bench.qr-svg`).
(function () {
  const body = (envelope) => JSON.parse(envelope.b);
  const el = (tag, attrs = {}, ...children) => {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
    for (const c of children) node.append(c);
    return node;
  };
  const dmy = (iso) => iso.split('-').reverse().join('/');
  const today = new Date().toISOString().slice(0, 10);

  function request(r) {
    return new Promise((ok, fail) => {
      r.onsuccess = () => ok(r.result);
      r.onerror = () => fail(r.error);
    });
  }

  async function load(withRecords) {
    const db = await request(indexedDB.open('so-suc-khoe'));
    if (!db.objectStoreNames.contains('settings')) throw new Error('no book on this device');
    const stores = withRecords ? ['books', 'settings', 'vaccinations', 'prescriptions'] : ['books', 'settings'];
    const tx = db.transaction(stores, 'readonly');
    const id = body(await request(tx.objectStore('settings').get('open_book')));
    const range = IDBKeyRange.bound([id], [id, []]);
    const pending = [
      request(tx.objectStore('books').get(id)),
      request(tx.objectStore('settings').get('bench.qr-svg')),
      withRecords ? request(tx.objectStore('vaccinations').getAll(range)) : [],
      withRecords ? request(tx.objectStore('prescriptions').getAll(range)) : [],
    ];
    const [header, qr, vaccinations, prescriptions] = await Promise.all(pending);
    return {
      header: body(header),
      qr: qr && body(qr),
      vaccinations: vaccinations.map((v) => body(v).record),
      prescriptions: prescriptions.map((p) => body(p).record),
    };
  }

  function banner(profile) {
    document.querySelector('header').append(
      el('div', { class: 'open-book-banner', 'data-testid': 'open-book' }, profile.full_name),
    );
  }

  function home({ header, vaccinations, prescriptions }) {
    const p = header.profile;
    const main = document.getElementById('main');
    const facts = el('dl', { class: 'facts' },
      el('div', {}, el('dt', {}, 'Ngày sinh'), el('dd', { 'data-testid': 'date-of-birth' }, dmy(p.date_of_birth))),
      el('div', {}, el('dt', {}, 'Giới tính'), el('dd', {}, p.sex === 'male' ? 'Nam' : 'Nữ')),
      el('div', {}, el('dt', {}, 'Số CCCD'),
        el('dd', { class: 'citizen-id' }, el('span', { class: 'digits', 'data-testid': 'citizen-id' }, `••••••••${p.citizen_id.slice(8)}`))),
    );
    const tags = (items) => (items.length
      ? el('ul', { class: 'tags' }, ...items.map((t) => el('li', { class: 'tag' }, t)))
      : el('p', { class: 'muted' }, 'Không ghi nhận'));
    const card = p.health_insurance;
    const valid = card && (!card.valid_to || card.valid_to >= today);
    const insurance = el('section', { class: 'card' }, el('h2', {}, 'Thẻ bảo hiểm y tế'),
      card ? el('p', { class: 'digits insurance-code', 'data-testid': 'insurance-code' }, card.code) : '',
      el('p', { class: `notice ${valid ? 'ok' : 'error'}`, 'data-testid': 'insurance-status' },
        card ? (valid ? `Còn hạn đến ${dmy(card.valid_to ?? today)}` : 'Hết hạn') : 'Chưa có thông tin thẻ bảo hiểm y tế.'));
    const next = vaccinations.map((v) => v.next_dose_due).filter((d) => d && d >= today).sort()[0];
    const active = prescriptions
      .filter((rx) => rx.medicines.some((m) => {
        const end = new Date(rx.issued_at);
        end.setDate(end.getDate() + (m.duration_days ?? 0));
        return end.toISOString().slice(0, 10) >= today;
      }))
      .reduce((n, rx) => n + rx.medicines.length, 0);
    main.append(
      el('h1', { class: 'screen-title' }, 'Trang chủ'),
      el('div', { class: 'home-dashboard' },
        el('section', { class: 'card person-card' }, el('h2', { class: 'person-name' }, p.full_name), facts,
          el('p', { class: 'stamp', 'data-testid': 'data-as-of' }, `Dữ liệu tính đến ${dmy(header.saved_at.slice(0, 10))}`)),
        el('section', { class: 'card alerts' },
          el('div', { class: 'alert-block', 'data-testid': 'allergies' }, el('h3', {}, 'Dị ứng'), tags(p.allergies)),
          el('div', { class: 'alert-block', 'data-testid': 'chronic-conditions' }, el('h3', {}, 'Bệnh mạn tính'), tags(p.chronic_conditions))),
        insurance,
        el('nav', { class: 'shortcuts' },
          el('a', { class: 'button shortcut-qr', href: '/check-in' }, 'Mở mã QR khám'),
          el('a', { class: 'shortcut card', href: '/vaccinations' }, el('h2', {}, 'Mũi tiêm tiếp theo'),
            el('p', { 'data-testid': 'next-vaccination' }, next ? dmy(next) : 'Không có mũi tiêm sắp tới')),
          el('a', { class: 'shortcut card', href: '/prescriptions/active' }, el('h2', {}, 'Thuốc đang dùng'),
            el('p', { 'data-testid': 'active-medicines' }, active ? `${active} thuốc` : 'Không có thuốc đang dùng')))),
    );
  }

  function checkIn({ header, qr }) {
    const p = header.profile;
    const frame = el('div', { class: 'qr-frame' });
    frame.innerHTML = qr ?? '';
    document.getElementById('main').append(
      el('section', { class: 'check-in' },
        frame,
        el('h1', { id: 'check-in-name' }, p.full_name),
        el('p', { class: 'id-digits', 'data-testid': 'check-in-id' }, p.citizen_id.replace(/(\d{3})(?=\d)/g, '$1 '))),
    );
  }

  const onCheckIn = location.pathname === '/check-in';
  load(!onCheckIn).then(
    (data) => {
      banner(data.header.profile);
      (onCheckIn ? checkIn : home)(data);
    },
    // No book on this device yet (a first visit): the first screen says so.
    () => document.getElementById('main').append(el('h1', { class: 'screen-title' }, 'Chưa có sổ nào trên máy này')),
  );
  if ('serviceWorker' in navigator) navigator.serviceWorker.register('/sw.js');
})();
