import { sql } from 'drizzle-orm';
import type { Tx } from '../../src/lib/db/index.ts';
import { addDays } from '../../src/lib/catalog/index.ts';
import { hashPassword } from '../../src/lib/auth/password.ts';

/**
 * Demo points of sale (issue 13): OCOP shops, showrooms, airport counters, hotels, tourist sites
 * and supermarkets in 14 provinces, each stocking the demo's goods from its own province (and the
 * big cities' counters a selection from everywhere), a counter account per place
 * (`<slug>@ocop.local`), and dated sessions for the group-6 experiences. Batch inserts only.
 */
type Kind = 'ocop_shop' | 'showroom' | 'hotel' | 'airport' | 'tourist_site' | 'supermarket';
interface SeedPlace {
  slug: string; kind: Kind; vi: string; en: string; province: string; commune: string; line: string; old?: string;
  hoursVi: string; hoursEn: string; phone: string; lat: number; lng: number; dvi: string; den: string;
  /** Also stocks a selection from other provinces (airports, big-city showrooms). */
  national?: boolean;
}

const DAILY = ['7:30–21:00 hằng ngày', '7:30–21:00 daily'] as const;
const AIRPORT = ['Theo giờ khai thác chuyến bay, 5:00–23:00', 'During flight operations, 5:00–23:00'] as const;

