import { createRequire } from 'node:module';

/**
 * GS1's own Digital Link toolkit (GS1DigitalLinkCompressionPrototype, shipped inside the
 * `digital-link.js` package): the published compression algorithm and the Application Identifier
 * table with each AI's syntax and check digit. Built once, on first use, and only for the rare
 * requests that need it (a compressed URI, or AIs in the query string): the /01/… and /t/… hot
 * paths never touch it.
 */
interface Toolkit {
  verifySyntax(ai: string, value: string): void;
  verifyCheckDigit(ai: string, value: string): void;
  decompressGS1DigitalLink(uri: string, useShortText: boolean, uriStem: string): string;
  analyseURI(uri: string, extended: boolean): { detected: string };
  aitable: Array<{ ai: string; shortcode?: string }>;
}

let toolkit: Toolkit | null = null;
let knownAIs: Set<string> | null = null;

function gs1(): Toolkit {
  if (!toolkit) {
    const load = createRequire(import.meta.url);
    const Ctor = load('digital-link.js/lib/GS1DigitalLinkCompressionPrototype/GS1DigitalLinkToolkit.js') as new () => Toolkit;
    toolkit = new Ctor();
    knownAIs = new Set(toolkit.aitable.map((a) => a.ai));
  }
  return toolkit;
}

const message = (error: unknown) => String((error as Error)?.message ?? error).replace(/\s+/g, ' ').trim();

/** Is this query-string key a GS1 Application Identifier (all digits, two to four of them)? */
export function looksLikeAI(key: string): boolean {
  return /^\d{2,4}$/.test(key);
}

/** Checks one AI value (format, length, check digit); the reason when it is wrong, else null. */
export function aiValueError(ai: string, value: string): string | null {
  const kit = gs1();
  if (!knownAIs!.has(ai)) return `(${ai}) is not a GS1 Application Identifier`;
  try {
    kit.verifySyntax(ai, value);
    kit.verifyCheckDigit(ai, value);
    return null;
  } catch (error) {
    return message(error);
  }
}

/**
 * A compressed GS1 Digital Link path (GS1 Digital Link: compression) → its uncompressed path and
 * query, e.g. /AQnYUc1gmiCNV4JG → /01/05412345000013/10/ABC123; null when it is not one.
 */
export function decompressPath(pathAndQuery: string): string | null {
  if (pathAndQuery.length > 600 || !/^\/(?:[0-9A-Za-z]+\/[^/?]+\/)?[A-Za-z0-9_-]{6,}(?:\?.*)?$/.test(pathAndQuery)) return null;
  const stem = 'https://resolver.invalid';
  try {
    const kit = gs1();
    if (!/compressed/.test(kit.analyseURI(stem + pathAndQuery, false).detected) || /^uncompressed/.test(kit.analyseURI(stem + pathAndQuery, false).detected)) return null;
    const full = kit.decompressGS1DigitalLink(stem + pathAndQuery, false, stem);
    return full.startsWith(`${stem}/`) ? full.slice(stem.length) : null;
  } catch {
    return null;
  }
}
