/**
 * npm run payments -- <command>: the OCOP office's payment desk (works while the site runs, on
 * the embedded database too).
 *
 *   import <statement.csv>                 mark VietQR orders paid from the bank statement (amount + reference)
 *   payouts [--out payouts.csv]            what each producer is owed, as CSV for the bank transfers
 *   settle <producer-slug> <amount> <ref>  record a bank transfer paid to a producer (pos:<slug>: to a point of sale)
 *   mark-paid <publicId>                   VietQR transfer received / COD cash collected, by hand
 *   sweep                                  release the stock of unpaid orders whose hold lapsed
 */
import fs from 'node:fs';
import { closeDatabase, database } from '../src/lib/db/index.ts';
import { migrateDatabase } from '../src/lib/db/index.ts';
import { expireLapsedOrders, importBankStatement, markPaidByOffice } from '../src/lib/orders/index.ts';
import { payoutReportCsv, settlePointOfSale, settleProducer } from '../src/lib/payments/index.ts';

const [command, ...args] = process.argv.slice(2).filter((a) => a !== '--');
const usage = 'usage: npm run payments -- import <file.csv> | payouts [--out file.csv] | settle <producer> <amount> <reference> | mark-paid <publicId> | sweep';

try {
  const d = await database();
  await migrateDatabase(d);
  switch (command) {
    case 'import': {
      if (!args[0]) throw new Error(usage);
      const { rows, errors } = await importBankStatement(fs.readFileSync(args[0], 'utf8'), 'office_cli');
      rows.forEach((r, i) => console.log(`[${i + 1}/${rows.length}] line ${r.line} ${r.transactionId} ${r.amount} đ → ${r.order ?? '-'}: ${r.result}`));
      for (const e of errors) console.log(`line ${e.line}: ${e.message}`);
      const paid = rows.filter((r) => r.result === 'paid').length;
      console.log(`${paid} order(s) marked paid, ${rows.length - paid} line(s) not applied, ${errors.length} unreadable.`);
      break;
    }
    case 'payouts': {
      const csv = await payoutReportCsv();
      const out = args.indexOf('--out');
      if (out >= 0 && args[out + 1]) {
        fs.writeFileSync(args[out + 1]!, csv);
        console.log(`Wrote ${args[out + 1]}.`);
      } else process.stdout.write(csv);
      break;
    }
    case 'settle': {
      const [slug, amount, reference] = args;
      if (!slug || !amount || !/^\d+$/.test(amount) || !reference) throw new Error(usage);
      const point = slug.startsWith('pos:') ? slug.slice(4) : null;
      const done = point ? await settlePointOfSale(d.db, point, Number(amount), reference) : await settleProducer(d.db, slug, Number(amount), reference);
      if (!done) throw new Error(point ? `no point of sale ${point}` : `no producer ${slug}`);
      console.log(`Recorded a settlement of ${amount} đ to ${slug} (${reference}).`);
      break;
    }
    case 'mark-paid': {
      if (!args[0]) throw new Error(usage);
      console.log(`${args[0]}: ${await markPaidByOffice(args[0], 'office_cli')}`);
      break;
    }
    case 'sweep':
      console.log(`${await expireLapsedOrders()} lapsed order(s) cancelled and their stock released.`);
      break;
    default:
      throw new Error(usage);
  }
} catch (err) {
  console.error(err instanceof Error ? err.message : String(err));
  process.exitCode = 1;
} finally {
  await closeDatabase();
}
