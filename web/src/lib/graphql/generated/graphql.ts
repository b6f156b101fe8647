/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
export type Role =
  | 'admin'
  | 'operator'
  | 'user';

export type Tier =
  | 'gov'
  | 'mu'
  | 'private';

export type UpdateRateInput = {
  cpuPerHour: string;
  gpuPerHour: string;
  memGBPerHour: string;
  tier: Tier;
};

export type RatesQueryVariables = Exact<{ [key: string]: never; }>;


export type RatesQuery = { rates: Array<{ tier: Tier, cpuPerHour: string, gpuPerHour: string, memGBPerHour: string, updatedAt: string, updatedBy: string | null, viewerCanUpdate: boolean }> };

export type RateChangedSubscriptionVariables = Exact<{ [key: string]: never; }>;


export type RateChangedSubscription = { rateChanged: { tier: Tier, cpuPerHour: string, gpuPerHour: string, memGBPerHour: string, updatedAt: string, updatedBy: string | null, viewerCanUpdate: boolean } };

export type UpdateRateMutationVariables = Exact<{
  input: UpdateRateInput;
}>;


export type UpdateRateMutation = { updateRate: { tier: Tier, cpuPerHour: string, gpuPerHour: string, memGBPerHour: string, updatedAt: string, updatedBy: string | null, viewerCanUpdate: boolean } };

export type ViewerQueryVariables = Exact<{ [key: string]: never; }>;


export type ViewerQuery = { viewer: { id: string, username: string, role: Role, tier: Tier } | null };

export type MyJobsQueryVariables = Exact<{
  completedBefore?: string | null | undefined;
}>;


export type MyJobsQuery = { myJobs: Array<{ key: string, jobId: string, name: string | null, account: string | null, partition: string | null, state: string, end: string | null, elapsedSeconds: number, cpus: number, gpus: number, cost: { cpuHours: number, gpuHours: number, memGBHours: number, cost: string } }> };


export const RatesDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Rates"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"rates"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"tier"}},{"kind":"Field","name":{"kind":"Name","value":"cpuPerHour"}},{"kind":"Field","name":{"kind":"Name","value":"gpuPerHour"}},{"kind":"Field","name":{"kind":"Name","value":"memGBPerHour"}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}},{"kind":"Field","name":{"kind":"Name","value":"updatedBy"}},{"kind":"Field","name":{"kind":"Name","value":"viewerCanUpdate"}}]}}]}}]} as unknown as DocumentNode<RatesQuery, RatesQueryVariables>;
export const RateChangedDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"RateChanged"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"rateChanged"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"tier"}},{"kind":"Field","name":{"kind":"Name","value":"cpuPerHour"}},{"kind":"Field","name":{"kind":"Name","value":"gpuPerHour"}},{"kind":"Field","name":{"kind":"Name","value":"memGBPerHour"}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}},{"kind":"Field","name":{"kind":"Name","value":"updatedBy"}},{"kind":"Field","name":{"kind":"Name","value":"viewerCanUpdate"}}]}}]}}]} as unknown as DocumentNode<RateChangedSubscription, RateChangedSubscriptionVariables>;
export const UpdateRateDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"UpdateRate"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"UpdateRateInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"updateRate"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"tier"}},{"kind":"Field","name":{"kind":"Name","value":"cpuPerHour"}},{"kind":"Field","name":{"kind":"Name","value":"gpuPerHour"}},{"kind":"Field","name":{"kind":"Name","value":"memGBPerHour"}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}},{"kind":"Field","name":{"kind":"Name","value":"updatedBy"}},{"kind":"Field","name":{"kind":"Name","value":"viewerCanUpdate"}}]}}]}}]} as unknown as DocumentNode<UpdateRateMutation, UpdateRateMutationVariables>;
export const ViewerDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Viewer"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"viewer"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"username"}},{"kind":"Field","name":{"kind":"Name","value":"role"}},{"kind":"Field","name":{"kind":"Name","value":"tier"}}]}}]}}]} as unknown as DocumentNode<ViewerQuery, ViewerQueryVariables>;
export const MyJobsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"MyJobs"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"completedBefore"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"DateTime"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"myJobs"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"completedBefore"},"value":{"kind":"Variable","name":{"kind":"Name","value":"completedBefore"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"key"}},{"kind":"Field","name":{"kind":"Name","value":"jobId"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"account"}},{"kind":"Field","name":{"kind":"Name","value":"partition"}},{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"end"}},{"kind":"Field","name":{"kind":"Name","value":"elapsedSeconds"}},{"kind":"Field","name":{"kind":"Name","value":"cpus"}},{"kind":"Field","name":{"kind":"Name","value":"gpus"}},{"kind":"Field","name":{"kind":"Name","value":"cost"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cpuHours"}},{"kind":"Field","name":{"kind":"Name","value":"gpuHours"}},{"kind":"Field","name":{"kind":"Name","value":"memGBHours"}},{"kind":"Field","name":{"kind":"Name","value":"cost"}}]}}]}}]}}]} as unknown as DocumentNode<MyJobsQuery, MyJobsQueryVariables>;