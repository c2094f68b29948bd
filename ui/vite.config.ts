/// <reference types="vitest/config" />
// Vite builds the UI into `dist/`, which the Tauri shell embeds at compile time
// (`frontendDist` in src-tauri/tauri.conf.json). Vitest runs the unit tests.
import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

export default defineConfig({
  plugins: [svelte()],
  clearScreen: false,
  server: { port: 5173, strictPort: true },
  build: {
    // WebKitGTK 2.4x: modern syntax is fine and keeps the bundle small.
    target: 'es2022',
    // The polyfill is not needed by WebKit and would be one more script.
    modulePreload: { polyfill: false },
    chunkSizeWarningLimit: 400,
  },
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
  },
});
