/**
 * Generated product pictures: a deterministic 800×800 SVG per product, built only from
 * the product's slug, name, motif and two palette colours. Pure and self-contained: no
 * fonts, no external references, no scripts, no <image>, and no text drawn into the picture
 * (the same file is served on Vietnamese and English pages; the name is only its <title>).
 *
 * The decorative pattern, gradient angle and small placement changes are seeded from the
 * slug, so two products with the same motif still look different, and the same product
 * always gets the same picture.
 */

import { escapeXml } from '../http/escape.ts';

export interface ProductImageInput {
  slug: string;
  name: string;
  motif: string;
  palette: [string, string];
}

type Rgb = [number, number, number];

/** Colours handed to a motif drawing. */
interface Ink {
  /** main (dark) colour */
  d: string;
  /** accent (light) colour */
  l: string;
  /** between the two */
  m: string;
  /** darker shade of d, for outlines and details */
  k: string;
}

type Rng = () => number;

const SIZE = 800;
/** Scattered decoration stays above the motif's shadow. */
const BAND_Y = 640;


// ---------------------------------------------------------------- seeding

/** FNV-1a: the seed of every generated picture (products here, producers in producer-image.ts). */
export function hash32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function between(rng: Rng, lo: number, hi: number): number {
  return lo + (hi - lo) * rng();
}

function intBetween(rng: Rng, lo: number, hi: number): number {
  return Math.floor(between(rng, lo, hi + 1));
}

/** Rounds to at most one decimal to keep the markup short. */
function n(x: number): string {
  return String(Math.round(x * 10) / 10);
}

// ---------------------------------------------------------------- colour

function parseHex(s: string): Rgb | null {
  const m = /^#?([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(s.trim());
  if (!m || m[1] === undefined) return null;
  let hex = m[1];
  if (hex.length === 3) hex = hex.replace(/./g, (c) => c + c);
  const v = parseInt(hex, 16);
  return [(v >> 16) & 255, (v >> 8) & 255, v & 255];
}

function toHex(c: Rgb): string {
  return '#' + c.map((x) => Math.max(0, Math.min(255, Math.round(x))).toString(16).padStart(2, '0')).join('');
}

function mix(a: Rgb, b: Rgb, t: number): Rgb {
  return [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t];
}

function luminance(c: Rgb): number {
  const lin = (x: number): number => {
    const v = x / 255;
    return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
  };
  return 0.2126 * lin(c[0]) + 0.7152 * lin(c[1]) + 0.0722 * lin(c[2]);
}

const WHITE: Rgb = [255, 255, 255];
const BLACK: Rgb = [0, 0, 0];

/** Moves a colour towards black or white until its luminance passes the limit. */
function push(c: Rgb, towards: Rgb, ok: (l: number) => boolean): Rgb {
  let out = c;
  for (let i = 0; i < 12 && !ok(luminance(out)); i++) out = mix(out, towards, 0.15);
  return out;
}

// ---------------------------------------------------------------- motifs
// Each motif is drawn roughly inside x 220..580, y 130..600, centred on x = 400.

const SHINE = 'fill="#fff" opacity=".32"';

function drawBottle(c: Ink, rng: Rng): string {
  const lines = intBetween(rng, 2, 4);
  let label = '';
  for (let i = 0; i < lines; i++) {
    const w = i === 0 ? 110 : between(rng, 60, 100);
    label += `<rect x="${n(400 - w / 2)}" y="${n(400 + i * 24)}" width="${n(w)}" height="${i === 0 ? 12 : 7}" rx="3" fill="${c.d}" opacity="${i === 0 ? 0.9 : 0.5}"/>`;
  }
  return (
    `<rect x="370" y="128" width="60" height="44" rx="8" fill="${c.k}"/>` +
    `<path d="M380 170h40v56c0 34 60 44 60 96v236q0 32-32 32h-96q-32 0-32-32V322c0-52 60-62 60-96z" fill="${c.d}"/>` +
    `<rect x="322" y="368" width="156" height="122" rx="6" fill="${c.l}"/>` +
    label +
    `<circle cx="400" cy="456" r="12" fill="none" stroke="${c.d}" stroke-width="3" opacity=".6"/>` +
    `<rect x="338" y="300" width="14" height="250" rx="7" ${SHINE}/>`
  );
}

