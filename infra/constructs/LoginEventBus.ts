import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Duration, Lazy, Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as eventschemas from 'aws-cdk-lib/aws-eventschemas';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { ALL_DETAIL_TYPES, type DetailType } from '../../shared/events/syncEvent.js';
import { pipeline, userEventPattern } from '../../shared/pipeline.js';
import { toEventBridgeSchema } from '../schema/toEventBridgeSchema.js';
import { REPOSITORY_ROOT } from './SyncFunction.js';

/**
 * The committed JSON Schema of a detail type's v1 detail, relative to the repository root
 * (`npm run schema` writes them from the zod contract).
 */
export const detailSchemaFile = (detailType: DetailType): string =>
  `schemas/${detailType}.v1.schema.json`;

/** The committed JSON Schema of the login event's detail, relative to the repository root. */
export const USER_AUTHENTICATED_SCHEMA_FILE = detailSchemaFile(pipeline.detailTypes.authenticated);

/** What each detail type's registered schema describes. */
const SCHEMA_DESCRIPTIONS: Readonly<Record<DetailType, string>> = {
  UserAuthenticated: 'UserAuthenticated v1: one successful Cognito sign-in',
  UserSignedUp: 'UserSignedUp v1: a user confirmed their sign-up (state as of occurredAt)',
  UserUpdated:
    'UserUpdated v1: a user state read from Cognito (attributes, enabled, status) as of occurredAt',
  UserDeleted: 'UserDeleted v1: the user no longer exists in Cognito (final)',
};

/** Properties of {@link LoginEventBus}. */
export interface LoginEventBusProps {
  /**
   * Name of the bus.
   * @default pipeline.eventBusName
   */
  readonly eventBusName?: string;
  /**
   * The `source` of the user events.
   * @default pipeline.eventSource
   */
  readonly eventSource?: string;
  /**
   * How long the archive keeps events for replay, in whole days; `Duration.days(0)` keeps
   * them forever.
   * @default Duration.days(pipeline.archive.retentionDays)
   */
  readonly archiveRetention?: Duration;
  /**
   * AWS accounts allowed to create rules on the bus (and so subscribe to user events), e.g.
   * `['111122223333']`.
   * @default - no other account
   */
  readonly subscriberAccountIds?: readonly string[];
  /**
   * An AWS Organization whose accounts may create rules on the bus, e.g. `o-a1b2c3d4e5`.
   * @default - no organization
   */
  readonly subscriberOrganizationId?: string;
}

/** The rule-management actions another account needs to subscribe to the bus. */
export const SUBSCRIBER_ACTIONS = [
  'events:PutRule',
  'events:DeleteRule',
  'events:DescribeRule',
  'events:DisableRule',
  'events:EnableRule',
  'events:PutTargets',
  'events:RemoveTargets',
  'events:ListTargetsByRule',
] as const;

/**
 * The EventBridge bus of the user events (logins and lifecycle) with an archive of every one of
 * them for replay, the JSON Schema of each detail type in a schema registry, and optionally a
 * resource policy that lets other accounts or an AWS Organization subscribe (create their own
 * rules, only for these events, and only manage the rules they created).
 */
export class LoginEventBus extends Construct {
  /** The bus. */
  public readonly eventBus: events.IEventBus;
  /** The archive of every user event (logins and lifecycle), for `replay-archive`. */
  public readonly archive: events.Archive;
  /** The schema registry. */
  public readonly registry: eventschemas.CfnRegistry;
  /** The `UserAuthenticated` schema (also in {@link schemas}). */
  public readonly schema: eventschemas.CfnSchema;
  /** The registered schema of every detail type of the contract. */
  public readonly schemas: Readonly<Record<DetailType, eventschemas.CfnSchema>>;
  /** The bus as created, for its resource policy. */
  private readonly bus: events.EventBus;
  /** The `source` of the user events. */
  private readonly source: string;
  /** The principals {@link restrictPublishers} has admitted, in the order given. */
  private readonly publishers = new Set<string>();

  public constructor(scope: Construct, id: string, props: LoginEventBusProps = {}) {
    super(scope, id);
    validate(id, props);
    const source = props.eventSource ?? pipeline.eventSource;
    const busName = props.eventBusName ?? pipeline.eventBusName;

    const bus = new events.EventBus(this, 'Bus', {
      eventBusName: busName,
      description:
        'User events of the Cognito user pool: logins (UserAuthenticated) and lifecycle (UserSignedUp, UserUpdated, UserDeleted)',
    });
    this.bus = bus;
    this.source = source;
    // EventBus declares `eventSourceName?: string` where IEventBus has `string`; the two only
    // differ under exactOptionalPropertyTypes, so the widening is safe.
    this.eventBus = bus as unknown as events.IEventBus;
    this.archive = bus.archive('Archive', {
      archiveName: pipeline.archive.name,
      description: 'Every user event (logins and lifecycle), for replay into the sync rule',
      eventPattern: { source: [source], detailType: userEventPattern(source)['detail-type'] },
      retention: props.archiveRetention ?? Duration.days(pipeline.archive.retentionDays),
    });

    this.registry = new eventschemas.CfnRegistry(this, 'SchemaRegistry', {
      registryName: busName,
      description: 'Contracts of the events on the cognito-hasura-sync bus',
    });
    const schemas = Object.fromEntries(
      ALL_DETAIL_TYPES.map((detailType) => [detailType, this.registerSchema(detailType, source)]),
    ) as Record<DetailType, eventschemas.CfnSchema>;
    this.schemas = schemas;
    this.schema = schemas[pipeline.detailTypes.authenticated];

    this.allowSubscribers(bus, busName, source, props);
  }

