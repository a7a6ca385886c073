/**
 * A producer's generated picture: a countryside scene (sky, sun, layered hills, terraced fields,
 * a house) whose palette, hill shapes and time of day are seeded from the producer's slug, so each
 * producer has its own recognisable picture until it uploads a photo. No text (it is shown on
 * English and Vietnamese pages alike), no external references: safe to inline.
 */
import { hash32 } from './product-image.ts';

const SCENES = [
  { sky: ['#fde7c8', '#f7b58a'], sun: '#fff4d6', hills: ['#7aa37a', '#4f7d5a', '#2f5d45'], field: '#a9c46c' }, // dawn over paddies
  { sky: ['#d6ecf3', '#9fd0e0'], sun: '#fffbe8', hills: ['#8fbf8a', '#5f9a6b', '#3b6e50'], field: '#c7d87a' }, // clear morning
  { sky: ['#fbe3d3', '#e9a3a0'], sun: '#fff1e0', hills: ['#9b8fb5', '#6f6592', '#4a426b'], field: '#d4b26a' }, // dusk in the highlands
  { sky: ['#e8f1d8', '#bfdca4'], sun: '#fffde9', hills: ['#6fa889', '#3f8066', '#24594a'], field: '#9cc97a' }, // tea hills
  { sky: ['#fff0cf', '#f6cf7a'], sun: '#fffaf0', hills: ['#c49a5a', '#9a6f3a', '#6b4a25'], field: '#e2c26c' }, // harvest
];

const n = (x: number) => String(Math.round(x));

export function producerImageSvg(slug: string): string {
  const h = hash32(slug || 'producer');
  const s = SCENES[h % SCENES.length]!;
  const id = 'pp' + h.toString(36);
  const wave = (base: number, amp: number, phase: number) => {
    let d = `M0 ${base}`;
    for (let x = 0; x <= 640; x += 80) d += ` Q${x + 40} ${n(base - amp * Math.sin((x + phase) / 90))} ${x + 80} ${n(base - amp * 0.4 * Math.cos((x + phase) / 70))}`;
    return `${d} V400 H0Z`;
  };
  const sunX = 120 + ((h >>> 8) % 400);
  const houseX = 80 + ((h >>> 16) % 420);
  const terraces = Array.from({ length: 5 }, (_, i) => `<path d="M0 ${310 + i * 18} Q320 ${296 + i * 18 + ((h >>> i) % 10)} 640 ${312 + i * 18}" stroke="#fff" stroke-opacity=".35" stroke-width="3" fill="none"/>`).join('');
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 640 400" width="640" height="400" aria-hidden="true" focusable="false">` +
    `<defs><linearGradient id="${id}s" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="${s.sky[0]}"/><stop offset="1" stop-color="${s.sky[1]}"/></linearGradient></defs>` +
    `<rect width="640" height="400" fill="url(#${id}s)"/>` +
    `<circle cx="${sunX}" cy="110" r="46" fill="${s.sun}"/>` +
    `<path d="${wave(200, 40, h % 200)}" fill="${s.hills[0]}"/>` +
    `<path d="${wave(240, 30, (h >>> 4) % 200)}" fill="${s.hills[1]}"/>` +
    `<path d="M0 300 Q320 280 640 300 V400 H0Z" fill="${s.field}"/>` +
    terraces +
    `<path d="${wave(330, 14, (h >>> 12) % 200)}" fill="${s.hills[2]}" opacity=".55"/>` +
    `<g transform="translate(${houseX} 236)"><path d="M0 30 L34 4 L68 30Z" fill="${s.hills[2]}"/><rect x="8" y="30" width="52" height="26" fill="#f5ead6"/><rect x="28" y="40" width="12" height="16" fill="${s.hills[2]}"/>` +
    `<path d="M10 56v10M58 56v10" stroke="${s.hills[2]}" stroke-width="4"/></g>` +
    `</svg>`
  );
}
