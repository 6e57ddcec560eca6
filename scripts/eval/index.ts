/**
 * `npm run eval -- <name> [options]`: accuracy harnesses, never part of `npm test`.
 * Each harness is a module exporting `main(argv)`; they are loaded on demand.
 */

const harnesses: Readonly<Record<string, () => Promise<{ main: (argv: readonly string[]) => Promise<void> }>>> = {
  semantic: () => import('./semantic.js'),
};

const [name, ...rest] = process.argv.slice(2);
const load = name === undefined ? undefined : harnesses[name];
if (!load) {
  console.error(`usage: npm run eval -- <${Object.keys(harnesses).join('|')}> [options]`);
  process.exitCode = 2;
} else {
  await (await load()).main(rest);
}
