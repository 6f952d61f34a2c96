/** Factories of the post-confirmation tests: the documented trigger event and its variants. */
import { readFileSync } from 'node:fs';
import type { PostConfirmationTriggerEvent } from 'aws-lambda';

const FIXTURE = new URL('../fixtures/cognito/postConfirmationSignUp.json', import.meta.url);

/** A fresh copy of the documented post-confirmation trigger event of a sign-up. */
export const postConfirmationEvent = (): PostConfirmationTriggerEvent =>
  JSON.parse(readFileSync(FIXTURE, 'utf8')) as PostConfirmationTriggerEvent;

/** The same user confirming a password reset (`PostConfirmation_ConfirmForgotPassword`). */
export const forgotPasswordConfirmation = (): PostConfirmationTriggerEvent => ({
  ...postConfirmationEvent(),
  triggerSource: 'PostConfirmation_ConfirmForgotPassword',
});
