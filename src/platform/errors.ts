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

export class BadRequest extends HttpProblem {
  constructor(message = 'The request was not valid') {
    super(400, message)
  }
}

export class Forbidden extends HttpProblem {
  constructor(message = 'You do not have permission to do that') {
    super(403, message)
  }
}

/** Also used for people outside the user's establishments: their existence is not confirmed. */
export class NotFound extends HttpProblem {
  constructor(message = 'Not found') {
    super(404, message)
  }
}

export class Conflict extends HttpProblem {
  constructor(message = 'Someone else changed this record first') {
    super(409, message)
  }
}
