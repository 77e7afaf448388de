import { bindUseCases, type Bound } from '../../platform/use-cases.ts'
import type { JobHandlers, Sweep } from '../../platform/jobs.ts'
import * as delivery from './delivery.ts'
import { sendOverHttp, type WebhooksDeps } from './deps.ts'
import * as subscriptions from './subscriptions.ts'

export type { Send, WebhooksDeps } from './deps.ts'

/** Issue 15: events out, to the subscribers administrators register. */
const webhooksUseCases = {
  listSubscriptions: subscriptions.listSubscriptions,
  prisonChoices: subscriptions.prisonChoices,
  addSubscription: subscriptions.addSubscription,
  subscriptionChoices: subscriptions.subscriptionChoices,
  changeSubscription: subscriptions.changeSubscription,
  rotateSecret: subscriptions.rotateSecret,
  viewSubscription: subscriptions.viewSubscription,
  setEnabled: subscriptions.setEnabled,
  replayDelivery: subscriptions.replayDelivery,
  deliverDue: delivery.deliverDue,
}

export type WebhooksService = Bound<WebhooksDeps, typeof webhooksUseCases> & {
  /** The Waymark events that go out: app.ts registers them with the outbox. */
  listeners: ReturnType<typeof delivery.eventListeners>
  /** Issue 15: each event's deliveries, queued in the transaction that publishes it, so in the order of the changes. */
  writtenWithEvents: ReturnType<typeof delivery.writtenWithEvents>
  /** The job that sends what is due, for the worker. */
  jobHandlers: () => JobHandlers
  /** The safety net: what is due and was not sent (a worker died holding it). */
  deliverySweep: Sweep
}

export function createWebhooksService(
  deps: Omit<WebhooksDeps, 'send'> & { send?: WebhooksDeps['send'] | undefined },
): WebhooksService {
  const withSend: WebhooksDeps = { ...deps, send: deps.send ?? sendOverHttp }
  return {
    ...bindUseCases(withSend, webhooksUseCases),
    listeners: delivery.eventListeners(withSend),
    writtenWithEvents: delivery.writtenWithEvents(withSend),
    jobHandlers: () => delivery.jobHandlersOf(withSend),
    deliverySweep: delivery.deliverySweepOf(withSend),
  }
}
