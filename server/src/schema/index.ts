import { lexicographicSortSchema } from 'graphql';
import { builder } from '../builder.ts';
import './user.ts';
import './rate.ts';
import './cost.ts';
import './job.ts';
import './usage.ts';
import './sync.ts';
import './series.ts';
import './receipt.ts';
import './audit.ts';
import './token.ts';
import './users.ts';
import './rate-change.ts';

export const schema = lexicographicSortSchema(builder.toSchema());
