/**
 * Bank-statement CSV import: the collection account's statement (as exported by the bank's
 * internet banking) is read into credit lines; orders/bank-import matches each line to an
 * unpaid VietQR order by its reference in the transfer note and the exact amount.
 *
 * Accepted columns (header row, any order, case-insensitive, vi or en): a transaction id
 * (id, transaction_id, "mã giao dịch", ref), an amount (amount, credit, "số tiền", "ghi có") and a
 * description (description, note, content, "nội dung", "diễn giải"), optionally a date.
 */
export interface StatementLine {
  line: number;
  transactionId: string;
  amount: number;
  description: string;
  date: string | null;
}

export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; }
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',' || c === ';') { row.push(field); field = ''; }
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field); field = '';
      if (row.some((f) => f.trim() !== '')) rows.push(row);
      row = [];
    } else field += c;
  }
  row.push(field);
  if (row.some((f) => f.trim() !== '')) rows.push(row);
  return rows;
}

const norm = (h: string) => h.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/đ/gi, 'd').toLowerCase().replace(/[^a-z]/g, '');
const COLUMNS = {
  transactionId: ['id', 'transactionid', 'txnid', 'magiaodich', 'ref', 'sothamchieu', 'reference'],
  amount: ['amount', 'credit', 'sotien', 'ghico', 'creditamount'],
  description: ['description', 'note', 'content', 'noidung', 'diengiai', 'memo'],
  date: ['date', 'ngay', 'ngaygiaodich', 'transactiondate'],
};

/** Amounts as banks print them: "1.250.000", "1,250,000", "1250000", "1 250 000 VND". */
export function parseAmount(text: string): number | null {
  const digits = text.replace(/(VND|đ|₫)/gi, '').replace(/[\s.,]/g, '');
  if (!/^\d{1,13}$/.test(digits)) return null;
  return Number(digits);
}

export function parseBankStatement(text: string): { lines: StatementLine[]; errors: Array<{ line: number; message: string }> } {
  const rows = parseCsv(text.replace(/^\uFEFF/, ''));
  const header = (rows.shift() ?? []).map(norm);
  const col = (names: string[]) => header.findIndex((h) => names.includes(h));
  const idx = { transactionId: col(COLUMNS.transactionId), amount: col(COLUMNS.amount), description: col(COLUMNS.description), date: col(COLUMNS.date) };
  if (idx.transactionId < 0 || idx.amount < 0 || idx.description < 0) {
    return { lines: [], errors: [{ line: 1, message: 'the header needs a transaction id, an amount and a description column' }] };
  }
  const lines: StatementLine[] = [];
  const errors: Array<{ line: number; message: string }> = [];
  rows.forEach((r, i) => {
    const line = i + 2;
    const amount = parseAmount(r[idx.amount] ?? '');
    const transactionId = (r[idx.transactionId] ?? '').trim();
    if (!transactionId) return errors.push({ line, message: 'no transaction id' });
    if (amount === null) return errors.push({ line, message: `unreadable amount "${r[idx.amount] ?? ''}"` });
    lines.push({ line, transactionId, amount, description: (r[idx.description] ?? '').trim(), date: idx.date >= 0 ? (r[idx.date] ?? '').trim() || null : null });
  });
  return { lines, errors };
}

/** Payment references found in a transfer note; banks drop spaces and punctuation, some upper-case. */
export function referencesIn(description: string): string[] {
  const compact = description.toUpperCase().replace(/[^A-Z0-9]/g, '');
  return [...compact.matchAll(/OCOP[0-9A-Z]{10}/g)].map((m) => m[0]);
}
