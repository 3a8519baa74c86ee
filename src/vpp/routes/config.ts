// Service Config (no authentication) and Client Config (read and set).
// developer.apple.com/documentation/devicemanagement/service-config, …/client-config-4szk1 (POST),
// …/client-config-71glv (GET).
import { Router } from 'express';
import type { VppFaceDeps } from '../deps.js';
import type { ClientConfigPatch } from '../../store/content-library.js';
import { vppContext } from '../context.js';
import { envelope, ERRORS, LIMITS, NOTIFICATION_TYPES, VppError } from '../wire.js';
import type { VppContext } from '../../business/content/tokens.js';

export function serviceConfig(baseUrl: string) {
  const v2 = `${baseUrl}/vpp/mdm/v2`;
  return {
    errorCodes: Object.entries(ERRORS).map(([n, e]) => ({ errorMessage: e.message, errorNumber: Number(n) })),
    limits: { ...LIMITS },
    notificationTypes: [...NOTIFICATION_TYPES],
    urls: {
      invitationEmail: `${baseUrl}/vpp/store/invitations/accept?inviteCode=%25inviteCode%25&mt=8`,
      clientConfig: `${v2}/client/config`,
      createUsers: `${v2}/users/create`,
      getAssignments: `${v2}/assignments`,
      revokeAssets: `${v2}/assets/revoke`,
      contentMetadataLookup: `${baseUrl}/vpp/store/lookup`,
      getUsers: `${v2}/users`,
      eventStatus: `${v2}/status`,
      associateAssets: `${v2}/assets/associate`,
      disassociateAssets: `${v2}/assets/disassociate`,
      updateUsers: `${v2}/users/update`,
      getAssets: `${v2}/assets`,
      retireUsers: `${v2}/users/retire`,
    },
  };
}

export function clientConfigBody(ctx: VppContext, websiteURL: string) {
  const lib = ctx.library;
  return {
    countryISO2ACode: ctx.location.country,
    defaultPlatform: 'volumestore',
    locationName: ctx.location.name,
    ...(lib.notificationAuthToken ? { notificationAuthToken: lib.notificationAuthToken } : {}),
    ...(lib.notificationUrl ? { notificationUrl: lib.notificationUrl } : {}),
    subscribedNotificationTypes: lib.notificationTypes,
    websiteURL,
    ...envelope(ctx),
  };
}

/** ClientConfigRequest: mdmInfo needs id, name and metadata; the notification URL and token go together. */
export function parseClientConfig(body: any): ClientConfigPatch {
  const patch: ClientConfigPatch = {};
  if (body?.mdmInfo !== undefined) {
    const m = body.mdmInfo;
    if (!m || typeof m !== 'object' || typeof m.id !== 'string' || typeof m.name !== 'string' || typeof m.metadata !== 'string' || !m.id || !m.name) {
      throw new VppError(9723);
    }
    if (m.id.length > LIMITS.maxMdmIdLength) throw new VppError(9724);
    if (m.name.length > LIMITS.maxMdmNameLength) throw new VppError(9725);
    if (m.metadata.length > LIMITS.maxMdmMetadataLength) throw new VppError(9713);
    patch.mdmInfo = { id: m.id, name: m.name, metadata: m.metadata };
  }
  const url = body?.notificationUrl;
  const token = body?.notificationAuthToken;
  if (url !== undefined || token !== undefined) {
    if (typeof url !== 'string' || typeof token !== 'string' || !url || !token) throw new VppError(9710);
    if (url.length > LIMITS.maxNotificationLength || token.length > LIMITS.maxNotificationLength) throw new VppError(9711);
    let parsed: URL | undefined;
    try { parsed = new URL(url); } catch { parsed = undefined; }
    if (!parsed || parsed.protocol !== 'https:') throw new VppError(9712);
    patch.notification = { url, authToken: token };
  }
  if (body?.notificationTypes !== undefined) {
    const types = body.notificationTypes;
    if (!Array.isArray(types) || !types.every((t) => (NOTIFICATION_TYPES as readonly string[]).includes(t))) throw new VppError(9602);
    patch.notificationTypes = [...new Set<string>(types)];
  }
  return patch;
}

export function configRoutes(deps: VppFaceDeps): { open: Router; authed: Router } {
  const s = deps.services;
  const open = Router();
  open.get('/service/config', (_req, res) => {
    res.json(serviceConfig(deps.config.baseUrl));
  });
  const authed = Router();
  authed.get('/client/config', (_req, res) => {
    res.json(clientConfigBody(vppContext(res), deps.config.baseUrl));
  });
  authed.post('/client/config', async (req, res) => {
    const ctx = vppContext(res);
    await s.content.libraries.setClientConfig(ctx.location.id, parseClientConfig(req.body));
    const library = (await s.content.libraries.ensure(ctx.location.id));
    res.json(clientConfigBody({ ...ctx, library }, deps.config.baseUrl));
  });
  return { open, authed };
}
