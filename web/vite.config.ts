import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/**
 * The staff web app. `npm start` builds it into web/dist when its sources changed (src/cli/web-build.ts)
 * and Fastify serves it; `npm run web:dev` serves it with hot reload and proxies /api to the server.
 */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    // bench/bundle.ts reads it to add up what each screen downloads.
    manifest: true,
    chunkSizeWarningLimit: 1200,
  },
  server: {
    proxy: {
      '/api': 'http://localhost:3000',
      '/public': 'http://localhost:3000',
      '/cards': 'http://localhost:3000',
    },
  },
});
