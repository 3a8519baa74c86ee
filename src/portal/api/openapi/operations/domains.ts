// The documented operations of domains for Managed Apple IDs (src/portal/api/routes/domains.ts).
import { body, id, type Operation } from '../operation.js';
import { closed, ref, s } from '../schemas.js';

const { str } = s;

export const DOMAINS_OPERATIONS: Operation[] = [
  {
    method: 'get', path: '/domains', operationId: 'listDomains', tag: 'Domains', access: { permission: 'org.read' }, status: 200,
    summary: "The organisation's domains", description: 'Every domain added, pending or verified, by name.',
    response: closed({ items: { type: 'array', items: ref('Domain') }, next_cursor: s.nstr }),
  },
  {
    method: 'post', path: '/domains', operationId: 'addDomain', tag: 'Domains', access: { permission: 'domains.manage' }, status: 201,
    summary: 'Add a domain for Managed Apple IDs',
    description: 'Answers the TXT record to publish at the domain\'s name (txt_record), then POST /domains/{id}/verify. A name verified by another organisation is refused (409 domain_claimed); one the organisation already has, 409 domain_exists.',
    body: body({ name: { type: 'string', description: 'a domain name such as example.com' } }, ['name']), bodyRequired: true,
    response: ref('Domain'), headers: { Location: 'the new domain' }, errors: [409],
    example: { request: { name: 'example.com' } },
  },
  { method: 'get', path: '/domains/{id}', operationId: 'getDomain', tag: 'Domains', access: { permission: 'org.read' }, path_params: id('domain id'), status: 200, summary: 'One domain', response: ref('Domain') },
  {
    method: 'post', path: '/domains/{id}/verify', operationId: 'verifyDomain', tag: 'Domains', access: { permission: 'domains.manage' }, path_params: id('domain id'), status: 200,
    summary: 'Verify a domain by its DNS TXT record',
    description: 'Looks up the TXT records of the domain (the servers of ORCHARD_DNS_SERVERS). Without the expected value: 400 domain_txt_missing, whose details give record_name, expected_value and the verification values found; nothing changes. DNS unreachable: 503 dns_unavailable. Verifying an already verified domain answers it unchanged.',
    response: ref('Domain'), errors: [409, 503],
  },
  {
    method: 'delete', path: '/domains/{id}', operationId: 'deleteDomain', tag: 'Domains', access: { permission: 'domains.manage' }, path_params: id('domain id'), status: 204,
    summary: 'Remove a domain', description: 'Refused (409 domain_in_use, details.accounts) while Managed Apple IDs of the organisation are in it.', errors: [409],
  },
];
