// SCEP authenticated attributes (RFC 8894 §3.2.1): code tables and their DER encodings.
// messageType, pkiStatus and failInfo are PrintableStrings of decimal numbers, transactionID
// a PrintableString, the nonces 16-byte OCTET STRINGs.
import { contentOf, octets, parseDer, printable, stringOf, Tag } from './der.js';
import {
  OID_SCEP_FAIL_INFO,
  OID_SCEP_MESSAGE_TYPE,
  OID_SCEP_PKI_STATUS,
  OID_SCEP_RECIPIENT_NONCE,
  OID_SCEP_SENDER_NONCE,
  OID_SCEP_TRANSACTION_ID,
} from './oids.js';
import type { SignedAttribute } from './cms-sign.js';
import { CryptoError } from './types.js';

/** §3.2.1.2 messageType. */
export const MESSAGE_TYPES = { CertRep: 3, RenewalReq: 17, PKCSReq: 19, CertPoll: 20, GetCert: 21, GetCRL: 22 } as const;
export type ScepMessageType = keyof typeof MESSAGE_TYPES;
export type ScepRequestType = Exclude<ScepMessageType, 'CertRep'>;

/** §3.2.1.3 pkiStatus. */
export const PKI_STATUSES = { SUCCESS: 0, FAILURE: 2, PENDING: 3 } as const;
export type PkiStatus = keyof typeof PKI_STATUSES;

/** §3.2.1.4 failInfo. */
export const FAIL_INFOS = { badAlg: 0, badMessageCheck: 1, badRequest: 2, badTime: 3, badCertID: 4 } as const;
export type FailInfo = keyof typeof FAIL_INFOS;

export interface ScepAttributes {
  transactionID: string;
  messageType: ScepMessageType;
  senderNonce: Buffer;
  recipientNonce?: Buffer;
  pkiStatus?: PkiStatus;
  failInfo?: FailInfo;
}

export function encodeScepAttributes(a: ScepAttributes): SignedAttribute[] {
  const out: SignedAttribute[] = [
    { oid: OID_SCEP_TRANSACTION_ID, valueDer: printable(a.transactionID) },
    { oid: OID_SCEP_MESSAGE_TYPE, valueDer: printable(String(MESSAGE_TYPES[a.messageType])) },
  ];
  if (a.pkiStatus) out.push({ oid: OID_SCEP_PKI_STATUS, valueDer: printable(String(PKI_STATUSES[a.pkiStatus])) });
  if (a.failInfo) out.push({ oid: OID_SCEP_FAIL_INFO, valueDer: printable(String(FAIL_INFOS[a.failInfo])) });
  out.push({ oid: OID_SCEP_SENDER_NONCE, valueDer: octets(a.senderNonce) });
  if (a.recipientNonce) out.push({ oid: OID_SCEP_RECIPIENT_NONCE, valueDer: octets(a.recipientNonce) });
  return out;
}

export function decodeScepAttributes(attrs: Map<string, Buffer[]>): ScepAttributes {
  const transactionID = text(attrs, OID_SCEP_TRANSACTION_ID, 'transactionID');
  if (transactionID === undefined) throw new CryptoError('malformed', 'SCEP: no transactionID');
  const messageType = code(attrs, OID_SCEP_MESSAGE_TYPE, MESSAGE_TYPES, 'messageType');
  if (!messageType) throw new CryptoError('malformed', 'SCEP: no messageType');
  const senderNonce = nonce(attrs, OID_SCEP_SENDER_NONCE, 'senderNonce');
  if (!senderNonce) throw new CryptoError('malformed', 'SCEP: no senderNonce');
  return {
    transactionID,
    messageType,
    senderNonce,
    recipientNonce: nonce(attrs, OID_SCEP_RECIPIENT_NONCE, 'recipientNonce'),
    pkiStatus: code(attrs, OID_SCEP_PKI_STATUS, PKI_STATUSES, 'pkiStatus'),
    failInfo: code(attrs, OID_SCEP_FAIL_INFO, FAIL_INFOS, 'failInfo'),
  };
}

function single(attrs: Map<string, Buffer[]>, oid: string, name: string): Buffer | undefined {
  const values = attrs.get(oid);
  if (!values) return undefined;
  if (values.length !== 1) throw new CryptoError('malformed', `SCEP: ${name} must have one value`);
  return values[0];
}

function text(attrs: Map<string, Buffer[]>, oid: string, name: string): string | undefined {
  const v = single(attrs, oid, name);
  return v && stringOf(parseDer(v));
}

function code<T extends string>(attrs: Map<string, Buffer[]>, oid: string, table: Record<T, number>, name: string): T | undefined {
  const v = text(attrs, oid, name);
  if (v === undefined) return undefined;
  const found = (Object.keys(table) as T[]).find((k) => /^\d+$/.test(v) && table[k] === Number(v));
  if (!found) throw new CryptoError('malformed', `SCEP: unknown ${name} "${v}"`);
  return found;
}

function nonce(attrs: Map<string, Buffer[]>, oid: string, name: string): Buffer | undefined {
  const v = single(attrs, oid, name);
  if (!v) return undefined;
  const t = parseDer(v);
  if (t.tag !== Tag.OCTET_STRING) throw new CryptoError('malformed', `SCEP: ${name} is not an OCTET STRING`);
  return Buffer.from(contentOf(t));
}
