import { createPubSub } from 'graphql-yoga';
import type { RateValues } from './billing/cost.ts';

export interface RateEvent extends RateValues {
  tier: string;
  updatedAt: Date;
  updatedBy: string | null;
}

export const newPubSub = () => createPubSub<{ rateChanged: [RateEvent] }>();
export type PubSub = ReturnType<typeof newPubSub>;
