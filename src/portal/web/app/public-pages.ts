// The pages shown before any session, by the path a mail or a provider links to (the server serves
// the portal's page at each: PUBLIC_PAGE_PATHS in src/portal/web/router.ts). Any other path is the
// portal: the sign-in page, then the hash-routed pages.
import type { ComponentType } from 'preact';
import { FederationCallbackPage, InvitationPage } from './pages/invitation.js';
import { OperatorPage } from './pages/operator.js';
import { ActivatePage, ApplicationStatusPage, SignupPage, ValidatePage } from './pages/signup.js';

export const PUBLIC_PAGES: Record<string, ComponentType> = {
  '/signup': SignupPage,
  '/signup/status': ApplicationStatusPage,
  '/signup/validate': ValidatePage,
  '/signup/activate': ActivatePage,
  '/portal/invitation': InvitationPage,
  '/portal/federation/callback': FederationCallbackPage,
  '/operator': OperatorPage,
};

/** The public page of this address, if it is one. */
export const publicPage = (): ComponentType | undefined => PUBLIC_PAGES[window.location.pathname.replace(/\/+$/, '') || '/'];
