/**
 * How every Lambda is bundled, in one place: the stack builds each function's asset with it and
 * `scripts/lambda-bundles.ts` (with its test and the bench) measures exactly that. esbuild splits the
 * code into chunks, so a module reached only through `import()` (the XLSX reader and writers) sits in a
 * chunk of its own and is read from disk on first use, not at every cold start. NodejsFunction cannot
 * split (it always passes `--outfile`), hence this bundling.
 */
import { type BuildOptions, buildSync } from 'esbuild';

/** The file Lambda loads; the handler is `index.handler`. */
export const BUNDLE_ENTRY_FILE = 'index.mjs';

/**
 * esbuild's ESM output has no `require`; a CommonJS dependency that requires a Node built-in would
 * throw "Dynamic require is not supported" at cold start without this shim (each chunk gets its own).
 */
const ESM_REQUIRE_BANNER =
  "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);";

/** The esbuild options of one function's bundle, written to `outdir`. */
export function lambdaBundleOptions(entry: string, projectRoot: string, outdir: string): BuildOptions {
  return {
    entryPoints: { index: entry },
    absWorkingDir: projectRoot,
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node24',
    mainFields: ['module', 'main'],
    outExtension: { '.js': '.mjs' },
    chunkNames: 'chunks/[name]-[hash]',
    minify: true,
    // Mappings are enough for stack traces; the sources themselves would double the asset.
    sourcemap: true,
    sourcesContent: false,
    // Chinese messages stay readable and a third of the size of \u escapes.
    charset: 'utf8',
    // The AWS SDK is bundled: the version is the one we tested, tree-shaken, and not the runtime's.
    external: [],
    banner: { js: ESM_REQUIRE_BANNER },
    metafile: true,
    logLevel: 'warning',
  };
}

/** Bundles one function's entry into `outdir` (the asset's directory), synchronously as CDK asks. */
export function bundleLambda(entry: string, projectRoot: string, outdir: string): void {
  buildSync(lambdaBundleOptions(entry, projectRoot, outdir));
}
