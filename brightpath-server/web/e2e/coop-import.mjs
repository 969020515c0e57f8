// The co-op admin's roster import, one step of the browser test (run.mjs):
// it makes the signed-in person an admin of a new co-op (the CLI), then in
// the page: a refused file (every problem listed, no Apply), a good file's
// dry run, Apply behind its confirmation, the applied report, the recent
// imports, and the same page on a phone and in the dark theme; then the
// roster and classes page, on a desktop and a phone (axe and no sideways
// scroll on each, as audit() checks).
import { readFileSync, readdirSync } from 'node:fs'
import { join, resolve } from 'node:path'

const ROSTER = resolve(process.env.BRIGHTPATH_ROSTER_DIR ?? '../../examples/roster/riverside')
const COOP = 'E2E Co-op'

// ---- a zip of stored (uncompressed) files: enough for a few small CSVs ----

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
  return c >>> 0
})

function crc32(buf) {
  let c = 0xffffffff
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8)
  return (c ^ 0xffffffff) >>> 0
}

/** @param {Array<{name: string, data: Buffer}>} files */
export function zip(files) {
  const locals = []
  const centrals = []
  let offset = 0
  for (const { name, data } of files) {
    const n = Buffer.from(name)
    const crc = crc32(data)
    const local = Buffer.alloc(30)
    local.writeUInt32LE(0x04034b50, 0)
    local.writeUInt16LE(20, 4) // version needed
    local.writeUInt32LE(crc, 14)
    local.writeUInt32LE(data.length, 18)
    local.writeUInt32LE(data.length, 22)
    local.writeUInt16LE(n.length, 26)
    const central = Buffer.alloc(46)
    central.writeUInt32LE(0x02014b50, 0)
    central.writeUInt16LE(20, 4)
    central.writeUInt16LE(20, 6)
    central.writeUInt32LE(crc, 16)
    central.writeUInt32LE(data.length, 20)
    central.writeUInt32LE(data.length, 24)
    central.writeUInt16LE(n.length, 28)
    central.writeUInt32LE(offset, 42)
    locals.push(local, n, data)
    centrals.push(central, n)
    offset += local.length + n.length + data.length
  }
  const dir = Buffer.concat(centrals)
  const end = Buffer.alloc(22)
  end.writeUInt32LE(0x06054b50, 0)
  end.writeUInt16LE(files.length, 8)
  end.writeUInt16LE(files.length, 10)
  end.writeUInt32LE(dir.length, 12)
  end.writeUInt32LE(offset, 16)
  return Buffer.concat([...locals, dir, end])
}

/**
 * The example co-op's roster as a zip, and a broken copy (an enrollment in
 * a class that does not exist). Its guardian's e-mail is changed so the
 * import does not add the tester to a second family.
 */
export function rosterZips(dir = ROSTER) {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.csv'))
    .sort()
    .map((name) => ({
      name,
      data: Buffer.from(
        readFileSync(join(dir, name), 'utf8').replaceAll(
          'maria@example.org',
          'maria.rivera@example.org',
        ),
      ),
    }))
  const broken = files.map((f) =>
    f.name === 'enrollments.csv'
      ? {
          name: f.name,
          data: Buffer.concat([
            f.data,
            Buffer.from(
              'enr-missing,active,2026-08-01,cls-missing,org-riverside,usr-ada,student,false,2026-08-31,2026-12-18\n',
            ),
          ]),
        }
      : f,
  )
  return { good: zip(files), bad: zip(broken) }
}

/**
 * @param {{browser: import('playwright-core').Browser, h: {base: string, cli: (...a: string[]) => string},
 *   storageState: object, audit: (page: object, name: string) => Promise<string>,
 *   check: (cond: unknown, msg: string) => void, step: (s: string) => void, email: string,
 *   viewports: {DESKTOP: {width: number, height: number}, PHONE: {width: number, height: number}}}} o
 */
