// The admin API's write routes (src/portal/api/routes/*), for sweeps that must reach every one.
/** Every admin write route, with a placeholder for its ids (the error comes before any lookup). */
export const ADMIN_WRITES: Array<[method: 'post' | 'put' | 'patch' | 'delete', path: string]> = [
  ['patch', '/organisation'], ['post', '/organisation/terms'], ['post', '/locations'], ['post', '/locations/X/credit/redeem'],
  ['delete', '/locations/X/content-token'], ['post', '/accounts'], ['patch', '/accounts/X'], ['delete', '/accounts/X'],
  ['post', '/accounts/X/api-tokens'], ['delete', '/accounts/X/api-tokens/Y'], ['post', '/accounts/X/transfer'], ['post', '/accounts/X/password'],
  ['post', '/mdm-servers'], ['patch', '/mdm-servers/X'], ['delete', '/mdm-servers/X'], ['post', '/mdm-servers/X/token'],
  ['post', '/mdm-servers/X/devices'], ['delete', '/mdm-servers/X/devices'], ['put', '/mdm-server-defaults'],
  ['post', '/devices'], ['patch', '/devices/X'], ['post', '/devices/release'], ['post', '/sim/device-identities'],
  ['post', '/commands'], ['post', '/commands/X/cancel'], ['delete', '/commands/X'], ['delete', '/mdm/devices/X/queue'],
  ['post', '/mdm/devices/X/push'], ['post', '/push'], ['put', '/push-certificate'], ['post', '/push-certificate/request'],
  ['post', '/push-certificate/local-portal'], ['post', '/purchases'], ['patch', '/purchase-settings'], ['post', '/cards'],
  ['delete', '/cards/X'], ['post', '/content/assignments'], ['post', '/content/revocations'], ['post', '/content/migrations'],
  ['post', '/licence-transfers'], ['put', '/content/install-settings'], ['post', '/webhooks'], ['delete', '/webhooks/X'],
];
