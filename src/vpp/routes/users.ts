// Users: list, create, update, retire. developer.apple.com/documentation/devicemanagement/
// get-users-4mwln, …/create-users, …/update-users, …/retire-users, …/managing-users.
import { Router } from 'express';
import type { VppFaceDeps } from '../deps.js';
import { PageIndexError } from '../../business/content/library.js';
import type { VppUser } from '../../store/content-library.js';
import { vppContext } from '../context.js';
import { pageIndex, parseUsers, queryBool, queryString } from '../validate.js';
import { decodeVersionId, encodeVersionId, envelope, paging, VppError } from '../wire.js';

/** ResponseUser: a registered user shows its inviteCode, an associated one its idHash; never the personal Apple Account. */
export const userBody = (u: VppUser) => ({
  clientUserId: u.clientUserId,
  ...(u.email !== undefined ? { email: u.email } : {}),
  ...(u.idHash !== undefined ? { idHash: u.idHash } : {}),
  ...(u.inviteCode !== undefined ? { inviteCode: u.inviteCode } : {}),
  ...(u.managedAppleId !== undefined ? { managedAppleId: u.managedAppleId } : {}),
  status: u.status,
});

export function userRoutes(deps: VppFaceDeps): Router {
  const s = deps.services.content;
  const r = Router();
  r.get('/users', async (req, res) => {
    const ctx = vppContext(res);
    const q = req.query;
    const since = queryString(q.sinceVersionId);
    const filter = {
      clientUserId: queryString(q.clientUserId), activeOnly: queryBool(q.activeOnly), retiredOnly: queryBool(q.retiredOnly),
      sinceVersion: since === undefined ? undefined : decodeVersionId(ctx.library.uid, since, ctx.library.version),
    };
    let page;
    try {
      page = await s.libraries.users(ctx.location.id, filter, pageIndex(q.pageIndex));
    } catch (err) {
      if (err instanceof PageIndexError) throw new VppError(9650);
      throw err;
    }
    res.json({ users: page.items.map(userBody), ...paging(page, page.items.length), ...envelope(ctx), versionId: encodeVersionId(ctx.library.uid, page.version) });
  });
  for (const [path, type] of [['/users/create', 'CREATE'], ['/users/update', 'UPDATE'], ['/users/retire', 'RETIRE']] as const) {
    r.post(path, async (req, res) => {
      const ctx = vppContext(res);
      const users = parseUsers(req.body, type !== 'RETIRE');
      const eventId = await s.vpp.submitUsers(ctx, type, users);
      res.json({ eventId, ...envelope(ctx) });
    });
  }
  return r;
}
