// What a client got wrong before any face's code ran: the body parser (body-parser/raw-body),
// the router's percent-decoding of a path parameter, or the MDM body reader. Each face's error
// module maps these faults to its own wire; the messages here are Orchard's own, never the
// library's (whose texts name zlib, iconv or the parameter that failed).
export type ClientFault =
  | 'body-too-large'
  | 'too-many-parameters'
  | 'unsupported-encoding'
  | 'unsupported-charset'
  | 'malformed-body'
  | 'unreadable-body'
  | 'malformed-path';

export interface ClientError {
  status: number;
  fault: ClientFault;
  message: string;
}

const FAULTS: Record<ClientFault, ClientError> = {
  'body-too-large': { status: 413, fault: 'body-too-large', message: 'the request body is too large' },
  'too-many-parameters': { status: 413, fault: 'too-many-parameters', message: 'the form has too many parameters' },
  // RFC 9110 §15.5.16: a content coding the server does not support is 415.
  'unsupported-encoding': { status: 415, fault: 'unsupported-encoding', message: 'unsupported Content-Encoding (send identity, gzip, deflate or br)' },
  'unsupported-charset': { status: 415, fault: 'unsupported-charset', message: 'unsupported charset (send utf-8)' },
  'malformed-body': { status: 400, fault: 'malformed-body', message: 'the request body cannot be parsed' },
  'unreadable-body': { status: 400, fault: 'unreadable-body', message: 'the request body cannot be read (corrupt Content-Encoding or an aborted upload)' },
  'malformed-path': { status: 400, fault: 'malformed-path', message: 'the path is not valid percent-encoding' },
};

export const clientError = (fault: ClientFault): ClientError => FAULTS[fault];

/**
 * The client's fault behind `err`, or undefined for anything else (a server fault). body-parser
 * and raw-body errors carry `type` and a 4xx `status` (http-errors, `expose` true); the router
 * throws a URIError with status 400 for a path parameter that is not percent-encoding.
 */
export function clientErrorOf(err: unknown): ClientError | undefined {
  if (!err || typeof err !== 'object') return undefined;
  const e = err as { type?: unknown; status?: unknown; expose?: unknown };
  switch (e.type) {
    case 'entity.too.large': return FAULTS['body-too-large'];
    case 'parameters.too.many': return FAULTS['too-many-parameters'];
    case 'encoding.unsupported': return FAULTS['unsupported-encoding'];
    case 'charset.unsupported': return FAULTS['unsupported-charset'];
    case 'entity.parse.failed': return FAULTS['malformed-body'];
  }
  if (err instanceof URIError && e.status === 400) return FAULTS['malformed-path'];
  // Other 4xx from the body reader: a corrupt gzip/deflate/br stream, an aborted or short body.
  if (typeof e.status === 'number' && e.status >= 400 && e.status < 500 && e.expose === true) return FAULTS['unreadable-body'];
  return undefined;
}
