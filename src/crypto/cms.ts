// CMS (RFC 5652) for Orchard: signing profiles and SCEP replies, verifying MachineInfo and
// Mdm-Signature, enveloping DEP server tokens. Every private-key operation runs in OpenSSL
// (crypto.sign / crypto.privateDecrypt); ASN.1 is walked by ./der.ts.
export { cmsSign, degenerateCertificates, type CmsSignOptions, type SignedAttribute } from './cms-sign.js';
export { cmsVerify, type CmsVerifyOptions, type CmsVerifyResult } from './cms-verify.js';
export { cmsEnvelope, cmsDecrypt, cmsDecryptDetailed, type CmsEnvelopeOptions } from './cms-envelope.js';
export { certificatesFromSignedData } from './signed-data.js';
export { smimeEncode, smimeDecode, type SmimeEncodeOptions } from './smime.js';
