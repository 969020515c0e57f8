import { defineConfig } from 'vite'
import react from '@vitejs/plugin-react'

// The dev server forwards the server's paths to a running `brightpath serve`.
const api = process.env.BRIGHTPATH_URL ?? 'http://127.0.0.1:8080'
const proxied = ['/api', '/login', '/auth', '/feeds', '/healthz', '/readyz']

export default defineConfig({
  plugins: [react()],
  server: {
    proxy: Object.fromEntries(proxied.map((p) => [p, { target: api, changeOrigin: false }])),
  },
  build: {
    // The binary embeds this folder; hashed files live under assets/.
    // BRIGHTPATH_WEB_OUT: the tests build elsewhere, so the embedded dist/ stays as it was.
    outDir: process.env.BRIGHTPATH_WEB_OUT || 'dist',
    assetsDir: 'assets',
    sourcemap: false,
  },
  test: {
    environment: 'jsdom',
    setupFiles: ['./src/test/setup.js'],
    include: ['src/**/*.test.{js,jsx}'],
    css: { modules: { classNameStrategy: 'non-scoped' } },
  },
})
