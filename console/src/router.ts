/**
 * The console's pages. Hash history: the addresses (`/#/subjects/…`) never meet the API's paths on the
 * same origin, deep links and filters in the query survive a reload, and CloudFront needs no fallback
 * rule. Every page but sign-in loads lazily, in its own chunk, and only for a role that may see it.
 */
import { createRouter, createWebHashHistory, type RouteRecordRaw } from 'vue-router';
import { claims, type Role } from './session.ts';

declare module 'vue-router' {
  interface RouteMeta {
    /** The roles that see the page; absent: everyone signed in. */
    roles?: readonly Role[];
    /** The menu's label; absent: not in the menu. */
    menu?: string;
    public?: boolean;
  }
}

export const routes: RouteRecordRaw[] = [
  {
    path: '/sign-in',
    name: 'sign-in',
    component: () => import('./views/SignIn.vue'),
    meta: { public: true },
  },
  { path: '/', name: 'home', redirect: () => homeOf(claims.value?.role) },
  {
    path: '/evaluation',
    name: 'evaluation',
    component: () => import('./views/EvaluationPage.vue'),
    meta: { roles: ['city', 'district'], menu: '月度评价' },
  },
  {
    path: '/imports',
    name: 'imports',
    component: () => import('./views/ImportsPage.vue'),
    meta: { roles: ['city', 'department'], menu: '名单导入' },
  },
  {
    path: '/imports/:importId',
    name: 'import',
    component: () => import('./views/ImportPage.vue'),
    meta: { roles: ['city', 'department'] },
  },
  {
    path: '/listings',
    name: 'listings',
    component: () => import('./views/ListingsPage.vue'),
    meta: { roles: ['city', 'district', 'department'], menu: '失信名单' },
  },
  {
    path: '/exits',
    name: 'exits',
    component: () => import('./views/ExitsPage.vue'),
    meta: { roles: ['city', 'district', 'department'], menu: '信用修复退出' },
  },
  {
    path: '/exits/:exitId',
    name: 'exit',
    component: () => import('./views/ExitPage.vue'),
    meta: { roles: ['city', 'district', 'department'] },
  },
  {
    path: '/exit-reports',
    name: 'exit-reports',
    component: () => import('./views/ExitReportsPage.vue'),
    meta: { roles: ['city'], menu: '报送信用中国' },
  },
  {
    path: '/subjects/:uscc',
    name: 'subject',
    component: () => import('./views/SubjectPage.vue'),
  },
  {
    path: '/checks',
    name: 'checks',
    component: () => import('./views/ChecksPage.vue'),
    meta: { menu: '联合惩戒核查' },
  },
  {
    path: '/campaign',
    name: 'campaign',
    component: () => import('./views/CampaignPage.vue'),
    meta: { roles: ['city'], menu: '专项设置' },
  },
  { path: '/:rest(.*)*', name: 'not-found', component: () => import('./views/NotFoundPage.vue') },
];

/** Where each office starts: its main task. */
export function homeOf(role: Role | undefined): string {
  switch (role) {
    case 'city':
    case 'district':
      return '/evaluation';
    case 'department':
      return '/listings';
    case 'consumer':
      return '/checks';
    default:
      return '/sign-in';
  }
}

export const router = createRouter({ history: createWebHashHistory(), routes });

router.beforeEach((to) => {
  if (to.meta.public === true) return true;
  const role = claims.value?.role;
  if (role === undefined) return { name: 'sign-in', query: { next: to.fullPath } };
  if (to.meta.roles !== undefined && !to.meta.roles.includes(role)) return homeOf(role);
  return true;
});
