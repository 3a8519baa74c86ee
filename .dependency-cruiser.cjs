// What may import what (docs/architecture.md, DESIGN.md "What may import what"), checked by
// `npm run lint:imports` inside `npm test`: a violation fails the build.
//
// The parts, by path:
//   faces   src/{dep,vpp,enroll,mdm,scep,reseller,developer,portal}/   HTTP faces (wire in, wire out)
//   http    src/http/        helpers shared by faces (admin auth, admin JSON errors, params, logging)
//   domain  src/business/    services and rules; no Express, no face
//   store   src/store/       SQLite repositories and migrations
//   model   src/model/       row shapes the store and the domain share; imports nothing
//   crypto  src/crypto/      certificates, CMS, keys (the only user of node-forge/pkijs/x509)
//   plist   src/plist/       bounded plist parse/build
//   sim     src/sim/         the device simulator: speaks only the wire
//   app     src/portal/web/app/  the portal's browser code (Preact), bundled by esbuild; talks only to the admin API
//   client  src/client/      the typed admin API client: imports nothing of Orchard, runs in a browser too
//   root    src/compose.ts, src/server.ts   the composition root: builds everything, imported by no part
const FACES = '(dep|vpp|enroll|mdm|scep|reseller|developer|portal)';
const FACE = `^src/${FACES}/`;
const ROOT = '^src/(compose|server|app)[.]ts$';
const EXPRESS = '(^|/)node_modules/(@types/)?(express|body-parser|router)/';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'No cycles at run time: a module never reaches itself through the imports that load code.',
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    {
      name: 'no-circular-between-parts',
      severity: 'error',
      comment:
        'No cycle, not even through types, leaves its folder (the old AppDeps cycle through app.ts). '
        + 'A type-only cycle between two files of one folder is tolerated (docs/architecture.md, "Exceptions").',
      from: { path: '^src/([^/]+)/' },
      to: { circular: true, via: { pathNot: '^src/$1/' } },
    },
    {
      name: 'face-not-to-other-face',
      severity: 'error',
      comment: 'A face never imports another face: what two faces share lives in the domain or in src/http/.',
      from: { path: `^src/${FACES}/` },
      to: { path: FACE, pathNot: '^src/$1/' },
    },
    {
      name: 'face-not-to-store',
      severity: 'error',
      comment:
        'A face never imports the store\'s code (SQL, repositories, openDb): it calls domain services, '
        + 'or repositories the composition root hands it. Type-only imports of row shapes and repository '
        + 'interfaces are allowed until those shapes live in src/model/ (docs/architecture.md, "Exceptions").',
      from: { path: FACE },
      to: { path: '^src/store/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'http-not-to-face-or-store',
      severity: 'error',
      comment: 'Shared face helpers sit below the faces and never reach the store\'s code.',
      from: { path: '^src/http/' },
      to: { path: `${FACE}|^src/store/`, dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'nothing-to-composition-root',
      severity: 'error',
      comment: 'Only bin/, the CLI, the bench and tests import the composition root; every part is handed what it needs.',
      from: { path: '^src/', pathNot: `${ROOT}|^src/(cli|bench)/` },
      to: { path: ROOT },
    },
    {
      name: 'domain-not-to-face',
      severity: 'error',
      comment: 'The domain never imports a face nor the faces\' HTTP helpers.',
      from: { path: '^src/business/' },
      to: { path: `${FACE}|^src/http/` },
    },
    {
      name: 'domain-not-to-express',
      severity: 'error',
      comment: 'The domain never imports Express (services are testable without HTTP).',
      from: { path: '^src/(business|store|model)/' },
      to: { path: EXPRESS },
    },
    {
      name: 'store-not-above',
      severity: 'error',
      comment: 'The store imports nothing above it: only itself, the shared model, crypto/ and the clock.',
      from: { path: '^src/store/' },
      to: { path: '^src/', pathNot: '^src/(store|model|crypto)/|^src/clock[.]ts$' },
    },
    {
      name: 'model-is-a-leaf',
      severity: 'error',
      comment: 'The shared model imports nothing of Orchard.',
      from: { path: '^src/model/' },
      to: { path: '^src/', pathNot: '^src/model/' },
    },
    {
      name: 'crypto-is-a-leaf',
      severity: 'error',
      comment: 'crypto/ imports nothing of Orchard but itself.',
      from: { path: '^src/crypto/' },
      to: { path: '^src/', pathNot: '^src/crypto/' },
    },
    {
      name: 'plist-is-a-leaf',
      severity: 'error',
      comment: 'plist/ imports nothing of Orchard but itself.',
      from: { path: '^src/plist/' },
      to: { path: '^src/', pathNot: '^src/plist/' },
    },
    {
      name: 'sim-speaks-only-the-wire',
      severity: 'error',
      comment: 'The device simulator never imports the domain, the store, a face or the composition root: only the wire.',
      from: { path: '^src/sim/' },
      to: { path: `^src/(business|store)/|${FACE}|^src/http/|${ROOT}` },
    },
    {
      name: 'portal-app-is-browser-code',
      severity: 'error',
      comment: "The portal's browser app (src/portal/web/app/) holds no business logic: it imports only itself, the typed API client (src/client/) and npm packages; everything else goes through the admin API.",
      from: { path: '^src/portal/web/app/' },
      to: { path: '^src/', pathNot: '^src/portal/web/app/|^src/client/' },
    },
    {
      name: 'client-is-a-leaf',
      severity: 'error',
      comment: 'The typed client (src/client/) imports nothing of Orchard but itself: it is generated from the OpenAPI document and shipped to other programs and browsers.',
      from: { path: '^src/client/' },
      to: { path: '^src/', pathNot: '^src/client/' },
    },
    {
      name: 'client-runs-in-a-browser',
      severity: 'error',
      comment: 'The typed client uses no Node built-in (node:fs, node:http, Buffer from node:buffer...): it must run in a browser too.',
      from: { path: '^src/client/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment: 'Every import resolves (a moved file left an import behind).',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|node_modules)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.tsx', '.js', '.d.ts', '.json'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
