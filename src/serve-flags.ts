// The Node/V8 flags Orchard's server runs with: `npm start` passes them (package.json; a test
// keeps the two in step) and the benchmark's server under test gets the same, so what is measured
// is what is run.
//
// --max-semi-space-size=2: V8's young generation sized by 2 MB semi-spaces instead of the 16 MB
// Node 20 grows to under load. A server's per-request garbage dies young either way; with the
// large semi-spaces the check-in fan-out (10,000 devices) peaked at 317–332 MB RSS, with 2 MB at
// 255–260 MB, at the same throughput within the run-to-run noise (`orchard bench checkin`,
// BENCHMARKS.md "Memory during check-in").
export const SERVE_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=2'];
