import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { MetricName } from '../../shared/metricNames.js';
import { pipeline } from '../../shared/pipeline.js';

/** Service names: `POWERTOOLS_SERVICE_NAME` and the `service` dimension of the metrics. */
export const ServiceName = {
  PostAuthentication: 'post-authentication',
  UserSync: 'user-sync',
  PreTokenGeneration: 'pre-token-generation',
  PostConfirmation: 'post-confirmation',
  UserLifecycle: 'user-lifecycle',
  Reconcile: 'reconcile',
} as const;

/** The lifecycle path to watch: its queue and the function that reads it. */
export interface LifecycleMonitoringProps {
  /** The lifecycle queue (CloudTrail hints). */
  readonly queue: sqs.IQueue;
  /** The `user-lifecycle` function. */
  readonly function: lambda.IFunction;
}

/** Properties of {@link PipelineMonitoring}. */
export interface PipelineMonitoringProps {
  /** The sync queue the consumer reads. */
  readonly syncQueue: sqs.IQueue;
  /** The dead-letter queues to watch (sync DLQ, rule-target DLQ, …), by a short label. */
  readonly deadLetterQueues: Readonly<Record<string, sqs.IQueue>>;
  /** The consumer (`user-sync`). */
  readonly consumer: lambda.IFunction;
  /** The post-authentication trigger. */
  readonly postAuthentication: lambda.IFunction;
  /**
   * The post-confirmation trigger: an alarm on every lost `UserSignedUp` and its publish counts
   * on the dashboard.
   * @default - not watched
   */
  readonly postConfirmation?: lambda.IFunction;
  /**
   * The lifecycle path: alarms on the age of its oldest message and on the function's errors,
   * and a dashboard row (its dead-letter queues go into `deadLetterQueues`).
   * @default - not watched
   */
  readonly lifecycle?: LifecycleMonitoringProps;
  /**
   * Age of the oldest message in the sync queue (and the lifecycle queue) that raises the alarm.
   * @default Duration.minutes(5)
   */
  readonly oldestMessageAgeThreshold?: Duration;
  /**
   * Where the alarms notify (alarm and OK).
   * @default - alarms without actions
   */
  readonly alarmTopic?: sns.ITopic;
  /**
   * Name of the dashboard.
   * @default 'cognito-hasura-sync'
   */
  readonly dashboardName?: string;
}

const FIVE_MINUTES = Duration.minutes(5);

/**
 * The pipeline's alarms (a DLQ has messages, the oldest sync or lifecycle message is too old, a
 * login or sign-up event was lost, the consumer or `user-lifecycle` fails) and a dashboard of
 * published, fallback, synced, lag, queue depth, the lifecycle path and DLQ depth.
 */
export class PipelineMonitoring extends Construct {
  /** Every alarm, by purpose. */
  public readonly alarms: Readonly<Record<string, cloudwatch.Alarm>>;
  /** The dashboard. */
  public readonly dashboard: cloudwatch.Dashboard;

