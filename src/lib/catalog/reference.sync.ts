import { sql } from 'drizzle-orm';
import type { Db } from '../db/index.ts';
import { productGroups, productSubgroups, provinces as provincesTable } from './catalog.table.ts';
import { groups, provinces } from './reference.ts';

/** Upserts the reference data (groups, product sets, provinces) so foreign keys can point at it. */
export async function syncReferenceData(db: Db): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.insert(provincesTable)
      .values(provinces.map((p) => ({ code: p.code, nameVi: p.vi, nameEn: p.en, isCity: p.isCity, formerly: p.formerly })))
      .onConflictDoUpdate({
        target: provincesTable.code,
        set: { nameVi: sql`excluded.name_vi`, nameEn: sql`excluded.name_en`, isCity: sql`excluded.is_city`, formerly: sql`excluded.formerly` },
      });
    await tx.insert(productGroups)
      .values(groups.map((g, i) => ({ code: g.code, nameVi: g.vi, nameEn: g.en, position: i })))
      .onConflictDoUpdate({ target: productGroups.code, set: { nameVi: sql`excluded.name_vi`, nameEn: sql`excluded.name_en`, position: sql`excluded.position` } });
    await tx.insert(productSubgroups)
      .values(groups.flatMap((g) => g.subgroups.map((s, i) => ({ code: s.code, groupCode: g.code, nameVi: s.vi, nameEn: s.en, categoryVi: s.category, position: i }))))
      .onConflictDoUpdate({
        target: productSubgroups.code,
        set: { groupCode: sql`excluded.group_code`, nameVi: sql`excluded.name_vi`, nameEn: sql`excluded.name_en`, categoryVi: sql`excluded.category_vi`, position: sql`excluded.position` },
      });
  });
}
