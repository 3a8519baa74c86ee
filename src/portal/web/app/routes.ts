// The portal's pages. Adding a page is one import and one entry here: its hash path, its
// component, its title, the permission it needs (the sidebar and the router both read it), and
// where it sits in the sidebar, if it has an entry.
import type { ComponentType } from 'preact';
import type { Me } from './api.js';
import type { MessageKey } from './i18n/index.js';
import { activityRoute } from './pages/activity.js';
import { dashboardRoute } from './pages/dashboard.js';
import { deviceRoute } from './pages/device.js';
import { devicesRoute } from './pages/devices.js';
import { appsRoute } from './pages/apps.js';
import { customAppsRoute } from './pages/custom-apps.js';
import { locationsRoute } from './pages/locations.js';
import { peopleRoute } from './pages/people.js';
import { preferencesRoute } from './pages/preferences.js';

export interface PageProps { params: Record<string, string>; me: Me }
export interface PageRoute {
  /** `/devices/:serial`: segments, `:name` binds a parameter. */
  path: string;
  component: ComponentType<PageProps>;
  title: MessageKey;
  /** Needed to open the page and to see its sidebar entry (src/business/permissions.ts; the names GET /me answers). */
  permission?: Me['permissions'][number];
  /** The sidebar entry: its label and its place (Business Manager's order). */
  nav?: { label: MessageKey; order: number };
}

export const ROUTES: PageRoute[] = [
  dashboardRoute,
  activityRoute,
  devicesRoute,
  deviceRoute,
  appsRoute,
  customAppsRoute,
  peopleRoute,
  locationsRoute,
  preferencesRoute,
];
