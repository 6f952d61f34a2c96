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
} as const;

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
   * Age of the oldest message in the sync queue that raises the alarm.
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
 * The pipeline's alarms (a DLQ has messages, the oldest sync message is too old, a login event
 * was lost, the consumer fails) and a dashboard of published, fallback, synced, lag, queue depth
 * and DLQ depth.
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
    alarms.OldestMessageAge = props.syncQueue
      .metricApproximateAgeOfOldestMessage({ period: Duration.minutes(1), statistic: 'Maximum' })
      .createAlarm(this, 'OldestMessageAge', {
        alarmDescription:
          'Login events wait too long in the sync queue: is the consumer or Hasura down?',
        threshold: threshold.toSeconds(),
        evaluationPeriods: 5,
        datapointsToAlarm: 3,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
    alarms.PublishFailed = serviceMetric(
      ServiceName.PostAuthentication,
      MetricName.PublishFailed,
    ).createAlarm(this, 'PublishFailed', {
      alarmDescription:
        'A login event reached neither EventBridge nor the sync queue: run backfill to repair',
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    alarms.ConsumerErrors = props.consumer
      .metricErrors({ period: FIVE_MINUTES, statistic: 'Sum' })
      .createAlarm(this, 'ConsumerErrors', {
        alarmDescription: 'The user-sync consumer fails whole batches',
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
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
      new cloudwatch.GraphWidget({
        title: 'Login events published',
        width: 12,
        left: [
          serviceMetric(ServiceName.PostAuthentication, MetricName.Published, 'published'),
          serviceMetric(ServiceName.PostAuthentication, MetricName.FallbackUsed, 'fallback to SQS'),
          serviceMetric(ServiceName.PostAuthentication, MetricName.PublishFailed, 'lost'),
        ],
      }),
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
          new cloudwatch.MathExpression({
            expression: `SEARCH('{${pipeline.metricsNamespace},class,service} MetricName="${MetricName.RecordsFailed}"', 'Sum', 300)`,
            label: 'records failed',
            period: FIVE_MINUTES,
          }),
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
      new cloudwatch.GraphWidget({
        title: 'Sync queue',
        width: 12,
        left: [
          props.syncQueue.metricApproximateNumberOfMessagesVisible({ label: 'visible' }),
          props.syncQueue.metricApproximateNumberOfMessagesNotVisible({ label: 'in flight' }),
        ],
        right: [
          props.syncQueue.metricApproximateAgeOfOldestMessage({ label: 'oldest message (s)' }),
        ],
      }),
    );
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
}

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
