// Which federation a person signs in through, found from their address (issue 16): the sign-in
// page knows the Managed Apple ID a person types, not a federation id. The federation is the
// enabled one of the organisation that verified the address's domain (a disabled one is named too,
// so that the sign-in answers 409 federation_disabled); none is 404, as an unknown federation id
// is. Kept apart from service.ts: a read over the store, no sign-in state.
import type { Store } from '../../store/index.js';
import { domainOf } from '../domains.js';
import { notFound } from '../errors.js';

export type FederationForEmail = (email: unknown) => Promise<string>;

export function federationForEmail(store: Pick<Store, 'domains' | 'federations'>): FederationForEmail {
  return async (email) => {
    const name = typeof email === 'string' && email.includes('@') ? domainOf(email.trim()) : '';
    const owner = name ? await store.domains.verifiedOwner(name) : undefined;
    const f = owner && (await store.federations.listByOrg(owner.orgId)).find((x) => x.domainId === owner.id && (x.enabledAt || x.disabledAt));
    if (!f) throw notFound('federation');
    return f.id;
  };
}
