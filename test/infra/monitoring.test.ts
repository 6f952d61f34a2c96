import { describe, expect, it } from '@jest/globals';
import { Stack } from 'aws-cdk-lib';
import { Capture, Match } from 'aws-cdk-lib/assertions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { ServiceName } from '../../infra/constructs/PipelineMonitoring.js';
import { MetricName } from '../../shared/metricNames.js';
import { pipeline } from '../../shared/pipeline.js';
import { functionIdOf, logicalIdOf, synthStack } from './stackFixture.js';

describe('Class: PipelineMonitoring (in CognitoHasuraSyncStack)', () => {
  const { template } = synthStack();
  const queueId = logicalIdOf(template, 'AWS::SQS::Queue', { QueueName: pipeline.syncQueue.name });
  const queueName = { 'Fn::GetAtt': [queueId, 'QueueName'] };

  it('raises an alarm as soon as a dead-letter queue holds a message', () => {
    // Assess
    for (const name of [
      pipeline.syncQueue.dlqName,
      `${pipeline.syncQueue.name}-delivery-dlq`,
      pipeline.lifecycle.queue.dlqName,
      `${pipeline.lifecycle.queue.name}-delivery-dlq`,
    ]) {
      const dlqId = logicalIdOf(template, 'AWS::SQS::Queue', { QueueName: name });
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [dlqId, 'QueueName'] } }],
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        TreatMissingData: 'notBreaching',
      });
    }
  });

  it('raises an alarm when the oldest sync message is older than 5 minutes', () => {
    // Assess
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateAgeOfOldestMessage',
      Dimensions: [{ Name: 'QueueName', Value: queueName }],
      Threshold: 300,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
  });

  it('raises an alarm on every lost login event (PublishFailed)', () => {
    // Assess
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: pipeline.metricsNamespace,
      MetricName: MetricName.PublishFailed,
      Dimensions: [{ Name: 'service', Value: ServiceName.PostAuthentication }],
      Statistic: 'Sum',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
  });

  it.each([ServiceName.UserSync, ServiceName.UserLifecycle])(
    'raises an alarm on %s errors',
    (service) => {
      // Assess
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/Lambda',
        MetricName: 'Errors',
        Dimensions: [{ Name: 'FunctionName', Value: { Ref: functionIdOf(template, service) } }],
        Threshold: 1,
      });
    },
  );

  it('raises an alarm when the oldest lifecycle message is older than 5 minutes', () => {
    // Prepare
    const lifecycleQueueId = logicalIdOf(template, 'AWS::SQS::Queue', {
      QueueName: pipeline.lifecycle.queue.name,
    });

    // Assess
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateAgeOfOldestMessage',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [lifecycleQueueId, 'QueueName'] } }],
      Threshold: 300,
      EvaluationPeriods: 5,
      DatapointsToAlarm: 3,
    });
  });

  it('raises an alarm on every lost sign-up event (PublishFailed of post-confirmation)', () => {
    // Assess
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: pipeline.metricsNamespace,
      MetricName: MetricName.PublishFailed,
      Dimensions: [{ Name: 'service', Value: ServiceName.PostConfirmation }],
      Statistic: 'Sum',
      Threshold: 1,
    });
  });

  it('draws published, fallback, synced, lag, queue depth and DLQ depth on the dashboard', () => {
    // Prepare
    const body = new Capture();
    template.hasResourceProperties('AWS::CloudWatch::Dashboard', { DashboardBody: body });

    // Act
    const widgets = dashboardWidgets(body.asObject() as { 'Fn::Join': [string, unknown[]] });
    const metrics = widgets.flatMap((widget) => widget.properties.metrics ?? []);
    const names = metrics.filter((line) => typeof line[0] === 'string').map((line) => line[1]);
    const expressions = metrics
      .map((line) => (line[0] as { expression?: string }).expression)
      .filter((expression) => expression !== undefined);

    // Assess
    const titles = widgets.map((widget) => widget.properties.title);
    expect(titles).toEqual(
      expect.arrayContaining([
        'Sign-ups published (UserSignedUp)',
        'Lifecycle queue (Cognito changes via CloudTrail)',
      ]),
    );
    expect(names).toEqual(
      expect.arrayContaining([
        MetricName.Published,
        MetricName.FallbackUsed,
        MetricName.PublishFailed,
        MetricName.UsersSynced,
        MetricName.SyncLag,
        'ApproximateNumberOfMessagesVisible',
        'ApproximateAgeOfOldestMessage',
      ]),
    );
    expect(
      widgets.find((widget) => widget.properties.title === 'Dead-letter queues')?.properties
        .metrics,
    ).toHaveLength(4);
    expect(expressions).toEqual([
      expect.stringContaining(`class,service} MetricName="${MetricName.RecordsFailed}"`),
      expect.stringContaining(
        `detailType,service} MetricName="${MetricName.LifecycleEventsPublished}"`,
      ),
      expect.stringContaining(`class,service} MetricName="${MetricName.HintsFailed}"`),
      expect.stringContaining(`reason,service} MetricName="${MetricName.HintsIgnored}"`),
    ]);
  });

  it('notifies the alarm topic on alarm and on recovery when one is given', () => {
    // Prepare
    const topicArn = 'arn:aws:sns:eu-west-1:123456789012:ops';
    const { template: withTopic } = synthStack({
      alarmTopic: sns.Topic.fromTopicArn(new Stack(), 'Ops', topicArn),
    });

    // Assess
    const alarms = Object.values(withTopic.findResources('AWS::CloudWatch::Alarm'));
    // 4 DLQs, 2 oldest-message ages, 2 lost-event counts, 2 function error counts, and the
    // scheduled reconcile's drift and failed runs.
    expect(alarms).toHaveLength(12);
    for (const alarm of alarms) {
      expect(alarm).toMatchObject({
        Properties: { AlarmActions: [topicArn], OKActions: [topicArn] },
      });
    }
    template.allResourcesProperties('AWS::CloudWatch::Alarm', { AlarmActions: Match.absent() });
  });
});

/** A dashboard widget as CloudWatch stores it. */
interface Widget {
  readonly properties: { readonly title?: string; readonly metrics?: unknown[][] };
}

/** The widgets of a synthesized `DashboardBody` (an `Fn::Join` with tokens inside strings). */
const dashboardWidgets = (body: { 'Fn::Join': [string, unknown[]] }): Widget[] => {
  const text = body['Fn::Join'][1]
    .map((part) => (typeof part === 'string' ? part : 'TOKEN'))
    .join('');
  return (JSON.parse(text) as { widgets: Widget[] }).widgets;
};
