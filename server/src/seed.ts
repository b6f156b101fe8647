import { ensureRates } from './billing/rates.ts';
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
}
