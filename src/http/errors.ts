import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { AirlockError } from '../errors.js';

/** The HTTP edge maps AirlockError codes to statuses; anything else is a 500 whose details stay in the log. */
export function handleError(error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply): void {
  if (error instanceof AirlockError) {
    if (error.status >= 500) request.log.error({ err: error }, error.message);
    else request.log.info({ code: error.code }, error.message);
    void reply
      .status(error.status)
      .headers(error.code === 'DECISION_PENDING' ? { 'retry-after': '10' } : {})
      .send({ error: error.message, code: error.code, ...(error.details ? { details: error.details } : {}) });
    return;
  }
  const status = (error as FastifyError).statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    // Fastify's own client errors: body too large, bad JSON, unsupported media type, validation.
    const code = status === 413 ? 'PAYLOAD_TOO_LARGE' : 'BAD_REQUEST';
    void reply.status(status).send({ error: error.message, code });
    return;
  }
  request.log.error({ err: error }, 'unhandled error');
  void reply
    .status(500)
    .send({ error: 'internal error; see the server log for the request id', code: 'INTERNAL' });
}
