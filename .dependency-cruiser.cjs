// The import rule of the hub (docs/architecture.md, "Layers"; issue 14). Two stacks share one
// kernel:
//
//   broker → ingest → store → domain
//   http → {compare, registry, membership, alerts} → domain   (compare and membership read store/)
//
// server/hub.ts is the composition root: the only module that imports http/ (and everything
// else). domain/ imports nothing else of the hub and does no I/O. The dashboard is a separate
// program: from server/ it may import only the API contract (server/api-schemas/), and only
// types, so its bundle holds no server code.
//
// The files at the root of server/ (errors.ts, log.ts, config.ts, validation.ts, event-bus.ts, …)
// are shared services every layer but domain/ may import. Known edges the rules allow on
// purpose: api-schemas/ imports the input schemas of registry/, the bucket schema of store/ and
// the grid and normalisers of compare/ (the routes validate with the schemas those layers use);
// config.ts imports the privacy bounds and the time-zone check from compare/release/.
//
// Run: `npm run lint:deps`. test/architecture.test.ts runs the same command in the test suite,
// over the real tree and over a copy with wrong imports added.

const layer = (name) => `^server/${name}/`
const anyOf = (...names) => `^server/(${names.join('|')})/`

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'http-only-from-the-composition-root',
      comment: 'Nothing imports server/http/ but server/hub.ts, which builds the hub (docs/architecture.md, "One process, built by a factory").',
      severity: 'error',
      from: { path: '^server/', pathNot: ['^server/http/', '^server/hub\\.ts$'] },
      to: { path: layer('http') }
    },
    {
      name: 'domain-imports-no-other-layer',
      comment: 'server/domain/ is the vocabulary every layer shares: it imports nothing else of the hub.',
      severity: 'error',
      from: { path: layer('domain') },
      to: { path: '^server/', pathNot: layer('domain') }
    },
    {
      name: 'domain-does-no-io',
      comment: 'server/domain/ is pure: no Node built-in module (files, network, threads) and no package but zod.',
      severity: 'error',
      from: { path: layer('domain') },
      to: {
        dependencyTypes: ['core', 'npm', 'npm-dev', 'npm-optional', 'npm-peer', 'npm-bundled', 'npm-no-pkg', 'npm-unknown'],
        // node_modules may sit anywhere up the path (test/architecture.test.ts cruises a copy that links it).
        pathNot: '(^|/)node_modules/zod/'
      }
    },
    {
      name: 'store-is-below-ingest',
      comment: 'server/store/ keeps readings and releases; it knows the domain only, not who sends or reads them.',
      severity: 'error',
      from: { path: layer('store') },
      to: { path: anyOf('broker', 'ingest', 'compare', 'registry', 'membership', 'alerts', 'api-schemas', 'cli') }
    },
    {
      name: 'ingest-is-below-broker',
      comment: 'server/ingest/ turns one PUBLISH into readings; it knows the store and the domain, not the broker or the HTTP side.',
      severity: 'error',
      from: { path: layer('ingest') },
      to: { path: anyOf('broker', 'compare', 'registry', 'membership', 'alerts', 'api-schemas', 'cli') }
    },
    {
      name: 'broker-knows-no-http-side',
      comment: 'server/broker/ gets the device login and the ingest pipeline passed in by server/hub.ts.',
      severity: 'error',
      from: { path: layer('broker') },
      to: { path: anyOf('compare', 'registry', 'membership', 'alerts', 'api-schemas', 'cli') }
    },
    {
      name: 'compare-knows-no-device-side',
      comment: 'server/compare/ reads the store and the registry; it never sees a PUBLISH or a route.',
      severity: 'error',
      from: { path: layer('compare') },
      to: { path: anyOf('broker', 'ingest', 'membership', 'alerts', 'api-schemas', 'cli') }
    },
    {
      name: 'alerts-knows-no-device-side',
      comment: 'server/alerts/ evaluates rules over readings it is given; it never sees a PUBLISH or a connection.',
      severity: 'error',
      from: { path: layer('alerts') },
      to: { path: anyOf('broker', 'ingest', 'cli') }
    },
    {
      name: 'registry-is-below-membership',
      comment: 'server/registry/ holds members, devices, sessions and workshops; their life cycle (membership/) uses it, not the reverse.',
      severity: 'error',
      from: { path: layer('registry') },
      to: { path: anyOf('broker', 'ingest', 'store', 'compare', 'membership', 'alerts', 'api-schemas', 'cli') }
    },
    {
      name: 'membership-knows-no-device-side',
      comment: 'server/membership/ runs the life cycle of members and devices over the registry and the store.',
      severity: 'error',
      from: { path: layer('membership') },
      to: { path: anyOf('broker', 'ingest', 'compare', 'api-schemas', 'cli') }
    },
    {
      name: 'api-contract-stays-a-contract',
      comment: 'server/api-schemas/ is what the dashboard type-checks against: schemas and the vocabulary they name, never the code that serves them.',
      severity: 'error',
      from: { path: layer('api-schemas') },
      to: { path: anyOf('broker', 'ingest', 'membership', 'cli') }
    },
    {
      name: 'cli-talks-to-the-api',
      comment: 'server/cli/ drives a running hub through its admin API; it never opens the hub\'s stores itself.',
      severity: 'error',
      from: { path: '^server/cli(/|\\.ts$)' },
      to: { path: anyOf('broker', 'ingest', 'store', 'compare', 'membership') }
    },
    {
      name: 'composition-root-is-not-imported',
      comment: 'server/hub.ts and server/main.ts are imported by no server module but main.ts (tests, the simulator and the bench may build a hub).',
      severity: 'error',
      from: { path: '^server/', pathNot: '^server/main\\.ts$' },
      to: { path: '^server/(hub|main)\\.ts$' }
    },
    {
      name: 'server-imports-no-tooling',
      comment: 'The hub runs without its tests, simulator, bench, scripts or dashboard sources.',
      severity: 'error',
      from: { path: '^server/' },
      to: { path: '^(test|bench|device-sim|scripts|dashboard)/' }
    },
    {
      name: 'dashboard-imports-only-the-api-contract',
      comment: 'The dashboard bundle holds no server code: from server/ only server/api-schemas/ (next rule: types only), and the metric catalogue — pure data, the one unit table both sides write after a value.',
      severity: 'error',
      from: { path: '^dashboard/src/' },
      to: { path: '^server/', pathNot: [layer('api-schemas'), '^server/domain/metric-catalog\\.ts$'] }
    },
    {
      name: 'dashboard-imports-contract-types-only',
      comment: 'A value import of the contract would bundle zod schemas of the server into the dashboard.',
      severity: 'error',
      from: { path: '^dashboard/src/' },
      to: { path: layer('api-schemas'), dependencyTypesNot: ['type-only'] }
    },
    {
      name: 'server-runs-without-dev-dependencies',
      comment: 'The production image installs dependencies only (Dockerfile): a devDependency imported by server/ would be missing there.',
      severity: 'error',
      // Exception: the store worker's entry loads tsx only when the hub runs from TypeScript
      // sources (tests, `npm run sim`); compiled, it never does (server/store/worker/worker-entry.mjs).
      from: { path: '^server/', pathNot: '^server/store/worker/worker-entry\\.mjs$' },
      to: { dependencyTypes: ['npm-dev'], dependencyTypesNot: ['type-only'] }
    },
    {
      name: 'no-runtime-cycle',
      comment: 'Modules that import each other (type-only imports aside) see each other half-initialised, in an order that depends on who was imported first.',
      severity: 'error',
      from: { path: '^(server|dashboard/src|device-sim)/' },
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } }
    },
    {
      name: 'no-unresolvable-import',
      comment: 'An import that resolves to nothing is a moved file whose importers were not updated.',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true }
    }
  ],
  options: {
    doNotFollow: { path: ['node_modules'] },
    // node_modules is not excluded: its packages are still the ends of edges the rules check
    // (domain-does-no-io, server-runs-without-dev-dependencies); it is only not cruised.
    exclude: { path: ['^build/', '^dashboard/dist/', '^test-results/'] },
    // `import type` counts: a type-only import still ties one layer's code to another's.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings']
    },
    skipAnalysisNotInRules: true
  }
}