export async function coopImportStep({
  browser,
  h,
  storageState,
  audit,
  check,
  step,
  email,
  viewports,
}) {
  step('a co-op admin imports the roster: refused file, dry run, apply')
  h.cli('coop', 'add', COOP, '--time-zone', 'America/Chicago')
  h.cli('coop', 'admin', COOP, 'Maria', '--email', email)
  const { good, bad } = rosterZips()
  const ctx = await browser.newContext({
    baseURL: h.base,
    viewport: viewports.DESKTOP,
    storageState,
  })
  const page = await ctx.newPage()
  try {
    await page.goto('/week')
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Roster import' })
      .click()
    await page.getByRole('heading', { level: 1, name: `Roster import: ${COOP}` }).waitFor()
    await audit(page, 'coop-import-desktop')

    const choose = async (name, buffer) => {
      await page
        .getByLabel('Roster file (.zip)')
        .setInputFiles({ name, mimeType: 'application/zip', buffer })
      await page.getByRole('button', { name: 'Upload and check' }).click()
      await page.getByRole('heading', { name: `Dry run: ${name}` }).waitFor({ timeout: 30000 })
    }

    await choose('broken.zip', bad)
    const problems = page.getByRole('table', { name: /Rows to fix/ })
    await problems.waitFor()
    check(
      (await problems.innerText()).includes('cls-missing'),
      'the refused file names its bad row',
    )
    check(
      (await page.getByRole('button', { name: /^Apply/ }).count()) === 0,
      'a refused file offers no Apply',
    )
    await audit(page, 'coop-import-refused-desktop')
    await page.getByRole('button', { name: 'Choose another file' }).click()

    await choose('riverside.zip', good)
    await page.getByRole('table', { name: 'What would change, per kind' }).waitFor()
    await audit(page, 'coop-import-dry-run-desktop')
    await page.getByRole('button', { name: 'Apply…' }).click()
    const dialog = page.getByRole('alertdialog')
    check((await dialog.innerText()).includes('created'), 'the confirmation states the counts')
    await dialog.getByRole('button', { name: 'Apply changes' }).click()
    await page.getByRole('heading', { name: 'Applied: riverside.zip' }).waitFor({ timeout: 60000 })
    await page.getByRole('status').filter({ hasText: 'Applied.' }).waitFor()
    await audit(page, 'coop-import-applied-desktop')
    // The address keeps the upload and its jobs: the phone and the dark theme reopen this report.
    const appliedUrl = new URL(page.url())
    const appliedPath = appliedUrl.pathname + appliedUrl.search
    const recent = page
      .getByRole('heading', { name: 'Recent imports' })
      .locator('..')
      .getByRole('listitem')
    await recent.first().filter({ hasText: 'Applied' }).waitFor()
    check((await recent.count()) >= 2, 'both uploads are listed')

    await page.getByRole('button', { name: 'Import another file' }).click()
    await choose('riverside.zip', good)
    await page.getByText('Nothing to change', { exact: true }).waitFor()
    check(
      (await page.getByRole('button', { name: /^Apply/ }).count()) === 0,
      'nothing to change: no Apply',
    )

    for (const [name, options] of [
      ['coop-import-phone', { viewport: viewports.PHONE }],
      ['coop-import-dark', { viewport: viewports.DESKTOP, colorScheme: 'dark' }],
    ]) {
      const other = await browser.newContext({ baseURL: h.base, storageState, ...options })
      const p = await other.newPage()
      await p.goto(appliedPath)
      await p.getByRole('heading', { name: /^Applied:/ }).waitFor({ timeout: 30000 })
      await audit(p, name)
      await other.close()
    }
    step('roster imported: refusal listed, dry run shown, applied after confirmation')

    step('the co-op admin reads the roster and classes')
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Roster and classes' })
      .click()
    await page.getByRole('heading', { level: 1, name: `${COOP}: roster and classes` }).waitFor()
    const science = page.getByRole('article', { name: 'Hands-on Science' })
    await science.waitFor({ timeout: 30000 })
    check((await science.innerText()).includes('Ada Rivera'), 'the class lists its children')
    await audit(page, 'coop-roster-desktop')
    const rosterPath = new URL(page.url()).pathname
    const phone = await browser.newContext({
      baseURL: h.base,
      storageState,
      viewport: viewports.PHONE,
    })
    try {
      const p = await phone.newPage()
      await p.goto(rosterPath)
      await p.getByRole('article', { name: 'Hands-on Science' }).waitFor({ timeout: 30000 })
      await audit(p, 'coop-roster-phone')
    } finally {
      await phone.close()
    }
    step('roster and classes shown on a desktop and a phone')
  } finally {
    await ctx.close()
  }
}
