/**
 * The console's build: Vue single-file components, Element Plus imported per component (with its CSS)
 * so the first screen carries only what it shows, routes split into their own chunks by the router's
 * lazy imports. Relative asset paths: the same files serve from the local runtime's `/` and from the
 * CloudFront distribution's root.
 */
import vue from '@vitejs/plugin-vue';
import { ElementPlusResolver } from 'unplugin-vue-components/resolvers';
import Components from 'unplugin-vue-components/vite';
import { defineConfig } from 'vite';

export default defineConfig({
  base: './',
  plugins: [vue(), Components({ resolvers: [ElementPlusResolver({ importStyle: 'css' })], dts: false })],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    reportCompressedSize: false,
  },
});
