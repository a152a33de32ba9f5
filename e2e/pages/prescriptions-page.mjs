// Page object for the prescription screens (/prescriptions, /prescriptions/active,
// /prescriptions/:id), and what a test should expect of them, read straight from the FHIR Bundle
// file the book was imported from (never from the app's own code).
import { readFileSync } from 'node:fs';

/** Labels a person reads, per language. */
export const RX_LABELS = {
  vi: {
    title: 'Đơn thuốc',
    active: 'Thuốc đang dùng',
    search: 'Tìm trong đơn thuốc',
    year: 'Năm',
    facility: 'Cơ sở',
    print: 'In',
    back: 'Quay lại',
    unverified: 'Chưa xác minh',
    noMatch: 'Không có đơn thuốc nào khớp.',
    clear: 'Xóa tìm kiếm và bộ lọc',
    notFound: 'Không tìm thấy đơn thuốc này trong sổ.',
    medicines: 'Thuốc',
    diagnoses: 'Chẩn đoán',
    count: (n) => `${n} đơn thuốc`,
    matches: (n, total) => `Tìm thấy ${n} trong ${total} đơn thuốc`,
    showMore: (shown, total) => `Xem thêm (đang hiện ${shown}/${total})`,
    medicineCount: (n) => `${n} thuốc`,
    issuedOn: (iso) => `Đơn thuốc ngày ${dateVi(iso)}`,
    dayOf: (k, n) => `Ngày ${k}/${n}`,
    until: (iso) => `đến ${dateVi(iso)}`,
    activeCount: (n) => `Hôm nay cần dùng ${n} thuốc`,
  },
  en: {
    title: 'Prescriptions',
    search: 'Search prescriptions',
    medicines: 'Medicines',
    count: (n) => `${n} prescriptions`,
    issuedOn: (iso) => `Prescription of ${dateEn(iso)}`,
  },
};

/** "2024-03-09" as Vietnamese documents write it: "09/03/2024". */
export const dateVi = (iso) => iso.split('-').reverse().join('/');

const MONTHS_EN = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** "2024-03-09" as "9 Mar 2024". */
export const dateEn = (iso) => {
  const [y, m, d] = iso.split('-').map(Number);
  return `${d} ${MONTHS_EN[m - 1]} ${y}`;
};

/** Lower case, Vietnamese accents and "đ" folded away, runs of space joined. */
export const fold = (text) =>
  text.normalize('NFD').replace(/\p{M}/gu, '').replace(/[đĐ]/g, 'd').toLowerCase().replace(/\s+/g, ' ').trim();

const beginsAWord = (text, word) => {
  for (let at = text.indexOf(word); at !== -1; at = text.indexOf(word, at + 1)) {
    if (at === 0 || !/[\p{L}\p{N}]/u.test(text[at - 1])) return true;
  }
  return false;
};

/** What the search promises: every word of the query begins a word of a medicine name, an
 *  active ingredient, or a diagnosis code or text, accents or not. */
export const matchesSearch = (prescription, query) => {
  const fields = [
    ...prescription.medicines.flatMap((m) => [m.name, m.ingredient ?? '']),
    ...prescription.diagnoses.flatMap((d) => [d.code, d.text]),
  ].map(fold);
  return fold(query)
    .split(' ')
    .filter(Boolean)
    .every((word) => fields.some((field) => beginsAWord(field, word)));
};

const EXT = 'https://so-suc-khoe.example/fhir/StructureDefinition/';

/** The prescriptions of a single-book FHIR Bundle file, newest first, as plain facts. */
export function prescriptionsIn(bundlePath) {
  const resources = JSON.parse(readFileSync(bundlePath, 'utf8')).entry.map((e) => e.resource);
  const organizations = new Map(
    resources.filter((r) => r.resourceType === 'Organization').map((o) => [`Organization/${o.id}`, o.name]),
  );
  const byId = new Map();
  for (const r of resources.filter((r) => r.resourceType === 'MedicationRequest')) {
    const ext = (name) => (r.extension ?? []).find((e) => e.url === EXT + name);
    const id = r.identifier.find((i) => i.system.endsWith('/record-id')).value;
    if (!byId.has(id)) {
      byId.set(id, {
        id,
        code: r.groupIdentifier.value,
        authoredOn: r.authoredOn,
        date: r.authoredOn.slice(0, 10),
        facility: organizations.get(ext('prescription-facility').valueReference.reference),
        diagnoses: (r.reasonCode ?? []).map((c) => ({ code: c.coding[0].code, text: c.coding[0].display })),
        origin: ext('record-origin').extension.find((e) => e.url === 'kind').valueCode,
        medicines: [],
      });
    }
    if (!ext('without-medicine')) {
      byId.get(id).medicines.push({
        name: r.medicationCodeableConcept.text,
        ingredient: ext('active-ingredient')?.valueString,
        days: r.dispenseRequest?.expectedSupplyDuration?.value,
      });
    }
  }
  // Offsets are all +07:00 in these files, so the text sorts as the time does.
  return [...byId.values()].sort((a, b) => b.authoredOn.localeCompare(a.authoredOn));
}

export class PrescriptionsPage {
  constructor(app) {
    this.app = app;
    this.page = app.page;
  }

  async openList(query = '') {
    await this.app.open(`/prescriptions${query}`);
    await this.rows().first().or(this.page.getByTestId('empty-state')).waitFor();
  }

  rows() {
    return this.page.getByTestId('prescription-row');
  }

  count() {
    return this.page.getByTestId('prescription-count');
  }

  /** Waits until the match count reads `text` (the list follows the search as it is typed). */
  async expectCount(text) {
    await this.page.waitForFunction(
      (want) => document.querySelector('[data-testid=prescription-count]')?.textContent === want,
      text,
      { timeout: 10_000 },
    );
  }

  searchBox(lang = 'vi') {
    return this.page.getByRole('searchbox', { name: RX_LABELS[lang].search });
  }

  /** Types like a person: key by key, then leaves the box. */
  async search(text) {
    const box = this.searchBox();
    await box.fill('');
    await box.pressSequentially(text, { delay: 20 });
    await box.blur();
  }

  yearSelect() {
    return this.page.getByRole('combobox', { name: RX_LABELS.vi.year });
  }

  facilitySelect() {
    return this.page.getByRole('combobox', { name: RX_LABELS.vi.facility });
  }

  async rowTexts() {
    return this.rows().allInnerTexts();
  }

  async openDetail(id, query = '') {
    await this.app.open(`/prescriptions/${encodeURIComponent(id)}${query}`);
    await this.page.getByTestId('prescription').or(this.page.getByTestId('empty-state')).waitFor();
  }

  /** The medicine of the open prescription named `name`. */
  medicine(name) {
    return this.page.getByTestId('prescription').getByRole('listitem').filter({
      has: this.page.getByRole('heading', { level: 3, name, exact: true }),
    });
  }

  activeItems() {
    return this.page.getByTestId('active-medicine');
  }
}
