import { describe, expect, it } from 'vitest';
import { isCurrentLink, navSections } from './nav';

const hrefs = (role: Parameters<typeof navSections>[0]) => navSections(role).map((section) => [section.id, section.links.map((link) => link.href)]);

describe('navSections', () => {
  it('gives a user their own pages only', () => {
    expect(hrefs('user')).toEqual([['personal', ['/me', '/receipts', '/playground', '/quote']]]);
  });

  it('gives a user who coordinates a Slurm account its pages too', () => {
    expect(navSections('user', { managesAccounts: true }).map((s) => s.links.map((l) => l.href))).toEqual([['/me', '/receipts', '/accounts', '/playground', '/quote']]);
  });

  it('gives staff the staff pages first, and their own usage under /admin', () => {
    const staffPages = ['/admin/rates', '/admin/usage', '/admin/billing', '/admin/audit', '/admin/users', '/accounts', '/admin/sync', '/admin/reconcile'];
    const own = ['/admin/my-usage', '/receipts', '/playground', '/quote'];
    expect(hrefs('operator')).toEqual([['staff', staffPages], ['personal', own]]);
    expect(hrefs('admin')).toEqual([['staff', staffPages], ['personal', own]]);
  });

  it('tells an operator the rates are theirs to read, and an admin to change', () => {
    const rates = (role: 'operator' | 'admin') => navSections(role)[0].links[0];
    expect(rates('operator')).toMatchObject({ label: 'nav_rates', note: 'shell_nav_view_only' });
    expect(rates('admin')).toMatchObject({ label: 'shell_nav_change_rate' });
    expect(rates('admin').note).toBeUndefined();
  });
});

describe('isCurrentLink', () => {
  const myUsage = navSections('admin')[1].links[0];
  it('matches the page, its sub-pages and the paths that belong to it, not a longer name', () => {
    expect(isCurrentLink(myUsage, '/admin/my-usage')).toBe(true);
    expect(isCurrentLink(myUsage, '/me')).toBe(true);
    expect(isCurrentLink(myUsage, '/me/anything')).toBe(true);
    expect(isCurrentLink(myUsage, '/metrics')).toBe(false);
    expect(isCurrentLink({ href: '/receipts', label: '', testid: '', icon: 'receipt' }, '/receipts/12')).toBe(true);
  });
});
