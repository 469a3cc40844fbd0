import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { precompressPlugin } from './scripts/precompress';

/**
 * antd 5's Form.Item gives its control `aria-required`; rc-select spreads it on the Select's outer <div> (no role,
 * so the attribute is invalid: axe `aria-allowed-attr`, critical) as well as on the combobox input, where it
 * belongs. Fixed upstream only in antd 6 (ant-design/ant-design#46030, #49508). This drops it from the outer
 * element at build time; the build fails if rc-select changes shape, so the patch cannot silently stop working.
 */
function selectAriaRequiredPatch(): Plugin {
  const anchor = 'var domProps = _objectSpread({}, restProps);';
  return {
    name: 'anxin:rc-select-aria-required',
    enforce: 'pre',
    transform(code, id) {
      if (!/[\\/]rc-select[\\/]es[\\/]BaseSelect[\\/]index\.js$/.test(id)) return null;
      if (!code.includes(anchor)) throw new Error(`rc-select changed: "${anchor}" not found in ${id}`);
      return { code: code.replace(anchor, `${anchor} delete domProps['aria-required'];`), map: null };
    },
  };
}

const root = fileURLToPath(new URL('./src/web', import.meta.url));
const outDir = fileURLToPath(new URL('./dist/web', import.meta.url));
const apiTarget = process.env.VITE_API_TARGET ?? 'http://localhost:3000';

// The web app lives in src/web; `npm start` serves the built bundle from dist/web on the API's own port.
export default defineConfig({
  root,
  // precompressPlugin: brotli and gzip copies of the output, sent as they are by the server (static-web.ts).
  plugins: [react(), selectAriaRequiredPatch(), precompressPlugin()],
  resolve: {
    alias: { '@shared': fileURLToPath(new URL('./src/shared', import.meta.url)) },
  },
  build: {
    outDir,
    emptyOutDir: true,
    sourcemap: true,
    rollupOptions: {
      output: {
        // React and TanStack Query change rarely: their own long-cached chunks. antd is left to Rollup, so
        // components that only lazy console pages use (Table, Upload …) stay out of the first load.
        manualChunks(id: string) {
          if (
            /[\\/]node_modules[\\/](react|react-dom|scheduler|react-router|react-router-dom)[\\/]/.test(id)
          ) {
            return 'react';
          }
          if (/[\\/]node_modules[\\/]@tanstack[\\/]/.test(id)) return 'query';
          return undefined;
        },
      },
    },
    chunkSizeWarningLimit: 1200,
  },
  server: {
    proxy: {
      '/api': { target: apiTarget, changeOrigin: false },
      '/openapi.json': { target: apiTarget },
      '/v/': { target: apiTarget },
      '/healthz': { target: apiTarget },
    },
  },
  preview: {
    proxy: {
      '/api': { target: apiTarget },
      '/v/': { target: apiTarget },
    },
  },
});
