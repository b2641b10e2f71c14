/**
 * A document client whose first GetItem of a subject profile waits until `release()`: a test makes a
 * change's two reads straddle another writer's transaction (the subject read after it, the listing
 * before).
 */
import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';

export function holdFirstSubjectRead(client: DynamoDBDocumentClient): {
  client: DynamoDBDocumentClient;
  release: () => void;
} {
  let release: () => void = () => undefined;
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  let held = false;
  const holding = new Proxy(client, {
    get(target, property, receiver) {
      if (property !== 'send') return Reflect.get(target, property, receiver);
      return async (command: { input: { Key?: { SK?: string } } }) => {
        if (!held && command instanceof GetCommand && command.input.Key?.SK === 'PROFILE') {
          held = true;
          await released;
        }
        return target.send(command as GetCommand);
      };
    },
  });
  return { client: holding, release };
}
