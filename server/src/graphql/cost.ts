import {
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  getNamedType,
  getNullableType,
  isListType,
  type GraphQLField,
  type GraphQLObjectType,
  type GraphQLSchema,
  isObjectType,
  Kind,
  type OperationDefinitionNode,
  type SelectionSetNode,
  valueFromAST,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { DomainError } from '../errors.ts';
import { toGraphQLError } from './errors.ts';

type Variables = Record<string, unknown> | null | undefined;

/**
 * How many values an operation can answer at most, from the schema and the actual arguments:
 * each field counts 1 (or the `cost` its schema extension names, for fields that scan the ledger),
 * and a list's selection counts once per item of its page (`first`, read
 * from the literal, the variable, or the argument's default in the schema; a connection's page
 * sizes the `edges` list below it). GraphQL Armor's cost
 * rule sees only literals at validation; this runs before execution, with the variables, so a
 * `first: $n` cannot slip past it. A list without a page size counts its selection once.
 */
export function operationCost(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  fragments: Record<string, FragmentDefinitionNode>,
  variables: Variables,
): number {
  const root = operation.operation === 'mutation' ? schema.getMutationType() : operation.operation === 'subscription' ? schema.getSubscriptionType() : schema.getQueryType();
  if (!root) return 0;
  const spreading = new Set<string>();
  const typeOf = (name: string | undefined, parent: GraphQLObjectType) => {
    const t = name ? schema.getType(name) : parent;
    return isObjectType(t) ? t : parent;
  };
  // `page` is the size a connection field asked for, waiting for the list below it (its `edges`).
  const selectionCost = (set: SelectionSetNode, parent: GraphQLObjectType, page: number | null): number => {
    let cost = 0;
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        cost += fieldCost(selection, parent, page);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        cost += selectionCost(selection.selectionSet, typeOf(selection.typeCondition?.name.value, parent), page);
      } else {
        const fragment = fragments[selection.name.value];
        // Validation refuses fragment cycles; the guard keeps this walk finite should one reach it.
        if (fragment && !spreading.has(fragment.name.value)) {
          spreading.add(fragment.name.value);
          cost += selectionCost(fragment.selectionSet, typeOf(fragment.typeCondition.name.value, parent), page);
          spreading.delete(fragment.name.value);
        }
      }
    }
    return cost;
  };
  const fieldCost = (node: FieldNode, parent: GraphQLObjectType, page: number | null): number => {
    const field = parent.getFields()[node.name.value];
    if (!field) return 1;
    // A field that scans the ledger (totals, usage, the audit chain) says so in its `cost` extension.
    const own = typeof field.extensions?.cost === 'number' ? field.extensions.cost : 1;
    if (!node.selectionSet) return own;
    const named = getNamedType(field.type);
    const child = isObjectType(named) ? named : parent;
    const asked = pageOf(field, node, variables);
    if (isListType(getNullableType(field.type))) {
      // A list counts its items: its own page size, or the one its connection asked for.
      return own + (asked ?? page ?? 1) * selectionCost(node.selectionSet, child, null);
    }
    // A connection (not a list itself) hands its page size down to its `edges`; its `totals` count once.
    return own + selectionCost(node.selectionSet, child, asked ?? page);
  };
  return selectionCost(operation.selectionSet, root, null);
}

function pageOf(field: GraphQLField<unknown, unknown>, node: FieldNode, variables: Variables): number | null {
  const arg = field.args.find((a) => a.name === 'first' || a.name === 'last');
  if (!arg) return null;
  const given = node.arguments?.find((a) => a.name.value === arg.name);
  const value = given ? valueFromAST(given.value, arg.type, variables ?? undefined) : arg.defaultValue;
  const n = typeof value === 'number' ? value : typeof arg.defaultValue === 'number' ? arg.defaultValue : 1;
  return Number.isFinite(n) ? Math.max(1, n) : 1;
}

/** Refuses, before anything runs, a query or mutation whose cost with its variables is over `maxCost`. */
export function useCostBudget(maxCost: number): Plugin {
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const document = args.document as DocumentNode;
      const operation = document.definitions.find(
        (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION && (!args.operationName || d.name?.value === args.operationName),
      );
      if (!operation) return;
      const fragments = Object.fromEntries(
        document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((f) => [f.name.value, f]),
      );
      const cost = operationCost(args.schema, operation, fragments, args.variableValues as Variables);
      if (cost <= maxCost) return;
      setResultAndStopExecution({
        errors: [
          toGraphQLError(
            new DomainError('TOO_COMPLEX', `this operation could answer up to ${cost} values, more than the limit of ${maxCost}: ask for smaller pages or fewer aliases`, { cost, maxCost }),
          ),
        ],
      });
    },
  };
}
