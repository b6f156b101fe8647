import type { Role } from '$lib/viewer';

export type NavIcon = 'rates' | 'table' | 'chart' | 'billing' | 'audit' | 'users' | 'receipt' | 'calculator' | 'sync' | 'accounts' | 'quote';

export interface NavLink {
  href: string;
  /** i18n key */
  label: string;
  testid: string;
  icon: NavIcon;
  /** i18n key of a small note beside the label */
  note?: string;
  /** Other paths that belong to this link (e.g. /me for staff, whose own usage lives under /admin). */
  also?: string[];
}

export interface NavSection {
  id: 'staff' | 'personal';
  /** i18n key */
  label: string;
  links: NavLink[];
}

/**
 * What the navigation offers a role. Staff get their own section first; everyone keeps their own usage, receipts and
 * the playground. Operators see the rates page too, read-only (the page hides the save buttons from
 * `viewerCanUpdateRates`), so its link says so.
 */
export function navSections(role: Role, opts: { managesAccounts?: boolean } = {}): NavSection[] {
  const staff = role === 'operator' || role === 'admin';
  const personal: NavSection = {
    id: 'personal',
    label: 'shell_nav_section_personal',
    links: [
      staff
        ? { href: '/admin/my-usage', label: 'nav_my_usage', testid: 'nav-my-usage', icon: 'chart', also: ['/me'] }
        : { href: '/me', label: 'nav_my_usage', testid: 'nav-my-usage', icon: 'chart' },
      { href: '/receipts', label: 'nav_receipts', testid: 'nav-receipts', icon: 'receipt' },
      { href: '/playground', label: 'nav_playground', testid: 'nav-playground', icon: 'calculator' },
      { href: '/quote', label: 'nav_quote', testid: 'nav-quote', icon: 'quote' },
    ],
  };
  const accounts: NavLink = { href: '/accounts', label: 'nav_accounts', testid: 'nav-accounts', icon: 'accounts' };
  // A coordinator (or PI) of a Slurm account reaches its page; a plain member sees their accounts on their own usage.
  if (!staff) return [opts.managesAccounts ? { ...personal, links: [...personal.links.slice(0, 2), accounts, ...personal.links.slice(2)] } : personal];
  const rates: NavLink =
    role === 'admin'
      ? { href: '/admin/rates', label: 'shell_nav_change_rate', testid: 'nav-rates', icon: 'rates' }
      : { href: '/admin/rates', label: 'nav_rates', note: 'shell_nav_view_only', testid: 'nav-rates', icon: 'rates' };
  return [
    {
      id: 'staff',
      label: 'shell_nav_section_staff',
      links: [
        rates,
        { href: '/admin/usage', label: 'shell_nav_usage_tables', testid: 'nav-usage', icon: 'table' },
        { href: '/admin/billing', label: 'nav_billing', testid: 'nav-billing', icon: 'billing' },
        { href: '/admin/audit', label: 'nav_audit', testid: 'nav-audit', icon: 'audit' },
        { href: '/admin/users', label: 'shell_nav_users', testid: 'nav-users', icon: 'users' },
        accounts,
        { href: '/admin/sync', label: 'nav_sync', testid: 'nav-sync', icon: 'sync' },
        { href: '/admin/reconcile', label: 'nav_reconcile', testid: 'nav-reconcile', icon: 'audit' },
      ],
    },
    personal,
  ];
}

export function isCurrentLink(link: NavLink, pathname: string): boolean {
  return [link.href, ...(link.also ?? [])].some((href) => pathname === href || pathname.startsWith(`${href}/`));
}
