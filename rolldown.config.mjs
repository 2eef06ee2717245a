/**
 * The package's two entry points as bundles, built from tsc's output by `npm run build`:
 * `dist/package/index.js` (what a service imports: the runtime, no TensorFlow.js) and
 * `dist/package/training.js` (`allina/training`), with the code they share in one chunk so that
 * both see the same classes (an `ArtifactError` from either is the same `ArtifactError`).
 *
 * Why bundle: a fresh process pays Node's ES module loader per file, which for the runtime's
 * fifteen files cost as much as loading the model. npm packages and Node's modules stay
 * imports (TensorFlow.js is still loaded only by the code that trains). The CLI runs from
 * `dist/src`, file by file, as tsc wrote it.
 */
export default {
  input: { index: 'dist/src/index.js', training: 'dist/src/training.js' },
  platform: 'node',
  external: (id) => !id.startsWith('.') && !id.startsWith('/'),
  // training.js imports the trainer directly as well as lazily; both stay in its chunk.
  checks: { ineffectiveDynamicImport: false },
  output: { dir: 'dist/package', format: 'esm', chunkFileNames: 'shared.js', sourcemap: false, cleanDir: true },
};
