/* eslint-disable */
import * as types from './graphql';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  query Rates {\n    rates {\n      tier\n      cpuPerHour\n      gpuPerHour\n      memGBPerHour\n      updatedAt\n      updatedBy\n      viewerCanUpdate\n    }\n  }\n": typeof types.RatesDocument,
    "\n  subscription RateChanged {\n    rateChanged {\n      tier\n      cpuPerHour\n      gpuPerHour\n      memGBPerHour\n      updatedAt\n      updatedBy\n      viewerCanUpdate\n    }\n  }\n": typeof types.RateChangedDocument,
    "\n  mutation UpdateRate($input: UpdateRateInput!) {\n    updateRate(input: $input) {\n      tier\n      cpuPerHour\n      gpuPerHour\n      memGBPerHour\n      updatedAt\n      updatedBy\n      viewerCanUpdate\n    }\n  }\n": typeof types.UpdateRateDocument,
    "\n  query Viewer {\n    viewer {\n      id\n      username\n      role\n      tier\n    }\n  }\n": typeof types.ViewerDocument,
    "\n    query MyJobs($completedBefore: DateTime) {\n      myJobs(completedBefore: $completedBefore) {\n        key\n        jobId\n        name\n        account\n        partition\n        state\n        end\n        elapsedSeconds\n        cpus\n        gpus\n        cost {\n          cpuHours\n          gpuHours\n          memGBHours\n          cost\n        }\n      }\n    }\n  ": typeof types.MyJobsDocument,
};
const documents: Documents = {
    "\n  query Rates {\n    rates {\n      tier\n      cpuPerHour\n      gpuPerHour\n      memGBPerHour\n      updatedAt\n      updatedBy\n      viewerCanUpdate\n    }\n  }\n": types.RatesDocument,
    "\n  subscription RateChanged {\n    rateChanged {\n      tier\n      cpuPerHour\n      gpuPerHour\n      memGBPerHour\n      updatedAt\n      updatedBy\n      viewerCanUpdate\n    }\n  }\n": types.RateChangedDocument,
    "\n  mutation UpdateRate($input: UpdateRateInput!) {\n    updateRate(input: $input) {\n      tier\n      cpuPerHour\n      gpuPerHour\n      memGBPerHour\n      updatedAt\n      updatedBy\n      viewerCanUpdate\n    }\n  }\n": types.UpdateRateDocument,
    "\n  query Viewer {\n    viewer {\n      id\n      username\n      role\n      tier\n    }\n  }\n": types.ViewerDocument,
    "\n    query MyJobs($completedBefore: DateTime) {\n      myJobs(completedBefore: $completedBefore) {\n        key\n        jobId\n        name\n        account\n        partition\n        state\n        end\n        elapsedSeconds\n        cpus\n        gpus\n        cost {\n          cpuHours\n          gpuHours\n          memGBHours\n          cost\n        }\n      }\n    }\n  ": types.MyJobsDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Rates {\n    rates {\n      tier\n      cpuPerHour\n      gpuPerHour\n      memGBPerHour\n      updatedAt\n      updatedBy\n      viewerCanUpdate\n    }\n  }\n"): (typeof documents)["\n  query Rates {\n    rates {\n      tier\n      cpuPerHour\n      gpuPerHour\n      memGBPerHour\n      updatedAt\n      updatedBy\n      viewerCanUpdate\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription RateChanged {\n    rateChanged {\n      tier\n      cpuPerHour\n      gpuPerHour\n      memGBPerHour\n      updatedAt\n      updatedBy\n      viewerCanUpdate\n    }\n  }\n"): (typeof documents)["\n  subscription RateChanged {\n    rateChanged {\n      tier\n      cpuPerHour\n      gpuPerHour\n      memGBPerHour\n      updatedAt\n      updatedBy\n      viewerCanUpdate\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateRate($input: UpdateRateInput!) {\n    updateRate(input: $input) {\n      tier\n      cpuPerHour\n      gpuPerHour\n      memGBPerHour\n      updatedAt\n      updatedBy\n      viewerCanUpdate\n    }\n  }\n"): (typeof documents)["\n  mutation UpdateRate($input: UpdateRateInput!) {\n    updateRate(input: $input) {\n      tier\n      cpuPerHour\n      gpuPerHour\n      memGBPerHour\n      updatedAt\n      updatedBy\n      viewerCanUpdate\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Viewer {\n    viewer {\n      id\n      username\n      role\n      tier\n    }\n  }\n"): (typeof documents)["\n  query Viewer {\n    viewer {\n      id\n      username\n      role\n      tier\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n    query MyJobs($completedBefore: DateTime) {\n      myJobs(completedBefore: $completedBefore) {\n        key\n        jobId\n        name\n        account\n        partition\n        state\n        end\n        elapsedSeconds\n        cpus\n        gpus\n        cost {\n          cpuHours\n          gpuHours\n          memGBHours\n          cost\n        }\n      }\n    }\n  "): (typeof documents)["\n    query MyJobs($completedBefore: DateTime) {\n      myJobs(completedBefore: $completedBefore) {\n        key\n        jobId\n        name\n        account\n        partition\n        state\n        end\n        elapsedSeconds\n        cpus\n        gpus\n        cost {\n          cpuHours\n          gpuHours\n          memGBHours\n          cost\n        }\n      }\n    }\n  "];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;