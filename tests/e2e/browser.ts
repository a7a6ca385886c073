import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const hasChromium = fs.existsSync(CHROMIUM);
if (!hasChromium) {
  console.log(`Browser journeys skipped: no Chromium at ${CHROMIUM} (install it with: apt-get install -y chromium).`);
}

export function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

export const PHONE = { width: 390, height: 844 };
export const DESKTOP = { width: 1280, height: 800 };

const shots = path.resolve('tests/e2e/__screenshots__');

export function screenshotPath(name: string): string {
  fs.mkdirSync(shots, { recursive: true });
  return path.join(shots, `${name}.png`);
}