export const seedPlaces: SeedPlace[] = [
  { slug: 'cua-hang-ocop-thanh-hoa', kind: 'ocop_shop', vi: 'Cửa hàng OCOP Thanh Hóa', en: 'Thanh Hóa OCOP Shop', province: 'thanh-hoa', commune: 'Phường Hạc Thành', line: '25 Đại lộ Lê Lợi', old: 'phường Lam Sơn, TP Thanh Hóa, tỉnh Thanh Hóa', hoursVi: DAILY[0], hoursEn: DAILY[1], phone: '0237 3852 168', lat: 19.8076, lng: 105.7766, dvi: 'Nước mắm, nem chua, rượu sim và các đặc sản OCOP xứ Thanh, có tem truy xuất từng sản phẩm.', den: 'Fish sauce, fermented pork rolls, rose-myrtle wine and other Thanh Hóa OCOP specialities, each with a traceability stamp.' },
  { slug: 'quay-ocop-san-bay-tho-xuan', kind: 'airport', vi: 'Quầy OCOP sân bay Thọ Xuân', en: 'OCOP counter, Thọ Xuân Airport', province: 'thanh-hoa', commune: 'Xã Thọ Xuân', line: 'Nhà ga hành khách, Cảng hàng không Thọ Xuân', old: 'xã Thọ Xuân, huyện Thọ Xuân, tỉnh Thanh Hóa', hoursVi: AIRPORT[0], hoursEn: AIRPORT[1], phone: '0237 3538 999', lat: 19.9017, lng: 105.4678, dvi: 'Quà tặng OCOP đóng hộp sẵn, tiện mang lên máy bay.', den: 'Ready-packed OCOP gifts, easy to take on board.' },
  { slug: 'trung-tam-ocop-quang-ngai', kind: 'showroom', vi: 'Trung tâm giới thiệu sản phẩm OCOP Quảng Ngãi', en: 'Quảng Ngãi OCOP Showroom', province: 'quang-ngai', commune: 'Phường Cẩm Thành', line: '96 Hùng Vương', old: 'phường Trần Hưng Đạo, TP Quảng Ngãi, tỉnh Quảng Ngãi', hoursVi: '7:30–17:00, thứ Hai đến thứ Bảy', hoursEn: '7:30–17:00, Monday to Saturday', phone: '0255 3822 456', lat: 15.1205, lng: 108.7923, dvi: 'Trưng bày và bán hành tỏi Lý Sơn, nước mắm, tinh bột nghệ, gốm Mỹ Thiện.', den: 'Shows and sells Lý Sơn shallots, fish sauce, turmeric starch and Mỹ Thiện pottery.' },
  { slug: 'diem-ban-ocop-ly-son', kind: 'tourist_site', vi: 'Điểm bán OCOP đặc khu Lý Sơn', en: 'Lý Sơn Island OCOP point', province: 'quang-ngai', commune: 'Đặc khu Lý Sơn', line: 'Cảng Lý Sơn, thôn Đông', old: 'xã An Vĩnh, huyện Lý Sơn, tỉnh Quảng Ngãi', hoursVi: '6:00–19:00 hằng ngày', hoursEn: '6:00–19:00 daily', phone: '0255 3867 200', lat: 15.3786, lng: 109.1206, dvi: 'Ngay bến tàu khách, bán đặc sản OCOP của đảo và đất liền.', den: 'Right at the passenger pier: OCOP specialities from the island and the mainland.' },
  { slug: 'quay-ocop-san-bay-pleiku', kind: 'airport', vi: 'Quầy OCOP Cảng hàng không Pleiku', en: 'OCOP counter, Pleiku Airport', province: 'gia-lai', commune: 'Phường Pleiku', line: 'Nhà ga, Cảng hàng không Pleiku, đường 17/3', old: 'phường Thắng Lợi, TP Pleiku, tỉnh Gia Lai', hoursVi: AIRPORT[0], hoursEn: AIRPORT[1], phone: '0269 3823 999', lat: 14.0045, lng: 108.0172, dvi: 'Cà phê, mật ong, dầu phụng và đặc sản Tây Nguyên.', den: 'Coffee, honey, peanut oil and Central Highlands specialities.' },
  { slug: 'cua-hang-ocop-quy-nhon', kind: 'ocop_shop', vi: 'Cửa hàng OCOP Quy Nhơn', en: 'Quy Nhơn OCOP Shop', province: 'gia-lai', commune: 'Phường Quy Nhơn', line: '12 Xuân Diệu', old: 'phường Trần Phú, TP Quy Nhơn, tỉnh Bình Định', hoursVi: DAILY[0], hoursEn: DAILY[1], phone: '0256 3812 345', lat: 13.7669, lng: 109.2290, dvi: 'Bên bờ biển Quy Nhơn: nem chả, bưởi, mật ong và quà OCOP.', den: 'On the Quy Nhơn seafront: pork rolls, pomelos, honey and OCOP gifts.' },
  { slug: 'cua-hang-ocop-hai-phong', kind: 'ocop_shop', vi: 'Cửa hàng OCOP Hải Phòng', en: 'Hải Phòng OCOP Shop', province: 'hai-phong', commune: 'Phường Hồng Bàng', line: '18 Hoàng Văn Thụ', old: 'phường Minh Khai, quận Hồng Bàng, TP Hải Phòng', hoursVi: DAILY[0], hoursEn: DAILY[1], phone: '0225 3745 111', lat: 20.8602, lng: 106.6836, dvi: 'Gạo Bãi Rươi, bánh đậu xanh, rượu nếp cái hoa vàng, gốm Chu Đậu.', den: 'Bãi Rươi rice, mung-bean cakes, yellow-flower sticky-rice wine and Chu Đậu ceramics.' },
  { slug: 'quay-ocop-san-bay-cat-bi', kind: 'airport', vi: 'Quầy OCOP sân bay Cát Bi', en: 'OCOP counter, Cát Bi Airport', province: 'hai-phong', commune: 'Phường Hải An', line: 'Nhà ga T1, Cảng hàng không quốc tế Cát Bi', old: 'phường Thành Tô, quận Hải An, TP Hải Phòng', hoursVi: AIRPORT[0], hoursEn: AIRPORT[1], phone: '0225 3976 888', lat: 20.8194, lng: 106.7249, dvi: 'Đặc sản OCOP đất Cảng, đóng gói sẵn cho hành lý xách tay.', den: 'Hải Phòng OCOP specialities, packed for hand luggage.' },
  { slug: 'trung-tam-ocop-quang-ninh', kind: 'showroom', vi: 'Trung tâm OCOP Quảng Ninh', en: 'Quảng Ninh OCOP Centre', province: 'quang-ninh', commune: 'Phường Hạ Long', line: 'Khu Cột 5, đường Hạ Long', old: 'phường Hồng Hải, TP Hạ Long, tỉnh Quảng Ninh', hoursVi: '8:00–22:00 hằng ngày', hoursEn: '8:00–22:00 daily', phone: '0203 3656 656', lat: 20.9530, lng: 107.0964, dvi: 'Trung tâm trưng bày, bán sản phẩm OCOP của tỉnh và cả nước.', den: 'Shows and sells OCOP products of the province and the whole country.', national: true },
  { slug: 'khach-san-vinh-xanh-ha-long', kind: 'hotel', vi: 'Quầy quà OCOP, khách sạn Vịnh Xanh Hạ Long', en: 'OCOP gift corner, Vịnh Xanh Hotel Hạ Long', province: 'quang-ninh', commune: 'Phường Bãi Cháy', line: '8 Hạ Long, Bãi Cháy', old: 'phường Bãi Cháy, TP Hạ Long, tỉnh Quảng Ninh', hoursVi: '6:00–23:00 hằng ngày', hoursEn: '6:00–23:00 daily', phone: '0203 3846 777', lat: 20.9560, lng: 107.0450, dvi: 'Quầy quà ở sảnh khách sạn: trà hoa vàng Ba Chẽ và quà OCOP.', den: 'Gift corner in the hotel lobby: Ba Chẽ golden camellia tea and OCOP gifts.' },
  { slug: 'quay-ocop-san-bay-noi-bai', kind: 'airport', vi: 'Quầy OCOP sân bay Nội Bài (T2)', en: 'OCOP counter, Nội Bài Airport (T2)', province: 'ha-noi', commune: 'Xã Phù Linh', line: 'Nhà ga quốc tế T2, Cảng hàng không quốc tế Nội Bài', old: 'xã Phú Minh, huyện Sóc Sơn, TP Hà Nội', hoursVi: '24/7', hoursEn: 'Open 24/7', phone: '024 3584 1111', lat: 21.2187, lng: 105.8042, dvi: 'Đặc sản OCOP ba miền cho khách quốc tế, thanh toán bằng thẻ.', den: 'OCOP specialities from all regions for international travellers; cards accepted.', national: true },
  { slug: 'diem-gioi-thieu-ocop-ha-noi', kind: 'showroom', vi: 'Điểm giới thiệu và bán sản phẩm OCOP Hà Nội', en: 'Hanoi OCOP showroom', province: 'ha-noi', commune: 'Phường Hoàn Kiếm', line: '45 Hàng Bài', old: 'phường Hàng Bài, quận Hoàn Kiếm, TP Hà Nội', hoursVi: '8:00–21:00 hằng ngày', hoursEn: '8:00–21:00 daily', phone: '024 3825 2468', lat: 21.0220, lng: 105.8525, dvi: 'Gần Hồ Gươm: gốm Bát Tràng, thổ cẩm, chè và đặc sản OCOP các tỉnh.', den: 'Near Hoàn Kiếm Lake: Bát Tràng ceramics, brocade, tea and OCOP specialities of the provinces.', national: true },
  { slug: 'sieu-thi-ocop-da-nang', kind: 'supermarket', vi: 'Gian hàng OCOP, siêu thị trung tâm Đà Nẵng', en: 'OCOP aisle, Đà Nẵng central supermarket', province: 'da-nang', commune: 'Phường Hải Châu', line: '255 Hùng Vương', old: 'phường Vĩnh Trung, quận Thanh Khê, TP Đà Nẵng', hoursVi: '8:00–22:00 hằng ngày', hoursEn: '8:00–22:00 daily', phone: '0236 3666 085', lat: 16.0670, lng: 108.2135, dvi: 'Quầy OCOP riêng trong siêu thị: tinh dầu quế, khăn lụa, thảo dược.', den: 'A dedicated OCOP aisle: cinnamon oil, silk scarves, herbal products.', national: true },
  { slug: 'quay-ocop-san-bay-da-nang', kind: 'airport', vi: 'Quầy OCOP sân bay quốc tế Đà Nẵng', en: 'OCOP counter, Đà Nẵng International Airport', province: 'da-nang', commune: 'Phường Hòa Cường', line: 'Nhà ga quốc nội T1, đường Duy Tân', old: 'phường Hòa Thuận Tây, quận Hải Châu, TP Đà Nẵng', hoursVi: AIRPORT[0], hoursEn: AIRPORT[1], phone: '0236 3823 397', lat: 16.0439, lng: 108.1993, dvi: 'Quà OCOP miền Trung cho chuyến bay về nhà.', den: 'Central Vietnam OCOP gifts for the flight home.' },
  { slug: 'lang-che-tan-cuong', kind: 'tourist_site', vi: 'Điểm trải nghiệm làng chè Tân Cương', en: 'Tân Cương tea village visitor point', province: 'thai-nguyen', commune: 'Xã Tân Cương', line: 'Xóm Hồng Thái 2', old: 'xã Tân Cương, TP Thái Nguyên, tỉnh Thái Nguyên', hoursVi: '7:00–18:00 hằng ngày', hoursEn: '7:00–18:00 daily', phone: '0208 3646 234', lat: 21.5660, lng: 105.7600, dvi: 'Giữa đồi chè: thưởng trà, mua chè OCOP ngay tại vùng trồng.', den: 'Among the tea hills: taste and buy OCOP tea where it grows.' },
  { slug: 'cua-hang-ocop-hue', kind: 'ocop_shop', vi: 'Cửa hàng OCOP Huế', en: 'Huế OCOP Shop', province: 'hue', commune: 'Phường Thuận Hóa', line: '22 Lê Lợi', old: 'phường Vĩnh Ninh, TP Huế, tỉnh Thừa Thiên Huế', hoursVi: DAILY[0], hoursEn: DAILY[1], phone: '0234 3822 999', lat: 16.4637, lng: 107.5909, dvi: 'Bên bờ sông Hương: gạo hữu cơ, mè xửng và quà OCOP cố đô.', den: 'On the Perfume River: organic rice, sesame candy and OCOP gifts of the old capital.' },
  { slug: 'quay-ocop-san-bay-tan-son-nhat', kind: 'airport', vi: 'Quầy OCOP sân bay Tân Sơn Nhất', en: 'OCOP counter, Tân Sơn Nhất Airport', province: 'ho-chi-minh', commune: 'Phường Tân Sơn Hòa', line: 'Nhà ga quốc tế, Cảng hàng không quốc tế Tân Sơn Nhất', old: 'phường 2, quận Tân Bình, TP Hồ Chí Minh', hoursVi: '24/7', hoursEn: 'Open 24/7', phone: '028 3848 5383', lat: 10.8185, lng: 106.6588, dvi: 'Đặc sản OCOP cả nước ở khu cách ly, miễn phí đóng gói quà.', den: 'OCOP specialities from across the country airside, gift wrapping free.', national: true },
  { slug: 'khach-san-sai-gon-ocop-corner', kind: 'hotel', vi: 'Góc OCOP, khách sạn Bến Thành', en: 'OCOP corner, Bến Thành Hotel', province: 'ho-chi-minh', commune: 'Phường Bến Thành', line: '141 Nguyễn Huệ', old: 'phường Bến Nghé, quận 1, TP Hồ Chí Minh', hoursVi: '7:00–22:00 hằng ngày', hoursEn: '7:00–22:00 daily', phone: '028 3829 2185', lat: 10.7743, lng: 106.7038, dvi: 'Góc quà OCOP ở sảnh khách sạn cho du khách.', den: 'An OCOP gift corner in the hotel lobby for visitors.', national: true },
  { slug: 'diem-ban-ocop-sa-dec', kind: 'tourist_site', vi: 'Điểm bán OCOP làng hoa Sa Đéc', en: 'Sa Đéc flower village OCOP point', province: 'dong-thap', commune: 'Phường Sa Đéc', line: 'Làng hoa Tân Quy Đông', old: 'phường Tân Quy Đông, TP Sa Đéc, tỉnh Đồng Tháp', hoursVi: '7:00–18:00 hằng ngày', hoursEn: '7:00–18:00 daily', phone: '0277 3861 222', lat: 10.3100, lng: 105.7430, dvi: 'Mai vàng, lan cấy mô và cây cảnh OCOP ngay tại làng hoa.', den: 'Yellow apricot blossoms, tissue-cultured orchids and OCOP ornamentals at the flower village.' },
  { slug: 'cua-hang-ocop-vinh-long', kind: 'ocop_shop', vi: 'Cửa hàng OCOP Vĩnh Long', en: 'Vĩnh Long OCOP Shop', province: 'vinh-long', commune: 'Phường Long Châu', line: '2 Phạm Thái Bường', old: 'phường 4, TP Vĩnh Long, tỉnh Vĩnh Long', hoursVi: DAILY[0], hoursEn: DAILY[1], phone: '0270 3822 555', lat: 10.2536, lng: 105.9722, dvi: 'Mật hoa dừa, dừa sáp và đặc sản miền Tây.', den: 'Coconut-blossom nectar, wax coconut and Mekong Delta specialities.' },
];