function drawJar(c: Ink, rng: Rng): string {
  const dots = intBetween(rng, 3, 5);
  let deco = '';
  for (let i = 0; i < dots; i++) {
    deco += `<circle cx="${n(400 + (i - (dots - 1) / 2) * 30)}" cy="458" r="7" fill="${c.d}" opacity=".55"/>`;
  }
  return (
    `<rect x="296" y="218" width="208" height="52" rx="12" fill="${c.k}"/>` +
    `<rect x="296" y="236" width="208" height="6" fill="#fff" opacity=".18"/>` +
    `<path d="M312 270h176q26 0 26 30v230q0 60-60 60H346q-60 0-60-60V300q0-30 26-30z" fill="${c.d}"/>` +
    `<rect x="286" y="360" width="228" height="130" fill="${c.l}"/>` +
    `<rect x="330" y="392" width="140" height="14" rx="4" fill="${c.d}" opacity=".85"/>` +
    `<rect x="350" y="418" width="100" height="8" rx="4" fill="${c.d}" opacity=".5"/>` +
    deco +
    `<rect x="306" y="296" width="16" height="260" rx="8" ${SHINE}/>`
  );
}

function drawBag(c: Ink): string {
  return (
    `<path d="M318 300c-70 80-76 250 12 290h140c88-40 82-210 12-290z" fill="${c.d}"/>` +
    `<path d="M334 302h132l-24-52h-84z" fill="${c.k}"/>` +
    `<path d="M356 252l-30-56 44 26 30-40 30 40 44-26-30 56z" fill="${c.d}"/>` +
    `<rect x="340" y="262" width="120" height="16" rx="8" fill="${c.l}"/>` +
    `<rect x="318" y="400" width="164" height="116" rx="18" fill="${c.l}"/>` +
    `<path d="M400 418l16 16-16 16-16-16z" fill="${c.d}"/>` +
    `<rect x="346" y="462" width="108" height="12" rx="4" fill="${c.d}" opacity=".85"/>` +
    `<rect x="366" y="486" width="68" height="8" rx="4" fill="${c.d}" opacity=".5"/>` +
    `<path d="M300 380c-6 60 0 120 30 170" stroke="#fff" stroke-width="12" stroke-linecap="round" fill="none" opacity=".28"/>`
  );
}

function drawBox(c: Ink): string {
  return (
    `<path d="M250 330l200 50v210l-200-50z" fill="${c.d}"/>` +
    `<path d="M450 380l110-50v200l-110 60z" fill="${c.k}"/>` +
    `<path d="M250 330l110-48 200 48-110 50z" fill="${c.m}"/>` +
    `<path d="M330 350l0 0 24 6v210l-24-6z" fill="${c.l}"/>` +
    `<path d="M330 350l110-47 24 6-110 47z" fill="${c.l}" opacity=".9"/>` +
    `<path d="M497 358l24-11v200l-24 13z" fill="${c.l}" opacity=".85"/>` +
    `<path d="M410 306c-40-50-90-30-60 0zM410 306c20-60 80-50 50-4z" fill="${c.l}" stroke="${c.k}" stroke-width="3"/>` +
    `<rect x="270" y="470" width="52" height="10" rx="4" fill="#fff" opacity=".3" transform="rotate(14 296 475)"/>`
  );
}

function drawLeaf(c: Ink, rng: Rng): string {
  let veins = '';
  const count = intBetween(rng, 4, 6);
  for (let i = 0; i < count; i++) {
    const y = 230 + i * (300 / count);
    veins += `<path d="M400 ${n(y + 30)}Q${n(450)} ${n(y + 10)} ${n(500 - i * 6)} ${n(y - 20)}M400 ${n(y + 30)}Q350 ${n(y + 10)} ${n(300 + i * 6)} ${n(y - 20)}"/>`;
  }
  return (
    `<path d="M470 560c70-30 130-110 120-200-60 30-100 90-120 200z" fill="${c.m}"/>` +
    `<path d="M400 130c170 80 190 320 0 470-190-150-170-390 0-470z" fill="${c.d}"/>` +
    `<g stroke="${c.l}" stroke-width="5" fill="none" stroke-linecap="round" opacity=".75">${veins}</g>` +
    `<path d="M400 150v470" stroke="${c.l}" stroke-width="9" stroke-linecap="round"/>` +
    `<path d="M330 240c-40 60-44 150-10 220" stroke="#fff" stroke-width="10" fill="none" stroke-linecap="round" opacity=".25"/>`
  );
}

