import { Stack, Validations } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';

/** Properties of {@link UserPoolTriggers}. */
export interface UserPoolTriggersProps {
  /** The post-authentication trigger. */
  readonly postAuthentication: lambda.IFunction;
  /** The pre-token-generation trigger. */
  readonly preTokenGeneration: lambda.IFunction;
  /**
   * The post-confirmation trigger (publishes `UserSignedUp`).
   * @default - no post-confirmation trigger
   */
  readonly postConfirmation?: lambda.IFunction;
  /**
   * Version of the pre-token-generation event.
   * @default 'V2'
   */
  readonly preTokenGenerationVersion?: 'V1' | 'V2';
  /**
   * Id of an existing user pool, whose triggers CloudFormation cannot set.
   * @default - a new user pool with the triggers attached
   */
  readonly userPoolId?: string;
}

/**
 * Connects the Cognito triggers (post authentication, pre token generation and, when given, post
 * confirmation). A created pool (Essentials plan, which the V2 pre-token event needs) gets the
 * triggers attached; an existing pool is only allowed to invoke them, because
 * CloudFormation cannot change the Lambda configuration of a pool it does not own: attach them
 * with `aws cognito-idp update-user-pool --lambda-config` (see docs/infrastructure.md).
 */
export class UserPoolTriggers extends Construct {
  /** The user pool (created, or imported by id). */
  public readonly userPool: cognito.IUserPool;
  /** Whether this construct created the pool (and attached the triggers). */
  public readonly created: boolean;

  public constructor(scope: Construct, id: string, props: UserPoolTriggersProps) {
    super(scope, id);
    const triggers = [
      props.postAuthentication,
      props.preTokenGeneration,
      ...(props.postConfirmation === undefined ? [] : [props.postConfirmation]),
    ];
    if (props.userPoolId !== undefined) {
      this.created = false;
      this.userPool = cognito.UserPool.fromUserPoolId(this, 'UserPool', props.userPoolId);
      for (const fn of triggers) {
        fn.addPermission('CognitoInvoke', {
          principal: new iam.ServicePrincipal('cognito-idp.amazonaws.com'),
          sourceArn: this.userPool.userPoolArn,
          sourceAccount: Stack.of(this).account,
        });
      }
      return;
    }
    this.created = true;
    const pool = new cognito.UserPool(this, 'UserPool', {
      userPoolName: 'cognito-hasura-sync',
      // The V2 pre-token event needs the Essentials (or Plus) feature plan.
      featurePlan: cognito.FeaturePlan.ESSENTIALS,
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      autoVerify: { email: true },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      mfa: cognito.Mfa.OPTIONAL,
      mfaSecondFactor: { otp: true, sms: false },
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
      },
    });
    pool.addTrigger(cognito.UserPoolOperation.POST_AUTHENTICATION, props.postAuthentication);
    if (props.postConfirmation !== undefined) {
      pool.addTrigger(cognito.UserPoolOperation.POST_CONFIRMATION, props.postConfirmation);
    }
    pool.addTrigger(
      cognito.UserPoolOperation.PRE_TOKEN_GENERATION_CONFIG,
      props.preTokenGeneration,
      (props.preTokenGenerationVersion ?? 'V2') === 'V2'
        ? cognito.LambdaVersion.V2_0
        : cognito.LambdaVersion.V1_0,
    );
    Validations.of(pool).acknowledge(
      {
        id: 'AwsSolutions-COG2',
        reason:
          'MFA is offered (TOTP) but not required: whether sign-in demands it is the application owner’s decision, not this sync pipeline’s; pass userPoolId to use a pool with your own policy.',
      },
      {
        id: 'AwsSolutions-COG8',
        reason:
          'The Plus feature plan (threat protection) is billed per monthly active user and the pipeline does not need it; Essentials is enough for the pre-token V2 trigger. Use your own pool (userPoolId) to choose Plus.',
      },
    );
    this.userPool = pool;
  }
}
