import { applyAssociations } from './accounts/store.ts';
import type { AssociationSnapshot } from './accounts/membership.ts';
import { systemMeta } from './audit/recorder.ts';
import { ensureRates } from './billing/rates.ts';
import { setBudget } from './budgets/store.ts';
import { ensureRollups, repriceUsers } from './rollups/store.ts';
import { hashPassword } from './auth/passwords.ts';
import type { Config } from './config.ts';
import type { Db } from './db/client.ts';

/** Demo accounts (password = username), only with SEED_DEMO_USERS=1. */
export const DEMO_USERS = [
  { username: 'alice', role: 'user', tier: 'mu' },
  { username: 'bob', role: 'user', tier: 'gov' },
  { username: 'carol', role: 'user', tier: 'private' },
  { username: 'dave', role: 'user', tier: 'mu' },
  { username: 'oper', role: 'operator', tier: 'mu' },
] as const;

/** The demo's Slurm accounts: a faculty with three labs, each lab with a coordinator, and the operations account. */
const DEMO_ACCOUNTS: AssociationSnapshot = {
  accounts: [
    { name: 'science', description: 'คณะวิทยาศาสตร์ (Faculty of Science)', organization: 'Mahidol University', parent: 'root', coordinators: [] },
    { name: 'physics', description: 'ห้องปฏิบัติการฟิสิกส์เชิงคำนวณ', organization: 'Faculty of Science', parent: 'science', coordinators: ['alice'] },
    { name: 'chemistry', description: 'Computational Chemistry Lab', organization: 'Faculty of Science', parent: 'science', coordinators: ['bob'] },
    { name: 'biology', description: 'Structural Biology Group', organization: 'Faculty of Science', parent: 'science', coordinators: ['carol'] },
    { name: 'ops', description: 'HPC operations', organization: 'HPC Center', parent: 'root', coordinators: [] },
  ],
  associations: [
    ['physics', 'alice'],
    ['physics', 'dave'],
    ['chemistry', 'bob'],
    ['chemistry', 'dave'],
    ['biology', 'carol'],
    ['ops', 'admin'],
  ].map(([account, user]) => ({ cluster: 'demo', account: account!, user: user!, parentAccount: null, partition: null })),
};

/** Budgets of the demo: physics' year is past its 80 % alert, chemistry's quarter past 50 %, biology's year well within. */
const DEMO_BUDGETS = [
  { account: 'physics', period: 'year', limit: '36000', thresholds: [50, 80, 100], notifyEmails: ['alice@physics.example.ac.th'] },
  { account: 'chemistry', period: 'quarter', limit: '30000', thresholds: [50, 75, 90, 100], notifyEmails: [] },
  { account: 'biology', period: 'year', limit: '60000', thresholds: [50, 80, 100], notifyEmails: [] },
];

/** The demo's accounts, coordinators and budgets, once (an installation that has accounts keeps its own). */
async function seedDemoAccounts(db: Db, log: (msg: string) => void) {
  if ((await db.slurmAccount.count()) > 0) return;
  await applyAssociations(db, DEMO_ACCOUNTS, systemMeta('demo'));
  for (const b of DEMO_BUDGETS) await setBudget(db, b, systemMeta('demo'));
  log(`demo accounts: ${DEMO_ACCOUNTS.accounts.map((a) => a.name).join(', ')}, with budgets for ${DEMO_BUDGETS.map((b) => b.account).join(', ')}`);
}

export async function seed(db: Db, config: Config, log: (msg: string) => void) {
  await ensureRates(db);
  await ensureRollups(db, config.auth.defaultTier, config.timeZone);

  const admin = await db.user.findUnique({ where: { username: config.adminUsername } });
  if (!config.adminPasswordGenerated) {
    // An explicit ADMIN_PASSWORD always wins, so it doubles as the recovery path for a lost password.
    const passwordHash = await hashPassword(config.adminPassword!);
    await db.user.upsert({
      where: { username: config.adminUsername },
      create: { username: config.adminUsername, role: 'admin', roleSource: 'local', passwordHash },
      update: { role: 'admin', roleSource: 'local', passwordHash },
    });
  } else if (!admin) {
    await db.user.create({
      data: { username: config.adminUsername, role: 'admin', roleSource: 'local', passwordHash: await hashPassword(config.adminPassword!) },
    });
    // Shown once, on the console a person is watching, not only in the JSON log.
    console.log(`\n  admin account "${config.adminUsername}" created with password: ${config.adminPassword}\n  (set ADMIN_PASSWORD to choose it; it is not shown again)\n`);
    log(`created admin account "${config.adminUsername}" with a generated password (printed on the console)`);
  }

  if (config.seedDemoUsers) {
    const created: string[] = [];
    for (const u of DEMO_USERS) {
      const exists = await db.user.findUnique({ where: { username: u.username } });
      if (!exists) {
        await db.user.create({ data: { ...u, roleSource: 'local', passwordHash: await hashPassword(u.username) } });
        created.push(u.username);
      }
    }
    // Jobs synced before these accounts existed were priced at the default tier.
    await repriceUsers(db, config.auth.defaultTier, created);
    log(`demo users: ${DEMO_USERS.map((u) => `${u.username}/${u.username} (${u.role}, ${u.tier})`).join(', ')}`);
  }
  if (config.demo) await seedDemoAccounts(db, log);
}