  /**
   * Makes the given IAM principals the only ones that may put user events (this `source`) on
   * the bus: the bus policy denies `events:PutEvents` of an entry with this source unless
   * `aws:PrincipalArn` is listed. A Deny, because within the account an identity policy granting
   * PutEvents is enough on its own. Events of other sources are not affected (the sync rule does
   * not match them). A listed role must still be granted PutEvents by its own policy.
   *
   * Calls add up: the one Deny statement lists the publishers of every call (two statements
   * would each deny the other's publishers), so a construct wired later (e.g. a scheduled
   * reconcile) adds its role with a call of its own.
   *
   * @param principalArns - the publishers: the roles of the post-authentication and
   *   post-confirmation triggers and of `user-lifecycle` and, e.g., the roles that run `backfill`
   *   and `reconcile`.
   * @throws Error when the first call lists no principal (that would deny every publisher).
   */
  public restrictPublishers(principalArns: readonly string[]): void {
    const first = this.publishers.size === 0;
    if (first && principalArns.length === 0) {
      throw new Error(
        `LoginEventBus ${this.node.id}: restrictPublishers needs at least one principal (the trigger's role)`,
      );
    }
    for (const arn of principalArns) this.publishers.add(arn);
    if (!first) return;
    this.bus.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'DenyLoginEventsFromOtherPublishers',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: ['events:PutEvents'],
        resources: [this.bus.eventBusArn],
        conditions: {
          'ForAnyValue:StringEquals': { 'events:source': [this.source] },
          ArnNotEquals: {
            'aws:PrincipalArn': Lazy.list({ produce: () => [...this.publishers] }),
          },
        },
      }),
    );
  }

  /** Registers a detail type's committed JSON Schema as a draft 4 schema of the whole event. */
  private registerSchema(detailType: DetailType, source: string): eventschemas.CfnSchema {
    const detailSchema: unknown = JSON.parse(
      readFileSync(join(REPOSITORY_ROOT, detailSchemaFile(detailType)), 'utf8'),
    );
    return new eventschemas.CfnSchema(this, `${detailType}Schema`, {
      registryName: this.registry.attrRegistryName,
      schemaName: `${source}@${detailType}`,
      type: 'JSONSchemaDraft4',
      description: SCHEMA_DESCRIPTIONS[detailType],
      content: JSON.stringify(toEventBridgeSchema(detailSchema, { source, detailType })),
    });
  }

  /** Adds the bus policy statements for other accounts and the organization. */
  private allowSubscribers(
    bus: events.EventBus,
    busName: string,
    source: string,
    props: LoginEventBusProps,
  ): void {
    const stack = Stack.of(this);
    const ruleArn = stack.formatArn({
      service: 'events',
      resource: 'rule',
      resourceName: `${busName}/*`,
    });
    const conditions = {
      StringEqualsIfExists: {
        // Each account manages only the rules it created, and only for user events.
        // biome-ignore lint/suspicious/noTemplateCurlyInString: an IAM policy variable, not a template
        'events:creatorAccount': '${aws:PrincipalAccount}',
        'events:source': source,
      },
    };
    const accounts = props.subscriberAccountIds ?? [];
    if (accounts.length > 0) {
      bus.addToResourcePolicy(
        new iam.PolicyStatement({
          sid: 'AllowSubscriberAccounts',
          principals: accounts.map((account) => new iam.AccountPrincipal(account)),
          actions: [...SUBSCRIBER_ACTIONS],
          resources: [ruleArn],
          conditions,
        }),
      );
    }
    if (props.subscriberOrganizationId !== undefined) {
      bus.addToResourcePolicy(
        new iam.PolicyStatement({
          sid: 'AllowSubscriberOrganization',
          principals: [new iam.AnyPrincipal()],
          actions: [...SUBSCRIBER_ACTIONS],
          resources: [ruleArn],
          conditions: {
            ...conditions,
            StringEquals: { 'aws:PrincipalOrgID': props.subscriberOrganizationId },
          },
        }),
      );
    }
  }
}

/** Throws a readable error when a prop is malformed. */
const validate = (id: string, props: LoginEventBusProps): void => {
  for (const account of props.subscriberAccountIds ?? []) {
    if (!/^\d{12}$/.test(account)) {
      throw new Error(
        `LoginEventBus ${id}: subscriberAccountIds must hold 12-digit AWS account ids, got "${account}"`,
      );
    }
  }
  const org = props.subscriberOrganizationId;
  if (org !== undefined && !/^o-[a-z0-9]{10,32}$/.test(org)) {
    throw new Error(
      `LoginEventBus ${id}: subscriberOrganizationId must look like o-a1b2c3d4e5, got "${org}"`,
    );
  }
  const retention = props.archiveRetention;
  if (retention !== undefined) {
    const days = retention.toDays({ integral: false });
    if (!Number.isInteger(days) || days < 0) {
      throw new Error(
        `LoginEventBus ${id}: archiveRetention must be a whole number of days (0 = forever), got ${retention.toHumanString()}`,
      );
    }
  }
  if (props.eventBusName !== undefined && !/^[\w.-]{1,256}$/.test(props.eventBusName)) {
    throw new Error(
      `LoginEventBus ${id}: eventBusName may hold only letters, digits, '.', '-', '_', got "${props.eventBusName}"`,
    );
  }
};
