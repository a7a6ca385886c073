/**
 * npm run stamps:issue -- --product <slug> [--lot <code>] --count N [--format json|pdf|svg] [--out FILE] [--pins]
 *
 * Issues a run of stamps for a lot (the product's newest released lot unless --lot) and writes
 * them: json to stdout (or --out) as { lot, stamps: [{ code, url }] }, pdf/svg as print sheets.
 * Progress goes to stderr. Works while the site runs (same database, embedded one included).
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { closeDatabase } from '../src/lib/db/index.ts';
import { ensureDatabase } from './cli-support.ts';
import { issueStampRun, publicOrigin, stampOriginUnreachable, renderPdf, renderSvg } from '../src/lib/stamps/index.ts';
import { isAppError } from '../src/lib/errors/index.ts';

const USAGE = 'usage: npm run stamps:issue -- --product <slug> [--lot <code>] --count N [--format json|pdf|svg] [--out FILE] [--pins]';

function progress(label: string) {
  const tty = process.stderr.isTTY;
  let lastStep = -1;
  return (done: number, total: number) => {
    const ratio = total ? done / total : 1;
    if (tty) {
      const width = 30;
      const filled = Math.round(ratio * width);
      process.stderr.write(`\r${label} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${Math.round(ratio * 100)}% ${done}/${total}`);
      if (done >= total) process.stderr.write('\n');
    } else {
      const step = Math.floor(ratio * 4);
      if (step !== lastStep) {
        lastStep = step;
        process.stderr.write(`${label}: ${done}/${total}\n`);
      }
    }
  };
}

async function main(): Promise<number> {
  let args;
  try {
    args = parseArgs({
      options: {
        product: { type: 'string' }, lot: { type: 'string' }, count: { type: 'string' },
        format: { type: 'string', default: 'json' }, out: { type: 'string' }, pins: { type: 'boolean', default: false },
        note: { type: 'string' },
      },
      strict: true,
    }).values;
  } catch (err) {
    console.error(`${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  const count = Number(args.count);
  const format = args.format as string;
  if (!args.product || !/^\d+$/.test(args.count ?? '') || !['json', 'pdf', 'svg'].includes(format)) {
    console.error(USAGE);
    return 2;
  }
  const started = Date.now();
  // Printed stamps live for years: a QR code pointing at this machine is a wasted print run.
  const origin = new URL(publicOrigin());
  if (stampOriginUnreachable(origin.origin)) {
    console.error(`Lưu ý: chưa đặt PUBLIC_BASE_URL — mã QR trên tem sẽ trỏ tới ${origin.origin}, điện thoại của người mua không mở được. Đặt PUBLIC_BASE_URL là địa chỉ công khai của trang trước khi in.`);
    console.error(`Warning: PUBLIC_BASE_URL is not set to a public address — these stamps' QR codes point to ${origin.origin}, which buyers' phones cannot reach. Set PUBLIC_BASE_URL to the site's public origin before printing.`);
  }
  await ensureDatabase();
  const run = await issueStampRun({ productSlug: args.product, lotCode: args.lot, count, pins: args.pins, note: args.note ?? 'stamps:issue' }, progress('issuing'));
  const sheet = { productName: run.product.name.vi, lotCode: run.lot.code, tagline: 'Tem truy xuất OCOP', labels: run.stamps };
  const defaultName = `stamps-${run.product.slug}-${run.lot.code}-run${run.runId}.${format}`;
  if (format === 'json') {
    const body = `${JSON.stringify({ lot: run.lot.code, run: run.runId, product: run.product.slug, stamps: run.stamps }, null, 2)}\n`;
    if (args.out) fs.writeFileSync(args.out, body);
    else process.stdout.write(body);
  } else {
    const file = path.resolve(args.out ?? defaultName);
    if (format === 'pdf') {
      const printing = progress('printing');
      const { pdf, pages } = await renderPdf(sheet, (done) => printing(done, run.stamps.length));
      fs.writeFileSync(file, pdf);
      console.error(`${pages} page(s)`);
    } else {
      fs.writeFileSync(file, renderSvg(sheet));
    }
    console.log(file);
  }
  console.error(`Issued run ${run.runId}: ${run.stamps.length} stamps for ${run.product.slug}, lot ${run.lot.code}${run.lot.status === 'released' ? '' : ` (lot ${run.lot.status}: stamps stay "issued" until it is released)`} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return 0;
}

try {
  process.exitCode = await main();
} catch (err) {
  console.error(isAppError(err) ? `stamps:issue: ${err.message}` : err instanceof Error ? err.stack : String(err));
  process.exitCode = 1;
} finally {
  await closeDatabase();
}