function drawFruit(c: Ink): string {
  return (
    `<circle cx="490" cy="470" r="96" fill="${c.m}"/>` +
    `<circle cx="380" cy="420" r="160" fill="${c.d}"/>` +
    `<path d="M380 270c-4-40 6-70 30-96" stroke="${c.k}" stroke-width="12" fill="none" stroke-linecap="round"/>` +
    `<path d="M404 200c40-40 100-44 130-20-40 40-90 44-130 20z" fill="${c.l}"/>` +
    `<ellipse cx="318" cy="350" rx="34" ry="58" transform="rotate(30 318 350)" ${SHINE}/>` +
    `<circle cx="520" cy="430" r="16" fill="#fff" opacity=".3"/>`
  );
}

function drawBowl(c: Ink, rng: Rng): string {
  let heap = '';
  const bumps = intBetween(rng, 5, 7);
  for (let i = 0; i < bumps; i++) {
    const x = 260 + (i + 0.5) * (280 / bumps);
    heap += `<circle cx="${n(x)}" cy="${n(392 - Math.sin(((i + 0.5) / bumps) * Math.PI) * 40)}" r="${n(between(rng, 38, 50))}"/>`;
  }
  return (
    `<path d="M496 170l-110 190M530 186l-120 180" stroke="${c.k}" stroke-width="12" stroke-linecap="round"/>` +
    `<g fill="${c.l}">${heap}</g>` +
    `<path d="M226 400h348q-6 170-174 182Q232 570 226 400z" fill="${c.d}"/>` +
    `<ellipse cx="400" cy="400" rx="174" ry="24" fill="${c.k}" opacity=".45"/>` +
    `<path d="M250 450q110 40 300 0" stroke="${c.l}" stroke-width="10" fill="none" opacity=".8"/>` +
    `<rect x="340" y="578" width="120" height="20" rx="8" fill="${c.k}"/>` +
    `<path d="M262 430q20 90 90 130" stroke="#fff" stroke-width="10" fill="none" stroke-linecap="round" opacity=".25"/>`
  );
}

function drawBasket(c: Ink): string {
  let weave = '';
  for (let i = 0; i < 5; i++) weave += `M${262 + i * 6} ${410 + i * 36}h${276 - i * 12}`;
  let ribs = '';
  for (let i = 0; i <= 8; i++) ribs += `M${n(250 + i * 37.5)} 380L${n(300 + i * 25)} 590`;
  return (
    `<path d="M280 390c0-190 240-190 240 0" stroke="${c.k}" stroke-width="18" fill="none" stroke-linecap="round"/>` +
    `<circle cx="330" cy="368" r="34" fill="${c.l}"/><circle cx="468" cy="372" r="30" fill="${c.m}"/><circle cx="402" cy="356" r="38" fill="${c.l}" opacity=".9"/>` +
    `<path d="M240 380h320l-40 210H280z" fill="${c.d}"/>` +
    `<path d="${weave}" stroke="${c.l}" stroke-width="12" opacity=".55"/>` +
    `<path d="${ribs}" stroke="${c.k}" stroke-width="5" opacity=".6"/>` +
    `<rect x="232" y="368" width="336" height="26" rx="12" fill="${c.k}"/>`
  );
}

function drawVase(c: Ink, rng: Rng): string {
  const petals = intBetween(rng, 5, 8);
  let flower = '';
  for (let i = 0; i < petals; i++) {
    flower += `<ellipse cx="400" cy="412" rx="14" ry="34" transform="rotate(${n((360 / petals) * i)} 400 446)"/>`;
  }
  return (
    `<path d="M366 140h68v36q0 34 44 76 84 80 72 204-10 110-84 134H354q-74-24-84-134-12-124 72-204 44-42 44-76z" fill="${c.d}"/>` +
    `<rect x="356" y="130" width="88" height="20" rx="8" fill="${c.k}"/>` +
    `<path d="M300 300h200M286 540h228" stroke="${c.l}" stroke-width="10"/>` +
    `<g fill="${c.l}" opacity=".9">${flower}</g>` +
    `<circle cx="400" cy="446" r="16" fill="${c.m}"/>` +
    `<path d="M318 330q-30 80-10 190" stroke="#fff" stroke-width="12" fill="none" stroke-linecap="round" opacity=".28"/>`
  );
}

