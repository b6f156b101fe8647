import { builder } from '../builder.ts';
import type { AuditEntryRow, verifyAuditChain } from '../audit/recorder.ts';

type Entry = AuditEntryRow;

const AuditEntryRef = builder.objectRef<Entry>('AuditEntry').implement({
  description: 'One recorded action; its hash covers its fields and the previous entry’s hash',
  fields: (t) => ({
    id: t.exposeInt('id'),
    ts: t.field({ type: 'DateTime', resolve: (e) => e.ts }),
    actor: t.exposeString('actor', { nullable: true }),
    ip: t.exposeString('ip', { nullable: true }),
    userAgent: t.exposeString('userAgent', { nullable: true }),
    method: t.exposeString('method', { nullable: true }),
    path: t.exposeString('path', { nullable: true }),
    action: t.exposeString('action'),
    target: t.exposeString('target', { nullable: true }),
    status: t.exposeString('status'),
    extra: t.exposeString('extra', { description: 'JSON text' }),
    prevHash: t.exposeString('prevHash'),
    hash: t.exposeString('hash'),
  }),
});

const AuditFilterInput = builder.inputType('AuditFilter', {
  fields: (t) => ({
    action: t.string({ description: 'exact action, or a prefix ending in "." such as "auth."' }),
    actor: t.string(),
    target: t.string(),
    from: t.field({ type: 'DateTime', description: 'entries at or after this instant' }),
    to: t.field({ type: 'DateTime', description: 'entries before this instant; must be after `from`' }),
  }),
});

builder.queryField('auditEntries', (t) =>
  t.field({
    type: [AuditEntryRef],
    authScopes: { staff: true },
    description: 'Newest first; page with `beforeId`',
    args: { filter: t.arg({ type: AuditFilterInput }), first: t.arg.int({ defaultValue: 100 }), beforeId: t.arg.int() },
    resolve: (_root, { filter, first, beforeId }, ctx) =>
      ctx.services.audit.entries(filter ?? {}, Math.min(Math.max(first ?? 100, 1), 1000), beforeId),
  }),
);

const ChainStatusRef = builder
  .objectRef<Awaited<ReturnType<typeof verifyAuditChain>>>('AuditChainStatus')
  .implement({
    fields: (t) => ({
      ok: t.exposeBoolean('ok'),
      checked: t.exposeInt('checked'),
      firstBrokenId: t.exposeInt('firstBrokenId', { nullable: true }),
      reason: t.exposeString('reason', { nullable: true }),
    }),
  });

builder.queryField('verifyAuditChain', (t) =>
  t.field({
    type: ChainStatusRef,
    authScopes: { staff: true },
    description: 'Walks the whole hash chain and reports the first entry that does not hold',
    // Reads every entry of the log: a dozen per operation at most.
    extensions: { cost: 40_000 },
    resolve: (_root, _args, ctx) => ctx.services.audit.verify(),
  }),
);