/** Called from seedDemo inside its transaction, after products and accounts exist. */
export async function seedDemoPlaces(tx: Tx, opts: { today: string; password: string }): Promise<void> {
  // A salt per account, as for every other account (scrypt runs on the thread pool, in parallel).
  const hashes = await Promise.all(seedPlaces.map(() => hashPassword(opts.password)));
  const products = (await tx.execute(sql`select p.id, p.slug, p.kind, pr.province_code as province from products p
    join producers pr on pr.id = p.producer_id order by p.id`)) as unknown as Array<{ id: number; slug: string; kind: string; province: string }>;
  const goods = products.filter((p) => p.kind === 'goods');
  const places = (await tx.execute(sql`insert into points_of_sale (slug, kind, name_vi, name_en, description_vi, description_en, province_code,
      commune, address_line, historical_address, hours_vi, hours_en, phone, latitude, longitude)
    values ${sql.join(seedPlaces.map((p) => sql`(${p.slug}, ${p.kind}, ${p.vi}, ${p.en}, ${p.dvi}, ${p.den}, ${p.province}, ${p.commune}, ${p.line},
      ${p.old ?? null}, ${p.hoursVi}, ${p.hoursEn}, ${p.phone}, ${p.lat}, ${p.lng})`), sql`, `)}
    returning id, slug`)) as unknown as Array<{ id: number; slug: string }>;
  const idOf = new Map(places.map((p) => [p.slug, Number(p.id)]));
  const stocked: Array<[number, number]> = [];
  seedPlaces.forEach((place, n) => {
    const pos = idOf.get(place.slug)!;
    const local = goods.filter((g) => g.province === place.province);
    // National counters carry every fourth product of the country, offset per place.
    const chosen = place.national ? [...local, ...goods.filter((g, i) => g.province !== place.province && i % 4 === n % 4)] : local;
    for (const g of chosen) stocked.push([pos, g.id]);
  });
  if (stocked.length) {
    await tx.execute(sql`insert into point_of_sale_products (point_of_sale_id, product_id)
      values ${sql.join(stocked.map(([pos, product]) => sql`(${pos}, ${product})`), sql`, `)} on conflict do nothing`);
  }
  const users = (await tx.execute(sql`insert into users (email, name, password_hash, role)
    values ${sql.join(seedPlaces.map((p, n) => sql`(${`${p.slug}@ocop.local`}, ${p.vi}, ${hashes[n]!}, 'pos')`), sql`, `)}
    returning id, email`)) as unknown as Array<{ id: number; email: string }>;
  await tx.execute(sql`insert into point_of_sale_staff (user_id, point_of_sale_id)
    values ${sql.join(users.map((u) => sql`(${u.id}, ${idOf.get(u.email.replace(/@ocop\.local$/, ''))!})`), sql`, `)}`);
  // A gift box packed by a point of sale (issue 13): the Central Highlands souvenir box is built and
  // sent by the Pleiku airport counter, whose staff see its parcels at /pos/orders.
  const pleiku = idOf.get('quay-ocop-san-bay-pleiku');
  if (pleiku !== undefined) {
    await tx.execute(sql`update combos set assembler_producer_id = null, assembler_point_id = ${pleiku}, owner_producer_id = null, owner_point_id = ${pleiku}
      where slug = 'ca-phe-mat-ong-tay-nguyen'`);
  }

  // Experiences: weekend sessions over the next eight weeks (a morning and an afternoon), and a cut-off each.
  const experiences = products.filter((p) => p.kind === 'experience');
  if (experiences.length === 0) return;
  const prices = (await tx.execute(sql`select id, price from products where kind = 'experience'`)) as unknown as Array<{ id: number; price: number }>;
  const priceOf = new Map(prices.map((p) => [Number(p.id), Number(p.price)]));
  const sessions = [];
  const start = nextSaturday(opts.today);
  for (const [n, e] of experiences.entries()) {
    for (let week = 0; week < 8; week++) {
      for (const [day, time] of [[0, '08:00'], [0, '14:00'], [1, '08:00']] as const) {
        sessions.push(sql`(${e.id}, ${addDays(start, week * 7 + day)}::date, ${time}::time, ${[12, 20, 8][n % 3]!}, ${priceOf.get(Number(e.id)) ?? 350_000})`);
      }
    }
  }
  await tx.execute(sql`insert into experience_sessions (product_id, starts_on, starts_at, capacity, price_per_person) values ${sql.join(sessions, sql`, `)}`);
  await tx.execute(sql`insert into experience_policies (product_id, cancel_cutoff_hours)
    values ${sql.join(experiences.map((e, n) => sql`(${e.id}, ${[48, 24, 72][n % 3]!})`), sql`, `)}`);
}

function nextSaturday(today: string): string {
  const day = new Date(`${today}T00:00:00Z`).getUTCDay();
  return addDays(today, ((6 - day + 7) % 7) || 7);
}
