import { linkSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs'
import path from 'node:path'

/**
 * The embedded database belongs to one process: two PGlites on one folder each keep their own buffers and
 * overwrite each other's pages and WAL. The lock is a file in the folder naming its holder; a holder that
 * died (a crash, `kill -9`, a power cut) leaves the file behind, and the next process sees that no live
 * process matches it and takes the folder over.
 */
export const lockFileName = 'waymark.lock'

export type LockHolder = {
  pid: number
  command: string
  since: string
  /** The kernel's boot and the process's start time on Linux, so a pid reused after a crash or a reboot is not taken for the holder. */
  bootId?: string | undefined
  startTicks?: string | undefined
}

export class DataDirectoryInUse extends Error {
  readonly holder: LockHolder
  constructor(directory: string, holder: LockHolder) {
    super(
      `The data folder ${directory} is in use by process ${holder.pid} (${holder.command}, since ${holder.since}). ` +
        'The embedded database takes one process at a time: stop that process first, ' +
        'or run this command while Waymark is stopped.',
    )
    this.holder = holder
  }
}

export type DataDirectoryLock = { release: () => void }

/** Takes the folder for this process, or throws DataDirectoryInUse naming the live process that holds it. */
export function lockDataDirectory(directory: string, command = describeCommand()): DataDirectoryLock {
  const file = path.join(directory, lockFileName)
  const mine: LockHolder = { pid: process.pid, command, since: new Date().toISOString(), ...processIdentity() }
  const content = JSON.stringify(mine) + '\n'
  for (let attempt = 0; attempt < 5; attempt++) {
    if (createExclusively(file, content)) return holding(file, content)
    const found = readHolder(file)
    if (found === 'gone') continue
    if (found !== 'unreadable' && isAlive(found)) throw new DataDirectoryInUse(directory, found)
    // The holder is dead (or wrote no holder at all, its process dying between create and write).
    takeOver(file, found)
  }
  const holder = readHolder(file)
  if (typeof holder === 'object') throw new DataDirectoryInUse(directory, holder)
  throw new Error(`Cannot take the lock ${file}: other processes keep taking it`)
}

function holding(file: string, content: string): DataDirectoryLock {
  let held = true
  // A process that ends without closing the database (process.exit, an uncaught error) still frees the
  // folder at once; only a killed process leaves the file, which the next one takes over.
  const onExit = () => release()
  const release = () => {
    if (!held) return
    held = false
    process.off('exit', onExit)
    try {
      if (readFileSync(file, 'utf8') === content) unlinkSync(file)
    } catch {
      // Already gone: nothing to release.
    }
  }
  process.on('exit', onExit)
  return { release }
}

/** Written aside and linked into place, so the lock file never exists without its holder in it. */
function createExclusively(file: string, content: string): boolean {
  const aside = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}`
  writeFileSync(aside, content)
  try {
    linkSync(aside, file)
    return true
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false
    // A file system without hard links: create the file exclusively instead.
    try {
      writeFileSync(file, content, { flag: 'wx' })
      return true
    } catch (fallbackError) {
      if ((fallbackError as NodeJS.ErrnoException).code === 'EEXIST') return false
      throw fallbackError
    }
  } finally {
    unlinkSync(aside)
  }
}

function readHolder(file: string): LockHolder | 'gone' | 'unreadable' {
  let text
  try {
    text = readFileSync(file, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'gone'
    throw error
  }
  try {
    const holder = JSON.parse(text) as LockHolder
    return Number.isInteger(holder.pid) ? holder : 'unreadable'
  } catch {
    return 'unreadable'
  }
}

/**
 * Moves the dead holder's file aside and checks that what was moved is what was read: two processes
 * taking over at once must not remove the lock the faster of them has just taken. A live lock moved by
 * mistake is put back.
 */
function takeOver(file: string, dead: LockHolder | 'unreadable'): void {
  const aside = `${file}.stale.${process.pid}.${Math.random().toString(36).slice(2)}`
  try {
    renameSync(file, aside)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return
    throw error
  }
  const moved = readHolder(aside)
  const same =
    dead === 'unreadable'
      ? moved === 'unreadable'
      : typeof moved === 'object' && JSON.stringify(moved) === JSON.stringify(dead)
  if (!same) {
    try {
      linkSync(aside, file)
    } catch {
      // Someone else holds it now; the next attempt reads them.
    }
  }
  unlinkSync(aside)
}

function isAlive(holder: LockHolder): boolean {
  try {
    process.kill(holder.pid, 0)
  } catch (error) {
    // EPERM: a process of another user has that pid, so it is alive; only ESRCH means there is none.
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false
  }
  const now = processIdentity(holder.pid)
  if (holder.bootId && now.bootId && holder.bootId !== now.bootId) return false
  if (holder.startTicks && now.startTicks && holder.startTicks !== now.startTicks) return false
  return true
}

/** On Linux, the boot and the process's start in clock ticks since boot; elsewhere nothing, and the pid alone decides. */
function processIdentity(pid: number = process.pid): { bootId?: string; startTicks?: string } {
  try {
    const bootId = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim()
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    // The command name in brackets may hold spaces; the fields after it are space-separated, start time 20th.
    const startTicks = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]
    return { bootId, startTicks }
  } catch {
    return {}
  }
}

/** The command without its file names or values, which may name people: `waymark import`, `npm start`. */
function describeCommand(): string {
  const script = process.argv[1] ? path.basename(process.argv[1]) : 'node'
  if (script === 'waymark.js' || script === 'waymark') return `waymark ${process.argv[2] ?? ''}`.trim()
  if (script === 'main.ts') return 'waymark serve'
  return `node ${script}`
}
