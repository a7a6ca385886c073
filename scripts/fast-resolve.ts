/**
 * Start-up speed (issue 18, "second start ≤ 2 s"): Node 24 decides the format of every `.js`
 * module it loads by reading its package's package.json scope, and deserialises that file's
 * `exports` map again on every call (internal/modules/package_json_reader). drizzle-orm's
 * package.json is 179 KB with an export per file, so each of the ~450 modules of drizzle-orm the
 * site loads cost ~1.2 ms: ~0.6 s of a 1.9 s start (CPU profile; `import('drizzle-orm')` alone
 * 700 ms, 60 ms with this hook).
 *
 * This resolve hook answers drizzle-orm's own relative imports (`./table.js`) itself: the URL next
 * to the importing file and format "module" (its package.json says "type": "module" and it has no
 * nested package.json). Everything else goes to Node's resolver unchanged. Plain Node API
 * (module.registerHooks, synchronous and in-thread), no loader thread.
 */
import { registerHooks } from 'node:module';

const DRIZZLE = '/node_modules/drizzle-orm/';

registerHooks({
  resolve(specifier, context, nextResolve) {
    if (specifier[0] === '.' && specifier.endsWith('.js') && context.parentURL?.includes(DRIZZLE)) {
      const url = new URL(specifier, context.parentURL).href;
      if (url.includes(DRIZZLE)) return { url, format: 'module', shortCircuit: true };
    }
    return nextResolve(specifier, context);
  },
});