  public constructor(scope: Construct, id: string, props: PipelineMonitoringProps) {
    super(scope, id);
    const threshold = props.oldestMessageAgeThreshold ?? FIVE_MINUTES;
    if (threshold.toSeconds() < 60) {
      throw new Error(
        `PipelineMonitoring ${id}: oldestMessageAgeThreshold must be at least 1 minute (SQS reports it per minute)`,
      );
    }
    const alarms: Record<string, cloudwatch.Alarm> = {};

    for (const [label, dlq] of Object.entries(props.deadLetterQueues)) {
      alarms[`${label}HasMessages`] = dlq
        .metricApproximateNumberOfMessagesVisible({
          period: Duration.minutes(1),
          statistic: 'Maximum',
        })
        .createAlarm(this, `${label}HasMessages`, {
          alarmDescription: `${label} holds messages: inspect them, then run replay-dlq`,
          threshold: 1,
          evaluationPeriods: 1,
          comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
          treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        });
    }
    const oldestMessageAge = (id: string, queue: sqs.IQueue, description: string) =>
      queue
        .metricApproximateAgeOfOldestMessage({ period: Duration.minutes(1), statistic: 'Maximum' })
        .createAlarm(this, id, {
          alarmDescription: description,
          threshold: threshold.toSeconds(),
          evaluationPeriods: 5,
          datapointsToAlarm: 3,
          comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
          treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        });
    const atLeastOne = (id: string, metric: cloudwatch.Metric, description: string) =>
      metric.createAlarm(this, id, {
        alarmDescription: description,
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
    alarms.OldestMessageAge = oldestMessageAge(
      'OldestMessageAge',
      props.syncQueue,
      'User events wait too long in the sync queue: is the consumer or Hasura down?',
    );
    alarms.PublishFailed = atLeastOne(
      'PublishFailed',
      serviceMetric(ServiceName.PostAuthentication, MetricName.PublishFailed),
      'A login event reached neither EventBridge nor the sync queue: run backfill to repair',
    );
    alarms.ConsumerErrors = atLeastOne(
      'ConsumerErrors',
      props.consumer.metricErrors({ period: FIVE_MINUTES, statistic: 'Sum' }),
      'The user-sync consumer fails whole batches',
    );
    if (props.postConfirmation !== undefined) {
      alarms.SignUpPublishFailed = atLeastOne(
        'SignUpPublishFailed',
        serviceMetric(ServiceName.PostConfirmation, MetricName.PublishFailed),
        'A UserSignedUp event reached neither EventBridge nor the sync queue: run backfill (or reconcile) to repair',
      );
    }
    if (props.lifecycle !== undefined) {
      alarms.LifecycleOldestMessageAge = oldestMessageAge(
        'LifecycleOldestMessageAge',
        props.lifecycle.queue,
        'Cognito changes wait too long in the lifecycle queue: is user-lifecycle failing or throttled by Cognito?',
      );
      alarms.LifecycleErrors = atLeastOne(
        'LifecycleErrors',
        props.lifecycle.function.metricErrors({ period: FIVE_MINUTES, statistic: 'Sum' }),
        'The user-lifecycle function fails whole batches',
      );
    }
    if (props.alarmTopic !== undefined) {
      const action = new actions.SnsAction(props.alarmTopic);
      for (const alarm of Object.values(alarms)) {
        alarm.addAlarmAction(action);
        alarm.addOkAction(action);
      }
    }
    this.alarms = alarms;
    this.dashboard = this.buildDashboard(props);
  }

  /** The dashboard: one row for the producer, one for the consumer, one for the queues. */
  private buildDashboard(props: PipelineMonitoringProps): cloudwatch.Dashboard {
    const dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: props.dashboardName ?? 'cognito-hasura-sync',
      defaultInterval: Duration.hours(3),
    });
    const dlqDepths = Object.entries(props.deadLetterQueues).map(([label, queue]) =>
      queue.metricApproximateNumberOfMessagesVisible({ label, statistic: 'Maximum' }),
    );
    dashboard.addWidgets(
      publishedWidget('Login events published', ServiceName.PostAuthentication),
      new cloudwatch.GraphWidget({
        title: 'Users synced to Hasura',
        width: 12,
        left: [
          serviceMetric(ServiceName.UserSync, MetricName.UsersSynced, 'synced'),
          serviceMetric(ServiceName.UserSync, MetricName.StaleEventsSkipped, 'stale skipped'),
        ],
        right: [
          props.consumer.metricErrors({ label: 'consumer errors', statistic: 'Sum' }),
          // One line per failure class (RecordsFailed carries a `class` dimension).
          searchByDimension(MetricName.RecordsFailed, 'class', 'records failed'),
        ],
      }),
    );
    dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Sync lag (ms, login → Hasura)',
        width: 12,
        left: ['p50', 'p99', 'Maximum'].map((statistic) =>
          serviceMetric(ServiceName.UserSync, MetricName.SyncLag, `lag ${statistic}`, statistic),
        ),
      }),
      queueWidget('Sync queue', props.syncQueue),
    );
    const lifecycleRow = this.lifecycleWidgets(props);
    if (lifecycleRow.length > 0) dashboard.addWidgets(...lifecycleRow);
    dashboard.addWidgets(
      new cloudwatch.GraphWidget({ title: 'Dead-letter queues', width: 12, left: dlqDepths }),
      new cloudwatch.AlarmStatusWidget({
        title: 'Alarms',
        width: 12,
        alarms: Object.values(this.alarms),
      }),
    );
    return dashboard;
  }

  /** The lifecycle row: sign-ups published, and the lifecycle queue with its function. */
  private lifecycleWidgets(props: PipelineMonitoringProps): cloudwatch.IWidget[] {
    const widgets: cloudwatch.IWidget[] = [];
    if (props.postConfirmation !== undefined) {
      widgets.push(
        publishedWidget('Sign-ups published (UserSignedUp)', ServiceName.PostConfirmation),
      );
    }
    const lifecycle = props.lifecycle;
    if (lifecycle !== undefined) {
      widgets.push(
        queueWidget('Lifecycle queue (Cognito changes via CloudTrail)', lifecycle.queue, {
          left: [lifecycle.function.metricInvocations({ label: 'invocations', statistic: 'Sum' })],
          right: [
            lifecycle.function.metricErrors({ label: 'user-lifecycle errors', statistic: 'Sum' }),
          ],
        }),
        new cloudwatch.GraphWidget({
          title: 'Lifecycle events published (by type) and hints failed or ignored',
          width: 12,
          left: [searchByDimension(MetricName.LifecycleEventsPublished, 'detailType', 'published')],
          right: [
            searchByDimension(MetricName.HintsFailed, 'class', 'hints failed'),
            searchByDimension(MetricName.HintsIgnored, 'reason', 'hints ignored'),
          ],
        }),
      );
    }
    return widgets;
  }
}