function drawFabric(c: Ink, rng: Rng): string {
  const ys = [450, 370, 290];
  const tone = [c.d, c.m, c.k];
  let out = '';
  ys.forEach((y, i) => {
    const x = 228 + i * 14 + between(rng, -10, 10);
    out += `<rect x="${n(x)}" y="${y}" width="${n(344 - i * 28)}" height="86" rx="14" fill="${tone[i] ?? c.d}"/>`;
    let zig = `M${n(x + 16)} ${y + 43}`;
    for (let k = 1; k <= 10; k++) zig += `l${n((344 - i * 28 - 32) / 10)} ${k % 2 ? -16 : 16}`;
    out += `<path d="${zig}" stroke="${c.l}" stroke-width="6" fill="none" stroke-linejoin="round"/>`;
    out += `<path d="M${n(x + 16)} ${y + 14}h${n(344 - i * 28 - 32)}M${n(x + 16)} ${y + 72}h${n(344 - i * 28 - 32)}" stroke="${c.l}" stroke-width="3" opacity=".6"/>`;
  });
  return out + `<path d="M560 310q40 130-10 250" stroke="${c.k}" stroke-width="16" fill="none" stroke-linecap="round"/>`;
}

function drawPlant(c: Ink, rng: Rng): string {
  let crown = '';
  const blobs = intBetween(rng, 6, 9);
  for (let i = 0; i < blobs; i++) {
    const a = (i / blobs) * Math.PI * 2;
    crown += `<circle cx="${n(400 + Math.cos(a) * between(rng, 80, 120))}" cy="${n(290 + Math.sin(a) * between(rng, 50, 80))}" r="${n(between(rng, 44, 62))}"/>`;
  }
  let blossoms = '';
  for (let i = 0; i < 9; i++) {
    blossoms += `<circle cx="${n(between(rng, 290, 510))}" cy="${n(between(rng, 220, 360))}" r="${n(between(rng, 7, 12))}"/>`;
  }
  return (
    `<path d="M400 470c-10-60 30-90 0-160M400 400c30-20 60-30 70-80M396 360c-40-10-60-40-70-70" stroke="${c.k}" stroke-width="16" fill="none" stroke-linecap="round"/>` +
    `<g fill="${c.d}">${crown}</g>` +
    `<g fill="${c.l}">${blossoms}</g>` +
    `<path d="M296 470h208l-24 126H320z" fill="${c.k}"/>` +
    `<rect x="282" y="456" width="236" height="30" rx="8" fill="${c.m}"/>` +
    `<path d="M330 510l10 70" stroke="#fff" stroke-width="10" stroke-linecap="round" opacity=".25"/>`
  );
}

function drawHouse(c: Ink, rng: Rng): string {
  const sunX = between(rng, 250, 560);
  return (
    `<circle cx="${n(sunX)}" cy="170" r="44" fill="${c.l}" opacity=".85"/>` +
    `<path d="M240 560V470M300 560V470M500 560V470M560 560V470" stroke="${c.k}" stroke-width="14"/>` +
    `<rect x="250" y="350" width="300" height="124" fill="${c.d}"/>` +
    `<path d="M210 360l80-130h220l80 130z" fill="${c.k}"/>` +
    `<path d="M270 300h260" stroke="${c.l}" stroke-width="6" opacity=".6"/>` +
    `<rect x="370" y="380" width="60" height="94" fill="${c.l}"/>` +
    `<rect x="282" y="384" width="58" height="44" fill="${c.l}" opacity=".85"/><rect x="460" y="384" width="58" height="44" fill="${c.l}" opacity=".85"/>` +
    `<path d="M380 474l-40 110M420 474l-40 110M372 500h36M360 530h36M350 560h34" stroke="${c.m}" stroke-width="6"/>` +
    `<rect x="200" y="584" width="400" height="12" rx="6" fill="${c.m}"/>`
  );
}

