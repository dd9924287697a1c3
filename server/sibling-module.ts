/**
 * The URL of a module beside `base` (an `import.meta.url`), with the extension `base` has:
 * `.ts` when run from source (tests, `tsx`), `.js` once compiled into build/ (`npm start`).
 * For what import specifiers cannot say: worker thread entry points.
 */
export function siblingModule (name: string, base: string): URL {
  return new URL(`${name}${base.endsWith('.ts') ? '.ts' : '.js'}`, base)
}
