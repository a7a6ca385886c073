import { sql } from 'drizzle-orm';
import type { Db } from '../../src/lib/db/index.ts';
import { composeComboImage, type ProductImage } from '../../src/lib/catalog/index.ts';

/**
 * Demo gift boxes as the editor makes them: an occasion and a story for each seeded box (packed by
 * the producer of its first component, built by the office), one souvenir box of a place, and a
 * picture composed from the components' pictures. Runs after the main seed, a few hundred ms.
 */
const BOXES: Record<string, { occasion: 'tet' | 'trung_thu' | 'souvenir' | 'gift'; place?: string; vi: string; en: string }> = {
  'huong-vi-bien-viet': { occasion: 'gift', vi: 'Ba vùng biển, ba cách làm mắm: hộp quà cho người xa quê nhớ bữa cơm nhà.', en: 'Three seas, three ways of making fish sauce: a box for anyone far from home who misses a family meal.' },
  'tra-viet-ba-mien': { occasion: 'trung_thu', vi: 'Trà ngon bên mâm cỗ Trung Thu: chè Tân Cương, trà hoa vàng và Shan tuyết cổ thụ.', en: 'Fine tea for the Mid-Autumn table: Tan Cuong, golden camellia and ancient Shan tuyet.' },
  'ca-phe-mat-ong-tay-nguyen': { occasion: 'souvenir', place: 'Tây Nguyên', vi: 'Hương vị cao nguyên đất đỏ bazan, mang về làm quà sau chuyến đi Tây Nguyên.', en: 'The taste of the red-basalt highlands, to bring home from a trip to the Central Highlands.' },
  'qua-tet-an-lanh': { occasion: 'tet', vi: 'Bánh, rượu nếp và mật hoa dừa: đủ vị ngọt cho ngày đầu năm.', en: 'Cakes, sticky-rice wine and coconut nectar: sweetness for the first days of the year.' },
  'gao-sach-ba-mien': { occasion: 'tet', vi: 'Gạo mới ba miền cho nồi cơm ngày Tết.', en: 'New rice of three regions for the Tết table.' },
  'thao-duoc-mien-trung': { occasion: 'gift', vi: 'Thảo dược miền Trung, quà sức khỏe cho người thân.', en: 'Herbs of Central Vietnam, a gift of good health.' },
  'gia-vi-bep-viet': { occasion: 'gift', vi: 'Gia vị làm nên bếp Việt, từ những vùng trồng nổi tiếng.', en: 'The spices of a Vietnamese kitchen, from their famous growing areas.' },
};

export async function seedShopDemo(db: Db): Promise<void> {
  const combos = (await db.execute(sql`select c.id, c.slug, c.name_vi, c.name_en,
      coalesce((select json_agg(p.images->0 order by p.id) from combo_items ci join products p on p.id = ci.product_id where ci.combo_id = c.id), '[]') as pictures
    from combos c where c.composite_image is null and c.image is null`)) as unknown as Array<{ id: number; slug: string; name_vi: string; name_en: string; pictures: Array<ProductImage | null> }>;
  const updates = await Promise.all(combos.map(async (c) => {
    const box = BOXES[c.slug];
    const occasion = box?.occasion ?? 'gift';
    const composite = await composeComboImage({ slug: c.slug, occasion, pictures: c.pictures, name: { vi: c.name_vi, en: c.name_en } });
    return sql`(${Number(c.id)}::int, ${occasion}, ${box?.place ?? null}, ${box?.vi ?? ''}, ${box?.en ?? ''}, ${JSON.stringify(composite)}::jsonb)`;
  }));
  if (updates.length === 0) return;
  // One statement for all boxes (first start stays fast).
  await db.execute(sql`update combos c set occasion = v.occasion, place = v.place, story_vi = v.story_vi, story_en = v.story_en,
      composite_image = v.composite, updated_at = now()
    from (values ${sql.join(updates, sql`, `)}) as v(id, occasion, place, story_vi, story_en, composite) where c.id = v.id`);
}
