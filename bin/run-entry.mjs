// Runs a module of the project from its TypeScript source when tsx is installed (a checkout:
// always the current code), else from the compiled build/ (`npm run build`; the Docker image,
// which installs no development dependencies).
export async function runEntry (module) {
  let register
  try {
    ({ register } = await import('tsx/esm/api'))
  } catch {
    await import(new URL(`../build/${module}.js`, import.meta.url).href)
    return
  }
  register()
  await import(new URL(`../${module}.ts`, import.meta.url).href)
}
