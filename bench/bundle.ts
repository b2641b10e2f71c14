/**
 * A bench child bundled like the import Lambda (esbuild, ESM, minified, the AWS SDK inside), so its
 * memory and start-up are the deployed code's and not those of a TypeScript loader.
 */
import { join } from 'node:path';
import { build } from 'esbuild';

/** Bundles `bench/<name>.ts` to `.bench/<name>.mjs`; returns the bundle's path. */
export async function bundleBenchChild(projectRoot: string, name: string): Promise<string> {
  const outfile = join(projectRoot, '.bench', `${name}.mjs`);
  await build({
    entryPoints: [join(projectRoot, 'bench', `${name}.ts`)],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node24',
    minify: true,
    // the profile reports SDK commands by their class names
    keepNames: true,
    outfile,
    logLevel: 'warning',
    banner: {
      js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
    },
  });
  return outfile;
}
