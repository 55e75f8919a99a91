// Vite build/dev-server and Vitest configuration for the Fanbase web UI.
/// <reference types="vitest/config" />
import { defineConfig } from 'vite';

export default defineConfig({
  // Tauri serves dist/ at its own origin, so the default base '/' is right.
  clearScreen: false,
  esbuild: { jsx: 'automatic' },
  server: {
    port: 1420,
    strictPort: true,
    watch: { ignored: ['**/src-tauri/**', '**/crates/**', '**/target/**'] },
  },
  envPrefix: ['VITE_', 'TAURI_ENV_'],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // WebKitGTK (Tauri on Linux) and Safari-era WebKit on macOS.
    target: 'es2021',
    sourcemap: false,
    modulePreload: { polyfill: false },
  },
  test: {
    environment: 'jsdom',
    include: ['src/**/*.test.{ts,tsx}'],
    restoreMocks: true,
    setupFiles: ['src/testing/setup.ts'],
  },
});
