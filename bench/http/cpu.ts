import { readdirSync, readFileSync } from 'node:fs'

/** Linux's clock tick for /proc times (USER_HZ), 100 on every mainstream kernel build. */
const TICKS_PER_SECOND = 100

/** CPU seconds used so far by the whole machine and by the PostgreSQL server's processes. */
export type MachineCpu = { busySeconds: number; postgresSeconds: number }

/** From /proc; zeros where there is no /proc, so the benchmark still runs elsewhere without these columns. */
export function machineCpu(): MachineCpu {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number)
    // user nice system idle iowait irq softirq steal (guest time is already counted in user)
    const [user, nice, system, , , irq, softirq, steal] = fields as [number, ...number[]]
    const busy = user + (nice ?? 0) + (system ?? 0) + (irq ?? 0) + (softirq ?? 0) + (steal ?? 0)
    return { busySeconds: busy / TICKS_PER_SECOND, postgresSeconds: postgresTicks() / TICKS_PER_SECOND }
  } catch {
    return { busySeconds: 0, postgresSeconds: 0 }
  }
}

function postgresTicks(): number {
  let ticks = 0
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
      const close = stat.lastIndexOf(')')
      if (stat.slice(stat.indexOf('(') + 1, close) !== 'postgres') continue
      const rest = stat.slice(close + 2).split(' ')
      ticks += Number(rest[11]) + Number(rest[12]) // utime and stime: fields 14 and 15 of /proc/<pid>/stat
    } catch {
      // The process ended between listing and reading.
    }
  }
  return ticks
}