/** A publisher's outcomes: published, fell back to the sync queue, lost. */
const publishedWidget = (title: string, service: string): cloudwatch.GraphWidget =>
  new cloudwatch.GraphWidget({
    title,
    width: 12,
    left: [
      serviceMetric(service, MetricName.Published, 'published'),
      serviceMetric(service, MetricName.FallbackUsed, 'fallback to SQS'),
      serviceMetric(service, MetricName.PublishFailed, 'lost'),
    ],
  });

/** A queue's depth (left) and the age of its oldest message (right), plus extra lines. */
const queueWidget = (
  title: string,
  queue: sqs.IQueue,
  extra: { left?: cloudwatch.IMetric[]; right?: cloudwatch.IMetric[] } = {},
): cloudwatch.GraphWidget =>
  new cloudwatch.GraphWidget({
    title,
    width: 12,
    left: [
      queue.metricApproximateNumberOfMessagesVisible({ label: 'visible' }),
      queue.metricApproximateNumberOfMessagesNotVisible({ label: 'in flight' }),
      ...(extra.left ?? []),
    ],
    right: [
      queue.metricApproximateAgeOfOldestMessage({ label: 'oldest message (s)' }),
      ...(extra.right ?? []),
    ],
  });

/**
 * One line per value of a dimension a service adds to a metric (its `singleMetric()` carries
 * the dimension and `service`), as a CloudWatch SEARCH.
 */
const searchByDimension = (
  metricName: string,
  dimension: string,
  label: string,
): cloudwatch.MathExpression =>
  new cloudwatch.MathExpression({
    expression: `SEARCH('{${pipeline.metricsNamespace},${dimension},service} MetricName="${metricName}"', 'Sum', 300)`,
    label,
    period: FIVE_MINUTES,
  });

/** A metric the services emit through Powertools (EMF), by service. */
const serviceMetric = (
  service: string,
  metricName: string,
  label?: string,
  statistic = 'Sum',
): cloudwatch.Metric =>
  new cloudwatch.Metric({
    namespace: pipeline.metricsNamespace,
    metricName,
    dimensionsMap: { service },
    statistic,
    period: FIVE_MINUTES,
    ...(label === undefined ? {} : { label }),
  });
