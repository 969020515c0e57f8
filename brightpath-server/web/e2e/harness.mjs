// Starts what the browser test needs: the local OpenID provider and the
// real `brightpath serve` on a temporary SQLite database, and runs the CLI
// on the same database.
import { spawn, execFileSync } from 'node:child_process'
import { createInterface } from 'node:readline'
import { createServer } from 'node:net'
import { mkdtempSync, openSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer()
    s.on('error', reject)
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address()
      s.close(() => resolve(port))
    })
  })
}

/** Spawns a process and resolves with it and its first stdout line (JSON). */
const children = new Set()
process.on('exit', () => children.forEach((c) => c.kill('SIGTERM')))

function firstLine(cmd, args, { log, ...opts }) {
  return new Promise((resolve, reject) => {
    // Logs go to a file: an inherited stderr would outlive a killed test.
    const child = spawn(cmd, args, { ...opts, stdio: ['ignore', 'pipe', openSync(log, 'a')] })
    children.add(child)
    const rl = createInterface({ input: child.stdout })
    const timer = setTimeout(() => reject(new Error(`${cmd} did not start in 30 s`)), 30_000)
    child.on('exit', (code) => reject(new Error(`${cmd} exited early (${code})`)))
    rl.once('line', (line) => {
      clearTimeout(timer)
      try {
        resolve({ child, info: JSON.parse(line) })
      } catch (e) {
        reject(new Error(`${cmd}: not JSON: ${line} (${e.message})`))
      }
    })
  })
}

/**
 * @param {{bin: string, providerDir: string, today: string, email: string}} o
 */
export async function start({ bin, providerDir, today, email }) {
  const dir = mkdtempSync(join(tmpdir(), 'brightpath-web-'))
  const db = `sqlite://${join(dir, 'bp.db')}`
  const idp = await firstLine('node', ['provider.mjs'], {
    cwd: providerDir,
    log: join(dir, 'provider.log'),
    env: { ...process.env, MOCK_EMAIL: email },
  })
  const port = await freePort()
  const base = `http://127.0.0.1:${port}`
  const env = {
    PATH: process.env.PATH ?? '',
    HOME: dir,
    USER: 'tester',
    BRIGHTPATH_TODAY: today,
    BRIGHTPATH_OAUTH__ISSUER: idp.info.issuer,
    BRIGHTPATH_OAUTH__CLIENT_ID: 'bp-client',
    BRIGHTPATH_OAUTH__CLIENT_SECRET: 'bp-secret',
    BRIGHTPATH_SERVER__PUBLIC_URL: base,
  }
  const cli = (...args) =>
    execFileSync(bin, ['--db', db, ...args], {
      env,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    })
  // Migrate before serving, so the CLI and the server share a ready database.
  cli('db', 'migrate')
  const serve = await firstLine(
    bin,
    ['--db', db, '--json', 'serve', '--listen', `127.0.0.1:${port}`],
    { env, log: join(dir, 'serve.log') },
  )
  const stop = () => {
    for (const c of [serve.child, idp.child]) {
      c.removeAllListeners('exit')
      c.kill('SIGTERM')
    }
  }
  return { base, db, dir, cli, stop }
}