function drawCup(c: Ink, rng: Rng): string {
  const wave = between(rng, 12, 22);
  return (
    `<g stroke="${c.d}" stroke-width="10" fill="none" stroke-linecap="round" opacity=".55">` +
    `<path d="M360 300c-${n(wave)}-30 ${n(wave)}-50 0-90"/><path d="M400 290c-${n(wave)}-30 ${n(wave)}-60 0-110"/><path d="M440 300c-${n(wave)}-30 ${n(wave)}-50 0-90"/></g>` +
    `<ellipse cx="400" cy="552" rx="196" ry="36" fill="${c.k}"/>` +
    `<ellipse cx="400" cy="544" rx="150" ry="20" fill="${c.m}"/>` +
    `<circle cx="530" cy="420" r="46" fill="none" stroke="${c.d}" stroke-width="18"/>` +
    `<path d="M270 330h260v50q0 160-130 160T270 380z" fill="${c.d}"/>` +
    `<ellipse cx="400" cy="332" rx="130" ry="22" fill="${c.l}"/>` +
    `<path d="M290 390q8 90 60 120" stroke="#fff" stroke-width="12" fill="none" stroke-linecap="round" opacity=".28"/>`
  );
}

function drawHoney(c: Ink, rng: Rng): string {
  const hex = (cx: number, cy: number, r: number): string => {
    let d = '';
    for (let i = 0; i < 6; i++) {
      const a = (Math.PI / 3) * i + Math.PI / 6;
      d += `${i ? 'L' : 'M'}${n(cx + r * Math.cos(a))} ${n(cy + r * Math.sin(a))}`;
    }
    return d + 'z';
  };
  // a honeycomb of 7 cells; which cells are capped comes from the slug
  const cells: Array<[number, number]> = [[400, 270], [330, 230], [470, 230], [330, 310], [470, 310], [400, 190], [400, 350]];
  let full = '';
  let empty = '';
  cells.forEach(([x, y], i) => {
    if (i === 0 || i === 6 || rng() < 0.45) full += hex(x, y, 42);
    else empty += hex(x, y, 42);
  });
  const drop = (x: number, y: number, s: number): string =>
    `M${n(x)} ${n(y)}q${n(26 * s)} ${n(40 * s)} ${n(26 * s)} ${n(62 * s)}a${n(26 * s)} ${n(26 * s)} 0 0 1-${n(52 * s)} 0q0-${n(22 * s)} ${n(26 * s)}-${n(62 * s)}z`;
  return (
    `<path d="${empty}" fill="${c.l}" stroke="${c.k}" stroke-width="8" stroke-linejoin="round"/>` +
    `<path d="${full}" fill="${c.d}" stroke="${c.k}" stroke-width="8" stroke-linejoin="round"/>` +
    `<path d="M372 380q28 40 56 0v30q-6 40-28 40t-28-40z" fill="${c.d}"/>` +
    `<path d="${drop(400, 470, 1)}${drop(336, 500, 0.6)}${drop(462, 520, 0.5)}" fill="${c.d}"/>` +
    `<ellipse cx="400" cy="594" rx="120" ry="16" fill="${c.d}"/>` +
    `<ellipse cx="390" cy="548" rx="7" ry="13" ${SHINE}/>` +
    `<path d="M452 280h16v40" stroke="#fff" stroke-width="8" fill="none" opacity=".3"/>`
  );
}

function drawFish(c: Ink, rng: Rng): string {
  let scales = '';
  const rows = intBetween(rng, 3, 4);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < 3; j++) {
      const x = 330 + i * 44;
      const y = 350 + j * 36 - (i % 2) * 18;
      scales += `M${x} ${y}q18 18 0 36`;
    }
  }
  return (
    `<path d="M548 380l72-70v140z" fill="${c.k}"/>` +
    `<path d="M200 380q150-170 370 0-220 170-370 0z" fill="${c.d}"/>` +
    `<path d="M370 300q40-60 100-50-10 40-40 70z" fill="${c.k}"/>` +
    `<path d="M380 460q30 40 80 40-10-30-40-50z" fill="${c.k}"/>` +
    `<path d="${scales}" stroke="${c.l}" stroke-width="5" fill="none" opacity=".6"/>` +
    `<path d="M290 320q-20 60 0 120" stroke="${c.l}" stroke-width="6" fill="none"/>` +
    `<circle cx="258" cy="368" r="14" fill="${c.l}"/><circle cx="262" cy="366" r="6" fill="${c.k}"/>` +
    `<path d="M230 400q30 20 60 16" stroke="#fff" stroke-width="6" fill="none" stroke-linecap="round" opacity=".35"/>`
  );
}

