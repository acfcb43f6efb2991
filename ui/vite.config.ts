import { defineConfig } from 'vite';

// The dashboard is served by Airlock itself from ui/dist; no React plugin needed, only the JSX transform.
export default defineConfig({
  base: '/',
  build: { outDir: 'dist', emptyOutDir: true, assetsDir: 'assets', sourcemap: false },
  oxc: { jsx: { runtime: 'automatic' } },
});
