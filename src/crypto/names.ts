// Distinguished names: our flat record <-> the X.501 Name in certificates and CSRs.
// Node's X509Certificate.subject is a "\n"-joined text form that cannot tell a value containing
// "\n" or "=" from two attributes, so names are always read from the DER here.
import { AsnConvert } from '@peculiar/asn1-schema';
import { AttributeTypeAndValue, AttributeValue, Name, RelativeDistinguishedName } from '@peculiar/asn1-x509';

export type DistinguishedName = {
  CN?: string;
  O?: string;
  OU?: string;
  C?: string;
  ST?: string;
  L?: string;
  /** userId (RFC 4519 §2.39); an Apple MDM push certificate carries its APNs topic here. */
  UID?: string;
  emailAddress?: string;
  serialNumber?: string;
};

type DnKey = keyof DistinguishedName;

/** Attribute OIDs (RFC 4519, PKCS#9 for emailAddress). */
const OIDS: Record<DnKey, string> = {
  C: '2.5.4.6',
  ST: '2.5.4.8',
  L: '2.5.4.7',
  O: '2.5.4.10',
  OU: '2.5.4.11',
  CN: '2.5.4.3',
  serialNumber: '2.5.4.5',
  UID: '0.9.2342.19200300.100.1.1',
  emailAddress: '1.2.840.113549.1.9.1',
};

const KEY_BY_OID = new Map<string, DnKey>(Object.entries(OIDS).map(([k, oid]) => [oid, k as DnKey]));

/** The DistinguishedName field an attribute type OID stands for, if we model it. */
export function dnKeyOfOid(oid: string): DnKey | undefined {
  return KEY_BY_OID.get(oid);
}

/**
 * Encoding order, most general first as in X.501 practice (C ... CN), then the identifiers.
 * Apple's push certificates list UID first, but relying parties match on values, not order.
 */
const ORDER: DnKey[] = ['C', 'ST', 'L', 'O', 'OU', 'CN', 'UID', 'serialNumber', 'emailAddress'];

function encodeValue(key: DnKey, value: string): AttributeValue {
  // RFC 5280 §4.1.2.4: countryName and serialNumber are PrintableString; emailAddress is
  // IA5String (PKCS#9); everything else UTF8String (RFC 5280 says new certificates MUST use it).
  if (key === 'C' || key === 'serialNumber') return new AttributeValue({ printableString: value });
  if (key === 'emailAddress') return new AttributeValue({ ia5String: value });
  return new AttributeValue({ utf8String: value });
}

/** Builds an X.501 Name with one attribute per RDN. */
export function dnToName(dn: DistinguishedName): Name {
  const rdns: RelativeDistinguishedName[] = [];
  for (const key of ORDER) {
    const value = dn[key];
    if (value === undefined || value === '') continue;
    if (key === 'C' && !/^[A-Z]{2}$/.test(value)) {
      throw new TypeError(`country must be two capital letters (ISO 3166), got ${JSON.stringify(value)}`);
    }
    rdns.push(new RelativeDistinguishedName([new AttributeTypeAndValue({ type: OIDS[key], value: encodeValue(key, value) })]));
  }
  return new Name(rdns);
}

/** DER of a Name built from `dn`. */
export function dnToDer(dn: DistinguishedName): Buffer {
  return Buffer.from(AsnConvert.serialize(dnToName(dn)));
}

/**
 * Reads the attributes we model; others are ignored. If an attribute repeats (two OUs), the
 * first one wins.
 */
export function nameToDn(name: Name): DistinguishedName {
  const dn: DistinguishedName = {};
  for (const rdn of name) {
    for (const atv of rdn) {
      const key = KEY_BY_OID.get(atv.type);
      if (key && dn[key] === undefined) dn[key] = attributeText(atv.value);
    }
  }
  return dn;
}

/** The text of a directory-string attribute value, whichever string type encodes it. */
export function attributeText(v: AttributeValue): string {
  if (v.anyValue) {
    // A string type outside the DirectoryString choice (e.g. VisibleString): read its content.
    const der = Buffer.from(v.anyValue);
    const lenByte = der[1] ?? 0;
    const offset = lenByte < 0x80 ? 2 : 2 + (lenByte & 0x7f);
    return der.subarray(offset).toString('utf8');
  }
  return v.toString();
}

/** One-line RFC 4514-like text for messages and logs (not for comparisons). */
export function dnToString(dn: DistinguishedName): string {
  return ORDER.filter((k) => dn[k] !== undefined)
    .reverse()
    .map((k) => `${k}=${dn[k]}`)
    .join(', ');
}