function drawGrain(c: Ink, rng: Rng): string {
  let stems = '';
  let grains = '';
  const bend = [-1, 0, 1];
  for (const b of bend) {
    const topX = 400 + b * 90 + between(rng, -10, 10);
    const topY = 190 + Math.abs(b) * 40;
    stems += `M400 600Q${n(400 + b * 20)} 420 ${n(topX)} ${n(topY)}`;
    for (let i = 0; i < 6; i++) {
      const t = i / 6;
      const x = topX + (400 + b * 20 - topX) * t * 0.9;
      const y = topY + t * 180;
      grains += `<ellipse cx="${n(x - 16)}" cy="${n(y + 10)}" rx="10" ry="20" transform="rotate(-35 ${n(x - 16)} ${n(y + 10)})"/>`;
      grains += `<ellipse cx="${n(x + 16)}" cy="${n(y + 10)}" rx="10" ry="20" transform="rotate(35 ${n(x + 16)} ${n(y + 10)})"/>`;
    }
    grains += `<ellipse cx="${n(topX)}" cy="${n(topY - 8)}" rx="10" ry="20"/>`;
  }
  return (
    `<path d="${stems}" stroke="${c.k}" stroke-width="9" fill="none" stroke-linecap="round"/>` +
    `<g fill="${c.d}">${grains}</g>` +
    `<rect x="360" y="470" width="80" height="30" rx="8" fill="${c.l}" stroke="${c.k}" stroke-width="4"/>`
  );
}

function drawDefault(c: Ink): string {
  let star = '';
  for (let i = 0; i < 10; i++) {
    const r = i % 2 ? 58 : 130;
    const a = -Math.PI / 2 + (Math.PI / 5) * i;
    star += `${i ? 'L' : 'M'}${n(400 + r * Math.cos(a))} ${n(370 + r * Math.sin(a))}`;
  }
  return (
    `<circle cx="400" cy="370" r="200" fill="${c.d}"/>` +
    `<circle cx="400" cy="370" r="170" fill="none" stroke="${c.l}" stroke-width="8" stroke-dasharray="4 14" stroke-linecap="round"/>` +
    `<path d="${star}z" fill="${c.l}"/>` +
    `<circle cx="400" cy="370" r="28" fill="${c.m}"/>`
  );
}

const MOTIFS: Record<string, (c: Ink, rng: Rng) => string> = {
  bottle: drawBottle,
  jar: drawJar,
  bag: drawBag,
  box: drawBox,
  leaf: drawLeaf,
  fruit: drawFruit,
  bowl: drawBowl,
  basket: drawBasket,
  vase: drawVase,
  fabric: drawFabric,
  plant: drawPlant,
  house: drawHouse,
  cup: drawCup,
  honey: drawHoney,
  fish: drawFish,
  grain: drawGrain,
};

// ---------------------------------------------------------------- pattern

function patternTile(kind: number, tile: number, colour: string, rng: Rng): string {
  const h = tile / 2;
  switch (kind) {
    case 0:
      return `<circle cx="${n(h)}" cy="${n(h)}" r="${n(between(rng, 2.5, 5))}" fill="${colour}"/>`;
    case 1:
      return `<rect width="${n(tile)}" height="${n(between(rng, 3, 7))}" fill="${colour}"/>`;
    case 2:
      return `<path d="M${n(h)} ${n(h - 7)}v14M${n(h - 7)} ${n(h)}h14" stroke="${colour}" stroke-width="3" stroke-linecap="round"/>`;
    case 3:
      return `<path d="M${n(h)} ${n(h - 8)}l8 8-8 8-8-8z" fill="${colour}"/>`;
    case 4:
      return `<path d="M0 ${n(h)}q${n(tile / 4)} -10 ${n(h)} 0t${n(h)} 0" stroke="${colour}" stroke-width="3" fill="none"/>`;
    default:
      return `<circle cx="${n(h)}" cy="${n(h)}" r="${n(tile / 4)}" stroke="${colour}" stroke-width="2.5" fill="none"/>`;
  }
}

