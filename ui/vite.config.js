import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vite';

// `npm run dev` forwards API calls to a running gateway (`newapi serve`).
const backend = process.env.NEWAPI_BACKEND ?? 'http://127.0.0.1:3000';

export default defineConfig({
  plugins: [svelte()],
  base: '/',
  build: {
    // The Python package serves this folder at `/` (pyproject package-data `ui_dist/**/*`).
    outDir: '../newapi/ui_dist',
    emptyOutDir: true,
  },
  server: {
    proxy: { '/api': backend, '/graphql': backend, '/healthz': backend },
  },
});
