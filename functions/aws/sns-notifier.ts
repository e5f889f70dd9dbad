/** NotifierPort over SNS: one Publish per alert (the body is the AWS Chatbot custom notification). */
import { PublishCommand, SNSClient, type MessageAttributeValue } from '@aws-sdk/client-sns';
import type { AlertMessage, NotifierPort } from '../core/ports.js';
import { awsCallError } from './errors.js';

/** Every attribute as a String attribute; empty values are left out (SNS rejects them, failing the whole Publish). */
export function snsMessageAttributes(attributes: AlertMessage['attributes']): Record<string, MessageAttributeValue> {
  return Object.fromEntries(
    Object.entries(attributes)
      .filter(([, value]) => value !== '')
      .map(([name, value]) => [name, { DataType: 'String', StringValue: value }]),
  );
}

export function createSnsNotifier({ client = new SNSClient({}), topicArn }: { client?: SNSClient; topicArn: string }): NotifierPort {
  return {
    async publish(alert) {
      try {
        await client.send(
          new PublishCommand({
            TopicArn: topicArn,
            Subject: alert.subject,
            Message: alert.body,
            MessageAttributes: snsMessageAttributes(alert.attributes),
          }),
        );
      } catch (error) {
        throw awsCallError('sns:Publish', error);
      }
    },
  };
}