function scatter(rng: Rng, colour: string): string {
  let out = '';
  const count = intBetween(rng, 4, 7);
  for (let i = 0; i < count; i++) {
    const x = between(rng, 0, SIZE);
    const y = between(rng, 0, BAND_Y);
    const r = between(rng, 24, 110);
    const o = n(between(rng, 0.06, 0.16));
    out +=
      rng() < 0.5
        ? `<circle cx="${n(x)}" cy="${n(y)}" r="${n(r)}" fill="${colour}" opacity="${o}"/>`
        : `<circle cx="${n(x)}" cy="${n(y)}" r="${n(r)}" fill="none" stroke="${colour}" stroke-width="${n(between(rng, 4, 12))}" opacity="${o}"/>`;
  }
  return out;
}

// ---------------------------------------------------------------- main

export function productImageSvg(input: { slug: string; name: string; motif: string; palette: [string, string] }): string {
  const seed = hash32(input.slug || input.name);
  const rng = mulberry32(seed);
  const id = 'pi' + seed.toString(36);

  const c0 = parseHex(input.palette[0] ?? '') ?? ([196, 140, 60] as Rgb);
  const c1 = parseHex(input.palette[1] ?? '') ?? ([70, 50, 30] as Rgb);
  const [lo, hi] = luminance(c0) <= luminance(c1) ? [c0, c1] : [c1, c0];
  const dark = push(lo, BLACK, (l) => l <= 0.2);
  const light = push(hi, WHITE, (l) => l >= 0.5);
  const ink: Ink = {
    d: toHex(dark),
    l: toHex(light),
    m: toHex(mix(dark, light, 0.5)),
    k: toHex(mix(dark, BLACK, 0.35)),
  };
  const bgA = toHex(mix(light, WHITE, 0.45));
  const bgB = toHex(mix(light, dark, 0.42));

  // gradient direction, pattern and placement all come from the slug
  const angle = between(rng, 0, Math.PI * 2);
  const gx = Math.cos(angle) / 2;
  const gy = Math.sin(angle) / 2;
  const kind = intBetween(rng, 0, 5);
  const tile = intBetween(rng, 34, 64);
  const tilt = intBetween(rng, -40, 40);
  const patternColour = rng() < 0.6 ? '#fff' : ink.d;
  const patternOpacity = n(patternColour === '#fff' ? between(rng, 0.22, 0.34) : between(rng, 0.08, 0.14));
  const tile0 = patternTile(kind, tile, patternColour, rng);
  const bubbles = scatter(rng, rng() < 0.5 ? '#fff' : ink.d);
  const dx = between(rng, -16, 16);
  const rot = between(rng, -4, 4);

  const draw = MOTIFS[input.motif] ?? drawDefault;
  const motif = draw(ink, rng);

  const title = escapeXml(input.name);

  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${SIZE}" height="${SIZE}" viewBox="0 0 ${SIZE} ${SIZE}" role="img">` +
    `<title>${title}</title>` +
    `<defs>` +
    `<linearGradient id="${id}g" x1="${n(0.5 - gx)}" y1="${n(0.5 - gy)}" x2="${n(0.5 + gx)}" y2="${n(0.5 + gy)}">` +
    `<stop offset="0" stop-color="${bgA}"/><stop offset="1" stop-color="${bgB}"/></linearGradient>` +
    `<radialGradient id="${id}r"><stop offset="0" stop-color="#fff" stop-opacity=".55"/><stop offset="1" stop-color="#fff" stop-opacity="0"/></radialGradient>` +
    `<pattern id="${id}p" width="${tile}" height="${tile}" patternUnits="userSpaceOnUse" patternTransform="rotate(${tilt})">${tile0}</pattern>` +
    `</defs>` +
    `<rect width="${SIZE}" height="${SIZE}" fill="url(#${id}g)"/>` +
    `<rect width="${SIZE}" height="${SIZE}" fill="url(#${id}p)" opacity="${patternOpacity}"/>` +
    bubbles +
    `<circle cx="400" cy="420" r="320" fill="url(#${id}r)"/>` +
    `<ellipse cx="400" cy="676" rx="200" ry="22" fill="${ink.k}" opacity=".22"/>` +
    // The motif fills the picture (no name band: the page names the product in the reader's language).
    `<g transform="translate(${n(dx)} 0) translate(400 400) scale(1.1) translate(-400 -360) rotate(${n(rot)} 400 380)">${motif}</g>` +
    `</svg>`
  );
}
