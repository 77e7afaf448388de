// The part of autocannon 9 the HTTP benchmark uses; the package ships no types of its own.
declare module 'autocannon' {
  import type { EventEmitter } from 'node:events'

  export type Request = {
    method?: string
    path?: string
    headers?: Record<string, string>
    body?: string
    /** Called just before the request is sent (with pipelining 1); returns the request to send. */
    setupRequest?: (request: Request, context: Record<string, unknown>) => Request | null
    [extra: string]: unknown
  }

  /** One connection. Emits 'response' (statusCode, bytes, milliseconds) for every complete response. */
  export interface Client extends EventEmitter {
    setRequests(requests: Request[]): void
    setHeaders(headers: Record<string, string>): void
  }

  export type Options = {
    url: string
    connections?: number
    duration?: number
    timeout?: number
    pipelining?: number
    /** Requests per second per connection; unset: as fast as the server answers. */
    connectionRate?: number
    requests?: Request[]
    setupClient?: (client: Client) => void
  }

  export type Histogram = { average: number; mean: number; stddev: number; min: number; max: number; p50: number }

  export type Result = {
    requests: Histogram & { total: number; sent: number }
    latency: Histogram & { p99: number }
    /** Seconds. */
    duration: number
    errors: number
    timeouts: number
    non2xx: number
    mismatches: number
    '1xx': number
    '2xx': number
    '3xx': number
    '4xx': number
    '5xx': number
  }

  export interface Instance extends EventEmitter, PromiseLike<Result> {
    stop(): void
  }

  function autocannon(options: Options): Instance
  export default autocannon
}
