import { lexicographicSortSchema } from 'graphql';
import { builder } from '../builder.ts';
import './user.ts';
import './rate.ts';
import './cost.ts';
import './job.ts';
import './usage.ts';
import './series.ts';
import './receipt.ts';
import './audit.ts';
import './token.ts';
import './users.ts';
import './rate-change.ts';
import './account.ts';
import './budget.ts';
import './quote.ts';
import './reconcile.ts';

export const schema = lexicographicSortSchema(builder.toSchema());
