import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig, loadEnv } from 'vite';

export default defineConfig(({ mode }) => {
  // In `vite dev` the API runs as its own process; proxy its routes so cookies stay same-origin.
  const api = loadEnv(mode, process.cwd(), '').API_ORIGIN || 'http://localhost:3000';
  return {
    plugins: [sveltekit()],
    server: {
      proxy: {
        '/graphql': { target: api, ws: true, changeOrigin: false },
        '/auth': { target: api, changeOrigin: false },
        '/healthz': { target: api },
      },
    },
  };
});
