import react from '@vitejs/plugin-react';
import { defaultClientConditions, defineConfig } from 'vite';

const HUB = 'http://127.0.0.1:2801';

export default defineConfig(({ command }) => ({
  plugins: [react()],
  resolve: {
    // In dev, workspace packages (@harrier/alert) resolve to their TypeScript source; a build takes their dist.
    conditions: [...(command === 'serve' ? ['development'] : []), ...defaultClientConditions],
  },
  server: {
    proxy: {
      '/api': HUB,
      '/socket.io': { target: HUB, ws: true },
    },
  },
  build: { outDir: 'dist', emptyOutDir: true },
}));
