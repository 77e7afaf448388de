/**
 * Errors a service throws when something should never happen through the pages: the error handler turns
 * each into its GOV.UK error page (or a JSON reason under /api). A problem a user can put right is not an
 * error: services return it as a value and the page shows it beside the field.
 */
export class HttpProblem extends Error {
  readonly statusCode: number
  constructor(statusCode: number, message: string) {
    super(message)
    this.statusCode = statusCode
  }
}

/** A problem of one status, with the message it gives when the service that throws it names none. */
function problemOfStatus(statusCode: number, defaultMessage: string) {
  return class extends HttpProblem {
    constructor(message = defaultMessage) {
      super(statusCode, message)
    }
  }
}

export class BadRequest extends problemOfStatus(400, 'The request was not valid') {}

export class Forbidden extends problemOfStatus(403, 'You do not have permission to do that') {}

/** Also used for people outside the user's establishments: their existence is not confirmed. */
export class NotFound extends problemOfStatus(404, 'Not found') {}

export class Conflict extends problemOfStatus(409, 'Someone else changed this record first') {}
