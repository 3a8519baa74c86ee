// Sign-up with review (issue 16): the applicant's public routes (apply, follow with the status
// token, answer), the validation contact's and the first Administrator's one-time links, and the
// operator's review under /operator (the server operator's token, src/business/operator.ts).
import { Router, type Request } from 'express';
import { isSignupState } from '../../../business/signup.js';
import { requireOperator } from '../../../http/admin-auth.js';
import { ApiError } from '../../../http/api-errors.js';
import { param } from '../../../http/params.js';
import type { AdminServices } from '../../deps.js';
import { applicationView, decodeCursor, encodeCursor } from '../signup-views.js';
import { accountView, organisationView } from '../views.js';

const bearer = (req: Request) => /^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1];

/** Before authentication: anyone may apply; the tokens of the mails open the rest. */
export function signupPublicRoutes(s: AdminServices): Router {
  const r = Router();
  const view = async (id: string) => applicationView(await s.signup.get(id), await s.signup.events(id));
  r.post('/signup', async (req, res) => {
    const { application } = await s.signup.apply(req.body ?? {});
    res.status(201).location('/api/v1/signup/application').json(await view(application.id));
  });
  r.get('/signup/application', async (req, res) => {
    const app = await s.signup.byStatusToken(bearer(req));
    res.json(await view(app.id));
  });
  r.post('/signup/application/answer', async (req, res) => {
    const app = await s.signup.answer(bearer(req), req.body?.answer);
    res.json(await view(app.id));
  });
  r.post('/signup/validation', async (req, res) => {
    const b = req.body ?? {};
    const app = await s.signup.validate(b.token, { decision: b.decision, administrator: b.administrator });
    res.json(await view(app.id));
  });
  r.post('/signup/activation', async (req, res) => {
    const b = req.body ?? {};
    const out = await s.signup.activate(b.token, { password: b.password, accept_terms: b.accept_terms });
    res.status(201).location('/api/v1/organisation').json({ organisation: organisationView(out.org), administrator: accountView(out.account), api_token: out.apiToken });
  });
  return r;
}

/** The server operator's review of applications and publication of terms versions. */
export function signupOperatorRoutes(s: AdminServices): Router {
  const r = Router();
  const view = async (id: string) => applicationView(await s.signup.get(id), await s.signup.events(id));
  r.get('/operator/signup-applications', requireOperator, async (req, res) => {
    const state = req.query.state;
    if (state !== undefined && !isSignupState(state)) throw new ApiError(400, 'state_invalid', 'state is one of submitted, question, approved, rejected, activating, live', { errors: [{ pointer: '/query/state', problem: 'unknown state' }] });
    const limit = req.query.limit === undefined ? 100 : Number(req.query.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new ApiError(400, 'limit_invalid', 'limit is an integer 1..1000', { errors: [{ pointer: '/query/limit', problem: 'out of range', expected: '1..1000' }] });
    const after = typeof req.query.cursor === 'string' ? decodeCursor(req.query.cursor) : undefined;
    if (req.query.cursor !== undefined && !after) throw new ApiError(400, 'cursor_invalid', 'the cursor is not one this server gave', { errors: [{ pointer: '/query/cursor', problem: 'not a cursor of this list' }] });
    const page = await s.signup.list({ state: state as any, limit: limit + 1, after });
    const items = await Promise.all(page.slice(0, limit).map(async (a) => applicationView(a, await s.signup.events(a.id))));
    res.json({ items, next_cursor: page.length > limit ? encodeCursor(page[limit - 1]!) : null });
  });
  r.get('/operator/signup-applications/:id', requireOperator, async (req, res) => {
    res.json(await view(param(req, 'id')));
  });
  r.post('/operator/signup-applications/:id/approve', requireOperator, async (req, res) => {
    res.json(await view((await s.signup.approve(param(req, 'id'))).id));
  });
  r.post('/operator/signup-applications/:id/reject', requireOperator, async (req, res) => {
    res.json(await view((await s.signup.reject(param(req, 'id'), req.body?.reason)).id));
  });
  r.post('/operator/signup-applications/:id/question', requireOperator, async (req, res) => {
    res.json(await view((await s.signup.ask(param(req, 'id'), req.body?.question)).id));
  });
  const termsView = (t: { version: number; publishedAt: Date; summary: string }) => ({ version: t.version, published_at: t.publishedAt.toISOString(), summary: t.summary });
  r.get('/operator/terms', requireOperator, async (_req, res) => {
    res.json(termsView(await s.organisations.currentTerms()));
  });
  r.post('/operator/terms', requireOperator, async (req, res) => {
    res.status(201).location('/api/v1/operator/terms').json(termsView(await s.organisations.publishTerms(req.body?.summary)));
  });
  return r;
}
