import { db } from '../db/index.ts';
import { AppError } from '../errors/index.ts';
import { selectPackingSlip } from './orders.repository.ts';
import { asShipper, type ShipperArg } from './fulfilment.ts';

/**
 * The packing slip a producer prints for its parcel (issue 13 item 1): the recipient — for a gift,
 * the person it is for, with the buyer as sender and the gift message — and the contents, each
 * gift box as one line with what is inside. It never shows a price: a gift's recipient must not
 * see what it cost.
 */
export interface PackingSlip {
  publicId: string;
  reference: string;
  createdAt: string;
  packer: string;
  to: { name: string; phone: string; addressLine: string; commune: string; province: string };
  from: string | null;
  message: string | null;
  boxes: Array<{ name: { vi: string; en: string }; qty: number; contents: Array<{ name: { vi: string; en: string }; qty: number }> }>;
  items: Array<{ name: { vi: string; en: string }; qty: number }>;
}

export async function packingSlip(publicId: string, shipper: ShipperArg): Promise<PackingSlip> {
  const row = /^ord_[0-9a-z]{20}$/.test(publicId) ? await selectPackingSlip(await db(), publicId, asShipper(shipper)) : null;
  if (!row) throw new AppError('NOT_FOUND', 'orders.part_not_found', 'No such confirmed parcel of yours.');
  const gift = row.giftRecipientName !== null;
  const boxes = new Map<number, PackingSlip['boxes'][number]>();
  const items: PackingSlip['items'] = [];
  for (const i of row.items ?? []) {
    const name = { vi: i.nameVi, en: i.nameEn };
    if (i.comboId === null) {
      items.push({ name, qty: Number(i.qty) });
      continue;
    }
    let box = boxes.get(i.comboId);
    if (!box) boxes.set(i.comboId, (box = { name: { vi: i.comboNameVi ?? '', en: i.comboNameEn ?? '' }, qty: Number(i.comboQty ?? 1), contents: [] }));
    box.contents.push({ name, qty: Number(i.qty) / Math.max(1, Number(i.comboQty ?? 1)) });
  }
  return {
    publicId: row.publicId, reference: row.reference, createdAt: new Date(row.createdAt).toISOString(), packer: row.packerName,
    to: { name: gift ? row.giftRecipientName! : row.customerName, phone: gift ? row.giftRecipientPhone! : row.phone, addressLine: row.addressLine, commune: row.commune, province: row.provinceCode },
    from: gift ? row.customerName : null,
    message: row.giftMessage,
    boxes: [...boxes.values()],
    items,
  };
}
