import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { servers } from '../support/http.ts';

const run = promisify(execFile);
const root = process.cwd();
const tsx = path.join(root, 'node_modules/tsx/dist/cli.mjs');

describe.each(servers)('the office payment desk CLI while the site runs on $name', ({ url, dataDir, databaseUrl }) => {
  // A product no other suite uses: the back-office suite revokes the certificate of dua-sap-soi-vicosap on the same server, and a revoked product no longer sells.
  it('imports a bank statement (VietQR paid by amount + reference) and exports the payout CSV', async () => {
    const res = await fetch(new URL('/api/orders', url), {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ items: [{ slug: 'mat-hoa-dua-tra-vinh-farm', qty: 2 }], customer: { name: 'Võ Thị Hạnh', phone: '028 3822 1234', address: { line: '3 Nguyễn Huệ', commune: 'Phường Sài Gòn', province: 'Hồ Chí Minh' } }, payment: 'vietqr' }),
    });
    expect(res.status).toBe(201);
    const order = (await res.json()) as { publicId: string; total: number; reference: string };
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ocop-stmt-')), 'statement.csv');
    fs.writeFileSync(file, `\uFEFFNgày,Số tham chiếu,Ghi có,Diễn giải\n27/11/2026,FT26331${Date.now()},"${order.total.toLocaleString('vi-VN')}",MBVCB.123 ${order.reference} CHUYEN TIEN\n`);
    const env = { ...process.env, DATA_DIR: dataDir, DATABASE_URL: databaseUrl ?? '', LOG_LEVEL: 'warn' };
    const imported = await run(process.execPath, [tsx, 'scripts/payments.ts', 'import', file], { env, cwd: root });
    expect(imported.stdout).toContain(`${order.publicId}: paid`);
    expect(imported.stdout).toContain('1 order(s) marked paid');
    const view = (await (await fetch(new URL(`/api/orders/${order.publicId}`, url))).json()) as { status: string };
    expect(view.status).toBe('paid');
    const again = await run(process.execPath, [tsx, 'scripts/payments.ts', 'import', file], { env, cwd: root });
    expect(again.stdout).toContain('already_imported');
    const payouts = await run(process.execPath, [tsx, 'scripts/payments.ts', 'payouts'], { env, cwd: root });
    const lines = payouts.stdout.trim().split('\r\n');
    expect(lines[0]).toBe('producer,name,bank_bin,bank_account,account_name,credits_vnd,fees_vnd,reversals_vnd,settled_vnd,balance_vnd');
    expect(lines.some((l) => l.startsWith('"cong-ty-tra-vinh-farm"'))).toBe(true);
  });
});
