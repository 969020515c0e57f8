// The first page's JavaScript, gzipped: the entry script and what
// index.html preloads (route chunks load later). Fails above the budget.
import { readFileSync } from 'node:fs'
import { gzipSync } from 'node:zlib'
import { join, resolve } from 'node:path'

const BUDGET = 200 * 1024
const dist = process.env.BRIGHTPATH_WEB_OUT
  ? resolve(process.env.BRIGHTPATH_WEB_OUT)
  : new URL('../dist/', import.meta.url).pathname
const html = readFileSync(join(dist, 'index.html'), 'utf8')
const files = [
  ...html.matchAll(/<script[^>]+src="\/([^"]+\.js)"/g),
  ...html.matchAll(/<link[^>]+rel="modulepreload"[^>]+href="\/([^"]+\.js)"/g),
].map((m) => m[1])
let total = 0
for (const f of new Set(files)) {
  const n = gzipSync(readFileSync(join(dist, f)), { level: 9 }).length
  total += n
  console.log(`${f}: ${(n / 1024).toFixed(1)} kB gzipped`)
}
console.log(`first page JS: ${(total / 1024).toFixed(1)} kB gzipped (budget ${BUDGET / 1024} kB)`)
if (files.length === 0 || total > BUDGET) {
  console.error(files.length === 0 ? 'no entry script found in dist/index.html' : 'over budget')
  process.exit(1)
}
